"""`xxgk query`: one read-only query against the warehouse, with two independent guards.

1. sqlglot parses the statement and refuses anything but a single query (SELECT, WITH ... SELECT,
   UNION/INTERSECT/EXCEPT, VALUES, DESCRIBE/SHOW/SUMMARIZE), any statement nested inside it,
   functions that read files or run SQL text, and table names that are file paths or URLs.
   DuckDB's own parser then has to agree that the text is exactly one SELECT-type statement.
2. DuckDB opens the file read-only with external access disabled and the configuration locked,
   so even a query the guard let through cannot write, read files or URLs, or load extensions.

The warehouse is opened per query and closed at once: a refresh swaps it in with a rename.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

SAFE_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "python_enable_replacements": False,  # no scanning Python variables by name
    "lock_configuration": True,  # SET cannot undo any of the above
}
QUERY_TYPES: tuple[type[exp.Expression], ...] = tuple(
    t for t in (getattr(exp, n, None) for n in (
        "Select", "SetOperation", "Union", "Intersect", "Except", "Subquery", "Values",
        "Describe", "Show", "Summarize")) if isinstance(t, type)
)
# Statement nodes that must not appear anywhere in the tree (e.g. WITH d AS (DELETE ... RETURNING)).
STATEMENT_TYPES: tuple[type[exp.Expression], ...] = tuple(
    t for t in (getattr(exp, n, None) for n in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "TruncateTable", "Copy",
        "Attach", "Detach", "Install", "Set", "Pragma", "Command", "Use", "Transaction", "Commit",
        "Rollback", "LoadData", "Export", "Refresh", "Cache", "Uncache", "Analyze", "Into")) if isinstance(t, type)
)
FILE_FUNCTIONS = frozenset({
    "glob", "sniff_csv", "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
    "parquet_kv_metadata", "parquet_bloom_probe", "json_scan", "st_read", "st_read_meta", "iceberg_scan",
    "iceberg_metadata", "iceberg_snapshots", "delta_scan", "sqlite_scan", "postgres_scan", "mysql_scan",
})
SQL_TEXT_FUNCTIONS = frozenset({"query", "query_table"})
TERMINAL_ROWS = 1000


class Refused(Exception):
    """The statement is not a single read-only query. The message starts with "refused:"."""

    def __init__(self, what: str) -> None:
        super().__init__(f"refused: {what}")


class QueryError(Exception):
    """The SQL itself is wrong (syntax, unknown dialect); the message is the parser's."""


@dataclass(frozen=True, slots=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


# --- the guard -------------------------------------------------------------------------------

def _statement_kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, STATEMENT_TYPES):
        return node.key.upper()
    words = node.sql(dialect="duckdb").split(None, 1)
    return words[0].upper() if words else type(node).__name__.upper()


