"""Versions are a function of the folder (issue 9, D4–D7): a report whose files left the folder
leaves the marts (never bringing an older version back) and stays in fct_report_history;
identical copies are one report; two different reports for one body-year are a DUPLICATE_REPORT
finding, resolved the same way by a build and a refresh; a build keeps the history."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.warehouse_helpers import REPO, query, xxgk_into

CORPUS = REPO / "data" / "reports"
PINGTAN_2022 = "pingtan_2022_flat.txt"  # carries the corpus's one NARRATIVE_MATCH breach
SHITAI = "shitai_2024_word_paste.txt"
NEW_RECEIVED = "\t19\n\t0\n\t0\n\t0\n\t0\n\t0\n\t19\n"  # Table 3 row 一 (first) and 总计 of the Shitai report


def folder(tmp_path: Path, *names: str) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, reports / name)
    return reports


def ok(out) -> str:  # noqa: ANN001 - CompletedProcess
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def breaches(stdout: str) -> int:
    return int(stdout.split(" rule breaches")[0].rsplit(" ", 1)[1])


def test_a_deleted_report_leaves_the_marts_and_its_history_stays(tmp_path: Path) -> None:
    """D4: edit, then delete: the superseded version never comes back; a build keeps the history.
    The summary counts breaches of current versions only."""
    reports, warehouse = folder(tmp_path, PINGTAN_2022, SHITAI), tmp_path / "w.duckdb"
    assert breaches(ok(xxgk_into("build", reports, warehouse))) == 1
    with open(reports / PINGTAN_2022, "a", encoding="utf-8") as fh:
        fh.write("\n（编辑后重新发布）\n")
    out = ok(xxgk_into("refresh", reports, warehouse))
    assert "1 changed" in out and breaches(out) == 1
    (reports / PINGTAN_2022).unlink()
    out = ok(xxgk_into("refresh", reports, warehouse))
    assert "1 withdrawn" in out and breaches(out) == 0
    assert query(warehouse, "select count(*) from mart_check_results where status = 'fail'") == [(2,)]
    assert query(warehouse, "select year from fct_report order by year") == [(2024,)]
    assert query(warehouse, "select count(*) from mart_body_year_metrics where year = 2022") == [(0,)]
    assert query(warehouse, "select count(*) from dim_body where body_name = '平潭综合实验区'") == [(0,)]
    history = "select status, count(*) from fct_report_history where year = 2022 group by all order by 1"
    assert query(warehouse, history) == [("superseded", 1), ("withdrawn", 1)]
    ok(xxgk_into("build", reports, warehouse))
    assert query(warehouse, history) == [("superseded", 1), ("withdrawn", 1)]
    assert query(warehouse, "select mode, outcome from mart_refresh_runs order by started_at, run_id") == [
        ("build", "success"), ("refresh", "success"), ("refresh", "success"), ("build", "success")]
    assert not list(tmp_path.glob("*.jsonl")), "the run history lives in the warehouse only"


def test_identical_copies_are_one_report_under_two_names(tmp_path: Path) -> None:
    """D5: stable, reported once, no flip-flop, no endless '1 new'."""
    reports, warehouse = folder(tmp_path, SHITAI), tmp_path / "w.duckdb"
    ok(xxgk_into("build", reports, warehouse))
    shutil.copy(reports / SHITAI, reports / "a_copy.txt")
    out = ok(xxgk_into("refresh", reports, warehouse))
    assert "1 new" in out and "a_copy.txt: same bytes as" not in out
    current = "select file, copies from fct_report"
    assert query(warehouse, current) == [("a_copy.txt", [SHITAI])]
    for _ in range(2):
        out = ok(xxgk_into("refresh", reports, warehouse))
        assert "0 new, 0 changed, 2 unchanged" in out and "nothing changed" in out
        assert query(warehouse, current) == [("a_copy.txt", [SHITAI])]
    (reports / "a_copy.txt").unlink()
    out = ok(xxgk_into("refresh", reports, warehouse))
    assert "0 withdrawn" in out and "1 reports loaded" in out
    assert query(warehouse, current) == [(SHITAI, [])]
    assert query(warehouse, "select count(*) from fct_report_history") == [(1,)]


def test_two_different_reports_for_one_body_year_are_a_finding_resolved_alike(tmp_path: Path) -> None:
    """D7: both kept in raw, DUPLICATE_REPORT fails for both, the marts use the same one whether
    they came in one build or one after the other in refreshes."""
    reports, warehouse = folder(tmp_path, SHITAI), tmp_path / "w.duckdb"
    text = (reports / SHITAI).read_text(encoding="utf-8")
    assert NEW_RECEIVED in text
    ok(xxgk_into("build", reports, warehouse))
    (reports / "zz_other_version.txt").write_text(text.replace(NEW_RECEIVED, NEW_RECEIVED.replace("19", "25"), 1),
                                                  encoding="utf-8")
    ok(xxgk_into("refresh", reports, warehouse))
    assert query(warehouse, "select count(*) from raw.reports where status = 'active'") == [(2,)]
    findings = query(warehouse, "select file, lhs, status from mart_check_results "
                                "where rule_id = 'DUPLICATE_REPORT' order by file")
    assert findings == [(SHITAI, 2.0, "fail"), ("zz_other_version.txt", 2.0, "fail")]
    assert query(warehouse, "select distinct severity from mart_check_results where rule_id = 'DUPLICATE_REPORT'") == [("error",)]
    chosen = query(warehouse, "select file, active_version_count from fct_report")
    assert chosen == [(SHITAI, 2)]
    rebuilt = tmp_path / "rebuilt.duckdb"
    ok(xxgk_into("build", reports, rebuilt))
    assert query(rebuilt, "select file from fct_report") == [(SHITAI,)]
