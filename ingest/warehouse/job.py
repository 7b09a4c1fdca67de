"""What a parse worker does with one report file (see ingest.warehouse.isolate): read it safely
and parse it into the typed record the loader takes (ingest.extract.record; a Record pickles its
cells column by column, so it crosses back to the loader cheaply).

Kept apart from the loader so that workers import the parser alone, not DuckDB and Arrow.
"""
from __future__ import annotations

from ingest.extract.record import Failure, Record
from ingest.parse import parse_data
from ingest.warehouse.folder import UnreadableReport, read_report


def parse_job(job: tuple[str, str]) -> Record | Failure:
    """(resolved folder, relative name) → the file's record, or a failure naming it."""
    root, rel = job
    try:
        data = read_report(root, rel)
    except UnreadableReport as exc:
        return Failure(rel, None, f"{rel}: {exc}")
    return parse_data(data, rel)
