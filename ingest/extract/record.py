"""The canonical record of one report file: what the extractor makes, settle completes, `xxgk
parse` prints (`to_json`, the public contract) and the loader writes. One typed shape from the
extractor to the loader, so no stage guesses at the keys of another's dict.

Cells are keyed as in `uncertain` and the gold files (`table2.normative_docs_issued`,
`table3.granted.total`, `table4.review_upheld`; see ingest.extract.cellkeys).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ingest.extract.cellkeys import address_key, key_address
from ingest.spec import LAYOUTS, spec

Number = int | float
NOT_FOUND = "not found in the document"


@dataclass(slots=True)
class Cell:
    """One value as the document printed it: the number it means (None: unread), the text as
    printed, where it was, and what reading it took (a null marker, a split, a label read
    by similarity)."""

    value: Number | None
    raw: str | None
    source: str | None
    note: str | None = None


@dataclass(slots=True)
class Figure:
    """A count the report states in words (一、总体情况), with its sentence."""

    value: Number
    raw: str
    source: str


@dataclass
class Run:
    """A glued digit run (web text whose cell borders were lost): the cells it covers, the text
    as printed, where, and every split still open. ingest.extract.settle narrows the splits."""

    cells: list[str]
    text: str
    source: str
    options: list[tuple[Number, ...]]

    def to_json(self) -> dict[str, Any]:
        return {"cells": self.cells, "run": self.text, "source": self.source,
                "options": [list(o) for o in self.options]}


@dataclass(frozen=True)
class Body:
    """Who published a report: a body is its name and its region (鼓楼区人民政府 exists in four
    cities), in Python as in dbt's body_key. The region is None until the loader resolves it."""

    name: str
    region_code: str | None


@dataclass
class Record:
    file: str
    sha256: str
    format: str
    layout: str                 # the form of Table 2 (2021 | 2019)
    table3_layout: str          # the form of Table 3: a 2021 report may print the 2019 one
    title: str | None
    body_name: str | None
    year: int | None
    cells: dict[str, Cell] = field(default_factory=dict)
    narrative: dict[str, Figure] = field(default_factory=dict)
    ambiguous: list[Run] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    region_code: str | None = None  # set by the loader (manifest or region seed)
    source_url: str | None = None
    status: str = "active"
    region_method: str | None = None  # how the loader found region_code (ingest.warehouse.regions)
    region_matched: str | None = None  # the start of the body name that named the region
    copies: list[str] = field(default_factory=list)  # other names of the same bytes in the folder (the loader)

    def __getstate__(self) -> dict[str, Any]:
        """Cells column by column, their keys left out when they are the layouts' own: a record
        crosses from a parse worker to the loader about three times faster than as one pickled
        object per cell."""
        state = dict(self.__dict__)
        cells = state.pop("cells")
        keys = tuple(cells)
        state["cell_columns"] = (None if keys == all_keys(self.layout, self.table3_layout) else keys,
                                 [c.value for c in cells.values()], [c.raw for c in cells.values()],
                                 [c.source for c in cells.values()], [c.note for c in cells.values()])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        keys, *columns = state.pop("cell_columns")
        keys = keys or all_keys(state["layout"], state["table3_layout"])
        self.__dict__.update(state, cells=dict(zip(keys, map(Cell, *columns))))

    @property
    def body(self) -> Body | None:
        return Body(self.body_name, self.region_code) if self.body_name else None

    @property
    def uncertain(self) -> list[str]:
        """Cells left null because several splits of their run fit."""
        return [key for run in self.ambiguous for key in run.cells]

    def values(self) -> dict[str, Number | None]:
        return {key: cell.value for key, cell in self.cells.items()}

    def to_json(self, with_cells: bool = False) -> dict[str, Any]:
        """The `xxgk parse` object (README: a public contract; fields are only ever added)."""
        tables: dict[str, dict[str, Any]] = {"table2": {}, "table3": {}, "table4": {}}
        for key, cell in self.cells.items():
            table, row, column = _json_path(key)
            if column is None:
                tables[table][row] = cell.value
            else:
                tables[table].setdefault(row, {})[column] = cell.value
        out: dict[str, Any] = {
            "file": self.file, "sha256": self.sha256, "format": self.format, "layout": self.layout,
            "table3_layout": self.table3_layout, "title": self.title, "body_name": self.body_name,
            "year": self.year, **tables,
            "narrative": {k: f.value for k, f in self.narrative.items()},
            "uncertain": self.uncertain, "ambiguous": [run.to_json() for run in self.ambiguous],
            "warnings": self.warnings,
        }
        if with_cells:
            out["cells"] = [cell_json(key, cell) for key, cell in self.cells.items()]
            out["narrative_cells"] = {k: {"value": f.value, "raw": f.raw, "source": f.source}
                                      for k, f in self.narrative.items()}
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Record:
        """A record from its `to_json` form (with or without `cells`); loader extras
        (region_code, source_url, status, region_method, region_matched) are taken when present."""
        layout = obj.get("layout") or "2021"
        cells: dict[str, Cell] = {}
        if obj.get("cells") is not None:
            for c in obj["cells"]:
                key = address_key(layout, c["table"], c["row"], c["column"])
                cells[key] = Cell(c.get("value"), c.get("raw"), c.get("source"), c.get("note"))
        else:
            for code, value in (obj.get("table2") or {}).items():
                cells[f"table2.{code}"] = _bare(value)
            for row, columns in (obj.get("table3") or {}).items():
                cells.update({f"table3.{row}.{col}": _bare(v) for col, v in (columns or {}).items()})
            for code, value in (obj.get("table4") or {}).items():
                cells[f"table4.{code}"] = _bare(value)
        narrative = {k: Figure(f["value"], f["raw"], f["source"]) for k, f in (obj.get("narrative_cells") or {}).items()}
        runs = [Run(list(a["cells"]), a["run"], a["source"], [tuple(o) for o in a["options"]])
                for a in obj.get("ambiguous") or []]
        t3_layout = obj.get("table3_layout") or _table3_layout(cells, layout)
        return cls(obj["file"], obj["sha256"], obj.get("format", ""), layout, t3_layout,
                   obj.get("title"), obj.get("body_name"), obj.get("year"), cells, narrative, runs,
                   list(obj.get("warnings") or []), obj.get("region_code"), obj.get("source_url"),
                   obj.get("status", "active"), obj.get("region_method"), obj.get("region_matched"))


