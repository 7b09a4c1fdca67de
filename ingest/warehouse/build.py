"""`xxgk build` and `xxgk refresh`: look at the folder → plan → ingest → dbt build → swap.

Nothing is written into the file readers have open: the new version is made beside it and
replaces it by rename only when ingest finished and every error-severity dbt test passed
(ingest.warehouse.atomic). A killed or failed run leaves the previous warehouse as it was; a
failed one is still a row of the run history (ingest.warehouse.history) and one line on the
terminal, with exit status 2.

- A build starts a fresh staging file, carries the old raw tables over (ingest.warehouse.state),
  parses every file again and runs every dbt model from scratch (`--full-refresh`).
- A refresh first looks: file stats against the stat cache beside the warehouse
  (ingest.warehouse.statcache), so an unchanged file is not read, and a plan against the live warehouse opened read-only. When
  nothing changed, that is all: the run waits in `<warehouse>.runs-pending.jsonl` for the next
  run that writes the warehouse (unless failed runs wait there: those are moved in now, by the
  path of a change). Otherwise it updates the spare in place (ingest.warehouse.spare),
  runs dbt there (the incremental models rebuild only the touched reports) and swaps it in.
"""
from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Thread
from typing import Any

import duckdb

from ingest.extract.cellkeys import address_key
from ingest.extract.record import Failure, Number, Record
from ingest.extract.settle import from_siblings, report_key
from ingest.warehouse import atomic, history, inputs, isolate, lock, spare, state, statcache
from ingest.warehouse.dbt import DbtChild, Resources, production, refresh_resources, resources, work_dir
from ingest.warehouse.enrich import Enricher
from ingest.warehouse.failure import RunFailure, step, why
from ingest.warehouse.folder import UnreadableReport, digest_report, scan
from ingest.warehouse.gcpause import paused_gc
from ingest.warehouse.job import parse_job
from ingest.warehouse.load import RawWriter, create_raw, order_cells
from ingest.warehouse.manifest import ManifestError, load_manifest
from ingest.warehouse.plan import Now, Plan, is_settled, plan, settled, take_stored_manifest
from ingest.warehouse.progress import Progress, summary

LOADER_MEMORY = "300MB"


@paused_gc()
def look(folder: Path, allow_empty: bool, cache: statcache.StatCache | None = None) -> Now:
    """What the folder holds now: report files with their digests, skipped entries, manifest.
    A file whose stat is the one in `cache` is not read (its digest is the cached one); the
    cache collects this scan's entries. RunFailure for a missing folder, an empty one (unless
    allowed) or an unusable manifest."""
    if not folder.is_dir():
        raise RunFailure(f"the reports folder {folder} does not exist or is not a folder")
    listing = scan(folder)
    if not listing.files and not allow_empty:
        raise RunFailure(f"the reports folder {folder} holds no report files (not mounted?); refusing to "
                         "empty the warehouse: pass --allow-empty to build from an empty folder")
    try:
        manifest = load_manifest(folder)
    except ManifestError as exc:
        raise RunFailure(f"{exc}: the manifest cannot be used") from exc
    cache = cache if cache is not None else statcache.StatCache()
    stats, root, skipped = listing.files, folder.resolve(), dict(listing.skipped)
    reused = cache.reuse(stats)
    digests: dict[str, str] = dict.fromkeys(stats, "")  # path order, no loop in Python: filled below
    digests.update(reused)
    hashed = [rel for rel in stats if rel not in reused]  # in path order
    for rel in hashed:
        try:
            digests[rel] = digest_report(root, rel)
        except UnreadableReport as exc:
            skipped[rel] = str(exc)
            del digests[rel]
    cache.remember(stats, digests, hashed)
    return Now(digests, dict(sorted(skipped.items())), manifest, inputs.current(manifest))


def ingest(con: duckdb.DuckDBPyConnection, folder: Path, work: Plan, now: Now, progress: Progress,
           writer: RawWriter) -> None:
    """Parse and load every content to parse, each in a worker under the per-file limits;
    records with glued runs that several splits fit wait until everything else is loaded, to
    be settled from other files of the same report."""
    enricher = Enricher(now.manifest)
    held: list[Record] = []
    jobs = [(str(folder.resolve()), name) for name in work.parse]
    for (_, name), result in progress.track(isolate.run(parse_job, jobs), total=len(jobs)):
        sha = now.digests[name]
        if isinstance(result, isolate.Failed):
            result = Failure(name, sha, f"{name}: {result.message}")
        result = enricher.enrich(result)
        if isinstance(result, Failure):
            _fail(writer, progress, work.names[sha], sha, result.error)
            continue
        result.copies = work.names[sha][1:] if result.sha256 == sha else []
        if result.ambiguous:
            held.append(result)
        else:
            writer.add(result)
    writer.flush()
    held.sort(key=lambda rec: rec.file)
    for rec in held:
        from_siblings(rec, loaded_siblings(con, rec) + [(o.file, o.values()) for o in held
                                                        if o is not rec and report_key(o) == report_key(rec)])
        writer.add(rec)
    writer.flush()


