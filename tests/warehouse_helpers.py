"""Helpers for the dbt tests: parse-shaped records made from gold files, raw data written with the
real loader (ingest.warehouse.load.write_raw), and real `dbt` runs in a throwaway copy of the project."""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

from ingest.extract.record import Failure, Record as TypedRecord
from ingest.warehouse.load import write_raw
from tests.gold import load_gold

REPO = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros", "seeds", "analyses", "tests/dbt")
Record = dict[str, Any]


def _t4_addresses() -> dict[str, tuple[str, str]]:
    with open(REPO / "seeds" / "t4_cells.csv", encoding="utf-8", newline="") as fh:
        return {row["code"]: (row["block_code"], row["outcome_code"]) for row in csv.DictReader(fh)}


def _cell(table: int, row: str, column: str, value: float | None) -> dict[str, Any]:
    raw = "" if value is None else f"{value:g}"
    return {"table": table, "row": row, "column": column, "value": value, "raw": raw,
            "source": f"table {table} {row} {column}", "note": None}


def gold_record(stem: str, *, body_name: str | None = None, year: int | None = None,
                region_code: str | None = None, file: str | None = None) -> Record:
    """A loader record (with cells) holding the numbers of gold file `stem`, optionally renamed."""
    gold = load_gold(stem)
    body, year = body_name or gold["body_name"], year or gold["year"]
    file = file or f"{stem}.txt"
    cells = [_cell(2, code, "value", value) for code, value in gold["table2"].items()]
    cells += [_cell(3, row, column, value) for row, columns in gold["table3"].items() for column, value in columns.items()]
    addresses = _t4_addresses()
    cells += [_cell(4, *addresses[code], value) for code, value in gold["table4"].items()]
    return {"sha256": hashlib.sha256(f"{file}|{body}|{year}".encode()).hexdigest(), "file": file,
            "format": "text", "layout": gold["layout"], "title": f"{body}{year}年政府信息公开工作年度报告",
            "body_name": body, "year": year, "region_code": region_code, "source_url": None,
            "warnings": [], "cells": cells, "narrative_cells": {}}


def set_cell(record: Record, table: int, row: str, column: str, value: float | None) -> Record:
    """Overwrite one cell of `record` in place (the cell must exist) and return the record."""
    matches = [c for c in record["cells"] if (c["table"], c["row"], c["column"]) == (table, row, column)]
    assert len(matches) == 1, f"no single cell {table}.{row}.{column}"
    matches[0].update(value=value, raw="" if value is None else f"{value:g}")
    return record


def set_narrative(record: Record, measure: str, value: float) -> Record:
    record["narrative_cells"][measure] = {"value": value, "raw": f"{value:g}件", "source": "line 3"}
    return record


def report_id(record: Record) -> str:
    return str(record["sha256"])[:16]


def make_project(dest: Path, corrections: list[dict[str, Any]] | None = None) -> Path:
    """Copy the dbt project to `dest` (so target/, logs/ and planted seeds stay out of the repo)."""
    for part in PROJECT_PARTS:
        source, target = REPO / part, dest / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if corrections:
        with open(dest / "seeds" / "corrections.csv", "a", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["file", "report_id", "table_no", "row_code", "column_code",
                                                    "corrected_value", "reason", "source"], lineterminator="\n")
            writer.writerows(corrections)
    return dest


def load_raw(warehouse: Path, records: list[Record | TypedRecord],
             failures: list[dict[str, Any]] | None = None) -> None:
    write_raw(warehouse, [r if isinstance(r, TypedRecord) else TypedRecord.from_json(r) for r in records],
              [Failure(f["file"], f.get("sha256"), f["error"]) for f in failures or []])


