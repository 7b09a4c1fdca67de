"""The refresh plan (ingest.warehouse.plan) is a function of the folder and of what the warehouse
was built from: identical copies are one report, a changed manifest row or parser input re-applies
what it touches, failures are retried only when something they depend on changed."""
from __future__ import annotations

from pathlib import Path

from ingest.warehouse.manifest import Manifest, ManifestRow
from ingest.warehouse.plan import FOLDER, Now, Plan, Seen, is_settled, plan, settled

INPUTS = {"parser": "p1", "dbt": "d1", "manifest": ""}


def now(digests: dict[str, str], skipped: dict[str, str] | None = None, rows: Manifest | None = None,
        **inputs: str) -> Now:
    """The folder now; keyword arguments replace input digests (parser=, dbt=, manifest=)."""
    return Now(digests, skipped or {}, rows or Manifest(), {**INPUTS, **inputs})


def after(work: Plan, state: Now, failed: frozenset[str] = frozenset(), before: Seen = Seen()) -> Seen:
    """What the warehouse holds once `work` ran (the contents first named in `failed` failed)."""
    failures = {file: before.failures[file] for file in work.keep_failures}
    reports: dict[str, list[str]] = {}
    for sha, names in work.names.items():
        if names[0] in failed:
            failures.update({name: (sha, f"{name}: failed") for name in names})
        elif not set(names) & set(work.keep_failures):
            reports[sha] = names
    failures.update(work.new_failures)
    facts = {f: state.manifest.facts(f) for f in state.digests if state.manifest.facts(f) is not None}
    return Seen(reports, failures, facts, dict(state.inputs))


def test_identical_copies_are_one_report_parsed_once_and_stable() -> None:
    first = now({"a.txt": "X", "b.txt": "X", "c.txt": "Y"})
    work = plan(first, Seen())
    assert work.parse == ["a.txt", "c.txt"] and work.names["X"] == ["a.txt", "b.txt"]
    assert work.copies == [("b.txt", "a.txt")] and sorted(work.new) == ["a.txt", "b.txt", "c.txt"]
    again = plan(first, after(work, first))
    assert (again.parse, again.new, again.copies, again.writes_reports) == ([], [], [], False)
    assert sorted(again.unchanged) == ["a.txt", "b.txt", "c.txt"]


def test_a_copy_added_later_is_a_new_name_not_a_new_report() -> None:
    one = now({"a.txt": "X"})
    seen = after(plan(one, Seen()), one)
    two = now({"a.txt": "X", "z.txt": "X"})
    work = plan(two, seen)
    assert work.parse == [] and work.renamed == {"X": ["a.txt", "z.txt"]} and work.new == ["z.txt"]
    assert plan(two, after(work, two)).writes_reports is False


def test_removing_the_first_name_keeps_the_report_under_the_other() -> None:
    both = now({"a.txt": "X", "b.txt": "X"})
    work = plan(now({"b.txt": "X"}), after(plan(both, Seen()), both))
    assert work.withdrawn == [] and work.parse == [] and work.renamed == {"X": ["b.txt"]}


def test_edited_file_supersedes_deleted_file_withdraws() -> None:
    start = now({"a.txt": "X", "b.txt": "Y"})
    work = plan(now({"a.txt": "X2"}), after(plan(start, Seen()), start))
    assert work.superseded == ["X"] and work.withdrawn == ["Y"] and work.parse == ["a.txt"]
    assert work.changed == ["a.txt"]


def test_a_failed_file_is_not_parsed_again_until_its_bytes_or_inputs_change() -> None:
    start = now({"bad.txt": "B", "ok.txt": "K"})
    seen = after(plan(start, Seen()), start, failed=frozenset({"bad.txt"}))
    again = plan(start, seen)
    assert again.parse == [] and again.keep_failures == ["bad.txt"] and again.unchanged == ["bad.txt", "ok.txt"]
    assert plan(now({"bad.txt": "B", "ok.txt": "K"}, parser="p2"), seen).parse == ["bad.txt", "ok.txt"]
    assert plan(now({"bad.txt": "B", "ok.txt": "K"}, manifest="m2"), seen).parse == ["bad.txt"]