def _fail(writer: RawWriter, progress: Progress, names: list[str], sha: str, error: str) -> None:
    """A failure row for every name of a content that failed (the first carries the error)."""
    writer.fail(names[0], sha, error)
    progress.error(error)
    for name in names[1:]:
        writer.fail(name, sha, f"{name}: same content as {names[0]}, which failed")


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


def build_command(folder: Path, warehouse: Path, full: bool, wait: bool = False, allow_empty: bool = False) -> int:
    progress = Progress()
    run = history.new_run("build" if full else "refresh")
    try:
        with lock.acquire(warehouse, wait=wait):
            try:
                return _build(folder, warehouse, full, allow_empty, progress, run)
            except RunFailure as exc:
                message = str(exc)
            except Exception as exc:  # a bug still ends in one line and a row of the history
                message = f"internal error {type(exc).__name__}: {why(exc)}"
            run.update(outcome="failed", message=message[:2000], ended_at=history.now())
            note = history.record_failed(warehouse, run)
            progress.run_failed(f"{run['mode']} failed: {message}; the previous warehouse is untouched "
                                f"({note or 'this run is a row of its history'})")
            return 2
    except lock.LockHeld as exc:
        progress.run_failed(str(exc))
        return 2
    except OSError as exc:  # the lock cannot be taken: a missing or read-only folder
        progress.run_failed(f"{run['mode']} failed: taking the lock {lock.lock_path(warehouse)}: {why(exc)}; "
                            "the previous warehouse is untouched (run not recorded)")
        return 2


def _build(folder: Path, warehouse: Path, full: bool, allow_empty: bool, progress: Progress,
           run: dict[str, Any]) -> int:
    atomic.cleanup_leftovers(warehouse)  # we hold the lock: whatever a killed run left is ours
    cache = statcache.read(warehouse) if not full else statcache.StatCache()
    now = look(folder, allow_empty, cache)
    if not full and warehouse.is_file():
        with DbtChild(atomic.spare_path(warehouse), work_dir(warehouse)) as dbt:
            if cache.changed():  # a file moved: dbt most likely runs, and starts up while the refresh plans
                _start(dbt)
            try:
                return _refresh(folder, warehouse, now, progress, run, dbt, lambda: statcache.store(warehouse, cache))
            finally:  # stored while dbt ran, unless the refresh did not get that far (then it costs nothing)
                statcache.store(warehouse, cache)
    statcache.store(warehouse, cache)
    with atomic.staged_as_spare(warehouse) as staging, DbtChild(staging, work_dir(warehouse)) as dbt:
        with step(f"opening {staging}"):
            con = duckdb.connect(str(staging), config={"memory_limit": LOADER_MEMORY})
        try:
            with step(f"loading into {staging}"):
                _load(con, folder, warehouse, full, now, progress, run)
                cells = cell_count(con)
            _start(dbt)  # once the files are parsed: the parsers and an idle dbt never share the memory
            with step(f"ordering the cells of {staging} by report"):
                order_cells(con)
        finally:
            con.close()
        del now  # the folder's listing, large at 100,000 files: dbt does not need it
        release_memory()
        _dbt(dbt, warehouse, full_refresh=True, using=resources(cells))
        with step(f"finishing {staging}"):
            counts = _finish(staging, run)
        with step(f"replacing {warehouse} with {staging}"):
            atomic.swap_in(staging, warehouse)
    _renew_spare(warehouse, progress)
    history.forget_pending(warehouse)
    summary(run, counts, warehouse)
    return 1 if run["files_failed"] else 0


def _renew_spare(warehouse: Path, progress: Progress) -> None:
    """The new warehouse copied to its spare for the next refresh (atomic.renew_spare). The build
    has succeeded already: a copy that fails (no space) only leaves the copy to that refresh."""
    try:
        with step(f"copying {warehouse} to its spare for the next refresh"):
            atomic.renew_spare(warehouse)
    except RunFailure as exc:
        progress.warn(f"{exc}; the next refresh with a change makes the spare")


