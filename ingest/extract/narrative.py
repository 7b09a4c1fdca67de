"""Counts the report restates in words in 一、总体情况 (for the NARRATIVE_MATCH rule).

Patterns live in seeds/narrative_patterns.csv; the first pattern of a measure that matches wins.
A measure that restates one table cell names it in seeds/narrative_measures.csv
(`table2.normative_docs_issued`): settle uses such a figure to choose among the splits of a
glued run of that row.
"""
from __future__ import annotations

from ingest.extract.record import Figure
from ingest.read.stream import Stream
from ingest.spec import narrative_cells, narrative_patterns


def stated_cells(found: dict[str, Figure]) -> dict[str, Figure]:
    """The figures of `find_counts` keyed by the table cell each restates."""
    cells = narrative_cells()
    return {cells[m]: f for m, f in found.items() if m in cells}


def find_counts(stream: Stream, end: int | None = None) -> dict[str, Figure]:
    """{measure: figure with its sentence} for each measure stated before `end`."""
    text = stream.text[:end]
    out: dict[str, Figure] = {}
    for p in narrative_patterns():
        if p.measure in out:
            continue
        m = p.pattern.search(text)
        if m:
            raw, source = stream.printed(m.start(), m.end())
            out[p.measure] = Figure(p.fixed_value if p.fixed_value is not None else int(m.group(1)), raw, source)
    return out
