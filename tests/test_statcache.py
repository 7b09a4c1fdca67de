"""The stat cache beside the warehouse (ingest.warehouse.statcache): a file whose stat did not
change since it was hashed is not read again; any change of size, mtime, ctime or inode, and a
file too young to be trusted, is read again; an unreadable cache only costs reading the files."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ingest.warehouse import statcache
from ingest.warehouse.build import look

OLD = 1_600_000_000  # a file time well past the racy margin


def folder(tmp_path: Path) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    (reports / "sub").mkdir(parents=True)
    for name, text in (("a.txt", "甲"), ("sub/b.txt", "乙")):
        (reports / name).write_text(text, encoding="utf-8")
        os.utime(reports / name, (OLD, OLD))
    time.sleep(statcache.RACY_SECONDS + 0.2)  # ctime cannot be set back: let it age past the racy margin
    return reports, tmp_path / "w.duckdb"


def scan_with_cache(reports: Path, warehouse: Path) -> tuple[dict[str, str], set[str]]:
    """(digests, names hashed) of one look at `reports` with the cache beside `warehouse`."""
    cache = statcache.read(warehouse)
    now = look(reports, allow_empty=False, cache=cache)
    statcache.store(warehouse, cache)
    return now.digests, {rel for rel in now.digests if rel not in cache.digests or cache.stats.get(rel) !=
                         statcache.stat_of(os.lstat(reports / rel))}


def test_unchanged_files_are_reused_and_every_kind_of_change_is_hashed_again(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    first, hashed = scan_with_cache(reports, warehouse)
    assert hashed == {"a.txt", "sub/b.txt"} and statcache.cache_path(warehouse).is_file()
    again, hashed = scan_with_cache(reports, warehouse)
    assert (again, hashed) == (first, set())
    assert statcache.read(warehouse).digests == first
    # other bytes of the same size, the old mtime put back: ctime moved, so the file is read again
    (reports / "a.txt").write_text("丙", encoding="utf-8")
    os.utime(reports / "a.txt", (OLD, OLD))
    time.sleep(statcache.RACY_SECONDS + 0.2)
    changed, hashed = scan_with_cache(reports, warehouse)
    assert hashed == {"a.txt"} and changed["a.txt"] != first["a.txt"] and changed["sub/b.txt"] == first["sub/b.txt"]


def test_a_young_file_is_not_remembered_until_it_is_old_enough(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    (reports / "new.txt").write_text("丁", encoding="utf-8")  # written just now: within the racy margin
    scan_with_cache(reports, warehouse)
    assert set(statcache.read(warehouse).digests) == {"a.txt", "sub/b.txt"}


def test_an_unreadable_cache_costs_only_reading_the_files(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    first, _ = scan_with_cache(reports, warehouse)
    statcache.cache_path(warehouse).write_bytes(b"PAR1 not a parquet file")
    assert statcache.read(warehouse).digests == {}
    again, hashed = scan_with_cache(reports, warehouse)
    assert again == first and hashed == {"a.txt", "sub/b.txt"}
    assert statcache.read(warehouse).digests == first  # and it is written whole again
    shutil.rmtree(reports / "sub")
    assert scan_with_cache(reports, warehouse)[0] == {"a.txt": first["a.txt"]}


def test_changed_says_whether_a_look_found_the_folder_other_than_the_cache(tmp_path: Path) -> None:
    """What a refresh starts dbt early on (ingest.warehouse.build): any file written, added or removed."""
    reports, warehouse = folder(tmp_path)

    def changed() -> bool:
        cache = statcache.read(warehouse)
        look(reports, allow_empty=False, cache=cache)
        statcache.store(warehouse, cache)
        return cache.changed()

    assert changed(), "no cache yet"
    assert not changed()
    (reports / "sub" / "b.txt").unlink()
    assert changed()
    assert not changed()
