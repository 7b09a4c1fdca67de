"""What a mart column is called for people and how its numbers look: seeds/column_headers.csv.

A row names a column (`province_name` → 省级区划) or a pattern of the columns generated from the
metrics and peer scopes (`{metric}_rank_in_{scope}` → 予以公开率省内排名). `format` says when a
number is a percentage: `percent` always, `metric` when the metric is a ratio (the column's
metric, or for the benchmark statistics the row's); otherwise whole-number types are integers.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ingest.i18n import _
from ingest.spec import seed_rows

PERCENT, INTEGER = "0.0%", "0"
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


@dataclass(frozen=True)
class Header:
    header: str
    format: str = ""            # percent | metric | ""
    metric_kind: str | None = None  # the column's metric's kind (count | ratio), for `{metric}` patterns


def headers(metrics: Iterable[Mapping[str, Any]], scopes: Iterable[Mapping[str, Any]]) -> dict[str, Header]:
    """Every column name the seed describes, patterns expanded over `metrics` (metric_code,
    metric_name, kind) and `scopes` (scope, label)."""
    metrics, scopes = list(metrics), list(scopes)
    out: dict[str, Header] = {}
    for row in seed_rows("column_headers"):
        name, header, fmt = row["column_name"], row["header"], row["format"]
        if "{metric}" not in name:
            out[name] = Header(header, fmt)
            continue
        for m in metrics:
            for s in (scopes if "{scope}" in name else [{"scope": "", "label": ""}]):
                column = name.format(metric=m["metric_code"], scope=s["scope"])
                out[column] = Header(header.format(metric_name=m["metric_name"], scope_label=s["label"]), fmt, m["kind"])
    return out


def number_format(header: Header, data_type: str, row_kind: str | None = None) -> str | None:
    """The Excel number format of a column's cells (`row_kind`: the kind of the row's metric, for
    columns whose format depends on the row)."""
    kind = header.metric_kind or row_kind
    if header.format == "percent" or (header.format == "metric" and kind == "ratio"):
        return PERCENT
    if data_type.upper().startswith(INTEGER_TYPES) or (header.format == "metric" and kind == "count"):
        return INTEGER
    return None


def format_words(header: Header, data_type: str) -> str:
    """How the column's numbers are shown, in words for the 口径说明 sheet."""
    if header.format == "percent" or (header.format == "metric" and header.metric_kind == "ratio"):
        return _("percentage")
    if header.format == "metric":
        return _("a percentage for a ratio, a whole number for a count") if header.metric_kind is None \
            else _("whole number")
    return _("whole number") if data_type.upper().startswith(INTEGER_TYPES) else ""
