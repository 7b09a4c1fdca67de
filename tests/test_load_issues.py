"""mart_load_issues: failed files, warnings and cells left unread, in one place per file and
report; an uncertain cell comes with the candidate splits of its glued run."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.conftest import OPEN_RUN, SCAN_FAILURE
from tests.warehouse_helpers import query_dicts


def issues(db: Path, kind: str) -> list[dict[str, object]]:
    return query_dicts(db, "select * from mart_load_issues where issue_kind = ? order by file, row_code", [kind])


def test_a_failed_file_is_listed_with_its_error(readable_warehouse: Path) -> None:
    failed = issues(readable_warehouse, "failed_file")
    assert [(f["file"], f["message"], f["issue_label"], f["report_id"]) for f in failed] == [
        (SCAN_FAILURE["file"], SCAN_FAILURE["error"], "文件未能读取", None)]


def test_an_uncertain_cell_comes_with_its_candidate_splits(readable_warehouse: Path) -> None:
    run, keys, options = OPEN_RUN
    cells = issues(readable_warehouse, "uncertain_cell")
    assert [c["row_code"] for c in cells] == sorted(k.split(".")[1] for k in keys)
    issued = next(c for c in cells if c["row_code"] == "normative_docs_issued")
    assert (issued["file"], issued["table_no"], issued["column_code"], issued["raw_text"], issued["source"]) == (
        "石台县公安局_2024.txt", 2, "value", run, "line 10")
    assert issued["candidate_values"] == [Decimal(option[0]) for option in options]
    assert issued["candidate_splits"] == "12 | 67 | 68; 1 | 267 | 68"
    assert issued["cell_label"] == "表二 · 行政规范性文件 · 本年制发件数"
    assert "2 possible splits" in issued["message"] and issued["is_current"] is True


def test_warnings_are_listed_one_per_row_with_their_report(readable_warehouse: Path) -> None:
    warnings = issues(readable_warehouse, "warning")
    by_body = {w["body_name"]: w for w in warnings}
    assert set(by_body) == {"东湖新城人民政府", "平潭综合实验区"}
    assert "matched only by the start of the body name ('东湖')" in str(by_body["东湖新城人民政府"]["message"])
    assert by_body["东湖新城人民政府"]["region_code"] == "360102"
