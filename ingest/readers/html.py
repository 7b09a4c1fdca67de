"""HTML pages: tables with colspan/rowspan, paragraphs and spans inside cells, page chrome."""
from __future__ import annotations

import re

from lxml import etree

from ingest.grid import Cell, Grid, ReadError
from ingest.readers.text import decode

SKIP = {"script", "style", "noscript", "head", "template"}
BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "table"}


ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
CELLS = etree.XPath("./td|./th")


def _text(el: etree._Element) -> str:
    """The element's text without its tail, white space collapsed (lxml's C text serializer)."""
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


def _table_rows(table: etree._Element, number: int) -> list[list[Cell]]:
    """Rows of cells in visual column order; a rowspan leaves an empty cell below it."""
    rows: list[list[Cell]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for r, tr in enumerate(ROWS(table), start=1):
        cells: list[Cell] = []
        col = 0
        for td in CELLS(tr):
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                cells.append(Cell("", f"table {number} row {r} col {col + 1} (merged)"))
                col += 1
            span, down = _int(td.get("colspan")), _int(td.get("rowspan"))
            cells.append(Cell(_text(td), f"table {number} row {r} col {col + 1}"))
            if down > 1:
                pending.update(dict.fromkeys(range(col, col + span), down - 1))
            col += span
        while pending.get(col, 0) > 0:
            pending[col] -= 1
            cells.append(Cell("", f"table {number} row {r} col {col + 1} (merged)"))
            col += 1
        rows.append(cells)
    return rows


def _int(value: str | None) -> int:
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
        if tag == "table" and child.find(".//td//table") is not None:
            for cell in child.iterfind(".//td"):
                if cell.getparent().getparent() in (child, *child.iterfind("./tbody")):
                    _walk(cell, grid, tables)  # a layout table around the article: read what it holds
        elif tag == "table":
            tables[0] += 1
            for row in _table_rows(child, tables[0]):
                grid.add_row(row)
        elif len(child) and (child.find(".//table") is not None
                             or any(isinstance(c.tag, str) and c.tag in BLOCK for c in child)):
            if child.text and child.text.strip():
                grid.add_row([Cell(child.text.strip(), f"html <{child.tag}>")])
            _walk(child, grid, tables)
        else:
            content = _text(child)
            if content:
                grid.add_row([Cell(content, f"html <{child.tag}>")])
        if child.tail and child.tail.strip():
            grid.add_row([Cell(child.tail.strip(), f"html after <{child.tag}>")])
