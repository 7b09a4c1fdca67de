"""The format's vocabulary, read from seeds/*.csv: the same files dbt loads as seeds.

The parser knows no word of the format that is not here: row and column labels and their
variants, section headings and their numbers, layout markers, null markers, unit suffixes and
Word residue. Adding one is a one-line CSV change that both the parser and the warehouse see.
"""
from __future__ import annotations

import csv
import re
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
def t4_cells() -> dict[str, tuple[str, str]]:
    """{code: (block, outcome)} of Table 4, in position order (the same in both layouts)."""
    t4 = sorted(_rows("t4_cells.csv"), key=lambda r: int(r["position"]))
    return {r["code"]: (r["block_code"], r["outcome_code"]) for r in t4}


@lru_cache(maxsize=None)
def spec(layout: str) -> Spec:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    t3 = [r for r in _rows("t3_rows.csv") if r["layout"] in ("both", layout)]
    t3.sort(key=lambda r: int(r["position"]))
    t4 = t4_cells()
    return Spec(
        layout=layout,
        t2_rows=_t2_rows(layout),
        t3_rows=tuple(T3Row(r["row_code"], r["layout"], r["group_code"], r["item_no"], r["label"]) for r in t3),
        t3_columns=tuple(r["column_code"] for r in sorted(_rows("t3_columns.csv"), key=lambda r: int(r["position"]))),
        t4_codes=tuple(t4),
        t4_blocks=tuple(dict.fromkeys(block for block, _ in t4.values())),
        t4_outcomes=tuple(dict.fromkeys(outcome for _, outcome in t4.values())),
        t4_cells=t4,
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
def section_numbers() -> dict[int, str]:
    """{table_no: the characters that number its section heading}: 二 and 2 for Table 2."""
    out: dict[int, str] = {}
    for r in _rows("sections.csv"):
        out[int(r["table_no"])] = "".join(dict.fromkeys(out.get(int(r["table_no"]), "") + r["section_no"] + r["section_digit"]))
    return out


@lru_cache(maxsize=None)
def layout_markers(table_no: int) -> dict[str, tuple[str, ...]]:
    """{layout: markers} that tell the form of Table `table_no` (0: the whole document)."""
    out: dict[str, list[str]] = {layout: [] for layout in LAYOUTS}
    for r in _rows("layout_markers.csv"):
        if int(r["table_no"]) == table_no:
            out[r["layout"]].append(r["marker"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def null_markers() -> frozenset[str]:
    return frozenset(r["marker"] for r in _rows("null_markers.csv"))


@dataclass(frozen=True)
class UnitSuffix:
    suffix: str
    unit: str        # the t2_items unit a money suffix denotes (wan_yuan, yuan); "" for counts
    yuan: float | None  # the size of one such unit in yuan, for money


@lru_cache(maxsize=None)
def unit_suffixes() -> tuple[UnitSuffix, ...]:
    """Unit suffixes, longest first (人次 before 次, 万元 before 元)."""
    units = [UnitSuffix(r["suffix"], r["unit"], float(r["yuan"]) if r["yuan"] else None)
             for r in _rows("unit_suffixes.csv")]
    return tuple(sorted(units, key=lambda u: -len(u.suffix)))


@lru_cache(maxsize=None)
def unit_scale(suffix: str, unit: str) -> float:
    """What a figure printed with `suffix` is multiplied by to be in `unit` (万元 in yuan: 10000)."""
    sizes = {u.unit: u.yuan for u in unit_suffixes() if u.unit}
    printed = next((u.yuan for u in unit_suffixes() if u.suffix == suffix), None)
    if printed is None or unit not in sizes:
        return 1.0
    return printed / sizes[unit]


@lru_cache(maxsize=None)
def word_residue() -> re.Pattern[str]:
    """Word residue around figures, one pattern for all (seeds/word_residue.csv)."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in _rows("word_residue.csv")))


@lru_cache(maxsize=None)
def word_residue_starts() -> tuple[str, ...] | None:
    """The characters a match of word_residue() can begin with (None: any), so a text holding
    none of them is passed over without running the pattern along it."""
    from re import _constants as c, _parser  # the pattern's parse tree: stable since Python 3.11

    def first(items: list) -> set[str] | None:
        if not items:
            return None
        op, av = items[0]
        if op is c.LITERAL:
            return {chr(av)}
        if op is c.IN and all(o is c.LITERAL for o, _ in av):
            return {chr(v) for _, v in av}
        if op is c.BRANCH:
            found = [first(list(branch)) for branch in av[1]]
            return None if any(f is None for f in found) else set().union(*found)
        if op is c.SUBPATTERN:
            return first(list(av[3]))
        return None

    try:
        chars = first(list(_parser.parse(word_residue().pattern)))
    except (AttributeError, TypeError, ValueError, IndexError):
        return None
    return None if chars is None else tuple(sorted(chars))


@dataclass(frozen=True)
class NarrativePattern:
    measure: str
    pattern: re.Pattern[str]
    fixed_value: int | None  # the count a pattern without a number stands for (未发生…行政复议: 0)


@lru_cache(maxsize=None)
def narrative_patterns() -> tuple[NarrativePattern, ...]:
    """Sentences restating a count in words (seeds/narrative_patterns.csv), in seed order."""
    return tuple(NarrativePattern(r["measure"], re.compile(r["pattern"]),
                                  int(float(r["fixed_value"])) if r["fixed_value"] else None)
                 for r in _rows("narrative_patterns.csv"))


@lru_cache(maxsize=None)
def narrative_cells() -> dict[str, str]:
    """{measure: cell key} for the measures that restate one table cell (seeds/narrative_measures.csv)."""
    return {r["measure"]: r["cell"] for r in _rows("narrative_measures.csv") if r["cell"]}


@lru_cache(maxsize=None)
def column_labels(table_no: int) -> dict[str, str]:
    """Printed header labels: Table 3's applicant columns by code, Table 4's outcomes by code."""
    if table_no == 3:
        return {r["column_code"]: r["label"] for r in _rows("t3_columns.csv")}
    return {r["outcome_code"]: r["outcome_label"] for r in _rows("t4_cells.csv")}


def seed_rows(name: str, order_by: str | None = None, folder: Path = SEEDS) -> list[dict[str, str]]:
    """Rows of <folder>/<name>.csv (default seeds/) as read (strings), in `order_by` (an integer
    column) if given."""
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(rows, key=lambda r: int(r[order_by])) if order_by else rows