def test_a_failure_without_sha256_is_not_new_forever() -> None:
    """A file that could not be read has no digest: its row is rewritten only when its reason changes."""
    start = now({"ok.txt": "K"}, skipped={"locked.txt": "cannot read: Permission denied"})
    work = plan(start, Seen())
    assert work.new_failures == {"locked.txt": (None, "locked.txt: skipped: cannot read: Permission denied")}
    seen = after(work, start)
    again = plan(start, seen)
    assert again.new_failures == {} and again.keep_failures == ["locked.txt"] and again.new == []
    assert plan(start, after(again, start, before=seen)).keep_failures == ["locked.txt"]
    readable = plan(now({"ok.txt": "K", "locked.txt": "L"}), seen)
    assert readable.parse == ["locked.txt"] and readable.changed == ["locked.txt"]


def test_a_changed_manifest_row_reapplies_only_its_file() -> None:
    def manifest(year: int) -> Manifest:
        return Manifest(Path("manifest.csv"), {"a.txt": ManifestRow("a.txt", "石台县人民政府", "341722", year, None, 2)},
                        sha256=f"m{year}")
    start = now({"a.txt": "X", "b.txt": "Y"}, rows=manifest(2023), manifest="m2023")
    seen = after(plan(start, Seen()), start)
    assert plan(start, seen).parse == []
    edited = Now(start.digests, {}, manifest(2024), {**INPUTS, "manifest": "m2024"})
    work = plan(edited, seen)
    assert work.parse == ["a.txt"] and work.reapplied == ["a.txt"] and work.unchanged == ["a.txt", "b.txt"]
    broken = Now(start.digests, {}, Manifest(Path("manifest.csv"), errors={"a.txt": "manifest.csv:2: bad year"},
                                             sha256="m-bad"), {**INPUTS, "manifest": "m-bad"})
    assert plan(broken, seen).parse == ["a.txt"]


def test_a_taken_manifest_still_reapplies_a_content_that_moved_to_a_file_with_other_facts() -> None:
    # a manifest taken from the warehouse says of each file what it said then, so the plan does
    # not compare an unmoved file's facts; a content whose first file changed is compared
    rows = {"a.txt": ManifestRow("a.txt", "石台县人民政府", "341722", 2023, None, 2),
            "b.txt": ManifestRow("b.txt", "东至县人民政府", "341721", 2023, None, 3)}
    stored = Manifest(Path("manifest.csv"), rows, sha256="m1").stored_rows()
    start = now({"a.txt": "X", "c.txt": "Y"}, rows=Manifest(Path("manifest.csv"), rows, sha256="m1"), manifest="m1")
    seen = after(plan(start, Seen()), start)

    def taken(digests: dict[str, str]) -> Now:
        manifest = Manifest(Path("manifest.csv"), sha256="m1", lines=["file"])
        manifest.take(stored)
        return Now(digests, {}, manifest, {**INPUTS, "manifest": "m1"})

    assert plan(taken({"a.txt": "X", "c.txt": "Y"}), seen).parse == []
    moved = plan(taken({"b.txt": "X", "c.txt": "Y"}), seen)
    assert moved.parse == ["b.txt"] and moved.new == ["b.txt"]


def test_a_manifest_line_naming_no_file_is_a_failure_of_the_manifest() -> None:
    state = Now({"a.txt": "X"}, {}, Manifest(Path("m"), unattached=["m:3: empty 'file'"], sha256="m1"),
                {**INPUTS, "manifest": "m1"})
    work = plan(state, Seen())
    assert work.new_failures == {"manifest.csv": ("m1", "m:3: empty 'file'")}
    assert plan(state, after(work, state)).keep_failures == ["manifest.csv"]


def test_a_build_parses_everything_and_rewrites_every_failure() -> None:
    start = now({"a.txt": "X"}, skipped={"link": "dangling"})
    seen = after(plan(start, Seen()), start)
    work = plan(start, seen, full=True)
    assert work.parse == ["a.txt"] and work.keep_failures == [] and "link" in work.new_failures


