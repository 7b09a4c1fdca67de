"""The ready comparison queries of analyses/ compile and run against a built warehouse."""
from __future__ import annotations

from pathlib import Path

from tests.warehouse_helpers import REPO, make_project, query, run_dbt


def test_every_analysis_compiles_and_runs(readable_warehouse: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = run_dbt(project, readable_warehouse, "compile", "--select", "resource_type:analysis")
    assert proc.returncode == 0, proc.stdout[-3000:]
    compiled = {path.stem: path for path in (project / "target" / "compiled" / "xxgk" / "analyses").glob("*.sql")}
    assert set(compiled) == {path.stem for path in (REPO / "analyses").glob("*.sql")}
    counts = {name: len(query(readable_warehouse, path.read_text(encoding="utf-8"))) for name, path in compiled.items()}
    assert counts["bodies_breaking_rules"] > 0 and counts["province_ranking_by_disclosure_ratio"] > 0
    assert counts["year_over_year_movers"] == 1  # 东至县人民政府 2024 against 2021; the others are small or alone
