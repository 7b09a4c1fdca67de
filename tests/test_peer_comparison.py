"""Fair peer comparison in mart_body_year_metrics and mart_peer_benchmarks: peers share region
level, body type and province/city; a rank says out of how many; a body alone, a small sample or a
rate computed from cells its own report contradicts is not ranked (and not counted for others);
year-over-year changes compare with the previous available year."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.warehouse_helpers import query_dicts


def metrics(db: Path, body_name: str, year: int = 2024) -> dict[str, Any]:
    rows = query_dicts(db, "select * from mart_body_year_metrics where body_name = ? and year = ?", [body_name, year])
    assert len(rows) == 1
    return rows[0]


def test_county_governments_of_one_city_are_ranked_among_themselves(readable_warehouse: Path) -> None:
    qingyang, dongzhi = metrics(readable_warehouse, "青阳县人民政府"), metrics(readable_warehouse, "东至县人民政府")
    for scope in ("city", "province"):
        assert (qingyang[f"disclosure_ratio_rank_in_{scope}"], qingyang[f"disclosure_ratio_peers_in_{scope}"]) == (1, 2)
        assert (dongzhi[f"disclosure_ratio_rank_in_{scope}"], dongzhi[f"disclosure_ratio_peers_in_{scope}"]) == (2, 2)
    assert (qingyang["disclosure_ratio_percentile_in_city"], dongzhi["disclosure_ratio_percentile_in_city"]) == (1.0, 0.0)
    assert qingyang["body_type"] == "government" and qingyang["body_type_label"] == "人民政府"


def test_shitai_2024_is_a_small_sample_and_unranked(readable_warehouse: Path) -> None:
    shitai = metrics(readable_warehouse, "石台县人民政府")
    assert (shitai["total_processed"], shitai["small_sample"]) == (19, True)
    assert shitai["disclosure_ratio"] == pytest.approx(9 / 19) and shitai["disclosure_ratio_inputs_ok"] is True
    assert shitai["disclosure_ratio_rank_in_city"] is None and shitai["disclosure_ratio_percentile_in_city"] is None
    assert shitai["disclosure_ratio_peers_in_city"] == 2  # the two it would have been compared with


def test_a_blank_total_column_leaves_the_rate_flagged_and_unranked(readable_warehouse: Path) -> None:
    guichi = metrics(readable_warehouse, "贵池区人民政府")
    assert (guichi["total_processed"], guichi["small_sample"], guichi["disclosure_ratio"]) == (760, False, 0.0)
    assert guichi["disclosure_ratio_inputs_ok"] is False
    assert guichi["disclosure_ratio_rank_in_city"] is None and guichi["disclosure_ratio_rank_in_province"] is None
    assert guichi["review_reversal_rate_inputs_ok"] is True  # Table 4 is sound: that rate is still compared
    assert guichi["review_reversal_rate_rank_in_city"] == 1


def test_a_department_is_not_ranked_with_its_government(readable_warehouse: Path) -> None:
    department = metrics(readable_warehouse, "石台县财政局")
    assert (department["body_type"], department["small_sample"]) == ("department", False)
    assert (department["disclosure_ratio_rank_in_city"], department["disclosure_ratio_peers_in_city"]) == (None, 1)
    assert department["disclosure_ratio_percentile_in_city"] is None
    township = metrics(readable_warehouse, "仁里镇人民政府")
    assert (township["body_type"], township["disclosure_ratio_rank_in_city"]) == ("township", None)


def test_year_over_year_compares_with_the_previous_available_year(readable_warehouse: Path) -> None:
    dongzhi = metrics(readable_warehouse, "东至县人民政府")
    assert dongzhi["yoy_compared_year"] == 2021  # no report for 2022 or 2023
    assert (dongzhi["total_processed_yoy"], dongzhi["total_processed_yoy_pct"]) == (57 - 38, 0.5)
    assert dongzhi["disclosure_ratio_yoy"] == pytest.approx(0.0)
    first = metrics(readable_warehouse, "东至县人民政府", 2021)
    assert (first["yoy_compared_year"], first["total_processed_yoy"], first["total_processed_yoy_pct"]) == (None, None, None)


def test_benchmarks_count_only_comparable_values(readable_warehouse: Path) -> None:
    rows = query_dicts(readable_warehouse, """select * from mart_peer_benchmarks where metric_code = 'disclosure_ratio'
        and scope = 'city' and scope_code = '341700' and level = 'county' and body_type = 'government' and year = 2024""")
    assert len(rows) == 1
    group = rows[0]
    assert (group["peer_count"], group["scope_name"], group["metric_name"], group["body_type_label"]) == (
        2, "池州市", "予以公开率", "人民政府")
    assert group["min_value"] == pytest.approx(27 / 57) and group["max_value"] == pytest.approx(55 / 95)
    assert group["median_value"] == pytest.approx((27 / 57 + 55 / 95) / 2)
    assert group["p25_value"] <= group["median_value"] <= group["p75_value"]
