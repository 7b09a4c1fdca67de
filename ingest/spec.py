"""The format's vocabulary, read from seeds/*.csv: the same files dbt loads as seeds.

Adding a label variant is a one-line CSV change that both the parser and the warehouse see.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LAYOUTS = ("2021", "2019")


def _rows(name: str) -> list[dict[str, str]]:
    return seed_rows(name.removesuffix(".csv"))


@dataclass(frozen=True)
class T3Row:
    code: str
    layout: str
    group: str
    item_no: str
    label: str


@dataclass(frozen=True)
class T2Row:
    """One printed Table 2 row (e.g. 行政规范性文件) with the codes of its value columns in order."""

    label: str
    group: str
    codes: tuple[str, ...]
    kinds: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    layout: str
    t2_rows: tuple[T2Row, ...]
    t3_rows: tuple[T3Row, ...]
    t3_columns: tuple[str, ...]
    t4_codes: tuple[str, ...]
    t4_blocks: tuple[str, ...]
    t4_outcomes: tuple[str, ...]
    t4_cells: dict[str, tuple[str, str]]  # code -> (block, outcome), as raw.cells addresses it

    @property
    def t2_codes(self) -> tuple[str, ...]:
        return tuple(code for row in self.t2_rows for code in row.codes)


def _t2_rows(layout: str) -> tuple[T2Row, ...]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in _rows("t2_items.csv"):
        if row["layout"] == layout:
            grouped.setdefault(row["row_label"], []).append(row)
    out = []
    for label, items in grouped.items():
        items.sort(key=lambda r: int(r["column_index"]))
        out.append(T2Row(label, items[0]["measure_group"], tuple(r["code"] for r in items),
                         tuple(r["kind"] for r in items), tuple(r["unit"] for r in items)))
    return tuple(sorted(out, key=lambda r: min(int(i["position"]) for i in grouped[r.label])))


@lru_cache(maxsize=None)
def spec(layout: str) -> Spec:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    t3 = [r for r in _rows("t3_rows.csv") if r["layout"] in ("both", layout)]
    t3.sort(key=lambda r: int(r["position"]))
    t4 = sorted(_rows("t4_cells.csv"), key=lambda r: int(r["position"]))
    return Spec(
        layout=layout,
        t2_rows=_t2_rows(layout),
        t3_rows=tuple(T3Row(r["row_code"], r["layout"], r["group_code"], r["item_no"], r["label"]) for r in t3),
        t3_columns=tuple(r["column_code"] for r in sorted(_rows("t3_columns.csv"), key=lambda r: int(r["position"]))),
        t4_codes=tuple(r["code"] for r in t4),
        t4_blocks=tuple(dict.fromkeys(r["block_code"] for r in t4)),
        t4_outcomes=tuple(dict.fromkeys(r["outcome_code"] for r in t4)),
        t4_cells={r["code"]: (r["block_code"], r["outcome_code"]) for r in t4},
    )


@lru_cache(maxsize=None)
def label_variants() -> dict[tuple[int, str], tuple[str, ...]]:
    out: dict[tuple[int, str], list[str]] = {}
    for r in _rows("label_variants.csv"):
        out.setdefault((int(r["table_no"]), r["code"]), []).append(r["variant"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def section_anchors() -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for r in _rows("sections.csv"):
        out.setdefault(int(r["table_no"]), []).append(r["anchor"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def layout_markers() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in _rows("layout_markers.csv"):
        out.setdefault(r["layout"], []).append(r["marker"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def null_markers() -> frozenset[str]:
    return frozenset(r["marker"] for r in _rows("null_markers.csv"))


def seed_rows(name: str, order_by: str | None = None, folder: Path = SEEDS) -> list[dict[str, str]]:
    """Rows of <folder>/<name>.csv (default seeds/) as read (strings), in `order_by` (an integer
    column) if given."""
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(rows, key=lambda r: int(r[order_by])) if order_by else rows