def probe_project(root: Path, project_yml: str, seeds: dict[str, str], seeds_yml: str) -> Path:
    """A tiny dbt project in `root` that uses the project's macros and profile: `seeds` (file
    name -> CSV text) with `seeds_yml` describing them and their tests."""
    shutil.copytree(REPO / "macros", root / "macros")
    shutil.copy2(REPO / "profiles.yml", root / "profiles.yml")
    (root / "dbt_project.yml").write_text(project_yml, encoding="utf-8")
    (root / "seeds").mkdir()
    for name, text in seeds.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    (root / "seeds" / "_probe.yml").write_text(seeds_yml, encoding="utf-8")
    return root


def run_dbt(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real dbt CLI in `project` against `warehouse`."""
    env = {**os.environ, "XXGK_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    command = [str(DBT), *args, "--profiles-dir", ".", "--project-dir", "."]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)


def query(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def xxgk(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real `xxgk` command (python -m ingest.cli) from the repository."""
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=timeout, env={**os.environ, **(env or {})})


def xxgk_into(command: str, reports: Path, warehouse: Path, *args: str,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`xxgk build|refresh --reports REPORTS --warehouse WAREHOUSE ...`."""
    return xxgk(command, "--reports", str(reports), "--warehouse", str(warehouse), *args, env=env)


def scale(record: Record, factor: int) -> Record:
    """Multiply every Table 3 and Table 4 count of `record` (in place): every sum still holds."""
    for cell in record["cells"]:
        if cell["table"] in (3, 4) and cell["value"] is not None:
            cell.update(value=cell["value"] * factor, raw=f"{cell['value'] * factor:g}")
    return record


def move(record: Record, from_row: str, to_row: str, n: int) -> Record:
    """Move `n` natural-person applications of Table 3 from one outcome row to another (in place):
    the rates change, every sum still holds."""
    for column in ("natural_person", "total"):
        cells = {c["row"]: c for c in record["cells"] if c["table"] == 3 and c["column"] == column}
        set_cell(record, 3, from_row, column, cells[from_row]["value"] - n)
        set_cell(record, 3, to_row, column, cells[to_row]["value"] + n)
    return record


def blank_total_column(record: Record) -> Record:
    """Print the 总计 column blank on every outcome row but 三（七）总计 (in place), as a real
    report did: blank reads 0 by the format, with a note, and T3_COLUMN_SUM flags each row."""
    for cell in record["cells"]:
        if (cell["table"], cell["column"]) == (3, "total") and cell["row"] not in (
                "new_received", "carried_over", "total_processed", "carried_forward"):
            cell.update(value=0, raw="", note="empty cell read as 0")
    return record


def leave_open(record: Record, run: str, keys: list[str], options: list[list[int]], source: str = "line 10") -> Record:
    """Leave the Table 2 cells `keys` (table2.<code>) unread as an open glued run with `options`."""
    for key in keys:
        matches = [c for c in record["cells"] if c["table"] == 2 and c["row"] == key.split(".", 1)[1]]
        matches[0].update(value=None, raw=run, source=source, note=f"left unread: glued run {run!r} has "
                          f"{len(options)} possible splits")
    record["ambiguous"] = [{"cells": keys, "run": run, "source": source, "options": options}]
    record["uncertain"] = list(keys)
    return record


def query_dicts(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Query results as one dict per row."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def build_corpus_copy(base: Path) -> tuple[Path, Path]:
    """The shipped corpus copied to `base`/reports and built into `base`/warehouse.duckdb."""
    shutil.copytree(REPO / "data" / "reports", base / "reports")
    out = xxgk_into("build", base / "reports", base / "warehouse.duckdb")
    assert out.returncode == 0, out.stdout + out.stderr
    return base / "reports", base / "warehouse.duckdb"


def private_copy(built: tuple[Path, Path], dest: Path) -> tuple[Path, Path]:
    """A private copy of a built reports folder and warehouse (with dbt's parsed project)."""
    reports, warehouse = built
    shutil.copytree(reports, dest / "reports")
    shutil.copy(warehouse, dest / "warehouse.duckdb")
    shutil.copytree(warehouse.with_name(warehouse.name + ".dbt"), dest / "warehouse.duckdb.dbt")
    return dest / "reports", dest / "warehouse.duckdb"
