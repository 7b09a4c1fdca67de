"""The grid as one normalized string, so that labels can be found across cell and row borders.

Cells are joined with CELL, rows end with ROW. Normalization maps one character to one
character (full-width digits and brackets to ASCII, curly quotes to straight, white space to a
space), so a position in the stream points back to its cell and source.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.read.grid import Cell, Grid
from ingest.spec import null_markers, unit_suffixes, word_residue, word_residue_starts

CELL, ROW = "\x1f", "\x1e"
GAP = r"[\s\x1f\x1e]*"
_FROM = "（）［］“”＂‘’０１２３４５６７８９．，：；／－＋　\xa0\t\n\r"
_TO = "()[]\"\"\"''0123456789.,:;/-+     "
# No target is itself a source, so replacing one character at a time equals str.translate, and
# is much faster on Chinese text (translate looks every character up in a dict).
_PAIRS = tuple(zip(_FROM, _TO))
assert not set(_FROM) & set(_TO)


def normalize(text: str) -> str:
    """One character for one: full-width forms ASCII, Word residue (seeds/word_residue.csv) spaces."""
    for old, new in _PAIRS:
        text = text.replace(old, new)
    starts = word_residue_starts()
    if starts is not None and not any(ch in text for ch in starts):
        return text
    return word_residue().sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class Stream:
    text: str
    starts: list[int]
    cells: list[Cell]

    def cell_at(self, pos: int) -> Cell | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        return self.cells[i]

    def source(self, start: int, end: int) -> str:
        cell = self.cell_at(start)
        if cell is None:
            return "?"
        last = self.cell_at(max(start, end - 1))
        if last is not None and last.source != cell.source:
            return f"{cell.source} to {last.source}"
        return cell.source

    def printed(self, start: int, end: int) -> tuple[str, str]:
        """(raw, source) of stream[start:end], finding its cell once (this runs for every value).
        The raw text is what the document printed: the whole cell when it is the whole cell."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return "", "?"
        cell, offset = self.cells[i], self.starts[i]
        stop = offset + len(cell.text)
        if start == offset and end == stop or self.text[offset:stop].strip() == self.text[start:end].strip():
            raw = cell.text.strip()
        else:
            raw = cell.text[start - offset:end - offset]
        if i + 1 < len(self.starts) and end - 1 >= self.starts[i + 1]:  # may end in a later cell
            return raw, self.source(start, end)
        return raw, cell.source


def build_stream(grid: Grid) -> Stream:
    """Join every cell with its border and normalize the whole text at once (one char for one)."""
    cells = [cell for row in grid.rows for cell in row]
    raw = "".join([CELL.join([cell.text for cell in row]) + ROW for row in grid.rows if row])
    if raw.count(CELL) + raw.count(ROW) != len(cells):  # a border character inside a cell's text
        raw = "".join([CELL.join([_no_borders(cell.text) for cell in row]) + ROW for row in grid.rows if row])
    starts = list(itertools.accumulate([len(cell.text) + 1 for cell in cells], initial=0))
    starts.pop()
    return Stream(normalize(raw), starts, cells)


def _no_borders(text: str) -> str:
    return text.replace(CELL, " ").replace(ROW, " ")


OPTIONAL = {'"': '"', "'": "'", "、": "[、,.]", ",": "[、,.]", "(": r"\(", ")": r"\)", ":": ":"}


def _body_pattern(label: str) -> str:
    """Characters of a label with white space and cell borders allowed between them; quotes,
    brackets and list commas may be missing (and never swallow the borders after the label)."""
    out = []
    for i, ch in enumerate(c for c in normalize(label) if not c.isspace()):
        gap = "" if i == 0 else GAP
        if ch in OPTIONAL:
            out.append(f"(?:{gap}{OPTIONAL[ch]})?")
        else:
            out.append(gap + re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=None)
