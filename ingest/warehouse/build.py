"""`xxgk build` and `xxgk refresh`: ingest → dbt build → swap, and nothing else.

Everything happens in a staging file beside the warehouse; it replaces the warehouse with one
rename only when ingest finished and every error-severity dbt test passed. A killed or failed
build leaves the previous warehouse as it was.
"""
from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa

from ingest.warehouse import atomic, lock
from ingest.warehouse.folder import Plan, plan
from ingest.warehouse.dbt import PRODUCTION, dbt_build, work_dir
from ingest.warehouse.enrich import Enricher
from ingest.warehouse.load import RawWriter, create_raw, report_id
from ingest.parse import parse_path
from ingest.warehouse.progress import Progress, summary
from ingest.extract.cellkeys import address_key
from ingest.extract.record import Failure, Number, Record
from ingest.extract.settle import from_siblings, report_key

LOADER_MEMORY = "300MB"
POOL_FROM = 64  # below this many files a process pool costs more than it saves


def _parse_one(job: tuple[str, str]) -> Record | Failure:
    path, rel = job
    return parse_path(Path(path), rel)


def parse_all(folder: Path, files: list[str]) -> Iterator[Record | Failure]:
    jobs = [(str(folder / rel), rel) for rel in files]
    if len(jobs) < POOL_FROM or (os.cpu_count() or 1) < 2:
        yield from map(_parse_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        yield from pool.map(_parse_one, jobs, chunksize=16)


def previous_files(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str]]:
    """({file: sha256} of active reports, {file: sha256} of files that failed) in the warehouse."""
    reports = con.execute("SELECT file, sha256 FROM raw.reports WHERE status = 'active'").fetchall()
    failed = con.execute("SELECT file, sha256 FROM raw.failures").fetchall()
    return dict(reports), {f: s for f, s in failed if s}


def retire(con: duckdb.DuckDBPyConnection, work: Plan) -> None:
    """Changed files' old versions are superseded, removed files withdrawn; failures re-tried."""
    touched = work.changed + work.withdrawn + work.new + work.gone
    con.execute("UPDATE raw.reports SET status = 'superseded' WHERE status = 'active' AND file IN (SELECT unnest($1))",
                [work.changed])
    con.execute("UPDATE raw.reports SET status = 'withdrawn' WHERE status = 'active' AND file IN (SELECT unnest($1))",
                [work.withdrawn])
    con.execute("DELETE FROM raw.failures WHERE file IN (SELECT unnest($1))", [touched])
    ids = [report_id(work.digests[f]) for f in work.to_parse]  # a file back to an older version
    for table in ("cells", "narrative", "ambiguous", "reports"):
        con.execute(f"DELETE FROM raw.{table} WHERE report_id IN (SELECT unnest($1))", [ids])


def ingest(con: duckdb.DuckDBPyConnection, folder: Path, work: Plan, progress: Progress) -> RawWriter:
    """Parse and load every file to parse; records with glued runs that several splits fit wait
    until everything else is loaded, to be settled from other files of the same report."""
    writer = RawWriter(con)
    enricher = Enricher(folder, known=dict(con.execute(
        "SELECT sha256, file FROM raw.reports WHERE status = 'active'").fetchall()))
    held: list[Record] = []
    for rec in progress.track(parse_all(folder, work.to_parse), total=len(work.to_parse)):
        result = enricher.enrich(rec)
        if isinstance(result, Failure):
            writer.fail(result.file, result.sha256, result.error)
            progress.error(result.error)
        elif result.ambiguous:
            held.append(result)
        else:
            writer.add(result)
    writer.flush()
    for rec in held:
        from_siblings(rec, loaded_siblings(con, rec) + [(o.file, o.values()) for o in held
                                                        if o is not rec and report_key(o) == report_key(rec)])
        writer.add(rec)
    writer.flush()
    return writer


