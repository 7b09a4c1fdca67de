"""Helpers for the `xxgk query` tests: a small real warehouse (with a `reference` schema, as the
dbt project lays them out), the command run in-process, and a terminal-like output stream."""
from __future__ import annotations

import argparse
import hashlib
import io
from pathlib import Path

import duckdb

from ingest.cli import make_parser
from ingest.query import query_command


def make_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("""create table reports as select * from (values
        (1, '石台县人民政府', 2024, 19.50::decimal(10,2), date '2025-01-20'),
        (2, '平潭综合实验区', 2023, null, date '2024-03-01'),
        (3, '某某县', 2022, 0.00::decimal(10,2), null)) t(id, body_name, year, fees, published)""")
    con.execute("create table cells as select * from (values (1, 'table3', 19), (2, 'table3', 218)) t(report_id, tbl, value)")
    con.execute("create schema reference")
    con.execute("create table reference.metrics as select 'disclosure_ratio' as metric_id, '予以公开率' as name_zh")
    con.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query_args(warehouse: Path, *argv: str) -> argparse.Namespace:
    """The namespace the real `xxgk query` parser makes of `argv`."""
    return make_parser().parse_args(["query", *argv, "--warehouse", str(warehouse)])


class Terminal(io.StringIO):
    """Output that says it is a terminal, as sys.stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def run(warehouse: Path, *argv: str, out: io.StringIO | None = None, stdin: str | None = None) -> tuple[int, str]:
    """(exit status, stdout) of `xxgk query ARGV --warehouse W`; stdout is a pipe unless `out` says otherwise."""
    out = out if out is not None else io.StringIO()
    status = query_command(query_args(warehouse, *argv), out=out, stdin=io.StringIO(stdin or ""))
    return status, out.getvalue()
