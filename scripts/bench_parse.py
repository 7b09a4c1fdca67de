"""Parse throughput per file form, on one core in one process.

Renders --count random reports per form (Word-pasted text, web page, filled DOCX template) with
random printing styles, then times `ingest.parse.parse_bytes` over them (wall clock, and CPU
time of this process, which is steadier on a busy machine); the PDF fixtures made
by LibreOffice (tests/fixtures/valid/libreoffice/*.pdf) are repeated to the same count when a
PDF reader exists. Rendering is not timed. Prints reports/s and ms/report per form and whether
every rendered report parsed back to its record.

    python scripts/bench_parse.py [--count 300] [--seed 1]
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.parse import parse_bytes  # noqa: E402
from tests.render import differences, html_bytes, random_record, random_style, render_docx, text_bytes  # noqa: E402

PDF_FIXTURES = ROOT / "tests" / "fixtures" / "valid" / "libreoffice"


def corpus(form: str, count: int, seed: int) -> list[tuple[bytes, dict | None]]:
    """`count` (file bytes, record) pairs of one form; the record is None for fixed fixtures."""
    rng = random.Random(f"{seed}:{form}")
    out: list[tuple[bytes, dict | None]] = []
    if form == "pdf":
        files = sorted(PDF_FIXTURES.glob("*.pdf"))
        return [(files[i % len(files)].read_bytes(), None) for i in range(count)] if files else []
    for _ in range(count):
        layout = "2021" if form == "docx" else rng.choice(("2021", "2019"))
        record = random_record(rng, layout)
        style = random_style(rng, form, **({"text_layout": "word_paste"} if form == "text" else {}))
        render = {"text": text_bytes, "html": html_bytes, "docx": render_docx}[form]
        out.append((render(record, style), record))
    return out


def bench(form: str, files: list[tuple[bytes, dict | None]]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, reports equal to their record, reports that errored)."""
    started, cpu = time.perf_counter(), time.process_time()
    results = [parse_bytes(data, f"bench.{form}") for data, _ in files]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    exact = sum(1 for got, (_, rec) in zip(results, files) if rec is not None and "error" not in got
                and not differences(got, rec))
    errors = sum(1 for got in results if "error" in got)
    return elapsed, cpu, exact, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="reports per form (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    forms = ["text", "html", "docx"]
    if importlib.util.find_spec("ingest.read.pdf") is not None:
        forms.append("pdf")
    print(f"{'form':<6} {'reports':>7} {'reports/s':>10} {'ms/report':>10} {'cpu ms':>7} {'round trip':>11} {'errors':>6}")
    for form in forms:
        files = corpus(form, args.count, args.seed)
        if not files:
            print(f"{form:<6} {'-':>7}  (no files)")
            continue
        parse_bytes(files[0][0], "warmup")
        elapsed, cpu, exact, errors = bench(form, files)
        checked = sum(1 for _, rec in files if rec is not None)
        trip = f"{exact}/{checked}" if checked else "n/a"
        print(f"{form:<6} {len(files):>7} {len(files) / elapsed:>10.1f} {1000 * elapsed / len(files):>10.2f} "
              f"{1000 * cpu / len(files):>7.2f} {trip:>11} {errors:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
