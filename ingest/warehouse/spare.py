"""Bring the spare (ingest.warehouse.atomic) up to the live warehouse in place, and say which
report versions its marts must be rebuilt for.

The spare is a complete earlier version: usually the one the last refresh replaced, so one
refresh behind. `catch_up` makes its raw tables equal to the live warehouse's without copying
the file: the report versions whose `raw.reports` row differs between the two (by every column:
status, file, copies, loaded_at — a version parsed again has a new loaded_at) have their rows
in reports, cells, narrative and ambiguous replaced from the live file; the small tables
(failures, runs, manifest, inputs) are copied whole. The refresh then plans and
loads against the spare as it would against the live file.

`record_touched` writes `raw.touched`: every report version whose raw row differs between what
the spare's marts were built from (`remember_basis`, taken before the catch-up) and what it
holds now — the catch-up's versions and this run's. The incremental dbt models rebuild those
(and what depends on them) and keep the rest.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.warehouse import atomic
from ingest.warehouse.load import create_raw, shared_columns

VERSION_TABLES = ("reports", "cells", "narrative", "ambiguous")  # rows keyed by report_id
WHOLE_TABLES = ("failures", "refresh_runs", "manifest", "inputs")
BASIS = "spare_basis"


def open_spare(warehouse: Path, config: dict[str, str]) -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """A writable connection to the spare, marked dirty first; the spare is copied from the
    warehouse when it cannot be written in place. Returns the connection and why it was copied
    (None when it was not)."""
    spare = atomic.spare_path(warehouse)
    reason = atomic.spare_problem(warehouse)
    atomic.mark_dirty(warehouse)
    if reason is None:
        try:
            return duckdb.connect(str(spare), config=config), None
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            reason = "a reader still holds it"
    atomic.recreate_spare(warehouse)
    return duckdb.connect(str(spare), config=config), reason


def remember_basis(con: duckdb.DuckDBPyConnection) -> str | None:
    """Keep (for this connection) the raw.reports rows the spare's marts were built from; return
    the dbt project digest they were built with (raw.inputs), None if unknown."""
    create_raw(con, replace=False)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {BASIS} AS SELECT * FROM raw.reports")
    row = con.execute("SELECT sha256 FROM raw.inputs WHERE input = 'dbt'").fetchone()
    return row[0] if row else None


def _differing(left: str, right: str, columns: list[str]) -> str:
    """SQL for the report_id of every version whose row is not the same in two raw.reports
    tables: compared column by column (`columns`), a version on one side only included. A join
    on report_id: EXCEPT ALL over every column of 100,000 rows took five times as long."""
    row = ", ".join(f"l.{c}" for c in columns), ", ".join(f"r.{c}" for c in columns)
    return (f"SELECT coalesce(l.report_id, r.report_id) AS report_id FROM {left} l FULL JOIN {right} r "
            f"ON l.report_id = r.report_id WHERE row({row[0]}) IS DISTINCT FROM row({row[1]})")


def catch_up(con: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """Make the spare's raw tables those of the live `warehouse`; returns how many report
    versions differed. The rows to copy are found by rowid first: DuckDB reads every column of
    every row for `report_id IN (...)` (the list is only a hint for skipping row groups), which
    took 2 s for a few reports' cells at 100,000 reports, and 0.2 s this way."""
    quoted = str(warehouse).replace("'", "''")  # ATTACH takes no parameters
    con.execute(f"ATTACH '{quoted}' AS live (READ_ONLY)")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE catch_up AS "
                    + _differing("raw.reports", "live.raw.reports", shared_columns(con, "live.raw.reports", "reports")))
        differing = con.execute("SELECT count(*) FROM catch_up").fetchone()[0]
        for table in VERSION_TABLES if differing else ():
            cols = ", ".join(shared_columns(con, f"live.raw.{table}", table))
            con.execute(f"DELETE FROM raw.{table} WHERE report_id IN (SELECT report_id FROM catch_up)")
            con.execute(f"INSERT INTO raw.{table} ({cols}) SELECT {cols} FROM live.raw.{table} WHERE rowid IN "
                        f"(SELECT rowid FROM live.raw.{table} WHERE report_id IN (SELECT report_id FROM catch_up))")
        for table in WHOLE_TABLES:
            cols = ", ".join(shared_columns(con, f"live.raw.{table}", table))
            con.execute(f"DELETE FROM raw.{table}")
            if cols:
                con.execute(f"INSERT INTO raw.{table} ({cols}) SELECT {cols} FROM live.raw.{table}")
    finally:
        con.execute("DETACH live")
    return differing


def record_touched(con: duckdb.DuckDBPyConnection) -> int:
    """Write raw.touched (see the module's doc); returns its row count."""
    differing = _differing("raw.reports", BASIS, shared_columns(con, BASIS, "reports"))
    keep = "report_id, body_name, region_code, year"
    con.execute("DELETE FROM raw.touched")
    con.execute(f"INSERT INTO raw.touched WITH differing AS ({differing}) "
                f"SELECT {keep} FROM raw.reports WHERE report_id IN (FROM differing) "
                f"UNION SELECT {keep} FROM {BASIS} WHERE report_id IN (FROM differing)")
    return con.execute("SELECT count(*) FROM raw.touched").fetchone()[0]
