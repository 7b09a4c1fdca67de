"""Benchmark the query door's streaming and limits (issue 9, D13): a 30M-row export to CSV and TSV,
a pipe closed after three rows, and a runaway count stopped at its time limit; with the peak
memory of the whole process tree, and a plain fetchall of the same 30M rows for comparison.

    .venv/bin/python scripts/bench_query.py [--rows 30000000] [--timeout 5]
"""
from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import run_measured  # noqa: E402


def make_warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table reports as select 1 as id, '石台县人民政府' as body_name")
    con.close()


def shell(command: list[str], redirect: str) -> list[str]:
    return ["sh", "-c", " ".join(shlex.quote(c) for c in command) + " " + redirect]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000_000)
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    xxgk = str(Path(sys.executable).with_name("xxgk"))
    select = f"select i, i * 2 as j, 'x' || i as s from range({args.rows}) t(i)"
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-query-") as tmp:
        warehouse = Path(tmp) / "warehouse.duckdb"
        make_warehouse(warehouse)
        door = [xxgk, "query", "--warehouse", str(warehouse), "--timeout", "0"]
        cases = {
            f"{args.rows:,} rows to CSV": shell([*door, select, "--csv"], "> /dev/null"),
            f"{args.rows:,} rows to TSV": shell([*door, select, "--tsv"], "> /dev/null"),
            "10^12 rows piped into head -3": shell([*door, "select * from range(1e12::bigint)"], "| head -3"),
            f"runaway count, --timeout {args.timeout:g}": [xxgk, "query", "--warehouse", str(warehouse), "--timeout",
                                                          str(args.timeout), "select count(*) from range(1e12::bigint)"],
            f"{args.rows:,} rows fetched at once (how the door fetched before)": [
                sys.executable, "-c", f"import duckdb; c = duckdb.connect({str(warehouse)!r}, read_only=True); "
                                      f"print(len(c.execute({select!r}).fetchall()))"],
        }
        for label, command in cases.items():
            wall, peak_kb, status = run_measured(command)
            print(f"{label}: {wall:.1f} s wall, peak {peak_kb / 1024:.0f} MiB, exit status {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
