"""Refresh: only what changed is parsed, removed reports are withdrawn, a killed or failed build
leaves the previous warehouse as it was, and two refreshes never run at once."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse import build, spare, statcache
from ingest.warehouse.build import build_command, look
from ingest.warehouse.dbt import DbtChild

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "reports"


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def answers(warehouse: Path) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return (con.execute("select count(*) from fct_report").fetchone()[0],
                con.execute("select count(*) from raw.reports where status = 'active'").fetchone()[0],
                con.execute("select disclosure_ratio from mart_body_year_metrics "
                            "where body_name = '石台县人民政府' and year = 2024").fetchone()[0])
    finally:
        con.close()


def tables(warehouse: Path) -> tuple:
    """Everything but the run history: the raw tables and the marts, row for row."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute("select schema_name, table_name from duckdb_tables() "
                            "where table_name <> 'refresh_runs' order by all").fetchall()
        return tuple((s, t, sorted(map(repr, con.execute(f'select * from "{s}"."{t}"').fetchall()))) for s, t in names)
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("refresh")
    reports = base / "reports"
    shutil.copytree(CORPUS, reports)
    warehouse = base / "warehouse.duckdb"
    out = xxgk("build", "--reports", str(reports), "--warehouse", str(warehouse))
    assert out.returncode == 0, out.stdout + out.stderr
    return reports, warehouse


def test_unchanged_refresh_parses_nothing_and_skips_dbt(built: tuple[Path, Path]) -> None:
    reports, warehouse = built
    before = answers(warehouse)
    statcache.cache_path(warehouse).unlink()  # every file hashed again: the run that does nothing else keeps them
    out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
    assert out.returncode == 0, out.stderr
    assert "0 new, 0 changed, 6 unchanged, 0 withdrawn, 0 failed" in out.stdout
    assert statcache.cache_path(warehouse).is_file()
    assert "nothing changed" in out.stdout
    assert answers(warehouse) == before
    con = duckdb.connect(str(warehouse), read_only=True)
    runs = con.execute("select mode, outcome, files_unchanged from raw.refresh_runs order by started_at, run_id").fetchall()
    con.close()
    assert runs[0][:2] == ("build", "success")
    # the warehouse is not written: the run waits beside it for the next run that writes it
    pending = warehouse.with_name(warehouse.name + ".runs-pending.jsonl").read_text(encoding="utf-8")
    assert '"mode": "refresh"' in pending and '"files_unchanged": 6' in pending


def test_killed_refresh_leaves_the_old_warehouse_readable(built: tuple[Path, Path]) -> None:
    reports, warehouse = built
    before = answers(warehouse)
    extra = reports / "shitai_2024_copy_changed.txt"
    text = (reports / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
    extra.write_text(text.replace("石台县人民政府2024年", "石台县财政局2024年"), encoding="utf-8")
    try:
        for delay in (0.3, 1.5, 4.0, 8.0):
            proc = start("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
            time.sleep(delay)
            if proc.poll() is not None:
                break  # finished before the kill: nothing left to test at this point
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            now = answers(warehouse)
            if now != before:  # killed in the instant between the swap and the exit: the whole new state
                assert now[1] == before[1] + 1 and now[0] == before[0] + 1, f"killed after {delay} s: {now}"
                break
        out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))  # takes the stale lock over
        assert out.returncode == 0, out.stdout + out.stderr
        assert answers(warehouse)[1] == before[1] + 1
        assert not list(warehouse.parent.glob("*.building*")), "a killed build's staging file was left"
    finally:
        extra.unlink()
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


def test_removed_file_is_withdrawn_not_dropped(built: tuple[Path, Path]) -> None:
    reports, warehouse = built
    moved = warehouse.parent / "aside.txt"
    shutil.move(reports / "pingtan_2021_flat.txt", moved)
    try:
        out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
        assert out.returncode == 0 and "1 withdrawn" in out.stdout, out.stdout + out.stderr
        con = duckdb.connect(str(warehouse), read_only=True)
        status = con.execute("select status from raw.reports where file = 'pingtan_2021_flat.txt'").fetchall()
        con.close()
        assert status == [("withdrawn",)]
    finally:
        shutil.move(moved, reports / "pingtan_2021_flat.txt")
    out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
    assert "1 new" in out.stdout


