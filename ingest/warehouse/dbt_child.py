"""The dbt child process of ingest/warehouse/dbt.py (DbtChild):

    python -m ingest.warehouse.dbt_child RESULTS COMMON...

is started ahead of its build: it imports dbt and parses the project (`dbt parse COMMON`, where
COMMON are the project, profiles, target and log paths) while the caller still loads the
warehouse, then waits for one line on stdin, the go: JSON {"args": [...], "env": {...}}. It sets
`env`, then runs `dbt ARGS COMMON` with the parsed project. When stdin closes without a go (the
caller failed, or found nothing to build) it exits 0 at once having run nothing.

It runs dbt through its documented programmatic entry (dbtRunner) with --no-write-json
and writes the run results to RESULTS itself: dbt's JSON artifacts cost a refresh about a second
at 100,000 reports (manifest.json after parsing and again after the run, semantic_manifest.json,
graph.gpickle), and the build reads only the run results. Compiled SQL (target/compiled,
target/run), partial parsing and dbt.log are not JSON artifacts and stay as they were. Exit
status as dbt's own: 0 success, 1 a node failed, 2 dbt could not run.

What parsing may read of the go's environment: profiles.yml reads XXGK_WAREHOUSE (the path,
whose file name becomes every node's database in the parsed project) and XXGK_DBT_MEMORY (only
the connection's memory cap, applied when the build connects); the macros read XXGK_DBT_TESTS
only while executing (macros/touched_rows.sql). The caller therefore starts the child with the
final XXGK_WAREHOUSE and without the other two (parsing sees profiles.yml's defaults, so the
saved partial parse does not depend on the build's size). The parsed project is used only when
the go's XXGK_WAREHOUSE and every environment variable parsing read (the manifest's env_vars)
have the values parsing saw; otherwise dbt parses again.

The child never opens the DuckDB file before the go (`dbt parse` does not connect): the caller
holds a write connection to it while loading.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any


def run(runner: Any, results: Path, args: list[str]) -> int:
    """`dbt ARGS --no-write-json` through `runner`; the run results into `results`; the status."""
    outcome = runner.invoke([*args, "--no-write-json"])
    if hasattr(outcome.result, "write"):
        outcome.result.write(str(results))
    if outcome.exception is not None:
        print(f"dbt could not run: {outcome.exception}", file=sys.stderr)
        return 2
    return 0 if outcome.success else 1


class Go:
    """The go, read from stdin by a thread of its own while the main thread imports and parses."""

    def __init__(self) -> None:
        self.line = ""
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        self.line = sys.stdin.readline()
        if not self.line.strip():
            os._exit(0)  # no go: nothing was run, the warehouse was never opened
        self.ready.set()

    def wait(self) -> dict[str, Any]:
        self.ready.wait()
        request = json.loads(self.line)
        if not isinstance(request, dict) or not isinstance(request.get("args"), list) \
                or not isinstance(request.get("env", {}), dict):
            raise ValueError("expected {\"args\": [...], \"env\": {...}}")
        return request


def parsed_still_valid(manifest: Any, parse_env: dict[str, str | None]) -> bool:
    """Whether the project parsed under `parse_env` (the XXGK_WAREHOUSE it saw) is the one the
    current environment would parse: the same warehouse path and the same value of every
    environment variable the project's files read while parsing (dbt records one that was unset,
    its default used, as DEFAULT_ENV_PLACEHOLDER: it must still be unset)."""
    from dbt.constants import DEFAULT_ENV_PLACEHOLDER

    if {key: os.environ.get(key) for key in parse_env} != parse_env:
        return False
    return all(os.environ.get(key, DEFAULT_ENV_PLACEHOLDER) == value for key, value in manifest.env_vars.items())


def main(argv: list[str]) -> int:
    go = Go()  # first: a caller that closes stdin at once has the child gone in milliseconds
    results, common = Path(argv[0]), argv[1:]
    parse_env = {"XXGK_WAREHOUSE": os.environ.get("XXGK_WAREHOUSE")}
    from dbt.cli.main import dbtRunner

    parsed = dbtRunner().invoke(["parse", *common, "--no-write-json"])
    manifest = parsed.result if parsed.success else None  # a project that cannot parse fails again in the build, which says why
    try:
        request = go.wait()
    except ValueError as exc:
        print(f"dbt could not run: the go on stdin is not a build request: {exc}", file=sys.stderr)
        return 2
    os.environ.update({str(key): str(value) for key, value in request.get("env", {}).items()})
    if manifest is not None and not parsed_still_valid(manifest, parse_env):
        manifest = None
    return run(dbtRunner(manifest=manifest), results, [*map(str, request["args"]), *common])


def end(status: int) -> None:
    """Exit with `status` once the build's work is on disk, without the interpreter's teardown of
    dbt's objects (0.5 s after a refresh at 100,000 reports): close dbt-duckdb's database first
    (DuckDB folds its write-ahead log into the file, which the caller swaps in next; a close that
    fails, a full disk, is a failed build), flush dbt's log and the output, then os._exit. Where
    dbt-duckdb keeps its database elsewhere than this module knows, the usual exit (its atexit
    hook closes the database)."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        sys.exit(status)
    environment = getattr(DuckDBConnectionManager, "_ENV", False)
    close = getattr(environment, "close", None)
    if environment is False or (environment is not None and close is None):
        sys.exit(status)
    try:
        if close is not None:
            close()
    except Exception as exc:  # noqa: BLE001 (whatever DuckDB raises, the build did not reach the file)
        print(f"dbt could not close {os.environ.get('XXGK_WAREHOUSE')}: {exc}", file=sys.stderr)
        status = 2
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    end(main(sys.argv[1:]))
