"""Reports as text pasted out of Word (or copied from a web page).

word_paste (like corpus/shitai_2024_word_paste.txt): every paragraph on its own line; a table row
is one line per cell, each starting with a tab, a blank line after each row and one more after
the table. A cell is printed once however many columns it spans, and a position covered by a
merged cell from the row above prints as an empty cell, as Word does. A cell whose text has a
line break continues on the next line without a tab (商业/企业).

tab_rows: one line per table row with its cells joined by tabs, as a browser copies an HTML
table: positions covered from the row above are not printed and line breaks inside cells vanish.
"""
from __future__ import annotations

from tests.render.model import Para, Table, VCell, document
from tests.render.style import Style

GOBACK = "[bookmark: _GoBack]"


def layout_rows(table: Table) -> list[list[VCell | None]]:
    """Rows in visual order with None where a cell from an earlier row covers the position."""
    covered: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, colspan)
    out: list[list[VCell | None]] = []
    for row in table.rows:
        line: list[VCell | None] = []
        col = 0
        cells = list(row)

        def flush_covered() -> None:
            nonlocal col
            while col in covered:
                left, span = covered[col]
                line.append(None)
                if left == 1:
                    del covered[col]
                else:
                    covered[col] = (left - 1, span)
                col += span

        for cell in cells:
            flush_covered()
            line.append(cell)
            if cell.rowspan > 1:
                covered[col] = (cell.rowspan - 1, cell.colspan)
            col += cell.colspan
        flush_covered()
        while any(start >= col for start in covered):  # covered positions at the end of the row
            start = min(s for s in covered if s >= col)
            col = start
            flush_covered()
        out.append(line)
    return out


def _goback_target(blocks: list, style: Style) -> int | None:
    if not style.goback:
        return None
    count = sum(1 for b in blocks if isinstance(b, Table) for r in b.rows for c in r if c.value)
    return style.rng("goback").randrange(count) if count else None


def render_text(record: dict, style: Style) -> str:
    """The report as Word-pasted (or browser-copied) text, lines joined with style.newline."""
    blocks = document(record, style)
    target = _goback_target(blocks, style)
    lines: list[str] = []
    value_no = 0
    for block in blocks:
        if isinstance(block, Para):
            lines.append(block.text)
            if block.role == "title" and style.text_layout == "word_paste":
                lines.append(" ")
            continue
        for row in layout_rows(block):
            texts = []
            for cell in row:
                text = "" if cell is None else cell.text
                if cell is not None and cell.value:
                    if value_no == target:
                        text = GOBACK + text
                    value_no += 1
                texts.append(text)
            if style.text_layout == "tab_rows":
                lines.append("\t".join(t.replace("\n", "") for t in texts))
            else:
                lines.extend("\t" + t for t in texts)
                lines.append("")
        if style.text_layout == "word_paste":
            lines.append("")
    return style.newline.join(lines) + style.newline


def text_bytes(record: dict, style: Style) -> bytes:
    return render_text(record, style).encode(style.encoding)
