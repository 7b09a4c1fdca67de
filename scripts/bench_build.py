"""Benchmark `xxgk build` on a large rendered corpus: wall time and peak memory of the whole
process tree (loader, parse workers and dbt).

    .venv/bin/python scripts/bench_build.py [--reports 10000] [--years 4] [--keep DIR]

Bodies are each county's and city's government, then its departments, townships and zone
offices (tests/render/corpus.py), each reporting for several years, in every form the parser
reads (text, HTML, DOCX, PDF); the manifest carries every region code so ambiguous names
resolve. Target: 10,000 reports under 120 s and 1 GiB on 2 cores.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.render.corpus import write_corpus  # noqa: E402
from measure import run_measured  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--keep", help="write the corpus and warehouse here instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        started = time.monotonic()
        n = write_corpus(base / "reports", args.reports, args.years)
        print(f"rendered {n} reports in {time.monotonic() - started:.1f} s")
        xxgk = str(Path(sys.executable).with_name("xxgk"))
        wall, peak_kb, status = run_measured([xxgk, "build", "--reports", str(base / "reports"),
                                              "--warehouse", str(base / "warehouse.duckdb")])
        print(f"build of {n} reports: {wall:.1f} s wall, peak memory {peak_kb / 1024:.0f} MiB "
              f"(process tree), exit status {status}, {os.cpu_count()} cores")
        return 0 if status in (0, 1) else status


if __name__ == "__main__":
    sys.exit(main())
