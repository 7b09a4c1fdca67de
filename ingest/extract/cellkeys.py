"""One key per table cell of a parse record: `table2.normative_docs_issued`,
`table3.granted.total`, `table4.review_upheld` (the keys of a record's `uncertain` list and of
the gold files). A cell is addressed elsewhere as (table, row, column): Table 2's column is
`value`, Table 4's row the block and column the outcome (seeds/t4_cells.csv)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ingest.spec import t4_cells


def cell_values(rec: dict[str, Any]) -> dict[str, Any]:
    """Every cell of a record in its JSON form (`xxgk parse`, gold files) by key."""
    out = {f"table2.{k}": v for k, v in (rec.get("table2") or {}).items()}
    for row, cols in (rec.get("table3") or {}).items():
        out.update({f"table3.{row}.{c}": v for c, v in (cols or {}).items()})
    out.update({f"table4.{k}": v for k, v in (rec.get("table4") or {}).items()})
    return out


@lru_cache(maxsize=None)
def _t4_codes() -> dict[tuple[str, str], str]:
    return {address: code for code, address in t4_cells().items()}


def address_key(layout: str, table: int, row: str, column: str) -> str:
    """The key of the cell at (table, row, column). (Codes are unique across layouts; `layout`
    is kept for callers that address cells per report.)"""
    if table == 2:
        return f"table2.{row}"
    if table == 3:
        return f"table3.{row}.{column}"
    return f"table4.{_t4_codes()[(row, column)]}"


@lru_cache(maxsize=4096)
def key_address(key: str) -> tuple[int, str, str]:
    """(table, row, column) of the cell `key`, as raw.cells addresses it."""
    table, _, rest = key.partition(".")
    if table == "table2":
        return 2, rest, "value"
    if table == "table3":
        row, _, column = rest.partition(".")
        return 3, row, column
    return (4, *t4_cells()[rest])
