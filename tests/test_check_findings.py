"""mart_check_findings: a failing check of a current report down to each of its input cells, with
the printed text, the place in the file and the file — the narrative sentence for
NARRATIVE_MATCH, the other year's cell and file for CROSS_YEAR_CARRY."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.warehouse_helpers import query, query_dicts

COLUMNS = ["report_id", "body_name", "region_code", "year", "rule_id", "rule_name", "scope", "lhs", "rhs",
           "difference", "side", "table_no", "row_code", "column_code", "value", "raw_text", "source", "file", "note"]


def findings(db: Path, body_name: str, rule_id: str, scope: str) -> list[dict[str, object]]:
    return query_dicts(db, "select * from mart_check_findings where body_name = ? and rule_id = ? and scope = ? "
                           "order by side, table_no, row_code, column_code", [body_name, rule_id, scope])


def test_findings_have_the_columns_a_letter_needs_in_order(readable_warehouse: Path) -> None:
    names = [name for (name,) in query(readable_warehouse, """select column_name from duckdb_columns()
        where database_name = current_database() and table_name = 'mart_check_findings' order by column_index""")]
    assert names[:len(COLUMNS)] == COLUMNS


def test_a_narrative_breach_shows_the_sentence_and_the_table_cell(readable_warehouse: Path) -> None:
    words, table = findings(readable_warehouse, "石台县教育局", "NARRATIVE_MATCH", "new_received")
    assert (words["lhs"], words["rhs"], words["difference"]) == (Decimal(20), Decimal(19), Decimal(1))
    assert (words["rule_name"], words["side"], words["table_no"], words["row_code"]) == (
        "正文与表格一致", "lhs", 0, "new_received")
    assert (words["value"], words["raw_text"], words["source"]) == (Decimal(20), "20件", "line 3")
    assert words["cell_label"] == "正文 · 收到政府信息公开申请"
    assert (table["side"], table["table_no"], table["row_code"], table["column_code"], table["value"]) == (
        "rhs", 3, "new_received", "total", Decimal(19))
    assert words["file"] == table["file"] == "石台县教育局_2024.txt"


def test_a_cross_year_breach_shows_the_other_years_cell_and_file(readable_warehouse: Path) -> None:
    this_year, last_year = findings(readable_warehouse, "石台县民政局", "CROSS_YEAR_CARRY", "total")
    assert (this_year["row_code"], this_year["value"], this_year["year"], this_year["input_year"]) == (
        "carried_over", Decimal(2), 2024, 2024)
    assert this_year["file"] == "石台县民政局_2024.txt"
    assert (last_year["side"], last_year["row_code"], last_year["value"], last_year["input_year"]) == (
        "rhs", "carried_forward", Decimal(0), 2023)
    assert last_year["file"] == "石台县民政局_2023.txt"
    assert last_year["report_id"] == this_year["report_id"] != last_year["input_report_id"]


def test_a_blank_total_column_is_found_row_by_row(readable_warehouse: Path) -> None:
    granted = findings(readable_warehouse, "贵池区人民政府", "T3_COLUMN_SUM", "granted")
    assert {(f["side"], f["column_code"]) for f in granted} == {("lhs", "total")} | {
        ("rhs", c) for c in ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                             "legal_service_org", "other_org")}
    total = next(f for f in granted if f["side"] == "lhs")
    assert (total["value"], total["raw_text"], total["note"]) == (Decimal(0), "", "empty cell read as 0")


def test_every_failing_check_of_a_current_report_has_its_cells(readable_warehouse: Path) -> None:
    missing = query(readable_warehouse, """
        select rule_id, body_name, scope from mart_check_results where is_current and status = 'fail'
        except select rule_id, body_name, scope from mart_check_findings""")
    assert missing == []
    untraced = query(readable_warehouse, "select count(*) from mart_check_findings "
                                         "where raw_text is null or source is null or file is null")
    assert untraced == [(0,)]
