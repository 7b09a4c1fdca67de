"""Tables drawn without ruling lines, part two: the rows of cells for the grid.

Label pieces are joined column by column, so a merged group label printed down its own column
(`三、本年度办理结果` one character per line, `（三）不` / `予公开`) stays in cells of its own to
the left of the row label. Numbers wrapped in narrow cells (`180` over `17`, `194` over `件`)
are put back together.

Empty cells print nothing, so within a block of rows the value columns are found from where
all rows put their numbers, and a row gets an empty cell for each column it leaves blank (only
where nothing at all is printed there). A row whose cells are all empty cannot be told from a
wrapped label line; it stays a line of its own, and the extractor reports its values as
missing rather than guessing.
"""
from __future__ import annotations

from ingest.read.grid import Cell
from ingest.read.pdf_labels import (ITEM_MARK, LINE_GAP, NEARBY, VALUE, Layout, Row, Seg, attach, distance,
                                      groups, near, segs)
from ingest.read.pdf_layout import Line, join_texts

__all__ = ["ITEM_MARK", "VALUE", "table_rows"]


def table_rows(lines: list[Line]) -> list[list[Cell] | Line]:
    """The lines in order: rows of an unruled table as cells, every other line as it is."""
    lay = Layout(lines)
    if not lay.rows:
        return list(lines)
    merged = _merge_wrapped_values(lay) | lay.units_only
    claimed = merged | attach(lay, merged)
    blocks = _blocks(lay, claimed)
    out: list[list[Cell] | Line] = []
    for i, line in enumerate(lines):
        source = f"page {line.page} line {line.number}"
        row = lay.rows.get(i)
        if row is not None:
            pieces = [s for piece in row.above for s in segs(piece)] + row.labels
            pieces += [s for piece in row.below for s in segs(piece)]
            labels = [Cell(_texts(g), source) for g in groups(pieces)]
            out.append(labels + [Cell(text, source) for text in _value_texts(lay, i, blocks.get(i, []))])
        elif i not in claimed:
            out.append(line)
    return out


def _value_texts(lay: Layout, i: int, columns: list[list[Seg]]) -> list[str]:
    """The row's values in the block's columns, an empty cell where the row printed nothing at
    all (no other text, such as a number wrapped onto the next line, lies in that spot)."""
    values = lay.rows[i].values
    placed = [[v for v in values if any(v is s for s in col)] for col in columns]
    if len(columns) <= len(values) or any(len(p) > 1 for p in placed):
        return [v.text for v in values]
    if not all(p or _blank(lay, i, col) for p, col in zip(placed, columns)):
        return [v.text for v in values]
    return [p[0].text if p else "" for p in placed]


def _blank(lay: Layout, i: int, column: list[Seg]) -> bool:
    """Nothing is printed in the column on the lines of row i (with its label lines) or next to them."""
    row = lay.rows[i]
    own = [row.line, *row.above, *row.below]
    top, bottom = min(l.top for l in own), max(l.bottom for l in own)
    pad = LINE_GAP * row.line.size
    x0, x1 = min(s.x0 for s in column), max(s.x1 for s in column)
    for k in range(max(0, i - NEARBY), min(len(lay.lines), i + NEARBY + 1)):
        line = lay.lines[k]
        if k == i or line.page != row.line.page or line.bottom < top - pad or line.top > bottom + pad:
            continue
        if any(s.x0 < x1 and x0 < s.x1 for s in lay.parts[k]):
            return False
    return True


def _merge_wrapped_values(lay: Layout) -> set[int]:
    """A line of numbers only, right next to a row, holds the parts of that row's numbers that
    wrapped in narrow cells: a part under (or over) a number of the row continues it (`180` /
    `17`), a part in a column the row leaves empty is its number (`194` over `件`).
    Returns the merged lines."""
    merged: set[int] = set()
    for i in sorted(lay.rows):
        if lay.rows[i].labels:
            continue
        targets = [k for k in _neighbour_rows(lay, i) if k not in merged and _beside(lay, i, k)]
        if targets:  # filling empty columns first, else the nearer row
            _join_values(lay.rows[min(targets, key=lambda k: (_overlaps(lay, i, k), distance(
                lay.lines[i], lay.lines[k])))], lay.rows[i])
            merged.add(i)
    for i in merged:
        del lay.rows[i]
    return merged


def _neighbour_rows(lay: Layout, i: int) -> list[int]:
    """The rows just before and after line i, past label lines (text left of the numbers)."""
    out = []
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(lay.lines) and k not in lay.rows and lay.label_piece(k, lay.rows[i]):
            k += step
        if k in lay.rows:
            out.append(k)
    return out


def _beside(lay: Layout, i: int, k: int) -> bool:
    """Row k is the row whose wrapped numbers line i holds: next to it, and no part of line i
    lies in the cells of two of its numbers."""
    a, b = lay.rows[i], lay.rows[k]
    return (near(a.line, b.line) and a.line.page == b.line.page
            and all(sum(v.same_cell(w) for w in b.values) <= 1 for v in a.values))


def _overlaps(lay: Layout, i: int, k: int) -> int:
    return sum(v.same_cell(w) for v in lay.rows[i].values for w in lay.rows[k].values)


def _join_values(row: Row, part: Row) -> None:
    below = part.line.top > row.line.top
    values = list(row.values)
    for v in part.values:
        k = next((n for n, w in enumerate(values) if v.same_cell(w)), None)
        if k is None:
            values.append(v)
            continue
        w = values[k]
        text = join_texts(w.text, v.text) if below else join_texts(v.text, w.text)
        values[k] = Seg(text, min(v.x0, w.x0), max(v.x1, w.x1), w.page, w.base, w.size)
    row.values = sorted(values, key=lambda v: v.x0)


def _texts(group: list[Seg]) -> str:
    text = ""
    for seg in sorted(group, key=lambda s: (s.page, s.base, s.x0)):
        text = join_texts(text, seg.text)
    return text


def _blocks(lay: Layout, claimed: set[int]) -> dict[int, list[list[Seg]]]:
    """Value columns of each block of rows (rows, their label lines, and label-only lines
    between them), keyed by the index of every line in the block."""
    out: dict[int, list[list[Seg]]] = {}
    order = sorted(lay.rows)
    start = 0
    for n, i in enumerate(order):
        nxt = order[n + 1] if n + 1 < len(order) else None
        gap = range(i + 1, nxt) if nxt is not None else range(0)
        if nxt is not None and all(j in claimed or lay.label_piece(j, lay.rows[nxt]) for j in gap):
            continue
        members = order[start:n + 1]
        columns = groups([v for r in members for v in lay.rows[r].values])
        for j in range(members[0], members[-1] + 1):
            out[j] = columns
        start = n + 1
    return out
