"""PDF reports: every fixture parses to its gold in every cell; scans, encrypted and damaged
files fail with a clear message; page furniture never lands in a table.

The fixtures (tests/fixtures/valid/pdf/) are made by scripts/make_pdf_fixtures.py with
LibreOffice; these tests only read them.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from ingest.read.grid import ReadError
from ingest.parse import parse_bytes, parse_file
from ingest.read import pdf
from ingest.read.pdf_layout import Line
from ingest.read.pdf_load import Glyph
from ingest.read.pdf_rows import table_rows
from tests.gold import FIXTURES, compare, load_gold

ROOT = Path(__file__).resolve().parents[1]
PDFS = FIXTURES / "valid" / "pdf"
WITH_GOLD = sorted(p.stem for p in PDFS.glob("pdf_*.pdf") if (FIXTURES / "gold" / f"{p.stem}.json").exists())
# every other PDF fixture with a gold file (the official template filled and printed by LibreOffice)
OTHER_PDFS = sorted(p for p in (FIXTURES / "valid").glob("*/*.pdf")
                    if p.parent != PDFS and (FIXTURES / "gold" / f"{p.stem}.json").exists())
PAGE_NUMBER = re.compile(r"^\s*-\s*\d+\s*-\s*$")


def test_there_are_pdf_fixtures() -> None:
    assert {"pdf_split_table3", "pdf_running_header", "pdf_empty_zeros", "pdf_2019_format",
            "pdf_unruled"} <= set(WITH_GOLD)


@pytest.mark.parametrize("path", [PDFS / f"{stem}.pdf" for stem in WITH_GOLD] + OTHER_PDFS,
                         ids=lambda p: p.name)
def test_pdf_matches_gold_in_every_cell(path: Path) -> None:
    rec = parse_file(path, with_cells=True)
    assert "error" not in rec, rec.get("error")
    gold = load_gold(path.stem)
    assert compare(rec, gold) == ([], [])
    assert (rec["format"], rec["layout"], rec["body_name"], rec["year"]) == (
        "pdf", gold["layout"], gold["body_name"], gold["year"])
    assert rec["warnings"] == []
    assert all(c["source"].startswith("page ") for c in rec["cells"])


def test_a_row_cut_by_the_page_break_is_joined() -> None:
    """pdf_split_table3: the page break cuts through 一、本年新收…, whose total wraps (112 / 3)."""
    rec = parse_file(PDFS / "pdf_split_table3.pdf", with_cells=True)
    total = next(c for c in rec["cells"] if (c["row"], c["column"]) == ("new_received", "total"))
    assert total["value"] == load_gold("pdf_split_table3")["table3"]["new_received"]["total"]
    assert re.fullmatch(r"page 2 table \d row \d+ col \d+ and page 3 table 1 row 1 col \d+", total["source"])


def test_labels_merged_by_missing_rulings_go_back_to_their_rows() -> None:
    """pdf_missing_rules: no ruling between 2.申请人…, 3.其他 and （七）总计 in the label columns,
    so one cell holds the three labels; each goes back to the row of its numbers."""
    rows = pdf.read((PDFS / "pdf_missing_rules.pdf").read_bytes()).rows
    texts = [c.text for row in rows for c in row]
    assert "3.其他" in texts and "（七）总计" in texts
    assert not [t for t in texts if "3.其他" in t and "总计" in t]
    total = next(row for row in rows if "（七）总计" in [c.text for c in row])
    assert len(total) - [c.text for c in total].index("（七）总计") - 1 == 7  # its own seven numbers


def test_page_numbers_and_running_headers_are_dropped() -> None:
    data = (PDFS / "pdf_running_header.pdf").read_bytes()
    gold = load_gold("pdf_running_header")
    header = f"{gold['body_name']}政府信息公开工作年度报告（{gold['year']}年）"
    texts = [re.sub(r"\s", "", c.text) for row in pdf.read(data).rows for c in row]
    assert not [t for t in texts if PAGE_NUMBER.match(t) or header in t]
    import pypdfium2 as pdfium  # the furniture is there in the text layer, on every page

    doc = pdfium.PdfDocument(data)
    layer = ["".join(page.get_textpage().get_text_range().split()) for page in doc]
    assert len(layer) >= 3 and all(header in t and f"-{n}-" in t for n, t in enumerate(layer, start=1))


def test_repeated_table_header_rows_are_dropped() -> None:
    """pdf_running_header repeats Table 3's three header rows on the page it continues on."""
    rows = pdf.read((PDFS / "pdf_running_header.pdf").read_bytes()).rows
    assert sum(any("申请人情况" in c.text for c in row) for row in rows) == 1


def test_scanned_pdf_says_no_text_layer() -> None:
    rec = parse_file(PDFS / "pdf_scanned.pdf")
    assert "PDF has no text layer (a scanned image?); OCR is not supported" in rec["error"]


def test_encrypted_pdf_says_so() -> None:
    with pytest.raises(ReadError, match="encrypted with a password"):
        pdf.read((PDFS / "pdf_encrypted.pdf").read_bytes())


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.95])
def test_truncated_pdf_is_a_clear_error(fraction: float) -> None:
    data = (PDFS / "pdf_split_table3.pdf").read_bytes()
    rec = parse_bytes(data[: int(len(data) * fraction)], "cut.pdf")
    assert re.search(r"truncated", rec["error"]), rec


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 64, b"%PDF-1.4\n%%EOF\n",
                                  (FIXTURES / "invalid" / "fake.pdf").read_bytes()])
