"""One PDF page as reading-order blocks: ruled tables (cells from pdf_lattice) and lines of
text outside them. Knows geometry only, nothing about the report.

Chinese is written without spaces, so glyphs are joined without one whenever a CJK character is
on either side, whatever the gap (PDF writers leave gaps between CJK and Latin runs: `2023 年`);
between Latin letters or digits a visible gap is a space. A gap of more than `CELL_GAP` ems on a
line separates cells of a table drawn without ruling lines.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ingest.read.pdf_lattice import find_tables
from ingest.read.pdf_load import Glyph, Page

CELL_GAP = 0.8       # ems of white space that separate the cells of an unruled table row
LEAD_GAP = 0.5       # ems after a lone first character that make it a cell of its own
SPACE_GAP = 0.25     # ems of white space between Latin glyphs that make a space
BASELINE = 0.25      # ems between baselines of glyphs on one line


def is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]
    page: int
    number: int = 0

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    def segments(self) -> list[list[Glyph]]:
        """Runs of glyphs separated by more than CELL_GAP ems. A lone CJK character before a
        smaller gap is a run too: a merged label printed one character per line in a narrow
        column (三 / 、/ 本 / 年 …) left of the row labels."""
        out = [[self.glyphs[0]]]
        for n, (prev, g) in enumerate(zip(self.glyphs, self.glyphs[1:])):
            gap = (g.x0 - prev.x1) / max(prev.size, g.size)
            if gap > CELL_GAP or n == 0 and gap > LEAD_GAP and is_cjk(prev.text):
                out.append([])
            out[-1].append(g)
        return out

    @property
    def text(self) -> str:
        return join_glyphs(self.glyphs)


@dataclass(slots=True)
class TableCell:
    row: int
    col: int
    bbox: tuple[float, float, float, float]
    glyphs: list[Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(group_lines(self.glyphs))


@dataclass(slots=True)
class Table:
    page: int
    number: int
    bbox: tuple[float, float, float, float]
    rows: list[list[TableCell]]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def bottom(self) -> float:
        return self.bbox[3]


def join_glyphs(glyphs: list[Glyph]) -> str:
    parts = [glyphs[0].text] if glyphs else []
    for prev, g in zip(glyphs, glyphs[1:]):
        gap = g.x0 - prev.x1
        if gap > SPACE_GAP * max(prev.size, g.size) and not (is_cjk(prev.text[-1]) or is_cjk(g.text[0])):
            parts.append(" ")
        parts.append(g.text)
    return "".join(parts)


def join_texts(first: str, second: str) -> str:
    """A text continued on the next line: a wrapped label or a number wrapped in a narrow cell
    (`20` over `6`) joins without a space; only Latin words get one."""
    if first and second and first[-1].isascii() and first[-1].isalpha() and second[0].isascii() and second[0].isalpha():
        return f"{first} {second}"
    return first + second


def join_lines(lines: list[list[Glyph]]) -> str:
    out = ""
    for line in lines:
        out = join_texts(out, join_glyphs(line))
    return out


def group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs into visual lines by their baselines, top to bottom, each sorted left to right."""
    lines: list[list[Glyph]] = []
    base = 0.0
    for g in sorted(glyphs, key=lambda g: g.base):
        if lines and g.base - base <= BASELINE * g.size:
            lines[-1].append(g)
        else:
            lines.append([g])
            base = g.base
    return [sorted(line, key=lambda g: g.x0) for line in lines]


class _Slots:
    """Which cell of a table covers a point: row and column bands looked up by bisection."""

    def __init__(self, cells: list[TableCell]) -> None:
        self.xs = sorted({v for c in cells for v in (c.bbox[0], c.bbox[2])})
        self.ys = sorted({v for c in cells for v in (c.bbox[1], c.bbox[3])})
        self.map: dict[tuple[int, int], TableCell] = {}
        for cell in cells:
            x0, top, x1, bottom = cell.bbox
            for r in range(self.ys.index(top), self.ys.index(bottom)):
                for c in range(self.xs.index(x0), self.xs.index(x1)):
                    self.map.setdefault((r, c), cell)

    def find(self, x: float, y: float) -> TableCell | None:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        r = min(bisect.bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        c = min(bisect.bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        return self.map.get((r, c))


def _table_cells(boxes: list[tuple[float, float, float, float]]) -> tuple[list[TableCell], _Slots]:
    cells = [TableCell(0, 0, b) for b in boxes]
    return cells, _Slots(cells)


def _split_by_rows(cell: TableCell, ys: list[float]) -> list[TableCell]:
    """A cell over several row bands whose lines of text sit in different bands is cut back into
    one cell per band with text: a ruling missing in one column merged the cells of several rows
    (`2.申请人…` / `3.其他` / `（七）总计`). A merged label centred over its rows gives pieces to
    the rows beside it, which only ever sit left of their row labels."""
    first, last = ys.index(cell.bbox[1]), ys.index(cell.bbox[3])
    if last - first < 2 or not cell.glyphs:
        return [cell]
    bands: dict[int, list[Glyph]] = {}
    for line in group_lines(cell.glyphs):
        mid = sum(g.top + g.bottom for g in line) / (2 * len(line))
        band = min(max(bisect.bisect_right(ys, mid) - 1, first), last - 1)
        bands.setdefault(band, []).extend(line)
    if len(bands) < 2:
        return [cell]
    order = sorted(bands)
    x0, top, x1, bottom = cell.bbox
    edges = [top] + [ys[b] for b in order[1:]] + [bottom]
    return [TableCell(0, 0, (x0, edges[n], x1, edges[n + 1]), bands[b]) for n, b in enumerate(order)]


def _table(page: Page, number: int, cells: list[TableCell], ys: list[float]) -> Table:
    cells = [piece for cell in cells for piece in _split_by_rows(cell, ys)]
    tops = sorted({c.bbox[1] for c in cells})
    lefts = sorted({c.bbox[0] for c in cells})
    for cell in cells:
        cell.row, cell.col = tops.index(cell.bbox[1]) + 1, lefts.index(cell.bbox[0]) + 1
    cells.sort(key=lambda c: (c.row, c.col))
    rows: list[list[TableCell]] = []
    for cell in cells:
        if not rows or rows[-1][0].row != cell.row:
            rows.append([])
        rows[-1].append(cell)
    bbox = (lefts[0], tops[0], max(c.bbox[2] for c in cells), max(c.bbox[3] for c in cells))
    return Table(page.number, number, bbox, rows)


def page_blocks(page: Page) -> list[Table | Line]:
    """Tables and the lines outside them, in reading order (top to bottom)."""
    found = [_table_cells(boxes) for boxes in find_tables(page)]
    free: list[Glyph] = []
    for g in page.glyphs:
        x, y = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        cell = next((c for _, slots in found if (c := slots.find(x, y)) is not None), None)
        if cell is None:
            free.append(g)
        else:
            cell.glyphs.append(g)
    lines = [Line(glyphs, page.number, n) for n, glyphs in enumerate(group_lines(free), start=1)]
    blocks: list[Table | Line] = [_table(page, n, cells, slots.ys) for n, (cells, slots) in enumerate(found, start=1)]
    blocks.extend(lines)
    blocks.sort(key=lambda b: b.top)
    return blocks
