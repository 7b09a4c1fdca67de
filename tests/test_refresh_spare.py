"""A refresh costs what changed (issue 11): it updates the spare in place and swaps it in, never
copying the warehouse while it can; an unchanged refresh reads no report file and writes
nothing but its pending history line; the marts after refreshes equal those of a full build of
the same folder; a kill -9 at any step, or a reader holding the warehouse, never costs the
previous version."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse import atomic, spare, state
from ingest.warehouse.build import look
from ingest.warehouse.load import create_raw
from ingest.warehouse.plan import is_settled, plan
from tests.warehouse_helpers import REPO, query, xxgk_into

CORPUS = REPO / "data" / "reports"
TIMESTAMPS = {"loaded_at", "started_at", "ended_at"}  # when a version was parsed or a run ran


def marts(warehouse: Path) -> dict[str, list[str]]:
    """Every table of the main schema but the run history, and every relation of `audit` (the
    failures of the tests that store them), row for row (parse times left out)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() where schema_name = 'main' "
                "and table_name <> 'mart_refresh_runs' union all "
                "select schema_name, view_name from duckdb_views() where schema_name = 'audit' order by all").fetchall():
            columns = [c for (c,) in con.execute("select column_name from duckdb_columns() where schema_name = ? "
                                                 "and table_name = ? order by column_index", [schema, name]).fetchall()]
            kept = ", ".join(f'"{c}"' for c in columns if c not in TIMESTAMPS)
            out[f"{schema}.{name}"] = sorted(map(repr, con.execute(f'select {kept} from {schema}."{name}"').fetchall()))
        return out
    finally:
        con.close()


def answers(warehouse: Path) -> tuple:
    return tuple(query(warehouse, sql)[0][0] for sql in (
        "select count(*) from fct_report", "select count(*) from raw.reports where status = 'active'",
        "select count(*) from mart_check_results"))


