"""What `xxgk query` prints or writes, from rows fetched in batches.

A terminal gets a drawn table of the first TERMINAL_ROWS rows (only those are fetched); a pipe
gets TSV unless a format is asked for; CSV, TSV and JSON lines stream every row; --xlsx writes an
inert workbook through ingest.outputs. Text from the warehouse is never read as markup or as
terminal control sequences.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from ingest.i18n import _, ngettext
from ingest.outputs.cells import finite, json_default, plain_text
from ingest.outputs.workbook import Sheet, WorkbookSummary, write_workbook
from ingest.query.session import Rows

TERMINAL_ROWS = 1000
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TSV_SPECIAL = re.compile(r"[\\\t\n\r]")
TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# DuckDB types whose Python values print as the text we want (str(v) == plain_text(v)): the CSV
# writer takes them as they come; the others (timestamps, lists, structs, blobs) are converted.
NATIVE_TYPES = frozenset({"boolean", "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint",
                          "uinteger", "ubigint", "uhugeint", "float", "double", "decimal", "varchar", "date", "time",
                          "uuid", "interval"})
ColumnConverter = Callable[[Sequence[Any]], Sequence[Any]]


def unique_columns(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        seen[c] = seen.get(c, 0) + 1
        out.append(c if seen[c] == 1 else f"{c}_{seen[c]}")
    return out


def terminal_text(v: Any) -> str:
    """A value for the terminal: NULL spelled out, control characters shown as \\xNN."""
    text = "NULL" if v is None else plain_text(v)
    return TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def tsv_text(v: Any) -> str:
    """A value for TSV: '' for NULL; backslash, tab and line breaks escaped so a row is one line."""
    return plain_text(v).translate(TSV_ESCAPES)


def write_table(rows: Rows, out: TextIO, limit: int = TERMINAL_ROWS) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    batch = rows.fetch(limit + 1)
    table = Table(show_header=True, header_style="bold")
    for c in rows.columns:
        table.add_column(Text(terminal_text(c)), overflow="fold")
    for row in batch[:limit]:
        table.add_row(*[Text(terminal_text(v)) for v in row])
    n = len(batch)
    console = Console(file=out, highlight=False)
    console.print(table)
    said = (_("first {limit} rows shown; the rest were not fetched (use --csv, --tsv, --json or --xlsx for all)")
            .format(limit=limit) if n > limit else ngettext("{n} row", "{n} rows", n).format(n=n))
    console.print(Text(said, style="dim"))


def _tsv_escaped(column: Sequence[str | None]) -> Sequence[str | None]:
    """A text column with TSV escapes; tested whole first, as most columns need none."""
    if not TSV_SPECIAL.search("".join(filter(None, column))):
        return column
    return [v.translate(TSV_ESCAPES) if v else v for v in column]


def _as_text(column: Sequence[Any]) -> list[str]:
    return [plain_text(v) for v in column]


def _tsv_column(type_id: str) -> ColumnConverter | None:
    if type_id == "varchar":
        return _tsv_escaped
    return None if type_id in NATIVE_TYPES else _as_tsv


def _as_tsv(column: Sequence[Any]) -> list[str]:
    return [tsv_text(v) for v in column]


def _converted(batches: Iterable[list[tuple[Any, ...]]], converters: list[ColumnConverter | None]
               ) -> Iterator[Iterable[Sequence[Any]]]:
    """Each batch with its columns passed through their converters, a whole column at a time; a
    batch no converter changed is passed on as it came."""
    active = [(i, convert, itemgetter(i)) for i, convert in enumerate(converters) if convert is not None]
    for batch in batches:
        changed = {}
        for i, convert, get in active:
            column = list(map(get, batch))
            if (new := convert(column)) is not column:
                changed[i] = new
        if not changed:
            yield batch
            continue
        columns: list[Sequence[Any]] = list(zip(*batch))
        for i, new in changed.items():
            columns[i] = new
        yield zip(*columns)


def write_csv(rows: Rows, out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(rows.columns)
    for batch in _converted(rows.batches(), [None if t in NATIVE_TYPES else _as_text for t in rows.types]):
        w.writerows(batch)


def write_tsv(rows: Rows, out: TextIO) -> None:
    # every tab and line break is escaped first; the writer refuses any that is left
    w = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, escapechar=None, lineterminator="\n")
    w.writerow([tsv_text(c) for c in rows.columns])
    for batch in _converted(rows.batches(), [_tsv_column(t) for t in rows.types]):
        w.writerows(batch)


def write_json(rows: Rows, out: TextIO) -> None:
    names = unique_columns(rows.columns)
    for batch in rows.batches():
        out.writelines(json.dumps(dict(zip(names, finite(list(row)))), ensure_ascii=False, allow_nan=False,
                                  default=json_default) + "\n" for row in batch)


def write_xlsx(rows: Rows, path: Path, *, force: bool, protect: Iterable[Path]) -> WorkbookSummary:
    return write_workbook(path, [Sheet("query", rows.columns, iter(rows))], force=force, protect=protect)
