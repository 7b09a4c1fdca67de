"""The stat cache: a report file whose stat did not change since it was hashed is not read again.

`<warehouse>.stats.csv`, beside the warehouse, keeps for every report file of the last look:
size, mtime_ns, inode, ctime_ns and the sha256 found then. A CSV file, written by Python's csv
module and read by DuckDB: neither pyarrow nor pandas is imported for it (they cost an unchanged
refresh of 100,000 files most of a second). The Parquet file of earlier versions
(`<warehouse>.stats.parquet`) is read when there is no CSV file yet, and removed once it is.
It is a fact about the files, not about the warehouse, so it is written by every run whose
look found other bytes than the cache's (a file written, added or removed: a temporary file
renamed over it, so that a kill leaves the old cache or the new one), whether or not the run
goes on to write the warehouse, and in whichever order with it: a refresh that runs dbt writes
it once dbt has its go (0.3 s at 100,000 files, off the path to the go), one that does not at
its end. A look that found the same bytes but other stats (a file that came of age since it was
hashed, see below; one touched or chmod-ed) writes it only when more than `REWRITE_AFTER` such
entries moved: writing all 100,000 entries costs an unchanged refresh 0.3 s, hashing a few files
again costs each later refresh microseconds to milliseconds, until the next change writes them.
The common case is the unchanged refresh right after a changed one, whose changed file was too
young to be trusted then and is old enough now. Not writing keeps the older cache, whose entries
are each as true as when written: a change is no more missed than with a cache that is older.

A cache that is missing, older than the warehouse, or cannot be read or written only costs
reading the files: the plan compares their digests with the warehouse's, so a change is never
missed. `look()` takes the stat of each file of the folder (one
lstat, no read) and reuses the digest when all four are the same; any change (a write, a
`touch`, a chmod, a file replaced by another — new inode —, even one restored with its old
mtime, which still moves ctime) hashes the file again. An unchanged refresh of 100,000
files is then 100,000 lstat calls, not 100,000 reads.

A file written again within the filesystem's timestamp granularity after it was hashed could
keep its stat with other bytes ("racy" entries, as git calls them). So an entry's stat is only
remembered when the file's mtime and ctime are older than the scan's start by `RACY_SECONDS`;
a younger file is hashed again next time, until it is old enough to be trusted (its digest is
remembered, with a stat no file has, so that hashing it again with the same bytes is no change).
"""
from __future__ import annotations

import csv
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
RACY_SECONDS = 2
REWRITE_AFTER = 32  # entries whose stat moved, bytes unchanged, hashed again rather than written (store)
YOUNG: Stat = (-1, 0, 0, 0)  # the stat remembered for a file too young to be trusted: no file has it
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
    stored: bool = False  # this scan's entries written (store): a second store() costs nothing
    restated: int = 0  # entries of this scan whose remembered stat moved (remember)

    def reuse(self, stats: dict[str, Stat]) -> dict[str, str]:
        """The remembered digests of the files in `stats` whose stat is the remembered one, in
        the cache's order (compared as whole dicts first: an unchanged folder of 100,000 files
        costs no loop; else one comparison per file, and no dict built in Python)."""
        if stats == self.stats:
            return dict(self.digests)
        known, out = self.stats, dict(self.digests)
        moved = [rel for rel, stat in stats.items() if known.get(rel) != stat]  # new, or another stat
        if len(known) + sum(rel not in known for rel in moved) != len(stats):  # some left the folder
            for rel in known.keys() - stats.keys():
                del out[rel]
        for rel in moved:
            out.pop(rel, None)
        return out

    def remember(self, stats: dict[str, Stat], digests: dict[str, str], hashed: list[str]) -> None:
        """Keep this scan's entries: the files of `stats` hashed or reused in `digests`, those
        whose mtime and ctime are older than the scan's start by RACY_SECONDS (see the module)
        with their stat; the younger ones with their digest and the stat YOUNG, which no file
        has: hashed again next time, they still tell whether their bytes changed (changed).
        Only the files `hashed` are checked: the others were reused, old enough when remembered
        and older now. Counts the entries whose remembered stat moved (`restated`: see store)."""
        if stats == self.stats and digests == self.digests:
            self.fresh = self.stats, self.digests  # each was old enough when remembered, and is older now
            return
        limit = self.started_ns - RACY_SECONDS * 10**9
        if digests.keys() == stats.keys():  # every file hashed or reused: no loop over them
            kept, remembered = dict(stats), dict(digests)
        else:
            kept = {rel: stat for rel, stat in stats.items() if rel in digests}
            remembered = {rel: digests[rel] for rel in kept}
        for rel in hashed:
            if rel not in kept:
                continue
            stat = kept[rel]
            if not (stat[1] < limit and stat[3] < limit):
                kept[rel] = YOUNG
            if kept[rel] != self.stats.get(rel, YOUNG):
                self.restated += 1
        self.fresh = kept, remembered

    def changed(self) -> bool:
        """Whether this scan (remember) found other files or other bytes than the last one: a
        file written, added or removed. A file only too young to be trusted last time, hashed
        again with the same bytes, is no change (an unchanged refresh right after a change)."""
        return self.fresh is None or self.fresh[1] != self.digests


def cache_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".stats.csv")


def _old_cache_path(warehouse: Path) -> Path:
    """Where versions before the CSV file kept the cache (Parquet)."""
    return Path(warehouse).with_name(Path(warehouse).name + ".stats.parquet")


TYPES = dict(zip(COLUMNS, ("VARCHAR", "BIGINT", "BIGINT", "UBIGINT", "BIGINT", "VARCHAR")))


def _reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")  # a literal: read_csv($1) costs a third of a second more
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in TYPES.items())
    return (f"read_csv('{quoted}', header = true, columns = {{{columns}}}, "
            "quote = '\"', escape = '\"', strict_mode = true)")


def read(warehouse: Path) -> StatCache:
    """The stat cache kept beside `warehouse` (empty when there is none or it cannot be read)."""
    cache = StatCache()
    path = next((p for p in (cache_path(warehouse), _old_cache_path(warehouse)) if p.is_file()), None)
    if path is None:
        return cache
    con = duckdb.connect()
    try:
        rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM {_reader(path)}").fetchall()
    except duckdb.Error:
        return cache
    finally:
        con.close()
    cache.stats = {row[0]: row[1:5] for row in rows}
    cache.digests = {row[0]: row[5] for row in rows}
    return cache


def _writable(name: str) -> bool:
    """A file name UTF-8 can write: a name that is not UTF-8 on disk (read with surrogate escapes)
    is not remembered, and is hashed on every look."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def outdated(cache: StatCache) -> bool:
    """Whether this scan's entries are worth writing over the cache read (see the module): some
    file's bytes changed, came or went, or more than REWRITE_AFTER entries' stats moved."""
    return cache.fresh is not None and (cache.changed() or cache.restated > REWRITE_AFTER)


def store(warehouse: Path, cache: StatCache) -> None:
    """Write this scan's entries when they are worth it (outdated; best effort, see above);
    once per scan."""
    if cache.stored or not outdated(cache):
        return
    cache.stored = True
    path = cache_path(warehouse)
    temporary = path.with_name(path.name + ".tmp")
    stats, digests = cache.fresh
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            writer.writerows((name, *stats[name], digests[name]) for name in sorted(stats) if _writable(name))
        os.replace(temporary, path)
        _old_cache_path(warehouse).unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)