def refresh(reports: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    out = xxgk_into("refresh", reports, warehouse)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def renamed(reports: Path, name: str, body: str) -> None:
    """A new report: the 2024 Word paste of 石台县 as another body's."""
    text = (CORPUS / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
    (reports / name).write_text(text.replace("石台县人民政府2024年", f"{body}2024年"), encoding="utf-8")


def test_refreshes_after_a_sequence_of_edits_equal_a_full_build(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    edits = [
        lambda: open(reports / "pingtan_2021_flat.txt", "a", encoding="utf-8").write("\n（更正）\n"),
        lambda: renamed(reports, "caizheng_2024.txt", "石台县财政局"),
        lambda: (reports / "shitai_2024_word_paste.txt").unlink(),
        lambda: shutil.copyfile(reports / "caizheng_2024.txt", reports / "caizheng_2024_copy.txt"),
        lambda: (reports / "manifest.csv").write_text((reports / "manifest.csv").read_text(encoding="utf-8")
                                                      .replace("https://", "http://"), encoding="utf-8"),
        lambda: renamed(reports, "caizheng_2024.txt", "石台县教育局"),  # the same name, other bytes
    ]
    notes = []
    for edit in edits:
        edit()
        notes.append(refresh(reports, warehouse).stdout)
        assert_settled(reports, warehouse)
    assert "copied" in notes[0] and not any("copied" in note for note in notes[1:]), notes
    compiled = warehouse.with_name(warehouse.name + ".dbt") / "target" / "run" / "xxgk" / "models"
    for model in ("intermediate/int_report_values.sql", "marts/mart_check_results.sql"):  # ran incrementally
        sql = (compiled / model).read_text(encoding="utf-8")
        assert "insert into" in sql and "order by report_id" not in sql, model  # appended as they come
    assert atomic.spare_path(warehouse).is_file() and not atomic.dirty_path(warehouse).exists()
    rebuilt = warehouse.with_name("rebuilt.duckdb")
    shutil.copyfile(warehouse, rebuilt)  # a build keeps the history of the warehouse it replaces
    assert xxgk_into("build", reports, rebuilt).returncode == 0
    built = rebuilt.with_name(rebuilt.name + ".dbt") / "target" / "run" / "xxgk" / "models"
    assert "order by report_id" in (built / "marts" / "mart_check_results.sql").read_text(encoding="utf-8")
    refreshed, full = marts(warehouse), marts(rebuilt)
    assert refreshed.keys() == full.keys() and "audit.check_narrative_match" in full
    for name in full:
        assert refreshed[name] == full[name], name
    assert query(warehouse, "select count(*) from fct_report_history where status = 'superseded'") != [(0,)]


def test_a_build_leaves_a_spare_that_the_first_refresh_writes_in_place(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    assert not atomic.spare_path(warehouse).exists()
    assert xxgk_into("build", reports, warehouse).returncode == 0
    spare = atomic.spare_path(warehouse)
    assert atomic.spare_problem(warehouse) is None and spare.read_bytes() == warehouse.read_bytes()
    before = answers(warehouse)
    log = warehouse.with_name(warehouse.name + ".dbt") / "logs" / "dbt.log"
    logged = log.stat().st_size
    renamed(reports, "jiaoyu_2024.txt", "石台县教育局")
    out = refresh(reports, warehouse)
    assert "copied" not in out.stdout, out.stdout
    assert answers(warehouse)[:2] == (before[0] + 1, before[1] + 1)
    with open(log, "rb") as fh:  # the build wrote the spare's path too: dbt starts from its saved parse
        fh.seek(logged)
        refreshed = fh.read().decode("utf-8", errors="replace")
    assert "Partial parsing enabled" in refreshed and "Unable to do partial parsing" not in refreshed


def run_results(warehouse: Path) -> dict[str, dict]:
    """The last dbt run's results by node name."""
    target = warehouse.with_name(warehouse.name + ".dbt") / "target" / "run_results.json"
    return {r["unique_id"].split(".")[2]: r for r in json.loads(target.read_text(encoding="utf-8"))["results"]}


def test_the_audit_views_of_a_moved_warehouse_are_current_without_being_made_again(
        corpus_copy: tuple[Path, Path]) -> None:
    """The tests that store their failures do so as views in `audit`, which name no database
    (macros ref and source): they answer in a renamed or attached file, and a refresh, which
    makes no view again (selectors.yml), leaves them current. A build still counts them."""
    reports, warehouse = corpus_copy
    built = run_results(warehouse)
    assert (built["check_narrative_match"]["status"], built["check_narrative_match"]["failures"]) == ("warn", 1)
    moved = warehouse.with_name("moved.duckdb")  # another catalog name than the one it was built under
    warehouse.rename(moved)
    warehouse.with_name(warehouse.name + ".dbt").rename(moved.with_name(moved.name + ".dbt"))
    assert query(moved, "select file from audit.check_narrative_match") == [("pingtan_2022_flat.txt",)]
    assert attached(moved, "select file from elsewhere.audit.check_narrative_match") == [("pingtan_2022_flat.txt",)]
    breach = (reports / "pingtan_2022_flat.txt").read_text(encoding="utf-8")  # breaks NARRATIVE_MATCH
    (reports / "caizheng_2022.txt").write_text(breach.replace("平潭综合实验区2022年", "平潭综合实验区财政局2022年", 1),
                                               encoding="utf-8")  # a second body's report breaks it too
    refresh(reports, moved)
    ran = run_results(moved)
    assert "check_narrative_match" not in ran and "stg_raw__reports" not in ran and "fct_report" in ran
    both = [("caizheng_2022.txt",), ("pingtan_2022_flat.txt",)]
    assert query(moved, "select file from audit.check_narrative_match order by 1") == both
    assert attached(moved, "select file from elsewhere.audit.check_narrative_match order by 1") == both


def attached(warehouse: Path, sql: str) -> list[tuple]:
    """`sql` on an in-memory database with `warehouse` attached as `elsewhere`, where the
    default catalog holds an empty main.mart_check_results: a view must read its own file."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{warehouse}' AS elsewhere (READ_ONLY)")
        con.execute("CREATE TABLE main.mart_check_results AS FROM elsewhere.main.mart_check_results LIMIT 0")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_settled(reports: Path, warehouse: Path) -> None:
    """What lets an unchanged refresh stop at the fingerprint (ingest.warehouse.plan.is_settled):
    once a run wrote the warehouse, the whole plan for the same folder has nothing to do."""
    folder_now = look(reports, allow_empty=False)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert is_settled(folder_now, state.recorded_inputs(con))
        assert plan(folder_now, state.seen(con)).is_noop
    finally:
        con.close()


def test_an_unchanged_refresh_reads_no_report_file_and_writes_only_its_pending_run(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    renamed(reports, "jiaoyu_2024.txt", "石台县教育局")
    time.sleep(2.5)  # files younger than the racy margin are hashed again: let them age
    refresh(reports, warehouse)
    stamp = warehouse.stat().st_mtime_ns, warehouse.stat().st_ino
    spare = atomic.spare_path(warehouse).stat().st_mtime_ns
    opened = opened_files(reports, warehouse)
    assert [p for p in opened if p.startswith(str(reports.resolve()))] == [str(reports.resolve() / "manifest.csv")]
    assert (warehouse.stat().st_mtime_ns, warehouse.stat().st_ino) == stamp
    assert atomic.spare_path(warehouse).stat().st_mtime_ns == spare
    pending = warehouse.with_name(warehouse.name + ".runs-pending.jsonl").read_text(encoding="utf-8")
    assert '"files_unchanged": 7' in pending and "nothing changed" in pending
    os.utime(reports / "jiaoyu_2024.txt")  # a new mtime: read again (the check can fail)
    assert str(reports.resolve() / "jiaoyu_2024.txt") in opened_files(reports, warehouse)
    renamed(reports, "minzheng_2024.txt", "石台县民政局")  # the next run that writes moves the pending runs in
    refresh(reports, warehouse)
    assert not warehouse.with_name(warehouse.name + ".runs-pending.jsonl").exists()
    assert query(warehouse, "select count(*) from raw.refresh_runs where message like 'nothing changed%'") == [(2,)]


AUDIT = """
import sys
seen = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        seen.append(args[0])
sys.addaudithook(hook)
from ingest.cli import main
status = main(sys.argv[1:])
print("\\n".join("OPENED " + p for p in seen), file=sys.stderr)
sys.exit(status)
"""


def opened_files(reports: Path, warehouse: Path) -> list[str]:
    """The paths an unchanged refresh opened, seen by a Python audit hook in the real command."""
    out = subprocess.run([sys.executable, "-c", AUDIT, "refresh", "--reports", str(reports), "--warehouse",
                          str(warehouse)], cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert out.returncode == 0 and "nothing changed" in out.stdout, out.stdout + out.stderr
    return [os.path.realpath(line[7:]) for line in out.stderr.splitlines() if line.startswith("OPENED ")]


def test_a_reader_keeps_its_snapshot_and_refreshes_go_on(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    before = answers(warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        renamed(reports, "jiaoyu_2024.txt", "石台县教育局")
        refresh(reports, warehouse)
        renamed(reports, "minzheng_2024.txt", "石台县民政局")
        second = refresh(reports, warehouse)  # the spare is now the reader's file: copied, not written
        assert "a reader still holds it" in second.stdout, second.stdout
        assert reader.execute("select count(*) from fct_report").fetchone()[0] == before[0]
        assert reader.execute("select count(*) from raw.reports where status = 'active'").fetchone()[0] == before[1]
    finally:
        reader.close()
    assert answers(warehouse)[:2] == (before[0] + 2, before[1] + 2)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open."""
    try:
        return any(fd.resolve() == path.resolve() for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # gone, or an fd closed while looking
        return False


def _kill_when(reports: Path, warehouse: Path, ready, command: str = "refresh") -> None:
    proc = subprocess.Popen([sys.executable, "-m", "ingest.cli", command, "--reports", str(reports),
                             "--warehouse", str(warehouse)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(6000):
            if ready(proc.pid) or proc.poll() is not None:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the refresh ended before the moment to kill it"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        proc.kill()


@pytest.mark.parametrize("moment", ["spare written", "dbt running"])
def test_a_refresh_killed_while_it_updates_the_spare_leaves_the_warehouse_answering(
        corpus_copy: tuple[Path, Path], moment: str) -> None:
    reports, warehouse = corpus_copy
    renamed(reports, "jiaoyu_2024.txt", "石台县教育局")
    refresh(reports, warehouse)  # a spare exists: the next refresh writes it in place
    before, tables = answers(warehouse), marts(warehouse)
    renamed(reports, "minzheng_2024.txt", "石台县民政局")
    dirty = atomic.dirty_path(warehouse)
    if moment == "spare written":
        _kill_when(reports, warehouse, lambda pid: dirty.exists())
    else:  # dbt starts up while the spare is loaded: it runs once it has the spare open
        _kill_when(reports, warehouse, lambda pid: any(_has_open(c, atomic.spare_path(warehouse)) for c in _children(pid)))
    assert dirty.exists()
    assert answers(warehouse) == before and marts(warehouse) == tables
    out = refresh(reports, warehouse)
    assert "half-updated" in out.stdout, out.stdout
    assert answers(warehouse)[:2] == (before[0] + 1, before[1] + 1)
    assert not atomic.leftovers(warehouse) and not dirty.exists()


@pytest.mark.parametrize("moment", ["loading", "dbt running"])
def test_a_build_killed_while_it_writes_the_spare_s_path_leaves_the_warehouse_answering(
        corpus_copy: tuple[Path, Path], moment: str) -> None:
    """A build stages at the spare's path (atomic.staged_as_spare): killed there, it leaves the
    warehouse as it was and the spare dirty; the next refresh makes the spare anew."""
    reports, warehouse = corpus_copy
    before, tables = answers(warehouse), marts(warehouse)
    spare = atomic.spare_path(warehouse)
    renamed(reports, "minzheng_2024.txt", "石台县民政局")
    if moment == "loading":
        _kill_when(reports, warehouse, lambda pid: _has_open(pid, spare), "build")
    else:
        _kill_when(reports, warehouse, lambda pid: any(_has_open(c, spare) for c in _children(pid)), "build")
    assert atomic.dirty_path(warehouse).exists()
    assert answers(warehouse) == before and marts(warehouse) == tables
    out = refresh(reports, warehouse)
    assert "copied" in out.stdout, out.stdout
    assert answers(warehouse)[:2] == (before[0] + 1, before[1] + 1)
    assert not atomic.leftovers(warehouse) and atomic.spare_problem(warehouse) is None


@pytest.mark.parametrize("step", ["linked", "replaced"])
def test_a_kill_between_the_renames_leaves_a_complete_warehouse(corpus_copy: tuple[Path, Path], step: str) -> None:
    """The files as a kill -9 leaves them between the steps of atomic.swap_spare (made with the
    same calls), then the next refresh."""
    reports, warehouse = corpus_copy
    renamed(reports, "jiaoyu_2024.txt", "石台县教育局")
    refresh(reports, warehouse)
    previous = answers(warehouse)
    spare, old = atomic.spare_path(warehouse), atomic.old_path(warehouse)
    atomic.mark_dirty(warehouse)
    shutil.copyfile(warehouse, spare)  # stands for the updated spare: a complete warehouse
    os.link(warehouse, old)
    if step == "replaced":
        os.replace(spare, warehouse)
    assert answers(warehouse) == previous  # whichever complete version the name holds, it answers
    renamed(reports, "minzheng_2024.txt", "石台县民政局")
    refresh(reports, warehouse)
    assert answers(warehouse)[:2] == (previous[0] + 1, previous[1] + 1)
    assert not old.exists() and not atomic.dirty_path(warehouse).exists() and spare.is_file()


def _raw(path: Path, reports: list[tuple], manifest: list[tuple]) -> None:
    """A warehouse of raw tables only: `reports` as (report_id, title, status, loaded_at), each
    with two cells, and `manifest` rows (file, source_url)."""
    con = duckdb.connect(str(path))
    try:
        create_raw(con, replace=True)
        for rid, title, status, loaded_at in reports:
            con.execute("INSERT INTO raw.reports (report_id, file, title, body_name, region_code, year, status, loaded_at) "
                        "VALUES (?, ?, ?, '某县人民政府', '110101', 2024, ?, ?)", [rid, f"{rid}.txt", title, status, loaded_at])
            con.execute("INSERT INTO raw.cells (report_id, row_code, value) VALUES (?, 'a', 1), (?, 'b', ?)",
                        [rid, rid, len(title)])
        con.executemany("INSERT INTO raw.manifest (file, source_url, line) VALUES (?, ?, ?)",
                        [(*row, line) for line, row in enumerate(manifest, 2)])
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def test_the_catch_up_and_raw_touched_are_exact_without_a_copy_of_the_basis(tmp_path: Path) -> None:
    """The spare is one refresh behind: the live warehouse superseded b, retitled c (the same
    loaded_at: every column counts), removed d, added e and changed a manifest row. The catch-up
    makes the spare's raw tables the live's; this run then makes b active again (as the spare's
    marts knew it), drops a and adds f. raw.touched names exactly the versions whose rows differ
    from the spare's before the catch-up: not b."""
    at = "2026-11-30 08:00:00"
    live, kept = tmp_path / "live.duckdb", tmp_path / "kept.duckdb"
    _raw(kept, [("a", "甲", "active", at), ("b", "乙", "active", at), ("c", "丙", "active", at),
                ("d", "丁", "active", at)], [("a.txt", "https://a"), ("b.txt", "https://b")])
    _raw(live, [("a", "甲", "active", at), ("b", "乙", "superseded", at), ("c", "丙二", "active", at),
                ("e", "戊", "active", "2026-11-30 09:00:00")], [("a.txt", "https://a"), ("b.txt", "http://b")])
    con = duckdb.connect(str(kept))
    try:
        spare.remember_basis(con)
        assert spare.catch_up(con, live) == 4
        for table in ("reports", "cells", "manifest"):  # the live file stays attached until record_touched
            assert _rows(con, f"raw.{table}") == _rows(con, f"live.raw.{table}"), table
        con.execute("UPDATE raw.reports SET status = 'active' WHERE report_id = 'b'")
        con.execute("DELETE FROM raw.reports WHERE report_id = 'a'")
        con.execute("INSERT INTO raw.reports (report_id, body_name, region_code, year, status) "
                    "VALUES ('f', '某县财政局', '110101', 2024, 'active')")
        assert spare.record_touched(con) == 5
        assert _rows(con, "raw.touched") == [
            ("a", "某县人民政府", "110101", 2024), ("c", "某县人民政府", "110101", 2024),
            ("d", "某县人民政府", "110101", 2024), ("e", "某县人民政府", "110101", 2024),
            ("f", "某县财政局", "110101", 2024)]
        assert con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'live'").fetchone() == (0,)
    finally:
        con.close()
