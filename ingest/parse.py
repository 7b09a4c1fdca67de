"""`xxgk parse`: files in, one canonical record (ingest.extract.record) per file out, printed
as the public JSON contract."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from ingest import read as readers
from ingest.extract.extractor import extract
from ingest.extract.record import Failure, Record
from ingest.extract.settle import settle_batch
from ingest.read.grid import ReadError

MAX_BYTES = 100 * 1024 * 1024


def parse_data(data: bytes, name: str) -> Record | Failure:
    """The record for one file's bytes, or a failure saying what is wrong and where."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        if len(data) > MAX_BYTES:
            raise ReadError(f"file of {len(data)} bytes is over the {MAX_BYTES // 2**20} MiB limit for a report")
        form, grid = readers.read(data)
        return extract(grid, name, digest, form)
    except ReadError as exc:
        return Failure(name, digest, f"{name}: {exc}")
    except MemoryError:
        raise  # the worker's memory limit (ingest.warehouse.isolate) reports it
    except Exception as exc:  # a parser bug must not stop the batch; it is reported per file
        return Failure(name, digest, f"{name}: internal error {type(exc).__name__}: {exc}")


def parse_path(path: Path, name: str | None = None) -> Record | Failure:
    label = name or str(path)
    try:
        with open(path, "rb") as fh:  # bounded by what is read: /dev/zero has no size to check
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return Failure(label, None, f"{label}: cannot read: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return Failure(label, None,
                       f"{label}: file of more than {MAX_BYTES} bytes is over the {MAX_BYTES // 2**20} MiB limit for a report")
    return parse_data(data, label)


def parse_bytes(data: bytes, name: str, with_cells: bool = False) -> dict[str, Any]:
    """parse_data as the JSON object `xxgk parse` prints."""
    return parse_data(data, name).to_json(with_cells)


def parse_file(path: Path, name: str | None = None, with_cells: bool = False) -> dict[str, Any]:
    """parse_path as the JSON object `xxgk parse` prints."""
    return parse_path(path, name).to_json(with_cells)


def parse_command(files: list[str], cells: bool, out: IO[str]) -> int:
    """Parse every file, settle glued runs from other files of the same report in the batch
    (ingest.extract.settle), then print the records in the order the files were given."""
    results = [parse_path(Path(name), name) for name in files]
    settle_batch([r for r in results if isinstance(r, Record)])
    for result in results:
        out.write(json.dumps(result.to_json(cells), ensure_ascii=False) + "\n")
    out.flush()
    return 1 if any(isinstance(r, Failure) for r in results) else 0
