"""`xxgk letter`: the review letter (审核意见) for one body's report of one year, as DOCX.

What the warehouse knows about that report, written for the body that published it: each breach
of the format's arithmetic with the rule's name and formula, the values on both sides, the
difference and every cell behind them (printed text, where, which file); the cells that could
not be read and why; the parser's warnings; the metrics whose inputs failed, said in words.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import duckdb
from docx.oxml.ns import qn
from docx.shared import Pt

from ingest.i18n import _
from ingest.outputs.files import atomic_file, check_target
from ingest.outputs.ranks import rank_text, standing
from ingest.outputs.source import SourceError, headline_metrics, number, percent, records, warehouse

BODY_FONT, HEADING_FONT = "宋体", "黑体"


def find_body(con: duckdb.DuckDBPyConnection, name: str, region: str | None) -> dict[str, Any]:
    """The one body named `name` (in `region` when given); SourceError listing the candidates otherwise."""
    found = records(con, "select * from dim_body where body_name = ? and (cast(? as varchar) is null or region_code = ?) "
                         "order by region_code", [name, region, region])
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"--region {b['region_code']} ({b['province_name'] or ''}{b['city_name'] or ''}"
                           f"{b['region_name'] or ''})" for b in found)
        raise SourceError(_("{n} bodies are named {name}; choose one with --region: {listed}").format(
            n=len(found), name=name, listed=listed))
    like = [r["body_name"] for r in records(con, "select distinct body_name from dim_body where contains(body_name, ?) "
                                                 "order by 1 limit 10", [name])]
    where = _(" in region {region}").format(region=region) if region else ""
    hint = _("; names that contain it: {names}").format(names="、".join(like)) if like else ""
    raise SourceError(_("no body named {name}{where} in the warehouse{hint}").format(name=name, where=where, hint=hint))


def read_letter(con: duckdb.DuckDBPyConnection, body: dict[str, Any], year: int) -> dict[str, Any]:
    reports = records(con, "select * from fct_report where body_key = ? and year = ?", [body["body_key"], year])
    if not reports:
        years = [r["year"] for r in records(con, "select year from fct_report where body_key = ? order by 1",
                                            [body["body_key"]])]
        raise SourceError(_("{body} has no report for {year}; years with reports: {years}").format(
            body=body["body_name"], year=year, years=", ".join(map(str, years)) or "–"))
    report = reports[0]
    rid = [report["report_id"]]
    return {
        "report": report,
        "findings": records(con, """
            select f.*, r.definition, s.label as severity_label from mart_check_findings f
            join reference.rules r using (rule_id) left join reference.rule_severities s on f.severity = s.severity
            where f.report_id = ? order by f.severity desc, f.rule_id, f.scope, f.side, f.table_no, f.row_code,
            f.column_code""", rid),
        "issues": records(con, "select * from mart_load_issues where report_id = ? order by issue_kind, table_no, "
                               "row_code, column_code, message", rid),
        "metrics": records(con, "select * from mart_body_year_metrics where report_id = ?", rid)[0],
        "headline": headline_metrics(con),
        "all_metrics": records(con, "select metric_code, metric_name, kind from reference.metrics order by position"),
    }


def _style(document: docx.document.Document) -> None:
    for name, font, size in (("Normal", BODY_FONT, 11), ("Title", HEADING_FONT, 18), ("Heading 1", HEADING_FONT, 14),
                             ("Heading 2", HEADING_FONT, 12)):
        style = document.styles[name]
        style.font.name, style.font.size = font, Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _table(document: docx.document.Document, header: Sequence[str], rows: list[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = "" if value is None else str(value)


def _checks(findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in findings:
        grouped.setdefault((f["rule_id"], f["scope"]), []).append(f)
    return list(grouped.values())


def _value(cell: dict[str, Any]) -> str:
    """The value a check used; for a corrected cell (seeds/corrections.csv) also what was printed and why."""
    if not cell["is_corrected"]:
        return number(cell["value"])
    return _("{value} (corrected; printed {original}: {reason})").format(
        value=number(cell["value"]), original=number(cell["original_value"]), reason=cell["correction_reason"] or "")


def _breaches(document: docx.document.Document, data: dict[str, Any]) -> None:
    checks = _checks(data["findings"])
    document.add_heading(_("1. Where the report breaks the format's rules ({n})").format(n=len(checks)), level=1)
    if not checks:
        document.add_paragraph(_("Every rule of the national format holds for this report."))
    sides = {"lhs": _("left side"), "rhs": _("right side")}
    for i, cells in enumerate(checks, 1):
        f = cells[0]
        document.add_heading(f"{i}. {f['rule_name']}（{f['severity_label'] or f['severity']}）· "
                             f"{f['scope_label'] or f['scope']}", level=2)
        document.add_paragraph(_("Rule: {definition}").format(definition=f["definition"]))
        document.add_paragraph(_("Values in the report: left side {lhs}, right side {rhs}; they differ by {difference}.")
                               .format(lhs=number(f["lhs"]), rhs=number(f["rhs"]), difference=number(f["difference"])))
        _table(document, [_("Side"), _("Cell"), _("Value"), _("Printed text"), _("Where"), _("File")],
               [[sides.get(c["side"], c["side"]), c["cell_label"] or f"{c['row_code']}.{c['column_code']}",
                 _value(c), c["raw_text"], c["source"],
                 c["file"] if c["input_year"] == f["year"] else f"{c['file']}（{c['input_year']}）"] for c in cells])


def _unread(document: docx.document.Document, issues: list[dict[str, Any]]) -> None:
    unread = [i for i in issues if i["issue_kind"] in ("uncertain_cell", "unread_cell")]
    document.add_heading(_("2. Cells that could not be read ({n})").format(n=len(unread)), level=1)
    if not unread:
        document.add_paragraph(_("Every cell of the three tables was read."))
        return
    _table(document, [_("Cell"), _("Printed text"), _("Where"), _("Why"), _("Splits that fit")],
           [[i["cell_label"] or f"{i['row_code']}.{i['column_code']}", i["raw_text"], i["source"], i["message"],
             i["candidate_splits"] or ""] for i in unread])


def _warnings(document: docx.document.Document, issues: list[dict[str, Any]]) -> None:
    warnings = [i["message"] for i in issues if i["issue_kind"] == "warning"]
    document.add_heading(_("3. Warnings from reading the report ({n})").format(n=len(warnings)), level=1)
    if not warnings:
        document.add_paragraph(_("None."))
    for message in warnings:
        document.add_paragraph(message, style="List Bullet")


def _metrics(document: docx.document.Document, data: dict[str, Any]) -> None:
    row = data["metrics"]
    document.add_heading(_("4. Metrics"), level=1)
    failed = [m for m in data["all_metrics"] if row.get(f"{m['metric_code']}_inputs_ok") is False]
    for m in failed:
        value = percent(row[m["metric_code"]]) if m["kind"] == "ratio" else number(row[m["metric_code"]])
        document.add_paragraph(_("{metric} ({value}): an input cell is part of a failing error-severity check, so the "
                                 "value is kept but left out of ranks and peer comparison.").format(
                                     metric=m["metric_name"], value=value), style="List Bullet")
    if row["small_sample"]:
        document.add_paragraph(_("The report decided {n} applications: a small sample, so its rates are not ranked.")
                               .format(n=number(row["total_processed"])), style="List Bullet")
    if not failed and not row["small_sample"]:
        document.add_paragraph(_("Every metric's input cells pass the rules."))
    rows = []
    for m in data["headline"]:
        code = m["metric_code"]
        rows.append([m["metric_name"], percent(row[code]), rank_text(row, code, "province"), rank_text(row, code, "city"),
                     "；".join(standing(row, code, "province")[1])])
    _table(document, [_("Metric"), _("Value"), _("Rank in province"), _("Rank in city"), _("Note")], rows)


def build_letter(data: dict[str, Any], body: dict[str, Any], version: str) -> docx.document.Document:
    report, name, year = data["report"], body["body_name"], data["report"]["year"]
    document = docx.Document()
    _style(document)
    document.core_properties.title = _("Review of the {year} annual report of {body}").format(year=year, body=name)
    document.add_heading(_("Review of the {year} annual report of {body}").format(year=year, body=name), level=0)
    document.add_paragraph(_("To {body}:").format(body=name))
    document.add_paragraph(_("We checked your government information disclosure annual report for {year} (file {file}) "
                             "against the national format's tables and their arithmetic. Every finding below names "
                             "the cells it rests on, with the text as printed and where it stands.").format(
                                 year=year, file=report["file"]))
    _breaches(document, data)
    _unread(document, data["issues"])
    _warnings(document, data["issues"])
    _metrics(document, data)
    document.add_paragraph(_("Please check these points and correct them in the published report."))
    document.add_paragraph(_("Written {date} by {version} from the warehouse.").format(
        date=dt.date.today().isoformat(), version=version))
    return document


def write_letter(warehouse_path: Path, out: Path, name: str, region: str | None, year: int, *, force: bool,
                 version: str) -> dict[str, Any]:
    """Write the letter to `out` (whole or not at all); return what it says in numbers."""
    check_target(out, force=force, protect=[warehouse_path])
    with warehouse(warehouse_path) as con:
        body = find_body(con, name, region)
        data = read_letter(con, body, year)
    document = build_letter(data, body, version)
    with atomic_file(out, force=force, protect=[warehouse_path]) as temp:
        document.save(str(temp))
    kinds = [i["issue_kind"] for i in data["issues"]]
    return {"body": body["body_name"], "year": year, "breaches": len(_checks(data["findings"])),
            "unread": sum(k in ("uncertain_cell", "unread_cell") for k in kinds), "warnings": kinds.count("warning")}
