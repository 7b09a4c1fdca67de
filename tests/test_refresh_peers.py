"""Peer groups in a refresh (issue 11): a refresh rebuilds only the peer groups of the touched
report versions (int_peer_groups__touched), yet one report changes the ranks and benchmarks of
the peers it did not touch, and a report withdrawn or moved to another group changes the group
it left, even when its body leaves with it: after such refreshes the marts equal a full build's."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.render.corpus import render
from tests.test_refresh_spare import marts, refresh
from tests.warehouse_helpers import query, xxgk_into

# county departments of 池州市 and 黄山市 (安徽省): one province group and two city groups per year
BODIES = {"石台县财政局": "341722", "石台县教育局": "341722", "东至县财政局": "341721", "东至县教育局": "341721",
          "青阳县民政局": "341723", "歙县教育局": "341021", "休宁县财政局": "341022"}  # and two of 黄山市
YEARS = (2023, 2024)
RANKS = "select report_id, disclosure_ratio_rank_in_province, disclosure_ratio_percentile_in_city, " \
        "open_or_partial_ratio_rank_in_city from mart_body_year_metrics"


def write(reports: Path, body: str, region: str, year: int, seed: int) -> None:
    """A consistent random text report of `body` and `year` (its own seed), named in the manifest."""
    name = f"{region}_{body}_{year}.txt"
    (reports / name).write_bytes(render(random.Random(seed), "text", body, year, seed))
    manifest = reports / "manifest.csv"
    lines = [line for line in manifest.read_text(encoding="utf-8").splitlines() if not line.startswith(name + ",")]
    manifest.write_text("\n".join(lines + [f"{name},{body},{region},{year},"]) + "\n", encoding="utf-8")


def remove(reports: Path, body: str, region: str, year: int) -> None:
    name = f"{region}_{body}_{year}.txt"
    (reports / name).unlink()
    manifest = reports / "manifest.csv"
    lines = [line for line in manifest.read_text(encoding="utf-8").splitlines() if not line.startswith(name + ",")]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def peers_built(tmp_path: Path) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "manifest.csv").write_text("file,body_name,region_code,year,source_url\n", encoding="utf-8")
    for n, (body, region) in enumerate(BODIES.items()):
        for year in YEARS:
            write(reports, body, region, year, seed=10 * n + year)
    warehouse = tmp_path / "warehouse.duckdb"
    out = xxgk_into("build", reports, warehouse)
    assert out.returncode == 0, out.stdout + out.stderr
    return reports, warehouse


def untouched_ranks(warehouse: Path, untouched: set[str]) -> dict[str, tuple]:
    rows = query(warehouse, RANKS + " where body_name in (select unnest(?))", [sorted(untouched)])
    return {row[0]: row[1:] for row in rows}


def test_refreshed_peer_groups_equal_a_full_build(peers_built: tuple[Path, Path]) -> None:
    reports, warehouse = peers_built
    others = set(BODIES) - {"石台县财政局"}
    before = untouched_ranks(warehouse, others)
    assert any(rank is not None for ranks in before.values() for rank in ranks), before  # peers are ranked

    write(reports, "石台县财政局", BODIES["石台县财政局"], 2024, seed=999)  # other figures: other ranks
    refresh(reports, warehouse)
    assert untouched_ranks(warehouse, others) != before  # the peers it did not touch moved

    for year in YEARS:  # a body withdrawn whole leaves int_bodies, and its groups lose it
        remove(reports, "石台县教育局", BODIES["石台县教育局"], year)
    refresh(reports, warehouse)
    manifest = reports / "manifest.csv"  # the same file, named another city's body: the same version moves,
    moved = f"{BODIES['歙县教育局']}_歙县教育局_2024.txt"  # and only its old row names the group it left
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f"{moved},歙县教育局,341021,", f"{moved},青阳县教育局,341723,"),
                        encoding="utf-8")
    refresh(reports, warehouse)

    compiled = warehouse.with_name(warehouse.name + ".dbt") / "target" / "run" / "xxgk" / "models"
    for model in ("intermediate/int_metrics__peers.sql", "marts/mart_peer_benchmarks.sql",
                  "marts/mart_body_year_metrics.sql"):  # ran incrementally
        assert "insert into" in (compiled / model).read_text(encoding="utf-8"), model
    rebuilt = warehouse.with_name("rebuilt.duckdb")
    shutil.copyfile(warehouse, rebuilt)
    assert xxgk_into("build", reports, rebuilt).returncode == 0
    refreshed, full = marts(warehouse), marts(rebuilt)
    assert refreshed.keys() == full.keys()
    for name in full:
        assert refreshed[name] == full[name], name
