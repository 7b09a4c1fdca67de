"""A query's whole result in memory, for Python callers and tests (the command streams instead)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.query.catalog import check_relations
from ingest.query.guard import inspect_sql
from ingest.query.limits import DEFAULT_LIMITS, Limits
from ingest.query.session import open_query


@dataclass(frozen=True, slots=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(warehouse: Path, sql: str, limits: Limits = DEFAULT_LIMITS) -> Result:
    """Run SQL (already passed through check_sql) on a fresh read-only connection within `limits`,
    after checking its table names against the warehouse; the connection is closed on return."""
    checked = inspect_sql(sql)
    with open_query(Path(warehouse), limits) as session:
        check_relations(session.con, checked.tree)
        rows = session.run(checked.sql)
        return Result(rows.columns, list(rows))
