"""Tables drawn without ruling lines, part one: lines, their cells and row labels.

A line whose right part is numbers (cells split at wide gaps) is a table row. The lines of its
row label that wrapped above or below it (values are often centred against a label of two or
three lines) are attached to it: a line continues a label when the label above it ran to the
right edge of its cell (Chinese wraps character by character, so the next column starts right
after it) or was broken by hand (`，` at its end, a bracket left open, an item mark on the
first line only), unless it starts a new item (`2.`, `（三）`) or lies nearer the next row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.read.pdf_layout import Line, join_glyphs
from ingest.spec import null_markers, unit_suffixes

UNITS = "|".join(re.escape(u.suffix) for u in unit_suffixes())
NULLS = "|".join(re.escape(m) for m in sorted(null_markers(), key=len, reverse=True))
VALUE = re.compile(rf"^[-+]?[\d０-９][\d０-９,，.．]*(?:{UNITS})?$|^(?:{NULLS})$")
ITEM_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[.、．)）]"
                       r"|[①-⑳])")
UNIT_ONLY = re.compile(rf"^(?:{UNITS})+$")  # the unit of a number wrapped onto the next line
OPEN_END = "，、,（(：:；;—"  # a label line ending so was broken by hand and goes on
LINE_GAP = 0.8  # ems between the lines of one wrapped label
WRAP = 3.0      # ems between a wrapping label line and the next column (padding, one character)
NEARBY = 6      # lines around a label whose rows show where the next column starts


@dataclass(slots=True)
class Seg:
    text: str
    x0: float
    x1: float
    page: int
    base: float
    size: float

    def overlaps(self, other: Seg) -> bool:
        return self.x0 < other.x1 - 1 and other.x0 < self.x1 - 1

    def same_cell(self, other: Seg) -> bool:
        """Overlapping or touching: the lines of one wrapped number (padding spaces dropped)."""
        gap = 0.5 * max(self.size, other.size)
        return self.x0 < other.x1 + gap and other.x0 < self.x1 + gap


@dataclass(slots=True)
class Row:
    line: Line
    labels: list[Seg]
    values: list[Seg]
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)


def segs(line: Line) -> list[Seg]:
    return [Seg(join_glyphs(run), run[0].x0, run[-1].x1, line.page, run[0].base, max(g.size for g in run))
            for run in line.segments()]


def _as_row(line: Line, parts: list[Seg]) -> Row | None:
    """A table row: label cells (maybe none) followed by one or more value cells."""
    first = next((i for i, s in enumerate(parts) if VALUE.match(s.text)), None)
    if first is None or not all(VALUE.match(s.text) for s in parts[first:]):
        return None
    if len(parts) == 1 and len(line.glyphs) > 12:
        return None
    return Row(line, parts[:first], parts[first:])


def groups(pieces: list[Seg]) -> list[list[Seg]]:
    """Segments grouped into columns by horizontal overlap, left to right."""
    groups: list[list[Seg]] = []
    for seg in sorted(pieces, key=lambda s: s.x0):
        hit = [g for g in groups if any(seg.overlaps(s) for s in g)]
        for g in hit[1:]:
            hit[0].extend(g)
            groups.remove(g)
        if hit:
            hit[0].append(seg)
        else:
            groups.append([seg])
    return sorted(groups, key=lambda g: min(s.x0 for s in g))


class Layout:
    """The lines of a run with their segments and rows."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.parts = [[s for s in segs(line) if not UNIT_ONLY.match(s.text)] for line in lines]
        self.units_only = {i for i, p in enumerate(self.parts) if not p}
        self.rows = {i: r for i, line in enumerate(lines) if (r := _as_row(line, self.parts[i])) is not None}

    def wrapping(self, seg: Seg, j: int) -> bool:
        """The segment (of line j) ran to the right edge of its cell: the next column starts
        right after it, on its own line or on the table rows around it. A lone character is a
        label printed down a narrow column, a line ending in `，` or with a bracket left open was
        broken by hand: they wrap too."""
        if len(seg.text) == 1 or seg.text[-1] in OPEN_END or _unclosed(seg.text):
            return True
        near = [k for k in range(max(0, j - NEARBY), min(len(self.lines), j + NEARBY + 1)) if k in self.rows or k == j]
        starts = [t.x0 for k in near for t in self.parts[k] if t.x0 > seg.x1 - 1]
        return bool(starts) and min(starts) - seg.x1 <= WRAP * seg.size

    def label_of(self, j: int) -> list[Seg]:
        return self.rows[j].labels if j in self.rows else self.parts[j]

    def fits(self, j: int, chain: list[int], above: bool) -> bool:
        """Line j may join a row's label: in each column it shares with the row's lines (nearest
        first in `chain`), the text above the join ran to its cell's edge (was wrapping), or
        it starts an item (`2、其他法律行`) and the text below does not (`政法规禁止公开`)."""
        for seg in self.label_of(j):
            for k in chain:
                hit = [t for t in self.label_of(k) if t.overlaps(seg)]
                if not hit:
                    continue
                upper, lower = (seg, hit[0]) if above else (hit[0], seg)
                if ITEM_MARK.match(upper.text) and not ITEM_MARK.match(lower.text):
                    break  # an item label broken by hand: its first line and the rest
                if not (self.wrapping(seg, j) if above else self.wrapping(hit[0], k)):
                    return False
                break
        return True

    def label_piece(self, j: int, row: Row) -> bool:
        """A text line left of the row's values (units of wrapped numbers aside)."""
        parts = self.parts[j]
        return j not in self.rows and bool(parts) and parts[-1].x1 <= row.values[0].x0 + 0.5 * parts[-1].size

    def starts_item(self, j: int) -> bool:
        return any(ITEM_MARK.match(s.text) for s in self.parts[j])


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def near(a: Line, b: Line) -> bool:
    if a.page != b.page:
        return True  # consecutive lines across a page break
    upper, lower = (a, b) if a.top <= b.top else (b, a)
    return lower.top - upper.bottom <= LINE_GAP * max(a.size, b.size)


