"""Output files that are never half-written and never land on the wrong file.

`check_target` vets a path before any work is done; `atomic_file` hands out a temporary file in
the target's own folder and renames it into place only when the writer finished, so a reader
(or Excel) sees the old file or the whole new one, and a failure (disk full, a bad cell, Ctrl-C)
leaves no partial file behind.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.i18n import _

DUCKDB_COMPANIONS = (".wal",)  # files DuckDB keeps beside a database, protected with it


class OutputError(Exception):
    """An output cannot be written; the message names the file and what is wrong."""


def _protected(paths: Iterable[Path]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out += [p, *(p.with_name(p.name + suffix) for suffix in DUCKDB_COMPANIONS)]
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: compare where they would be
        return a.resolve() == b.resolve()


def check_target(path: Path | str, *, force: bool = False, protect: Iterable[Path | str] = ()) -> Path:
    """Return `path` if a file may be written there, else raise OutputError saying why.

    Refused whatever `force` says: a missing folder, a target that is a folder, and any of
    `protect` (the warehouse being read, with its WAL), also reached through a link or another
    spelling of the path. An existing file is refused unless `force`."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(_("{path}: folder {folder} does not exist").format(path=path, folder=folder))
    if path.is_dir():
        raise OutputError(_("{path} is a folder, not a file").format(path=path))
    for guarded in _protected(map(Path, protect)):
        if _same_file(path, guarded):
            raise OutputError(_("{path} is the warehouse being read (or its WAL); it is never overwritten")
                              .format(path=path))
    if path.exists() and not force:
        raise OutputError(_("{path} already exists (use --force to replace it)").format(path=path))
    return path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _publish(temp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails if the target appeared meanwhile: never clobbers
    except FileExistsError:
        raise OutputError(_("{target} already exists (use --force to replace it)").format(target=target)) from None
    except OSError:  # a filesystem without hard links
        if target.exists():
            raise OutputError(_("{target} already exists (use --force to replace it)")
                              .format(target=target)) from None
        os.replace(temp, target)
        return
    temp.unlink()


@contextmanager
def atomic_file(path: Path | str, *, force: bool = False, protect: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error, the temporary
    file (flushed to disk, usual permissions) becomes `path` with one rename.

    The target is checked first (`check_target`); on any exception, KeyboardInterrupt included,
    the temporary file is removed and an existing target is left as it was. OSError from the
    block (disk full, permissions) becomes OutputError naming `path` and the reason."""
    target = check_target(path, force=force, protect=protect)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(temp, _default_mode())
        check_target(target, force=force, protect=protect)
        _publish(temp, target, force)
    except OSError as e:
        raise OutputError(_("cannot write {target}: {value}").format(target=target, value=e.strerror or e)) from e
    finally:
        temp.unlink(missing_ok=True)
