"""`xxgk report`: one self-contained HTML page comparing the bodies of a province or a city.

data.py reads the marts, charts.py writes the Vega-Lite specs, page.py renders the template."""
from __future__ import annotations

from pathlib import Path

from ingest.outputs.files import atomic_file, check_target
from ingest.outputs.report.data import Selection, read_report
from ingest.outputs.report.page import render
from ingest.outputs.source import warehouse


def write_report(warehouse_path: Path, out: Path, selection: Selection, *, force: bool, version: str) -> int:
    """Write the report page to `out` (whole or not at all) and return its size in bytes."""
    check_target(out, force=force, protect=[warehouse_path])
    with warehouse(warehouse_path) as con:
        data = read_report(con, selection)
    page = render(data, version).encode("utf-8")
    with atomic_file(out, force=force, protect=[warehouse_path]) as temp:
        temp.write_bytes(page)
    return len(page)
