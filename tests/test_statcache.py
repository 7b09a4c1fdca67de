"""The stat cache beside the warehouse (ingest.warehouse.statcache): a file whose stat did not
change since it was hashed is not read again; any change of size, mtime, ctime or inode, and a
file too young to be trusted, is read again; an unreadable cache only costs reading the files."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

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
    trusted = {rel for rel, stat in statcache.read(warehouse).stats.items() if stat != statcache.YOUNG}
    assert trusted == {"a.txt", "sub/b.txt"}
    assert scan_with_cache(reports, warehouse)[1] == {"new.txt"}  # hashed again, until old enough


def test_a_young_file_hashed_again_with_the_same_bytes_is_no_change(tmp_path: Path) -> None:
    # an unchanged refresh right after a change must not start dbt (ingest.warehouse.build)
    reports, warehouse = folder(tmp_path)
    scan_with_cache(reports, warehouse)
    (reports / "new.txt").write_text("丁", encoding="utf-8")
    cache = statcache.read(warehouse)
    look(reports, allow_empty=False, cache=cache)
    statcache.store(warehouse, cache)
    assert cache.changed()
    time.sleep(statcache.RACY_SECONDS + 0.2)  # old enough now: its stat is remembered this time
    cache = statcache.read(warehouse)
    look(reports, allow_empty=False, cache=cache)
    statcache.store(warehouse, cache)
    assert not cache.changed() and cache.restated == 1  # old enough now, and one entry is not worth a rewrite
    assert statcache.read(warehouse).stats["new.txt"] == statcache.YOUNG
    assert scan_with_cache(reports, warehouse)[1] == {"new.txt"}
    (reports / "new.txt").write_text("戊", encoding="utf-8")
    cache = statcache.read(warehouse)
    look(reports, allow_empty=False, cache=cache)
    assert cache.changed()


def test_a_few_entries_come_of_age_are_hashed_again_not_written_many_are_written(tmp_path: Path) -> None:
    # an unchanged refresh right after a change would rewrite every entry for the changed file
    # that came of age (0.3 s at 100,000 files): up to REWRITE_AFTER such files are hashed again
    reports, warehouse = folder(tmp_path)
    path = statcache.cache_path(warehouse)

    def written() -> tuple[int, int]:
        return path.stat().st_ino, path.stat().st_mtime_ns

    def young(names: list[str], text: str) -> None:
        for name in names:
            (reports / name).write_text(text, encoding="utf-8")
        scan_with_cache(reports, warehouse)  # their bytes are new: written, as too young to trust
        before = written()
        scan_with_cache(reports, warehouse)
        assert written() == before  # still too young: nothing new to write
        time.sleep(statcache.RACY_SECONDS + 0.2)

    young(["new.txt"], "丁")
    before = written()
    digests, hashed = scan_with_cache(reports, warehouse)
    assert written() == before and hashed == {"new.txt"} and statcache.read(warehouse).digests == digests
    (reports / "new.txt").write_text("戊", encoding="utf-8")  # its entry never written of age: the change is seen
    changed, hashed = scan_with_cache(reports, warehouse)
    assert hashed == {"new.txt"} and changed["new.txt"] != digests["new.txt"] and written() != before
    (reports / "many").mkdir()
    young([f"many/{n}.txt" for n in range(statcache.REWRITE_AFTER + 1)], "己")
    before = written()
    scan_with_cache(reports, warehouse)
    assert written() != before and statcache.YOUNG not in statcache.read(warehouse).stats.values()
    assert scan_with_cache(reports, warehouse)[1] == set()


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


def test_names_that_csv_must_quote_come_back_as_they_were(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    for name in ('逗号,引号".txt', "换行\n名.txt", " 前后空格 .txt", "制表\t符.txt"):
        (reports / name).write_text(name, encoding="utf-8")
    first, _ = scan_with_cache(reports, warehouse)
    young = {rel for rel, stat in statcache.read(warehouse).stats.items() if stat == statcache.YOUNG}
    assert len(first) == 6 and len(young) == 4  # the new ones are too young yet
    time.sleep(statcache.RACY_SECONDS + 0.2)
    again, _ = scan_with_cache(reports, warehouse)
    assert statcache.read(warehouse).digests == again and len(again) == 6


def test_a_name_that_is_not_utf8_is_hashed_each_time_and_the_rest_is_remembered(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    os.close(os.open(os.fsencode(reports) + b"/gbk-\xb1\xa8\xb8\xe6.txt", os.O_WRONLY | os.O_CREAT))
    time.sleep(statcache.RACY_SECONDS + 0.2)
    digests, _ = scan_with_cache(reports, warehouse)
    remembered = statcache.read(warehouse).digests
    assert len(digests) == 3 and remembered == {k: v for k, v in digests.items() if k.isascii()}


def test_the_parquet_cache_of_earlier_versions_is_read_then_replaced(tmp_path: Path) -> None:
    reports, warehouse = folder(tmp_path)
    first, _ = scan_with_cache(reports, warehouse)
    old = warehouse.with_name(warehouse.name + ".stats.parquet")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{statcache.cache_path(warehouse)}')) TO '{old}' (FORMAT parquet)")
    con.close()
    statcache.cache_path(warehouse).unlink()
    assert statcache.read(warehouse).digests == first
    _, hashed = scan_with_cache(reports, warehouse)
    assert hashed == set() and old.exists() and not statcache.cache_path(warehouse).exists()  # nothing to write
    (reports / "c.txt").write_text("丙", encoding="utf-8")
    time.sleep(statcache.RACY_SECONDS + 0.2)
    scan_with_cache(reports, warehouse)
    assert statcache.cache_path(warehouse).is_file() and not old.exists()


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
