"""The refresh plan: what a build must do to make the warehouse a function of the folder.

A report version is its content (sha256): identical files under several names are one report
whose first name (in path order) is its `file` and the others its `copies`. The plan compares
what the folder holds now (`Now`) with what the warehouse was built from (`Seen`):

- a content the warehouse has active stays as it is, unless the manifest facts of its file
  changed or the parser's inputs did (then it is parsed again: "re-applied"), and takes the
  names it has now;
- a content that failed before, under the same names, fails again without being parsed, unless
  the manifest or the parser's inputs changed (then it is retried);
- every other content is parsed, once, under its first name;
- an active content no longer in the folder is `superseded` when one of its names now holds
  other bytes, else `withdrawn`;
- entries that are not read (links, devices, unreadable files) and manifest lines that name no
  file are failure rows of their own, rewritten only when their reason changes.

A build (`full`) is the same plan with every content parsed again.

A run that writes the warehouse also stores the fingerprint of the folder it was made from
(`Now.fingerprint`, raw.inputs row `folder`) beside the inputs' digests. Since the warehouse is
a function of the folder and the inputs, when all of them are the ones stored there is nothing
to do (`is_settled`, `settled`), and a refresh needs neither the warehouse's names nor the
manifest's lines to know it. When the manifest is the one the warehouse was made from, its rows
are taken from the warehouse (`take_stored_manifest`) rather than read again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from ingest.warehouse.manifest import MANIFEST_NAME, Facts, Manifest


@dataclass(frozen=True)
class Seen:
    """What the warehouse holds from its last run."""

    reports: dict[str, list[str]] = field(default_factory=dict)  # sha256 of an active report -> its names
    failures: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # file -> (sha256, error)
    manifest: dict[str, Facts] = field(default_factory=dict)  # file -> manifest facts applied
    inputs: dict[str, str] = field(default_factory=dict)  # input -> digest (see inputs.py)
    stored_manifest: list[tuple] | None = None  # raw.manifest's rows (None: stored without lines)


@dataclass(frozen=True)
class Now:
    """What the folder holds now."""

    digests: dict[str, str]  # readable report file -> sha256
    skipped: dict[str, str]  # entry not read -> why
    manifest: Manifest
    inputs: dict[str, str]

    @cached_property
    def fingerprint(self) -> str:
        """One digest of the folder's listing: each readable file and its digest, each skipped
        entry and why (the manifest is an input of its own)."""
        listing = json.dumps([list(self.digests.items()), list(self.skipped.items())], ensure_ascii=False)
        return hashlib.sha256(listing.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Plan:
    parse: list[str] = field(default_factory=list)  # first name of each content to parse
    names: dict[str, list[str]] = field(default_factory=dict)  # sha256 -> its names now, first first
    renamed: dict[str, list[str]] = field(default_factory=dict)  # kept active sha256 -> its new names
    superseded: list[str] = field(default_factory=list)  # sha256 of active reports now superseded
    withdrawn: list[str] = field(default_factory=list)  # sha256 of active reports now withdrawn
    keep_failures: list[str] = field(default_factory=list)  # files whose failure rows stay as they are
    new_failures: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # file -> (sha256, error)
    new: list[str] = field(default_factory=list)  # file names not seen before
    changed: list[str] = field(default_factory=list)  # file names whose bytes changed
    unchanged: list[str] = field(default_factory=list)
    reapplied: list[str] = field(default_factory=list)  # unchanged files parsed again (manifest, parser)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (new name, first name) of identical files
    inputs_changed: list[str] = field(default_factory=list)  # names of inputs (inputs.py) that changed
    dropped_failures: bool = False  # a failure row of the warehouse goes (its file left or is parsed)
    full: bool = False  # a build: everything parsed again

    @property
    def writes_reports(self) -> bool:
        """True when raw.reports changes."""
        return bool(self.parse or self.renamed or self.superseded or self.withdrawn)

    @property
    def is_noop(self) -> bool:
        """True when the warehouse would stay as it is but for the run history: nothing to
        parse, retire or rename, no failure row to add or drop, no input changed."""
        return not (self.full or self.writes_reports or self.new_failures or self.inputs_changed
                    or self.dropped_failures)

    @property
    def runs_dbt(self) -> bool:
        """True when the marts must be rebuilt: a build, a change of raw.reports or of the project."""
        return self.full or self.writes_reports or "dbt" in self.inputs_changed


FOLDER = "folder"  # the raw.inputs row holding the fingerprint of the folder of the last run


def is_settled(now: Now, recorded: dict[str, str]) -> bool:
    """True when the warehouse whose raw.inputs rows are `recorded` was made from this very
    folder (its fingerprint) with these very inputs."""
    return recorded == {**now.inputs, FOLDER: now.fingerprint}


def settled(now: Now, failures: list[str]) -> Plan:
    """The plan for a folder whose fingerprint is the one the warehouse was made from (its
    failure rows `failures`): nothing changed, every file unchanged, every failure row kept."""
    return Plan(unchanged=list(now.digests), keep_failures=failures)


def take_stored_manifest(now: Now, seen: Seen) -> None:
    """When the manifest's bytes, and the parser that reads them, are those the warehouse was
    made with, take its rows from the warehouse (raw.manifest) instead of reading its lines
    (Manifest.take): 100,000 lines take a second or two to check, and a refresh that parses one
    changed file needs only that file's row."""
    unchanged = all(seen.inputs.get(key) == now.inputs.get(key) for key in ("manifest", "parser"))
    if unchanged and seen.stored_manifest is not None:
        now.manifest.take(seen.stored_manifest)


