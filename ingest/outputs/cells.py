"""What a value becomes in a spreadsheet cell: data, never a formula, never a broken file.

Spreadsheet programs treat text starting with `=`, `+`, `-` or `@` (and, in CSV, a leading tab
or carriage return) as a formula; report text is controlled by whoever wrote the report or the
manifest, so it must stay text. XML cannot hold most control characters, and a cell holds at
most 32,767 characters.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from ingest.i18n import ngettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_TEXT = 32_767


def formula_like(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula or an error value."""
    return text.startswith(FORMULA_STARTS) or text in ERROR_CODES


def csv_text(text: str) -> str:
    """`text` for a CSV file meant for a spreadsheet: formula-like text gets a leading `'` (the
    spreadsheet convention for "this is text"). Changes the text: use only for such files."""
    return "'" + text if formula_like(text) else text


def escape_control(text: str) -> str:
    """Control characters XML cannot hold, written visibly as `\\xNN`."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_default(v: Any) -> Any:
    """For json.dumps: decimals as numbers, dates as ISO text, bytes as hex, the rest as text."""
    if isinstance(v, Decimal):
        if not v.is_finite():
            return None
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (dt.date, dt.time, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return str(v)


def finite(v: Any) -> Any:
    """NaN and ±Infinity (float or Decimal) as None, recursively through lists and dicts: JSON
    and spreadsheets have no such numbers."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    if isinstance(v, (list, tuple)):
        return [finite(x) for x in v]
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    return v


def plain_text(v: Any) -> str:
    """One value as text for CSV/TSV/terminal: '' for NULL, ISO dates, JSON for lists and maps."""
    if v is None:
        return ""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(finite(v), ensure_ascii=False, default=json_default)
    if isinstance(v, (dt.date, dt.time, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return str(v)


@dataclass(slots=True)
class CellTally:
    """What had to change for cells to fit a workbook, for one message at the end."""

    escaped: int = 0      # cells whose control characters were written as \xNN
    truncated: int = 0    # text cut at 32,767 characters
    first: str = ""       # where the first such cell is (sheet!row:column)

    def note(self, where: str) -> None:
        self.first = self.first or where

    def messages(self) -> list[str]:
        out = []
        if self.escaped:
            out.append(ngettext("{n} cell held control characters, written as \\xNN (first at {first})",
                                "{n} cells held control characters, written as \\xNN (first at {first})",
                                self.escaped).format(n=self.escaped, first=self.first))
        if self.truncated:
            out.append(ngettext("{n} cell longer than {limit:,} characters was cut (first at {first})",
                                "{n} cells longer than {limit:,} characters were cut (first at {first})",
                                self.truncated).format(n=self.truncated, limit=EXCEL_MAX_TEXT, first=self.first))
        return out


def sheet_value(v: Any) -> Any:
    """A value openpyxl can store as data: numbers, booleans, dates and text; NaN/Infinity as empty,
    time zones dropped (Excel has none), lists and maps as JSON text, anything else as text."""
    if isinstance(v, (dt.datetime, dt.time)) and v.tzinfo is not None:
        return v.replace(tzinfo=None)
    if v is None or isinstance(v, (bool, int, str, dt.date, dt.time, dt.timedelta)):
        return v
    if isinstance(v, (float, Decimal)):
        return finite(v)
    return plain_text(v)


def sheet_text(text: str, tally: CellTally, where: Callable[[], str]) -> str:
    """Text that fits a cell: control characters escaped, cut at Excel's limit (both counted;
    `where` names the cell, asked only then)."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = escape_control(text)
        tally.escaped += 1
        tally.note(where())
    if len(text) > EXCEL_MAX_TEXT:
        text = text[:EXCEL_MAX_TEXT]
        tally.truncated += 1
        tally.note(where())
    return text
