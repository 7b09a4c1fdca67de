"""Benchmark `xxgk report` on a warehouse of 1,000 rendered reports: the time to write the page,
its size, and the time headless Chromium takes to open it and draw every chart.

    .venv/bin/python scripts/bench_report.py [--reports 1000] [--years 4] [--keep DIR]

Targets: the page renders in under 10 s and weighs under 5 MB. "Renders" is measured twice: the
wall time of a whole headless Chromium run (start, load, every chart drawn, DOM dumped, exit: an
upper bound) and the page's own clock from navigation to the last chart drawn (`data-render-ms`).
The corpus is tests/render/corpus.py's (the build benchmark's); with --keep DIR an existing
DIR/warehouse.duckdb is reused.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import corpus_options  # noqa: E402
from tests.render.corpus import write_corpus  # noqa: E402

TARGET_SECONDS, TARGET_MB = 10.0, 5.0


def build(base: Path, reports: int, years: int) -> Path:
    warehouse = base / "warehouse.duckdb"
    if warehouse.is_file():
        print(f"reusing {warehouse}")
        return warehouse
    n = write_corpus(base / "reports", reports, years)
    started = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).with_name("xxgk")), "build", "--reports", str(base / "reports"),
                           "--warehouse", str(warehouse)], capture_output=True, text=True, check=False)
    print(f"built a warehouse of {n} reports in {time.monotonic() - started:.1f} s (exit status {proc.returncode})")
    if proc.returncode not in (0, 1):
        sys.exit(proc.stdout + proc.stderr)
    return warehouse


def render(page: Path, profile: Path) -> tuple[float, str]:
    """Wall seconds of a headless Chromium run that draws the page, and the page's data-render-ms."""
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    started = time.monotonic()
    proc = subprocess.run(["chromium", "--headless", "--disable-gpu", *sandbox, f"--user-data-dir={profile}",
                           "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=60000", "--dump-dom",
                           page.resolve().as_uri()], capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    drawn = re.search(r'data-charts-drawn="(\d+)"', proc.stdout)
    ms = re.search(r'data-render-ms="(\d+)"', proc.stdout)
    if not drawn or 'data-charts-failed="0"' not in proc.stdout:
        sys.exit("the charts were not drawn")
    return wall, f"{ms.group(1) if ms else '?'} ms, {drawn.group(1)} charts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_options(parser, 1000, "write the corpus and warehouse here (and reuse a warehouse found there)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-report-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        warehouse = build(base, args.reports, args.years)
        page = base / "report.html"
        started = time.monotonic()
        subprocess.run([str(Path(sys.executable).with_name("xxgk")), "report", "--warehouse", str(warehouse),
                        "--out", str(page), "--force"], check=True, capture_output=True)
        written = time.monotonic() - started
        size = page.stat().st_size / 1e6
        wall, in_page = render(page, Path(tmp) / "profile")
        load = os.getloadavg()
        print(f"xxgk report: page written in {written:.1f} s, {size:.2f} MB (target {TARGET_MB:g} MB)")
        print(f"Chromium: whole headless run {wall:.1f} s (target {TARGET_SECONDS:g} s); in the page, navigation "
              f"to the last chart drawn: {in_page}")
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
        ok = size < TARGET_MB and wall < TARGET_SECONDS and written < TARGET_SECONDS
        print("targets met" if ok else "TARGETS MISSED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
