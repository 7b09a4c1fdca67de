"""Read the values of one table row from the tokens after its label."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.extract.glued import Check, candidates
from ingest.read.stream import Stream, Token
from ingest.extract.values import read_value

UNIT = re.compile(r"(万元|元|件|个|条|项)")


@dataclass
class CellValue:
    value: int | float | None
    raw: str
    source: str
    note: str | None = None


@dataclass
class RowRead:
    """Values of a row, or, when its run was glued, every split that passed the row's own check."""

    cells: list[CellValue] | None = None
    glued: str = ""
    glued_source: str = ""
    options: list[tuple] = field(default_factory=list)
    problem: str | None = None
    extra: CellValue | None = None  # an extra printed column (小计) taken out of the row


def value_tokens(toks: Sequence[Token]) -> list[Token]:
    """Value and empty cells from the start up to the next text; text before any cell (the rest
    of the label, a merged group label) is skipped."""
    out: list[Token] = []
    for tok in toks:
        if tok.kind == "text":
            if out:
                break
            continue
        out.append(tok)
    return out


def read_row(stream: Stream, toks: Sequence[Token], kinds: Sequence[str], units: Sequence[str],
             flat: bool, check: Check | None = None, extra_at: int | None = None) -> RowRead:
    """`extra_at`: position of a column the format does not have (a 小计), read aside when printed."""
    n = len(kinds)
    vals = value_tokens(toks)
    filled = [t for t in vals if t.kind == "value"]
    if extra_at is not None and n + 1 in (len(filled), len(vals)):
        cells = list(vals if len(vals) == n + 1 else filled)  # by position when empty cells are printed
        extra = cells.pop(extra_at)
        read = read_row(stream, cells, kinds, units, flat, check)
        read.extra = _cell(stream, extra, kinds[0], units[0])
        return read
    if len(filled) == n and all(" " not in t.text for t in filled):  # value tokens come stripped
        return RowRead(cells=[_cell(stream, t, k, u) for t, k, u in zip(filled, kinds, units)])
    if len(vals) >= n and all(t.kind == "empty" for t in vals[n:]) and len(filled) < n and not flat:
        return RowRead(cells=[_cell(stream, t, k, u) for t, k, u in zip(vals[:n], kinds, units)])
    if not filled:
        return RowRead(problem="no values after the label" if not vals else f"{len(vals)} empty cells where {n} were expected")
    if len(filled) > n:
        return RowRead(problem=f"{len(filled)} values where {n} were expected")
    run = UNIT.sub("", " ".join(t.text for t in filled))
    source = stream.source(filled[0].start, filled[-1].end)
    if not flat:  # cell borders are known: digits are never split across cells
        what = f"unreadable cells {run!r}" if len(filled) == n else f"{len(vals)} cells where {n} were expected"
        return RowRead(problem=what)
    options = candidates(run, kinds, check)
    return RowRead(glued=run, glued_source=source, options=options)


def _cell(stream: Stream, tok: Token, kind: str, unit: str) -> CellValue:
    raw, source = stream.printed(tok.start, tok.end)
    reading = read_value(tok.text if tok.kind == "value" else "", kind, unit)
    return CellValue(reading.value, "" if tok.kind == "empty" else raw, source, reading.note)
