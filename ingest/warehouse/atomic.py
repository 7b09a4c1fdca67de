"""Replace the warehouse so that a reader, a kill -9 or a failure never meets a half-built one.

Two ways in, both holding the warehouse's lock (ingest.warehouse.lock) for the whole sequence.

**A build** (`xxgk build`, or a refresh with no warehouse yet) builds a fresh file at the
spare's path, `<warehouse>.spare` (marked dirty first, the old spare removed), swaps it in with
one rename, then copies it back to the spare (renew_spare):

    with acquire(warehouse, wait=wait):
        with staged_as_spare(warehouse) as staging:
            ...ingest into staging, dbt build against staging...
            if every error-severity test passed:
                swap_in(staging, warehouse)
        # otherwise the staging file is removed and the old warehouse stays as it was
        renew_spare(warehouse)

Why the spare's path: dbt's profile names the file dbt writes, and dbt parses the whole project
again (about 3 s) when the profile differs from the one its saved parse was made with. A build
and a refresh that write the same path share one saved parse, so the first refresh after a
build starts from the build's. A failed or killed build leaves no spare (or a dirty one): the
next refresh copies the warehouse to make one.

**A refresh** never copies the warehouse. Beside it lies a spare, `<warehouse>.spare`: a
complete earlier version (the one the last refresh replaced). The refresh brings the spare up
to the folder's state in place (ingest.warehouse.spare: first the raw rows the live warehouse
gained since, then this run's changes, then dbt), and `swap_spare` exchanges the two:

    os.link(live, old)       # a second name for the live file
    os.replace(spare, live)  # atomic: readers opening `live` now get the new version
    os.replace(old, spare)   # the previous version is the next refresh's spare

At every instant `live` names a complete warehouse, and only `live` is ever opened by readers.

- *Dirty spare*: `<warehouse>.spare.dirty` is written (and fsynced) before the spare is opened
  for writing and removed only after the final rename. A spare that is dirty, missing, has a
  WAL, shares the live file's inode, or cannot be opened for writing because a reader holds it
  is recreated: removed (a reader keeps its inode) and copied from the live file. That is the
  only time a refresh copies the warehouse: after a failed or killed refresh or build, when a
  reader still holds the version the last refresh swapped out, or when the build could not
  leave a spare (a build copies its new warehouse to the spare after its swap, `renew_spare`).
- *Readers holding the old inode*: a read-only DuckDB connection holds a shared lock on its
  file. After a swap the reader's file is the spare; the next refresh's writable open of it
  fails on that lock, and the spare is copied anew instead of being written under the reader.
  The reader keeps reading its snapshot until it closes. (A reader caught between opening the
  file and taking its lock when a refresh opens it gets DuckDB's lock error, never other data.)
- *WAL*: a `.wal` names its database by path, not inode, so it must never be left where it
  could be replayed onto another file. The spare is checkpointed (its WAL folded in) before the
  swap; a WAL beside the live file (only a foreign writer leaves one) is removed before the
  rename, and the spare it belonged to stays marked dirty.
- *kill -9*, step by step: while the spare is written or dbt runs, or before `link`: the live
  file is untouched, the spare dirty (recreated next time). Between `link` and the first
  `replace`: the same, plus a stray `old` name (removed next time: unlinking a name never
  touches the live file). Between the two `replace`s: the live file is the new version, the
  spare missing (copied next time). After them: the new version, a clean spare, a marker that
  costs one needless copy next time. The renames are fsynced with their folder.
- *Lock*: only the lock holder writes the spare, the staging file or the stray names, and it
  removes a killed run's leftovers (`cleanup_leftovers`) before anything else.

Disk: a warehouse takes twice its size at rest (live and spare), as much as a refresh used to
need at its peak for its copy.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


STAGING_SUFFIX = ".building"
SPARE_SUFFIX = ".spare"
DIRTY_SUFFIX = ".spare.dirty"
OLD_SUFFIX = ".old"


class SwapError(Exception):
    """The staging database cannot be swapped in safely; the message says why."""


def staging_path(warehouse: Path) -> Path:
    """`warehouse.duckdb.building` in the warehouse's folder (same filesystem, so rename is atomic):
    where `staged` copies the warehouse to change it (history.record_failed). A build stages at
    the spare's path instead (staged_as_spare). The name is fixed, not per process: only the
    holder of the warehouse's lock writes it, and a killed run's file is found by its name."""
    return warehouse.with_name(warehouse.name + STAGING_SUFFIX)


def spare_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + SPARE_SUFFIX)


def dirty_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + DIRTY_SUFFIX)


def old_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + OLD_SUFFIX)


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
    """What a killed build left beside `warehouse`: its staging file, WAL and spill folder, a
    stray second name of the live file from an interrupted swap_spare, the spare's spill folder."""
    warehouse = Path(warehouse)
    spill = spare_path(warehouse).with_name(spare_path(warehouse).name + ".tmp")
    found = _companions(staging_path(warehouse)) + _companions(old_path(warehouse)) + [spill]
    return [p for p in found if p.exists()]


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
def staged_as_spare(warehouse: Path) -> Iterator[Path]:
    """A build's staging path: the spare's (see the module's doc), marked dirty, with the old
    spare and a killed run's leftovers removed first; whatever is not swapped in is removed on
    exit, success or failure. Hold the warehouse's lock around it."""
    warehouse = Path(warehouse)
    cleanup_leftovers(warehouse)
    mark_dirty(warehouse)
    staging = spare_path(warehouse)
    discard(staging)  # unlinked, never truncated: a reader may still hold the version it names
    try:
        yield staging
    finally:
        discard(staging)


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