def _static_failures(now: Now) -> dict[str, tuple[str | None, str]]:
    """Failure rows that need no parse: skipped entries, manifest lines naming no file."""
    out: dict[str, tuple[str | None, str]] = {rel: (None, f"{rel}: skipped: {why}") for rel, why in now.skipped.items()}
    if now.manifest.unattached:
        out[MANIFEST_NAME] = (now.manifest.sha256, "; ".join(now.manifest.unattached))
    return out


def _count_names(plan: Plan, now: Now, seen: Seen) -> None:
    before = {name: sha for sha, names in seen.reports.items() for name in names}
    before.update({name: sha for name, (sha, _) in seen.failures.items() if sha and name not in before})
    for name, sha in now.digests.items():
        if before.get(name) == sha:
            plan.unchanged.append(name)
        elif name in before or name in seen.failures:
            plan.changed.append(name)
        else:
            plan.new.append(name)


def _facts_moved(now: Now, seen: Seen, first: str, before: str) -> bool:
    """True when what the manifest says of the content's first file now is not what it said of
    its first file then. A manifest taken from the warehouse (take_stored_manifest: the same
    bytes, read by the same parser) says of each file what it said then: only a content whose
    first file changed needs the comparison (at 100,000 reports, 0.3 s saved per refresh)."""
    if now.manifest.taken and first == before:
        return False
    return now.manifest.facts(first) != seen.manifest.get(before)


def _needs_a_look(now: Now, seen: Seen, names: dict[str, list[str]], reparse: bool) -> dict[str, list[str]]:
    """The contents of `names` (sha256 -> names now) the plan must look at one by one. A content
    the warehouse holds active under the very same names, when the parser did not change and the
    manifest was taken from the warehouse (it says of each file what it said then), needs nothing:
    no parse, no rename, no copy (each of its names holds the bytes it held). Those are left out
    in one pass (at 100,000 reports, 0.1 s of the plan's loop saved)."""
    if reparse or not now.manifest.taken:
        return names
    active = seen.reports
    return {sha: these for sha, these in names.items() if active.get(sha) != these}


def plan(now: Now, seen: Seen, full: bool = False) -> Plan:
    out = Plan(inputs_changed=sorted(k for k, v in now.inputs.items() if seen.inputs.get(k) != v), full=full)
    reparse = full or "parser" in out.inputs_changed
    retry = reparse or "manifest" in out.inputs_changed
    for name, sha in sorted(now.digests.items()):
        if sha in out.names:
            out.names[sha].append(name)
        else:
            out.names[sha] = [name]
    _count_names(out, now, seen)
    fresh = set(out.new) | set(out.changed)
    for sha, names in _needs_a_look(now, seen, out.names, reparse).items():
        first = names[0]
        if len(names) > 1:
            out.copies.extend((name, first) for name in names[1:] if name in fresh)
        old = seen.reports.get(sha)
        if old is not None:
            if reparse or _facts_moved(now, seen, first, old[0]):
                out.parse.append(first)
                out.reapplied.extend(name for name in names if name not in fresh)
            elif names != old:
                out.renamed[sha] = names
        elif not retry and all(seen.failures.get(name, (None, ""))[0] == sha for name in names):
            out.keep_failures.extend(names)
        else:
            out.parse.append(first)
    gone = seen.reports.keys() - out.names.keys()
    for sha in [sha for sha in seen.reports if sha in gone] if gone else []:  # in the warehouse's order
        (out.superseded if any(name in now.digests for name in seen.reports[sha]) else out.withdrawn).append(sha)
    for file, failure in _static_failures(now).items():
        if not full and seen.failures.get(file) == failure:
            out.keep_failures.append(file)
        else:
            out.new_failures[file] = failure
    out.dropped_failures = not set(seen.failures) <= set(out.keep_failures)
    return out
