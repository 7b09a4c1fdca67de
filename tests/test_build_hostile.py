"""`xxgk build` over the shipped corpus plus every hostile entry (scripts/make_hostile_corpus.py):
one clear failure row per hostile entry, every good report loaded, names printed as they are
(never as rich markup), and a refresh that follows finds nothing changed."""
from __future__ import annotations

import sys
from pathlib import Path

from tests.warehouse_helpers import REPO, query, xxgk_into

sys.path.insert(0, str(REPO / "scripts"))
from make_hostile_corpus import COPIES, LOADED, SLOW, write_hostile_folder  # noqa: E402

FAST = {"XXGK_FILE_SECONDS": "8"}  # the slow files fail sooner; `make bench-hostile` uses the defaults


def test_every_hostile_entry_fails_alone_and_every_good_report_loads(tmp_path: Path) -> None:
    reports, warehouse = tmp_path / "reports", tmp_path / "warehouse.duckdb"
    expected = write_hostile_folder(reports)
    out = xxgk_into("build", reports, warehouse, env=FAST)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "MarkupError" not in out.stderr
    failures = dict(query(warehouse, "select file, error from raw.failures"))
    slow = {name: failures.pop(name) for name in SLOW if name in failures}
    assert set(failures) == set(expected), sorted(set(failures) ^ set(expected))
    for name, needle in expected.items():
        assert failures[name].startswith(f"{name}: ") and needle in failures[name], failures[name]
    assert "limit" in failures["zip_bomb.docx"] and all("time limit" in error for error in slow.values())
    shipped = {p.name for p in (REPO / "data" / "reports").iterdir() if p.suffix != ".csv"}
    loaded = dict(query(warehouse, "select file, copies from raw.reports where status = 'active'"))
    names = set(loaded) | {copy for copies in loaded.values() for copy in copies}
    must_load = shipped | LOADED | set(COPIES) | (SLOW - set(slow))
    assert must_load <= names, sorted(must_load - names)
    for copy, first in COPIES.items():
        assert copy in loaded[first]

    again = xxgk_into("refresh", reports, warehouse, env=FAST)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "0 new, 0 changed" in again.stdout and "nothing changed" in again.stdout
    assert dict(query(warehouse, "select file, error from raw.failures")) == {**failures, **slow}


def test_file_controlled_text_prints_as_it_is(tmp_path: Path) -> None:
    """D1: names and messages holding rich markup or terminal escapes are printed, not obeyed."""
    reports, warehouse = tmp_path / "reports", tmp_path / "warehouse.duckdb"
    (reports / "reports [draft]").mkdir(parents=True)
    (reports / "[").mkdir()
    (reports / "[bold]loud[").mkdir()
    junk = bytes(range(256)) * 8
    for name in ("reports [draft]/x.txt", "[/x.txt", "[bold]loud[/bold].txt", "\x1b[2Jclear.txt"):
        (reports / name).write_bytes(junk + name.encode())
    (reports / "part.docx").write_bytes((REPO / "tests" / "fixtures" / "invalid" / "markup_part_name.docx").read_bytes())
    out = xxgk_into("build", reports, warehouse, "--allow-empty")
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stdout + out.stderr
    for printed in ("failed: reports [draft]/x.txt: ", "failed: [/x.txt: ", "failed: [bold]loud[/bold].txt: ",
                    "failed: \\x1b[2Jclear.txt: ", "failed: part.docx: word/[/x].xml is not"):
        assert printed in out.stderr, out.stderr
    assert "\x1b" not in out.stderr
    assert query(warehouse, "select count(*) from raw.failures") == [(5,)]
