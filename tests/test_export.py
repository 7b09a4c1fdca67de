"""`xxgk export`: the marts as a workbook an analyst opens in Excel (checked with openpyxl), CSV
for Excel on Chinese Windows, and Parquet for data tools (issue 10)."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from tests.test_report import xxgk

MARTS = ["dim_body", "dim_region", "fct_active_disclosure", "fct_application_outcome", "fct_report",
         "fct_report_history", "fct_review_litigation", "mart_body_year_metrics", "mart_check_findings", "mart_check_results",
         "mart_load_issues", "mart_peer_benchmarks", "mart_refresh_runs"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, shipped_warehouse: Path) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("export") / "w.xlsx"
    proc = xxgk("export", "--warehouse", str(shipped_warehouse), "--xlsx", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("导出：")
    return openpyxl.load_workbook(out)


def header(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[str, int]]:
    """code -> (Chinese header, column number)."""
    return {ws.cell(2, c).value: (ws.cell(1, c).value, c) for c in range(1, ws.max_column + 1)}


def test_one_sheet_per_mart_after_the_definitions(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == ["口径说明", *MARTS]


def test_the_metrics_sheet_reads_in_chinese_with_percentages_and_a_frozen_header(workbook: openpyxl.Workbook,
                                                                                shipped_warehouse: Path) -> None:
    ws = workbook["mart_body_year_metrics"]
    cols = header(ws)
    assert cols["body_name"][0] == "机关名称" and cols["disclosure_ratio"][0] == "予以公开率"
    assert cols["disclosure_ratio_rank_in_province"][0] == "予以公开率省内排名"
    assert cols["new_received_yoy_pct"][0] == "本年新收申请数同比变化率"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")
    assert all(ws.cell(1, c).font.b for c in range(1, ws.max_column + 1))
    rows = {ws.cell(r, cols["body_name"][1]).value + str(ws.cell(r, cols["year"][1]).value): r
            for r in range(3, ws.max_row + 1)}
    r = rows["平潭综合实验区2022"]
    ratio = ws.cell(r, cols["disclosure_ratio"][1])
    assert ratio.value == pytest.approx(0.28) and ratio.number_format == "0.0%"
    count = ws.cell(r, cols["new_received"][1])
    assert count.value == 74 and isinstance(count.value, int) and count.number_format == "0"
    assert ws.cell(r, cols["disclosure_ratio_yoy_pct"][1]).number_format == "0.0%"
    assert ws.cell(r, cols["year"][1]).number_format == "0"
    with duckdb.connect(str(shipped_warehouse), read_only=True) as con:
        assert ws.max_row - 2 == con.sql("select count(*) from mart_body_year_metrics").fetchone()[0]


def test_benchmark_statistics_take_the_format_of_their_metric(workbook: openpyxl.Workbook) -> None:
    ws = workbook["mart_peer_benchmarks"]
    cols = header(ws)
    formats = {ws.cell(r, cols["metric_code"][1]).value: ws.cell(r, cols["median_value"][1]).number_format
               for r in range(3, ws.max_row + 1)}
    assert formats["disclosure_ratio"] == "0.0%" and formats["new_received"] == "0"


def test_the_definitions_sheet_has_formulas_rules_and_column_meanings(workbook: openpyxl.Workbook) -> None:
    ws = workbook["口径说明"]
    assert [ws.cell(1, c).value for c in range(1, 6)] == ["类别", "名称", "代码", "口径", "说明"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert ["指标", "予以公开率", "disclosure_ratio", "予以公开 ÷ 办理结果总计", "越高越好；参与排名"] in rows
    assert any(r[:3] == ["规则", "正文与表格一致", "NARRATIVE_MATCH"] and r[4] == "错误" for r in rows)
    meaning = next(r for r in rows if r[2] == "mart_body_year_metrics.disclosure_ratio")
    assert meaning[0] == "字段" and meaning[1] == "予以公开率" and "granted / total_processed" in meaning[3]
    assert meaning[4] == "百分比"
    assert any(r[:3] == ["表", "mart_check_findings", "mart_check_findings"] for r in rows)


def test_csv_is_utf8_with_bom_and_plain_numbers(tmp_path: Path, shipped_warehouse: Path) -> None:
    proc = xxgk("export", "--warehouse", str(shipped_warehouse), "--csv", str(tmp_path / "csv"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.stem for p in (tmp_path / "csv").iterdir()) == sorted(["dictionary", *MARTS])
    raw = (tmp_path / "csv" / "mart_check_findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfreport_id,")
    findings = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    lhs = {r["side"]: r for r in findings}["lhs"]
    assert (lhs["lhs"], lhs["rhs"], lhs["raw_text"]) == ("75", "74", "收到政府信息公开申请75件")
    again = xxgk("export", "--warehouse", str(shipped_warehouse), "--csv", str(tmp_path / "csv"))
    assert again.returncode == 2 and "--force" in again.stderr
    assert xxgk("export", "--warehouse", str(shipped_warehouse), "--csv", str(tmp_path / "csv"), "--force").returncode == 0


def test_parquet_keeps_types_and_describes_its_columns(tmp_path: Path, shipped_warehouse: Path) -> None:
    proc = xxgk("export", "--warehouse", str(shipped_warehouse), "--parquet", str(tmp_path / "pq"))
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(tmp_path / "pq" / "mart_body_year_metrics.parquet")
    field = table.schema.field("new_received")
    assert str(field.type) == "int64" and field.metadata[b"header"].decode() == "本年新收申请数"
    assert "Grain" in table.schema.metadata[b"description"].decode()
    with duckdb.connect(str(shipped_warehouse), read_only=True) as con:
        assert table.num_rows == con.sql("select count(*) from mart_body_year_metrics").fetchone()[0]


def test_the_warehouse_is_never_a_target(tmp_path: Path, shipped_warehouse: Path) -> None:
    size = shipped_warehouse.stat().st_size
    proc = xxgk("export", "--warehouse", str(shipped_warehouse), "--xlsx", str(shipped_warehouse), "--force")
    assert proc.returncode == 2 and shipped_warehouse.stat().st_size == size
    proc = xxgk("export", "--warehouse", str(shipped_warehouse), "--csv", str(tmp_path / "no" / "such"))
    assert proc.returncode == 2 and "不存在" in proc.stderr


def test_every_mart_column_has_a_chinese_header(shipped_warehouse: Path) -> None:
    """A new mart column needs its line in seeds/column_headers.csv (or a pattern that covers it)."""
    from ingest.outputs.dictionary import headers

    with duckdb.connect(str(shipped_warehouse), read_only=True) as con:
        columns = {r[0] for r in con.sql("select column_name from duckdb_columns() where schema_name = 'main' "
                                         "and database_name = current_database()").fetchall()}
        metrics = [dict(zip(("metric_code", "metric_name", "kind"), r))
                   for r in con.sql("select metric_code, metric_name, kind from reference.metrics").fetchall()]
        scopes = [dict(zip(("scope", "label"), r)) for r in con.sql("select scope, label from reference.peer_scopes").fetchall()]
    named = headers(metrics, scopes)
    assert sorted(columns - named.keys()) == []
    assert all(h.header and not h.header.isascii() for h in named.values())
