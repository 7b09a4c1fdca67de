"""Plain text: Word-pasted tables (one cell per tab-indented line, blank line between rows),
rows printed one per line with tab-separated cells, LibreOffice's export (one line per cell),
and flattened web text where the table lost its cell borders."""
from __future__ import annotations

import re

from ingest.read.grid import Cell, Grid, ReadError

ENCODINGS = ("utf-8-sig", "gb18030")
FLAT_LINE = 400  # a line this long with this many digit runs is a table whose borders were lost
FLAT_RUNS = 40
DIGIT_RUN = re.compile(r"\d+")


def decode(data: bytes, strict: bool = True) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if strict:
        raise ReadError("text in an unknown encoding (not UTF-8, UTF-16 or GBK)")
    return data.decode("utf-8", errors="replace")


def _is_flat(lines: list[str]) -> bool:
    if any("\t" in line for line in lines):  # cells separated by tabs: the borders are there
        return False
    return any(len(line) >= FLAT_LINE and len(DIGIT_RUN.findall(line)) >= FLAT_RUNS for line in lines)


def read(data: bytes) -> Grid:
    text = decode(data)
    if "\x00" in text:
        raise ReadError("text contains NUL bytes: binary data, not a report")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    grid = Grid(flat=_is_flat(lines))
    if not grid.flat and not any("\t" in line for line in lines):
        # one cell per line and no row borders at all (LibreOffice's text export): one long row,
        # so that each label's values are the lines after it
        grid.add_row([Cell(line, f"line {n}") for n, line in enumerate(lines, start=1)])
        return grid
    row: list[Cell] = []
    for number, line in enumerate(lines, start=1):
        if "\t" in line[1:]:  # a whole row on one line, cells split by tabs
            grid.add_row(row)
            row = []
            grid.add_row([Cell(text, f"line {number} col {i}") for i, text in enumerate(line.split("\t"), start=1)])
        elif line.startswith("\t"):  # Word paste: one cell per line
            row.append(Cell(line[1:], f"line {number}"))
        elif row and line.strip():
            last = row[-1]  # a cell's text continued on the next line (商业 / 企业)
            row[-1] = Cell(last.text + line.strip(), last.source)
        else:
            grid.add_row(row)
            row = []
            if line.strip():
                grid.add_row([Cell(line, f"line {number}")])
    grid.add_row(row)
    return grid
