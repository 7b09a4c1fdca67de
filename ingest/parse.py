"""`xxgk parse`: files in, one canonical record (the public JSON contract) per file out."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from ingest import read as readers
from ingest.extract.extractor import Extraction, extract
from ingest.read.grid import ReadError
from ingest.extract.rows import CellValue
from ingest.extract.siblings import settle_batch

MAX_BYTES = 100 * 1024 * 1024


def _value(cell: CellValue | None) -> int | float | None:
    return None if cell is None else cell.value


def _cell(table: int, row: str, column: str, cell: CellValue | None) -> dict[str, Any]:
    if cell is None:
        return {"table": table, "row": row, "column": column, "value": None, "raw": None, "source": None,
                "note": "not found in the document"}
    return {"table": table, "row": row, "column": column, "value": cell.value, "raw": cell.raw,
            "source": cell.source, "note": cell.note}


def cells_of(ex: Extraction, t4_split: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    out = [_cell(2, code, "value", cell) for code, cell in ex.table2.items()]
    for row, columns in ex.table3.items():
        out.extend(_cell(3, row, col, cell) for col, cell in columns.items())
    out.extend(_cell(4, *t4_split[code], cell) for code, cell in ex.table4.items())
    return out


def record(ex: Extraction, name: str, digest: str, form: str, with_cells: bool) -> dict[str, Any]:
    from ingest.spec import spec

    rec: dict[str, Any] = {
        "file": name, "sha256": digest, "format": form, "layout": ex.layout, "title": ex.title,
        "body_name": ex.body_name, "year": ex.year,
        "table2": {code: _value(c) for code, c in ex.table2.items()},
        "table3": {row: {col: _value(c) for col, c in cols.items()} for row, cols in ex.table3.items()},
        "table4": {code: _value(c) for code, c in ex.table4.items()},
        "narrative": {k: v["value"] for k, v in ex.narrative.items()},
        "uncertain": [key for a in ex.ambiguous for key in a.cells],
        "ambiguous": [{"cells": a.cells, "run": a.run, "source": a.source, "options": [list(o) for o in a.options]}
                      for a in ex.ambiguous],
        "warnings": ex.warnings,
    }
    if with_cells:
        sp = spec(ex.layout)
        rec["cells"] = cells_of(ex, sp.t4_cells)
        rec["narrative_cells"] = ex.narrative
    return rec


def parse_bytes(data: bytes, name: str, with_cells: bool = False) -> dict[str, Any]:
    """The record for one file, or {"file", "sha256", "error"} saying what is wrong and where."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        if len(data) > MAX_BYTES:
            raise ReadError(f"file of {len(data)} bytes is over the {MAX_BYTES // 2**20} MiB limit for a report")
        form, grid = readers.read(data)
        ex = extract(grid)
        return record(ex, name, digest, form, with_cells)
    except ReadError as exc:
        return {"file": name, "sha256": digest, "error": f"{name}: {exc}"}
    except MemoryError:
        raise  # the worker's memory limit (ingest.warehouse.isolate) reports it
    except Exception as exc:  # a parser bug must not stop the batch; it is reported per file
        return {"file": name, "sha256": digest, "error": f"{name}: internal error {type(exc).__name__}: {exc}"}


def parse_file(path: Path, name: str | None = None, with_cells: bool = False) -> dict[str, Any]:
    label = name or str(path)
    try:
        with open(path, "rb") as fh:  # bounded by what is read: /dev/zero has no size to check
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return {"file": label, "sha256": None, "error": f"{label}: cannot read: {exc.strerror or exc}"}
    if len(data) > MAX_BYTES:
        return {"file": label, "sha256": None,
                "error": f"{label}: file of more than {MAX_BYTES} bytes is over the {MAX_BYTES // 2**20} MiB limit for a report"}
    return parse_bytes(data, label, with_cells)


def parse_command(files: list[str], cells: bool, out: IO[str]) -> int:
    """Parse every file, settle glued runs from other files of the same report in the batch
    (ingest.extract.siblings), then print the records in the order the files were given."""
    records = [parse_file(Path(name), name, with_cells=cells) for name in files]
    settle_batch(records)
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if any("error" in rec for rec in records) else 0
