"""The run history: every build and refresh, failed ones included, is a row of raw.refresh_runs
in the warehouse (mart_refresh_runs shows it).

A run that succeeds writes its row into the staging file it swaps in. A run that fails discards
its staging file, so `record_failed` writes the row into the warehouse by a second, small swap:
a copy of the warehouse with the row added. When even that is impossible (no space left, a
read-only or immutable warehouse, a file DuckDB cannot open, no warehouse yet), the row waits
in `<warehouse>.runs-pending.jsonl`; the next run that writes the warehouse moves it in and
removes the file. Only rows not yet moved in live outside the warehouse. (The run log of older
versions, `<warehouse>.runs.jsonl`, is moved in the same way, once.)
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb

from ingest.warehouse import atomic
from ingest.warehouse.load import column_names, create_raw

PENDING_SUFFIX = ".runs-pending.jsonl"
LEGACY_SUFFIX = ".runs.jsonl"
RUN_COLUMNS = column_names("refresh_runs")


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def new_run(mode: str) -> dict[str, Any]:
    started = dt.datetime.now().replace(microsecond=0)
    return {"run_id": started.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}", "mode": mode,
            "started_at": started.isoformat()}


def journals(warehouse: Path) -> list[Path]:
    return [warehouse.with_name(warehouse.name + suffix) for suffix in (LEGACY_SUFFIX, PENDING_SUFFIX)]


def pending(warehouse: Path) -> list[dict[str, Any]]:
    """Runs waiting outside the warehouse (unreadable lines are passed over)."""
    runs = []
    for path in journals(warehouse):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            try:
                run = json.loads(line)
            except ValueError:
                continue
            if isinstance(run, dict) and run.get("run_id"):
                runs.append(run)
    return runs


def insert(con: duckdb.DuckDBPyConnection, runs: list[dict[str, Any]], replace: bool = False) -> None:
    """Add runs to raw.refresh_runs, each once (by run_id); `replace` rewrites rows already there."""
    for run in runs:
        if replace:
            con.execute("DELETE FROM raw.refresh_runs WHERE run_id = ?", [run["run_id"]])
        row = {k: run.get(k) for k in RUN_COLUMNS}
        select = ", ".join(f"${i + 1} AS {k}" for i, k in enumerate(row))
        con.execute(f"INSERT INTO raw.refresh_runs BY NAME SELECT * FROM (SELECT {select}) AS r "
                    "WHERE NOT EXISTS (SELECT 1 FROM raw.refresh_runs AS o WHERE o.run_id = r.run_id)",
                    list(row.values()))


def forget_pending(warehouse: Path) -> None:
    """Remove the pending runs' files once the warehouse holds their rows."""
    for path in journals(warehouse):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def failures_waiting(warehouse: Path) -> bool:
    """True when a run that is not a success waits outside the warehouse."""
    return any(run.get("outcome") != "success" for run in pending(warehouse))


def append_pending(warehouse: Path, run: dict[str, Any]) -> Path:
    """Leave a run in `<warehouse>.runs-pending.jsonl` (fsynced) for the next run that writes the
    warehouse to move in: an unchanged refresh writes nothing else."""
    return _append(warehouse, run)


def _append(warehouse: Path, run: dict[str, Any]) -> Path:
    path = journals(warehouse)[-1]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(run, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def record_failed(warehouse: Path, run: dict[str, Any]) -> str | None:
    """Record a failed run in the warehouse (see the module's doc). Call it holding the lock.
    None when recorded there, else a note saying where the row went or why it could not go."""
    try:
        if not warehouse.is_file():
            raise FileNotFoundError(f"no warehouse at {warehouse} yet")
        with atomic.staged(warehouse, copy_existing=True) as staging:
            con = duckdb.connect(str(staging))
            try:
                create_raw(con, replace=False)
                insert(con, pending(warehouse) + [run])
            finally:
                con.close()
            atomic.swap_in(staging, warehouse)
        forget_pending(warehouse)
        return None
    except (OSError, duckdb.Error, atomic.SwapError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
    try:
        return f"run recorded in {_append(warehouse, run)} until the warehouse can be written ({why})"
    except OSError as exc:
        return f"run not recorded: {exc.strerror or exc}"