def label_pattern(labels: tuple[str, ...], item_no: str = "") -> re.Pattern[str]:
    """A label (and its variants, longest first) matched across cell borders and white space.

    An item number (`1.`, `1、`, `(1)`) may precede the label; it must be exactly `item_no`, so a
    value glued before it (`…00000002.其他…`) is never eaten.
    """
    bodies = [_body_pattern(label) for label in sorted(labels, key=len, reverse=True)]
    prefix = f"(?:\\(?{item_no}{GAP}[.、)]?{GAP})?" if item_no else ""
    return re.compile(prefix + "(?:" + "|".join(bodies) + ")")


@dataclass(slots=True)  # not frozen: made for every cell, and a frozen one is much slower to make
class Token:
    kind: str  # value | empty | text
    text: str
    start: int
    end: int


UNITS = "|".join(re.escape(u.suffix) for u in unit_suffixes())
VALUE_RUN = re.compile(rf"^(?:[0-9 ,.+\-/%]+(?:{UNITS})?)*")  # numbers, each perhaps with its unit
NULL_CELL = frozenset(normalize(m) for m in null_markers())  # a whole cell that means none
BORDERS = re.compile(r"[\x1f\x1e]")


def tokens(stream: Stream, start: int, end: int, cross_rows: bool, flat: bool = False) -> list[Token]:
    """Value, empty and text tokens of stream[start:end], cell by cell.

    The first piece is the rest of the label's own cell: never an empty cell of its own. In
    flattened text a cell that begins with digits and goes on with text gives a value token then
    a text token. Without `cross_rows`, reading stops at the end of the row.
    """
    out: list[Token] = []
    text = stream.text[start:end]
    row_end = text.find(ROW)
    if not cross_rows and row_end >= 0:
        text = text[:row_end]
    pos = start
    for i, piece in enumerate(BORDERS.split(text)):
        if piece.isdigit() or piece in NULL_CELL:  # the common cells: what _cell_tokens makes of them
            out.append(Token("value", piece, pos, pos + len(piece)))
        elif i > 0 or piece.strip():
            out.extend(_cell_tokens(piece, pos, flat))
        pos += len(piece) + 1
    return out


CJK = re.compile(r"[\u4e00-\u9fff]")
YEAR = re.compile(r"(?:19|20)\d\d$")  # a year glued after a table's last value, when 年 follows
ITEM_NO = re.compile(r"\d(\.?)$")  # a digit before `.` or `、` and text: the number of the next item


def _cell_tokens(piece: str, pos: int, flat: bool) -> list[Token]:
    stripped = piece.strip()
    if not stripped:
        return [] if flat else [Token("empty", "", pos, pos + len(piece))]
    offset = pos + piece.index(stripped[0])
    end = offset + len(stripped)
    if stripped.isdigit() or stripped in NULL_CELL:
        return [Token("value", stripped, offset, end)]
    run = VALUE_RUN.match(stripped).group(0)
    if not any(ch.isdigit() for ch in run):
        return [Token("text", stripped, offset, end)]
    if run == stripped or not flat and not CJK.search(stripped):
        return [Token("value", stripped, offset, end)]  # a cell of its own: read whole, so `44?2` is unreadable, not 44
    if not flat:
        return [Token("text", stripped, offset, end)]
    run = run.rstrip()
    if stripped.startswith("年", len(run)) and YEAR.search(run):  # the next paragraph's `2025年，…`
        run = run[:-4].rstrip()
    elif (item := ITEM_NO.search(run)) and (item.group(1) or stripped.startswith(("、", "."), len(run))):
        run = run[:item.start()].rstrip()  # the next row's item number (`00000007.` of `7.…`)
    if not run:
        return [Token("text", stripped, offset, end)]
    out = [Token("value", run, offset, offset + len(run))]
    rest = stripped[len(run):].strip()
    if rest:
        out.append(Token("text", rest, stripped.index(rest[0], len(run)) + offset, end))
    return out
