"""The reports folder: which files there are, and what changed since the warehouse last saw it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.warehouse.manifest import MANIFEST_NAME

SKIP_NAMES = {MANIFEST_NAME, "README.md", "README.txt"}


def list_reports(folder: Path) -> list[Path]:
    """Every report file under `folder` (recursively), in a stable order; hidden files skipped."""
    if not folder.is_dir():
        raise FileNotFoundError(f"reports folder {folder} does not exist")
    found = [p for p in folder.rglob("*") if p.is_file() and p.name not in SKIP_NAMES
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Plan:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    still_failing: list[str] = field(default_factory=list)  # failed before, same bytes: not retried
    gone: list[str] = field(default_factory=list)  # failed before, no longer in the folder
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def to_parse(self) -> list[str]:
        return self.new + self.changed

    @property
    def nothing_to_do(self) -> bool:
        return not (self.new or self.changed or self.withdrawn or self.gone)


def plan(folder: Path, previous: dict[str, str], failed: dict[str, str] | None = None) -> Plan:
    """Compare the folder with `previous` ({file: sha256} of active reports in the warehouse) and
    `failed` ({file: sha256} of files that failed last time)."""
    failed = failed or {}
    out = Plan()
    current = {p.relative_to(folder).as_posix(): p for p in list_reports(folder)}
    for rel, path in current.items():
        digest = sha256_of(path)
        out.digests[rel] = digest
        if rel in previous:
            (out.unchanged if previous[rel] == digest else out.changed).append(rel)
        elif failed.get(rel) == digest:
            out.still_failing.append(rel)
        else:
            out.new.append(rel)
    out.withdrawn = sorted(set(previous) - set(current))
    out.gone = sorted(set(failed) - set(current))
    return out
