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

import duckdb

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
RACY_SECONDS = 2
COLUMNS = ("file", "size", "mtime_ns", "inode", "ctime_ns", "sha256")


def stat_of(st: os.stat_result) -> Stat:
    """The part of a file's lstat that stands for its content."""
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


@dataclass
class StatCache:
    stats: dict[str, Stat] = field(default_factory=dict)  # file -> stat, as read back
    digests: dict[str, str] = field(default_factory=dict)  # file -> sha256, as read back
    fresh: tuple[dict[str, Stat], dict[str, str]] | None = None  # the same of this scan (remember)
    started_ns: int = field(default_factory=time.time_ns)

    def reuse(self, stats: dict[str, Stat]) -> dict[str, str]:
        """The remembered digests of the files in `stats` whose stat is the remembered one
        (compared as whole dicts first: an unchanged folder of 100,000 files costs no loop)."""
        if stats == self.stats:
            return dict(self.digests)
        known = self.stats
        return {rel: self.digests[rel] for rel, stat in stats.items() if known.get(rel) == stat}

    def remember(self, stats: dict[str, Stat], digests: dict[str, str]) -> None:
        """Keep this scan's entries: the files of `stats` hashed or reused in `digests`, those
        whose mtime and ctime are older than the scan's start by RACY_SECONDS (see the module)."""
        if stats == self.stats and digests == self.digests:
            self.fresh = self.stats, self.digests  # each was old enough when remembered, and is older now
            return
        limit = self.started_ns - RACY_SECONDS * 10**9
        kept = {rel: stat for rel, stat in stats.items() if rel in digests and stat[1] < limit and stat[3] < limit}
        self.fresh = kept, {rel: digests[rel] for rel in kept}


    def changed(self) -> bool:
        """Whether this scan (remember) found the folder's stats other than remembered: a file
        written, added or removed (or one too young to be remembered)."""
        return self.fresh != (self.stats, self.digests)


def cache_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".stats.parquet")


def read(warehouse: Path) -> StatCache:
    """The stat cache kept beside `warehouse` (empty when there is none or it cannot be read).
    Read through DuckDB, which a refresh has loaded anyway: pyarrow is imported to write only."""
    cache = StatCache()
    path = cache_path(warehouse)
    if not path.is_file():
        return cache
    con = duckdb.connect()
    try:
        quoted = str(path).replace("'", "''")  # a literal: read_parquet($1) costs a third of a second more
        rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM read_parquet('{quoted}')").fetchall()
    except duckdb.Error:
        return cache
    finally:
        con.close()
    cache.stats = {row[0]: row[1:5] for row in rows}
    cache.digests = {row[0]: row[5] for row in rows}
    return cache


def store(warehouse: Path, cache: StatCache) -> None:
    """Write this scan's entries when they differ from what was read (best effort, see above)."""
    if cache.fresh is None or cache.fresh == (cache.stats, cache.digests):
        return
    import pyarrow as pa  # only here: an unchanged refresh does not pay for the import
    import pyarrow.parquet as pq

    path = cache_path(warehouse)
    temporary = path.with_name(path.name + ".tmp")
    stats, digests = cache.fresh
    files = sorted(stats)
    columns = [files, *([stats[f][i] for f in files] for i in range(4)), [digests[f] for f in files]]
    schema = pa.schema(zip(COLUMNS, (pa.string(), pa.int64(), pa.int64(), pa.uint64(), pa.int64(), pa.string())))
    table = pa.table(dict(zip(COLUMNS, columns)), schema=schema)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, path)
    except (OSError, pa.ArrowException):
        temporary.unlink(missing_ok=True)
