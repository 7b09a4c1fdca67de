"""Per-file isolation (ingest.warehouse.isolate): a job over the time or memory limit, or whose
worker dies, is that job's failure; every other job still returns, in real worker processes."""
from __future__ import annotations

import os
import signal
import time

import pytest

from ingest.warehouse.isolate import Failed, Limits, run


def job(kind: str) -> str:
    """A job that behaves as its name says: the hostile behaviours of a parser, for real."""
    if kind == "sleep":
        time.sleep(60)
    elif kind == "hog":
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
    elif kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "exit":
        os._exit(3)
    elif kind == "raise":
        raise RecursionError("deep")
    return f"ok {kind}"


LIMITS = Limits(seconds=2.0, memory_mib=512)


def outcomes(jobs: list[str], workers: int = 2) -> dict[str, str]:
    out = {}
    for name, result in run(job, jobs, LIMITS, workers=workers):
        out[name] = result.message if isinstance(result, Failed) else result
    return out


def test_every_job_returns_in_workers() -> None:
    jobs = [f"good{i}" for i in range(50)]
    assert outcomes(jobs) == {j: f"ok {j}" for j in jobs}


def test_a_job_over_the_time_limit_fails_alone() -> None:
    started = time.monotonic()
    out = outcomes(["sleep", "a", "b", "c"], workers=1)
    assert out["sleep"] == "stopped after the 2 s time limit for one file"
    assert [out[k] for k in "abc"] == ["ok a", "ok b", "ok c"]
    assert time.monotonic() - started < 20


def test_a_job_over_the_memory_limit_fails_alone() -> None:
    out = outcomes(["a", "hog", "b", "c"], workers=1)
    assert out["hog"] == "stopped at the 512 MiB memory limit for one file"
    assert [out[k] for k in "abc"] == ["ok a", "ok b", "ok c"]


@pytest.mark.parametrize(("kind", "needle"), [
    ("segfault", "killed by SIGSEGV (native code crashed"), ("killed", "killed by SIGKILL (out of memory?)"),
    ("exit", "exited with status 3"), ("raise", "internal error RecursionError: deep"),
])
def test_a_dead_worker_fails_only_its_job(kind: str, needle: str) -> None:
    jobs = ["a", "b", kind, "c", "d", "e"]
    out = outcomes(jobs, workers=2)
    assert needle in out[kind]
    assert {k: v for k, v in out.items() if k != kind} == {k: f"ok {k}" for k in jobs if k != kind}


def test_limits_come_from_one_place_with_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XXGK_FILE_SECONDS", raising=False)
    assert Limits.from_env() == Limits()
    monkeypatch.setenv("XXGK_FILE_SECONDS", "3.5")
    monkeypatch.setenv("XXGK_FILE_MEMORY_MIB", "256")
    assert Limits.from_env() == Limits(3.5, 256)