def loaded_siblings(con: duckdb.DuckDBPyConnection, rec: Record) -> list[tuple[str, dict[str, Number | None]]]:
    """(file, cell values) of the active loaded reports of the same body (name and region),
    year and layouts (settle.report_key)."""
    key = report_key(rec)
    if key is None:
        return []
    body, year, layout, t3_layout = key
    rows = con.execute("""SELECT r.file, c.table_no, c.row_code, c.column_code, c.value
        FROM raw.reports r JOIN raw.cells c USING (report_id)
        WHERE r.status = 'active' AND r.body_name = ? AND r.region_code IS NOT DISTINCT FROM ? AND r.year = ?
          AND r.layout = ? AND coalesce(r.table3_layout, r.layout) = ? AND r.sha256 <> ?""",
                       [body.name, body.region_code, year, layout, t3_layout, rec.sha256]).fetchall()
    out: dict[str, dict[str, Number | None]] = {}
    for file, *address, value in rows:
        out.setdefault(file, {})[address_key(rec.layout, *address)] = value
    return list(out.items())


def record_run(con: duckdb.DuckDBPyConnection, log: Path, run: dict[str, Any]) -> None:
    """raw.refresh_runs = every run in the log beside the warehouse, plus this one."""
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if log.exists() else []
    con.execute("DELETE FROM raw.refresh_runs")
    for r in runs + [run]:
        con.execute("INSERT INTO raw.refresh_runs BY NAME SELECT * FROM (SELECT " +
                    ", ".join(f"${i + 1} AS {k}" for i, k in enumerate(r)) + ")", list(r.values()))


def build_command(folder: Path, warehouse: Path, full: bool, wait: bool = False) -> int:
    progress = Progress()
    try:
        with lock.acquire(warehouse, wait=wait):
            return _build(folder, warehouse, full, progress)
    except lock.LockHeld as exc:
        print(f"xxgk: {exc}", file=sys.stderr)
        return 2


def _build(folder: Path, warehouse: Path, full: bool, progress: Progress) -> int:
    started = dt.datetime.now().replace(microsecond=0)
    log = warehouse.with_name(warehouse.name + ".runs.jsonl")
    run: dict[str, Any] = {"run_id": started.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}",
                           "mode": "build" if full else "refresh", "started_at": started.isoformat()}
    with atomic.staged(warehouse, copy_existing=not full) as staging:
        con = duckdb.connect(str(staging), config={"memory_limit": LOADER_MEMORY})
        try:
            create_raw(con, replace=full)
            work = plan(folder, *previous_files(con))
            retire(con, work)
            writer = ingest(con, folder, work, progress)
            skip_dbt = not full and work.nothing_to_do
            run.update(files_new=len(work.new), files_changed=len(work.changed), files_unchanged=len(work.unchanged),
                       files_failed=writer.failures + len(work.still_failing), files_withdrawn=len(work.withdrawn),
                       outcome="success", message="nothing changed: marts kept as they were" if skip_dbt else "",
                       ended_at=dt.datetime.now().replace(microsecond=0).isoformat())
            record_run(con, log, run)
        finally:
            con.close()
        release_memory()
        if not skip_dbt:
            result = dbt_build(staging, PRODUCTION, work=work_dir(warehouse))
            if not result.ok:
                run.update(outcome="failed", message="; ".join(result.failures)[:2000])
                _append_log(log, run)
                progress.fail(result.failures)
                return 2
        counts = _counts(staging)
        atomic.swap_in(staging, warehouse)
    _append_log(log, run)
    summary(run, counts, warehouse)
    return 1 if run["files_failed"] else 0


def release_memory() -> None:
    """Give back what parsing and loading freed before dbt starts: Arrow's allocator keeps freed
    memory for reuse, and the loader would sit on it while dbt runs beside it."""
    gc.collect()
    pa.default_memory_pool().release_unused()


def _append_log(log: Path, run: dict[str, Any]) -> None:
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(run, ensure_ascii=False, default=str) + "\n")


def _counts(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        def one(sql: str) -> int:
            try:
                return int(con.execute(sql).fetchone()[0])
            except duckdb.Error:
                return -1
        return {"reports": one("SELECT count(*) FROM raw.reports WHERE status = 'active'"),
                "failed": one("SELECT count(*) FROM raw.failures"),
                "breaches": one("SELECT count(*) FROM main.mart_check_results WHERE status = 'fail'"),
                "body_years": one("SELECT count(*) FROM main.fct_report")}
    finally:
        con.close()
