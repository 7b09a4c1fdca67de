"""The stat cache: a report file whose stat did not change since it was hashed is not read again.

`<warehouse>.stats.parquet`, beside the warehouse, keeps for every report file of the last
look: size, mtime_ns, inode, ctime_ns and the sha256 found then. It is a fact about the files,
not about the warehouse, so it is written by every run that hashed something (a temporary file
renamed over it: a kill leaves the old cache or the new one), whether or not the run goes on to
write the warehouse; a cache that cannot be read or written only costs reading the files. `look()` takes the stat of each file of
the folder (one lstat, no read) and reuses the digest when all four are the same; any change
(a write, a `touch`, a chmod, a file replaced by another — new inode —, even one restored with
its old mtime, which still moves ctime) hashes the file again. An unchanged refresh of 100,000
files is then 100,000 lstat calls, not 100,000 reads.

A file written again within the filesystem's timestamp granularity after it was hashed could
keep its stat with other bytes ("racy" entries, as git calls them). So an entry is only
remembered when the file's mtime and ctime are older than the scan's start by `RACY_SECONDS`;
a younger file is hashed again next time, until it is old enough to be trusted.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
RACY_SECONDS = 2
COLUMNS = ("file", "size", "mtime_ns", "inode", "ctime_ns", "sha256")
SCHEMA = pa.schema([("file", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()), ("inode", pa.uint64()),
                    ("ctime_ns", pa.int64()), ("sha256", pa.string())])


def stat_of(path: Path | str, st: os.stat_result | None = None) -> Stat | None:
    """The stat that stands for a file's content (`st`, or an lstat: a link is not followed);
    None if it cannot be taken."""
    try:
        st = st or os.lstat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


@dataclass
class StatCache:
    known: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # file -> (stat, sha256) read back
    fresh: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # file -> (stat, sha256) of this scan
    started_ns: int = field(default_factory=time.time_ns)
    hashed: int = 0  # files read and hashed in this scan

    def lookup(self, rel: str, stat: Stat | None) -> str | None:
        """The digest remembered for `rel` if its stat is the same, else None."""
        entry = self.known.get(rel)
        return entry[1] if entry and stat is not None and entry[0] == stat else None

    def note(self, rel: str, stat: Stat | None, sha256: str, hashed: bool) -> None:
        """Remember `rel`'s digest with the stat taken before it was read (when not racy)."""
        self.hashed += hashed
        limit = self.started_ns - RACY_SECONDS * 10**9
        if stat is not None and stat[1] < limit and stat[3] < limit:
            self.fresh[rel] = (stat, sha256)

    def rows(self) -> list[tuple]:
        return [(rel, *stat, sha) for rel, (stat, sha) in sorted(self.fresh.items())]


def cache_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".stats.parquet")


def read(warehouse: Path) -> StatCache:
    """The stat cache kept beside `warehouse` (empty when there is none or it cannot be read)."""
    cache = StatCache()
    try:
        table = pq.ParquetFile(cache_path(warehouse)).read(columns=list(COLUMNS)).to_pydict()  # no pandas import
    except (OSError, pa.ArrowException):
        return cache
    cache.known = {file: ((size, mtime, inode, ctime), sha) for file, size, mtime, inode, ctime, sha
                   in zip(*(table[c] for c in COLUMNS))}
    return cache


def store(warehouse: Path, cache: StatCache) -> None:
    """Write this scan's entries when they differ from what was read (best effort, see above)."""
    if cache.fresh == cache.known:
        return
    path = cache_path(warehouse)
    temporary = path.with_name(path.name + ".tmp")
    rows = cache.rows()
    columns = {c: [row[i] for row in rows] for i, c in enumerate(COLUMNS)}
    try:
        pq.write_table(pa.table(columns, schema=SCHEMA), temporary)
        os.replace(temporary, path)
    except (OSError, pa.ArrowException):
        temporary.unlink(missing_ok=True)
