"""Write the PDF fixtures (tests/fixtures/valid/pdf/) and their gold (tests/fixtures/gold/pdf_*.json).

Deterministic records from tests.render are printed into DOCX (the official 2021 template, or a
document built with python-docx from tests.render.model's blocks for the 2019 format and for a
table without ruling lines) and converted to PDF with LibreOffice (`soffice`, needed only here;
the tests read the committed PDFs). Run: .venv/bin/python scripts/make_pdf_fixtures.py
"""
from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pypdfium2 as pdfium
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse import parse_file  # noqa: E402
from tests.render import Style, random_record, render_docx  # noqa: E402
from tests.render.model import Para, Table, document  # noqa: E402
from tests.gold import compare  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "valid" / "pdf"
GOLD = ROOT / "tests" / "fixtures" / "gold"


OPEN_PASSWORD = {"EncryptFile": {"type": "boolean", "value": "true"},
                 "DocumentOpenPassword": {"type": "string", "value": "secret"}}
PERMISSIONS_ONLY = {"RestrictPermissions": {"type": "boolean", "value": "true"},
                    "PermissionPassword": {"type": "string", "value": "owner"},
                    "Changes": {"type": "long", "value": "0"},
                    "EnableCopyingOfContent": {"type": "boolean", "value": "false"}}


def soffice_pdf(docx_bytes: bytes, export: dict | None = None) -> bytes:
    """DOCX to PDF with LibreOffice, in a private profile so parallel runs do not collide;
    `export` holds PDF export filter options (encryption, permissions)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the PDF fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx_bytes)
        target = "pdf" if export is None else "pdf:writer_pdf_Export:" + json.dumps(export)
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", target,
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
        return (Path(tmp) / "report.pdf").read_bytes()


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return ["".join(page.get_textpage().get_text_range().split()) for page in doc]
    finally:
        doc.close()


def table3_pages(pdf: bytes) -> tuple[int, int]:
    """Pages holding Table 3's first and last rows."""
    texts = page_texts(pdf)
    first = next(i for i, t in enumerate(texts) if "本年新收政府信息公开申请数量" in t)
    last = next(i for i, t in enumerate(texts) if "结转下年度继续办理" in t)
    return first, last


def with_header_footer(docx_bytes: bytes, header: str) -> bytes:
    """A running header on every page, a `- N -` page number in the footer, and Table 3's three
    header rows repeated on every page it runs over."""
    doc = docx.Document(io.BytesIO(docx_bytes))
    for tr in doc.tables[1]._tbl.tr_lst[:3]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    section = doc.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = header
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    p.add_run(" -")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Look:
    """How a python-docx built report prints its tables."""

    ruled: bool = True
    t3_widths_cm: tuple[float, ...] = ()  # Table 3 column widths (default: even)
    item_mark: str = "."           # 1. or 1、
    landscape: bool = False


def _set_cell(cell, text: str, look: Look) -> None:
    cell.text = re.sub(r"^(\d+)\.(?=\D)", r"\1" + look.item_mark, text)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for p in cell.paragraphs:
        for run in p.runs:
            run.font.size = Pt(10)


def _add_table(doc, table: Table, look: Look) -> None:
    width = table.width
    out = doc.add_table(rows=len(table.rows), cols=width)
    if look.ruled:
        out.style = doc.styles["Table Grid"]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for vcell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(vcell.rowspan):
                for dc in range(vcell.colspan):
                    taken.add((r + dr, c + dc))
            cell = out.cell(r, c)
            if vcell.rowspan > 1 or vcell.colspan > 1:
                cell = cell.merge(out.cell(r + vcell.rowspan - 1, c + vcell.colspan - 1))
            _set_cell(cell, vcell.text, look)
            c += vcell.colspan
    if table.number == 3 and look.t3_widths_cm:
        out.autofit = False
        for column, cm in zip(out.columns, look.t3_widths_cm):
            column.width = Cm(cm)
            for cell in column.cells:
                cell.width = Cm(cm)


