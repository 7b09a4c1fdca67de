"""The guard: a statement gets through only if it is one read-only query built from allowed parts.

sqlglot parses the statement; it must be a single query (SELECT, WITH, set operations, VALUES,
DESCRIBE, SHOW, SUMMARIZE, PIVOT/UNPIVOT) with no statement nested in it. Table functions are
allowed by name (TABLE_FUNCTIONS), not refused by name: anything else that could read a file,
run SQL from a string or reveal the machine is refused. `current_setting` may read only the
settings in SETTINGS. DuckDB's own parser then has to agree that the text is one query.
Table and view names are checked against the open warehouse in catalog.py.
"""
from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ingest.i18n import _
from ingest.query.session import SAFE_CONFIG

# Table functions that compute from their arguments or describe the warehouse's own catalog,
# none of which shows a path. Everything else (read_*, *_scan, glob, query, json_execute_serialized_sql,
# duckdb_settings, duckdb_databases, duckdb_extensions, pragma_database_list, ...) is refused.
TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "repeat", "json_each", "json_tree", "histogram", "histogram_values",
    "duckdb_tables", "duckdb_columns", "duckdb_views", "duckdb_schemas", "duckdb_types", "duckdb_constraints",
    "duckdb_indexes", "duckdb_functions", "duckdb_keywords", "duckdb_dependencies", "duckdb_sequences",
    "pragma_table_info", "pragma_version", "pg_timezone_names",
})
# Settings current_setting() may read; others (temp_directory, home_directory, extension_directory,
# secret_directory, ...) hold machine paths.
SETTINGS = frozenset({
    "enable_external_access", "lock_configuration", "memory_limit", "threads", "timezone", "calendar",
    "default_collation", "default_null_order", "default_order", "max_expression_depth", "access_mode",
})
QUERY_TYPES: tuple[type[exp.Expression], ...] = tuple(
    t for t in (getattr(exp, n, None) for n in (
        "Select", "SetOperation", "Union", "Intersect", "Except", "Subquery", "Values",
        "Describe", "Show", "Summarize", "Pivot")) if isinstance(t, type)
)
# Statement nodes that must not appear anywhere in the tree (e.g. WITH d AS (DELETE ... RETURNING)).
STATEMENT_TYPES: tuple[type[exp.Expression], ...] = tuple(
    t for t in (getattr(exp, n, None) for n in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "TruncateTable", "Copy",
        "Attach", "Detach", "Install", "Set", "Pragma", "Command", "Use", "Transaction", "Commit",
        "Rollback", "LoadData", "Export", "Refresh", "Cache", "Uncache", "Analyze", "Into")) if isinstance(t, type)
)
SHOW_DATABASES = "databases"  # `SHOW DATABASES` lists database names, never their paths
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECURSION_LIMIT = 4000  # enough for ~100 nested parentheses (see _recursion_limit)


class Refused(Exception):
    """The statement is not a single read-only query. The message starts with "refused:"."""

    def __init__(self, what: str) -> None:
        super().__init__(_("refused: {what}").format(what=what))


class QueryError(Exception):
    """The SQL itself is wrong (syntax, unknown dialect, too deep); the message says how."""


class UnknownDialect(QueryError):
    """--dialect names no dialect sqlglot knows (an option error, not an SQL error)."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A statement the guard let through: the DuckDB SQL to run and sqlglot's tree of it."""

    sql: str
    tree: exp.Expression


def _statement_kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, STATEMENT_TYPES):
        return node.key.upper()
    words = node.sql(dialect="duckdb").split(None, 1)
    return words[0].upper() if words else type(node).__name__.upper()


def function_name(node: exp.Func) -> str:
    """DuckDB's name for a function node (`range` stays `range`, not sqlglot's GENERATE_SERIES)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql(dialect="duckdb").split("(", 1)[0].strip().strip('"').lower()


def _cheap_name(node: exp.Func) -> str:
    """The function's name without generating its SQL (every function node is asked)."""
    return (str(node.name) if isinstance(node, exp.Anonymous) else node.sql_name()).lower()


def looks_like_path(name: str) -> bool:
    return any(c in name for c in "/\\:.") or name.startswith("~")


def _is_table_function(node: exp.Expression) -> bool:
    """A function in a FROM position (`FROM f(...)`, `JOIN f(...)`, `LATERAL f(...)`), not in an ON condition."""
    return (isinstance(node, exp.Func) and node.arg_key == "this"
            and isinstance(node.parent, (exp.Table, exp.Lateral, exp.From, exp.Join)))


def _check_setting(node: exp.Func) -> None:
    argument = node.expressions[0] if node.expressions else None
    name = argument.name.lower() if isinstance(argument, exp.Literal) and argument.is_string else None
    if name not in SETTINGS:
        raise Refused(_("current_setting may read only {value} (others show machine paths)")
                      .format(value=', '.join(sorted(SETTINGS))))


def _check_node(node: exp.Expression) -> None:
    if isinstance(node, STATEMENT_TYPES):
        raise Refused(_("{value} statement inside the query").format(value=_statement_kind(node)))
    if _is_table_function(node):
        name = function_name(node)  # type: ignore[arg-type]
        if name not in TABLE_FUNCTIONS:
            raise Refused(_("table function {name} is not allowed (allowed: {value})")
                          .format(name=name, value=', '.join(sorted(TABLE_FUNCTIONS))))
    elif isinstance(node, exp.Func) and _cheap_name(node) == "current_setting":
        _check_setting(node)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier) and looks_like_path(node.name):
        raise Refused(_("table name {name!r} looks like a file path or URL (DuckDB would read it)")
                      .format(name=node.name))
    if isinstance(node, (exp.Describe, exp.Summarize)) and isinstance(node.this, exp.Literal):
        raise Refused(_("{value} of {name!r}: only tables, views and queries are described")
                      .format(value=node.key.upper(), name=node.this.name))


