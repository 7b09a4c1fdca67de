"""What a build reads besides the report files, as digests: the refresh plan compares them with
the ones the warehouse was last built from (raw.inputs).

- `parser`: PARSER_VERSION and every seed the parser reads (`meta: {parser_input: true}` in
  seeds/_seeds.yml). A change re-parses every file and retries every failed one.
- `dbt`: the dbt project (models, macros, seeds, tests, project and profile). A change reruns
  dbt even when no report changed (a correction in seeds/corrections.csv, a new rule).
- `manifest`: the reports folder's manifest.csv ('' without one). A change re-applies the rows
  that changed and retries every failed file.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import yaml

from ingest import PARSER_VERSION
from ingest.spec import SEEDS
from ingest.warehouse.dbt import DBT_INPUTS, PROJECT
from ingest.warehouse.manifest import Manifest


def parser_seeds(seeds: Path = SEEDS) -> list[Path]:
    """The seed files the parser reads, as seeds/_seeds.yml marks them."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: the pure-Python one takes 0.2-0.6 s here
    entries = yaml.load((seeds / "_seeds.yml").read_text(encoding="utf-8"), Loader=loader).get("seeds", [])
    return sorted(seeds / f"{entry['name']}.csv" for entry in entries
                  if ((entry.get("config") or {}).get("meta") or {}).get("parser_input"))


def _digest(label: str, files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256(label.encode())
    for path in sorted(files):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _dbt_files(project: Path) -> list[Path]:
    out: list[Path] = []
    for part in DBT_INPUTS:
        path = project / part
        out.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return out


def current(manifest: Manifest, project: Path = PROJECT) -> dict[str, str]:
    """{input: digest} for this build (`project`: the dbt project, whose seeds the parser reads)."""
    seeds = project / SEEDS.relative_to(PROJECT)
    return {"parser": _digest(f"parser {PARSER_VERSION}", parser_seeds(seeds), seeds),
            "dbt": _digest("dbt", _dbt_files(project), project),
            "manifest": manifest.sha256 or ""}
