"""A failure of the run itself (issue 9, D11 and "refuse to wipe") is one line saying what and
where, exit status 2, the previous warehouse's data untouched, and a row of the run history."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.warehouse_helpers import REPO, query, xxgk, xxgk_into

CORPUS = REPO / "data" / "reports"
INVALID = REPO / "tests" / "fixtures" / "invalid"


def data(warehouse: Path) -> tuple:
    """Everything but the run history, row for row."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute("select schema_name, table_name from duckdb_tables() "
                            "where table_name <> 'refresh_runs' order by all").fetchall()
        return tuple(sorted(map(repr, con.execute(f'select * from "{s}"."{t}"').fetchall())) for s, t in names)
    finally:
        con.close()


def runs(warehouse: Path) -> list[tuple]:
    return query(warehouse, "select mode, outcome, message from raw.refresh_runs order by started_at, run_id")


def failed_once(out: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert out.returncode == 2, out.stdout + out.stderr
    assert len(out.stderr.splitlines()) == 1 and "Traceback" not in out.stderr, out.stderr
    assert "the previous warehouse is untouched" in out.stderr
    for needle in needles:
        assert needle in out.stderr, out.stderr
    return out.stderr


def test_a_missing_reports_folder_fails_in_one_line_with_a_history_row(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    before = data(warehouse)
    failed_once(xxgk_into("refresh", reports.with_name("nowhere"), warehouse), "nowhere", "does not exist")
    assert data(warehouse) == before
    assert runs(warehouse)[-1][:2] == ("refresh", "failed") and "does not exist" in runs(warehouse)[-1][2]


def test_an_empty_folder_is_refused_unless_allowed(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    before = data(warehouse)
    for name in os.listdir(reports):
        if name != "manifest.csv":
            (reports / name).unlink()
    for command in ("refresh", "build"):
        failed_once(xxgk_into(command, reports, warehouse), "holds no report files", "--allow-empty")
        assert data(warehouse) == before and runs(warehouse)[-1][:2] == (command, "failed")
    out = xxgk_into("refresh", reports, warehouse, "--allow-empty")
    assert out.returncode == 0 and "6 withdrawn" in out.stdout, out.stdout + out.stderr
    assert query(warehouse, "select count(*) from fct_report") == [(0,)]


def test_a_corrupt_warehouse_fails_in_one_line_and_the_run_waits_to_be_recorded(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    good = warehouse.read_bytes()
    warehouse.write_bytes(b"\0" * 4096 + good[4096:])
    stamp = warehouse.read_bytes()
    for command in ("refresh", "build"):
        err = failed_once(xxgk_into(command, reports, warehouse), str(warehouse))
        assert "runs-pending.jsonl" in err and warehouse.read_bytes() == stamp
    warehouse.write_bytes(good)
    assert xxgk_into("refresh", reports, warehouse).returncode == 0
    assert [r[:2] for r in runs(warehouse)[-3:]] == [("refresh", "failed"), ("build", "failed"), ("refresh", "success")]
    assert not list(warehouse.parent.glob("*.jsonl"))


def test_runs_logged_beside_the_warehouse_by_an_older_version_move_in_once(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    legacy = warehouse.with_name(warehouse.name + ".runs.jsonl")
    legacy.write_text('{"run_id": "old-1", "mode": "refresh", "started_at": "2024-01-02T06:30:00", '
                      '"outcome": "failed", "message": "from the side file"}\n', encoding="utf-8")
    assert xxgk_into("refresh", reports, warehouse).returncode == 0 and not legacy.exists()
    assert xxgk_into("refresh", reports, warehouse).returncode == 0
    assert query(warehouse, "select count(*) from raw.refresh_runs where run_id = 'old-1'") == [(1,)]


def test_a_killed_parse_worker_fails_only_its_file(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    (reports / "slow.txt").write_bytes((CORPUS / "shitai_2024_word_paste.txt").read_bytes() + b"\n")  # new bytes
    proc = subprocess.Popen([str(REPO / ".venv" / "bin" / "python"), "-m", "ingest.cli", "refresh", "--reports",
                             str(reports), "--warehouse", str(warehouse)], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "XXGK_FILE_SECONDS": "120",
                                                          "PYTHONPATH": str(REPO / "tests" / "fixtures" / "slow_worker")})
    try:
        workers: list[int] = []
        for _ in range(200):
            time.sleep(0.1)
            workers = [pid for pid in _children(proc.pid) if "ingest.warehouse.isolate" in _cmdline(pid)]
            if workers and _cpu_seconds(workers) > 1.0:
                break
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=600)
    finally:
        proc.kill()
    assert proc.returncode == 1, out + err
    assert query(warehouse, "select error from raw.failures") == [("slow.txt: the process parsing it was killed by "
                                                                   "SIGKILL (out of memory?)",)]
    assert query(warehouse, "select count(*) from fct_report") == [(5,)]


def test_a_killed_dbt_fails_the_run_in_one_line(corpus_copy: tuple[Path, Path]) -> None:
    """dbt is the run's own worker: killed (as the OOM killer would), the run fails, exit 2."""
    reports, warehouse = corpus_copy
    with open(reports / "pingtan_2021_flat.txt", "a", encoding="utf-8") as fh:
        fh.write("\n（更正）\n")
    before = data(warehouse)
    proc = subprocess.Popen([str(REPO / ".venv" / "bin" / "python"), "-m", "ingest.cli", "refresh", "--reports",
                             str(reports), "--warehouse", str(warehouse)], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):
            time.sleep(0.05)
            dbt = [pid for pid in _children(proc.pid) if "dbt" in _cmdline(pid)]
            if dbt:
                os.kill(dbt[0], signal.SIGKILL)
                break
        out, err = proc.communicate(timeout=600)
    finally:
        proc.kill()
    failed_once(subprocess.CompletedProcess([], proc.returncode, out, err), "dbt exited with status -9")
    assert data(warehouse) == before and runs(warehouse)[-1][:2] == ("refresh", "failed")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def test_an_immutable_warehouse_fails_in_one_line(corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    if subprocess.run(["chattr", "+i", str(warehouse)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a filesystem that supports it")
    try:
        with open(reports / "pingtan_2021_flat.txt", "a", encoding="utf-8") as fh:
            fh.write("\n（更正）\n")
        before = warehouse.read_bytes()
        failed_once(xxgk_into("refresh", reports, warehouse), "Operation not permitted", "runs-pending.jsonl")
        assert warehouse.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(warehouse)], check=True)
    assert xxgk_into("refresh", reports, warehouse).returncode == 0
    assert [r[:2] for r in runs(warehouse)[-2:]] == [("refresh", "failed"), ("refresh", "success")]


# Disk full and read-only folders, in a private mount namespace with a small tmpfs (skipped where
# unshare or mount is not allowed).

def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    probe = subprocess.run(["unshare", *user, "--mount", "true"], capture_output=True)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("needs unshare --mount (a private mount namespace)")
    return subprocess.run(["unshare", *user, "--mount", "--propagation", "private", "bash", "-ec", script],
                          cwd=REPO, capture_output=True, text=True, timeout=900)


def disk_full_run(corpus_copy: tuple[Path, Path], margin_kib: int, change: bool) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Refresh with the warehouse on a tmpfs that has `margin_kib` KiB beyond what a copy of it
    needs; then give it room and refresh again. Returns the first run and the final warehouse."""
    reports, warehouse = corpus_copy
    if change:
        with open(reports / "pingtan_2021_flat.txt", "a", encoding="utf-8") as fh:
            fh.write("\n（更正）\n")
    disk, out = warehouse.parent / "disk", warehouse.parent / "out"
    disk.mkdir()
    used = sum(p.stat().st_size for p in warehouse.parent.rglob("*") if p.is_file() and "reports" not in p.parts)
    size = used + warehouse.stat().st_size + margin_kib * 1024
    xxgk = f"{REPO}/.venv/bin/python -m ingest.cli refresh --reports {reports} --warehouse {disk}/warehouse.duckdb"
    result = in_namespace(f"""
        mount -t tmpfs -o size={size // 1024}k tmpfs {disk}
        cp -r {warehouse} {warehouse}.dbt {disk}/
        set +e
        {xxgk} > {out}.1 2> {out}.2; echo $? > {out}.rc
        mount -o remount,size={4 * size // 1024}k {disk}
        {xxgk} > {out}.3 2> {out}.4
        set -e
        cp {disk}/warehouse.duckdb {out}.duckdb""")
    assert result.returncode == 0, result.stderr
    first = subprocess.CompletedProcess([], int(Path(f"{out}.rc").read_text()), Path(f"{out}.1").read_text(),
                                        Path(f"{out}.2").read_text())
    return first, Path(f"{out}.duckdb")


def test_disk_full_while_copying_to_the_spare(corpus_copy: tuple[Path, Path]) -> None:
    """A refresh with a change and no spare yet copies the warehouse to make one (an unchanged
    refresh copies nothing, writes nothing but its pending line)."""
    first, final = disk_full_run(corpus_copy, margin_kib=-corpus_copy[1].stat().st_size // 2048, change=True)
    failed_once(first, "copying", "No space left on device", "磁盘空间不足", "runs-pending.jsonl")
    failed = [r for r in runs(final) if r[1] == "failed"]
    assert len(failed) == 1 and "No space left on device" in failed[0][2], "the pending run moved in"


def test_disk_full_while_dbt_builds(corpus_copy: tuple[Path, Path]) -> None:
    first, final = disk_full_run(corpus_copy, margin_kib=256, change=True)
    failed_once(first, "dbt", "No space left on device", "磁盘空间不足")
    assert [r[:2] for r in runs(final)[-2:]] == [("refresh", "failed"), ("refresh", "success")]


def test_a_read_only_warehouse_folder_fails_in_one_line_and_read_only_reports_are_fine(
        corpus_copy: tuple[Path, Path]) -> None:
    reports, warehouse = corpus_copy
    xxgk_cmd = f"{REPO}/.venv/bin/python -m ingest.cli refresh --reports {reports} --warehouse {warehouse}"
    out = warehouse.parent / "out"
    result = in_namespace(f"""
        mount --bind {reports} {reports} && mount -o remount,ro,bind {reports}
        {xxgk_cmd} > {out}.ok 2>&1
        mount --bind {warehouse.parent} {warehouse.parent} && mount -o remount,ro,bind {warehouse.parent}
        set +e
        {xxgk_cmd} > /dev/null 2> /tmp/xxgk-ro-$$.err; echo $? > /tmp/xxgk-ro-$$.rc
        set -e
        umount {warehouse.parent}
        mv /tmp/xxgk-ro-$$.err {out}.err && mv /tmp/xxgk-ro-$$.rc {out}.rc""")
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in Path(f"{out}.ok").read_text()
    run = subprocess.CompletedProcess([], int(Path(f"{out}.rc").read_text()), "", Path(f"{out}.err").read_text())
    failed_once(run, "Read-only file system", "lock")