def _sqlglot_statements(sql: str, dialect: str) -> list[exp.Expression]:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # no "falling back to Command" chatter
    parsed = sqlglot.parse(sql, read=dialect)
    semicolon = getattr(exp, "Semicolon", ())
    return [e for e in parsed if e is not None and not (semicolon and isinstance(e, semicolon))]


def _show_command(top: exp.Command, dialect: str) -> exp.Expression:
    """SHOW that sqlglot leaves as a command: `SHOW DATABASES`, or `SHOW x`, which is `DESCRIBE x`."""
    what = top.expression.name if isinstance(top.expression, exp.Literal) else str(top.expression or "")
    if what.strip().rstrip(";").strip().lower() == SHOW_DATABASES:
        return exp.Show(this=SHOW_DATABASES.upper())
    described = _sqlglot_statements(f"describe {what}", dialect)
    if len(described) != 1 or not isinstance(described[0], exp.Describe):
        raise Refused(_("SHOW {value}: only SHOW DATABASES, SHOW TABLES and SHOW <table or query> are allowed")
                      .format(value=what.strip()))
    return described[0]


def _duckdb_statement_types(sql: str) -> list[tuple[str, str]]:
    """(type, text) of each statement as DuckDB's own parser sees it (raises duckdb.Error)."""
    con = duckdb.connect(":memory:", config=SAFE_CONFIG)
    try:
        return [(str(s.type).rsplit(".", 1)[-1], s.query) for s in con.extract_statements(sql)]
    finally:
        con.close()


def _check_with_duckdb(sql: str, pivots: bool) -> None:
    try:
        statements = _duckdb_statement_types(sql)
    except duckdb.Error as e:
        raise QueryError(str(e)) from e
    # DuckDB turns a PIVOT without an IN list into CREATE TYPE statements of its own (no text of
    # the user's) ahead of the query: temporary enum types, nothing written to the warehouse.
    own = [t for t, text in statements if t == "CREATE" and not text.strip()] if pivots else []
    rest = statements[len(own):]
    if len(rest) != 1:
        raise Refused(_("{n} statements (DuckDB's parser); only one query is allowed").format(n=len(rest)))
    if rest[0][0] != "SELECT":
        raise Refused(_("{value} statement").format(value=rest[0][0]))


def _plain(error: SqlglotError) -> str:
    """sqlglot's message without the terminal underline it puts around the bad token."""
    return ANSI.sub("", str(error))


def _top_statement(sql: str, dialect: str) -> exp.Expression:
    try:
        statements = _sqlglot_statements(sql, dialect)
    except SqlglotError as e:
        if dialect != "duckdb":
            raise QueryError(_("cannot parse as {dialect}: {value}").format(dialect=dialect, value=_plain(e))) from e
        _check_with_duckdb(sql, pivots=True)  # a syntax error, or a statement sqlglot does not know: name it
        pivot = sql.lstrip().lower().startswith(("pivot", "unpivot"))
        hint = _(" (write a PIVOT with ORDER BY or LIMIT as WITH p AS (PIVOT ...) SELECT * FROM p ORDER BY ...)") if pivot else ""
        raise Refused(_("sqlglot cannot parse this query, so it cannot be checked{hint}: {value}")
                      .format(hint=hint, value=_plain(e))) from e
    except ValueError as e:  # sqlglot: unknown dialect
        raise UnknownDialect(_("unknown dialect {dialect!r}: {e}").format(dialect=dialect, e=e)) from e
    if not statements:
        raise QueryError(_("no SQL statement given"))
    if len(statements) > 1:
        raise Refused(_("{n} statements; only one query is allowed").format(n=len(statements)))
    top = statements[0]
    if isinstance(top, exp.Command) and str(top.this).lower() == "show":
        top = _show_command(top, dialect)
    if not isinstance(top, QUERY_TYPES):
        raise Refused(_("{value} statement; only a single SELECT query is allowed")
                      .format(value=_statement_kind(top)))
    return top


@contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    """sqlglot parses recursively, about twenty Python frames per parenthesis: Python's default
    limit of 1,000 stops at some 45 levels. Python 3.11 keeps such frames off the C stack."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def inspect_sql(sql: str, dialect: str = "duckdb") -> Checked:
    """The DuckDB SQL to run and its tree, or raise Refused / QueryError."""
    dialect = dialect.lower()
    try:
        with _recursion_limit(RECURSION_LIMIT):
            top = _top_statement(sql, dialect)
            for node in top.walk():
                _check_node(node)
            duck_sql = sql if dialect == "duckdb" else top.sql(dialect="duckdb")
    except RecursionError:
        raise QueryError(_("the query is nested too deeply to be checked (about 100 levels of parentheses "
                         "at most); write deep nesting as CTEs (WITH)")) from None
    _check_with_duckdb(duck_sql, pivots=any(True for _ in top.find_all(exp.Pivot)))
    return Checked(duck_sql, top)


def check_sql(sql: str, dialect: str = "duckdb") -> str:
    """Return the DuckDB SQL to run, or raise Refused / QueryError."""
    return inspect_sql(sql, dialect).sql
