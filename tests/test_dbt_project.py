"""The dbt project's own rules: layers read downward only (no intermediate model reads a mart),
settings are declared where a user changes them (small_sample_min_cases), the seeds drive what
they describe (a rule's severity its test's severity; the generated YAML is current), and
production builds leave out the tests of our SQL (macro and unit tests), which the suite runs."""
from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from ingest.warehouse.dbt import LARGE, LARGE_CELLS, PRODUCTION, SMALL, production, refresh_resources, resources
from tests.warehouse_helpers import REPO, gold_record, load_raw, make_project, query, run_dbt, set_cell

REF = re.compile(r"""ref\(\s*['"](\w+)['"]\s*\)""")


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_model_yaml", REPO / "scripts" / "make_model_yaml.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_no_staging_or_intermediate_model_reads_a_mart() -> None:
    marts = {path.stem for path in (REPO / "models" / "marts").glob("*.sql")}
    reads = {path.relative_to(REPO).as_posix(): set(REF.findall(path.read_text(encoding="utf-8")))
             for layer in ("staging", "intermediate") for path in (REPO / "models" / layer).glob("*.sql")}
    assert reads and {model: refs & marts for model, refs in reads.items() if refs & marts} == {}


def test_a_build_past_ten_thousand_reports_runs_one_node_at_a_time_with_a_larger_cap() -> None:
    """A 10,000-report build (2,000,000 cells) keeps the cap that holds it under 1 GiB; the
    profile reads the cap the build chose."""
    assert resources(LARGE_CELLS) == SMALL and resources(LARGE_CELLS + 1) == LARGE
    assert (SMALL.threads, LARGE.threads) == (2, 1)
    profile = yaml.safe_load((REPO / "profiles.yml").read_text(encoding="utf-8"))
    local = profile["xxgk"]["outputs"]["local"]
    assert local["config_options"]["memory_limit"] == "{{ env_var('XXGK_DBT_MEMORY', '400MB') }}"
    assert "settings" not in local  # set once at connect, not as SET statements on every node's cursor


def test_small_sample_min_cases_is_a_declared_var_without_other_defaults() -> None:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["small_sample_min_cases"] == 30
    uses = [path for path in (REPO / "models").rglob("*.sql") if "small_sample_min_cases" in path.read_text(encoding="utf-8")]
    assert uses
    for path in uses:
        assert re.findall(r"var\('small_sample_min_cases'\s*,", path.read_text(encoding="utf-8")) == [], path


def test_the_generated_yaml_is_current() -> None:
    assert generator().main(["--check"]) == 0, "models/marts/_marts__models.yml is stale: run scripts/make_model_yaml.py"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    project = make_project(tmp_path_factory.mktemp("parse") / "project")
    proc = run_dbt(project, project / "parse.duckdb", "parse")
    assert proc.returncode == 0, proc.stdout[-3000:]
    return project, json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))


def test_each_rules_test_takes_its_severity_from_the_seeds(parsed: tuple[Path, dict[str, object]]) -> None:
    _, manifest = parsed
    with open(REPO / "seeds" / "rule_severities.csv", encoding="utf-8") as fh:
        mapping = {row["severity"]: row["test_severity"] for row in csv.DictReader(fh)}
    with open(REPO / "seeds" / "rules.csv", encoding="utf-8") as fh:
        expected = {f"check_{row['rule_id'].lower()}": mapping[row["severity"]] for row in csv.DictReader(fh)}
    nodes = manifest["nodes"]  # type: ignore[index]
    got = {node["name"]: node["config"]["severity"].lower() for node in nodes.values()
           if node["resource_type"] == "test" and node["name"] in expected}
    assert got == expected


def listed(project: Path, *args: str) -> set[str]:
    proc = run_dbt(project, project / "parse.duckdb", "ls", "--resource-type", "test", "unit_test",
                   "--output", "name", *args)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return {line.strip() for line in proc.stdout.splitlines() if line.strip() and " " not in line.strip()}


def test_production_builds_leave_out_macro_and_unit_tests(parsed: tuple[Path, dict[str, object]]) -> None:
    project, _ = parsed
    everything, production = listed(project), listed(project, *PRODUCTION)
    macro_tests = {path.stem for path in (REPO / "tests" / "dbt" / "macros").glob("*.sql")}
    assert macro_tests and macro_tests <= everything and not macro_tests & production
    assert "metric_peers_are_same_level_same_type_same_parent" in everything - production
    assert "check_narrative_match" in production and "assert_every_report_is_checked_by_every_rule" in production


