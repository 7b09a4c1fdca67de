"""Benchmark how a build grows with the corpus (issue 11): full builds of 10,000, 30,000 and
100,000 rendered reports in one run, then an unchanged refresh and a one-file refresh of the
largest warehouse.

    .venv/bin/python scripts/bench_scale.py [--sizes 10000,30000,100000] [--keep DIR]

Per size: reports, wall time, peak memory of the whole process tree (loader, parse workers,
dbt), the warehouse's size on disk and the time per report; then time(30k)/time(10k) (target
under 3.6: near linear). Targets at 100,000 reports on 2 cores: build under 12 minutes and
2 GiB; unchanged refresh under 2 s, one changed report under 10 s.

The largest corpus is rendered once (DIR/<size>/reports; reused when complete); the smaller
ones are its first files (tests/render/corpus.py renders a prefix the same), copied, so their
rendering costs a copy. Rendering time is printed apart from the builds. Every build starts
from an empty warehouse (the old one and its dbt folder are removed first).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_refresh import change_one  # noqa: E402
from measure import run_measured  # noqa: E402
from tests.render.corpus import copy_prefix, corpus_size, write_corpus  # noqa: E402

XXGK = str(Path(sys.executable).with_name("xxgk"))


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def load() -> str:
    return "load average " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def prepare(base: Path, sizes: list[int], years: int) -> None:
    """Render the largest corpus unless it is there; copy the smaller ones out of it."""
    largest = base / label(sizes[-1]) / "reports"
    if corpus_size(largest) == sizes[-1]:
        print(f"reusing the {sizes[-1]:,} rendered reports in {largest}")
    else:
        started = time.monotonic()
        write_corpus(largest, sizes[-1], years)
        print(f"rendered {sizes[-1]:,} reports in {time.monotonic() - started:.1f} s ({os.cpu_count()} cores)")
    for size in sizes[:-1]:
        folder = base / label(size) / "reports"
        if corpus_size(folder) == size:
            print(f"reusing the {size:,} rendered reports in {folder}")
            continue
        shutil.rmtree(folder, ignore_errors=True)
        started = time.monotonic()
        copy_prefix(largest, folder, size)
        print(f"copied the first {size:,} reports to {folder} in {time.monotonic() - started:.1f} s")


def disk_mib(warehouse: Path) -> float:
    """The warehouse file and its write-ahead log, if any."""
    wal = warehouse.with_name(warehouse.name + ".wal")
    return sum(p.stat().st_size for p in (warehouse, wal) if p.is_file()) / 2**20


def cpu_seconds() -> float:
    """User and system CPU of every finished child process and their children (parse workers, dbt)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: str, reports: Path, warehouse: Path) -> tuple[float, float, int]:
    """(wall s, peak MiB, exit status) of `xxgk COMMAND` on one folder, printed with the load and
    the CPU time it took (on a busy machine wall time grows, CPU time much less)."""
    before, cpu = load(), cpu_seconds()
    wall, peak_kb, status = run_measured([XXGK, command, "--reports", str(reports), "--warehouse", str(warehouse)])
    print(f"  ({before} before, {load()} after; {cpu_seconds() - cpu:.0f} s of CPU)")
    return wall, peak_kb / 1024, status


def build(base: Path, size: int) -> float:
    folder = base / label(size)
    warehouse = folder / "warehouse.duckdb"
    for old in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        old.unlink(missing_ok=True)
    shutil.rmtree(warehouse.with_name(warehouse.name + ".dbt"), ignore_errors=True)
    print(f"build of {size:,} reports:")
    wall, peak, status = measure("build", folder / "reports", warehouse)
    print(f"BUILD {size:>7,} reports: {wall:7.1f} s wall, peak {peak:6.0f} MiB, warehouse {disk_mib(warehouse):6.0f} MiB "
          f"on disk, {1000 * wall / size:.2f} ms per report, exit status {status}")
    return wall


STEADY = 3  # one-file refreshes with the spare in place: their spread shows how steady the cost is


def flushed() -> None:
    """Wait until the kernel has written back what the builds left in memory (sync), so that
    the refreshes are not timed against the writeback of a build's gigabytes: a scheduled
    refresh runs long after its build. (On 2026-11-30 one run's one-file refresh took 12.7 s
    right after the build and 8.1 s minutes later; the next run's sync took 0.0 s and its
    refreshes 8.4-9.2 s, so writeback did not explain that run: the spread is printed.)"""
    start = time.monotonic()
    os.sync()
    print(f"the builds' writes flushed to disk first (sync): {time.monotonic() - start:.1f} s")


def refreshes(base: Path, size: int) -> None:
    folder = base / label(size)
    reports, warehouse = folder / "reports", folder / "warehouse.duckdb"
    flushed()
    # the first changed refresh after a build writes the spare the build left; the next ones
    # are a scheduled refresh's steady cost
    steady = [f"one changed file, spare in place ({n + 1} of {STEADY})" for n in range(STEADY)]
    for what in ("unchanged", "one changed file, first after the build", *steady, "unchanged again"):
        if not what.startswith("unchanged"):
            print(f"  changed {change_one(reports).relative_to(reports)}")
        print(f"refresh of {size:,} reports, {what}:")
        wall, peak, status = measure("refresh", reports, warehouse)
        print(f"REFRESH {size:>7,} reports, {what}: {wall:.1f} s wall, peak {peak:.0f} MiB, exit status {status}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="comma-separated report counts")
    parser.add_argument("--years", type=int, default=4, help="years each body reports for")
    parser.add_argument("--keep", help="render and build in DIR/<size>/ (reused by later runs) instead of a "
                                       "temporary folder")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="xxgk-scale-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        print(f"{os.cpu_count()} cores, {load()}")
        prepare(base, sizes, args.years)
        walls = {size: build(base, size) for size in sizes}
        if len(sizes) >= 2:
            print(f"time({label(sizes[1])}) / time({label(sizes[0])}) = {walls[sizes[1]] / walls[sizes[0]]:.2f} "
                  f"for {sizes[1] / sizes[0]:.1f} times the reports")
        refreshes(base, sizes[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
