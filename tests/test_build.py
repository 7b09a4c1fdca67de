"""`xxgk build` on the shipped corpus gives a working warehouse with the seed's rates."""
from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    out = xxgk("build", "--reports", str(ROOT / "data" / "reports"), "--warehouse", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "6 reports loaded" in out.stdout
    return path


def test_seed_rates_are_nine_of_nineteen_and_none_of_two(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute("select disclosure_ratio, review_reversal_rate from mart_body_year_metrics "
                      "where body_name = '石台县人民政府' and year = 2024").fetchall()
    assert len(row) == 1
    disclosure, reversal = row[0]
    assert Fraction(disclosure).limit_denominator(1000) == Fraction(9, 19)
    assert reversal == 0


def test_every_cell_is_traceable_to_file_table_row_and_column(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    untraced = con.execute("""
        select count(*) from raw.cells c join raw.reports r using (report_id)
        where r.file is null or c.table_no is null or c.row_code is null or c.column_code is null
           or (c.value is not null and c.source is null)""").fetchone()[0]
    assert untraced == 0
    assert con.execute("select count(*) from raw.cells").fetchone()[0] == 6 * 200 - 2


def test_a_build_writes_the_big_report_keyed_tables_in_report_id_order(warehouse: Path) -> None:
    # what lets a refresh's filter on the touched versions skip row groups (macro touched_match)
    con = duckdb.connect(str(warehouse), read_only=True)
    for table in ("raw.cells", "main.mart_check_results"):
        stored = [row[0] for row in con.execute(f"select report_id from {table}").fetchall()]  # storage order
        assert stored == sorted(stored) and len(set(stored)) > 1, table


def test_a_glued_run_is_settled_from_the_page_of_the_same_report(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("""
        select c.row_code, c.value, c.raw_text, c.note from raw.cells c join raw.reports r using (report_id)
        where r.file = 'pingtan_2024_flat.txt' and c.row_code like 'normative_docs_%'
        order by c.row_code""").fetchall()
    assert [(code, value) for code, value, _, _ in rows] == [
        ("normative_docs_in_force", 440), ("normative_docs_issued", 62), ("normative_docs_repealed", 33)]
    assert all(raw == "6233440" and "pingtan_2024_page.html" in note for _, _, raw, note in rows)


def test_refresh_of_an_unchanged_corpus_parses_nothing(warehouse: Path) -> None:
    out = xxgk("refresh", "--reports", str(ROOT / "data" / "reports"), "--warehouse", str(warehouse))
    assert out.returncode == 0, out.stderr
    assert "0 new, 0 changed, 6 unchanged, 0 withdrawn, 0 failed" in out.stdout


def test_pingtan_2022_narrative_breach_is_found_down_to_its_cells(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("""
        select side, table_no, row_code, column_code, value, raw_text, source, file, rule_name, lhs, rhs, difference
        from mart_check_findings
        where body_name = '平潭综合实验区' and year = 2022 and rule_id = 'NARRATIVE_MATCH' order by side""").fetchall()
    assert [(side, table, row, column, int(value)) for side, table, row, column, value, *_ in rows] == [
        ("lhs", 0, "new_received", "value", 75), ("rhs", 3, "new_received", "total", 74)]
    words, table = rows
    assert "75" in words[5] and words[6] and words[7] == "pingtan_2022_flat.txt"
    assert table[5] and table[6] and table[7] == "pingtan_2022_flat.txt"
    assert (words[8], int(words[9]), int(words[10]), int(words[11])) == ("正文与表格一致", 75, 74, 1)


def test_the_shipped_warehouse_reads_without_the_source(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    main = [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'").fetchall()]
    assert main and all(name.startswith(("dim_", "fct_", "mart_")) for name in main)
    total, commented = con.execute("""select count(*), count(*) filter (where coalesce(comment, '') <> '')
        from duckdb_columns() where database_name = current_database() and schema_name = 'main'""").fetchone()
    assert commented / total >= 0.95
    assert con.execute("select data_type from duckdb_columns() where database_name = current_database() "
                       "and table_name = 'mart_body_year_metrics' and column_name = 'new_received'").fetchall() == [
        ("BIGINT",)]
    assert con.execute("select higher_is_better from reference.metrics where metric_code = 'disclosure_ratio'"
                       ).fetchall() == [(True,)]


def test_an_uncertain_amount_keeps_its_decimals_among_its_candidates(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("""select candidate_values, candidate_splits, cell_label from mart_load_issues
        where file = 'pingtan_2019_flat.txt' and row_code = 'procurement_amount_yuan'""").fetchall()
    assert len(rows) == 1
    values, splits, label = rows[0]
    assert str(values[0]) == "3575394432.5200" and splits.startswith("1 | 3575394432.52; 13 | 575394432.52")
    assert label == "表二 · 政府集中采购 · 采购总金额"
