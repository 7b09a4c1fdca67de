"""Run `dbt build` against a given DuckDB file and say what failed.

dbt runs in a child process so that none of its connections outlive the build (the staging
file must be closed before it is swapped in) and a crash in dbt cannot take the loader down.
The child is started ahead of its build (DbtChild): Python's start, `import dbt` and parsing
the project take about 2.5 s, which a refresh spends while it still plans and loads; the
build's arguments and environment follow on its stdin.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.warehouse.failure import NO_SPACE, NO_SPACE_ZH, no_space

PROJECT = Path(__file__).resolve().parents[2]
DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros", "seeds", "tests/dbt")  # what dbt reads


@dataclass
class DbtResult:
    ok: bool
    failures: list[str]


def _die_with_parent() -> None:
    """In the child: be killed when the build process dies (kill -9 included), so that a dbt
    run never goes on writing into a staging file nobody will swap in. Linux only; elsewhere a
    no-op."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def work_dir(warehouse: Path) -> Path:
    """dbt's target and log folders for one warehouse, kept between builds beside it: dbt reads
    its parsed project back from there (partial parsing) and the last build's logs stay there."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".dbt")


def _results(path: Path) -> list[dict]:
    """dbt's run results, or none when dbt could not write them whole (killed, disk full)."""
    try:
        return list(json.loads(path.read_text(encoding="utf-8"))["results"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


# Production builds leave out what tests our SQL rather than the data: dbt unit tests and the
# singular tests of macros (tests/dbt/macros, tag macro_unit). The test suite runs both.
PRODUCTION = ["--exclude-resource-type", "unit_test", "--exclude", "tag:macro_unit"]


def production(full_refresh: bool) -> list[str]:
    """The production build's arguments. A full refresh rebuilds every table from scratch
    (seeds included); otherwise the caller knows the warehouse was built by this very project
    (the same `dbt` input digest): selector `refresh` (selectors.yml) leaves the seeds and the
    models read only from seeds as they are, and the incremental models rebuild
    only the reports in raw.touched."""
    if full_refresh:
        return PRODUCTION + ["--full-refresh"]
    return ["--selector", "refresh"]


@dataclass(frozen=True, slots=True)
class Resources:
    """What a dbt build may use: `threads` dbt nodes at once (each query still uses every core
    DuckDB is given) under one DuckDB `memory` cap (profiles.yml reads it as XXGK_DBT_MEMORY)."""

    threads: int
    memory: str


SMALL = Resources(threads=2, memory="400MB")  # two nodes at once hide dbt's per-node overhead
LARGE = Resources(threads=1, memory="900MB")  # two cell-grain models at once would share the cap
LARGE_CELLS = 2_000_000  # raw.cells rows (about 10,000 reports) past which a build is LARGE


def resources(cells: int) -> Resources:
    """SMALL up to LARGE_CELLS cells: a 10,000-report build stays under 1 GiB. Past it, one node
    at a time with 900MB: at 100,000 reports two of the models over every cell (int_formula__sides,
    fct_application_outcome) once ran out of a shared cap; the build stays under 2 GiB (make
    bench-scale). Since int_formula__sides spills (it passes alone at 250MB at 100,000 reports),
    a lower cap may do: not measured yet."""
    return LARGE if cells > LARGE_CELLS else SMALL


SMALL_CHANGE = 1_000  # touched report versions (raw.touched) up to which a refresh runs two nodes at once


def refresh_resources(cells: int, touched: int) -> Resources:
    """A refresh's resources: those of a build of the same size (resources), but two nodes at once
    when at most SMALL_CHANGE report versions were touched. The incremental models and the tests
    then read a few reports each, and the models still rebuilt whole are the small ones (per
    body-year or per body, not per cell), which fit the cap side by side."""
    whole = resources(cells)
    return Resources(threads=SMALL.threads, memory=whole.memory) if touched <= SMALL_CHANGE else whole


class DbtChild:
    """dbt's child process (ingest/warehouse/dbt_child.py) for a build into `database`, started
    (start()) as soon as the caller knows dbt will run: it imports dbt and parses the project
    (about 2.5 s at any size) while the caller is still loading, and opens `database` only at the
    go, which go() sends (build(): go, then wait). A context manager: leaving it without a build
    ends a child that has run nothing (no go: it exits as soon as its stdin closes), and one never
    started costs nothing. `work` as for dbt_build; `project`: the dbt project (tests use small ones)."""

    def __init__(self, database: Path, work: Path | None = None, project: Path = PROJECT) -> None:
        self.database = Path(database).resolve()
        self.work, self.project = work, Path(project)
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> DbtChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the child (once). Its output waits in a pipe until the build reads it: a few
        lines while dbt parses (a pipe holds 64 KiB; a fuller one would only hold the parse up)."""
        if self._proc is not None:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="xxgk-dbt-") if self.work is None else None
        # absolute: the child runs in the project's folder, a relative `work` is the caller's
        self.folder = Path(self.work).absolute() if self.work is not None else Path(self._tmp.name)
        self.results_file = self.folder / "target" / "run_results.json"
        self.results_file.unlink(missing_ok=True)  # never read the results of an earlier build
        env = {key: value for key, value in os.environ.items() if key not in RUN_ENV}  # parsing sees profiles.yml's defaults
        env.update(XXGK_WAREHOUSE=str(self.database), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
        common = ["--project-dir", str(self.project), "--profiles-dir", str(self.project),
                  "--target-path", str(self.folder / "target"), "--log-path", str(self.folder / "logs")]
        self._proc = subprocess.Popen([sys.executable, "-m", "ingest.warehouse.dbt_child",
                                       str(self.results_file), *common],
                                      cwd=PROJECT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    def build(self, extra: list[str] | None = None, using: Resources = SMALL, touched_tests: bool = False) -> DbtResult:
        """Send the go (`dbt build` with `extra`, see dbt_build) and wait for the child's end."""
        self.go(extra, using, touched_tests)
        return self.wait()

    def go(self, extra: list[str] | None = None, using: Resources = SMALL, touched_tests: bool = False) -> None:
        """Send the go and return at once: the caller may work while dbt builds, then wait()."""
        self.start()
        assert self._proc is not None and self._proc.stdin is not None
        go = {"args": ["build", "--threads", str(using.threads), *(extra or [])],
              "env": {"XXGK_WAREHOUSE": str(self.database), "XXGK_DBT_MEMORY": using.memory,
                      "XXGK_DBT_TESTS": "touched" if touched_tests else "all"}}
        try:
            self._proc.stdin.write((json.dumps(go) + "\n").encode())
            self._proc.stdin.flush()
        except BrokenPipeError:  # a child gone already: its status says why (wait)
            pass

    def wait(self) -> DbtResult:
        """The outcome of the build the go started: waits for the child's end."""
        assert self._proc is not None
        output, _ = self._proc.communicate()
        return _outcome(self.database, self.folder, self._proc.returncode, output.decode(errors="replace"),
                        _results(self.results_file))

    def close(self) -> None:
        """End the child: one that got no go exits at once, having run nothing."""
        if self._proc is None:
            return
        if self._proc.returncode is None:  # no build
            try:
                self._proc.communicate(timeout=STOP_WAIT)  # closes its stdin: no go
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.communicate()
        if self._tmp is not None:
            self._tmp.cleanup()
        self._proc = None


RUN_ENV = ("XXGK_DBT_MEMORY", "XXGK_DBT_TESTS")  # what only the build reads (see dbt_child): set by the go
STOP_WAIT = 10.0  # seconds a child without a go gets to exit before it is killed


def _outcome(database: Path, folder: Path, status: int, output: str, results: list[dict]) -> DbtResult:
    """What a dbt child's exit status, output and run results say about its build."""
    failures = [f"{r['unique_id']}: {r['status']} {r.get('message') or ''}".strip()
                for r in results if r["status"] in ("error", "fail", "runtime error")]
    if status != 0 and not failures:
        tail = "\n".join(output.strip().splitlines()[-15:])
        failures.append(f"dbt exited with status {status}:\n{tail}")
    if status != 0 and no_space(output + "\n".join(failures)):
        failures.insert(0, f"{NO_SPACE} ({NO_SPACE_ZH}) while dbt wrote {database} or its logs in {folder}")
    return DbtResult(ok=status == 0 and not failures, failures=failures)


def dbt_build(database: Path, extra: list[str] | None = None, work: Path | None = None,
              using: Resources = SMALL, touched_tests: bool = False) -> DbtResult:
    """`dbt build` (seeds, models, data tests) into `database`; ok only if every error-severity
    node passed. `work` keeps dbt's target and logs (see work_dir); without it they live in a
    temporary folder and dbt parses the whole project again. `using`: threads and memory cap.
    `touched_tests`: a refresh's build, whose data tests of models keyed by report version see
    only the touched versions (macros/touched_rows.sql reads XXGK_DBT_TESTS at run time). A
    caller that can start dbt earlier uses DbtChild directly."""
    with DbtChild(database, work) as child:
        return child.build(extra, using, touched_tests)
