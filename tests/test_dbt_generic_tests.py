"""Each custom generic test in macros/generic_tests/ must be able to fail: a tiny dbt project that
uses the project's macros runs every test once on planted violations and once on clean data."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.warehouse_helpers import REPO, probe_project, query, run_dbt

PROJECT_YML = """name: generic_probe
version: "0.1.0"
config-version: 2
profile: xxgk
macro-paths: ["macros"]
seed-paths: ["seeds"]
model-paths: ["models"]
test-paths: ["tests"]
"""

SEEDS = {
    "codes.csv": "code\na\nb\n",
    "observed.csv": "code,good_code\na,a\nzzz,b\n",
    "keys.csv": "k1,k2,other\n1,x,p\n1,x,q\n1,y,r\n",
    "sums.csv": "grp,part,value\ng1,part,1\ng1,part,2\ng1,total,3\ng2,part,1\ng2,part,1\ng2,total,5\n",
    "numbers.csv": "value\n1\n-2\n3\n",
    "blanks.csv": "k,a,b\n1,x,\n2,,\n3,y,\n",
}

TESTS_YML = """version: 2
seeds:
  - name: keys
    data_tests:
      - expect_unique_combination: {name: unique_combination_must_fail, arguments: {combination_of_columns: [k1, k2]}}
      - expect_unique_combination: {name: unique_combination_must_pass, arguments: {combination_of_columns: [k1, k2, other]}}
  - name: observed
    data_tests:
      - accepted_values_from_seeds:
          name: accepted_from_seeds_must_fail
          arguments:
            columns:
              - {column: code, seed: codes, seed_column: code}
              - {column: good_code, seed: codes, seed_column: code, seed_where: "code = 'a'"}
      - accepted_values_from_seeds:
          name: accepted_from_seeds_must_pass
          arguments:
            columns:
              - {column: good_code, seed: codes, seed_column: code}
              - {column: code, where: "code <> 'zzz'", seed: codes, seed_column: code}
  - name: sums
    data_tests:
      - expect_sum_equals:
          name: sum_equals_must_fail
          column_name: value
          arguments: {group_by: [grp], parts_where: "part = 'part'", total_where: "part = 'total'"}
      - expect_sum_equals:
          name: sum_equals_must_pass
          column_name: value
          arguments: {group_by: [grp], parts_where: "part = 'part'", total_where: "part = 'total'"}
          config: {where: "grp = 'g1'"}
  - name: numbers
    data_tests:
      - expect_row_count_equal: {name: row_count_equal_must_fail, arguments: {compare_model: ref('codes')}}
      - expect_row_count_equal: {name: row_count_equal_must_pass, arguments: {compare_model: ref('keys')}}
      - row_count_not_less_than: {name: row_count_guard_must_fail, arguments: {min_count: 10}}
      - row_count_not_less_than: {name: row_count_guard_must_pass, arguments: {min_count: 3}}
      - expect_no_rows_where: {name: no_rows_where_must_fail, arguments: {condition: "value < 0"}}
      - expect_no_rows_where: {name: no_rows_where_must_pass, arguments: {condition: "value < -100"}}
  - name: blanks
    data_tests:
      - not_null_columns: {name: not_null_columns_must_fail, arguments: {column_names: [k, a, b]}}
      - not_null_columns: {name: not_null_columns_must_pass, arguments: {column_names: [k]}}
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The probe's database and its run results per test name after one `dbt build`."""
    root = probe_project(tmp_path_factory.mktemp("probe"), PROJECT_YML, SEEDS, TESTS_YML)
    proc = run_dbt(root, root / "probe.duckdb", "build", "--threads", "2")
    assert proc.returncode == 1, proc.stdout[-3000:]  # the must_fail tests are errors
    results = json.loads((root / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    return root / "probe.duckdb", {r["unique_id"].split(".")[2]: r for r in results if r["unique_id"].startswith("test.")}


@pytest.fixture(scope="module")
def outcomes(results: tuple[Path, dict[str, dict[str, Any]]]) -> dict[str, tuple[str, int]]:
    """Test name -> (status, failing row count)."""
    return {name: (r["status"], r["failures"] or 0) for name, r in results[1].items()}


@pytest.mark.parametrize("name, failing_rows", [
    ("unique_combination", 1),
    ("accepted_from_seeds", 2),
    ("sum_equals", 1),
    ("row_count_equal", 1),
    ("row_count_guard", 1),
    ("no_rows_where", 1),
    ("not_null_columns", 2),
])
def test_generic_test_fails_on_planted_violation_and_passes_on_clean_data(
        outcomes: dict[str, tuple[str, int]], name: str, failing_rows: int) -> None:
    assert outcomes[f"{name}_must_fail"] == ("fail", failing_rows)
    assert outcomes[f"{name}_must_pass"] == ("pass", 0)


@pytest.mark.parametrize("name, rows", [
    ("not_null_columns", [("a", 1), ("b", 3)]),
    ("accepted_from_seeds", [("code", "codes", "zzz", 1), ("good_code", "codes", "b", 1)]),
])
def test_a_test_of_several_columns_names_the_failing_column(
        results: tuple[Path, dict[str, dict[str, Any]]], name: str, rows: list[tuple[Any, ...]]) -> None:
    """One node checks several columns: its failing rows (its compiled SQL) say which and how many."""
    database, by_name = results
    assert sorted(query(database, by_name[f"{name}_must_fail"]["compiled_code"])) == rows


def test_every_custom_generic_test_is_probed() -> None:
    probed = {"expect_unique_combination", "accepted_values_from_seeds", "expect_sum_equals",
              "expect_row_count_equal", "row_count_not_less_than", "expect_no_rows_where", "not_null_columns"}
    shipped = {path.stem for path in (REPO / "macros" / "generic_tests").glob("*.sql")}
    assert shipped == probed
