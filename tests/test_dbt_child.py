"""dbt's child process (ingest/warehouse/dbt_child.py): dbt runs without its JSON artifacts, yet
the run results the build reads are written, and the exit status says what dbt's own would. The
early child (DbtChild) parses before its go and builds the same; without a go it runs nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse.dbt import DbtChild, Resources
from tests.warehouse_helpers import probe_project, query

PROJECT_YML = """name: child_probe
version: "0.1.0"
config-version: 2
profile: xxgk
macro-paths: ["macros"]
seed-paths: ["seeds"]
"""

SEEDS = {"pairs.csv": "report_id,k\na,1\na,1\n"}

TESTS_YML = """version: 2
seeds:
  - name: pairs
    data_tests:
      - expect_unique_combination: {name: pairs_unique, arguments: {combination_of_columns: [report_id, k]}}
"""


def start_child(root: Path, database: Path) -> subprocess.Popen[str]:
    """The child as DbtChild starts it, its target and logs in `root`: it parses, then awaits its go."""
    env = {**os.environ, "XXGK_WAREHOUSE": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    return subprocess.Popen([sys.executable, "-m", "ingest.warehouse.dbt_child", str(root / "results.json"),
                             "--project-dir", str(root), "--profiles-dir", str(root),
                             "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
                            cwd=Path(__file__).resolve().parent.parent, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def run_child(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Start the child, send the go (`dbt ARGS` with `env`) at once; its exit status and output."""
    child = start_child(root, root / "probe.duckdb")
    output, _ = child.communicate(json.dumps({"args": list(args), "env": env or {}}) + "\n", timeout=600)
    return child.returncode, output


def test_a_failing_test_is_in_the_results_and_no_json_artifact_is_written(tmp_path: Path) -> None:
    root = probe_project(tmp_path, PROJECT_YML, SEEDS, TESTS_YML)
    status, output = run_child(root, "build")
    assert status == 1, output[-3000:]
    results = json.loads((root / "results.json").read_text(encoding="utf-8"))["results"]
    assert {r["unique_id"].split(".")[2]: r["status"] for r in results} == {"pairs": "success", "pairs_unique": "fail"}
    assert not (root / "target" / "manifest.json").exists()
    assert not (root / "target" / "run_results.json").exists()
    assert (root / "target" / "partial_parse.msgpack").exists()  # partial parsing is kept


def test_a_project_dbt_cannot_parse_exits_2(tmp_path: Path) -> None:
    root = probe_project(tmp_path, PROJECT_YML, SEEDS, "version: 2\nseeds: [{name: pairs, data_tests: [{{ broken")
    status, output = run_child(root, "build")
    assert status == 2, output[-3000:]
    assert not (root / "results.json").exists()


# The early child: a model that shows the memory cap its connection got and a variable the
# project reads while parsing.
MODELS = {"probe.sql": "{{ config(materialized='table') }} select current_setting('memory_limit') as memory_limit, "
                       "'{{ env_var(\'XXGK_PROBE\', \'unset\') }}' as probe"}


def early_project(tmp_path: Path) -> Path:
    root = probe_project(tmp_path, PROJECT_YML, SEEDS, TESTS_YML)
    (root / "models").mkdir()
    for name, sql in MODELS.items():
        (root / "models" / name).write_text(sql, encoding="utf-8")
    return root


def parses(work: Path) -> int:
    """How many times dbt parsed the project (in full or partially) per its log in `work`."""
    return (work / "logs" / "dbt.log").read_text(encoding="utf-8").count("checksum: ")  # each parse checks its state


def duckdb_shows(memory: str) -> str:
    """DuckDB's own rendering of a memory cap, as current_setting('memory_limit') gives it."""
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{memory}'")
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()


