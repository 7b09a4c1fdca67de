"""Run one job per file in worker processes where a time limit and a memory limit apply.

    for job, result in run(parse_job, jobs, Limits.from_env()):
        if isinstance(result, Failed): ...   # this file's failure; the others go on

Each worker parses one job at a time; a few more wait in its socket, and its results may run
ahead of the parent, so it keeps parsing while the parent loads what came before. A job running longer than `Limits.seconds` has its worker killed; a
worker's address space is capped at `Limits.memory_mib` (RLIMIT_AS), so a runaway allocation
raises MemoryError inside the job instead of taking the machine. Either way, or when a worker
dies on its own (segfault, OOM killer), that job becomes a `Failed` with a message saying what
happened, a new worker takes its place, and jobs queued behind it are handed to another worker:
a dead worker never fails the batch.

Workers are fresh interpreters (`python -m ingest.warehouse.isolate module:function`) that
import the job's module once and talk to the parent over a socket pair: they inherit no database
connection, thread or lock of the parent, and leave no server process behind. They die with
the parent (PR_SET_PDEATHSIG, and end when their socket closes), so a killed build leaves no
parser running.
"""
from __future__ import annotations

import importlib
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")

# The limits every report file is parsed under (one place; README "Limits"). A report parses in
# milliseconds to a few seconds and in tens of MiB; these are an order of magnitude above that.
TIME_LIMIT_SECONDS = 20.0
MEMORY_LIMIT_MIB = 1024
ENV_SECONDS, ENV_MEMORY = "XXGK_FILE_SECONDS", "XXGK_FILE_MEMORY_MIB"  # overrides, for operators and tests
IN_FLIGHT = 8  # jobs queued on a worker, so it keeps parsing while the parent loads a batch
SOCKET_BUFFER = 4 << 20  # bytes of results a worker may send ahead of the parent reading them
STOP_GRACE = 2.0  # seconds a worker gets to exit after the last job before it is killed


@dataclass(frozen=True, slots=True)
class Limits:
    seconds: float = TIME_LIMIT_SECONDS
    memory_mib: int = MEMORY_LIMIT_MIB

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, or XXGK_FILE_SECONDS / XXGK_FILE_MEMORY_MIB when set."""
        return cls(float(os.environ.get(ENV_SECONDS) or TIME_LIMIT_SECONDS),
                   int(os.environ.get(ENV_MEMORY) or MEMORY_LIMIT_MIB))

    def over_time(self) -> str:
        return f"stopped after the {self.seconds:g} s time limit for one file"

    def over_memory(self) -> str:
        return f"stopped at the {self.memory_mib} MiB memory limit for one file"


@dataclass(frozen=True, slots=True)
class Failed:
    """A job that did not return: over a limit, or its worker died. `message` says which."""

    message: str


_OVER_MEMORY = "\0over-memory"  # what a worker sends when its job ran out of memory


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(func: Callable[[Any], Any], conn: Connection) -> None:
    """Worker loop: receive (key, job), send (key, func(job)) until the socket closes. After a
    MemoryError the worker reports it and exits: its heap is not trusted with the next file."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, job = message
        try:
            reply: tuple[int, Any] = (key, func(job))
        except MemoryError:
            reply = (key, _OVER_MEMORY)
        except Exception as exc:  # the job should report its own errors; this is the backstop
            reply = (key, Failed(f"internal error {type(exc).__name__}: {exc}"))
        try:
            conn.send(reply)
        except MemoryError:
            reply = (key, _OVER_MEMORY)
            conn.send(reply)
        if reply[1] is _OVER_MEMORY:
            return


def _worker_main(argv: list[str]) -> None:
    """`python -m ingest.warehouse.isolate MODULE:FUNCTION SOCKET_FD MEMORY_BYTES`."""
    target, fd, memory_bytes = argv
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_bytes), int(memory_bytes)))
    module, name = target.split(":")
    _serve(getattr(importlib.import_module(module), name), Connection(int(fd)))


class _Worker:
    """One worker process and the parent's end of the socket pair it talks over."""

    def __init__(self, func: Callable[[Any], Any], limits: Limits) -> None:
        mine, theirs = socket.socketpair()
        for end in (mine, theirs):
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
            end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
        target = f"{func.__module__}:{func.__qualname__}"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        with mine, theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ingest.warehouse.isolate", target, str(theirs.fileno()),
                 str(limits.memory_mib << 20)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, env=env)
            self.conn = Connection(mine.detach())

    def stop(self, grace: float = 0.0) -> int:
        """Close the socket, wait up to `grace` seconds, kill if need be; the exit status."""
        self.conn.close()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.process.returncode


