"""dbt's child process (ingest/warehouse/dbt_child.py): dbt runs without its JSON artifacts, yet
the run results the build reads are written, and the exit status says what dbt's own would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.warehouse_helpers import probe_project

PROJECT_YML = """name: child_probe
version: "0.1.0"
config-version: 2
profile: xxgk
macro-paths: ["macros"]
seed-paths: ["seeds"]
"""

SEEDS = {"pairs.csv": "report_id,k\na,1\na,1\n"}

TESTS_YML = """version: 2
seeds:
  - name: pairs
    data_tests:
      - expect_unique_combination: {name: pairs_unique, arguments: {combination_of_columns: [report_id, k]}}
"""


def run_child(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XXGK_WAREHOUSE": str(root / "probe.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    return subprocess.run([sys.executable, "-m", "ingest.warehouse.dbt_child", str(root / "results.json"), *args,
                           "--project-dir", str(root), "--profiles-dir", str(root),
                           "--target-path", str(root / "target")],
                          cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True,
                          timeout=600)


def test_a_failing_test_is_in_the_results_and_no_json_artifact_is_written(tmp_path: Path) -> None:
    root = probe_project(tmp_path, PROJECT_YML, SEEDS, TESTS_YML)
    proc = run_child(root, "build")
    assert proc.returncode == 1, proc.stdout[-3000:]
    results = json.loads((root / "results.json").read_text(encoding="utf-8"))["results"]
    assert {r["unique_id"].split(".")[2]: r["status"] for r in results} == {"pairs": "success", "pairs_unique": "fail"}
    assert not (root / "target" / "manifest.json").exists()
    assert not (root / "target" / "run_results.json").exists()
    assert (root / "target" / "partial_parse.msgpack").exists()  # partial parsing is kept


def test_a_project_dbt_cannot_parse_exits_2(tmp_path: Path) -> None:
    root = probe_project(tmp_path, PROJECT_YML, SEEDS, "version: 2\nseeds: [{name: pairs, data_tests: [{{ broken")
    proc = run_child(root, "build")
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert not (root / "results.json").exists()
