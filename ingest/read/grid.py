"""The grid: what every reader hands to the extractor.

A reader turns a file into rows of cells in reading order. A paragraph outside any table is a
one-cell row. Each cell keeps its text exactly as the document shows it (no number parsing here)
and a human-readable `source` telling where it came from ("line 57", "table 2 row 4 col 3",
"page 3 line 12"). Readers know file forms, never the report format.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)  # not frozen: one is made for every cell, and frozen ones are slow to make
class Cell:
    text: str
    source: str


@dataclass(slots=True)
class Grid:
    rows: list[list[Cell]] = field(default_factory=list)
    # True when the reader could not see cell borders (flattened web text): one row holds a
    # whole paragraph and numbers of adjacent cells may be glued together.
    flat: bool = False
    # Title found by the reader outside the body (HTML <title>, DOCX core properties), if any.
    title_hint: str | None = None

    def add_row(self, cells: list[Cell]) -> None:
        if cells:
            self.rows.append(cells)


class ReadError(Exception):
    """A file that cannot be read at all; the message says what and where."""
