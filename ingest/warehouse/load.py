"""Write parse records into the warehouse's raw schema, in bulk (Arrow batches, not row inserts).

The raw schema is the contract with dbt (models/staging/_staging__sources.yml).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

from ingest import PARSER_VERSION
from ingest.extract.cellkeys import key_address
from ingest.extract.record import Failure, Record

# Rows are appended when a batch holds this many cells (about 1,200 reports): an INSERT of at
# least two of DuckDB's row groups (122,880 rows) is written straight into the database file, a
# smaller one goes through the write-ahead log first and is written again at the checkpoint.
CELL_BATCH = 250_000
DDL = {
    "reports": """report_id VARCHAR, file VARCHAR, sha256 VARCHAR, format VARCHAR, layout VARCHAR,
        table3_layout VARCHAR, title VARCHAR, body_name VARCHAR, year INTEGER, region_code VARCHAR, source_url VARCHAR,
        parser_version VARCHAR, loaded_at TIMESTAMP, status VARCHAR, warnings VARCHAR[],
        region_method VARCHAR, region_matched VARCHAR, copies VARCHAR[]""",
    "cells": """report_id VARCHAR, table_no INTEGER, row_code VARCHAR, column_code VARCHAR, value DOUBLE,
        raw_text VARCHAR, source VARCHAR, note VARCHAR""",
    "narrative": "report_id VARCHAR, measure VARCHAR, value DOUBLE, raw_text VARCHAR, source VARCHAR",
    "ambiguous": "report_id VARCHAR, run VARCHAR, source VARCHAR, cells VARCHAR[], options DOUBLE[][]",
    "failures": "file VARCHAR, sha256 VARCHAR, error VARCHAR, loaded_at TIMESTAMP",
    "refresh_runs": """run_id VARCHAR, mode VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
        files_new INTEGER, files_changed INTEGER, files_unchanged INTEGER, files_failed INTEGER,
        files_withdrawn INTEGER, outcome VARCHAR, message VARCHAR""",
    "manifest": """file VARCHAR, body_name VARCHAR, region_code VARCHAR, year INTEGER, source_url VARCHAR,
        error VARCHAR, line INTEGER""",
    "inputs": "input VARCHAR, sha256 VARCHAR",
    # report versions whose raw row changed since the marts were last built, with their body-year
    # before and after (a manifest change can move a version to another body): ingest.warehouse.spare
    "touched": "report_id VARCHAR, body_name VARCHAR, region_code VARCHAR, year INTEGER",
}
REPORT_COLUMNS = ["report_id", "file", "sha256", "format", "layout", "table3_layout", "title", "body_name", "year",
                  "region_code", "source_url", "parser_version", "loaded_at", "status", "warnings",
                  "region_method", "region_matched", "copies"]
RECORD_COLUMNS = ("file", "sha256", "format", "layout", "table3_layout", "title", "body_name", "year",
                  "region_code", "source_url", "status", "warnings", "region_method",
                  "region_matched", "copies")  # taken from the record as they are
CELL_COLUMNS = ["report_id", "table_no", "row_code", "column_code", "value", "raw_text", "source", "note"]
NARRATIVE_COLUMNS = ["report_id", "measure", "value", "raw_text", "source"]
AMBIGUOUS_COLUMNS = ["report_id", "run", "source", "cells", "options"]  # a record's open runs (Record.ambiguous)


def report_id(sha256: str) -> str:
    return sha256[:16]


def column_names(table: str) -> list[str]:
    """The columns of raw.`table` (DDL)."""
    return [part.split()[0] for part in DDL[table].split(",")]


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The columns `table` has in the database, in order; none when there is no such table.
    Read from an empty result: duckdb_columns() binds every view of every attached database,
    which takes over a second in a warehouse of 100,000 reports."""
    try:
        return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    except duckdb.CatalogException:
        return []


def shared_columns(con: duckdb.DuckDBPyConnection, other: str, table: str) -> list[str]:
    """Columns of raw.`table` in the open database that `other` (a table) has too, in order:
    what can be copied from an older or newer warehouse's table, or compared with it."""
    theirs = set(table_columns(con, other))
    return [c for c in table_columns(con, f"raw.{table}") if c in theirs]


