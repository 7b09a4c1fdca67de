"""PDF reports with a text layer: ruled tables become rows of cells, text outside them lines
joined into paragraphs, tables drawn without rules rows of cells rebuilt from the lines
(pdf_rows). Modules: pdf_load (PDFium: glyphs and ruling lines), pdf_lattice (cells from the
rulings), pdf_layout (a page as tables and lines), pdf_labels / pdf_rows (unruled tables).

Page furniture is dropped: lines in the top or bottom margin that are page numbers (`- 3 -`,
`第3页`) or repeat across pages (a running header). A table continued on the next page goes on
with its rows; header rows it repeats there are dropped, and a row the page break cut in two
(`112` / `3`, a label's last line) is joined again. Scanned PDFs (no text layer), encrypted,
truncated and damaged files raise ReadError.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.read.grid import Cell, Grid, ReadError
from ingest.read.pdf_layout import Line, Table, TableCell, group_lines, join_glyphs, join_texts, page_blocks
from ingest.read.pdf_rows import ITEM_MARK, VALUE, table_rows
from ingest.read.pdf_load import Document, Page, load

MARGIN = 0.12          # top and bottom share of the page where running headers and footers live
EDGE_LINES = 2         # lines at each end of a page that may be furniture
PAGE_NUMBER = re.compile(r"^(?:[-—–－_~·•]*\d{1,4}[-—–－_~·•]*|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}"
                         r"|(?:page)?\d{1,4}(?:of\d{1,4})?|[-—–－]*[ivxlc]{1,6}[-—–－]*)$", re.IGNORECASE)
NO_TEXT = "PDF has no text layer (a scanned image?); OCR is not supported"
Block = Table | Line


def read(data: bytes) -> Grid:
    doc = load(data)
    _check_text(doc)
    pages = [page_blocks(page) for page in doc.pages]
    _drop_furniture(pages, doc.pages)
    if not any(pages):  # only page numbers and headers stamped on scanned pages
        raise ReadError(NO_TEXT)
    grid = Grid(title_hint=doc.title)
    _Emitter(grid, pages).emit(pages)
    return grid


def _check_text(doc: Document) -> None:
    glyphs = sum(len(p.glyphs) for p in doc.pages)
    if glyphs == 0:
        raise ReadError(NO_TEXT)
    if sum(p.unmapped for p in doc.pages) > sum(p.sampled for p in doc.pages) / 2:
        raise ReadError("PDF text layer without a Unicode mapping for its fonts: the characters cannot be read")


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", line.text))


def _edge_lines(blocks: list[Block], page: Page) -> list[Line]:
    """The outermost lines of a page that lie in its top or bottom margin."""
    out: list[Line] = []
    for seq, in_margin in ((blocks, lambda b: b.bottom < MARGIN * page.height),
                           (blocks[::-1], lambda b: b.top > (1 - MARGIN) * page.height)):
        for block in seq[:EDGE_LINES]:
            if not isinstance(block, Line) or not in_margin(block):
                break
            out.append(block)
    return out


def _drop_furniture(pages: list[list[Block]], meta: list[Page]) -> None:
    """Remove page numbers and running headers/footers: margin lines with words (not a row of
    numbers of a table running over pages) repeated on half the pages or more."""
    edges = [_edge_lines(blocks, page) for blocks, page in zip(pages, meta)]
    counts = Counter(key for lines in edges for key in {_furniture_key(line) for line in lines})
    repeated = max(2, (len(pages) + 1) // 2)
    for blocks, lines in zip(pages, edges):
        for line in lines:
            key = _furniture_key(line)
            running = counts[key] >= repeated and any(ch.isalpha() for ch in key)
            if running or PAGE_NUMBER.match(re.sub(r"\s", "", line.text)):
                blocks.remove(line)


class _Emitter:
    """Rows for the grid, block by block. Lines between two tables are handled as one run (an
    unruled table's rows are rebuilt from them); paragraphs and tables continue across pages."""

    def __init__(self, grid: Grid, pages: list[list[Block]]) -> None:
        self.grid = grid
        self.left, self.right = _text_column([b for blocks in pages for b in blocks if isinstance(b, Line)])
        self.last: Table | None = None        # the table emitted last, if nothing came after it
        self.head: Table | None = None        # first part of the table being continued
        self.run: list[Line] = []
        self.where: dict[int, tuple[int, int]] = {}  # id of a cell of the last table part -> grid place

    def emit(self, pages: list[list[Block]]) -> None:
        for blocks in pages:
            for i, block in enumerate(blocks):
                if isinstance(block, Table):
                    self._flush()
                    self._table(block, first=i == 0)
                else:
                    self.run.append(block)
        self._flush()

    def _table(self, table: Table, first: bool) -> None:
        rows = table.rows
        last = self.last
        if first and last is not None and last.page == table.page - 1 and self.head is not None:
            rows = rows[_repeated_header(self.head, table):]
            cut = _cut_cells(last)
            if rows and _is_fragment(cut, rows[0]):  # a row broken by the page break
                self._merge_fragment(cut, rows[0], table)
                rows = rows[1:]
        else:
            self.head = table
        self.where = {}
        for row in rows:
            self.grid.add_row([Cell(c.text, f"page {table.page} table {table.number} row {c.row} col {c.col}")
                               for c in row])
            self.where.update({id(c): (len(self.grid.rows) - 1, i) for i, c in enumerate(row)})
        self.last = table

    def _merge_fragment(self, cut: list[TableCell], row: list[TableCell], table: Table) -> None:
        """Append the fragment's text to the cells the page break cut, where the grid has them."""
        for c in row:
            i = _under(c, cut) if c.text else None
            if i is None or id(cut[i]) not in self.where:
                continue
            r, k = self.where[id(cut[i])]
            cell = self.grid.rows[r][k]
            self.grid.rows[r][k] = Cell(join_texts(cell.text, c.text), f"{cell.source} and page {table.page} "
                                        f"table {table.number} row {c.row} col {c.col}")

    def _flush(self) -> None:
        if not self.run:
            return
        self.last = None
        para: Line | None = None  # last line of the paragraph being built
        for item in table_rows(self.run):
            if isinstance(item, list):
                self.grid.add_row(item)
                para = None
                continue
            if para is not None and self._continues(para, item):
                last = self.grid.rows[-1][-1]
                self.grid.rows[-1][-1] = Cell(join_texts(last.text, item.text), last.source)
            else:
                self.grid.add_row([Cell(_line_text(item), f"page {item.page} line {item.number}")])
            para = item
        self.run = []

    def _continues(self, prev: Line, line: Line) -> bool:
        """A line continues the paragraph above when that one ran to the right margin and this
        one starts at the left margin (or is centred under it: a title on two lines)."""
        size = prev.size
        if abs(size - line.size) > 0.5 or prev.x1 < self.right - 2 * size:
            return False
        if line.page == prev.page and line.top - prev.bottom > size:
            return False
        centred = abs((prev.x0 + prev.x1) - (line.x0 + line.x1)) < 2 * size and line.x1 < self.right - 2 * size
        return line.x0 <= self.left + 0.5 * size or centred


def _line_text(line: Line) -> str:
    """A line that is not a table row; cells of a header row stay apart by a space."""
    return " ".join(join_glyphs(seg) for seg in line.segments())


def _text_column(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of the body text: where long lines start and end (a few lines
    stick out: hanging punctuation, a wide title)."""
    long = [line for line in lines if len(line.glyphs) >= 8] or lines
    if not long:
        return 0.0, 0.0
    lefts = sorted(line.x0 for line in long)
    rights = sorted(line.x1 for line in long)
    return lefts[len(lefts) // 20], rights[(len(rights) - 1) * 9 // 10]


def _cut_cells(table: Table) -> list[TableCell]:
    """The cells of a table part that reach its bottom edge, left to right."""
    cells = [c for row in table.rows for c in row if c.bbox[3] >= table.bottom - 1]
    return sorted(cells, key=lambda c: c.bbox[0])


def _value_like(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or VALUE.match(text.strip()) is not None


def _wrapped(cell: TableCell) -> bool:
    """The cell's text ran to its right edge on its last line (it was still wrapping), or it is
    printed down a narrow column one character per line."""
    lines = group_lines(cell.glyphs)
    if not lines:
        return False
    if all(len(line) == 1 for line in lines):
        return True
    return len(lines[-1]) > 1 and lines[-1][-1].x1 >= cell.bbox[2] - 2.5 * lines[-1][-1].size


def _is_fragment(cut: list[TableCell], row: list[TableCell]) -> bool:
    """The first row of a table's continuation is the rest of the cells the page break cut when
    no cell of it starts like a new row (`3.`, `（四）`), its text lies under cut cells, it
    leaves value columns empty (a header row: has no values), and its leading cell is empty or
    continues a wrapping text (or a cell that was empty above the break)."""
    texts = [c for c in row if c.text]
    if not texts or any(ITEM_MARK.match(c.text) for c in texts):
        return False
    values = {i for i, c in enumerate(cut) if _value_like(c.text)}
    if not values and any(_value_like(c.text) for c in texts):
        return False  # the data row under a header
    under = [_under(c, cut) for c in texts]
    numbers = {i for c, i in zip(texts, under) if _value_like(c.text)}
    if None in under or values and values <= numbers:
        return False  # a whole row of numbers of its own
    return not row[0].text or all(_wrapped(cut[i]) or not cut[i].text for i in under if i not in values)


def _under(cell: TableCell, above: list[TableCell]) -> int | None:
    """Index of the cell of `above` whose column the cell continues (lies within its edges)."""
    for i, a in enumerate(above):
        if a.bbox[0] - 2 <= cell.bbox[0] and cell.bbox[2] <= a.bbox[2] + 2:
            return i
    return None


def _repeated_header(head: Table, table: Table) -> int:
    """How many leading rows of a continued table repeat the header rows of its first part."""
    n = 0
    while n < min(len(head.rows), len(table.rows) - 1):
        if [c.text for c in head.rows[n]] != [c.text for c in table.rows[n]]:
            break
        n += 1
    return n
