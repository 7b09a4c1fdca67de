"""One query's connection: read-only, locked down, limited, and streamed.

DuckDB opens the warehouse read-only with external access disabled and the configuration locked,
so even a query the guard let through cannot write, read files or URLs, or load extensions. Its
memory and threads are capped, it spills into a private temporary folder removed afterwards, and
a timer interrupts it at the time limit. Rows are fetched in batches as the output asks for them.
The warehouse is opened per query and closed at once: a refresh swaps it in with a rename.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ingest.i18n import _
from ingest.query.limits import DEFAULT_LIMITS, Limits

SAFE_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "python_enable_replacements": False,  # no scanning Python variables by name
    "lock_configuration": True,  # SET cannot undo any of the above
}
BATCH_ROWS = 10_000


class WarehouseError(Exception):
    """The warehouse cannot be opened (missing, not a DuckDB file, unreadable)."""


class Stopped(Exception):
    """The query was stopped by a limit (time or memory); the message says which and what to do."""


def connect_read_only(warehouse: Path, limits: Limits | None = None, spill_dir: Path | None = None
                      ) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, external access off, configuration locked, within `limits`."""
    if not warehouse.is_file():
        raise WarehouseError(_("warehouse not found: {warehouse} (run `xxgk build` first)").format(warehouse=warehouse))
    config = dict(SAFE_CONFIG)
    if limits is not None:
        config.update(memory_limit=limits.memory, threads=limits.threads, max_temp_directory_size=limits.spill,
                      temp_directory=str(spill_dir) if spill_dir else "")
    return duckdb.connect(str(warehouse), read_only=True, config=config)


def redact(message: str, warehouse: Path) -> str:
    """`message` (DuckDB's words included) without the machine's paths: the warehouse as the caller
    named it, its folder, the temporary folder and the home folder as placeholders."""
    names = {str(warehouse.resolve()): str(warehouse), str(warehouse.resolve().parent): "<warehouse folder>",
             tempfile.gettempdir(): "<temp>", str(Path.home()): "~"}
    paths = sorted((p for p in names if len(p) > 1), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, paths)))
    return pattern.sub(lambda m: names[m.group()], message)  # one pass: a placeholder is never replaced again


def timeout_message(limits: Limits) -> str:
    return _("stopped: the query ran longer than {timeout:g} s (--timeout); narrow it, "
             "or raise the limit with --timeout SECONDS (0: none)").format(timeout=limits.timeout)


def memory_message(limits: Limits, error: Exception) -> str:
    first = str(error).splitlines()[0] if str(error) else _("out of memory")
    return _("stopped: the query needs more memory than --memory-limit {memory} allows, spilling to disk "
             "included; narrow it, or raise the limit: {first}").format(memory=limits.memory, first=first)


@contextmanager
def _within(limits: Limits, timed_out: threading.Event) -> Iterator[None]:
    """DuckDB's interrupt and out-of-memory errors as Stopped, saying which limit and what to do;
    Ctrl-C as KeyboardInterrupt."""
    if timed_out.is_set():
        raise Stopped(timeout_message(limits))
    try:
        yield
    except duckdb.InterruptException:
        raise Stopped(timeout_message(limits)) from None
    except RuntimeError as e:  # Ctrl-C while DuckDB works: "Query interrupted", caused by KeyboardInterrupt
        if isinstance(e.__cause__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise
    except duckdb.OutOfMemoryException as e:
        raise Stopped(memory_message(limits, e)) from None
    except duckdb.Error:  # an interrupt that lands between two steps of a fetch says "closed pending query result"
        if timed_out.is_set():
            raise Stopped(timeout_message(limits)) from None
        raise


@dataclass
class Rows:
    """A running query's columns and its rows, fetched in batches within the limits."""

    columns: list[str]
    types: list[str]  # DuckDB's type ids: "bigint", "varchar", "list", ...
    cursor: duckdb.DuckDBPyConnection
    limits: Limits
    timed_out: threading.Event

    def fetch(self, n: int = BATCH_ROWS) -> list[tuple[Any, ...]]:
        """Up to `n` more rows; [] when there are no more. Raises Stopped past a limit."""
        with _within(self.limits, self.timed_out):
            return self.cursor.fetchmany(n)

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        while batch := self.fetch():
            yield batch

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for batch in self.batches():
            yield from batch


@contextmanager
def open_query(warehouse: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Session]:
    """A Session on a fresh read-only connection; the connection is closed and the spill folder
    removed when the block ends."""
    spill = Path(tempfile.mkdtemp(prefix="xxgk-query-"))
    try:
        try:
            con = connect_read_only(warehouse, limits, spill)
        except duckdb.Error as e:
            raise WarehouseError(_("cannot open warehouse {warehouse}: {e}").format(warehouse=warehouse, e=e)) from e
        session = Session(con, limits, spill)
        try:
            yield session
        finally:
            session.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)


@dataclass
class Session:
    """An open connection and its limits: `run` starts a query and returns its Rows."""

    con: duckdb.DuckDBPyConnection
    limits: Limits
    spill: Path
    timers: list[threading.Timer] = field(default_factory=list)

    def run(self, sql: str) -> Rows:
        """Start `sql`; its time limit runs from now until the Session closes."""
        timed_out = threading.Event()
        if self.limits.timeout:
            timer = threading.Timer(self.limits.timeout, self._interrupt, args=(timed_out,))
            timer.daemon = True
            timer.start()
            self.timers.append(timer)
        with _within(self.limits, timed_out):
            cursor = self.con.execute(sql)
        description = cursor.description or []
        return Rows([d[0] for d in description], [str(getattr(d[1], "id", d[1])).lower() for d in description],
                    cursor, self.limits, timed_out)

    def _interrupt(self, flag: threading.Event) -> None:
        flag.set()
        self.con.interrupt()

    def close(self) -> None:
        """Stop the timers and whatever DuckDB still runs (after Ctrl-C it would keep going and
        hold the connection's close), then close the connection."""
        for timer in self.timers:
            timer.cancel()
        self.con.interrupt()
        self.con.close()