def test_corrupt_pdf_is_a_clear_error(data: bytes) -> None:
    rec = parse_bytes(data, "bad.pdf")
    assert rec["error"].startswith("bad.pdf: ") and "internal error" not in rec["error"]


def _line(page: int, number: int, top: float, *cells: tuple[float, str]) -> Line:
    """A line of 10-point glyphs; each cell is (x of its first glyph, text)."""
    glyphs = [Glyph(ch, x + 10 * i, top, x + 10 * (i + 1), top + 10, 10.0, top + 8.8)
              for x, text in cells for i, ch in enumerate(text)]
    return Line(glyphs, page, number)


def _texts(items: list) -> list[list[str] | str]:
    return [[c.text for c in item] if isinstance(item, list) else item.text for item in items]


# Unruled tables: label column from x=50 to 200 (15 characters), value columns at 212 and 262.

def test_unruled_label_wrapped_below_its_values() -> None:
    """Values on the first line of a two-line label (cells aligned at the top)."""
    lines = [_line(1, 1, 100, (50, "（一）予以公开"), (212, "5"), (262, "7")),
             _line(1, 2, 113, (50, "（二）部分公开（区分处理的，只"), (212, "0"), (262, "1")),
             _line(1, 3, 126, (50, "计这一情形）")),
             _line(1, 4, 139, (50, "（七）总计"), (212, "5"), (262, "8"))]
    assert _texts(table_rows(lines)) == [["（一）予以公开", "5", "7"],
                                          ["（二）部分公开（区分处理的，只计这一情形）", "0", "1"],
                                          ["（七）总计", "5", "8"]]


def test_unruled_values_centred_against_a_three_line_label() -> None:
    lines = [_line(1, 1, 100, (50, "一、本年新收政府信息公开申请")),
             _line(1, 2, 107, (212, "12"), (262, "3")),
             _line(1, 3, 113, (50, "数量")),
             _line(1, 4, 130, (50, "二、上年结转"), (212, "0"), (262, "0"))]
    assert _texts(table_rows(lines)) == [["一、本年新收政府信息公开申请数量", "12", "3"], ["二、上年结转", "0", "0"]]


def test_unruled_group_label_stays_left_of_row_labels() -> None:
    """（三）不予公开 centred down its own column, interleaved with the item labels."""
    lines = [_line(1, 1, 100, (10, "三"), (30, "（三）不"), (80, "4.保护第三方合法权益"), (212, "6")),
             _line(1, 2, 113, (10, "、"), (30, "予公开"), (80, "5.属于三类内部事务信息"), (212, "0"))]
    assert _texts(table_rows(lines)) == [["三", "（三）不", "4.保护第三方合法权益", "6"],
                                          ["、", "予公开", "5.属于三类内部事务信息", "0"]]


def test_unruled_empty_cells_keep_their_columns() -> None:
    """Zeros printed as empty cells: the row's values go to the columns the block's rows use;
    a row with every cell empty is not glued to the label above it (that would give it the
    numbers of that row)."""
    lines = [_line(1, 1, 100, (50, "规章"), (212, "5"), (312, "2")),
             _line(1, 2, 113, (50, "行政规范性文件")),
             _line(1, 3, 126, (50, "行政许可"), (212, "1"), (262, "4"), (312, "9"))]
    assert _texts(table_rows(lines)) == [["规章", "5", "", "2"], "行政规范性文件", ["行政许可", "1", "4", "9"]]


def test_narrative_lines_are_not_table_rows() -> None:
    lines = [_line(1, 1, 100, (50, "共收到政府信息公开申请19件，行政复议2件。")),
             _line(1, 2, 113, (50, "石台县人民政府"), (300, "2025年1月20日"))]
    assert _texts(table_rows(lines)) == [line.text for line in lines]


def test_read_error_for_pdf_without_pages_or_text(tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "blank.pdf"
    Image.new("L", (100, 100), 255).save(blank, format="PDF")
    with pytest.raises(ReadError, match="no text layer"):
        pdf.read(blank.read_bytes())


def _hostile_corpus():
    spec = importlib.util.spec_from_file_location("make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_glyph_bomb_is_refused_at_its_first_page() -> None:
    """Issue 9, D3: 200 pages sharing one 400k-glyph content stream in 32 KB. Before: ~140 MB and
    2 s per page, ~28 GB in all. Now the page's characters are counted before one is read."""
    data = (FIXTURES / "invalid" / "glyph_bomb.pdf").read_bytes()
    assert len(data) < 40_000 and data == _hostile_corpus().make_glyph_bomb_pdf()
    with pytest.raises(ReadError, match=r"^PDF page 1 has 401998 characters, more than the 30000 a report page holds"):
        pdf.read(data)


def test_many_full_pages_are_cut_short_by_the_budget_of_the_file() -> None:
    """Pages each under the page limit (20,098 characters) stop at the file's budget: page 25."""
    data = _hostile_corpus().make_glyph_bomb_pdf(pages=200, lines=50, per_line=400)
    with pytest.raises(ReadError, match=r"^PDF has more than 500000 characters by page 25: refused"):
        pdf.read(data)
