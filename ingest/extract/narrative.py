"""Counts the report restates in words in 一、总体情况 (for the NARRATIVE_MATCH rule).

Patterns live in seeds/narrative_patterns.csv; the first pattern of a measure that matches wins.
A measure that restates one table cell names it in seeds/narrative_measures.csv
(`table2.normative_docs_issued`): the extractor uses such a figure to choose among the splits of
a glued run of that row.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from ingest.spec import SEEDS
from ingest.read.stream import Stream


def _rows(seed: str) -> list[dict[str, str]]:
    with open(SEEDS / seed, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], int | None]]:
    return [(r["measure"], re.compile(r["pattern"]), int(r["fixed_value"]) if r["fixed_value"] else None)
            for r in _rows("narrative_patterns.csv")]


@lru_cache(maxsize=1)
def measure_cells() -> dict[str, str]:
    """{measure: cell key} for the measures that restate a single table cell (seeds/narrative_measures.csv)."""
    return {r["measure"]: r["cell"] for r in _rows("narrative_measures.csv") if r["cell"]}


def stated_cells(found: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """The figures of `find_counts` keyed by the table cell each restates."""
    cells = measure_cells()
    return {cells[m]: f for m, f in found.items() if m in cells}


def find_counts(stream: Stream, end: int | None = None) -> dict[str, dict[str, object]]:
    """{measure: {"value", "raw", "source"}} for each measure stated before `end`."""
    text = stream.text[:end]
    out: dict[str, dict[str, object]] = {}
    for measure, pattern, fixed in _patterns():
        if measure in out:
            continue
        m = pattern.search(text)
        if m:
            value = fixed if fixed is not None else int(m.group(1))
            raw, source = stream.printed(m.start(), m.end())
            out[measure] = {"value": value, "raw": raw, "source": source}
    return out
