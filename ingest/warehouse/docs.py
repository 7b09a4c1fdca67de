"""`xxgk docs --out DIR`: dbt's documentation site of the warehouse as one offline HTML file.

Every model, seed, column (the descriptions the marts carry as DuckDB comments), test and the
lineage graph, in `DIR/index.html` (dbt's static page: its scripts inline, usage tracking off).
dbt reads the catalog from a copy of the warehouse in a temporary folder, never from the live
file: readers and a running refresh are not disturbed, and nothing holds the warehouse's lock.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ingest.i18n import _
from ingest.warehouse.dbt import PROJECT, _dbt_executable, _die_with_parent

PAGE = "index.html"


def snapshot(warehouse: Path, folder: Path) -> Path:
    """A copy of the warehouse in `folder`. A refresh replaces the warehouse by a rename and never
    writes into it, so the copy is the one version a reader opening it now would see."""
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def generate(warehouse: Path, out: Path) -> Path:
    """Write dbt's static documentation page of `warehouse` to `out`/index.html and return it."""
    with tempfile.TemporaryDirectory(prefix="xxgk-docs-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, XXGK_WAREHOUSE=str(snapshot(warehouse, folder)), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
        args = [_dbt_executable(), "docs", "generate", "--static", "--project-dir", str(PROJECT),
                "--profiles-dir", str(PROJECT), "--target-path", str(folder / "target"),
                "--log-path", str(folder / "logs")]
        proc = subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True, check=False,
                              preexec_fn=_die_with_parent)
        page = folder / "target" / "static_index.html"
        if proc.returncode != 0 or not page.is_file():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise RuntimeError(_("dbt docs generate exited with status {status}:\n{tail}").format(
                status=proc.returncode, tail=tail))
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, out / PAGE)
    return out / PAGE


def docs_command(warehouse: Path, out: Path) -> int:
    if not warehouse.is_file():
        print(_("xxgk docs: error: no warehouse at {path}; run `xxgk build` first")
              .format(path=warehouse), file=sys.stderr)
        return 2
    try:
        page = generate(warehouse, out)
    except (OSError, RuntimeError) as exc:
        print(_("xxgk docs: error: {message}").format(message=exc), file=sys.stderr)
        return 2
    print(_("docs: {path} (open it in a browser; it needs no network)").format(path=page))
    return 0
