"""Give a parse record what the warehouse needs beyond the document: manifest facts and a region.

A record that cannot be placed (no body or year, an ambiguous body, a malformed manifest line
for its file) becomes a failure naming the file and the reason; the rest of the batch goes on.
"""
from __future__ import annotations

from typing import Any

from ingest.warehouse.manifest import Manifest, ManifestRow
from ingest.warehouse.regions import RegionError, resolve_region


class Enricher:
    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest

    def enrich(self, rec: dict[str, Any]) -> dict[str, Any]:
        if "error" in rec:
            return rec
        file = rec["file"]
        if file in self.manifest.errors:
            return _fail(rec, f"{file}: not loaded: {self.manifest.errors[file]}")
        row = self.manifest.rows.get(file)
        rec = dict(rec)
        if row is not None:
            _apply(rec, row)
        if not rec.get("body_name") or not rec.get("year"):
            return _fail(rec, f"{file}: no body name or year in the title and none in the manifest")
        try:
            res = resolve_region(rec["body_name"], row.region_code if row else None)
        except RegionError as exc:
            return _fail(rec, f"{file}: {exc}")
        rec["region_code"] = res.region_code
        rec["source_url"] = row.source_url if row else None
        return rec


def _apply(rec: dict[str, Any], row: ManifestRow) -> None:
    """Manifest values win over the title; a disagreement is kept as a warning."""
    for key, value in (("body_name", row.body_name), ("year", row.year)):
        if value in (None, ""):
            continue
        if rec.get(key) not in (None, value):
            rec["warnings"] = [*rec["warnings"], f"manifest {key} {value!r} used instead of the title's {rec[key]!r}"]
        rec[key] = value


def _fail(rec: dict[str, Any], error: str) -> dict[str, Any]:
    return {"file": rec["file"], "sha256": rec.get("sha256"), "error": error}
