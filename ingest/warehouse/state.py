"""What the warehouse remembers between runs, read for the refresh plan and written back.

- `seen`: active reports (content → file names), failure rows, the manifest facts applied
  (raw.manifest) and the input digests (raw.inputs) of the last run that succeeded.
- `apply`: retire, rename and clear what the plan says before anything is parsed.
- `remember`: store this run's manifest facts, input digests and the folder's fingerprint.
- `recorded_inputs`, `failure_files`: what an unchanged refresh reads instead of `seen`.
- `carry_over`: a build starts a fresh file but keeps the old warehouse's raw tables, so that
  no superseded or withdrawn version and no run is lost; every current file is parsed again.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.warehouse.load import DDL, RawWriter, column_names, insert_rows, report_id, shared_columns, table_columns
from ingest.warehouse.manifest import Facts
from ingest.warehouse.plan import FOLDER, Now, Plan, Seen


def seen(con: duckdb.DuckDBPyConnection) -> Seen:
    # a list value costs DuckDB a Python list per row, and almost every report has no copy: only
    # non-empty lists are fetched (at 100,000 reports, 0.08 s of 0.14 s)
    reports = {sha: [file, *copies] if copies else [file] for sha, file, copies in con.execute(
        "SELECT sha256, file, CASE WHEN len(copies) > 0 THEN copies END FROM raw.reports "
        "WHERE status = 'active'").fetchall()}
    failures = {file: (sha, error) for file, sha, error in con.execute(
        "SELECT file, sha256, error FROM raw.failures").fetchall()}
    stored = stored_manifest(con)
    manifest: dict[str, Facts] = {file: error if error is not None else (body, code, year, url)
                                  for file, body, code, year, url, error, _ in stored if file is not None}
    whole = all(line is not None for *_, line in stored)
    return Seen(reports, failures, manifest, recorded_inputs(con), stored if whole else None)


def stored_manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """raw.manifest in line order (Manifest.stored_rows); the line is None in a warehouse made
    before lines were kept."""
    line = "line" if "line" in table_columns(con, "raw.manifest") else "NULL::INTEGER"
    return con.execute(f"SELECT file, body_name, region_code, year, source_url, error, {line} FROM raw.manifest "
                       "ORDER BY 7 NULLS LAST").fetchall()


def recorded_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The input digests (and the folder's fingerprint) of the last run that wrote the warehouse."""
    return dict(con.execute("SELECT input, sha256 FROM raw.inputs").fetchall())


def _in(column: str) -> str:
    return f"{column} IN (SELECT unnest($1))"


def apply(con: duckdb.DuckDBPyConnection, work: Plan, writer: RawWriter) -> None:
    """Retire what left the folder, rename what moved, drop what will be parsed again, and
    rewrite the failure rows that changed (parse failures come later, from the parse)."""
    con.execute(f"UPDATE raw.reports SET status = 'superseded' WHERE status = 'active' AND {_in('sha256')}",
                [work.superseded])
    con.execute(f"UPDATE raw.reports SET status = 'withdrawn' WHERE status = 'active' AND {_in('sha256')}",
                [work.withdrawn])
    for sha, names in work.renamed.items():
        con.execute("UPDATE raw.reports SET file = $1, copies = $2 WHERE status = 'active' AND sha256 = $3",
                    [names[0], names[1:], sha])
    parse = set(work.parse)
    ids = [report_id(sha) for sha, names in work.names.items() if names[0] in parse]
    for table in ("cells", "narrative", "ambiguous", "reports"):
        con.execute(f"DELETE FROM raw.{table} WHERE {_in('report_id')}", [ids])
    con.execute(f"DELETE FROM raw.failures WHERE file IS NULL OR NOT {_in('file')}", [work.keep_failures])
    for file, (sha, error) in work.new_failures.items():
        writer.fail(file, sha, error)


def remember(con: duckdb.DuckDBPyConnection, now: Now) -> None:
    if not now.manifest.taken:  # else raw.manifest holds these rows already (Manifest.take)
        con.execute("DELETE FROM raw.manifest")
        insert_rows(con, "manifest", column_names("manifest"), now.manifest.stored_rows())
    con.execute("DELETE FROM raw.inputs")
    con.executemany("INSERT INTO raw.inputs VALUES (?, ?)", [*now.inputs.items(), (FOLDER, now.fingerprint)])


def failure_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [file for (file,) in con.execute("SELECT file FROM raw.failures ORDER BY file").fetchall()]


def carry_over(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Copy the raw tables of `warehouse` (if there is one) into the fresh staging file."""
    if not warehouse.exists():
        return
    quoted = str(warehouse).replace("'", "''")  # ATTACH takes no parameters
    con.execute(f"ATTACH '{quoted}' AS previous (READ_ONLY)")
    try:
        for table in DDL:
            kept = ", ".join(shared_columns(con, f"previous.raw.{table}", table))  # the fresh tables are DDL's
            if kept:
                con.execute(f"INSERT INTO raw.{table} ({kept}) SELECT {kept} FROM previous.raw.{table}")
    finally:
        con.execute("DETACH previous")