def test_changed_dbt_inputs_alone_parse_nothing() -> None:
    start = now({"a.txt": "X"})
    work = plan(now({"a.txt": "X"}, dbt="d2"), after(plan(start, Seen()), start))
    assert work.parse == [] and work.inputs_changed == ["dbt"] and not work.writes_reports and work.runs_dbt
    assert not plan(start, after(work, start)).runs_dbt


def test_the_fingerprint_follows_every_name_digest_and_skip_reason() -> None:
    base = now({"a.txt": "X", "b.txt": "Y"}, {"c.txt": "a FIFO"})
    variants = [now({"a.txt": "X", "b.txt": "Z"}, {"c.txt": "a FIFO"}),  # other bytes
                now({"a.txt": "X", "d.txt": "Y"}, {"c.txt": "a FIFO"}),  # a rename
                now({"a.txt": "X", "b.txt": "Y"}, {"c.txt": "a socket"}),  # another reason to skip
                now({"a.txt": "X", "b.txt": "Y"}, {}),
                now({"a.txtb.txt": "X", "": "Y"}, {"c.txt": "a FIFO"})]  # no two listings run together
    prints = {state.fingerprint for state in variants}
    assert len(prints) == len(variants) and base.fingerprint not in prints
    assert now({"a.txt": "X", "b.txt": "Y"}, {"c.txt": "a FIFO"}).fingerprint == base.fingerprint


def test_a_folder_is_settled_only_with_its_fingerprint_and_the_same_inputs() -> None:
    state = now({"a.txt": "X", "b.txt": "X"}, {"c.txt": "a FIFO"})
    recorded = {**INPUTS, FOLDER: state.fingerprint}
    assert is_settled(state, recorded)
    assert not is_settled(now({"a.txt": "X"}, {"c.txt": "a FIFO"}), recorded)
    assert not is_settled(now({"a.txt": "X", "b.txt": "X"}, {"c.txt": "a FIFO"}, dbt="d2"), recorded)
    assert not is_settled(state, INPUTS)  # a warehouse made before fingerprints: the whole plan
    work = settled(state, ["c.txt"])
    assert work.is_noop and not work.runs_dbt and work.unchanged == ["a.txt", "b.txt"]
    assert work.keep_failures == ["c.txt"]


def test_a_taken_manifest_plans_every_change_as_the_read_one_does() -> None:
    # the plan leaves out in bulk the contents held under the very same names when the manifest
    # is taken from the warehouse: what is left out must be exactly what needed nothing
    rows = {name: ManifestRow(name, f"body {name}", "341722", 2023, None, line)
            for line, name in enumerate(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"], start=2)}

    def state(digests: dict[str, str], taken: bool) -> Now:
        manifest = Manifest(Path("manifest.csv"), dict(rows), sha256="m1")
        if taken:
            manifest = Manifest(Path("manifest.csv"), sha256="m1", lines=["file"])
            manifest.take(Manifest(Path("manifest.csv"), dict(rows), sha256="m1").stored_rows())
        return Now(digests, {}, manifest, {**INPUTS, "manifest": "m1"})

    start = {"a.txt": "X", "b.txt": "X", "c.txt": "Y", "d.txt": "Z", "e.txt": "W", "f.txt": "F"}
    seen = after(plan(state(start, False), Seen()), state(start, False),
                 failed=frozenset({"f.txt"}))
    changes = [{**start},
               {**start, "d.txt": "Z2"},  # other bytes
               {**start, "e.txt": "X"},  # a third name of a content
               {**start, "g.txt": "Y"},  # a copy under a new name
               {k: v for k, v in start.items() if k != "a.txt"},  # the first name gone
               {k: v for k, v in start.items() if k != "b.txt"},  # a copy gone
               {k: v for k, v in start.items() if k != "c.txt"},  # withdrawn
               {**{k: v for k, v in start.items() if k != "c.txt"}, "h.txt": "Y"},  # moved
               {**start, "c.txt": "Z", "d.txt": "Y"},  # two names swap their bytes
               {**start, "f.txt": "F2"}]  # a failed file edited
    for digests in changes:
        for full in (False, True):
            assert vars(plan(state(digests, True), seen, full)) == vars(plan(state(digests, False), seen, full)), digests
    assert plan(state({**start, "g.txt": "Y"}, True), seen).renamed == {"Y": ["c.txt", "g.txt"]}
