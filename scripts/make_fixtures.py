"""Regenerate the LibreOffice fixtures in tests/fixtures/valid/libreoffice/ and their gold files.

Each fixture is a realistic record printed into the official 2021 template by tests.render,
re-saved by LibreOffice as DOCX (so the DOCX is LibreOffice's own writing), then converted by
LibreOffice to HTML, text and PDF. The gold JSON (tests/fixtures/gold/<stem>.json) is the record.

    python scripts/make_fixtures.py            # needs `soffice` (libreoffice-writer-nogui)

Tests never run LibreOffice: they read the files this script left in place.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.render import Style, render_docx  # noqa: E402
from ingest.spec import spec  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "valid" / "libreoffice"
GOLD = ROOT / "tests" / "fixtures" / "gold"
CONVERSIONS = ("html", "txt:Text", "pdf")


@dataclass
class Fixture:
    stem: str
    record: dict
    style: Style
    table3_split: bool = False  # Table 3 must straddle a page break in the PDF


def balanced(body: str, year: int, table2: dict, outcomes: dict[str, dict[str, int]],
             carried_over: dict[str, int], carried_forward: dict[str, int], table4: dict[str, int]) -> dict:
    """A record from the printed outcome counts: totals, new_received and Table 4 totals follow."""
    sp = spec("2021")
    columns = sp.t3_columns[:-1]
    flow = ("new_received", "carried_over", "total_processed", "carried_forward")
    t3 = {row.code: {c: 0 for c in columns} for row in sp.t3_rows}
    for code, values in outcomes.items():
        t3[code].update(values)
    for c in columns:
        processed = sum(t3[r.code][c] for r in sp.t3_rows if r.code not in flow)
        t3["total_processed"][c] = processed
        t3["carried_over"][c] = carried_over.get(c, 0)
        t3["carried_forward"][c] = carried_forward.get(c, 0)
        t3["new_received"][c] = processed + t3["carried_forward"][c] - t3["carried_over"][c]
    for values in t3.values():
        values["total"] = sum(values[c] for c in columns)
    t4 = {code: 0 for code in sp.t4_codes}
    t4.update(table4)
    for block in sp.t4_blocks:
        t4[f"{block}_total"] = sum(t4[f"{block}_{o}"] for o in sp.t4_outcomes if o != "total")
    t2 = {code: 0 for code in sp.t2_codes}
    t2.update(table2)
    return {"body_name": body, "year": year, "layout": "2021", "table2": t2, "table3": t3, "table4": t4,
            "uncertain": []}


def fixtures() -> list[Fixture]:
    county = balanced(
        "青阳县人民政府", 2023,
        {"normative_docs_issued": 14, "normative_docs_repealed": 9, "normative_docs_in_force": 86,
         "licensing_decisions": 6384, "penalty_decisions": 1127, "coercion_decisions": 43, "fees_wan_yuan": 2317.56},
        {"granted": {"natural_person": 31, "commercial_enterprise": 4, "legal_service_org": 1},
         "partially_granted": {"natural_person": 3},
         "denied_third_party": {"natural_person": 2},
         "denied_process_info": {"natural_person": 1, "commercial_enterprise": 1},
         "unable_not_held": {"natural_person": 17, "commercial_enterprise": 2, "other_org": 1},
         "unable_unclear": {"natural_person": 2},
         "rejected_petition": {"natural_person": 5},
         "rejected_duplicate": {"natural_person": 3},
         "other_no_correction": {"natural_person": 1},
         "other_other": {"natural_person": 4}},
        {"natural_person": 3}, {"natural_person": 5, "commercial_enterprise": 1},
        {"review_upheld": 3, "review_corrected": 1, "review_pending": 1, "litigation_direct_upheld": 2,
         "litigation_direct_other": 1, "litigation_after_review_upheld": 1})
    bureau = balanced(
        "黄山市屯溪区教育局", 2024,
        {"normative_docs_issued": 2, "normative_docs_in_force": 11, "licensing_decisions": 37, "fees_wan_yuan": 0.0},
        {"granted": {"natural_person": 4}, "unable_not_held": {"natural_person": 1},
         "rejected_duplicate": {"social_welfare_org": 1}},
        {}, {"natural_person": 1},
        {"review_upheld": 1})
    city = balanced(
        "宁德市蕉城区人民政府", 2022,
        {"regulations_in_force": 3, "normative_docs_issued": 27, "normative_docs_repealed": 12,
         "normative_docs_in_force": 151, "licensing_decisions": 12873, "penalty_decisions": 2210,
         "coercion_decisions": 96, "fees_wan_yuan": 18651.06},
        {"granted": {"natural_person": 88, "commercial_enterprise": 9, "research_institution": 1, "other_org": 2},
         "partially_granted": {"natural_person": 6, "commercial_enterprise": 1},
         "denied_state_secret": {"natural_person": 1},
         "denied_internal_affairs": {"natural_person": 2},
         "denied_enforcement_file": {"natural_person": 3},
         "unable_not_held": {"natural_person": 41, "commercial_enterprise": 3},
         "unable_needs_creation": {"natural_person": 7},
         "rejected_petition": {"natural_person": 9, "legal_service_org": 1},
         "rejected_publication": {"natural_person": 2},
         "rejected_confirmation": {"natural_person": 1},
         "other_unpaid_fee": {"natural_person": 1},
         "other_other": {"natural_person": 6, "commercial_enterprise": 1}},
        {"natural_person": 7, "commercial_enterprise": 1}, {"natural_person": 4},
        {"review_upheld": 6, "review_corrected": 2, "review_other": 1, "litigation_direct_upheld": 3,
         "litigation_direct_corrected": 1, "litigation_direct_pending": 2, "litigation_after_review_other": 1})
    return [
        # zeros printed as 0, long prose before Table 3 so that the PDF breaks a page inside it
        Fixture("lo_qingyang_2023", county, Style(core_title=True, long_narrative=12), table3_split=True),
        # a small bureau that leaves zero cells empty
        Fixture("lo_tunxi_edu_2024", bureau, Style(zero="", indent="\u3000\u3000", title_form=1)),
        # a district that prints zero as "/" and writes 12,873 with a thousands separator
        Fixture("lo_jiaocheng_2022", city, Style(zero="/", thousands=True, suffix="")),
    ]


def soffice(args: list[str], cwd: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-wqy-microhei")
    subprocess.run([exe, "--headless", *args], cwd=cwd, check=True, capture_output=True, timeout=300)


def table3_pages(pdf: Path) -> tuple[int, int]:
    """Pages (0-based) holding Table 3's first and last data rows."""
    import pdfplumber

    first = last = -1
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            text = (page.extract_text() or "").replace(" ", "")
            if "本年新收政府信息公开申请数量" in text and first < 0:
                first = number
            if "结转下年度继续办理" in text:
                last = number
    return first, last


def build(fixture: Fixture, work: Path) -> None:
    """Render, re-save through LibreOffice, convert, and write the gold file."""
    raw = work / "raw" / f"{fixture.stem}.docx"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(render_docx(fixture.record, fixture.style))
    soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(OUT), str(raw)], work)
    docx = OUT / f"{fixture.stem}.docx"
    for target in CONVERSIONS:
        soffice(["--convert-to", target, "--outdir", str(OUT), str(docx)], work)
    if fixture.table3_split:
        first, last = table3_pages(OUT / f"{fixture.stem}.pdf")
        if not 0 <= first < last:
            raise SystemExit(f"{fixture.stem}: Table 3 does not cross a page break (pages {first}..{last}); "
                             "change long_narrative")
    gold = GOLD / f"{fixture.stem}.json"
    gold.write_text(json.dumps(fixture.record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    GOLD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for fixture in fixtures():
            build(fixture, Path(tmp))
            print(f"{fixture.stem}: " + ", ".join(sorted(p.name for p in OUT.glob(f"{fixture.stem}.*"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
