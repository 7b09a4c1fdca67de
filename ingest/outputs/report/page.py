"""The report's page: ReportData turned into tables and chart specs, rendered by one Jinja template
into a single HTML file with its script and styles inline (no request leaves the page)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ingest.i18n import _, html_lang, ngettext
from ingest.outputs.report import charts
from ingest.outputs.report.data import ReportData
from ingest.outputs.ranks import rank_text, standing, status_labels
from ingest.outputs.source import number, percent, points

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def body_labels(rows: list[dict[str, Any]]) -> dict[str, str]:
    """A label per body_key: its name, with its region when another body has the same name."""
    same = Counter(name for _key, name in {(r["body_key"], r["body_name"]) for r in rows})
    return {r["body_key"]: r["body_name"] if same[r["body_name"]] == 1 else f"{r['body_name']}（{r['region_name']}）"
            for r in rows}


@dataclass
class MetricView:
    metric: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)


def _metric_view(data: ReportData, metric: dict[str, Any], labels: dict[str, str]) -> MetricView:
    code, scope = metric["metric_code"], data.selection.scope
    words = status_labels()
    view, marks = MetricView(metric), []
    for row in data.rows:
        status, notes = standing(row, code, scope)
        view.rows.append({
            "body": labels[row["body_key"]], "region": row["region_name"], "group": row["peer_group"],
            "value": percent(row[code]), "yoy": points(row[f"{code}_yoy"]),
            "rank_province": rank_text(row, code, "province"), "rank_city": rank_text(row, code, "city"),
            "decided": number(row["total_processed"]), "status": status, "notes": "；".join(notes),
            "sort": (row["peer_group"], row.get(f"{code}_rank_in_{scope}") or 10**9, labels[row["body_key"]]),
        })
        if row[code] is not None:
            marks.append({"g": row["peer_group"], "body": labels[row["body_key"]], "v": row[code],
                           "status": words[status], "rank": rank_text(row, code, scope)})
    view.rows.sort(key=lambda r: r["sort"])
    groups = [{"g": b["peer_group"], "n": b["peer_count"], "min": b["min_value"], "p25": b["p25_value"],
               "median": b["median_value"], "p75": b["p75_value"], "max": b["max_value"]}
              for b in data.benchmarks if b["metric_code"] == code]
    view.spec = charts.spread_chart(metric, groups, marks)
    return view


def _trend_spec(data: ReportData, labels: dict[str, str]) -> dict[str, Any]:
    rows = [{"b": labels[t["body_key"]], "y": t["year"], "m": m["metric_name"], "v": t[m["metric_code"]]}
            for t in data.trends for m in data.metrics if t[m["metric_code"]] is not None]
    bodies = sorted({labels[t["body_key"]] for t in data.trends})
    return charts.trend_chart(data.metrics, rows, bodies)


def _checks(data: ReportData, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Findings grouped into checks (report × rule × scope), each with its cells."""
    severity = {r["rule_id"]: r["severity_label"] for r in data.rules}
    sides = {"lhs": _("left side"), "rhs": _("right side")}
    checks: dict[tuple[str, str, str], dict[str, Any]] = {}
    for f in data.findings:
        key = (f["report_id"], f["rule_id"], f["scope"])
        check = checks.setdefault(key, {
            "year": f["year"], "body": labels.get(f["body_key"], f["body_name"]), "rule": f["rule_name"],
            "severity": severity.get(f["rule_id"], f["severity"]), "advisory": f["severity"] != "error",
            "scope": f["scope_label"] or f["scope"], "lhs": number(f["lhs"]), "rhs": number(f["rhs"]),
            "difference": number(f["difference"]), "file": f["report_file"], "cells": []})
        other = f["file"] != f["report_file"]
        check["cells"].append({
            "side": sides.get(f["side"], f["side"]), "label": f["cell_label"] or f"{f['row_code']}.{f['column_code']}",
            "value": number(f["value"]), "raw": f["raw_text"] if f["raw_text"] is not None else "",
            "source": f["source"] or "", "file": (f"{f['input_year']}: {f['file']}" if other else "")})
    return list(checks.values())


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def render(data: ReportData, version: str) -> str:
    """The whole page as one string."""
    labels = body_labels(data.trends + data.rows)
    views = [_metric_view(data, m, labels) for m in data.metrics]
    specs = {f"spec-{i}": v.spec for i, v in enumerate(views)} | {"spec-trend": _trend_spec(data, labels)}
    return _environment().get_template("report.html.j2").render(
        d=data, lang=html_lang(), views=views, checks=_checks(data, labels),
        specs={k: charts.script_json(v) for k, v in specs.items()}, script=charts.javascript(),
        font=charts.FONT, status_words=status_labels(), version=version,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), percent=percent, number=number)
