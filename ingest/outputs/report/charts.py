"""The report's charts as Vega-Lite specifications, written with altair, their data inline.

Declarative: each chart is a spec (marks, encodings, one dropdown) that Vega renders in the page
from the JavaScript bundle of vl-convert (Vega, Vega-Lite and vega-embed, inlined once). Charts
scale with peer groups, not bodies: one spread chart per headline metric (a row per peer group,
every body a mark on it) and one trend chart whose dropdown picks the body (1,000 bodies are one
chart with 1,000 options, not 1,000 charts).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import altair as alt

from ingest.i18n import _
from ingest.outputs.ranks import status_labels

FONT = ('"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", '
        '"WenQuanYi Micro Hei", SimSun, sans-serif')
STATUS_COLORS = ("#1f77b4", "#ff7f0e", "#d62728", "#7f7f7f", "#bcbd22")


@lru_cache(maxsize=1)
def javascript() -> str:
    """Vega, Vega-Lite and vega-embed as one script (vl-convert's bundle), `</script` made safe."""
    import vl_convert

    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(labelLimit=320)


def _with_data(chart: alt.TopLevelMixin, datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    spec = _config(chart).to_dict()
    spec["datasets"] = datasets
    return spec


def spread_chart(metric: dict[str, Any], groups: list[dict[str, Any]], points: list[dict[str, Any]]) -> dict[str, Any]:
    """One row per peer group: min–max line, P25–P75 box, median tick (mart_peer_benchmarks), and
    every body of the group as a point coloured by its standing. `groups`: g, min/p25/median/p75/max,
    n; `points`: g, body, v, status (a label of status_labels), rank."""
    name = metric["metric_name"]
    labels = list(status_labels().values())
    y = alt.Y("g:N", title=None, sort="ascending")
    x_axis = alt.Axis(format="%", title=name, tickCount=8)
    base = alt.Chart(alt.Data(name="groups")).encode(y=y)
    spread = base.mark_rule(color="#999").encode(x=alt.X("min:Q", axis=x_axis), x2="max:Q")
    box = base.mark_bar(color="#c6dbef", size=12).encode(
        x="p25:Q", x2="p75:Q",
        tooltip=[alt.Tooltip("g:N", title=_("peer group")), alt.Tooltip("n:Q", title=_("bodies ranked")),
                 alt.Tooltip("min:Q", format=".1%", title=_("minimum")), alt.Tooltip("p25:Q", format=".1%", title="P25"),
                 alt.Tooltip("median:Q", format=".1%", title=_("median")),
                 alt.Tooltip("p75:Q", format=".1%", title="P75"), alt.Tooltip("max:Q", format=".1%", title=_("maximum"))])
    median = base.mark_tick(color="#08519c", thickness=2, size=16).encode(x="median:Q")
    dots = alt.Chart(alt.Data(name="points")).mark_point(filled=True, size=60, opacity=0.75).encode(
        y=y, x=alt.X("v:Q", axis=x_axis),
        color=alt.Color("status:N", title=_("standing"), scale=alt.Scale(domain=labels, range=list(STATUS_COLORS))),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=labels)),
        tooltip=[alt.Tooltip("body:N", title=_("body")), alt.Tooltip("v:Q", format=".1%", title=name),
                 alt.Tooltip("rank:N", title=_("rank")), alt.Tooltip("status:N", title=_("standing"))])
    chart = alt.layer(spread, box, median, dots).properties(
        width=560, height=alt.Step(26), title=_("{metric}: spread of each peer group").format(metric=name))
    return _with_data(chart, {"groups": groups, "points": points})


def trend_chart(metrics: list[dict[str, Any]], rows: list[dict[str, Any]], bodies: list[str]) -> dict[str, Any]:
    """The headline metrics of one body over the years; a dropdown (`bodies`) picks the body.
    `rows`: b (body label), y (year), m (metric name), v (value)."""
    pick = alt.param(name="body", value=bodies[0] if bodies else "",
                     bind=alt.binding_select(options=bodies, name=_("body") + " "))
    chart = alt.Chart(alt.Data(name="trend")).mark_line(point=True).encode(
        x=alt.X("y:O", title=_("year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("v:Q", axis=alt.Axis(format="%"), title=None),
        color=alt.Color("m:N", title=_("metric"), sort=[m["metric_name"] for m in metrics]),
        tooltip=[alt.Tooltip("b:N", title=_("body")), alt.Tooltip("y:O", title=_("year")),
                 alt.Tooltip("m:N", title=_("metric")), alt.Tooltip("v:Q", format=".1%", title=_("value"))],
    ).add_params(pick).transform_filter(alt.datum.b == pick).properties(
        width=560, height=260, title=_("Headline metrics over the years"))
    return _with_data(chart, {"trend": rows})


def script_json(spec: dict[str, Any]) -> str:
    """A spec as JSON that is safe inside <script type="application/json">."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
