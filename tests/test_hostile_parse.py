"""`xxgk parse` over the hostile corpus (tests/fixtures/invalid/README.md says what each file is).

Each bad file: exactly one JSON line, an error naming the problem, no traceback, exit status 1,
no /etc/passwd content, seconds and little memory. Good files in the same run still print records.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "tests" / "fixtures" / "invalid"
ENCODINGS = ROOT / "tests" / "fixtures" / "valid" / "encodings"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
XXGK = ROOT / ".venv" / "bin" / "xxgk"

# file -> what the error message must mention (case-insensitive regex)
MUST_FAIL: dict[str, str] = {
    "truncated.docx": r"zip|truncat|corrupt|docx",
    "corrupt_document_xml.docx": r"xml|corrupt|well-formed",
    "not_a_zip.docx": r"binary|not (a )?docx|zip|\.doc\b|word 97",
    "zip_bomb.docx": r"limit|too (large|big)|bomb|unpack|inflat|exceed",
    "billion_laughs.docx": r"entit|amplif|doctype|dtd|well-formed",
    "empty.txt": r"empty",
    "empty.docx": r"empty",
    "binary_junk.txt": r"binary|not (a )?(text|report)|encod",
    "fake.pdf": r"pdf",
    "glyph_bomb.pdf": r"page 1 has \d+ characters.*refused",
}
# the entity must never be resolved; an error must name the DTD, a record is tolerated
XXE = {"xxe_external_entity.docx", "xxe_external_entity.xhtml"}
XXE_ERROR = r"doctype|dtd|entit"
IGNORED = {"file", "sha256"}


def _passwd_markers() -> list[str]:
    try:
        lines = Path("/etc/passwd").read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    return ["root:x:0:0", "/bin/bash", "/usr/sbin/nologin"] + [ln for ln in lines[:3] if ln.strip()]


PASSWD = _passwd_markers()


def run_parse(*files: Path, cells: bool = True, timeout: float = 120) -> tuple[int, list[dict[str, Any]], str, int]:
    """(exit status, JSON lines, stderr, peak RSS of the child in KB)."""
    cmd = [str(XXGK), "parse", *(["--cells"] if cells else []), *map(str, files)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"xxgk parse did not finish in {timeout} s on {files}")
    text_out, text_err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    for marker in PASSWD:
        assert marker not in text_out and marker not in text_err, "/etc/passwd content leaked"
    assert "Traceback" not in text_err and "Traceback" not in text_out, text_err[-2000:]
    lines = [json.loads(line) for line in text_out.splitlines() if line.strip()]
    return proc.returncode, lines, text_err, _child_peak_rss_kb()


def _child_peak_rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _load_corpus_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _assert_error(rec: dict[str, Any], name: str, pattern: str) -> None:
    assert set(rec) >= {"file", "error"}, rec
    assert rec["file"].endswith(name)
    assert isinstance(rec["error"], str)
    message = rec["error"].replace(rec["file"], "")  # the file's own name must not count as naming the problem
    assert message.strip(" :"), rec
    assert "internal error" not in message, f"{name}: a parser bug, not a named problem: {message}"
    assert re.search(pattern, message, re.I), f"{name}: message does not name the problem: {message}"


def _strip(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in IGNORED}


@pytest.mark.parametrize("name", sorted(MUST_FAIL))
def test_bad_file_prints_one_error_line(name: str) -> None:
    started = time.monotonic()
    status, lines, _, _ = run_parse(INVALID / name)
    assert status == 1
    assert len(lines) == 1, lines
    _assert_error(lines[0], name, MUST_FAIL[name])
    assert time.monotonic() - started < 60


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    before = _child_peak_rss_kb()
    started = time.monotonic()
    status, lines, _, peak = run_parse(INVALID / "zip_bomb.docx", cells=False)
    assert status == 1 and "error" in lines[0]
    assert time.monotonic() - started < 30
    if before < 900 * 1024:  # the children's peak is cumulative: measurable only if lower so far
        assert peak < 900 * 1024, f"peak RSS {peak} KB: the bomb was inflated"


@pytest.mark.parametrize("name", sorted(XXE))
def test_external_entities_are_never_resolved(name: str) -> None:
    status, lines, _, _ = run_parse(INVALID / name)  # run_parse asserts nothing from /etc/passwd
    assert len(lines) == 1
    rec = lines[0]
    if "error" in rec:
        assert status == 1
        _assert_error(rec, name, XXE_ERROR)
    else:
        assert status == 0 and rec.get("table3"), rec


def test_truncated_html_is_an_error_or_names_what_is_missing() -> None:
    status, lines, _, _ = run_parse(INVALID / "truncated_table3.html")
    assert len(lines) == 1
    rec = lines[0]
    if "error" in rec:
        assert status == 1
        _assert_error(rec, "truncated_table3.html", r"truncat|incomplete|table 3|end|cut")
    else:
        warnings = " ".join(rec.get("warnings") or [])
        assert re.search(r"table 3", warnings, re.I), "Table 3 cut in half but no warning says so"
        assert re.search(r"table 4", warnings, re.I), "Table 4 missing but no warning says so"


def test_huge_file_is_refused_by_size(tmp_path: Path) -> None:
    huge = _load_corpus_script().make_huge(tmp_path / "huge.txt")
    assert huge.stat().st_size == 200 * 1024 * 1024
    started = time.monotonic()
    status, lines, _, _ = run_parse(huge, cells=False)
    assert status == 1 and len(lines) == 1
    _assert_error(lines[0], "huge.txt", r"limit|too (large|big)|size|exceed|MiB|MB")
    assert time.monotonic() - started < 30


def test_bad_and_good_files_in_one_run() -> None:
    bad = [INVALID / n for n in sorted(MUST_FAIL) if n != "fake.pdf"]
    good = sorted(ENCODINGS.glob("shitai_*.txt")) + sorted((INVALID / "duplicate").iterdir())
    status, lines, _, _ = run_parse(*bad, *good, cells=False)
    assert status == 1
    assert len(lines) == len(bad) + len(good)
    by_file = {Path(rec["file"]).name: rec for rec in lines}
    for path in bad:
        assert "error" in by_file[path.name], by_file[path.name]
    for path in good:
        rec = by_file[path.name]
        assert "error" not in rec and rec.get("table3"), rec


def _reference(name: str) -> Path:
    return CORPUS / "pingtan_2024_page.html" if name.startswith("pingtan") else ENCODINGS / "shitai_2024_utf8.txt"


@pytest.mark.parametrize("name", sorted(p.name for p in ENCODINGS.iterdir() if p.suffix in {".txt", ".html", ".xhtml"}))
def test_encodings_parse_like_the_utf8_original(name: str) -> None:
    reference = _reference(name)
    if not reference.exists():
        pytest.skip(f"{reference} missing")
    status, lines, _, _ = run_parse(ENCODINGS / name, reference, cells=False)
    assert len(lines) == 2
    got, want = lines
    assert "error" not in got, got["error"] if "error" in got else got
    assert status == 0
    assert _strip(got) == _strip(want)


def test_duplicates_parse_to_the_same_record_with_the_same_hash() -> None:
    a, b = sorted((INVALID / "duplicate").iterdir())
    status, lines, _, _ = run_parse(a, b, cells=False)
    assert status == 0 and len(lines) == 2
    assert lines[0]["sha256"] == lines[1]["sha256"]
    assert _strip(lines[0]) == _strip(lines[1])