@lru_cache(maxsize=None)
def all_keys(layout: str, table3_layout: str) -> tuple[str, ...]:
    """Every cell key of a report of these layouts, in the order the extractor reads them."""
    sp2, sp3 = spec(layout), spec(table3_layout)
    return (tuple(f"table2.{c}" for c in sp2.t2_codes)
            + tuple(f"table3.{r.code}.{c}" for r in sp3.t3_rows for c in sp3.t3_columns)
            + tuple(f"table4.{c}" for c in sp2.t4_codes))


@lru_cache(maxsize=4096)
def _json_path(key: str) -> tuple[str, str, str | None]:
    """Where a cell's value sits in the JSON: (table2, code, None), (table3, row, column)."""
    table, _, rest = key.partition(".")
    row, _, column = rest.partition(".")
    return table, row, column or None


def _table3_layout(cells: dict[str, Cell], layout: str) -> str:
    """The form of Table 3 whose rows a record without `table3_layout` (older JSON) has."""
    rows = {key.split(".")[1] for key in cells if key.startswith("table3.")}
    for candidate in (layout, *LAYOUTS):
        if rows <= {r.code for r in spec(candidate).t3_rows}:
            return candidate
    return layout


def _bare(value: Number | None) -> Cell:
    return Cell(value, None if value is None else f"{value:g}", None, None if value is not None else NOT_FOUND)


def cell_json(key: str, cell: Cell) -> dict[str, Any]:
    """One entry of `--cells`: the cell's address (table, row, column) and its reading."""
    table, row, column = key_address(key)
    return {"table": table, "row": row, "column": column, "value": cell.value, "raw": cell.raw,
            "source": cell.source, "note": cell.note}


@dataclass
class Failure:
    """A file that gave no record: the error names the file and what is wrong."""

    file: str
    sha256: str | None
    error: str

    def to_json(self, with_cells: bool = False) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "error": self.error}
