"""Benchmark refresh against a full build (issue 5): full build, refresh of an unchanged corpus,
refresh after one changed file.

    .venv/bin/python scripts/bench_refresh.py [--reports 2000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.render.corpus import write_corpus  # noqa: E402
from measure import run_measured  # noqa: E402


def change_one(folder: Path) -> Path:
    """Append an empty line (ASCII: valid in every encoding the renderer writes) so one report's
    sha256 changes."""
    victim = sorted(p for p in folder.rglob("*.txt"))[0]
    with open(victim, "ab") as fh:
        fh.write(b"\n")
    return victim


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--keep", help="write the corpus and warehouse here instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        reports, warehouse = base / "reports", base / "warehouse.duckdb"
        started = time.monotonic()
        n = write_corpus(reports, args.reports, years=4)
        print(f"rendered {n} reports in {time.monotonic() - started:.1f} s")
        xxgk = str(Path(sys.executable).with_name("xxgk"))
        figures = {}
        for label, command in (("full build", "build"), ("unchanged refresh", "refresh"), ("one changed file", "refresh")):
            if label == "one changed file":
                change_one(reports)
            wall, peak_kb, status = run_measured([xxgk, command, "--reports", str(reports), "--warehouse", str(warehouse)])
            figures[label] = wall
            print(f"{label}: {wall:.1f} s wall, peak {peak_kb / 1024:.0f} MiB, exit status {status}")
        full = figures["full build"]
        for label in ("unchanged refresh", "one changed file"):
            print(f"{label} / full build = {figures[label] / full:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
