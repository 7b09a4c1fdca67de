"""Who a body is: how its region was found (manifest, exact, name+parent, prefix — a prefix match
warns, since 东湖新城人民政府 only resembles 东湖区) and its kind from its name (government,
department, township or street, zone office, other), in dim_body."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.record import Record
from ingest.warehouse.enrich import Enricher
from ingest.warehouse.manifest import load_manifest
from tests.warehouse_helpers import gold_record, query_dicts


def enriched(folder: Path, body_name: str, manifest: str | None = None) -> Record:
    record = Record.from_json(gold_record("shitai_2024_word_paste", body_name=body_name, file="a.txt"))
    if manifest is not None:
        (folder / "manifest.csv").write_text(f"file,region_code\na.txt,{manifest}\n", encoding="utf-8")
    result = Enricher(load_manifest(folder)).enrich(record)
    assert isinstance(result, Record)
    return result


@pytest.mark.parametrize("body_name, manifest, method, code, warns", [
    ("石台县人民政府", None, "exact", "341722", False),
    ("安徽省石台县财政局", None, "name+parent", "341722", False),
    ("东湖新城人民政府", None, "prefix", "360102", True),
    ("平潭综合实验区", "350128", "manifest", "350128", False),
])
def test_the_loader_records_how_the_region_was_found(tmp_path: Path, body_name: str, manifest: str | None,
                                                     method: str, code: str, warns: bool) -> None:
    record = enriched(tmp_path, body_name, manifest)
    assert (record.region_method, record.region_code) == (method, code)
    assert any("matched only by the start of the body name" in w for w in record.warnings) is warns


def test_dim_body_shows_the_match_method_and_the_body_type(readable_warehouse: Path) -> None:
    bodies = {b["body_name"]: b for b in query_dicts(readable_warehouse, "select * from dim_body")}
    donghu = bodies["东湖新城人民政府"]
    assert (donghu["region_match_method"], donghu["region_match_is_warning"], donghu["region_matched_text"]) == (
        "prefix", True, "东湖")
    assert donghu["region_match_label"] == "名称开头相似（需确认）"
    assert {name: b["body_type"] for name, b in bodies.items() if name in (
        "石台县人民政府", "石台县财政局", "仁里镇人民政府", "平潭综合实验区", "东湖新城人民政府")} == {
        "石台县人民政府": "government", "石台县财政局": "department", "仁里镇人民政府": "township",
        "平潭综合实验区": "zone", "东湖新城人民政府": "government"}
    assert bodies["石台县财政局"]["body_type_label"] == "政府部门"
