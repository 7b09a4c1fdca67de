"""The build/refresh lock: one holder at a time, stale locks taken over, waiting works."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from ingest.warehouse.lock import LockHeld, acquire, is_stale, lock_path, pid_alive, proc_start

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys, time
from pathlib import Path
from ingest.warehouse.lock import acquire
lock = acquire(Path(sys.argv[1]), wait=True, timeout=30)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
print("released", flush=True)
"""

WORKER = """
import os, sys, time
from pathlib import Path
from ingest.warehouse.lock import acquire
log = Path(sys.argv[2])
for _ in range(3):
    with acquire(Path(sys.argv[1]), wait=True, timeout=60, poll=0.01):
        with open(log, "a") as f:
            f.write(f"start {os.getpid()}\\n")
        time.sleep(0.02)
        with open(log, "a") as f:
            f.write(f"end {os.getpid()}\\n")
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not pid_alive(proc.pid)
    return proc.pid


@pytest.fixture()
def live_pid() -> Iterator[int]:
    """A process of ours that is alive for the whole test (not the lock's real holder)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def _write_lock(path: Path, pid: int, host: str | None = None, proc: str | None = None) -> None:
    path.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(), "started": "2024-01-01T00:00:00+00:00",
                                "token": "someone-else", "proc_start": proc}))


def test_second_process_gets_lock_held_naming_the_pid(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    child = _spawn(HOLDER, str(warehouse), "30")
    try:
        assert child.stdout and child.stdout.readline().strip() == "locked"
        with pytest.raises(LockHeld) as info:
            acquire(warehouse, wait=False)
        assert f"pid {child.pid}" in str(info.value)
        assert str(lock_path(warehouse)) in str(info.value)
        assert info.value.holder and info.value.holder.pid == child.pid
    finally:
        child.kill()
        child.wait()


def test_wait_mode_waits_until_release(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    child = _spawn(HOLDER, str(warehouse), "1.0")
    try:
        assert child.stdout and child.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with acquire(warehouse, wait=True, timeout=30, poll=0.05) as lock:
            waited = time.monotonic() - started
            assert child.stdout.readline().strip() == "released"
            assert json.loads(lock_path(warehouse).read_text())["pid"] == os.getpid()
        assert waited >= 0.5
        assert not lock_path(warehouse).exists()
    finally:
        child.kill()
        child.wait()


def test_wait_with_timeout_raises_lock_held(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    child = _spawn(HOLDER, str(warehouse), "30")
    try:
        assert child.stdout and child.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(LockHeld, match=f"pid {child.pid}.*waiting"):
            acquire(warehouse, wait=True, timeout=0.5, poll=0.05)
        assert 0.4 < time.monotonic() - started < 10
    finally:
        child.kill()
        child.wait()


def test_killed_holder_leaves_a_stale_lock_that_is_taken_over(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    child = _spawn(HOLDER, str(warehouse), "30")
    assert child.stdout and child.stdout.readline().strip() == "locked"
    child.kill()
    child.wait()
    assert json.loads(lock_path(warehouse).read_text())["pid"] == child.pid  # left behind
    with acquire(warehouse, wait=False) as lock:
        assert lock.holder.pid == os.getpid()
        assert json.loads(lock_path(warehouse).read_text())["token"] == lock.holder.token
    assert not lock_path(warehouse).exists()


def test_stale_lock_from_a_dead_pid_is_taken_over(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _write_lock(lock_path(warehouse), _dead_pid())
    with acquire(warehouse) as lock:
        assert lock.held()


def test_reused_pid_is_stale(tmp_path: Path, live_pid: int) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    if proc_start(live_pid) is None:
        pytest.skip("no /proc here")
    _write_lock(lock_path(warehouse), live_pid, proc="1")  # live pid, but not the process that locked
    with acquire(warehouse) as lock:
        assert lock.held()


def test_live_holder_on_this_host_is_respected(tmp_path: Path, live_pid: int) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _write_lock(lock_path(warehouse), live_pid, proc=proc_start(live_pid))
    with pytest.raises(LockHeld, match=f"pid {live_pid}"):
        acquire(warehouse)
    assert json.loads(lock_path(warehouse).read_text())["token"] == "someone-else"


def test_lock_from_another_host_is_never_broken(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _write_lock(lock_path(warehouse), _dead_pid(), host="some-other-host")
    with pytest.raises(LockHeld, match="some-other-host"):
        acquire(warehouse)


def test_unreadable_lock_is_held_while_young_and_stale_when_old(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    path = lock_path(warehouse)
    path.write_text("")  # a creator that has not written yet
    with pytest.raises(LockHeld):
        acquire(warehouse)
    assert not is_stale(path, None)
    old = time.time() - 3600
    os.utime(path, (old, old))
    with acquire(warehouse) as lock:
        assert lock.held()


def test_release_removes_only_our_own_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    lock = acquire(warehouse)
    _write_lock(lock_path(warehouse), 12345)  # someone broke our lock and took it
    lock.release()
    assert json.loads(lock_path(warehouse).read_text())["token"] == "someone-else"


def test_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(RuntimeError):
        with acquire(warehouse):
            raise RuntimeError("build failed")
    assert not lock_path(warehouse).exists()


def test_lock_file_sits_beside_the_warehouse(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "w.duckdb") == tmp_path / "w.duckdb.lock"


def test_processes_never_overlap(tmp_path: Path) -> None:
    """Four processes, three turns each, one of them starting on a stale lock: never two inside."""
    warehouse = tmp_path / "warehouse.duckdb"
    log = tmp_path / "log"
    _write_lock(lock_path(warehouse), _dead_pid())
    workers = [_spawn(WORKER, str(warehouse), str(log)) for _ in range(4)]
    for w in workers:
        assert w.wait(timeout=120) == 0
    events = log.read_text().split("\n")[:-1]
    assert len(events) == 4 * 3 * 2
    for start, end in zip(events[::2], events[1::2]):
        assert start.startswith("start ") and end == "end " + start.split()[1], events
    assert not lock_path(warehouse).exists()
    assert not lock_path(warehouse).with_name("warehouse.duckdb.lock.break").exists()
