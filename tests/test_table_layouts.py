"""Each table's form is told apart on its own (issue 13, cause 3): a 2021 report may print Table 3
in the 2019 form, with one `（六）其他处理` row. The record keeps `layout` (Table 2's form) and
`table3_layout`; the warehouse rolls the 2019 row `other_single` into the `other` group by
Table 3's layout, and checks the report's Table 3 by it (a real dbt build)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.parse import parse_bytes, parse_file
from tests.gold import FIXTURES, compare, load_gold
from tests.warehouse_helpers import gold_record, load_raw, make_project, query, report_id, run_dbt, set_cell

SEED = (FIXTURES / "corpus" / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
GOLD = load_gold("shitai_2024_word_paste")
OTHER_ROWS = re.compile(r"\t（六）其他处理\n.*?(?=\t（七）总计)", re.S)


def test_real_reports_with_a_2019_table3_in_a_2021_report() -> None:
    for stem in ("pingtan_haitan_2023", "huaian_hongze_2023"):
        [path] = (FIXTURES / "corpus").glob(f"{stem}.*")
        rec = parse_file(path)
        assert (rec["layout"], rec["table3_layout"]) == ("2021", "2019"), stem
        assert "other_single" in rec["table3"] and "other_no_correction" not in rec["table3"]
        assert compare(rec, load_gold(stem)) == ([], []), stem


def test_the_shitai_report_with_its_table3_printed_in_the_2019_form() -> None:
    single = "\t（六）其他处理\n" + "\t0\n" * 7 + "\n\t\n"
    text, n = OTHER_ROWS.subn(single, SEED)
    assert n == 1
    rec = parse_bytes(text.encode("utf-8"), "hybrid.txt")
    assert (rec["layout"], rec["table3_layout"]) == ("2021", "2019")
    assert rec["table3"]["other_single"] == dict.fromkeys(GOLD["table3"]["other_other"], 0)
    assert rec["table2"] == GOLD["table2"] and rec["table4"] == GOLD["table4"]
    rows = {k: v for k, v in GOLD["table3"].items() if not k.startswith("other_")}
    assert {k: v for k, v in rec["table3"].items() if k != "other_single"} == rows
    assert rec["warnings"] == []


def test_a_2021_and_a_2019_report_keep_one_form_for_both_tables() -> None:
    assert (parse_bytes(SEED.encode("utf-8"), "2021.txt")["table3_layout"]) == "2021"
    flat_2019 = parse_file(FIXTURES / "corpus" / "pingtan_2019_flat.txt")
    assert (flat_2019["layout"], flat_2019["table3_layout"]) == ("2019", "2019")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """洪泽区 2023 (Table 3 in the 2019 form) with 3 applications in 其他处理, through a real dbt build."""
    root = tmp_path_factory.mktemp("layouts")
    rec = gold_record("huaian_hongze_2023", region_code="320813")
    for row, column, value in (("other_single", "natural_person", 3), ("other_single", "total", 3),
                               ("total_processed", "natural_person", 24), ("total_processed", "total", 24),
                               ("new_received", "natural_person", 24), ("new_received", "total", 24)):
        set_cell(rec, 3, row, column, value)
    db = root / "warehouse.duckdb"
    load_raw(db, [rec])
    proc = run_dbt(make_project(root / "project"), db, "build", "--threads", "2")
    assert proc.returncode == 0, proc.stdout[-3000:]
    return db


def test_the_warehouse_rolls_other_single_into_other_by_table3s_layout(warehouse: Path) -> None:
    rid = report_id(gold_record("huaian_hongze_2023", region_code="320813"))
    assert query(warehouse, "select layout, table3_layout from fct_report") == [("2021", "2019")]
    rows = query(warehouse, """select group_code, sum(count) from fct_application_outcome
        where report_id = ? and applicant_code = 'natural_person' and group_code = 'other' group by 1""", [rid])
    assert rows == [("other", 3)]
    assert query(warehouse, "select count(*) from fct_application_outcome where group_code is null "
                            "and row_code like 'other%'") == [(0,)]


def test_the_warehouse_checks_table3_by_its_own_layout(warehouse: Path) -> None:
    statuses = dict(query(warehouse, """select rule_id || ':' || scope, status from mart_check_results
        where rule_id in ('T3_OUTCOME_SUM', 'T3_COLUMN_SUM', 'T3_BALANCE')"""))
    assert statuses["T3_OUTCOME_SUM:natural_person"] == "pass"
    assert statuses["T3_COLUMN_SUM:other_single"] == "pass"
    assert "T3_COLUMN_SUM:other_no_correction" not in statuses
    assert set(statuses.values()) == {"pass"}
