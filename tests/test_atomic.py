"""Atomic build: stage beside the warehouse, swap in with one rename, clean up after killed builds."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse.atomic import (
    SwapError, cleanup_leftovers, discard, leftovers, staged, staging_path, swap_in, wal_path,
)
from ingest.query import check_sql, run_query

ROOT = Path(__file__).resolve().parents[1]


def _make_db(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as v", [value])
    con.close()


def _value(path: Path) -> int:
    return run_query(path, check_sql("select v from t")).rows[0][0]


def test_staging_path_is_beside_the_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    # one fixed name, so that dbt sees the same profile every build and can parse partially
    assert staging_path(warehouse) == tmp_path / "warehouse.duckdb.building"


def test_swap_in_replaces_the_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    staging = staging_path(warehouse)
    _make_db(staging, 2)
    swap_in(staging, warehouse)
    assert _value(warehouse) == 2
    assert not staging.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_swap_in_creates_the_first_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with staged(warehouse) as staging:
        _make_db(staging, 5)
        swap_in(staging, warehouse)
    assert _value(warehouse) == 5


def test_reader_keeps_the_old_file_while_it_is_swapped(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        staging = staging_path(warehouse)
        _make_db(staging, 2)
        swap_in(staging, warehouse)
        assert reader.execute("select v from t").fetchone() == (1,)  # the open file is the old inode
    finally:
        reader.close()
    assert _value(warehouse) == 2


def test_failed_build_leaves_the_warehouse_untouched(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    before = warehouse.read_bytes()
    with pytest.raises(RuntimeError):
        with staged(warehouse, copy_existing=True) as staging:
            assert _value(staging) == 1  # started as a copy
            _make_db(staging, 99)
            raise RuntimeError("a test of severity error failed")
    assert warehouse.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_unswapped_staging_is_discarded(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    with staged(warehouse, copy_existing=False) as staging:
        assert not staging.exists()
        _make_db(staging, 2)
    assert _value(warehouse) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_leftover_wal_is_checkpointed_before_the_swap(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    staging = staging_path(warehouse)
    _make_db(staging, 1)
    # a writer that dies without closing: its last commit lives only in the WAL
    code = ("import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); "
            "c.execute('update t set v = 3'); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(staging)], check=True)
    assert wal_path(staging).exists()
    swap_in(staging, warehouse)
    assert not wal_path(staging).exists() and not wal_path(warehouse).exists()
    assert _value(warehouse) == 3


def test_old_warehouse_wal_is_never_replayed_onto_the_new_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    wal_path(warehouse).write_bytes(b"stale wal of the old file")
    staging = staging_path(warehouse)
    _make_db(staging, 2)
    swap_in(staging, warehouse)
    assert not wal_path(warehouse).exists()
    assert _value(warehouse) == 2


def test_swap_in_refuses_a_missing_or_foreign_staging(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(SwapError, match="no staging"):
        swap_in(tmp_path / "nothing", warehouse)
    other = tmp_path / "elsewhere"
    other.mkdir()
    _make_db(other / "x.duckdb", 1)
    with pytest.raises(SwapError, match="not in the warehouse's folder"):
        swap_in(other / "x.duckdb", warehouse)
    assert not warehouse.exists()


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    staging = staging_path(warehouse)
    found = [staging, wal_path(staging)]
    for p in found:
        p.write_bytes(b"half a build")
    spill = staging.with_name(staging.name + ".tmp")
    spill.mkdir()
    (spill / "x").write_bytes(b"spill")
    unrelated = tmp_path / "warehouse.duckdb.building-notes.txt"
    unrelated.write_text("not ours")
    assert set(leftovers(warehouse)) == {*found, spill}
    assert set(cleanup_leftovers(warehouse)) == {*found, spill}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["warehouse.duckdb", unrelated.name])
    assert leftovers(warehouse) == []
    assert _value(warehouse) == 1


def test_discard_is_a_no_op_for_nothing(tmp_path: Path) -> None:
    discard(tmp_path / "never.duckdb.building")


def test_killed_build_never_touches_the_warehouse(tmp_path: Path) -> None:
    """A build process killed mid-way leaves only a staging file, which the next build removes."""
    warehouse = tmp_path / "warehouse.duckdb"
    _make_db(warehouse, 1)
    code = """
import sys, time, duckdb
from pathlib import Path
from ingest.warehouse.atomic import staged
with staged(Path(sys.argv[1])) as s:
    c = duckdb.connect(str(s)); c.execute("update t set v = 2"); c.commit()
    print("building", flush=True); time.sleep(60)
"""
    proc = subprocess.Popen([sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout and proc.stdout.readline().strip() == "building"
    proc.kill()
    proc.wait()
    assert staging_path(warehouse).exists()
    assert _value(warehouse) == 1
    with staged(warehouse) as staging:  # the next build starts from a fresh copy
        assert _value(staging) == 1
