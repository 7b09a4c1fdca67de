"""The DOCX reader: body order, one cell per w:tc, merges, tracked changes, content controls,
nested tables, metadata title, and refusal of files that are not (safe) DOCX."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings

from ingest.read.grid import ReadError
from ingest.read import docx
from tests.render import Style, model, random_record, records, render_docx, styles
from tests.render.text import layout_rows

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = FIXTURES / "template" / "blank_2021_format.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def make_docx(body: str, ns: str = W, core_title: str | None = None, extra: dict[str, bytes] | None = None,
              part: str = "word/document.xml") -> bytes:
    """A minimal DOCX whose w:body holds `body` (WordprocessingML with the w: prefix)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(part, f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}">'
                                         f"<w:body>{body}</w:body></w:document>")
        if core_title is not None:
            zf.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
                        'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                        f"<dc:title>{core_title}</dc:title></cp:coreProperties>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(inner: str, pr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{inner}</w:tc>"


def texts(data: bytes) -> list[list[str]]:
    return [[c.text for c in row] for row in docx.read(data).rows]


def test_template_reads_like_word_paste() -> None:
    grid = docx.read(TEMPLATE.read_bytes())
    rows = [[c.text for c in row] for row in grid.rows]
    assert rows[0] == ["政府信息公开工作年度报告格式模板"]
    assert grid.rows[0][0].source == "paragraph 2"
    assert ["第二十条第（一）项"] in rows  # gridSpan=4: one cell, not four
    assert ["信息内容", "本年处理决定数量"] in rows
    assert ["", "自然人", "法人或其他组织", "总计"] in rows  # vMerge continuation: empty cell
    assert ["", "", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他", ""] in rows
    first_data = next(r for r in grid.rows if r[0].text.startswith("一、本年新收"))
    assert len(first_data) == 8 and first_data[1].source == "table 2 row 4 col 2"
    denied = next(r for r in rows if r[-8:-7] == ["1.属于国家秘密"])
    assert denied[:2] == ["", "（三）不予公开"] and len(denied) == 10
    assert len(rows[-5]) == 15 and grid.title_hint is None and not grid.flat


@settings(max_examples=40, deadline=None)
@given(record=records("2021"), style=styles("docx"))
def test_filled_template_gives_the_rendered_value_rows(record: dict, style: Style) -> None:
    """Split runs, tracked changes and content controls never change what a cell says."""
    rows = texts(render_docx(record, style))
    style = replace(style, label_variants=False, wrap_labels=False)  # the template keeps its labels
    for table in (model.table2(record, style), model.table3(record, style), model.table4(record, style)):
        for row in layout_rows(table):
            if any(c is not None and c.value for c in row):
                assert ["" if c is None else c.text for c in row] in rows


def test_tracked_changes_content_controls_and_breaks() -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">a </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>99'
        '</w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t>12</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="3"><w:r><w:t>old</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>new</w:t></w:r>'
        "</w:moveTo></w:p>"
        '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:hyperlink><w:r><w:t>link</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:hyperlink>'
        '<w:sdt><w:sdtContent><w:r><w:t>d</w:t></w:r></w:sdtContent></w:sdt></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:r><w:instrText>PAGE</w:instrText><w:t>e</w:t><w:noBreakHyphen/><w:t>f</w:t></w:r></w:p>'
        "<w:p/>" + p("   ")
    )
    assert texts(make_docx(body)) == [["a 12new"], ["link\tb\nc" + "d"], ["e-f"]]


def test_table_rows_merges_deleted_rows_and_cell_controls() -> None:
    body = (
        "<w:tbl><w:tr>" + tc(p("head"), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>') + tc(p("x")) + "</w:tr>"
        "<w:tr>" + tc(p("stale"), '<w:gridSpan w:val="2"/><w:vMerge/>') + tc(p("1") + p("2")) + "</w:tr>"
        '<w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr>' + tc(p("gone")) + "</w:tr>"
        "<w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent>" + tc(p("in control")) + "</w:sdtContent></w:sdt>"
        + tc("<w:p/>") + "</w:tr></w:sdtContent></w:sdt></w:tbl>" + p("after")
    )
    grid = docx.read(make_docx(body))
    assert [[c.text for c in r] for r in grid.rows] == [["head", "x"], ["", "1\n2"], ["in control", ""], ["after"]]
    assert [c.source for c in grid.rows[2]] == ["table 1 row 3 col 1", "table 1 row 3 col 2"]
    assert grid.rows[3][0].source == "paragraph 1"


def test_layout_table_with_nested_tables_is_read_like_the_body() -> None:
    inner = "<w:tbl><w:tr>" + tc(p("规章")) + tc(p("3")) + "</w:tr></w:tbl>"
    body = p("title") + "<w:tbl><w:tr>" + tc(p("二、主动公开") + inner + p("三、收到")) + "</w:tr></w:tbl>"
    grid = docx.read(make_docx(body))
    assert [[c.text for c in r] for r in grid.rows] == [["title"], ["二、主动公开"], ["规章", "3"], ["三、收到"]]
    assert grid.rows[2][1].source == "table 2 row 1 col 2"


def test_strict_namespace_and_core_title() -> None:
    grid = docx.read(make_docx(p("正文"), ns=STRICT, core_title=" 石台县人民政府2024年报告 "))
    assert [[c.text for c in r] for r in grid.rows] == [["正文"]]
    assert grid.title_hint == "石台县人民政府2024年报告"
    assert docx.read(make_docx(p("x"), core_title="  ")).title_hint is None
    broken = make_docx(p("x"), extra={"docProps/core.xml": b"<not xml"})
    assert docx.read(broken).title_hint is None


def test_main_part_found_through_package_relationships() -> None:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="/word/document2.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document2.xml", f'<w:document xmlns:w="{W}"><w:body>{p("moved")}</w:body></w:document>')
    assert texts(out.getvalue()) == [["moved"]]


def test_entities_are_not_resolved() -> None:
    doc = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           f'<w:document xmlns:w="{W}"><w:body>{p("&xxe;")}{p("ok")}</w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", doc)
    assert texts(out.getvalue()) == [["ok"]]


@pytest.mark.parametrize("name", ["not_a_zip.docx", "empty.docx", "truncated.docx", "zip_bomb.docx",
                                  "corrupt_document_xml.docx", "billion_laughs.docx"])
def test_hostile_files_are_refused(name: str) -> None:
    with pytest.raises(ReadError):
        docx.read((FIXTURES / "invalid" / name).read_bytes())


def test_refusals_say_what_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ReadError, match="not a zip"):
        docx.read(b"plain text")
    with pytest.raises(ReadError, match="no word/document.xml"):
        docx.read(make_docx(p("x"), part="word/elsewhere.xml"))
    with pytest.raises(ReadError, match="no w:body"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("word/document.xml", f'<w:document xmlns:w="{W}"/>')
        docx.read(out.getvalue())
    monkeypatch.setattr(docx, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(ReadError, match="would unpack to"):
        docx.read(make_docx(p("x" * 2000)))
    monkeypatch.setattr(docx, "MAX_MEMBER_BYTES", 50 * 2**20)
    monkeypatch.setattr(docx, "RATIO_FLOOR_BYTES", 100)
    with pytest.raises(ReadError, match="compressed"):
        docx.read(make_docx(p("0" * 100_000)))


def test_rendered_docx_reads_the_same_as_the_template_layout() -> None:
    import random

    record = random_record(random.Random(7))
    grid = docx.read(render_docx(record, Style(core_title=True)))
    assert grid.title_hint == model.title(record, Style())
    assert grid.rows[0][0].text == model.title(record, Style())
