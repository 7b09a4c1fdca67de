"""Body and year come out right for every title form real reports print (issue 13, cause 6)."""
from __future__ import annotations

import pytest

from ingest.parse import parse_bytes, parse_file
from ingest.read import pdf_load
from tests.gold import FIXTURES
from tests.render.pdf import pdf_file

SEED = (FIXTURES / "corpus" / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
TITLE = "石台县人民政府2024年政府信息公开工作年度报告"
HONGZE = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"


def titled(first_lines: str) -> dict:
    assert SEED.startswith(TITLE + "\n")
    return parse_bytes((first_lines + SEED[len(TITLE):]).encode("utf-8"), "title.txt")


@pytest.mark.parametrize("title, body, year", [
    ("石台县人民政府2024年政府信息公开工作年度报告", "石台县人民政府", 2024),
    ("石台县人民政府 2024 年度政府信息公开工作年度报告", "石台县人民政府", 2024),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("2024年石台县人民政府政府信息公开工作年度报告", "石台县人民政府", 2024),
    ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告", "淮安市洪泽区人民政府", 2024),
])
def test_title_forms(title: str, body: str, year: int) -> None:
    rec = titled(title)
    assert (rec["body_name"], rec["year"]) == (body, year)
    assert not any("no title" in w for w in rec["warnings"])


def test_a_title_without_the_body_takes_it_from_the_opening_sentence() -> None:
    rec = titled("2023年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》编制。")
    assert (rec["body_name"], rec["year"]) == ("淮安市人民政府办公室", 2023)


def test_no_title_at_all_is_a_warning_not_a_guess() -> None:
    rec = titled("年度报告")
    assert (rec["body_name"], rec["year"]) == (None, None)
    assert any("no title naming the body and year" in w for w in rec["warnings"])


def _pdf_with_title(title: bytes) -> bytes:
    """A one-page PDF whose document information dictionary has `title` as its /Title string."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Title <" + title.hex().encode("ascii") + b"> >>"]
    return pdf_file(objects, b"/Info 6 0 R ")


def test_a_pdf_title_of_utf16_read_as_single_bytes_is_repaired() -> None:
    """The title's UTF-16 bytes (with their FF FE mark) written as one character each: the PDF
    library shows `ÿþîm\\x89[…`; the reader decodes the bytes again."""
    mangled = "".join(chr(b) for b in b"\xff\xfe" + HONGZE.encode("utf-16-le"))
    data = _pdf_with_title(b"\xfe\xff" + mangled.encode("utf-16-be"))
    assert pdf_load.load(data).title == HONGZE
    assert pdf_load.load(_pdf_with_title(b"\xfe\xff" + HONGZE.encode("utf-16-be"))).title == HONGZE
    assert pdf_load.repair_title("ÿþ") == "" and pdf_load.repair_title(HONGZE) == HONGZE


def test_a_pdf_with_its_title_on_two_lines_and_in_its_metadata() -> None:
    """洪泽区: metadata `洪泽区人民政府2023年…`, printed `淮安市洪泽区人民政府` / `2023 年…`."""
    rec = parse_file(FIXTURES / "corpus" / "huaian_hongze_2023.pdf")
    assert (rec["body_name"], rec["year"]) == ("洪泽区人民政府", 2023)