def test_a_refresh_leaves_seeds_and_what_reads_only_seeds_as_they_are(parsed: tuple[Path, dict[str, object]]) -> None:
    """Selector `refresh` builds and tests what a production build does but the seeds and the
    models read only from seeds (tag seeds_only, with their tests), the views (their tests run)
    and the tests that store their failures (in views)."""
    project, manifest = parsed
    nodes = {uid: node for uid, node in manifest["nodes"].items() if node["package_name"] == "xxgk"}

    def from_seeds(uid: str) -> bool:
        node = nodes[uid]
        parents = node["depends_on"].get("nodes", [])
        return node["resource_type"] == "seed" or (bool(parents) and all(p in nodes and from_seeds(p) for p in parents))

    models = {uid for uid, node in nodes.items() if node["resource_type"] == "model"}
    seeds_only = {nodes[uid]["name"] for uid in models if from_seeds(uid)}
    assert seeds_only == {nodes[uid]["name"] for uid in models if "seeds_only" in nodes[uid]["tags"]}
    assert "dim_region" in seeds_only and "int_reports__touched" not in seeds_only
    views = {nodes[uid]["name"] for uid in models if nodes[uid]["config"]["materialized"] == "view"}
    their_tests = {node["name"] for node in nodes.values() if node["resource_type"] == "test"
                   and all(p in nodes and (nodes[p]["name"] in seeds_only or nodes[p]["resource_type"] == "seed")
                           for p in node["depends_on"]["nodes"])}  # not a source's
    seeds = {node["name"] for node in nodes.values() if node["resource_type"] == "seed"}

    def built(*args: str) -> set[str]:
        proc = run_dbt(project, project / "parse.duckdb", "ls", "--resource-type", "model", "seed", "test",
                       "--output", "name", *args)
        assert proc.returncode == 0, proc.stdout[-3000:]
        return {line.strip() for line in proc.stdout.splitlines() if line.strip() and " " not in line.strip()}

    audit = {node["name"] for node in nodes.values() if node["resource_type"] == "test" and node["config"]["store_failures"]}
    full, refresh = built(*PRODUCTION), built(*production(False))
    assert refresh == full - seeds - seeds_only - their_tests - views - audit
    assert "not_null_columns_stg_raw__cells_report_id__table_no__row_code__column_code" in refresh and "stg_raw__cells_values_in_seeds" in refresh
    assert "int_reports__touched" in views and "check_narrative_match" in audit


def test_every_test_that_stores_its_failures_stores_them_as_a_view(parsed: tuple[Path, dict[str, object]]) -> None:
    """The `audit` relations analysts read are views over the marts: current after every refresh,
    though a refresh does not run their tests (selectors.yml). A table would go stale."""
    _, manifest = parsed
    stored = {node["name"]: (node["config"]["store_failures_as"], node["schema"]) for node in manifest["nodes"].values()
              if node["resource_type"] == "test" and node["config"]["store_failures"]}
    assert len(stored) == 14 and set(stored.values()) == {("view", "audit")}, stored


def test_a_small_refresh_runs_two_nodes_at_once_under_the_cap_of_its_warehouse() -> None:
    assert refresh_resources(LARGE_CELLS + 1, 1) == type(LARGE)(threads=2, memory=LARGE.memory)
    assert refresh_resources(LARGE_CELLS + 1, 100_000) == LARGE and refresh_resources(100, 1) == SMALL


def test_a_changed_severity_mapping_and_var_change_the_build(tmp_path: Path) -> None:
    """With advisory rules mapped to dbt `error`, an advisory breach fails the build; with the
    var lowered to 10, 石台 2024 (19 decided cases) is no longer a small sample."""
    project = make_project(tmp_path / "project")
    severities = project / "seeds" / "rule_severities.csv"
    severities.write_text(severities.read_text(encoding="utf-8").replace("advisory,提示,warn", "advisory,提示,error"),
                          encoding="utf-8")
    marts_yml = project / "models" / "marts" / "_marts__models.yml"
    marts_yml.write_text(generator().render(marts_yml.read_text(encoding="utf-8"), project / "seeds"), encoding="utf-8")
    stock_2023 = set_cell(gold_record("shitai_2024_word_paste", year=2023, region_code="341722", file="2023.txt"),
                          2, "normative_docs_in_force", "value", 100)
    db = tmp_path / "warehouse.duckdb"
    load_raw(db, [stock_2023, gold_record("shitai_2024_word_paste", region_code="341722", file="2024.txt")])
    proc = run_dbt(project, db, "build", "--vars", "{small_sample_min_cases: 10}", *PRODUCTION)
    assert proc.returncode == 1
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    failed = {r["unique_id"].split(".")[2] for r in results if r["status"] in ("fail", "error")}
    assert failed == {"check_t2_stock_flow"}
    assert query(db, "select small_sample from mart_body_year_metrics where year = 2024") == [(False,)]
