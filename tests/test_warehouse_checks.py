"""Plant a breach of each statutory rule in raw data, run the real `dbt build`, and read
mart_check_results; a broken invariant of our own (a duplicated cell) must fail the build."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.warehouse_helpers import (Record, gold_record, load_raw, make_project, query, report_id, run_dbt,
                                     set_cell, set_narrative)

SHITAI = "shitai_2024_word_paste"
MARTS = ("dim_region", "dim_body", "fct_report", "fct_application_outcome", "fct_active_disclosure",
         "fct_review_litigation", "mart_check_results", "mart_check_findings", "mart_body_year_metrics",
         "mart_peer_benchmarks", "mart_load_issues")


def body(name: str, year: int = 2024) -> Record:
    """A copy of 石台县人民政府 2024 (which passes every rule) under another body name."""
    return gold_record(SHITAI, body_name=name, year=year, region_code="341722", file=f"{name}_{year}.txt")


def planted_records() -> list[Record]:
    real = gold_record(SHITAI, region_code="341722", file=f"{SHITAI}.txt")
    withdrawn = {**gold_record(SHITAI, region_code="341722", file="old/shitai_2024.txt"), "status": "withdrawn"}
    set_cell(withdrawn, 3, "granted", "total", 1)
    carry_2023 = body("结转局", 2023)
    carry_2024 = set_cell(set_cell(body("结转局"), 3, "carried_over", "natural_person", 2), 3, "carried_over", "total", 2)
    stock_2023 = set_cell(body("存量局", 2023), 2, "normative_docs_in_force", "value", 100)
    return [
        real, withdrawn, carry_2023, carry_2024, stock_2023, body("存量局"),
        set_cell(set_cell(body("平衡局"), 3, "carried_forward", "natural_person", 2), 3, "carried_forward", "total", 2),
        set_cell(body("办理局"), 3, "granted", "legal_service_org", 3),
        set_cell(body("合计局"), 3, "denied_process_info", "total", 5),
        set_cell(body("诉讼局"), 4, "litigation_direct", "total", 4),
        set_cell(body("负数局"), 2, "penalty_decisions", "value", -2),
        set_narrative(set_narrative(set_narrative(set_narrative(body("叙述局"), "new_received", 20), "review_total", 2),
                                    "normative_docs_issued", 13), "normative_docs_in_force", 68),
        set_cell(body("缺失局"), 3, "new_received", "natural_person", None),
        set_cell(body("更正局"), 3, "granted", "total", 90),
    ]


CORRECTION = {"file": "更正局_2024.txt", "report_id": "", "table_no": 3, "row_code": "granted", "column_code": "total",
              "corrected_value": 9, "reason": "test: 9 printed as 90", "source": "tests/test_warehouse_checks.py"}


def marts(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {table: query(db, f"select * from {table} order by all") for table in MARTS}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple[Any, ...]]]]:
    """Planted raw data built twice with the real `dbt build`: (warehouse, marts after the first build)."""
    root = tmp_path_factory.mktemp("warehouse")
    project = make_project(root / "project", corrections=[CORRECTION])
    db = root / "warehouse.duckdb"
    load_raw(db, planted_records(), [{"file": "scan.pdf", "sha256": "0" * 64, "error": "no text layer"}])
    first = run_dbt(project, db, "build", "--threads", "2")
    assert first.returncode == 0, first.stdout[-4000:]
    assert re.search(r"\b[1-9]\d* unit tests\b", first.stdout), "the rate and rank unit tests must run here"
    after_first = marts(db)
    second = run_dbt(project, db, "build", "--threads", "2")
    assert second.returncode == 0, second.stdout[-4000:]
    return db, after_first


@pytest.fixture(scope="module")
def warehouse(builds: tuple[Path, dict[str, list[tuple[Any, ...]]]]) -> Path:
    return builds[0]


def check(db: Path, body_name: str, rule_id: str, scope: str, year: int = 2024) -> dict[str, Any]:
    columns = ["status", "lhs", "rhs", "difference", "severity", "status_original", "lhs_original",
               "uses_corrections", "compared_report_id"]
    rows = query(db, f"select {', '.join(columns)} from mart_check_results where is_current and body_name = ? "
                     "and rule_id = ? and scope = ? and year = ?", [body_name, rule_id, scope, year])
    assert len(rows) == 1, (body_name, rule_id, scope, rows)
    return dict(zip(columns, rows[0]))


@pytest.mark.parametrize("body_name, rule_id, scope, lhs, rhs", [
    ("平衡局", "T3_BALANCE", "natural_person", 19, 21),
    ("平衡局", "T3_BALANCE", "total", 19, 21),
    ("办理局", "T3_OUTCOME_SUM", "legal_service_org", 0, 3),
    ("合计局", "T3_COLUMN_SUM", "denied_process_info", 5, 0),
    ("诉讼局", "T4_BLOCK_SUM", "litigation_direct", 4, 0),
    ("负数局", "NON_NEGATIVE", "2.penalty_decisions.value", -2, 0),
    ("结转局", "CROSS_YEAR_CARRY", "natural_person", 2, 0),
    ("叙述局", "NARRATIVE_MATCH", "new_received", 20, 19),
    ("叙述局", "NARRATIVE_MATCH", "normative_docs_issued", 13, 12),
])
def test_planted_breach_fails_with_its_scope_and_difference(
        warehouse: Path, body_name: str, rule_id: str, scope: str, lhs: float, rhs: float) -> None:
    result = check(warehouse, body_name, rule_id, scope)
    assert (result["status"], result["lhs"], result["rhs"], result["difference"]) == ("fail", lhs, rhs, lhs - rhs)
    assert result["severity"] == "error"


def test_stock_flow_breach_is_advisory(warehouse: Path) -> None:
    result = check(warehouse, "存量局", "T2_STOCK_FLOW", "normative_docs")
    assert (result["status"], result["lhs"], result["rhs"], result["difference"]) == ("fail", 45, 68, -23)
    assert result["severity"] == "advisory"


def test_untouched_scopes_and_rules_pass(warehouse: Path) -> None:
    assert check(warehouse, "平衡局", "T3_BALANCE", "commercial_enterprise")["status"] == "pass"
    assert check(warehouse, "叙述局", "NARRATIVE_MATCH", "review_total")["status"] == "pass"
    assert check(warehouse, "叙述局", "NARRATIVE_MATCH", "normative_docs_in_force")["status"] == "pass"
    rows = query(warehouse, "select rule_id, scope, status from mart_check_results where is_current "
                            "and body_name = '石台县人民政府' and status = 'fail'")
    assert rows == []


def test_missing_inputs_are_not_assessable(warehouse: Path) -> None:
    assert check(warehouse, "缺失局", "T3_BALANCE", "natural_person")["status"] == "not_assessable"
    assert check(warehouse, "结转局", "CROSS_YEAR_CARRY", "total", year=2023)["status"] == "not_assessable"
    assert check(warehouse, "叙述局", "NARRATIVE_MATCH", "litigation_total")["status"] == "not_assessable"


def test_cross_year_check_names_the_previous_report(warehouse: Path) -> None:
    previous = report_id(body("结转局", 2023))
    assert check(warehouse, "结转局", "CROSS_YEAR_CARRY", "natural_person")["compared_report_id"] == previous


def test_correction_fixes_the_check_and_keeps_the_printed_value(warehouse: Path) -> None:
    result = check(warehouse, "更正局", "T3_COLUMN_SUM", "granted")
    assert (result["status"], result["status_original"], result["lhs_original"]) == ("pass", "fail", 90)
    assert result["uses_corrections"] is True
    assert query(warehouse, "select count, original_count, is_corrected from fct_application_outcome "
                            "where body_name = '更正局' and row_code = 'granted' and applicant_code = 'total'") == [(9, 90, True)]


def test_shitai_2024_rates(warehouse: Path) -> None:
    rows = query(warehouse, "select disclosure_ratio, review_reversal_rate, small_sample "
                            "from mart_body_year_metrics where body_name = '石台县人民政府' and year = 2024")
    assert rows == [(9 / 19, 0.0, True)]


def test_active_version_wins_and_every_report_is_kept(warehouse: Path) -> None:
    assert query(warehouse, "select file, version_count from fct_report where body_name = '石台县人民政府'") == [
        (f"{SHITAI}.txt", 2)]
    loaded = query(warehouse, "select count(*) from staging.stg_raw__reports")[0][0]
    assert loaded == len(planted_records())
    checked = query(warehouse, "select count(distinct report_id) from mart_check_results")[0][0]
    assert checked == loaded


def test_rule_breaches_are_warnings_with_stored_failures(warehouse: Path) -> None:
    stored = query(warehouse, "select report_id, scope from audit.check_t3_balance order by all")
    failed = query(warehouse, "select report_id, scope from mart_check_results "
                              "where rule_id = 'T3_BALANCE' and status = 'fail' order by all")
    assert stored == failed and len(stored) == 4  # 平衡局 and 结转局 2024, natural_person and total


def test_second_build_gives_identical_marts(builds: tuple[Path, dict[str, list[tuple[Any, ...]]]]) -> None:
    db, after_first = builds
    assert all(after_first[table] for table in MARTS)
    assert marts(db) == after_first


def test_duplicated_cell_fails_the_build(tmp_path: Path) -> None:
    db = tmp_path / "broken.duckdb"
    load_raw(db, [body("重复局")], [])  # a typed record holds one cell per address: duplicate one in raw
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO raw.cells SELECT * FROM raw.cells LIMIT 1")
    con.close()
    proc = run_dbt(make_project(tmp_path / "project"), db, "build", "--threads", "2")
    assert proc.returncode != 0
    assert "expect_unique_combination_stg_raw__cells" in proc.stdout


def test_a_null_in_one_column_fails_the_build_and_names_that_column(tmp_path: Path) -> None:
    """The not-NULL columns of a model are checked by one test (not_null_columns): a blank body
    name (NULL once staged, macro clean_text) fails it, and its rows name the column and count."""
    db = tmp_path / "blank.duckdb"
    load_raw(db, [body("空名局"), body("有名局")], [])
    con = duckdb.connect(str(db))
    con.execute("UPDATE raw.reports SET body_name = '  ' WHERE body_name = '空名局'")
    con.close()
    project = make_project(tmp_path / "project")
    proc = run_dbt(project, db, "build", "--threads", "2", "--exclude", "tag:macro_unit")
    assert proc.returncode != 0
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    failed = [r for r in results if r["status"] == "fail"]
    assert [r["unique_id"].split(".")[2] for r in failed] == [
        "not_null_columns_stg_raw__reports_report_id__file__layout__table3_layout__body_name__year__status"]
    assert query(db, failed[0]["compiled_code"]) == [("body_name", 1)]