def mark_dirty(warehouse: Path) -> None:
    """Say, durably, that the spare is about to be written (see the module's doc)."""
    marker = dirty_path(warehouse)
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(marker.resolve().parent)


def mark_clean(warehouse: Path) -> None:
    """Say, durably, that the spare is whole again (mark_dirty's end)."""
    _remove(dirty_path(warehouse))
    fsync_dir(Path(warehouse).resolve().parent)


def spare_problem(warehouse: Path) -> str | None:
    """Why the spare cannot be written in place (None when it can, as far as files tell)."""
    spare, warehouse = spare_path(warehouse), Path(warehouse)
    if not spare.is_file():
        return "no spare yet"
    if dirty_path(warehouse).exists():
        return "the spare was left half-updated by a failed or killed refresh"
    if wal_path(spare).exists():
        return "the spare has a write-ahead log"
    if warehouse.is_file() and os.stat(spare).st_ino == os.stat(warehouse).st_ino:
        return "the spare is the warehouse itself"
    return None


def recreate_spare(warehouse: Path) -> None:
    """Make the spare a copy of the warehouse. The old spare is unlinked first, never truncated:
    a reader may still hold it. A copy that fails (no space) is removed."""
    spare = spare_path(warehouse)
    discard(spare)
    try:
        shutil.copyfile(warehouse, spare)
        fsync_file(spare)
    except BaseException:
        discard(spare)
        raise


def renew_spare(warehouse: Path) -> None:
    """After a build's swap: make the spare a copy of the new warehouse, so that the next refresh
    writes it in place instead of copying it first. Marked dirty while it is copied: a kill or a
    failure (raised) mid-copy leaves a spare the next refresh recreates."""
    mark_dirty(warehouse)
    recreate_spare(warehouse)
    mark_clean(warehouse)


def swap_spare(warehouse: Path) -> None:
    """Make the updated spare the warehouse and the warehouse the spare (see the module's doc).
    Every connection to the spare must be closed first."""
    warehouse = Path(warehouse)
    spare, old, folder = spare_path(warehouse), old_path(warehouse), warehouse.resolve().parent
    if wal_path(spare).exists():
        checkpoint(spare)
    if wal_path(spare).exists():
        raise SwapError(f"{wal_path(spare)} remains after a checkpoint; is a connection still open?")
    fsync_file(spare)
    foreign_wal = _remove(wal_path(warehouse))
    discard(old)
    os.link(warehouse, old)
    os.replace(spare, warehouse)
    fsync_dir(folder)
    os.replace(old, spare)
    fsync_dir(folder)
    if not foreign_wal:
        mark_clean(warehouse)
    _remove(spare.with_name(spare.name + ".tmp"))
