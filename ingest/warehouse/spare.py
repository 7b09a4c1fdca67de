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
the spare's marts were built from (its raw.reports before the catch-up: the basis) and what it
holds now — the catch-up's versions and this run's. The incremental dbt models rebuild those
(and what depends on them) and keep the rest.

No copy of the basis is kept: after the catch-up the spare's raw.reports equals the live
file's, so the basis is the live file's raw.reports with the catch-up's versions put back as the
spare had them (`spare_basis`, a few rows). The live file stays attached (read only) from the
catch-up to `record_touched`, which detaches it.

Rows are compared by a 64-bit hash of every column, joined on report_id: the join carries two
columns a side instead of eighteen (lists among them), 0.05 s against 0.11–0.15 s for 100,000
rows a side (read only, load average 4). Different hashes prove different rows; a changed row
whose hash stayed the same (a chance of one in 2^64 for each changed version) would be taken as
unchanged.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.warehouse import atomic
from ingest.warehouse.load import create_raw, shared_columns, table_columns

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
    """Return the dbt project digest the spare's marts were built with (raw.inputs), None if
    unknown. Their raw.reports rows are remembered by `catch_up` (the module's doc)."""
    create_raw(con, replace=False)
    row = con.execute("SELECT sha256 FROM raw.inputs WHERE input = 'dbt'").fetchone()
    return row[0] if row else None


def _hashed(table: str, columns: list[str], where: str = "") -> str:
    """SQL for report_id, the hash of `columns` (h) and the body-year of every row of `table`."""
    return f"SELECT report_id, hash({', '.join(columns)}) AS h, body_name, region_code, year FROM {table} {where}"


def _differing(left: str, right: str) -> str:
    """SQL for the report_id of every version whose row (its hash h: `_hashed`) is not the same in
    two queries, a version on one side only included."""
    return (f"SELECT coalesce(l.report_id, r.report_id) AS report_id FROM ({left}) l FULL JOIN ({right}) r "
            "ON l.report_id = r.report_id WHERE l.h IS DISTINCT FROM r.h")


def catch_up(con: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """Make the spare's raw tables those of the live `warehouse`, attached as `live` until
    `record_touched`; returns how many report versions differed. A version's rows are read by
    `report_id IN (catch_up)`: DuckDB skips the row groups whose report_id range holds none of
    them (a build writes the cells in report order, a refresh appends a version's rows
    together), about 100,000 cells read of 20 million. By rowid (`rowid IN (SELECT rowid ...)`)
    it read every row between the first and the last version's: 4.9 million, 1.4 s at load
    average 7, for a version of the build's and one of the last refresh's. A small table is copied only when its
    rows differ (`_same`)."""
    quoted = str(warehouse).replace("'", "''")  # ATTACH takes no parameters
    con.execute(f"ATTACH '{quoted}' AS live (READ_ONLY)")
    try:
        columns = shared_columns(con, "live.raw.reports", "reports")
        con.execute("CREATE OR REPLACE TEMP TABLE catch_up AS "
                    + _differing(_hashed("raw.reports", columns), _hashed("live.raw.reports", columns)))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {BASIS} AS "
                    "SELECT * FROM raw.reports WHERE report_id IN (SELECT report_id FROM catch_up)")
        differing = con.execute("SELECT count(*) FROM catch_up").fetchone()[0]
        for table in VERSION_TABLES if differing else ():
            cols = ", ".join(shared_columns(con, f"live.raw.{table}", table))
            con.execute(f"DELETE FROM raw.{table} WHERE report_id IN (SELECT report_id FROM catch_up)")
            con.execute(f"INSERT INTO raw.{table} ({cols}) SELECT {cols} FROM live.raw.{table} "
                        "WHERE report_id IN (SELECT report_id FROM catch_up)")
        for table in WHOLE_TABLES:
            cols = shared_columns(con, f"live.raw.{table}", table)
            if not _same(con, table, cols):
                con.execute(f"DELETE FROM raw.{table}")
                if cols:
                    con.execute(f"INSERT INTO raw.{table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM live.raw.{table}")
    except BaseException:
        con.execute("DETACH live")
        raise
    return differing


def _same(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> bool:
    """Whether raw.`table` holds the same rows as live.raw.`table` (as a multiset: by their
    count and the sum of their hashes, see the module's doc), when each has no column but
    `columns`. Copying the manifest (100,000 rows) took 0.1–0.6 s, this 0.02 s."""
    if not columns or len(table_columns(con, f"raw.{table}")) != len(columns):
        return False
    digest = f"SELECT count(*), sum(hash({', '.join(columns)})) FROM"
    return con.execute(f"{digest} raw.{table}").fetchone() == con.execute(f"{digest} live.raw.{table}").fetchone()


def record_touched(con: duckdb.DuckDBPyConnection) -> int:
    """Write raw.touched (see the module's doc) and detach the live file; returns its row count."""
    try:
        columns = shared_columns(con, "live.raw.reports", "reports")
        basis = (_hashed("live.raw.reports", columns, "WHERE report_id NOT IN (SELECT report_id FROM catch_up)")
                 + " UNION ALL " + _hashed(BASIS, columns))
        now = _hashed("raw.reports", columns)
        keep = "report_id, body_name, region_code, year"
        con.execute("DELETE FROM raw.touched")
        con.execute(f"INSERT INTO raw.touched WITH basis AS ({basis}), now AS ({now}), "
                    f"differing AS ({_differing('FROM now', 'FROM basis')}) "
                    f"SELECT {keep} FROM now WHERE report_id IN (FROM differing) "
                    f"UNION SELECT {keep} FROM basis WHERE report_id IN (FROM differing)")
    finally:
        con.execute("DETACH live")
    return con.execute("SELECT count(*) FROM raw.touched").fetchone()[0]
