"""What a parse worker does with one report file (see ingest.warehouse.isolate): read it safely,
parse it, and turn its cells into the columns of raw.cells.

Kept apart from the loader so that workers import the parser alone, not DuckDB and Arrow.
"""
from __future__ import annotations

from typing import Any

from ingest.parse import parse_bytes
from ingest.warehouse.folder import UnreadableReport, read_report

CELL_COLUMNS = ["report_id", "table_no", "row_code", "column_code", "value", "raw_text", "source", "note"]
CELL_KEYS = ("table", "row", "column", "value", "raw", "source", "note")  # of a parse record's cells


def cell_columns(cells: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """A record's `cells` as one list per raw.cells column (without report_id). Done in the
    parse workers, this keeps the loader's own loop short and the records cheap to pickle."""
    return {column: [cell.get(key) for cell in cells] for column, key in zip(CELL_COLUMNS[1:], CELL_KEYS)}


def parse_job(job: tuple[str, str]) -> dict[str, Any]:
    """(resolved folder, relative name) → the parse record with cells, or {"file", "sha256", "error"}."""
    root, rel = job
    try:
        data = read_report(root, rel)
    except UnreadableReport as exc:
        return {"file": rel, "sha256": None, "error": f"{rel}: {exc}"}
    rec = parse_bytes(data, rel, with_cells=True)
    if "cells" in rec and not rec.get("ambiguous"):  # a record to settle keeps its cells as they are
        rec["cell_columns"] = cell_columns(rec.pop("cells"))
    return rec
