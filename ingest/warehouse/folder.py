"""The reports folder: which entries are report files, and reading one safely.

Only regular files inside the folder are read. Symbolic links are never followed (a link to a
file inside the folder would read that file twice, one outside reads what is not a report),
and devices, FIFOs and sockets are never opened: each such entry is skipped with the reason.
Hidden entries (`.name`) and the folder's manifest and README are not reports and are passed
over in silence.

A file is opened without following a link (O_NOFOLLOW), without blocking (O_NONBLOCK), checked
to be a regular file inside the folder on the open descriptor, and read up to the size limit
for a report plus one byte: the limit holds for what is read, whatever the file's size says.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ingest.parse import MAX_BYTES
from ingest.warehouse.manifest import MANIFEST_NAME
from ingest.warehouse.statcache import Stat, stat_of

SKIP_NAMES = {MANIFEST_NAME, "README.md", "README.txt"}
BLOCK = 1 << 20
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDOOR, "a door"))


class UnreadableReport(Exception):
    """A report file that cannot be read safely; the message says why (without the file name)."""


@dataclass
class Listing:
    files: dict[str, Stat] = field(default_factory=dict)  # relative POSIX path -> its stat, regular files
    skipped: dict[str, str] = field(default_factory=dict)  # relative path -> why it is not read


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _link_reason(root: Path, path: Path) -> str:
    target = os.readlink(path)
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return f"dangling symbolic link (to {target}, which does not exist)"
    except (RuntimeError, OSError) as exc:  # Python 3.11 raises RuntimeError on a loop
        if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
            return f"symbolic link loop (to {target})"
        return f"symbolic link that cannot be resolved ({exc.strerror or exc})"
    if not resolved.is_relative_to(root):
        return f"symbolic link to {target}, outside the reports folder: not followed"
    where = resolved.relative_to(root).as_posix() or "."
    if resolved.is_dir():
        return f"symbolic link to the folder {where}: not followed (its files are read where they are)"
    return f"symbolic link to {where}: not followed (that file is read under its own name)"


def _walk(root: Path, rel_dir: str, out: Listing) -> None:
    # one lstat per entry and no object per file beyond its name and stat: a refresh of 100,000
    # files lists them all (scan sorts the names once at the end)
    try:
        with os.scandir(root / rel_dir if rel_dir else root) as it:
            entries = list(it)
    except OSError as exc:
        out.skipped[rel_dir or "."] = f"folder cannot be listed: {exc.strerror or exc}"
        return
    prefix = f"{rel_dir}/" if rel_dir else ""
    for entry in entries:
        name = entry.name
        if name[0] == "." or name in SKIP_NAMES:
            continue
        rel = prefix + name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            out.skipped[rel] = f"cannot be examined: {exc.strerror or exc}"
            continue
        mode = st.st_mode
        if stat.S_ISREG(mode):
            out.files[rel] = stat_of(st)
        elif stat.S_ISDIR(mode):
            _walk(root, rel, out)
        elif stat.S_ISLNK(mode):
            out.skipped[rel] = _link_reason(root, Path(entry.path))
        else:
            out.skipped[rel] = f"{_kind(mode)}, not a regular file: not read"


def scan(folder: Path) -> Listing:
    """Every entry under `folder` (recursively, in a stable order): report files and skipped ones."""
    if not folder.is_dir():
        raise FileNotFoundError(f"reports folder {folder} does not exist or is not a folder")
    out = Listing()
    _walk(folder.resolve(), "", out)
    out.files = dict(sorted(out.files.items()))
    return out


def _inside(fd: int, root: str) -> bool:
    """True unless /proc says the open file lies outside `root` (a folder swapped for a link)."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return True  # no /proc: O_NOFOLLOW and the listing are all there is
    return real.startswith(root.rstrip(os.sep) + os.sep)


_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@contextmanager
def open_report(root: Path | str, rel: str) -> Iterator[BinaryIO]:
    """Open `root/rel` for reading only if it is a regular file inside `root` (no link followed).
    `root` must be resolved already (Path.resolve()): it is compared with where the file lies."""
    root = str(root)
    try:
        fd = os.open(os.path.join(root, rel), _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableReport("is a symbolic link: not followed") from exc
        raise UnreadableReport(f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb", buffering=0) as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableReport(f"{_kind(mode)}, not a regular file: not read")
        if not _inside(fd, root):
            raise UnreadableReport("lies outside the reports folder: not read")
        yield fh  # type: ignore[misc]


def _blocks(fh: BinaryIO, limit: int) -> Iterator[bytes]:
    """The file's bytes in blocks, stopping one byte past `limit`."""
    left = limit + 1
    while left > 0:
        block = fh.read(min(BLOCK, left))
        if not block:
            return
        left -= len(block)
        yield block


def too_large(limit: int = MAX_BYTES) -> str:
    return f"over the {limit // 2**20} MiB limit for a report (stopped reading at {limit} bytes)"


def read_report(root: Path | str, rel: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a report file; UnreadableReport when it is not a readable regular file
    inside `root` (resolved) or is larger than `limit`."""
    try:
        with open_report(root, rel) as fh:
            data = b"".join(_blocks(fh, limit))
    except OSError as exc:
        raise UnreadableReport(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise UnreadableReport(too_large(limit))
    return data


def digest_report(root: Path | str, rel: str, limit: int = MAX_BYTES) -> str:
    """sha256 of the file's first `limit` + 1 bytes: its whole content for any file a report can
    be; a larger file keeps one digest while its first bytes stay the same (and fails the same)."""
    digest = hashlib.sha256()
    try:
        with open_report(root, rel) as fh:
            for block in _blocks(fh, limit):
                digest.update(block)
    except OSError as exc:
        raise UnreadableReport(f"cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()
