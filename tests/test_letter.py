"""`xxgk letter`: the 审核意见 for one body-year as DOCX, opened with python-docx as the county
office would read it (issue 10)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import duckdb
import pytest

from ingest.outputs.letter import find_body
from ingest.outputs.source import SourceError
from tests.test_report import xxgk


def letter(tmp_path: Path, warehouse: Path, body: str, year: int, *extra: str) -> docx.document.Document:
    out = tmp_path / "letter.docx"
    proc = xxgk("letter", "--warehouse", str(warehouse), "--body", body, "--year", str(year), "--out", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("审核意见：")
    return docx.Document(str(out))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def rows(document: docx.document.Document) -> list[list[str]]:
    return [[c.text for c in r.cells] for t in document.tables for r in t.rows]


def test_the_pingtan_2022_letter_names_its_narrative_breach_with_the_cells(tmp_path: Path,
                                                                          shipped_warehouse: Path) -> None:
    document = letter(tmp_path, shipped_warehouse, "平潭综合实验区", 2022)
    said = "\n".join(texts(document))
    assert "关于平潭综合实验区2022年政府信息公开工作年度报告的审核意见" in said
    assert "一、与格式规则不符之处（1 处）" in said and "正文与表格一致（错误）· 收到政府信息公开申请" in said
    assert "“总体情况”中用文字写出的数字 = 表格中它所复述的数字" in said          # the rule's formula
    assert "等式左边 75，右边 74，相差 1" in said                                 # 75 in words, 74 in the table
    cells = rows(document)
    assert ["等式左边", "正文 · 收到政府信息公开申请", "75", "收到政府信息公开申请75件", "line 10",
            "pingtan_2022_flat.txt"] in cells
    assert ["等式右边", "表三 · 本年新收政府信息公开申请数量 · 总计", "74", "713000074", "line 10",
            "pingtan_2022_flat.txt"] in cells
    assert "三、读取提示（1 条）" in said and "8855698" in said                    # the warning, as the parser said it
    assert "本年新收申请数（74）：其输入单元格所在的检查未通过错误级别的审核规则" in said  # a failed input, in words
    assert document.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_unread_cells_and_a_rate_whose_inputs_failed(tmp_path: Path, readable_warehouse: Path) -> None:
    open_run = letter(tmp_path, readable_warehouse, "石台县公安局", 2024)
    unread = [r for r in rows(open_run) if r[0].startswith("表二 · 行政规范性文件")]
    assert len(unread) == 3 and all("126768" in r[1] and "12 | 67 | 68" in r[4] for r in unread)
    blank = letter(tmp_path, readable_warehouse, "贵池区人民政府", 2024, "--force")
    said = "\n".join(texts(blank))
    assert "予以公开率（0.0%）：其输入单元格所在的检查未通过错误级别的审核规则" in said
    assert "表三申请人合计" in said


def test_a_name_of_several_bodies_needs_the_region() -> None:
    con = duckdb.connect()
    con.execute("""create table dim_body as select * from (values
        ('鼓楼区人民政府@350102', '鼓楼区人民政府', '350102', '鼓楼区', '福州市', '福建省'),
        ('鼓楼区人民政府@320106', '鼓楼区人民政府', '320106', '鼓楼区', '南京市', '江苏省'))
        t(body_key, body_name, region_code, region_name, city_name, province_name)""")
    with pytest.raises(SourceError, match=r"2 .*鼓楼区人民政府.*--region 320106 \(江苏省南京市鼓楼区\).*--region 350102"):
        find_body(con, "鼓楼区人民政府", None)
    assert find_body(con, "鼓楼区人民政府", "350102")["city_name"] == "福州市"
    with pytest.raises(SourceError, match="鼓楼区人民政府"):
        find_body(con, "鼓楼区", None)                                          # names that contain it


def test_a_body_or_year_that_is_not_there_is_a_clear_error(tmp_path: Path, shipped_warehouse: Path) -> None:
    out = str(tmp_path / "l.docx")
    proc = xxgk("letter", "--warehouse", str(shipped_warehouse), "--body", "平潭", "--year", "2022", "--out", out)
    assert proc.returncode == 2 and "平潭综合实验区" in proc.stderr                   # the name that contains it
    proc = xxgk("letter", "--warehouse", str(shipped_warehouse), "--body", "平潭综合实验区", "--year", "2020",
                "--out", out)
    assert proc.returncode == 2 and "2019, 2021, 2022, 2024" in proc.stderr
    assert not Path(out).exists()


def test_a_corrected_cell_says_what_the_report_printed() -> None:
    from ingest.outputs.letter import _value

    cell = {"value": Decimal("19.0000"), "original_value": Decimal("91.0000"), "is_corrected": True,
            "correction_reason": "digits swapped"}
    assert _value(cell) == "19 (corrected; printed 91: digits swapped)"
    assert _value({**cell, "is_corrected": False}) == "19"
