"""A warehouse built once per test session from planted records, for the tests that read the
marts as an analyst would (schemas, findings, peers, load issues, body identity)."""
from __future__ import annotations

import os
from pathlib import Path
import pytest

# Messages are Chinese unless LANG or LANGUAGE say otherwise (ingest/i18n.py); the tests compare
# the English ones, and the tests of the Chinese default (test_i18n, test_report, ...) unset this.
os.environ["LANGUAGE"] = "en"

from ingest.extract.record import Record as TypedRecord
from ingest.warehouse.enrich import Enricher
from ingest.warehouse.manifest import load_manifest
from tests.warehouse_helpers import (Record, blank_total_column, build_corpus_copy, private_copy, gold_record, leave_open, load_raw, make_project,
                                     move, run_dbt, scale, set_cell, set_narrative)

SHITAI = "shitai_2024_word_paste"
SCAN_FAILURE = {"file": "scan.pdf", "sha256": "0" * 64, "error": "scan.pdf: no text layer (a scanned PDF); there is no OCR"}
OPEN_RUN = ("126768", ["table2.normative_docs_issued", "table2.normative_docs_repealed", "table2.normative_docs_in_force"],
            [[12, 67, 68], [1, 267, 68]])


def planted(name: str, region_code: str | None, year: int = 2024, factor: int = 1) -> Record:
    """石台县人民政府 2024 (which passes every rule) as another body, its counts times `factor`."""
    record = gold_record(SHITAI, body_name=name, year=year, region_code=region_code, file=f"{name}_{year}.txt")
    return scale(record, factor)


def readable_records(folder: Path) -> list[Record | TypedRecord]:
    """Peers in 池州市 (county governments, a department, a township), a report whose 总计 column is
    blank, a narrative and a cross-year breach, an open glued run, and two bodies whose region is
    found only by the start of their name (through the real loader's Enricher)."""
    carry = planted("石台县民政局", "341722")
    set_cell(set_cell(carry, 3, "carried_over", "natural_person", 2), 3, "carried_over", "total", 2)
    enricher = Enricher(load_manifest(folder))
    return [
        gold_record(SHITAI, region_code="341722", file=f"{SHITAI}.txt"),          # 19 decided: small sample
        planted("东至县人民政府", "341721", year=2021, factor=2),
        planted("东至县人民政府", "341721", factor=3),                              # 27 / 57
        move(planted("青阳县人民政府", "341723", factor=5), "partially_granted", "granted", 10),  # 55 / 95
        blank_total_column(planted("贵池区人民政府", "341702", factor=40)),         # 0 / 760, breached
        planted("石台县财政局", "341722", factor=3),                                 # a department: alone
        planted("仁里镇人民政府", "341722", factor=3),                               # a township: alone
        set_narrative(planted("石台县教育局", "341722"), "new_received", 20),       # words 20, table 19
        planted("石台县民政局", "341722", year=2023), carry,                         # carried over 2, forward 0
        leave_open(planted("石台县公安局", "341722"), *OPEN_RUN),
        enricher.enrich(TypedRecord.from_json(planted("东湖新城人民政府", None))),    # 东湖区 by prefix only
        enricher.enrich(TypedRecord.from_json(planted("平潭综合实验区", None))),      # 平潭县 by prefix only
    ]


@pytest.fixture(scope="session")
def readable_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planted records loaded by the real loader and built by a real, full `dbt build`."""
    root = tmp_path_factory.mktemp("readable")
    (root / "reports").mkdir()
    db = root / "warehouse.duckdb"
    load_raw(db, readable_records(root / "reports"), [SCAN_FAILURE])
    proc = run_dbt(make_project(root / "project"), db, "build", "--threads", "2")
    assert proc.returncode == 0, proc.stdout[-4000:]
    return db



@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`xxgk build` of the shipped corpus (data/reports), once per session, for the tests of what
    an office sends around (report, letter, export)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    path = tmp_path_factory.mktemp("shipped") / "warehouse.duckdb"
    proc = subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--reports", str(root / "data" / "reports"),
                           "--warehouse", str(path)], cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return path


@pytest.fixture(scope="module")
def corpus_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped corpus built once per test module: (reports folder, warehouse)."""
    return build_corpus_copy(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def corpus_copy(corpus_built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of corpus_built for one test to change."""
    return private_copy(corpus_built, tmp_path)
