"""A folder of rendered reports with a manifest, for build and refresh benchmarks, at any size.

Bodies are what publishes reports in real life: under each county and city of seeds/regions.csv
its people's government, then its departments, its townships and streets, and a zone's
management committee; each body reports for `years` years. Files come in every form the parser
reads: Word-pasted text and web pages rendered from random records, DOCX filled into the
official template, and the LibreOffice PDF fixtures (each copy made unique by a trailing PDF
comment; the manifest names its body and year). 100,000 reports need about 25,000 bodies, eight
per region.

Each report draws from a random generator of its own, seeded by the corpus seed and its serial
number, so reports render in parallel on every core and a smaller corpus is the first files of a
larger one (the same bodies, years and bytes; only the manifest is shorter).
"""
from __future__ import annotations

import csv
import multiprocessing
import os
import random
import shutil
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


Job = tuple[int, str, str, int]  # serial, body name, region code, year


def jobs(reports: int, years: int, seed: int) -> list[Job]:
    """Every report of the corpus in file order: each body's years, body after body."""
    out: list[Job] = []
    for body, region in bodies(random.Random(seed), -(-reports // years)):
        for year in range(2024 - years + 1, 2025):
            if len(out) < reports:
                out.append((len(out), body, region["region_code"], year))
    return out


def file_name(folder_seed: int, job: Job) -> str:
    """The file's path under the folder (its form, hence suffix, is drawn from the report's own generator)."""
    serial, _, region_code, year = job
    form = pick_form(random.Random(f"{folder_seed}/{serial}"))
    return f"{region_code}/{serial:06d}_{year}.{SUFFIX[form]}"


def _render_chunk(args: tuple[Path, int, list[Job]]) -> None:
    folder, seed, chunk = args
    for job in chunk:
        serial, body, _, year = job
        rng = random.Random(f"{seed}/{serial}")
        form = pick_form(rng)
        path = folder / f"{job[2]}/{serial:06d}_{year}.{SUFFIX[form]}"
        path.write_bytes(render(rng, form, body, year, serial))


def write_corpus(folder: Path, reports: int, years: int, seed: int = 7) -> int:
    """Render `reports` reports of about reports/years bodies into `folder` (on every core), with a
    manifest that names every file's body, region and year."""
    todo = jobs(reports, years, seed)
    folder.mkdir(parents=True, exist_ok=True)
    for region_code in sorted({job[2] for job in todo}):
        (folder / region_code).mkdir(exist_ok=True)
    chunks = [(folder, seed, todo[i:i + 500]) for i in range(0, len(todo), 500)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        for _ in pool.imap_unordered(_render_chunk, chunks):
            pass
    lines = ["file,body_name,region_code,year,source_url"]
    lines += [f"{file_name(seed, job)},{job[1]},{job[2]},{job[3]}," for job in todo]
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(todo)


def corpus_size(folder: Path) -> int:
    """How many reports a rendered folder holds (its manifest's rows; 0 when it has none, or
    when a file the manifest names is missing, as in a render that was stopped)."""
    try:
        with open(folder / "manifest.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        return 0
    return len(rows) if all((folder / row["file"]).is_file() for row in rows) else 0


def copy_prefix(source: Path, target: Path, reports: int) -> int:
    """Make `target` the corpus of `reports` reports by copying the first files of a larger
    rendered corpus (the same bytes write_corpus would render; copies, not links, so changing a
    file in one folder leaves the other as it was)."""
    with open(source / "manifest.csv", encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    if len(lines) - 1 < reports:
        raise ValueError(f"{source} holds {len(lines) - 1} reports, fewer than {reports}")
    target.mkdir(parents=True, exist_ok=True)
    for line in lines[1:reports + 1]:
        name = line.split(",", 1)[0]
        (target / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(source / name, target / name)
    (target / "manifest.csv").write_text("\n".join(lines[:reports + 1]) + "\n", encoding="utf-8")
    return reports
