"""Only regular files inside the reports folder are read: every other entry is skipped with its
reason, and a read is bounded by what is read, not by what the file's size says."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ingest.parse import MAX_BYTES, parse_file
from ingest.warehouse.folder import UnreadableReport, digest_report, read_report, scan


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("a", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (root / ".hidden.txt").write_text("h", encoding="utf-8")
    (root / "manifest.csv").write_text("file\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    links = {"out.txt": "../outside.txt", "passwd.txt": "/etc/passwd", "zero.txt": "/dev/zero",
             "gone.txt": "missing.txt", "loop1.txt": "loop2.txt", "loop2.txt": "loop1.txt",
             "alias.txt": "sub/b.txt", "subdir": "sub", "parent": ".."}
    for name, target in links.items():
        os.symlink(target, root / name)
    return root.resolve()


def test_only_regular_files_are_listed_and_every_other_entry_says_why(folder: Path) -> None:
    listing = scan(folder)
    assert list(listing.files) == ["a.txt", "sub/b.txt"]
    why = listing.skipped
    assert "FIFO" in why["pipe.txt"]
    assert "outside the reports folder" in why["out.txt"] and "outside" in why["passwd.txt"]
    assert "/dev/zero" in why["zero.txt"] and "outside" in why["zero.txt"]
    assert "dangling" in why["gone.txt"]
    assert "loop" in why["loop1.txt"] and "loop" in why["loop2.txt"]
    assert "read under its own name" in why["alias.txt"] and "sub/b.txt" in why["alias.txt"]
    assert "folder" in why["subdir"] and "outside" in why["parent"]
    assert set(why) == {"pipe.txt", "out.txt", "passwd.txt", "zero.txt", "gone.txt", "loop1.txt",
                        "loop2.txt", "alias.txt", "subdir", "parent"}


def test_a_device_is_never_opened_as_a_report() -> None:
    with pytest.raises(UnreadableReport, match="character device"):
        read_report(Path("/dev"), "zero")
    with pytest.raises(UnreadableReport, match="character device"):
        digest_report(Path("/dev"), "zero")


def test_a_link_swapped_in_after_listing_is_not_followed(folder: Path, tmp_path: Path) -> None:
    (folder / "a.txt").unlink()
    os.symlink(tmp_path / "outside.txt", folder / "a.txt")
    with pytest.raises(UnreadableReport, match="symbolic link"):
        read_report(folder, "a.txt")


def test_a_folder_swapped_for_a_link_is_caught_on_the_open_file(folder: Path, tmp_path: Path) -> None:
    (folder / "sub" / "b.txt").unlink()
    (folder / "sub").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("not a report of this folder", encoding="utf-8")
    os.symlink(elsewhere, folder / "sub")
    with pytest.raises(UnreadableReport, match="outside the reports folder"):
        read_report(folder, "sub/b.txt")


def test_the_size_limit_holds_for_what_is_read(folder: Path) -> None:
    (folder / "big.txt").write_bytes(b"x" * 101)
    assert read_report(folder, "big.txt", limit=101) == b"x" * 101
    with pytest.raises(UnreadableReport, match="limit"):
        read_report(folder, "big.txt", limit=100)
    assert digest_report(folder, "big.txt", limit=100) == digest_report(folder, "big.txt", limit=100)


def test_xxgk_parse_reads_dev_zero_only_up_to_the_limit() -> None:
    """/dev/zero says its size is 0 and never ends: the read stops at the limit."""
    started = time.monotonic()
    rec = parse_file(Path("/dev/zero"))
    assert "error" in rec and f"more than {MAX_BYTES} bytes" in rec["error"]
    assert time.monotonic() - started < 30
