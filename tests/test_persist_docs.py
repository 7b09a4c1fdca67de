"""Macro duckdb__persist_docs (macros/persist_docs.sql): descriptions still become DuckDB comments,
but a run writes only the comments that differ, so an incremental model that kept its table (a
refresh) writes none, and a changed description is still written without a full refresh."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.warehouse_helpers import REPO, query, run_dbt

PROJECT_YML = """name: docs_probe
version: "0.1.0"
config-version: 2
profile: xxgk
macro-paths: ["macros"]
models:
  docs_probe:
    +persist_docs: {relation: true, columns: true}
"""

MODELS_YML = """version: 2
models:
  - name: kept
    description: An incremental table.
    config: {materialized: incremental}
    columns:
      - {name: id, description: "The key."}
      - {name: label, description: "{label}"}
  - name: remade
    description: A table made again by every run.
    config: {materialized: table}
    columns:
      - {name: id, description: "The key."}
"""


def project(root: Path, label: str) -> Path:
    if not (root / "macros").exists():
        shutil.copytree(REPO / "macros", root / "macros")
        shutil.copy2(REPO / "profiles.yml", root / "profiles.yml")
        (root / "dbt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
        (root / "models").mkdir()
        (root / "models" / "kept.sql").write_text("select 1 as id, 'a' as label", encoding="utf-8")
        (root / "models" / "remade.sql").write_text("select 1 as id", encoding="utf-8")
    (root / "models" / "_models.yml").write_text(MODELS_YML.replace("{label}", label), encoding="utf-8")
    return root


def build(root: Path, warehouse: Path, run: str) -> list[str]:
    """`dbt build` (no full refresh); the `comment on` statements it ran."""
    proc = run_dbt(root, warehouse, "build", "--log-path", str(root / run))
    assert proc.returncode == 0, proc.stdout[-3000:]
    log = (root / run / "dbt.log").read_text(encoding="utf-8")
    return [line.split(" is ")[0].strip() for line in log.splitlines() if line.strip().startswith("comment on ")]


def comments(warehouse: Path) -> dict[str, str | None]:
    rows = query(warehouse, "select table_name, comment from duckdb_tables() where schema_name = 'main' and database_name = 'probe' union all "
                            "select table_name || '.' || column_name, comment from duckdb_columns() where schema_name = 'main' and database_name = 'probe'")
    return dict(rows)


def test_only_missing_or_changed_comments_are_written(tmp_path: Path) -> None:
    root, warehouse = project(tmp_path / "p", "The label."), tmp_path / "probe.duckdb"
    first = build(root, warehouse, "first")
    assert comments(warehouse) == {"kept": "An incremental table.", "kept.id": "The key.", "kept.label": "The label.",
                                   "remade": "A table made again by every run.", "remade.id": "The key."}
    assert len([s for s in first if '"kept"' in s]) == 3  # a new table: every comment written

    again = build(root, warehouse, "again")
    assert [s for s in again if '"kept"' in s] == []  # the incremental table kept its comments
    assert len([s for s in again if '"remade"' in s]) == 2  # a table made again gets them again

    project(root, "A new label.")
    changed = build(root, warehouse, "changed")
    assert [s for s in changed if '"kept"' in s] == ['comment on column "probe"."main"."kept".label']
    assert comments(warehouse)["kept.label"] == "A new label."
    assert comments(warehouse)["kept"] == "An incremental table."
