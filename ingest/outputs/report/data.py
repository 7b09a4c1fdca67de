"""What the comparison report shows, read from the marts for one selection (a province or a city,
a year): the overview, every body's headline metrics with rank "x / n", the peer groups' spread,
every body's metrics over the years, the breaches with their cells, and the methodology."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from ingest.i18n import _
from ingest.outputs.source import SourceError, headline_metrics, records

# Every query filters bodies by the selection through dim_body (alias b).
IN_SELECTION = ("(cast($province as varchar) is null or b.province_code = $province) "
                "and (cast($city as varchar) is null or b.city_code = $city)")


@dataclass(frozen=True)
class Selection:
    """What the report covers: a province or a city (codes of dim_region), a year (None: every
    year for the breaches, the latest for ranks and spreads)."""

    province: str | None = None
    city: str | None = None
    year: int | None = None

    @property
    def scope(self) -> str:
        """The peer scope of ranks and spreads (reference.peer_scopes): the city's when one is chosen."""
        return "city" if self.city else "province"


@dataclass
class ReportData:
    selection: Selection
    title_region: str                 # 福建省, 福州市, or the whole warehouse
    year: int                         # the year of ranks and spreads
    years: list[int]                  # every year in the selection
    overview: dict[str, Any]
    metrics: list[dict[str, Any]]     # headline metrics: metric_code, metric_name, definition, ...
    rows: list[dict[str, Any]]        # mart_body_year_metrics of `year`, with group labels
    benchmarks: list[dict[str, Any]]  # mart_peer_benchmarks of `year` and scope
    trends: list[dict[str, Any]]      # every body-year of the selection up to `year`
    findings: list[dict[str, Any]]    # mart_check_findings, ordered by year, body, check, side
    all_metrics: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    scopes: list[dict[str, Any]] = field(default_factory=list)


def _region(con: duckdb.DuckDBPyConnection, code: str, level: str) -> str:
    found = records(con, "select region_name, level from dim_region where region_code = ?", [code])
    if not found or found[0]["level"] != level:
        what = _("province") if level == "province" else _("city")
        raise SourceError(_("{code} is not the code of a {what} in dim_region (6 digits, e.g. 350000 for 福建省, "
                            "350100 for 福州市)").format(code=code, what=what))
    return found[0]["region_name"]


def _years(con: duckdb.DuckDBPyConnection, params: dict[str, Any], sel: Selection) -> list[int]:
    years = [r["year"] for r in records(con, f"select distinct m.year from mart_body_year_metrics m join dim_body b "
                                             f"using (body_key) where {IN_SELECTION} order by 1", params)]
    if not years:
        raise SourceError(_("no report in the warehouse for this selection"))
    if sel.year is not None and sel.year not in years:
        raise SourceError(_("no report for {year} in this selection; years with reports: {years}").format(
            year=sel.year, years=", ".join(map(str, years))))
    return years


def _overview(con: duckdb.DuckDBPyConnection, params: dict[str, Any], whole: bool) -> dict[str, Any]:
    out = records(con, f"""
        select count(distinct r.body_key) as bodies, count(*) as reports, sum(r.version_count) as versions
        from fct_report r join dim_body b using (body_key) where {IN_SELECTION}""", params)[0]
    out["breaches"] = records(con, f"""
        select f.severity, count(distinct (f.report_id, f.rule_id, f.scope)) as checks,
            count(distinct f.report_id) as reports, count(*) as cells
        from mart_check_findings f join dim_body b using (body_key)
        where {IN_SELECTION} and (cast($year as integer) is null or f.year = $year)
        group by f.severity order by f.severity desc""", params)
    out["issues"] = {r["issue_kind"]: r["n"] for r in records(con, f"""
        select i.issue_kind, count(*) as n from mart_load_issues i
        join dim_body b on i.body_name = b.body_name and i.region_code = b.region_code
        where i.is_current and {IN_SELECTION} and (cast($year as integer) is null or i.year = $year)
        group by 1""", params)}
    out["failed_files"] = records(con, "select count(*) as n from mart_load_issues where issue_kind = 'failed_file'"
                                  )[0]["n"] if whole else None
    return out


def _rows(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[dict[str, Any]]:
    scope_name = "b.city_name" if params["city"] else "b.province_name"
    return records(con, f"""
        select m.*, concat_ws(' · ', {scope_name}, m.level_label, m.body_type_label) as peer_group
        from mart_body_year_metrics m join dim_body b using (body_key)
        where {IN_SELECTION} and m.year = $year
        order by peer_group, m.body_name, m.region_code""", params)


def _benchmarks(con: duckdb.DuckDBPyConnection, params: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    return records(con, f"""
        select p.*, concat_ws(' · ', p.scope_name, p.level_label, p.body_type_label) as peer_group
        from mart_peer_benchmarks p
        where p.scope = $scope and p.year = $year and p.metric_code in (select unnest($codes))
        and (p.scope_code, p.level, p.body_type) in (
            select distinct (case when $scope = 'city' then b.city_code else b.province_code end, b.level, b.body_type)
            from dim_body b where {IN_SELECTION})
        order by peer_group""", {**params, "codes": codes})


def _trends(con: duckdb.DuckDBPyConnection, params: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    columns = ", ".join(f"m.{c}, m.{c}_inputs_ok" for c in codes)
    return records(con, f"""
        select m.body_key, m.body_name, m.region_name, m.year, m.small_sample, {columns}
        from mart_body_year_metrics m join dim_body b using (body_key)
        where {IN_SELECTION} and m.year <= $year order by m.body_name, m.region_code, m.year""", params)


def _findings(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[dict[str, Any]]:
    return records(con, f"""
        select f.*, r.file as report_file, b.region_name
        from mart_check_findings f join dim_body b using (body_key) join fct_report r using (report_id)
        where {IN_SELECTION} and (cast($year as integer) is null or f.year = $year)
        order by f.year desc, f.body_name, f.region_code, f.severity desc, f.rule_id, f.scope,
            f.side, f.table_no, f.row_code, f.column_code""", params)


def read_report(con: duckdb.DuckDBPyConnection, sel: Selection) -> ReportData:
    """Everything the report shows for `sel`; SourceError when a code or the year matches nothing."""
    if sel.province and sel.city:
        raise SourceError(_("choose --province or --city, not both"))
    title = (_region(con, sel.province, "province") if sel.province else
             _region(con, sel.city, "city") if sel.city else _("all regions in the warehouse"))
    params: dict[str, Any] = {"province": sel.province, "city": sel.city, "year": sel.year}
    years = _years(con, params, sel)
    year = sel.year if sel.year is not None else years[-1]
    metrics = headline_metrics(con)
    codes = [m["metric_code"] for m in metrics]
    at_year = {**params, "year": year}
    return ReportData(
        selection=sel, title_region=title, year=year, years=years,
        overview=_overview(con, params, whole=not (sel.province or sel.city)),
        metrics=metrics,
        rows=_rows(con, at_year),
        benchmarks=_benchmarks(con, {**at_year, "scope": sel.scope}, codes),
        trends=_trends(con, at_year, codes),
        findings=_findings(con, params),
        all_metrics=records(con, "select metric_code, metric_name, definition, kind, ranked, higher_is_better "
                                 "from reference.metrics order by position"),
        rules=records(con, "select r.rule_id, r.rule_name, r.definition, r.severity, s.label as severity_label "
                           "from reference.rules r left join reference.rule_severities s using (severity)"),
        scopes=records(con, "select scope, label from reference.peer_scopes order by position"),
    )