def distance(a: Line, b: Line | None) -> float:
    """Vertical distance; a line at the top of a page continues the row ending the page before."""
    if b is None:
        return float("inf")
    if a.page != b.page:
        return 0.0 if b.page < a.page else float("inf")
    return abs((a.top + a.bottom) - (b.top + b.bottom)) / 2


def attach(lay: Layout, merged: set[int]) -> set[int]:
    """Give each row the wrapped label lines below and above it (passing over lines of wrapped
    numbers merged into rows); returns the claimed indexes."""
    claimed: set[int] = set()
    below = {i: _attach_below(lay, i, merged, claimed) for i in sorted(lay.rows)}
    for i, lower in below.items():
        _attach_above(lay, i, [i, *lower], merged, claimed)
    return claimed


def _attach_below(lay: Layout, i: int, merged: set[int], claimed: set[int]) -> list[int]:
    row = lay.rows[i]
    nxt_i = next((k for k in sorted(lay.rows) if k > i), None)
    nxt = lay.rows[nxt_i] if nxt_i is not None else None
    chain = [i]  # the row's lines, nearest to the next candidate first
    for j in range(i + 1, nxt_i if nxt_i is not None else len(lay.lines)):
        if j in merged:
            continue
        line = lay.lines[j]
        if (not lay.label_piece(j, row) or not near(lay.lines[chain[0]], line) or lay.starts_item(j)
                or not lay.fits(j, chain, above=False)
                or nxt and not starts_label(lay, nxt, j) and distance(line, nxt.line) < distance(line, row.line)):
            break
        row.below.append(line)
        claimed.add(j)
        chain.insert(0, j)
    return chain[-2::-1]  # the lines below, top to bottom


def _attach_above(lay: Layout, i: int, chain: list[int], merged: set[int], claimed: set[int]) -> None:
    row = lay.rows[i]
    for j in range(i - 1, -1, -1):
        if j in merged:
            continue
        if j in claimed or not lay.label_piece(j, row) or not near(lay.lines[j], lay.lines[chain[0]]) \
                or not lay.fits(j, chain, above=True):
            break
        row.above.insert(0, lay.lines[j])
        claimed.add(j)
        chain.insert(0, j)


def starts_label(lay: Layout, row: Row, j: int) -> bool:
    """The row's label begins on its own line (an item mark) in the columns of line j: line j
    cannot be the top of that label."""
    return any(ITEM_MARK.match(t.text) for t in row.labels if any(t.overlaps(s) for s in lay.parts[j]))
