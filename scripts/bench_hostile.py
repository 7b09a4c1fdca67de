"""Benchmark `xxgk build` over the shipped corpus plus every hostile entry (issue 9): wall time
and peak memory of the process tree, with the default per-file limits, then the refresh that
follows (which must find nothing changed).

    .venv/bin/python scripts/bench_hostile.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_hostile_corpus import write_hostile_folder  # noqa: E402
from measure import run_measured  # noqa: E402


def measure(command: str, reports: Path, warehouse: Path) -> int:
    xxgk = str(Path(sys.executable).with_name("xxgk"))
    wall, peak_kb, status = run_measured([xxgk, command, "--reports", str(reports), "--warehouse", str(warehouse)])
    print(f"{command} of the hostile folder: {wall:.1f} s wall, peak memory {peak_kb / 1024:.0f} MiB "
          f"(process tree), exit status {status}, load average {os.getloadavg()[0]:.1f}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the folder and warehouse here instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-hostile-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        expected = write_hostile_folder(base / "reports")
        print(f"{len(expected)} hostile entries beside the shipped corpus")
        statuses = [measure(command, base / "reports", base / "warehouse.duckdb") for command in ("build", "refresh")]
        return 0 if statuses == [1, 1] else 1


if __name__ == "__main__":
    sys.exit(main())