def test_second_refresh_while_one_runs_exits_naming_the_holder(built: tuple[Path, Path]) -> None:
    reports, warehouse = built
    (reports / "new_copy.txt").write_text((reports / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
                                          .replace("石台县人民政府2024年", "石台县教育局2024年"), encoding="utf-8")
    try:
        first = start("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
        lock = warehouse.with_name(warehouse.name + ".lock")
        for _ in range(100):
            if lock.exists():
                break
            time.sleep(0.05)
        second = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
        assert second.returncode == 2
        assert str(first.pid) in second.stderr
        waiting = xxgk("refresh", "--wait", "--reports", str(reports), "--warehouse", str(warehouse))
        assert first.wait(timeout=300) == 0
        assert waiting.returncode == 0 and "0 new, 0 changed" in waiting.stdout, waiting.stdout + waiting.stderr
    finally:
        (reports / "new_copy.txt").unlink()
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_stat_cache_is_written_while_dbt_builds_not_before_its_go(
        built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The store (0.3 s at 100,000 files) is off the path to dbt's go: at the go the cache is
    still the one of the last run, once dbt built it holds the changed file's new digest."""
    reports, warehouse = built
    edited = reports / "pingtan_2022_flat.txt"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\n", encoding="utf-8")
    cache, sha = statcache.cache_path(warehouse), _digest(edited)
    at_go: list[bool] = []
    go = DbtChild.go

    def watched(self: DbtChild, *args: object, **kwargs: object) -> None:
        go(self, *args, **kwargs)
        at_go.append(sha in cache.read_text(encoding="utf-8"))

    monkeypatch.setattr(DbtChild, "go", watched)
    try:
        assert build_command(reports, warehouse, full=False) == 0
        assert at_go == [False], "the stat cache was written before dbt's go"
        assert sha in cache.read_text(encoding="utf-8")
    finally:
        edited.write_text(text, encoding="utf-8")
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


def test_pandas_is_imported_beside_the_spare_s_catch_up_before_dbt_s_go(
        built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB imports pandas at the load's first parameter binding: a refresh that loads starts
    that import in a thread of its own first (build.importing_pandas)."""
    reports, warehouse = built
    edited = reports / "pingtan_2022_flat.txt"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\n", encoding="utf-8")
    calls: list[str] = []
    importing = build.importing_pandas

    @contextmanager
    def watched() -> Iterator[None]:
        calls.append("pandas")
        with importing():
            yield
        calls.append("pandas imported")

    monkeypatch.setattr(build, "importing_pandas", watched)
    monkeypatch.setattr(spare, "catch_up", lambda *args, catch_up=spare.catch_up: calls.append("catch up") or catch_up(*args))
    try:
        assert build_command(reports, warehouse, full=False) == 0
        assert calls == ["pandas", "catch up", "pandas imported"]
    finally:
        edited.write_text(text, encoding="utf-8")
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


@pytest.mark.parametrize("changed", [True, False])
def test_a_refresh_starts_dbt_s_child_once_its_look_found_a_change(
        built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, changed: bool) -> None:
    """dbt's child imports dbt and parses the project (about 2.7 s of a core) while the refresh
    plans and loads: started as soon as the look found a moved file, before the plan. An
    unchanged refresh never starts it: it costs its look, not a second core's second (started
    before the look, the child made a changed refresh 0.1-0.3 s faster and an unchanged one
    0.1-0.2 s slower at 100,000 reports, with twice its CPU)."""
    reports, warehouse = built
    edited = reports / "pingtan_2022_flat.txt"
    text = edited.read_text(encoding="utf-8")
    if changed:
        edited.write_text(text + "\n", encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(DbtChild, "start", lambda self, start=DbtChild.start: calls.append("dbt") or start(self))
    monkeypatch.setattr(build, "look", lambda *args, look=build.look: calls.append("look") or look(*args))
    monkeypatch.setattr(build, "_plan_against", lambda *a, plan=build._plan_against, **k: calls.append("plan") or plan(*a, **k))
    try:
        assert build_command(reports, warehouse, full=False) == 0
        assert calls[:3] == (["look", "dbt", "plan"] if changed else ["look", "plan"]), calls
        assert ("dbt" in calls) == changed, calls
    finally:
        edited.write_text(text, encoding="utf-8")
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


def test_importing_pandas_imports_it_in_a_thread_done_when_the_block_ends() -> None:
    """Even when the block fails at once: a process never exits in the middle of the import (the
    interpreter's shutdown breaks it with a traceback on stderr)."""
    out = subprocess.run([sys.executable, "-c", (
        "import sys, threading\n"
        "from ingest.warehouse.build import importing_pandas\n"
        "assert 'pandas' not in sys.modules\n"
        "with importing_pandas():\n"
        "    assert [t for t in threading.enumerate() if t.name == 'import pandas']\n"
        "assert 'pandas' in sys.modules\n"
        "with importing_pandas():\n"
        "    raise SystemExit(3)\n")],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 3 and out.stderr == "", out.stderr
    out = subprocess.run([sys.executable, "-c", (
        "from ingest.warehouse.build import importing_pandas\n"
        "with importing_pandas():\n"
        "    raise SystemExit(3)\n")],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 3 and out.stderr == "", out.stderr


def test_a_stat_cache_newer_than_the_warehouse_misses_no_change(built: tuple[Path, Path]) -> None:
    """What a refresh killed after the store and before the swap leaves: the cache knows the
    changed file's new digest, the warehouse its old one; the next refresh still loads it."""
    reports, warehouse = built
    edited = reports / "pingtan_2022_flat.txt"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\n", encoding="utf-8")
    try:
        cache = statcache.read(warehouse)
        look(reports, allow_empty=False, cache=cache)
        statcache.store(warehouse, cache)  # then killed
        out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse))
        assert out.returncode == 0 and "1 changed" in out.stdout, out.stdout + out.stderr
        con = duckdb.connect(str(warehouse), read_only=True)
        active = con.execute("select sha256 from raw.reports where file = 'pingtan_2022_flat.txt' "
                             "and status = 'active'").fetchall()
        con.close()
        assert active == [(_digest(edited),)]
    finally:
        edited.write_text(text, encoding="utf-8")
        assert xxgk("refresh", "--reports", str(reports), "--warehouse", str(warehouse)).returncode == 0


def test_failed_build_leaves_the_warehouse_untouched_and_says_why(built: tuple[Path, Path]) -> None:
    reports, warehouse = built
    broken = warehouse.parent / "broken.duckdb"
    shutil.copyfile(warehouse, broken)
    edited = reports / "pingtan_2021_flat.txt"
    text = edited.read_text(encoding="utf-8")
    con = duckdb.connect(str(broken))
    con.execute("insert into raw.cells select * from raw.cells where report_id = (select report_id from raw.reports "
                "where file = 'pingtan_2021_flat.txt' and status = 'active') limit 1")  # a duplicated cell: an invariant breaks
    con.close()
    edited.write_text(text + "\n", encoding="utf-8")  # the refresh supersedes that version: its rows are tested again
    try:
        before = answers(broken), tables(broken)
        out = xxgk("refresh", "--reports", str(reports), "--warehouse", str(broken))
        assert out.returncode == 2
        assert "previous warehouse is untouched" in out.stderr and "unique" in out.stderr.lower()
        assert len(out.stderr.splitlines()) == 1, out.stderr
        assert (answers(broken), tables(broken)) == before
        con = duckdb.connect(str(broken), read_only=True)
        last = con.execute("select outcome, message from raw.refresh_runs order by started_at desc, run_id desc limit 1").fetchone()
        con.close()
        assert last[0] == "failed" and "unique" in last[1]
        # the files were hashed all the same: the stat cache keeps what was found
        assert _digest(edited) in statcache.cache_path(broken).read_text(encoding="utf-8")
    finally:
        edited.write_text(text, encoding="utf-8")
