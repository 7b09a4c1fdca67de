"""A folder of rendered reports with a manifest, for build and refresh benchmarks, at any size.

Bodies are what publishes reports in real life: under each county and city of seeds/regions.csv
its people's government, then its departments, its townships and streets, and a zone's
management committee; each body reports for `years` years. Files come in every form the parser
reads: Word-pasted text and web pages rendered from random records, DOCX filled into the
official template, and the LibreOffice PDF fixtures (each copy made unique by a trailing PDF
comment; the manifest names its body and year). 100,000 reports need about 25,000 bodies, eight
per region.
"""
from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from tests.render.docx import render_docx
from tests.render.html import html_bytes
from tests.render.records import random_record
from tests.render.style import random_style
from tests.render.text import text_bytes

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
PDF_FIXTURES = ROOT / "tests" / "fixtures" / "valid" / "libreoffice"

DEPARTMENTS = ("人民政府办公室", "教育局", "财政局", "公安局", "民政局", "自然资源和规划局", "生态环境局",
               "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局",
               "人力资源和社会保障局", "审计局", "应急管理局", "文化和旅游局", "医疗保障局", "统计局")
TOWNSHIPS = ("城关镇", "东城街道", "西城街道", "新华街道", "河口镇", "马头镇", "清溪镇", "白云乡",
             "高峰乡", "永安镇", "石桥镇", "龙山街道")
ZONES = ("经济开发区管理委员会", "高新技术产业开发区管理委员会")
LAST_2019_FORMAT_YEAR = 2020  # reports on 2019 and 2020 used the 2019 format (the DOCX template is 2021's)
FORMS = (("text", 45), ("html", 40), ("docx", 12), ("pdf", 3))
SUFFIX = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}


def regions(rng: random.Random) -> list[dict[str, str]]:
    """Every county and city of the seed, in a random order."""
    with open(SEEDS / "regions.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] in ("county", "city")]
    rng.shuffle(rows)
    return rows


def offices() -> Iterator[str]:
    """Body names under one region, government first: departments, townships and zones interleaved."""
    yield "人民政府"
    kinds = [list(DEPARTMENTS), list(TOWNSHIPS), list(ZONES)]
    while any(kinds):  # round robin, so that a small corpus has every kind too
        for names in kinds:
            if names:
                yield names.pop(0)


def bodies(rng: random.Random, count: int) -> list[tuple[str, dict[str, str]]]:
    """`count` (body name, region) pairs: each region's first office, then every region's second, ..."""
    places = regions(rng)
    out: list[tuple[str, dict[str, str]]] = []
    for office in offices():
        for region in places:
            if len(out) == count:
                return out
            out.append((region["name"] + office, region))
    if len(out) < count:
        raise ValueError(f"at most {len(out)} bodies can be generated ({len(places)} regions)")
    return out


def pick_form(rng: random.Random) -> str:
    return rng.choices([f for f, _ in FORMS], weights=[w for _, w in FORMS])[0]


def render(rng: random.Random, form: str, body: str, year: int, serial: int) -> bytes:
    """One report file's bytes in `form` (a PDF fixture made unique by a comment after %%EOF)."""
    if form == "pdf":
        pdfs = sorted(PDF_FIXTURES.glob("*.pdf"))
        return pdfs[serial % len(pdfs)].read_bytes() + f"\n% xxgk bench copy {serial}\n".encode()
    record = random_record(rng, "2019" if year <= LAST_2019_FORMAT_YEAR and form != "docx" else "2021")
    record["body_name"], record["year"] = body, year
    style = random_style(rng, form, **({"text_layout": "word_paste"} if form == "text" else {}))
    return {"text": text_bytes, "html": html_bytes, "docx": render_docx}[form](record, style)


def write_corpus(folder: Path, reports: int, years: int, seed: int = 7) -> int:
    """Render `reports` reports of about reports/years bodies into `folder`, with a manifest that
    names every file's body, region and year."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["file,body_name,region_code,year,source_url"]
    written = 0
    for body, region in bodies(rng, -(-reports // years)):
        for year in range(2024 - years + 1, 2025):
            if written >= reports:
                break
            form = pick_form(rng)
            name = f"{region['region_code']}/{written:06d}_{year}.{SUFFIX[form]}"
            (folder / name).parent.mkdir(exist_ok=True)
            (folder / name).write_bytes(render(rng, form, body, year, written))
            lines.append(f"{name},{body},{region['region_code']},{year},")
            written += 1
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written