def blocks_docx(record: dict, style: Style, look: Look) -> bytes:
    doc = docx.Document()
    if look.landscape:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for block in document(record, style):
        if isinstance(block, Para):
            p = doc.add_paragraph(block.text)
            if block.role == "title":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            _add_table(doc, block, look)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def scanned(pdf: bytes) -> bytes:
    """The first page as a 100 dpi greyscale image in a PDF without any text layer, as a
    scanner makes it."""
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=100 / 72).to_pil().convert("L")
    doc.close()
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=100)
    return out.getvalue()


def split_table3(record: dict, style: Style) -> bytes:
    """The template with enough narrative before Table 3 that it runs over a page break."""
    for filler in range(4, 30):
        pdf = soffice_pdf(render_docx(record, replace(style, long_narrative=filler)))
        first, last = table3_pages(pdf)
        if last > first:
            return pdf
    raise SystemExit("no narrative length splits Table 3 over two pages")


def fixtures() -> dict[str, tuple[dict, Callable[[dict], bytes]]]:
    rec = lambda seed, layout="2021": random_record(random.Random(seed), layout)  # noqa: E731
    return {
        "pdf_split_table3": (rec(101), lambda r: split_table3(r, Style())),
        "pdf_running_header": (rec(102), lambda r: soffice_pdf(with_header_footer(
            render_docx(r, Style(long_narrative=9)), f"{r['body_name']}政府信息公开工作年度报告（{r['year']}年）"))),
        "pdf_empty_zeros": (rec(103), lambda r: soffice_pdf(render_docx(r, Style(zero="", long_narrative=3)))),
        "pdf_2019_format": (rec(104, "2019"), lambda r: soffice_pdf(blocks_docx(r, Style(), Look(
            item_mark="、", t3_widths_cm=(0.6, 1.8, 4.6) + (1.3,) * 7)))),
        "pdf_unruled": (rec(105), lambda r: soffice_pdf(blocks_docx(r, Style(zero="0"), Look(
            ruled=False, landscape=True, t3_widths_cm=(0.6, 1.6, 5.0) + (1.9,) * 7)))),
        "pdf_permissions_only": (rec(106), lambda r: soffice_pdf(render_docx(r, Style()), PERMISSIONS_ONLY)),
        # LibreOffice leaves out rulings around the rows 2./3.其他/（七）总计 at the page break:
        # their three labels land in one cell
        "pdf_missing_rules": (rec(104), lambda r: soffice_pdf(render_docx(r, Style(
            zero_mixed=True, fee_2dp=False, plus_sign=True, yuan_suffix=False, wrap_headers=False, title_form=1,
            indent="    ", seed=613, split_runs=True, long_narrative=7)))),
        # Table 4's value row cut by the page break: 57 over 件 in narrow cells, 153件 on the next page
        "pdf_table4_split_units": (rec(112), lambda r: soffice_pdf(render_docx(r, Style(
            zero="—", suffix="件", pad="\xa0", fee_2dp=False, plus_sign=True, yuan_suffix=False, seed=2705,
            long_narrative=1)))),
    }


def gold_of(record: dict) -> dict:
    return {k: record[k] for k in ("body_name", "year", "layout", "table2", "table3", "table4")} | {"uncertain": []}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    bad = 0
    pdfs: dict[str, bytes] = {}
    for name, (record, make) in fixtures().items():
        pdfs[name] = make(record)
        (OUT / f"{name}.pdf").write_bytes(pdfs[name])
        gold = gold_of(record)
        (GOLD / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        parsed = parse_file(OUT / f"{name}.pdf")
        wrong, missed = compare(parsed, gold) if "error" not in parsed else ([parsed["error"]], [])
        bad += bool(wrong or missed)
        print(f"{name}: {len(page_texts(pdfs[name]))} pages, wrong {wrong[:5]}, missed {missed[:5]}")
    (OUT / "pdf_scanned.pdf").write_bytes(scanned(pdfs["pdf_split_table3"]))
    (OUT / "pdf_encrypted.pdf").write_bytes(soffice_pdf(render_docx(random_record(random.Random(107), "2021"),
                                                                    Style()), OPEN_PASSWORD))
    for name in ("pdf_scanned", "pdf_encrypted"):
        print(f"{name}:", parse_file(OUT / f"{name}.pdf").get("error"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