def _refresh(folder: Path, warehouse: Path, now: Now, progress: Progress, run: dict[str, Any], dbt: DbtChild,
             meanwhile: Callable[[], None] = lambda: None) -> int:
    """A refresh of an existing warehouse: nothing but a pending history row when nothing
    changed, else the spare updated in place and swapped in (see the module's doc). `dbt`, for
    the spare, may be started already; leaving ends it unless it built. `meanwhile` runs while
    dbt builds (the stat cache's store: off the path to dbt's go)."""
    waiting = history.failures_waiting(warehouse)  # then the run goes on, with the whole plan
    with step(f"reading {warehouse}"):
        work, counts = _plan_against(warehouse, now, may_settle=not waiting)
    if work.is_noop and not waiting:
        _count(run, work, failed=len(work.keep_failures), message="nothing changed: marts kept as they were")
        with step(f"recording the run beside {warehouse}"):
            history.append_pending(warehouse, run)
        summary(run, counts, warehouse)
        return 1 if run["files_failed"] else 0
    target = atomic.spare_path(warehouse)
    _start(dbt)  # dbt will run (if not started already): it starts up while the spare is loaded
    with importing_pandas():  # what the load's first parameter binding needs, imported meanwhile
        with step(f"opening the spare {target} (copying {warehouse} there when it cannot be written in place)"):
            con, copied = spare.open_spare(warehouse, {"memory_limit": LOADER_MEMORY})
        try:
            with step(f"bringing {target} up to {warehouse}"):
                built_with = spare.remember_basis(con)
                spare.catch_up(con, warehouse)
            with step(f"loading into {target}"):  # the spare's raw tables are the warehouse's now: so is its plan
                _load(con, folder, warehouse, False, now, progress, run, work)
                if copied:  # said in the run's message: a failed run's one line stays one line
                    run["message"] = "; ".join(filter(None, [run["message"], f"spare copied from the warehouse ({copied})"]))
                    history.insert(con, [run], replace=True)
                touched = spare.record_touched(con)
                cells = cell_count(con)
        finally:
            con.close()
    release_memory()
    full_refresh = built_with != now.inputs.get("dbt") or "dbt" in work.inputs_changed
    _dbt(dbt, warehouse, full_refresh=full_refresh,
         using=resources(cells) if full_refresh else refresh_resources(cells, touched), meanwhile=meanwhile)
    with step(f"finishing {target}"):
        counts = _finish(target, run)
    with step(f"replacing {warehouse} with {target}"):
        atomic.swap_spare(warehouse)
    history.forget_pending(warehouse)
    summary(run, counts, warehouse)
    return 1 if run["files_failed"] else 0


