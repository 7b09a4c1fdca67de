"""Region seed generation and body → region resolution, against the committed seeds/regions.csv."""
from __future__ import annotations

import csv
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from ingest.warehouse.regions import (
    SEED_PATH,
    RegionError,
    load_regions,
    resolve_region,
    short_name,
    short_names,
)

REPO = Path(__file__).resolve().parent.parent
GULOU = {"350102": "福州市", "410204": "开封市", "320302": "徐州市", "320106": "南京市"}


def _seed_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_region_seed", REPO / "scripts" / "make_region_seed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


# --- the seed -------------------------------------------------------------------------------

def test_seed_is_what_the_script_generates(tmp_path: Path) -> None:
    out = tmp_path / "regions.csv"
    assert _seed_script().main(["--out", str(out)]) == 0
    assert out.read_bytes() == SEED_PATH.read_bytes(), "seeds/regions.csv is stale: run scripts/make_region_seed.py"


def test_seed_shape_and_integrity() -> None:
    with SEED_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["region_code", "name", "level", "city_code", "city_name",
                                     "province_code", "province_name", "longitude", "latitude"]
        rows = list(reader)
    codes = [r["region_code"] for r in rows]
    assert len(rows) > 3000
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    by_code = {r["region_code"]: r for r in rows}
    for r in rows:
        code = r["region_code"]
        assert len(code) == 6 and code.isdigit(), code
        assert r["name"]
        assert r["province_code"] == code[:2] + "0000"
        assert by_code[r["province_code"]]["name"] == r["province_name"]
        if r["level"] == "province":
            assert code.endswith("0000") and r["city_code"] == r["city_name"] == ""
        elif r["level"] == "city":
            assert code.endswith("00") and r["city_code"] == code
        else:
            assert r["level"] == "county" and not code.endswith("00")
            if r["city_code"]:
                assert by_code[r["city_code"]]["name"] == r["city_name"]
                assert r["city_code"] in (code[:4] + "00", r["province_code"])
        for coord in (r["longitude"], r["latitude"]):
            assert coord == "" or float(coord)


def test_seed_special_cases() -> None:
    regions = load_regions()
    # municipalities: no 110100 placeholder, districts roll up to the municipality
    assert "110100" not in regions and "500200" not in regions
    assert regions["110108"].city_code == "110000" and regions["110108"].city_name == "北京市"
    assert regions["500240"].city_code == "500000"
    # 省直辖县级行政区划: county with no city
    assert regions["429004"].name == "仙桃市"
    assert regions["429004"].level == "county" and regions["429004"].city_code == ""
    assert regions["429004"].province_code == "420000"
    assert regions["341722"].longitude is not None


# --- short names ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("石台县", "石台"), ("内蒙古自治区", "内蒙古"), ("新疆维吾尔自治区", "新疆"),
    ("广西壮族自治区", "广西"), ("西藏自治区", "西藏"), ("海南藏族自治州", "海南"),
    ("池州市", "池州"), ("安徽省", "安徽"), ("香港特别行政区", "香港"), ("神农架林区", "神农架"),
    ("和县", "和县"), ("城区", "城区"),  # one-character stems are not short names
])
def test_short_name(name: str, expected: str) -> None:
    assert short_name(name) == expected


def test_short_names_variants() -> None:
    assert short_names("海南藏族自治州") == ("海南州", "海南")
    assert short_names("石柱土家族自治县") == ("石柱县", "石柱")
    assert short_names("和县") == ()


# --- resolution -----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "code", "method"), [
    ("石台县人民政府", "341722", "exact"),
    ("石台县财政局", "341722", "exact"),
    ("池州市人民政府", "341700", "exact"),
    ("安徽省人民政府", "340000", "exact"),
    ("南京市鼓楼区人民政府", "320106", "name+parent"),
    ("安徽省石台县人民政府", "341722", "name+parent"),
    ("2023年 石台县人民政府", "341722", "exact"),
    ("北京市人民政府", "110000", "exact"),
    ("吉林省人民政府", "220000", "exact"),
    ("吉林市人民政府", "220200", "exact"),
    ("湖北省仙桃市人民政府", "429004", "name+parent"),
    ("湖北省公安厅", "420000", "exact"),  # 公安 (公安县) is not read as a second link
    ("海南州人民政府", "632500", "exact"),
    ("平潭综合实验区", "350128", "prefix"),  # short form 平潭 names only 平潭县, but bare
    ("东湖新城人民政府", "360102", "prefix"),  # only resembles 东湖区: the loader warns
    ("石台人民政府", "341722", "prefix"),
])
def test_resolve_by_name(body: str, code: str, method: str) -> None:
    resolution = resolve_region(body)
    assert (resolution.region_code, resolution.method) == (code, method)
    assert resolution.region.code == code


def test_ambiguous_name_lists_every_candidate() -> None:
    with pytest.raises(RegionError) as info:
        resolve_region("鼓楼区人民政府")
    message = str(info.value)
    assert "4 regions" in message
    for code, city in GULOU.items():
        assert f"鼓楼区 ({code}, {city}, " in message
    assert "manifest" in message


def test_ambiguous_short_name_is_an_error() -> None:
    with pytest.raises(RegionError, match=r"吉林省 \(220000.*吉林市 \(220200"):
        resolve_region("吉林人民政府")


def test_no_region_is_an_error() -> None:
    with pytest.raises(RegionError, match="no region name"):
        resolve_region("国家税务总局")


@pytest.mark.parametrize(("body", "hint"), [
    ("鼓楼区人民政府", "350102"), ("平潭综合实验区", "350128"), ("石台县财政局", "341722"),
])
def test_manifest_code_wins(body: str, hint: str) -> None:
    resolution = resolve_region(body, hint)
    assert (resolution.region_code, resolution.method) == (hint, "manifest")


@pytest.mark.parametrize("hint", ["999999", "110100", "34172"])
def test_bad_manifest_code_is_an_error(hint: str) -> None:
    with pytest.raises(RegionError, match=hint):
        resolve_region("石台县人民政府", hint)


def test_hint_names_narrow_an_ambiguous_name() -> None:
    resolution = resolve_region("鼓楼区人民政府", hint_names=["福州"])
    assert (resolution.region_code, resolution.method) == ("350102", "name+parent")
    with pytest.raises(RegionError, match="4 regions"):
        resolve_region("鼓楼区人民政府", hint_names=["上海市"])


def test_every_region_resolves_from_its_qualified_name() -> None:
    for region in load_regions().values():
        parts = [region.province_name if region.province_code != region.code else ""]
        if region.city_code not in ("", region.code, region.province_code):
            parts.append(region.city_name)
        body = "".join(parts) + region.name + "人民政府"
        assert resolve_region(body).region_code == region.code, body


def test_ten_thousand_bodies_are_fast() -> None:
    regions = list(load_regions().values())
    bodies = [f"{r.province_name}{r.name}第{i}局" for i, r in enumerate(regions * 4)][:10_000]
    start = time.perf_counter()
    for body in bodies:
        try:
            resolve_region(body)
        except RegionError:
            pass
    assert time.perf_counter() - start < 5.0
