"""One key per table cell of a parse record: `table2.normative_docs_issued`,
`table3.granted.total`, `table4.review_upheld` (the keys of a record's `uncertain` list and of
the gold files). A cell is addressed elsewhere as (table, row, column): Table 2's column is
`value`, Table 4's row the block and column the outcome (seeds/t4_cells.csv)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ingest.spec import spec


def cell_values(rec: dict[str, Any]) -> dict[str, Any]:
    """Every cell of a record by key."""
    out = {f"table2.{k}": v for k, v in (rec.get("table2") or {}).items()}
    for row, cols in (rec.get("table3") or {}).items():
        out.update({f"table3.{row}.{c}": v for c, v in (cols or {}).items()})
    out.update({f"table4.{k}": v for k, v in (rec.get("table4") or {}).items()})
    return out


@lru_cache(maxsize=None)
def _t4_codes(layout: str) -> dict[tuple[str, str], str]:
    return {address: code for code, address in spec(layout).t4_cells.items()}


def address_key(layout: str, table: int, row: str, column: str) -> str:
    """The key of the cell at (table, row, column) in a report of `layout`."""
    if table == 2:
        return f"table2.{row}"
    if table == 3:
        return f"table3.{row}.{column}"
    return f"table4.{_t4_codes(layout)[(row, column)]}"


def set_value(rec: dict[str, Any], key: str, value: Any) -> None:
    """Set the record's value of the cell `key`."""
    table, _, rest = key.partition(".")
    if table == "table3":
        row, _, column = rest.partition(".")
        rec["table3"][row][column] = value
    else:
        rec[table][rest] = value