def _function_name(node: exp.Func) -> str:
    return (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()


def _looks_like_path(name: str) -> bool:
    return any(c in name for c in "/\\:.") or name.startswith("~")


def _check_node(node: exp.Expression) -> None:
    if isinstance(node, STATEMENT_TYPES):
        raise Refused(f"{_statement_kind(node)} statement inside the query")
    if isinstance(node, exp.Func):
        name = _function_name(node)
        if name.startswith("read_") or name.endswith(("_scan", "_attach")) or name in FILE_FUNCTIONS:
            raise Refused(f"table function {name} reads files")
        if name in SQL_TEXT_FUNCTIONS:
            raise Refused(f"function {name} runs SQL from a string, which cannot be checked")
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
        if _looks_like_path(node.name):
            raise Refused(f"table name {node.name!r} looks like a file path or URL (DuckDB would read it)")


def _sqlglot_statements(sql: str, dialect: str) -> list[exp.Expression]:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # no "falling back to Command" chatter
    parsed = sqlglot.parse(sql, read=dialect)
    semicolon = getattr(exp, "Semicolon", ())
    return [e for e in parsed if e is not None and not (semicolon and isinstance(e, semicolon))]


def _duckdb_statement_types(sql: str) -> list[str]:
    """Statement types as DuckDB's own parser sees them (raises duckdb.ParserException)."""
    con = duckdb.connect(":memory:", config=SAFE_CONFIG)
    try:
        return [str(s.type).rsplit(".", 1)[-1] for s in con.extract_statements(sql)]
    finally:
        con.close()


def _check_with_duckdb(sql: str) -> None:
    try:
        types = _duckdb_statement_types(sql)
    except duckdb.Error as e:
        raise QueryError(str(e)) from e
    if len(types) != 1:
        raise Refused(f"{len(types)} statements (DuckDB's parser); only one query is allowed")
    if types[0] != "SELECT":
        raise Refused(f"{types[0]} statement")


def check_sql(sql: str, dialect: str = "duckdb") -> str:
    """Return the DuckDB SQL to run, or raise Refused / QueryError."""
    dialect = dialect.lower()
    try:
        statements = _sqlglot_statements(sql, dialect)
    except SqlglotError as e:
        if dialect != "duckdb":
            raise QueryError(f"cannot parse as {dialect}: {e}") from e
        _check_with_duckdb(sql)  # a syntax error, or a statement sqlglot does not know: name it
        raise Refused(f"sqlglot cannot parse this query, so it cannot be checked: {e}") from e
    except ValueError as e:  # sqlglot: unknown dialect
        raise QueryError(f"unknown dialect {dialect!r}: {e}") from e
    if not statements:
        raise QueryError("no SQL statement given")
    if len(statements) > 1:
        raise Refused(f"{len(statements)} statements; only one query is allowed")
    top = statements[0]
    if not isinstance(top, QUERY_TYPES):
        raise Refused(f"{_statement_kind(top)} statement; only a single SELECT query is allowed")
    for node in top.walk():
        _check_node(node)
    duck_sql = sql if dialect == "duckdb" else top.sql(dialect="duckdb")
    _check_with_duckdb(duck_sql)
    return duck_sql


# --- running ---------------------------------------------------------------------------------

def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, external access off, configuration locked."""
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse not found: {warehouse} (run `xxgk build` first)")
    return duckdb.connect(str(warehouse), read_only=True, config=SAFE_CONFIG)


def run_query(warehouse: Path, sql: str) -> Result:
    """Run checked SQL on a fresh read-only connection and close it before returning."""
    con = connect_read_only(warehouse)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in (cur.description or [])]
        return Result(columns, cur.fetchall())
    finally:
        con.close()


# --- output ----------------------------------------------------------------------------------

def unique_columns(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        seen[c] = seen.get(c, 0) + 1
        out.append(c if seen[c] == 1 else f"{c}_{seen[c]}")
    return out


def json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (dt.date, dt.time, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return str(v)


def text_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=json_value)
    return v.isoformat() if isinstance(v, (dt.date, dt.time, dt.datetime)) else str(v)


def excel_value(v: Any) -> Any:
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.replace(tzinfo=None)
    if v is None or isinstance(v, (int, float, Decimal, str, bool, dt.date, dt.time, dt.timedelta)):
        return v
    return text_value(v)


def write_csv(result: Result, out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([text_value(v) for v in row])


def write_json(result: Result, out: TextIO) -> None:
    names = unique_columns(result.columns)
    for row in result.rows:
        out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False, default=json_value) + "\n")


def write_xlsx(result: Result, path: Path) -> None:
    import pandas as pd

    rows = [[excel_value(v) for v in row] for row in result.rows]
    frame = pd.DataFrame.from_records(rows, columns=unique_columns(result.columns))
    frame.to_excel(path, index=False, sheet_name="query", engine="openpyxl")


def write_table(result: Result, out: TextIO, limit: int = TERMINAL_ROWS) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for c in result.columns:
        table.add_column(c, overflow="fold")
    for row in result.rows[:limit]:
        table.add_row(*["NULL" if v is None else text_value(v) for v in row])
    n = len(result.rows)
    table.caption = f"{n} row{'s' if n != 1 else ''}" + (
        f", first {limit} shown (use --csv, --json or --xlsx for all)" if n > limit else "")
    Console(file=out).print(table)


# --- command ---------------------------------------------------------------------------------

def emit(result: Result, args: argparse.Namespace, out: TextIO) -> None:
    try:
        if getattr(args, "xlsx", None):
            write_xlsx(result, Path(args.xlsx))
            print(f"wrote {len(result.rows)} rows to {args.xlsx}", file=sys.stderr)
        elif getattr(args, "csv", False):
            write_csv(result, out)
        elif getattr(args, "json", False):
            write_json(result, out)
        else:
            write_table(result, out)
        out.flush()
    except BrokenPipeError:  # `xxgk query ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def query_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """0 ok; 1 refused or SQL error; 2 warehouse missing or unreadable, bad option."""
    out = out or sys.stdout
    warehouse = Path(args.warehouse)
    try:
        sql = check_sql(args.sql, getattr(args, "dialect", "duckdb") or "duckdb")
    except Refused as e:
        print(f"xxgk query: {e}", file=sys.stderr)
        return 1
    except QueryError as e:
        print(f"xxgk query: error: {e}", file=sys.stderr)
        return 2 if str(e).startswith("unknown dialect") else 1
    try:
        result = run_query(warehouse, sql)
    except FileNotFoundError as e:
        print(f"xxgk query: error: {e}", file=sys.stderr)
        return 2
    except duckdb.IOException as e:
        print(f"xxgk query: error: cannot open warehouse {warehouse}: {e}", file=sys.stderr)
        return 2
    except duckdb.Error as e:
        print(f"xxgk query: error: {e}", file=sys.stderr)
        return 1
    emit(result, args, out)
    return 0
