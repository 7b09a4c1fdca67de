"""ingest.outputs, the base of every file a person opens (query --xlsx now; export, report and
letter next): a target is vetted first, written whole or not at all, and workbooks stay inert."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ingest.outputs import OutputError, atomic_file, check_target
from ingest.outputs.cells import csv_text, formula_like
from ingest.outputs.workbook import Column, Sheet, sheet_title, write_workbook


def test_atomic_file_appears_whole_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_file(target) as temp:
        assert temp.parent == tmp_path and temp != target
        temp.write_text("whole", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "whole"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target, force=True) as temp:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("the writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_target_that_appears_during_the_write_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputError, match="already exists"), atomic_file(target) as temp:
        temp.write_text("mine", encoding="utf-8")
        target.write_text("someone else's", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_an_os_error_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputError, match=r"cannot write .*out.txt: No space left on device"), atomic_file(target):
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_check_target(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(b"db")
    (tmp_path / "a folder").mkdir()
    cases = {
        tmp_path / "nope" / "x.xlsx": "folder",
        tmp_path / "a folder": "is a folder",
        warehouse: "is the warehouse being read",
        tmp_path / "warehouse.duckdb.wal": "is the warehouse being read",
    }
    for path, message in cases.items():
        with pytest.raises(OutputError, match=message):
            check_target(path, force=True, protect=[warehouse])
    with pytest.raises(OutputError, match="already exists"):
        check_target(warehouse, protect=[])
    assert check_target(warehouse, force=True) == warehouse
    assert check_target(tmp_path / "new.xlsx", protect=[warehouse]) == tmp_path / "new.xlsx"


def test_formula_like_text() -> None:
    assert [formula_like(t) for t in ["=1", "+1", "-1", "@x", "\tx", "\rx", "#N/A", "a=1", "石台县", ""]] == [
        True, True, True, True, True, True, True, False, False, False]
    assert csv_text("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0" and csv_text("石台县") == "石台县"


def test_workbook_columns_formats_and_sheets(tmp_path: Path) -> None:
    target = tmp_path / "w.xlsx"
    metrics = Sheet("mart_body_year_metrics", [Column("机关名称", "body_name", width=30), Column("年度", "year"),
                                               Column("予以公开率", "disclosure_ratio", "0.0%")],
                    [("石台县人民政府", 2024, Decimal("0.4737")), ("=平潭", 2023, float("nan"))])
    summary = write_workbook(target, [metrics, Sheet("a/b:c*d?[e]", ["x"], [(dt.datetime(2025, 1, 20, tzinfo=dt.timezone.utc),)])])
    assert summary.rows == {"mart_body_year_metrics": 2, "a_b_c_d__e_": 1} and summary.messages() == []
    wb = openpyxl.load_workbook(target)
    ws = wb["mart_body_year_metrics"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["机关名称", "年度", "予以公开率"], ["body_name", "year", "disclosure_ratio"],
        ["石台县人民政府", 2024, 0.4737], ["=平潭", 2023, None]]
    assert ws["C3"].number_format == "0.0%" and ws["B3"].number_format == "General"
    assert ws["A1"].font.bold and ws["A2"].font.bold
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:C4"
    assert ws.column_dimensions["A"].width == 30
    assert wb["a_b_c_d__e_"]["A2"].value == dt.datetime(2025, 1, 20)
    with zipfile.ZipFile(target) as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_sheet_titles_are_valid_and_distinct() -> None:
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("口径说明") == "口径说明"
    assert sheet_title("query", taken=["Query"]) == "query_2"
    assert sheet_title("x" * 40, taken=["x" * 31]) == "x" * 29 + "_2"


def test_workbook_with_too_many_columns_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="16,385 columns; an Excel sheet holds at most 16,384"):
        write_workbook(tmp_path / "w.xlsx", [Sheet("wide", [f"c{i}" for i in range(16_385)], [])])
    assert list(tmp_path.iterdir()) == []
