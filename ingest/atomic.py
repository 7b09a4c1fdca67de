"""Build beside the warehouse, then swap the result in with one rename.

Readers (`xxgk query`) only ever see the old file or the new one, never a half-built one, and a
build that fails or is killed leaves the old warehouse untouched. Hold the lock (ingest.lock) for
the whole sequence:

    with acquire(warehouse, wait=wait), staged(warehouse, copy_existing=not full) as staging:
        ...ingest into staging, dbt build against staging...
        if every error-severity test passed:
            swap_in(staging, warehouse)
    # otherwise the staging file is removed and the old warehouse stays as it was
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ingest.lock import pid_alive

STAGING_MARK = ".building-"


class SwapError(Exception):
    """The staging database cannot be swapped in safely; the message says why."""


def staging_path(warehouse: Path, pid: int | None = None) -> Path:
    """`warehouse.duckdb.building-<pid>` in the warehouse's folder (same filesystem, so rename is atomic)."""
    return warehouse.with_name(f"{warehouse.name}{STAGING_MARK}{os.getpid() if pid is None else pid}")


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _companions(database: Path) -> list[Path]:
    """The file itself, its write-ahead log and DuckDB's spill folder."""
    return [database, wal_path(database), database.with_name(database.name + ".tmp")]


def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        return True
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def discard(staging: Path) -> None:
    """Remove a staging database with its WAL and spill folder (a no-op after swap_in)."""
    for p in _companions(staging):
        _remove(p)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def checkpoint(database: Path) -> None:
    """Fold a leftover WAL into the database file (only for our own staging file, never the live one)."""
    import duckdb

    con = duckdb.connect(str(database))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def swap_in(staging: Path, warehouse: Path) -> None:
    """Make `staging` the warehouse with one os.replace, durable on return.

    Every connection to the staging file must be closed first. A leftover WAL is checkpointed
    into the file (a WAL does not follow a rename). The old warehouse's WAL, if any, is removed
    before the rename so it can never be replayed onto the new file."""
    staging, warehouse = Path(staging), Path(warehouse)
    if not staging.is_file():
        raise SwapError(f"no staging database at {staging}")
    if staging.resolve().parent != warehouse.resolve().parent:
        raise SwapError(f"{staging} is not in the warehouse's folder; the rename would not be atomic")
    if wal_path(staging).exists():
        checkpoint(staging)
    if wal_path(staging).exists():
        raise SwapError(f"{wal_path(staging)} remains after a checkpoint; is a connection still open?")
    fsync_file(staging)
    _remove(wal_path(warehouse))
    os.replace(staging, warehouse)
    fsync_dir(warehouse.resolve().parent)
    _remove(staging.with_name(staging.name + ".tmp"))


def _staging_pid(name: str, warehouse: Path) -> int | None:
    m = re.fullmatch(re.escape(warehouse.name + STAGING_MARK) + r"(\d+)(\.wal|\.tmp)?", name)
    return int(m.group(1)) if m else None


def stale_staging(warehouse: Path) -> list[Path]:
    """Staging files (and their WAL/spill folders) left by builds whose process is gone."""
    found = []
    for p in sorted(warehouse.parent.glob(f"{glob_escape(warehouse.name)}{STAGING_MARK}*")):
        pid = _staging_pid(p.name, warehouse)
        if pid is not None and pid != os.getpid() and not pid_alive(pid):
            found.append(p)
    return found


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def cleanup_stale_staging(warehouse: Path) -> list[Path]:
    """Remove what killed builds left behind; returns the removed paths."""
    return [p for p in stale_staging(warehouse) if _remove(p)]


def copy_to_staging(warehouse: Path, staging: Path) -> None:
    """Start the staging database as a copy of the warehouse (and its WAL, if one was left)."""
    shutil.copyfile(warehouse, staging)
    if wal_path(warehouse).exists():
        shutil.copyfile(wal_path(warehouse), wal_path(staging))


@contextmanager
def staged(warehouse: Path, copy_existing: bool = True) -> Iterator[Path]:
    """Yield a fresh staging path beside `warehouse` (a copy of it when `copy_existing` and it
    exists); whatever is not swapped in is removed on exit, success or failure."""
    warehouse = Path(warehouse)
    cleanup_stale_staging(warehouse)
    staging = staging_path(warehouse)
    discard(staging)
    try:
        if copy_existing and warehouse.is_file():
            copy_to_staging(warehouse, staging)
        yield staging
    finally:
        discard(staging)
