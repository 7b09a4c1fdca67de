"""One build or refresh at a time per warehouse.

The lock is a file beside the warehouse, `<warehouse>.lock`, created atomically with
O_CREAT|O_EXCL and holding JSON about its holder: pid, host, start time, the process's kernel start
tick (to tell a reused pid from the holder) and a random token (so release removes only our own
lock). A lock whose holder is dead on this host is stale and is taken over; taking over goes
through a second O_EXCL file, `<warehouse>.lock.break`, so two processes that both judged the same
lock stale cannot delete each other's fresh lock.

    with acquire(warehouse, wait=args.wait):
        ...build...
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

UNREADABLE_GRACE = 10.0  # seconds a lock file may stay empty/garbled while its creator writes it
BREAK_GRACE = 10.0  # seconds after which an abandoned .break file is removed


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    host: str
    started: str
    token: str
    proc_start: str | None = None
    command: str = ""

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started}" + (
            f" ({self.command})" if self.command else "")


class LockHeld(Exception):
    """The warehouse is locked by a live process; the message names its pid."""

    def __init__(self, path: Path, holder: Holder | None, waited: float | None = None) -> None:
        self.path, self.holder, self.waited = path, holder, waited
        who = holder.describe() if holder else "a process that is still writing the lock file"
        after = f" (still held after waiting {waited:.0f} s)" if waited is not None else ""
        super().__init__(f"another build or refresh holds {path}: {who}{after}")


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (field 3 onwards), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[-1].split()


def proc_start(pid: int) -> str | None:
    """The kernel's start tick of a process: pid plus this identifies it across pid reuse."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def pid_alive(pid: int) -> bool:
    """True if a process with this pid exists on this host and is not a zombie."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    fields = _proc_stat(pid)
    return not (fields and fields[0] == "Z")


def _me() -> Holder:
    return Holder(
        pid=os.getpid(), host=socket.gethostname(),
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        token=uuid.uuid4().hex, proc_start=proc_start(os.getpid()), command=" ".join(sys.argv)[:200],
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _parse(text: str) -> Holder | None:
    try:
        data = json.loads(text)
        return Holder(**{k: data[k] for k in Holder.__dataclass_fields__ if k in data})
    except (ValueError, TypeError, KeyError):
        return None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def is_stale(path: Path, holder: Holder | None) -> bool:
    """Dead holder on this host, reused pid, or a lock file that stayed unreadable too long."""
    if holder is None:
        return _age(path) > UNREADABLE_GRACE
    if holder.host != socket.gethostname():
        return False  # cannot see processes on another host: trust the lock
    if not pid_alive(holder.pid):
        return True
    now = proc_start(holder.pid)
    return bool(holder.proc_start and now and now != holder.proc_start)


def _try_create(path: Path, me: Holder) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(asdict(me), ensure_ascii=False))
        f.flush()
        os.fsync(f.fileno())
    return True


def _break_stale(path: Path, seen: str) -> None:
    """Remove the lock if it still holds exactly the stale text `seen`; one breaker at a time."""
    guard = path.with_name(path.name + ".break")
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if _age(guard) > BREAK_GRACE:
            guard.unlink(missing_ok=True)
        time.sleep(0.01)
        return
    try:
        if _read(path) == seen:
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)
        guard.unlink(missing_ok=True)


class WarehouseLock:
    """A held lock. Use as a context manager or call release()."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path, self.holder = path, holder

    def held(self) -> bool:
        text = _read(self.path)
        current = _parse(text) if text is not None else None
        return current is not None and current.token == self.holder.token

    def release(self) -> None:
        """Remove the lock file, only if it is still ours."""
        if self.held():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> WarehouseLock:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def acquire(warehouse: Path, wait: bool = False, timeout: float | None = None, poll: float = 0.2) -> WarehouseLock:
    """Take the lock of `warehouse`. Held by a live process: raise LockHeld, or with wait=True poll
    until it is free (raising LockHeld after `timeout` seconds if given). Stale locks are taken over."""
    path = lock_path(Path(warehouse))
    start = time.monotonic()
    while True:
        me = _me()
        if _try_create(path, me):
            return WarehouseLock(path, me)
        text = _read(path)
        if text is None:
            continue  # released between our create and read: try again
        holder = _parse(text)
        if is_stale(path, holder):
            _break_stale(path, text)
            continue
        waited = time.monotonic() - start
        if not wait:
            raise LockHeld(path, holder)
        if timeout is not None and waited >= timeout:
            raise LockHeld(path, holder, waited)
        time.sleep(poll)
