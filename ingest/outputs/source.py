"""The warehouse as the report, the letter and the export read it: read-only, marts and reference only.

One connection per command, opened read-only with external access off (ingest.query.session), so
a refresh can swap the warehouse in meanwhile and nothing here can write a file through DuckDB.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ingest.i18n import _
from ingest.query.session import WarehouseError, connect_read_only

NEEDED = ("mart_body_year_metrics", "mart_check_findings", "mart_load_issues", "mart_peer_benchmarks", "dim_body")


class SourceError(Exception):
    """The warehouse cannot answer: missing, too old, or nothing matches what was asked."""


@contextmanager
def warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse at `path`, closed afterwards; SourceError when it is
    missing, unreadable or lacks the marts (built by an older version)."""
    if not path.is_file():
        raise SourceError(_("no warehouse at {path}; run `xxgk build` first").format(path=path))
    try:
        con = connect_read_only(path)
    except (WarehouseError, duckdb.Error) as e:
        raise SourceError(_("cannot open the warehouse {path}: {reason}").format(path=path, reason=e)) from e
    try:
        have = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        missing = [t for t in NEEDED if t not in have]
        if missing:
            raise SourceError(_("the warehouse {path} has no {tables}: rebuild it with `xxgk build`").format(
                path=path, tables=", ".join(missing)))
        yield con
    finally:
        con.close()


def records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
            ) -> list[dict[str, Any]]:
    """The rows of a query as dicts by column name (`params`: positional `?`, or named `$name`, of
    which those the query does not name are left out)."""
    if isinstance(params, Mapping):
        named = set(re.findall(r"\$(\w+)", sql))
        cur = con.execute(sql, {k: v for k, v in params.items() if k in named})
    else:
        cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def headline_metrics(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The ranked metrics of reference.metrics (code, name, definition, kind, higher_is_better), in order."""
    return records(con, "select metric_code, metric_name, definition, kind, higher_is_better from reference.metrics "
                        "where ranked order by position")


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage for people (`28.0%`); an empty value as an en dash."""
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def points(change: float | None) -> str:
    """A change of a ratio in percentage points for people (`+4.6 pp`, `+4.6 个百分点`)."""
    return "–" if change is None else _("{change:+.1f} pp").format(change=change * 100)


def number(value: Any) -> str:
    """A count or an amount as printed: whole numbers without a fraction (`75`, not `75.0000`)."""
    if value is None:
        return "–"
    if float(value) == int(value):
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")
