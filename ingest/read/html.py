"""HTML pages: tables with colspan/rowspan, paragraphs and spans inside cells, page chrome."""
from __future__ import annotations

import re

from lxml import etree

from ingest.read.grid import Cell, Grid, ReadError
from ingest.read.text import decode

SKIP = {"script", "style", "noscript", "head", "template"}
BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "table"}


ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
CELL_TAGS = {"td", "th"}  # a row's children with these tags are its cells (cheaper than an XPath per row)


def _text(el: etree._Element) -> str:
    """The element's text without its tail, white space collapsed (lxml's C text serializer)."""
    if len(el) == 0:  # no children (comments and PIs are dropped when parsing): its text is all of it
        return " ".join(el.text.split()) if el.text else ""
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


def _table_rows(table: etree._Element, number: int) -> list[list[Cell]]:
    """Rows of cells in visual column order; a rowspan leaves an empty cell below it."""
    rows: list[list[Cell]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above (> 0)
    for r, tr in enumerate(ROWS(table), start=1):
        where = f"table {number} row {r} col "
        cells: list[Cell] = []
        col = 0
        for td in tr:
            if td.tag not in CELL_TAGS:
                continue
            if pending:
                col = _merged(pending, col, cells, where)
            colspan, rowspan = td.get("colspan"), td.get("rowspan")
            span = 1 if colspan is None else _int(colspan)
            cells.append(Cell(_text(td), where + str(col + 1)))
            down = 1 if rowspan is None else _int(rowspan)
            if down > 1:
                pending.update(dict.fromkeys(range(col, col + span), down - 1))
            col += span
        if pending:
            _merged(pending, col, cells, where)
        rows.append(cells)
    return rows


def _merged(pending: dict[int, int], col: int, cells: list[Cell], where: str) -> int:
    """Add the empty cells that rowspans from above cover from `col` on; the next free column."""
    while col in pending:
        cells.append(Cell("", f"{where}{col + 1} (merged)"))
        if pending[col] == 1:
            del pending[col]
        else:
            pending[col] -= 1
        col += 1
    return col


def _int(value: str | None) -> int:
    """A colspan or rowspan: 1 when missing or unreadable, at most 1000."""
    if value is None:
        return 1
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read(data: bytes) -> Grid:
    """Parse with lxml's HTML parser: no network, no DTD loading, entities left unresolved."""
    text = XML_DECLARATION.sub("", decode(data, strict=False))
    try:
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
        root = etree.fromstring(text, parser=parser)
        if root is None:
            raise ValueError("no document")
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"HTML that cannot be parsed: {exc}") from exc
    title = root.findtext(".//title")
    grid = Grid(title_hint=title.strip() if title else None)
    body = root.find("body")
    _walk(body if body is not None else root, grid, [0])
    return grid


def _walk(el: etree._Element, grid: Grid, tables: list[int]) -> None:
    """Blocks in document order: a table becomes its rows, a leaf block one one-cell row."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == "table" and _holds_table(child) and child.find(".//td//table") is not None:
            parents = (child, *child.iterfind("./tbody"))
            for cell in child.iterfind(".//td"):
                if cell.getparent().getparent() in parents:
                    _walk(cell, grid, tables)  # a layout table around the article: read what it holds
        elif tag == "table":
            tables[0] += 1
            for row in _table_rows(child, tables[0]):
                grid.add_row(row)
        elif len(child) and (_holds_table(child) or any(isinstance(c.tag, str) and c.tag in BLOCK for c in child)):
            if child.text and child.text.strip():
                grid.add_row([Cell(child.text.strip(), f"html <{child.tag}>")])
            _walk(child, grid, tables)
        else:
            content = _text(child)
            if content:
                grid.add_row([Cell(content, f"html <{child.tag}>")])
        if child.tail and child.tail.strip():
            grid.add_row([Cell(child.tail.strip(), f"html after <{child.tag}>")])


def _holds_table(el: etree._Element) -> bool:
    """Whether a table is anywhere inside `el` (a C-level search, unlike ElementPath's find)."""
    return next(el.iterdescendants("table"), None) is not None
