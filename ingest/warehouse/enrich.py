"""Give a parse record what the warehouse needs beyond the document: manifest facts and a region.

A record that cannot be placed (no body or year, an ambiguous body, a malformed manifest line
for its file) becomes a failure naming the file and the reason; the rest of the batch goes on.
"""
from __future__ import annotations

from ingest.extract.record import Failure, Record
from ingest.warehouse.manifest import Manifest, ManifestRow
from ingest.warehouse.regions import RegionError, resolve_region


class Enricher:
    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest

    def enrich(self, rec: Record | Failure) -> Record | Failure:
        """The record with its manifest facts and region (set on it), or a failure."""
        if isinstance(rec, Failure):
            return rec
        file = rec.file
        if file in self.manifest.errors:
            return Failure(file, rec.sha256, f"{file}: not loaded: {self.manifest.errors[file]}")
        row = self.manifest.rows.get(file)
        if row is not None:
            _apply(rec, row)
        if not rec.body_name or not rec.year:
            return Failure(file, rec.sha256, f"{file}: no body name or year in the title and none in the manifest")
        try:
            res = resolve_region(rec.body_name, row.region_code if row else None)
        except RegionError as exc:
            return Failure(file, rec.sha256, f"{file}: {exc}")
        rec.region_code = res.region_code
        rec.region_method, rec.region_matched = res.method, res.matched or None
        if res.method == "prefix":
            rec.warnings.append(f"region {res.region.describe()} matched only by the start of the body name "
                                f"({res.matched!r}); confirm it with region_code in manifest.csv")
        rec.source_url = row.source_url if row else None
        return rec


def _apply(rec: Record, row: ManifestRow) -> None:
    """Manifest values win over the title; a disagreement is kept as a warning."""
    for key, value in (("body_name", row.body_name), ("year", row.year)):
        if value in (None, ""):
            continue
        if getattr(rec, key) not in (None, value):
            rec.warnings.append(f"manifest {key} {value!r} used instead of the title's {getattr(rec, key)!r}")
        setattr(rec, key, value)
