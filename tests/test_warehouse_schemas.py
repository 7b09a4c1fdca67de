"""What an analyst's SQL client shows: only the marts in `main`, the layers under them in their own
schemas, whole counts as integers, and a Chinese description on every mart, column and fact row."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.warehouse_helpers import query, query_dicts

MART_PREFIXES = ("dim_", "fct_", "mart_")
SCHEMAS = {"main", "staging", "intermediate", "reference", "internal", "audit", "raw"}


def test_main_lists_only_the_marts(readable_warehouse: Path) -> None:
    tables = query(readable_warehouse, "select table_schema, table_name from information_schema.tables")
    in_main = sorted(name for schema, name in tables if schema == "main")
    assert in_main and all(name.startswith(MART_PREFIXES) for name in in_main), in_main
    assert {schema for schema, _ in tables} == SCHEMAS
    by_schema = {schema: {name for s, name in tables if s == schema} for schema in SCHEMAS}
    assert {"stg_raw__reports", "stg_raw__cells"} <= by_schema["staging"]
    assert {"int_report_values", "int_reports__versions"} <= by_schema["intermediate"]
    assert {"metrics", "rules", "regions", "corrections", "t3_rows", "body_types"} <= by_schema["reference"]
    assert {"null_markers", "label_variants", "narrative_patterns"} <= by_schema["internal"]
    assert "check_narrative_match" in by_schema["audit"]


def test_reference_metrics_and_rules_have_chinese_names(readable_warehouse: Path) -> None:
    metrics = query_dicts(readable_warehouse, "select * from reference.metrics order by position")
    assert {m["metric_code"]: m["higher_is_better"] for m in metrics}["review_reversal_rate"] is False
    assert {m["metric_code"]: m["metric_name"] for m in metrics}["disclosure_ratio"] == "予以公开率"
    rules = query_dicts(readable_warehouse, "select rule_id, rule_name, definition from reference.rules")
    assert all(r["rule_name"] and r["definition"] for r in rules)


def test_every_mart_and_every_mart_column_has_a_comment(readable_warehouse: Path) -> None:
    columns = query(readable_warehouse, """
        select table_name, column_name, coalesce(comment, '') from duckdb_columns()
        where database_name = current_database() and schema_name = 'main'""")
    assert len(columns) > 300
    assert [(t, c) for t, c, comment in columns if not comment.strip()] == []
    relations = query(readable_warehouse, """
        select table_name, coalesce(comment, '') from duckdb_tables() where database_name = current_database()
            and schema_name = 'main'
        union all
        select view_name, coalesce(comment, '') from duckdb_views() where database_name = current_database()
            and schema_name = 'main'""")
    assert [t for t, comment in relations if not comment.strip()] == []


def test_counts_are_integers_money_decimal_and_only_rates_double(readable_warehouse: Path) -> None:
    types = {(t, c): d for t, c, d in query(readable_warehouse, """
        select table_name, column_name, data_type from duckdb_columns()
        where database_name = current_database() and schema_name = 'main'""")}
    assert types[("mart_body_year_metrics", "new_received")] == "BIGINT"
    assert types[("mart_body_year_metrics", "total_processed_yoy")] == "BIGINT"
    assert types[("mart_body_year_metrics", "disclosure_ratio_rank_in_city")] == "BIGINT"
    assert types[("fct_application_outcome", "count")] == "BIGINT"
    assert types[("fct_review_litigation", "count")] == "BIGINT"
    assert types[("fct_active_disclosure", "count")] == "BIGINT"
    assert types[("fct_active_disclosure", "value")] == "DECIMAL(18,4)"
    assert types[("mart_check_findings", "value")] == "DECIMAL(18,4)"
    ratios = {code for (code,) in query(readable_warehouse, "select metric_code from reference.metrics where kind = 'ratio'")}
    doubles = {(t, c) for (t, c), d in types.items() if d in ("DOUBLE", "FLOAT")}
    allowed = {("dim_region", "longitude"), ("dim_region", "latitude")}
    allowed |= {(t, c) for t, c in doubles if t == "mart_peer_benchmarks" and c.endswith("_value")}
    allowed |= {(t, c) for t, c in doubles if t == "mart_body_year_metrics"
                and (c.endswith(("_yoy_pct", "_percentile_in_province", "_percentile_in_city"))
                     or c in ratios or c.removesuffix("_yoy") in ratios)}
    assert doubles - allowed == set()


def test_a_whole_count_prints_as_a_whole_number(readable_warehouse: Path) -> None:
    assert query(readable_warehouse, "select cast(total_processed as varchar) from mart_body_year_metrics "
                                     "where body_name = '石台县人民政府'") == [("19",)]
    assert query(readable_warehouse, "select value, count from fct_active_disclosure where body_name = '石台县人民政府' "
                                     "and item_code in ('fees_wan_yuan', 'licensing_decisions') order by item_code") == [
        (Decimal("1003.3400"), None), (Decimal("4462.0000"), 4462)]


def test_every_fact_row_carries_its_chinese_labels(readable_warehouse: Path) -> None:
    outcome = query_dicts(readable_warehouse, """select * from fct_application_outcome
        where body_name = '石台县人民政府' and row_code = 'granted' and applicant_code = 'total'""")[0]
    assert (outcome["row_label"], outcome["applicant_label"], outcome["section_label"]) == ("予以公开", "总计", "三（一）")
    review = query_dicts(readable_warehouse, """select * from fct_review_litigation
        where body_name = '石台县人民政府' and block_code = 'review' and outcome_code = 'corrected'""")[0]
    assert (review["block_label"], review["outcome_label"]) == ("行政复议", "结果纠正")
    item = query_dicts(readable_warehouse, """select * from fct_active_disclosure
        where body_name = '石台县人民政府' and item_code = 'fees_wan_yuan'""")[0]
    assert (item["row_label"], item["unit_label"]) == ("行政事业性收费", "万元")
    unlabelled = query(readable_warehouse, """
        select 'outcome', count(*) from fct_application_outcome where row_label is null or applicant_label is null
        union all select 'review', count(*) from fct_review_litigation where block_label is null or outcome_label is null
        union all select 'disclosure', count(*) from fct_active_disclosure where row_label is null or column_label is null
        union all select 'checks', count(*) from mart_check_results where rule_name is null or scope_label is null""")
    assert [(name, n) for name, n in unlabelled if n] == []
