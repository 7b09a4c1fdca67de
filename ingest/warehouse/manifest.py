"""The reports manifest: `data/reports/manifest.csv`, optional facts about each report file.

Columns: file,body_name,region_code,year,source_url. `file` is required and relative to the
manifest's folder (forward slashes; `./` tolerated); every other column may be empty or absent.
region_code, when given, is a 6-digit GB/T 2260 code (whether it exists is checked when the body
is resolved, see `ingest.warehouse.regions`); year, when given, is a 4-digit year. Unknown columns are an
error so that a misspelt header (regioncode) cannot silently drop every hint. UTF-8, with or
without BOM. Errors name the manifest file and line.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "body_name", "region_code", "year", "source_url")
YEAR_MIN, YEAR_MAX = 2000, 2100
_CODE = re.compile(r"[0-9]{6}")
_YEAR = re.compile(r"[0-9]{4}")


class ManifestError(ValueError):
    """A manifest that cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class ManifestRow:
    file: str  # relative to the manifest's folder, POSIX form
    body_name: str | None
    region_code: str | None
    year: int | None
    source_url: str | None
    line: int  # line in the manifest, for messages


def normalize_key(file: str) -> str:
    """A manifest `file` value or relative path as a dict key: 'a\\b.pdf', './a/b.pdf' → 'a/b.pdf'."""
    parts = [p for p in file.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    return str(PurePosixPath(*parts)) if parts else ""


def key_for(report: Path, manifest_dir: Path) -> str:
    """The manifest key of a report file: its path relative to the manifest's folder."""
    return normalize_key(report.resolve().relative_to(manifest_dir.resolve()).as_posix())


def _cell(record: dict[str, str | None], column: str) -> str | None:
    value = (record.get(column) or "").strip()
    return value or None


def _row(path: Path, line: int, record: dict[str, str | None]) -> ManifestRow:
    where = f"{path}:{line}"
    raw_file = _cell(record, "file")
    if raw_file is None:
        raise ManifestError(f"{where}: empty 'file'")
    key = normalize_key(raw_file)
    if not key or raw_file.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", raw_file) or ".." in key.split("/"):
        raise ManifestError(f"{where}: file {raw_file!r} must be a path inside the manifest's folder")
    code = _cell(record, "region_code")
    if code is not None and not _CODE.fullmatch(code):
        raise ManifestError(f"{where}: region_code {code!r} is not a 6-digit GB/T 2260 code")
    year_text = _cell(record, "year")
    year: int | None = None
    if year_text is not None:
        if not _YEAR.fullmatch(year_text) or not YEAR_MIN <= int(year_text) <= YEAR_MAX:
            raise ManifestError(f"{where}: year {year_text!r} is not a year between {YEAR_MIN} and {YEAR_MAX}")
        year = int(year_text)
    return ManifestRow(key, _cell(record, "body_name"), code, year, _cell(record, "source_url"), line)


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of the manifest keyed by `file` relative to the manifest's folder."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(text.splitlines(keepends=True), restkey="\0extra")
    header = [h.strip() for h in reader.fieldnames or []]
    if "file" not in header:
        raise ManifestError(f"{path}:1: header must include 'file' (columns: {','.join(COLUMNS)})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ManifestError(f"{path}:1: unknown column(s) {', '.join(map(repr, unknown))}; "
                            f"expected {','.join(COLUMNS)}")
    if len(set(header)) != len(header):
        raise ManifestError(f"{path}:1: repeated column in header")
    reader.fieldnames = header
    rows: dict[str, ManifestRow] = {}
    for record in reader:
        line = reader.line_num
        if "\0extra" in record:
            raise ManifestError(f"{path}:{line}: more cells than header columns")
        if not any((v or "").strip() for v in record.values()):
            continue  # blank line
        row = _row(path, line, record)
        if row.file in rows:
            raise ManifestError(f"{path}:{line}: file {row.file!r} already listed on line {rows[row.file].line}")
        rows[row.file] = row
    return rows


def find_manifest(reports_dir: Path) -> dict[str, ManifestRow]:
    """The manifest of a reports folder, or an empty dict when it has none."""
    path = reports_dir / MANIFEST_NAME
    return read_manifest(path) if path.is_file() else {}
