"""A folder of rendered reports with a manifest, for build and refresh benchmarks."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from tests.render.html import html_bytes
from tests.render.records import random_record
from tests.render.style import random_style
from tests.render.text import text_bytes

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def regions(rng: random.Random, count: int) -> list[dict[str, str]]:
    with open(SEEDS / "regions.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] in ("county", "city")]
    return rng.sample(rows, min(count, len(rows)))


def write_corpus(folder: Path, reports: int, years: int, seed: int = 7) -> int:
    """Render `reports` reports (text and HTML) of reports/years bodies into `folder` with a manifest."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    bodies = regions(rng, max(1, reports // years))
    lines = ["file,body_name,region_code,year,source_url"]
    written = 0
    for region in bodies:
        for year in range(2024 - years + 1, 2025):
            if written >= reports:
                break
            record = random_record(rng)
            record["body_name"], record["year"] = region["name"] + "人民政府", year
            form = "html" if written % 4 == 0 else "text"
            style = random_style(rng, form)
            data = html_bytes(record, style) if form == "html" else text_bytes(record, style)
            name = f"{region['region_code']}_{year}.{'html' if form == 'html' else 'txt'}"
            (folder / name).write_bytes(data)
            lines.append(f"{name},{record['body_name']},{region['region_code']},{year},")
            written += 1
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written
