"""`xxgk query --analysis NAME` gives what dbt's own compilation of analyses/NAME.sql gives, on a
warehouse built from the shipped corpus (issue 10)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.query.source import analysis_names
from tests.query_helpers import run
from tests.warehouse_helpers import make_project, run_dbt

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(warehouse built by `xxgk build` from data/reports, folder of dbt's compiled analyses)."""
    root = tmp_path_factory.mktemp("analyses")
    warehouse = root / "warehouse.duckdb"
    build = subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--reports", str(ROOT / "data" / "reports"),
                            "--warehouse", str(warehouse)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    copy = root / "for_dbt" / "warehouse.duckdb"  # dbt opens its database for writing: give it a copy of the same name
    copy.parent.mkdir()
    shutil.copy2(warehouse, copy)
    project = make_project(root / "project")
    compiled = run_dbt(project, copy, "compile", "--select", "resource_type:analysis")
    assert compiled.returncode == 0, compiled.stdout[-4000:]
    return warehouse, project / "target" / "compiled" / "xxgk" / "analyses"


@pytest.mark.parametrize("name", analysis_names())
def test_an_analysis_runs_as_dbt_compiles_it(name: str, built: tuple[Path, Path]) -> None:
    warehouse, compiled = built
    ours = run(warehouse, "--analysis", name, "--json")
    dbts = run(warehouse, "-f", str(compiled / f"{name}.sql"), "--json")
    assert ours[0] == 0 and ours == dbts


def test_the_corpus_gives_the_analyses_something_to_show(built: tuple[Path, Path]) -> None:
    status, out = run(built[0], "--analysis", "bodies_breaking_rules", "--json")
    assert status == 0
    assert [json.loads(line)["rule_id"] for line in out.splitlines()]  # the corpus's one breach
