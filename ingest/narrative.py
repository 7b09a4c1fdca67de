"""Counts the report restates in words in 一、总体情况 (for the NARRATIVE_MATCH rule).

Patterns live in seeds/narrative_patterns.csv; the first pattern of a measure that matches wins.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from ingest.spec import SEEDS
from ingest.stream import Stream


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], int | None]]:
    with open(SEEDS / "narrative_patterns.csv", encoding="utf-8", newline="") as fh:
        return [(r["measure"], re.compile(r["pattern"]), int(r["fixed_value"]) if r["fixed_value"] else None)
                for r in csv.DictReader(fh)]


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
            out[measure] = {"value": value, "raw": stream.raw(m.start(), m.end()),
                            "source": stream.source(m.start(), m.end())}
    return out
