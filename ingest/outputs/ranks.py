"""How a body stands in the ranking of a metric, said in words: ranked, a small sample, inputs that
failed a rule, alone in its peer group, or not computable (the report's tables and chart legend,
the letter's metrics). Reads one row of mart_body_year_metrics."""
from __future__ import annotations

from typing import Any

from ingest.i18n import _
from ingest.outputs.source import number


def status_labels() -> dict[str, str]:
    """The words for how a body stands in a ranking (report legend, table notes)."""
    return {
        "ranked": _("ranked"),
        "small": _("small sample, not ranked"),
        "inputs": _("inputs failed a rule, not ranked"),
        "alone": _("alone in its peer group"),
        "missing": _("cannot be computed"),
    }


def standing(row: dict[str, Any], code: str, scope: str) -> tuple[str, list[str]]:
    """How a body stands in the ranking of metric `code` (a key of status_labels), and why, in words."""
    if row[code] is None:
        return "missing", [_("cannot be computed: its denominator is 0 or an input cell was not read")]
    notes = []
    if row[f"{code}_inputs_ok"] is False:
        notes.append(_("an input cell is part of a failing error-severity check: the rate is kept but left out "
                       "of ranks and spreads"))
    if row["small_sample"]:
        notes.append(_("small sample ({n} decided applications): left out of ranks and spreads").format(
            n=number(row["total_processed"])))
    if notes:
        return ("inputs" if row[f"{code}_inputs_ok"] is False else "small"), notes
    if row[f"{code}_rank_in_{scope}"] is None:
        return "alone", [_("no other comparable body in its peer group")]
    return "ranked", []


def rank_text(row: dict[str, Any], code: str, scope: str) -> str:
    rank, peers = row.get(f"{code}_rank_in_{scope}"), row.get(f"{code}_peers_in_{scope}")
    return "–" if rank is None else f"{rank} / {peers}"
