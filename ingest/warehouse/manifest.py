"""The reports manifest: `data/reports/manifest.csv`, optional facts about each report file.

Columns: file,body_name,region_code,year,source_url. `file` is required and relative to the
manifest's folder (forward slashes; `./` tolerated); every other column may be empty or absent.
region_code, when given, is a 6-digit GB/T 2260 code (whether it exists is checked when the body
is resolved, see `ingest.warehouse.regions`); year, when given, is a 4-digit year. Unknown columns are an
error so that a misspelt header (regioncode) cannot silently drop every hint. UTF-8, with or
without BOM. Errors name the manifest file and line.

`load_manifest` reads it for a build: a header or encoding problem makes the whole manifest
unusable (ManifestError, and the build refuses to run); a bad row spoils only its own line:
the file it names fails with that line's error (never loaded with facts the manifest meant to
change), and a line that names no usable file is an error of the manifest itself.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "body_name", "region_code", "year", "source_url")
YEAR_MIN, YEAR_MAX = 2000, 2100
_CODE = re.compile(r"[0-9]{6}")
_YEAR = re.compile(r"[0-9]{4}")


class ManifestError(ValueError):
    """A manifest that cannot be read; the message names the file and line."""


class ManifestRow(NamedTuple):
    """One usable line of the manifest. A named tuple, not a frozen dataclass: a refresh makes
    one per report from the rows the warehouse stored (Manifest.take), and at 100,000 reports a
    frozen dataclass costs about 0.2 s more to make them."""

    file: str  # relative to the manifest's folder, POSIX form
    body_name: str | None
    region_code: str | None
    year: int | None
    source_url: str | None
    line: int  # line in the manifest, for messages

    def facts(self) -> tuple[str | None, str | None, int | None, str | None]:
        """What the row says about its file (the line number aside)."""
        return self.body_name, self.region_code, self.year, self.source_url


Facts = tuple[str | None, str | None, int | None, str | None] | str  # a row's facts, or its line's error


class Manifest:
    """A reports folder's manifest as a build reads it: its rows by file, the errors of its
    malformed lines, and the digest of its bytes.

    Made by `parse_manifest`, its lines are read only when first asked for (`rows`, `errors`,
    `unattached`): a refresh whose folder is the one the warehouse was made from needs only the
    digest, and 100,000 lines take most of a second to check."""

    def __init__(self, path: Path | None = None, rows: dict[str, ManifestRow] | None = None,
                 errors: dict[str, str] | None = None, unattached: list[str] | None = None,
                 sha256: str | None = None, lines: list[str] | None = None) -> None:
        self.path = path
        self.sha256 = sha256  # of the manifest's bytes; None without a manifest
        self._rows = rows if rows is not None else {}
        self._errors = errors if errors is not None else {}  # file -> error of its malformed line(s)
        self._unattached = unattached if unattached is not None else []  # errors of lines naming no usable file
        self._lines = lines  # the lines still to read, header first (None once read)
        self._taken = False

    def _read(self) -> None:
        if self._lines is not None:
            lines, self._lines = self._lines, None
            _read_rows(self, lines)

    @property
    def rows(self) -> dict[str, ManifestRow]:
        self._read()
        return self._rows

    @property
    def errors(self) -> dict[str, str]:
        self._read()
        return self._errors

    @property
    def unattached(self) -> list[str]:
        self._read()
        return self._unattached

    def facts(self, file: str) -> Facts | None:
        """What the manifest says about `file`: its row's facts, its line's error, or None."""
        if file in self.errors:
            return self.errors[file]
        row = self.rows.get(file)
        return row.facts() if row else None

    @property
    def taken(self) -> bool:
        """True when the rows came from the warehouse (`take`), not from the lines."""
        return self._taken

    def take(self, stored: list[tuple]) -> None:
        """Use the rows the warehouse stored (`stored_rows`) after reading these very bytes,
        instead of reading the lines again; the lines are dropped unread. The caller vouches
        for the bytes (the digest recorded with the rows is this manifest's)."""
        if self._lines is None:
            return  # read already: nothing to save
        self._lines, self._taken = None, True
        for file, body_name, region_code, year, source_url, error, line in stored:
            if file is None:
                self._unattached.append(error)
            elif error is not None:
                self._errors[file] = error
            else:
                self._rows[file] = ManifestRow(file, body_name, region_code, year, source_url, line)

    def stored_rows(self) -> list[tuple]:
        """What the warehouse keeps of the manifest (raw.manifest, read back by `take`): each
        row's facts and line; each file's error, and each error of a line naming no file (no
        file), at the line of its first message."""
        rows = [(row.file, *row.facts(), None, row.line) for row in self.rows.values()]
        rows += [(file, None, None, None, None, error, _line_of(error)) for file, error in self.errors.items()]
        rows += [(None, None, None, None, None, error, _line_of(error)) for error in self.unattached]
        return rows

    def missing(self, present: set[str]) -> list[str]:
        """A warning for each row naming a file that is not in the folder."""
        return [f"{self.path}:{row.line}: names {file}, which is not in the reports folder"
                for file, row in self.rows.items() if file not in present]


def normalize_key(file: str) -> str:
    """A manifest `file` value or relative path as a dict key: 'a\\b.pdf', './a/b.pdf' → 'a/b.pdf'."""
    parts = [p for p in file.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)  # what str(PurePosixPath(*parts)) gives, without building one per row


def key_for(report: Path, manifest_dir: Path) -> str:
    """The manifest key of a report file: its path relative to the manifest's folder."""
    return normalize_key(report.resolve().relative_to(manifest_dir.resolve()).as_posix())


def _cell(record: dict[str, str | None], column: str) -> str | None:
    value = (record.get(column) or "").strip()
    return value or None


def _file_of(record: dict[str, str | None]) -> str | None:
    """The key of the line's `file`, or None when it is not a path inside the manifest's folder."""
    raw = _cell(record, "file")
    key = normalize_key(raw) if raw else ""
    if not raw or not key or raw.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", raw) or ".." in key.split("/"):
        return None
    return key


def _blank(record: dict[str, str | None]) -> bool:
    return all(not (v.strip() if isinstance(v, str) else v) for v in record.values())


def _row(path: Path, line: int, record: dict[str, str | None]) -> ManifestRow:
    where = f"{path}:{line}"
    raw_file = _cell(record, "file")
    if raw_file is None:
        raise ManifestError(f"{where}: empty 'file'")
    key = _file_of(record)
    if key is None:
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


def _header(path: Path, reader: csv.DictReader) -> list[str]:
    header = [h.strip() for h in reader.fieldnames or []]
    if "file" not in header:
        raise ManifestError(f"{path}:1: header must include 'file' (columns: {','.join(COLUMNS)})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ManifestError(f"{path}:1: unknown column(s) {', '.join(map(repr, unknown))}; "
                            f"expected {','.join(COLUMNS)}")
    if len(set(header)) != len(header):
        raise ManifestError(f"{path}:1: repeated column in header")
    return header


def parse_manifest(path: Path) -> Manifest:
    """The manifest at `path`: every row and the error of every malformed line, read when first
    asked for (see Manifest). ManifestError now when the manifest as a whole cannot be read
    (encoding, header)."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    lines = text.splitlines(keepends=True)
    _header(path, csv.DictReader(lines[:1]))
    return Manifest(path=path, sha256=hashlib.sha256(data).hexdigest(), lines=lines)


def _read_rows(out: Manifest, lines: list[str]) -> None:
    """Fill `out` from the manifest's lines (the header checked by parse_manifest)."""
    path = out.path
    reader = csv.DictReader(lines, restkey="\0extra")
    reader.fieldnames = _header(path, reader)
    lines_of: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if _blank(record):
            continue
        try:
            if "\0extra" in record:
                raise ManifestError(f"{path}:{line}: more cells than header columns")
            row = _row(path, line, record)
        except ManifestError as exc:
            file = _file_of(record)
            if file is None:
                out._unattached.append(str(exc))
            else:
                out._rows.pop(file, None)
                out._errors[file] = "; ".join(filter(None, (out._errors.get(file), str(exc))))
            continue
        if row.file in lines_of:
            out._rows.pop(row.file, None)
            out._errors[row.file] = "; ".join(filter(None, (
                out._errors.get(row.file), f"{path}:{line}: file {row.file!r} already listed on line {lines_of[row.file]}")))
            continue
        lines_of[row.file] = line
        if row.file not in out._errors:
            out._rows[row.file] = row


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of the manifest keyed by `file` relative to the manifest's folder; ManifestError
    naming the first malformed line, if any."""
    manifest = parse_manifest(path)
    problems = sorted([*manifest.unattached, *manifest.errors.values()], key=_line_of)
    if problems:
        raise ManifestError(problems[0].split("; ")[0])
    return manifest.rows


def _line_of(message: str) -> int:
    found = re.search(r":(\d+): ", message)
    return int(found.group(1)) if found else 0


def load_manifest(reports_dir: Path) -> Manifest:
    """The manifest of a reports folder as a build uses it (empty without one)."""
    path = reports_dir / MANIFEST_NAME
    return parse_manifest(path) if path.is_file() else Manifest()


def find_manifest(reports_dir: Path) -> dict[str, ManifestRow]:
    """The manifest of a reports folder, or an empty dict when it has none."""
    path = reports_dir / MANIFEST_NAME
    return read_manifest(path) if path.is_file() else {}