def test_an_early_child_builds_with_the_project_it_parsed_before_its_go(tmp_path: Path) -> None:
    root = early_project(tmp_path)
    database, work = root / "probe.duckdb", root / "work"
    with DbtChild(database, work, project=root) as dbt:
        dbt.start()
        result = dbt.build([], using=Resources(threads=1, memory="123MB"))
    assert not result.ok
    assert [f.split(":")[0].split(".")[2] for f in result.failures] == ["pairs_unique"], result.failures
    assert query(database, "select memory_limit, probe from probe") == [(duckdb_shows("123MB"), "unset")]  # the go's cap
    assert parses(work) == 1, "the build used the project the child parsed before its go"
    assert not database.with_name(database.name + ".wal").exists(), "the child exits having closed the database"
    assert "Command `cli build` failed" in (work / "logs" / "dbt.log").read_text(encoding="utf-8")  # flushed
    statuses = {r["unique_id"].split(".")[2]: r["status"]
                for r in json.loads((work / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]}
    assert statuses == {"pairs": "success", "pairs_unique": "fail", "probe": "success"}


def test_a_relative_work_folder_is_the_callers_not_the_projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `xxgk build --warehouse w.duckdb` keeps dbt's target and logs in w.duckdb.dbt beside the
    # warehouse, in the caller's folder, although the child runs in the project's folder.
    root = probe_project(tmp_path / "project", PROJECT_YML, SEEDS, "version: 2\n")
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    with DbtChild(Path("w.duckdb"), Path("w.duckdb.dbt"), project=root) as dbt:
        result = dbt.build([], using=Resources(threads=1, memory="200MB"))
    assert result.ok, result.failures
    assert (caller / "w.duckdb.dbt" / "target" / "run_results.json").is_file()
    assert (caller / "w.duckdb.dbt" / "logs" / "dbt.log").is_file()
    assert not (Path(__file__).resolve().parent.parent / "w.duckdb.dbt").exists()


@pytest.mark.parametrize("when", ["at once", "after parsing"])
def test_a_child_without_a_go_exits_0_and_never_opens_the_warehouse(tmp_path: Path, when: str) -> None:
    root = early_project(tmp_path)
    database = root / "probe.duckdb"
    child = start_child(root, database)
    if when == "after parsing":  # dbt wrote its parsed project: the child now waits for the go
        while not (root / "target" / "partial_parse.msgpack").exists() and child.poll() is None:
            time.sleep(0.1)
    child.stdin.close()
    output = child.stdout.read()
    assert child.wait(timeout=60) == 0, output
    assert not database.exists(), "dbt opened (and so created) the warehouse without a go"
    assert not (root / "results.json").exists()
    assert "START" not in output and "Error" not in output


@pytest.mark.parametrize("change", ["a variable read while parsing", "the warehouse"])
def test_a_go_that_changes_what_parsing_read_has_the_project_parsed_again(tmp_path: Path, change: str) -> None:
    root = early_project(tmp_path)
    database = root / "probe.duckdb"
    env = {"XXGK_PROBE": "set"} if change == "a variable read while parsing" else {"XXGK_WAREHOUSE": str(root / "other.duckdb")}
    status, output = run_child(root, "build", "--select", "probe", env=env)
    assert status == 0, output[-3000:]
    built = Path(env.get("XXGK_WAREHOUSE", database))
    assert query(built, "select probe from probe") == [(env.get("XXGK_PROBE", "unset"),)]
    assert parses(root) == 2, "the child's parsed project was stale: dbt parsed again"


def test_a_go_with_a_bad_argument_fails_and_says_why(tmp_path: Path) -> None:
    root = early_project(tmp_path)
    database = root / "probe.duckdb"
    with DbtChild(database, root / "work", project=root) as dbt:
        dbt.start()
        result = dbt.build(["--no-such-option"])
    assert not result.ok
    assert result.failures[0].startswith("dbt exited with status 2:"), result.failures
    assert "--no-such-option" in result.failures[0]
    assert not database.exists()


def test_a_torn_saved_parse_is_parsed_again(tmp_path: Path) -> None:
    # A child told "no go" exits at once, maybe while dbt still writes partial_parse.msgpack (not
    # atomically): the next child must find the torn file unreadable and parse the project whole.
    root = early_project(tmp_path)
    status, output = run_child(root, "build", "--select", "probe")
    assert status == 0, output[-3000:]
    saved = root / "target" / "partial_parse.msgpack"
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    status, output = run_child(root, "build", "--select", "probe")
    assert status == 0, output[-3000:]
    assert "Failed to load parsed file from disk" in (root / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert query(root / "probe.duckdb", "select probe from probe") == [("unset",)]
