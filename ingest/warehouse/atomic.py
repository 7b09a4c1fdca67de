"""Build beside the warehouse, then swap the result in with one rename.

Readers (`xxgk query`) only ever see the old file or the new one, never a half-built one, and a
build that fails or is killed leaves the old warehouse untouched. Hold the lock (ingest.warehouse.lock) for
the whole sequence:

    with acquire(warehouse, wait=wait), staged(warehouse, copy_existing=not full) as staging:
        ...ingest into staging, dbt build against staging...
        if every error-severity test passed:
            swap_in(staging, warehouse)
    # otherwise the staging file is removed and the old warehouse stays as it was
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


STAGING_SUFFIX = ".building"


class SwapError(Exception):
    """The staging database cannot be swapped in safely; the message says why."""


def staging_path(warehouse: Path) -> Path:
    """`warehouse.duckdb.building` in the warehouse's folder (same filesystem, so rename is atomic).

    The name is fixed, not per process: only the holder of the warehouse's lock builds, and a
    fixed path keeps dbt's profile the same from build to build, so dbt can reuse its parsed
    project (partial parsing) instead of parsing every model again."""
    return warehouse.with_name(warehouse.name + STAGING_SUFFIX)


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


def leftovers(warehouse: Path) -> list[Path]:
    """What a killed build left beside `warehouse`: its staging file, WAL and spill folder."""
    return [p for p in _companions(staging_path(Path(warehouse))) if p.exists()]


def cleanup_leftovers(warehouse: Path) -> list[Path]:
    """Remove what a killed build left behind; returns the removed paths. Call it only while
    holding the warehouse's lock: then no other build can be writing the staging file."""
    return [p for p in leftovers(warehouse) if _remove(p)]


def copy_to_staging(warehouse: Path, staging: Path) -> None:
    """Start the staging database as a copy of the warehouse (and its WAL, if one was left)."""
    shutil.copyfile(warehouse, staging)
    if wal_path(warehouse).exists():
        shutil.copyfile(wal_path(warehouse), wal_path(staging))


@contextmanager
def staged(warehouse: Path, copy_existing: bool = True) -> Iterator[Path]:
    """Yield a fresh staging path beside `warehouse` (a copy of it when `copy_existing` and it
    exists); whatever is not swapped in is removed on exit, success or failure. Hold the
    warehouse's lock around it: a killed build's leftovers are removed on entry."""
    warehouse = Path(warehouse)
    cleanup_leftovers(warehouse)
    staging = staging_path(warehouse)
    try:
        if copy_existing and warehouse.is_file():
            copy_to_staging(warehouse, staging)
        yield staging
    finally:
        discard(staging)