@paused_gc()
def _plan_against(warehouse: Path, now: Now, may_settle: bool) -> tuple[Plan, dict[str, int]]:
    """The refresh plan against the live warehouse, read-only, and when it has nothing to do the
    summary's counts (a run with work counts its new warehouse instead: 0.17 s at 100,000
    reports). A folder and inputs the warehouse was made from are settled without reading more
    of it (`may_settle`)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if may_settle and is_settled(now, state.recorded_inputs(con)):
            work = settled(now, state.failure_files(con))
        else:
            seen = state.seen(con)
            take_stored_manifest(now, seen)
            work = plan(now, seen)
        return work, counts_of(con) if work.is_noop else {}
    finally:
        con.close()


def _count(run: dict[str, Any], work: Plan, failed: int, message: str) -> None:
    run.update(files_new=len(work.new), files_changed=len(work.changed), files_unchanged=len(work.unchanged),
               files_failed=failed, files_withdrawn=len(work.withdrawn), outcome="success", message=message,
               ended_at=history.now())


def _load(con: duckdb.DuckDBPyConnection, folder: Path, warehouse: Path, full: bool, now: Now,
          progress: Progress, run: dict[str, Any], work: Plan | None = None) -> Plan:
    """Load what the plan says into `con`: `work` when the caller planned against the same raw
    tables already, else planned here."""
    create_raw(con, replace=full)
    if full:
        with step(f"reading the raw tables of {warehouse} (to keep its history; move it aside to start afresh)"):
            state.carry_over(con, warehouse)
    work = work if work is not None else plan(now, state.seen(con), full=full)
    writer = RawWriter(con)
    state.apply(con, work, writer)
    for failure in work.new_failures.values():
        progress.error(failure[1])
    for copy, first in work.copies:
        progress.note(f"{copy}: same bytes as {first}: read once, under the first name")
    missing = now.manifest.missing(set(now.digests) | set(now.skipped))
    for warning in missing:
        progress.warn(warning)
    ingest(con, folder, work, now, progress, writer)
    state.remember(con, now)
    notes = ["" if work.runs_dbt else "nothing changed: marts kept as they were",
             f"{len(work.reapplied)} unchanged files parsed again ({', '.join(work.inputs_changed)} changed)"
             if work.reapplied and not full else "",
             f"{len(missing)} manifest rows name files not in the folder" if missing else ""]
    _count(run, work, failed=writer.failures + len(work.keep_failures), message="; ".join(filter(None, notes)))
    run["files_reapplied"] = 0 if full else len(work.reapplied)
    history.insert(con, history.pending(warehouse) + [run])
    return work


@contextmanager
def importing_pandas() -> Iterator[None]:
    """Import pandas in a thread of its own while the block runs (unless it is imported already),
    and wait for it at the block's end. DuckDB imports it at a connection's first parameter binding
    (to know whether a value is one of its types): 0.3 s of a refresh's load, now spent while the
    spare is opened and caught up, SQL that DuckDB runs without holding the GIL. The wait costs
    nothing once the load has bound a parameter; a run that fails before does not exit in the
    middle of the import (the interpreter's shutdown breaks it, with a traceback)."""
    if "pandas" in sys.modules:
        yield
        return
    thread = Thread(target=_import_pandas, name="import pandas")
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _import_pandas() -> None:
    try:
        import pandas  # noqa: F401
    except ImportError:  # then DuckDB does without it, as it would have
        pass


def _start(dbt: DbtChild) -> None:
    """Start dbt's child ahead of its build (ingest.warehouse.dbt.DbtChild)."""
    with step(f"starting dbt for {dbt.database}"):
        dbt.start()


def _dbt(dbt: DbtChild, warehouse: Path, full_refresh: bool, using: Resources,
         meanwhile: Callable[[], None] = lambda: None) -> None:
    with step(f"running dbt on {dbt.database}"):
        dbt.go(production(full_refresh), using=using, touched_tests=not full_refresh)
        meanwhile()
        result = dbt.wait()
    if not result.ok:
        shown = "; ".join(" ".join(f.split())[:300] for f in result.failures[:3])
        more = f" (+{len(result.failures) - 3} more)" if len(result.failures) > 3 else ""
        raise RunFailure(f"dbt build: {shown}{more} (logs in {work_dir(warehouse) / 'logs'})")


def cell_count(con: duckdb.DuckDBPyConnection) -> int:
    """raw.cells rows: what sizes dbt's threads and memory cap (ingest.warehouse.dbt.resources)."""
    return con.execute("SELECT count(*) FROM raw.cells").fetchone()[0]


def release_memory() -> None:
    """Give back what parsing and loading freed before dbt starts: Arrow's allocator keeps freed
    memory for reuse, and the loader would sit on it while dbt runs beside it."""
    import pyarrow  # imported by the loader's writer already; an unchanged refresh never needs it

    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    try:  # and glibc's heap keeps what Python freed: hand the free pages back to the system
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _finish(staging: Path, run: dict[str, Any]) -> dict[str, int]:
    """Stamp the run's end into the staging file and count what the summary shows. The marts
    are read from the `main` schema, where dbt writes them."""
    con = duckdb.connect(str(staging))
    try:
        run["ended_at"] = history.now()
        con.execute("UPDATE raw.refresh_runs SET ended_at = ? WHERE run_id = ?", [run["ended_at"], run["run_id"]])
        return counts_of(con)
    finally:
        con.close()


def counts_of(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What the summary line counts."""
    def one(sql: str) -> int:
        try:
            return int(con.execute(sql).fetchone()[0])
        except duckdb.Error:
            return -1
    return {"reports": one("SELECT count(*) FROM raw.reports WHERE status = 'active'"),
            "failed": one("SELECT count(*) FROM raw.failures"),
            "breaches": one("SELECT count(*) FROM main.mart_check_results "
                            "WHERE is_current AND severity = 'error' AND status = 'fail'"),
            "body_years": one("SELECT count(*) FROM main.fct_report")}
