"""A refresh tests what it rebuilt (issue 11): the data tests of a model that declares
`touched_key` see only the touched report versions, or peer groups (macros touched_rows and
get_where_subquery), still fail on a violation among them, and see every row in a full build; a
test that stores its failures always sees every row. A tiny dbt project with the project's
macros runs each way."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.warehouse_helpers import probe_project, run_dbt

PROJECT_YML = """name: touched_probe
version: "0.1.0"
config-version: 2
profile: xxgk
macro-paths: ["macros"]
seed-paths: ["seeds"]
test-paths: ["tests"]
"""

SEEDS = {
    "int_reports__touched.csv": "report_id\na\n",
    # report a (touched) and report b (untouched) each repeat a key
    "cells.csv": "report_id,k\na,1\na,1\nb,2\nb,2\n",
    "pairs.csv": "report_id,k\na,1\na,2\nb,3\n",
    "int_peer_groups__touched.csv": "scope,scope_code,level,body_type,year\nprovince,11,county,government,2024\n",
    # a touched peer group and three untouched ones (another year, another code, another type)
    # each repeat a report's rank
    "ranks.csv": ("report_id,scope,scope_code,level,body_type,year\n"
                  "a,province,11,county,government,2024\na,province,11,county,government,2024\n"
                  "b,province,11,county,government,2023\nb,province,11,county,government,2023\n"
                  "c,province,12,county,government,2024\nc,province,12,county,government,2024\n"
                  "d,province,11,county,department,2024\nd,province,11,county,department,2024\n"),
}

TESTS_YML = """version: 2
seeds:
  - name: cells
    config: {meta: {touched_key: report_id}}
    data_tests:
      - expect_unique_combination: {name: scoped_unique, arguments: {combination_of_columns: [report_id, k]}}
      - expect_unique_combination:
          name: stored_unique
          arguments: {combination_of_columns: [report_id, k]}
          config: {store_failures_as: view}
      - expect_row_count_equal: {name: scoped_row_count, arguments: {compare_model: ref('pairs')}}
  - name: pairs
    config: {meta: {touched_key: report_id}}
  - name: ranks
    config: {meta: {touched_key: peer_group}}
    data_tests:
      - expect_unique_combination: {name: scoped_group_unique, arguments: {combination_of_columns: [report_id, scope]}}
"""

SINGULAR = """-- Rule: every cell row has a distinct key (touched rows only in a refresh).
select report_id, k from {{ touched_rows(ref('cells')) }} group by all having count(*) > 1
"""


def outcomes(root: Path, monkeypatch: pytest.MonkeyPatch, scope: str, *args: str) -> dict[str, tuple[str, int]]:
    monkeypatch.setenv("XXGK_DBT_TESTS", scope)
    proc = run_dbt(root, root / "probe.duckdb", "build", *args)
    assert proc.returncode == 1, proc.stdout[-3000:]  # some test fails every way
    results = json.loads((root / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"].split(".")[2]: (r["status"], r["failures"] or 0)
            for r in results if r["unique_id"].startswith("test.")}


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = probe_project(tmp_path_factory.mktemp("touched"), PROJECT_YML, SEEDS, TESTS_YML)
    (root / "tests").mkdir()
    (root / "tests" / "assert_scoped_singular.sql").write_text(SINGULAR, encoding="utf-8")
    return root


def test_a_refresh_tests_only_the_touched_versions_and_still_fails_on_them(
        probe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = outcomes(probe, monkeypatch, "touched")
    assert seen["scoped_unique"] == ("fail", 1)  # a's repeat, not b's
    assert seen["assert_scoped_singular"] == ("fail", 1)
    assert seen["scoped_row_count"] == ("pass", 0)  # both sides scoped: 2 rows of a each
    assert seen["stored_unique"] == ("fail", 2)  # its audit view lists every failure
    assert seen["scoped_group_unique"] == ("fail", 1)  # keyed by peer group: a's, in the touched group


def test_a_refresh_reads_the_touched_versions_once(probe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three scoped tests (four touched_rows calls) query int_reports__touched once (run_cache),
    or once per thread: dbt's two threads may both find the cache empty in the same instant
    (harmless, the same values; seen under load). Without the cache: four."""
    outcomes(probe, monkeypatch, "touched")
    log = (probe / "logs" / "dbt.log").read_text(encoding="utf-8")
    last_run = log[log.rindex("Running with dbt"):]
    assert 1 <= last_run.count('select report_id from "main"."int_reports__touched" order by 1') <= 2


@pytest.mark.parametrize("scope, args", [("all", ()), ("touched", ("--full-refresh",))])
def test_a_build_tests_every_row(probe: Path, monkeypatch: pytest.MonkeyPatch, scope: str, args: tuple[str, ...]) -> None:
    seen = outcomes(probe, monkeypatch, scope, *args)
    assert seen["scoped_unique"] == ("fail", 2)
    assert seen["assert_scoped_singular"] == ("fail", 2)
    assert seen["scoped_row_count"] == ("fail", 1)  # 4 cell rows against 3 pairs
    assert seen["stored_unique"] == ("fail", 2)
    assert seen["scoped_group_unique"] == ("fail", 4)
