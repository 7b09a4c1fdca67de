"""Benchmark refresh against a full build (issues 5 and 11): a full build, then refreshes of the
same warehouse: unchanged (twice), one changed file (the first after a build, which writes the
spare the build left), and one changed file again (the steady state: the spare updated in
place). Prints wall time and peak memory of the whole process tree for each.

    .venv/bin/python scripts/bench_refresh.py [--reports 2000] [--keep DIR]
    .venv/bin/python scripts/bench_refresh.py --keep DIR --from /work/bench/100k

With --keep, a corpus (DIR/reports) and a warehouse (DIR/warehouse.duckdb) already there are
reused, not rendered and built again. --from SRC copies SRC/reports (as hard links) and
SRC/warehouse.duckdb (cp --reflink=auto; built here when SRC has none) into DIR first: the
refreshes then change only DIR.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.render.corpus import write_corpus  # noqa: E402
from measure import run_measured  # noqa: E402


def change_one(folder: Path, nth: int = 0) -> Path:
    """Append an empty line (ASCII: valid in every encoding the renderer writes) to the `nth`
    text report so its sha256 changes. A hard-linked file is copied first (its twin stays)."""
    victim = sorted(p for p in folder.rglob("*.txt"))[nth]
    data = victim.read_bytes()
    victim.unlink()
    victim.write_bytes(data + b"\n")
    return victim


def copy_from(source: Path, base: Path) -> None:
    """Reports as hard links (a changed one is rewritten, see change_one), warehouse by reflink."""
    if not (base / "reports").exists():
        shutil.copytree(source / "reports", base / "reports", copy_function=os.link)
    if (source / "warehouse.duckdb").is_file() and not (base / "warehouse.duckdb").exists():
        subprocess.run(["cp", "--reflink=auto", str(source / "warehouse.duckdb"), str(base / "warehouse.duckdb")],
                       check=True)


def timed(label: str, command: str, reports: Path, warehouse: Path) -> float:
    xxgk = str(Path(sys.executable).with_name("xxgk"))
    wall, peak_kb, status = run_measured([xxgk, command, "--reports", str(reports), "--warehouse", str(warehouse)])
    print(f"{label}: {wall:.1f} s wall, peak {peak_kb / 1024:.0f} MiB, exit status {status}", flush=True)
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--keep", help="write (or reuse) the corpus and warehouse here instead of a temporary folder")
    parser.add_argument("--from", dest="source", help="copy SRC/reports and SRC/warehouse.duckdb into --keep first")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        if args.source:
            copy_from(Path(args.source), base)
        reports, warehouse = base / "reports", base / "warehouse.duckdb"
        if not reports.is_dir():
            started = time.monotonic()
            n = write_corpus(reports, args.reports, years=4)
            print(f"rendered {n} reports in {time.monotonic() - started:.1f} s", flush=True)
        print(f"{sum(1 for p in reports.rglob('*') if p.is_file()) - 1} report files, load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        full = timed("full build", "build", reports, warehouse) if not warehouse.exists() else None
        print(f"warehouse {warehouse.stat().st_size / 2**20:.0f} MiB", flush=True)
        figures = {label: timed(label, "refresh", reports, warehouse)
                   for label in ("unchanged refresh", "unchanged refresh again")}
        for n, label in enumerate(("one changed file", "one changed file again")):
            change_one(reports, n)
            figures[label] = timed(label, "refresh", reports, warehouse)
        if full:
            for label, wall in figures.items():
                print(f"{label} / full build = {wall / full:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