@dataclass
class _Slot(Generic[J]):
    worker: _Worker
    jobs: deque[tuple[int, J]] = field(default_factory=deque)
    since: float = 0.0  # when the job at the head of `jobs` started (as far as the parent knows)


def _death(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = {"SIGKILL": " (out of memory?)"}.get(
            name, f" (native code crashed, perhaps at the {limits.memory_mib} MiB memory limit for one file)")
        return f"the process parsing it was killed by {name}{hint}"
    return f"the process parsing it exited with status {exitcode}"


class _Pool(Generic[J, R]):
    def __init__(self, func: Callable[[J], R], limits: Limits, workers: int) -> None:
        self.func, self.limits = func, limits
        self.slots: list[_Slot[J]] = [_Slot(_Worker(func, limits)) for _ in range(workers)]

    def _replace(self, index: int, pending: deque[tuple[int, J]]) -> None:
        """Kill worker `index`, give the jobs still queued on it back, start a new one."""
        slot = self.slots[index]
        slot.worker.process.kill()
        slot.worker.stop()
        pending.extendleft(reversed(slot.jobs))
        self.slots[index] = _Slot(_Worker(self.func, self.limits))

    def feed(self, pending: deque[tuple[int, J]]) -> None:
        for index in range(len(self.slots)):
            while pending and len(self.slots[index].jobs) < IN_FLIGHT:
                slot = self.slots[index]
                key, job = pending.popleft()
                if not slot.jobs:
                    slot.since = time.monotonic()
                slot.jobs.append((key, job))
                try:
                    slot.worker.conn.send((key, job))
                except OSError:  # the worker is gone (it exited after its last job): a new one
                    self._replace(index, pending)

    def busy(self) -> bool:
        return any(slot.jobs for slot in self.slots)

    def step(self, pending: deque[tuple[int, J]]) -> list[tuple[J, R | Failed]]:
        """Wait for results, a death or a time-out; return the jobs that finished meanwhile."""
        working = [slot for slot in self.slots if slot.jobs]
        deadline = min(slot.since for slot in working) + self.limits.seconds
        wait([slot.worker.conn for slot in working], timeout=max(0.0, deadline - time.monotonic()))
        done: list[tuple[J, R | Failed]] = []
        for index, slot in enumerate(self.slots):
            if not slot.jobs:
                continue
            failure = self._drain(slot, done)
            if failure is None and slot.jobs and time.monotonic() - slot.since >= self.limits.seconds:
                failure = self.limits.over_time()
            if failure is not None and slot.jobs:
                done.append((slot.jobs.popleft()[1], Failed(failure)))
                self._replace(index, pending)
        return done

    def _drain(self, slot: _Slot[J], done: list[tuple[J, R | Failed]]) -> str | None:
        """Collect every result waiting in the slot's socket; the failure of its head job, if any."""
        while slot.jobs and slot.worker.conn.poll():
            try:
                key, result = slot.worker.conn.recv()
            except (EOFError, OSError):  # the socket closed: the worker died; its status says how
                return _death(slot.worker.stop(STOP_GRACE), self.limits)
            if key != slot.jobs[0][0]:
                raise RuntimeError("a parse worker answered out of order")
            if isinstance(result, str) and result == _OVER_MEMORY:
                return self.limits.over_memory()
            done.append((slot.jobs.popleft()[1], result))
            slot.since = time.monotonic()
        return None

    def close(self) -> None:
        for slot in self.slots:
            slot.worker.stop(STOP_GRACE)


def run(func: Callable[[J], R], jobs: Sequence[J], limits: Limits | None = None,
        workers: int | None = None) -> Iterator[tuple[J, R | Failed]]:
    """(job, func(job) or Failed) for every job, in the order they finish. `func` must be a
    module-level function (workers import it by name); jobs and results must pickle."""
    if not jobs:
        return
    limits = limits or Limits.from_env()
    pending: deque[tuple[int, J]] = deque(enumerate(jobs))
    pool: _Pool[J, R] = _Pool(func, limits, max(1, min(workers or os.cpu_count() or 1, len(jobs))))
    try:
        while pending or pool.busy():
            pool.feed(pending)
            yield from pool.step(pending)
    finally:
        pool.close()


if __name__ == "__main__":  # a worker: run the loop of the imported module, so that what it
    from ingest.warehouse.isolate import _worker_main as main  # pickles names that module

    main(sys.argv[1:])