def create_raw(con: duckdb.DuckDBPyConnection, replace: bool) -> None:
    """The raw tables; kept ones gain the columns added since they were made. Only what is
    missing is written: a refresh's spare has every table and column already, and the 73
    `CREATE ... IF NOT EXISTS` and `ADD COLUMN IF NOT EXISTS` statements that said so took
    0.05–0.3 s of it (reading the columns: 0.01 s)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in DDL.items():
        have = [] if replace else table_columns(con, f"raw.{table}")
        if not have:
            verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE IF NOT EXISTS"
            con.execute(f"{verb} raw.{table} ({columns})")
        for column in columns.split(","):
            if have and column.split()[0] not in have:
                con.execute(f"ALTER TABLE raw.{table} ADD COLUMN {column.strip()}")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | tuple[str, ...],
                rows: list[tuple]) -> None:
    """Append `rows` to raw.`table` in one statement of lists (executemany inserts row by row:
    seconds for 10,000 rows)."""
    if rows:
        select = ", ".join(f"unnest(${i + 1}) AS {c}" for i, c in enumerate(columns))
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT {select}", [list(values) for values in zip(*rows)])


def order_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite raw.cells ordered by report_id, once a full build has loaded every file: each of
    DuckDB's row groups then holds a narrow range of report versions, and a refresh's filter on
    the touched versions (macro touched_match, through stg_raw__cells) skips the others by their
    min/max instead of reading the whole column (20 M rows at 100,000 reports, a dozen reads a
    refresh). The models joined to the cells as they stream (int_report_values, and
    fct_application_outcome through it) are then written nearly in that order too, at no cost:
    one report's rows sit in a few of int_report_values' 170 row groups (an ORDER BY in the model
    itself runs out of its 900MB with two threads). A refresh appends the touched versions' cells
    together: the order mostly stays."""
    con.execute("CREATE OR REPLACE TABLE raw.cells AS SELECT * FROM raw.cells ORDER BY report_id")


class RawWriter:
    """Collects records column by column and appends them to raw.* one Arrow batch at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, loaded_at: dt.datetime | None = None) -> None:
        self.con = con
        self.loaded_at = loaded_at or dt.datetime.now().replace(microsecond=0)
        self._reports: dict[str, list[Any]] = {c: [] for c in REPORT_COLUMNS}
        self._cells: dict[str, list[Any]] = {c: [] for c in CELL_COLUMNS}
        self._narrative: dict[str, list[Any]] = {c: [] for c in NARRATIVE_COLUMNS}
        self._ambiguous: dict[str, list[Any]] = {c: [] for c in AMBIGUOUS_COLUMNS}
        self._failures: dict[str, list[Any]] = {c: [] for c in ("file", "sha256", "error", "loaded_at")}
        self.reports = self.failures = 0

    def add(self, rec: Record) -> None:
        """A record with its region_code and source_url set by the loader."""
        rid = report_id(rec.sha256)
        for column in RECORD_COLUMNS:
            self._reports[column].append(getattr(rec, column))
        for column, value in (("report_id", rid), ("parser_version", PARSER_VERSION), ("loaded_at", self.loaded_at)):
            self._reports[column].append(value)
        cells = list(rec.cells.values())
        tables, rows, columns = zip(*[key_address(key) for key in rec.cells]) if cells else ((), (), ())
        for column, values in (("report_id", [rid] * len(cells)), ("table_no", tables), ("row_code", rows),
                               ("column_code", columns), ("value", [c.value for c in cells]),
                               ("raw_text", [c.raw for c in cells]), ("source", [c.source for c in cells]),
                               ("note", [c.note for c in cells])):
            self._cells[column].extend(values)
        for measure, found in rec.narrative.items():
            for column, value in zip(NARRATIVE_COLUMNS, (rid, measure, found.value, found.raw, found.source)):
                self._narrative[column].append(value)
        for run in rec.ambiguous:
            for column, value in zip(AMBIGUOUS_COLUMNS, (rid, run.text, run.source, run.cells,
                                                         [list(option) for option in run.options])):
                self._ambiguous[column].append(value)
        self.reports += 1
        if len(self._cells["report_id"]) >= CELL_BATCH:
            self.flush()

    def fail(self, file: str, sha256: str | None, error: str) -> None:
        for column, value in zip(("file", "sha256", "error", "loaded_at"), (file, sha256, error, self.loaded_at)):
            self._failures[column].append(value)
        self.failures += 1

    def flush(self) -> None:
        for table, columns in (("reports", self._reports), ("cells", self._cells),
                               ("narrative", self._narrative), ("ambiguous", self._ambiguous),
                               ("failures", self._failures)):
            if columns[next(iter(columns))]:
                _append(self.con, table, columns)
                for values in columns.values():
                    values.clear()


def _append(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]]) -> None:
    import pyarrow as pa  # imported when first loading: a refresh with nothing to load never needs it

    batch = pa.table({name: pa.array(values, type=_arrow_type(name)) for name, values in columns.items()})
    con.register("_batch", batch)
    try:
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def _arrow_type(name: str) -> pa.DataType | None:
    import pyarrow as pa

    return {"value": pa.float64(), "year": pa.int32(), "table_no": pa.int32(),
            "warnings": pa.list_(pa.string()), "copies": pa.list_(pa.string()),
            "loaded_at": pa.timestamp("s"), "cells": pa.list_(pa.string()),
            "options": pa.list_(pa.list_(pa.float64()))}.get(name, pa.string())


def write_raw(db_path: Path, records: list[Record], failures: list[Failure], replace: bool = True) -> None:
    """Write records and failures into raw.* of `db_path`."""
    con = duckdb.connect(str(db_path))
    try:
        create_raw(con, replace)
        writer = RawWriter(con)
        for rec in records:
            writer.add(rec)
        for failure in failures:
            writer.fail(failure.file, failure.sha256, failure.error)
        writer.flush()
    finally:
        con.close()
