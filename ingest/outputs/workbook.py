"""Inert workbooks from streamed rows: openpyxl in write-only mode, every text cell stored as text.

Rows are written as they come (openpyxl keeps them in its own temporary files, not in memory),
into a temporary file renamed into place at the end (files.atomic_file): a workbook that cannot
be finished (too many rows, disk full) leaves no file behind.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ingest.i18n import _
from ingest.outputs.cells import CellTally, formula_like, sheet_text, sheet_value
from ingest.outputs.files import OutputError, atomic_file

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a sheet: its header, an optional second header row (a code), its number
    format (`"0.0%"`, `"#,##0"`) and width in characters."""

    name: str
    code: str | None = None
    number_format: str | None = None
    width: float | None = None


@dataclass(frozen=True, slots=True)
class Styled:
    """A value with its own number format, for a column whose format depends on the row."""

    value: Any
    number_format: str | None


@dataclass(slots=True)
class Sheet:
    """One sheet: its title, columns (Column or plain header text) and rows (any iterable; read once)."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any]]
    freeze_header: bool = True
    autofilter: bool = True


@dataclass(slots=True)
class WorkbookSummary:
    """What was written: data rows per sheet, and the cells that had to change (see messages())."""

    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    tally: CellTally = field(default_factory=CellTally)

    def messages(self) -> list[str]:
        return self.tally.messages()


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unused sheet title: no []:*?/\\ characters, at most 31 characters."""
    base = SHEET_TITLE_BAD.sub("_", name).strip("'") or "sheet"
    taken_lower = {t.lower() for t in taken}
    title, n = base[:31], 1
    while title.lower() in taken_lower:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}_{n}"
    return title


def _columns(sheet: Sheet) -> list[Column]:
    columns = [c if isinstance(c, Column) else Column(str(c)) for c in sheet.columns]
    if len(columns) > EXCEL_MAX_COLUMNS:
        raise OutputError(_("sheet {title}: {n:,} columns; an Excel sheet holds at most {EXCEL_MAX_COLUMNS:,}")
                          .format(title=sheet.title, n=len(columns), EXCEL_MAX_COLUMNS=EXCEL_MAX_COLUMNS))
    return columns


def _header(ws: WriteOnlyWorksheet, texts: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in texts:
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


class _RowWriter:
    """Turns a row of Python values into cells: numbers, dates, booleans as such, text as text."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: list[Column], tally: CellTally) -> None:
        self.ws, self.columns, self.tally = ws, columns, tally
        self.formats = [c.number_format for c in columns]
        self.any_format = any(self.formats)

    def cell(self, value: Any, col: int, row_no: int) -> Any:
        own = value.number_format if isinstance(value, Styled) else None
        value = sheet_value(value.value if isinstance(value, Styled) else value)
        if isinstance(value, str):
            value = sheet_text(value, self.tally, lambda: f"{self.ws.title}!{get_column_letter(col + 1)}{row_no}")
            if not formula_like(value):
                return value
            cell = WriteOnlyCell(self.ws, value=value)
            cell.data_type = "s"  # stored as text: never a formula or an error value
            cell.quotePrefix = True  # and stays text when the cell is edited
            return cell
        fmt = own or (self.formats[col] if self.any_format and col < len(self.formats) else None)
        if fmt is None or not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = fmt
        return cell

    def row(self, values: Sequence[Any], row_no: int) -> list[Any]:
        return [self.cell(v, i, row_no) for i, v in enumerate(values)]


def _write_sheet(wb: Workbook, sheet: Sheet, summary: WorkbookSummary) -> None:
    columns = _columns(sheet)
    title = sheet_title(sheet.title, summary.rows)
    ws = wb.create_sheet(title)
    header_rows = 2 if any(c.code for c in columns) else 1
    for i, c in enumerate(columns, 1):
        if c.width:
            ws.column_dimensions[get_column_letter(i)].width = c.width
    if sheet.freeze_header and columns:
        ws.freeze_panes = f"A{header_rows + 1}"
    ws.append(_header(ws, [c.name for c in columns]))
    if header_rows == 2:
        ws.append(_header(ws, [c.code or "" for c in columns]))
    writer, row_no = _RowWriter(ws, columns, summary.tally), header_rows
    for values in sheet.rows:
        row_no += 1
        if row_no > EXCEL_MAX_ROWS:
            raise OutputError(_("sheet {title}: more than {value:,} rows, the most an Excel sheet holds below its "
                                "header; write CSV instead, or select fewer rows")
                              .format(title=title, value=EXCEL_MAX_ROWS - header_rows))
        ws.append(writer.row(values, row_no))
    if sheet.autofilter and columns:
        ws.auto_filter.ref = f"A{header_rows}:{get_column_letter(len(columns))}{max(row_no, header_rows)}"
    summary.rows[title] = row_no - header_rows


def write_workbook(path: Path | str, sheets: Iterable[Sheet], *, force: bool = False,
                   protect: Iterable[Path | str] = ()) -> WorkbookSummary:
    """Write `sheets` to the workbook `path`, whole or not at all.

    Guarantees: every text cell is stored as text (`=...`, `+...`, `-...`, `@...`, `#N/A` never
    become formulas or error values; formula-like text also gets Excel's quote prefix); control
    characters are escaped and overlong text is cut (counted in the summary's messages); NaN and
    Infinity are empty cells; bold header row(s), frozen below the header, autofilter on it.
    Raises OutputError, leaving no file, when the target is refused (files.check_target: missing
    folder, existing file without `force`, the warehouse in `protect`), a sheet has more than
    1,048,576 rows or 16,384 columns, or the disk fills."""
    summary = WorkbookSummary(Path(path))
    with atomic_file(path, force=force, protect=protect) as temp:
        wb = Workbook(write_only=True)
        try:
            for sheet in sheets:
                _write_sheet(wb, sheet, summary)
            if not summary.rows:
                wb.create_sheet("sheet")
        except BaseException:
            _discard(wb)
            raise
        wb.save(temp)
    return summary


def _discard(wb: Workbook) -> None:
    """Close and delete the temporary sheet files of a workbook that will not be saved (openpyxl
    would keep them until the process exits, and complain when their writers are collected)."""
    for ws in wb.worksheets:
        try:
            if not ws.closed:
                ws.close()
            if ws._writer is not None:
                ws._writer.cleanup()
        except Exception:  # noqa: BLE001 - best effort on a workbook already failed; the first error is raised
            pass
