"""Settle a glued run with another file of the same report.

Archived web text, whose cell borders were lost, often survives beside the page it was copied
from: the same body's report for the same year, in the same format, read cell by cell. When one
of a glued run's splits equals the cells that such a sibling file gives for the same row, and
no sibling gives another split, that split is taken; the cells' notes name the sibling. A
sibling whose own cells of that row are unread, or whose values are none of the splits, is no
evidence and changes nothing.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ingest.extract.cellkeys import address_key, cell_values, set_value

Record = dict[str, Any]
Key = tuple[str, int, str]  # body_name, year, layout


def report_key(rec: Record) -> Key | None:
    """Which report a parse record is a copy of: (body_name, year, layout), when all are known."""
    if "error" in rec or not rec.get("body_name") or not rec.get("year"):
        return None
    return rec["body_name"], int(rec["year"]), rec.get("layout") or ""


def _same(a: Any, b: Any) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def settle(rec: Record, siblings: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
    """Settle `rec`'s ambiguous runs from siblings given as (file, cell values); returns how
    many runs were settled. The record (values, uncertain, ambiguous, warnings, cells) is
    updated in place."""
    siblings = list(siblings)
    settled = 0
    for amb in list(rec.get("ambiguous") or []):
        votes: dict[tuple, list[str]] = {}
        for file, values in siblings:
            theirs = [values.get(k) for k in amb["cells"]]
            match = next((o for o in amb["options"] if all(_same(a, b) for a, b in zip(o, theirs))), None)
            if match is not None:
                votes.setdefault(tuple(match), []).append(file)
        if len(votes) != 1:
            continue
        (split, files), = votes.items()
        _apply(rec, amb, split, files)
        settled += 1
    return settled


def _apply(rec: Record, amb: Record, split: tuple, files: list[str]) -> None:
    note = (f"split from glued run {amb['run']!r}: of {len(amb['options'])} splits, the one "
            f"{', '.join(files)} gives for the same body and year")
    values = dict(zip(amb["cells"], split))
    for key, value in values.items():
        set_value(rec, key, value)
    rec["ambiguous"] = [a for a in rec["ambiguous"] if a is not amb]
    rec["uncertain"] = [k for k in rec.get("uncertain", []) if k not in values]
    rec["warnings"] = [*rec.get("warnings", []),
                       f"glued run {amb['run']!r} at {amb['source']} split as "
                       f"{' | '.join(str(v) for v in split)}, as {', '.join(files)} gives it"]
    _set_cells(rec, values, amb, note)


def _set_cells(rec: Record, values: Mapping[str, Any], amb: Record, note: str) -> None:
    """The same in the record's traced `cells`, when it has them."""
    for cell in rec.get("cells") or []:
        key = address_key(rec["layout"], cell["table"], cell["row"], cell["column"])
        if key in values:
            cell.update(value=values[key], raw=amb["run"], source=amb["source"], note=note)


def settle_batch(records: list[Record]) -> int:
    """Settle every record's runs from the other records of the same report in `records`."""
    groups: dict[Key, list[Record]] = {}
    for rec in records:
        key = report_key(rec)
        if key is not None:
            groups.setdefault(key, []).append(rec)
    settled = 0
    for group in groups.values():
        for rec in group:
            if rec.get("ambiguous"):
                others = [(o["file"], cell_values(o)) for o in group if o is not rec and o["sha256"] != rec["sha256"]]
                settled += settle(rec, others)
    return settled
