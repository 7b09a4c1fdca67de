"""`xxgk build` over a corpus of bad files: one clear failure row per bad file, every good file
loaded, and an exit status that says some files failed."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "fixtures" / "invalid"
ENCODINGS = ROOT / "tests" / "fixtures" / "valid" / "encodings"
BAD = {"truncated.docx", "corrupt_document_xml.docx", "not_a_zip.docx", "zip_bomb.docx", "billion_laughs.docx",
       "empty.txt", "empty.docx", "binary_junk.txt", "fake.pdf", "huge.txt"}


def test_bad_files_fail_one_by_one_and_good_files_load(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(INVALID, reports)
    (reports / "README.md").unlink()
    for name in ("shitai_2024_utf16le_bom.txt", "shitai_2024_gbk.txt", "pingtan_2024_page_gbk.html"):
        shutil.copy(ENCODINGS / name, reports / name)
    with open(reports / "huge.txt", "wb") as fh:  # over the size limit, never read whole
        fh.truncate(200 * 1024 * 1024)
    warehouse = tmp_path / "warehouse.duckdb"
    out = subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--reports", str(reports),
                          "--warehouse", str(warehouse)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    failures = dict(con.execute("select file, error from raw.failures").fetchall())
    loaded = {f for (f,) in con.execute("select file from raw.reports").fetchall()}
    con.close()
    assert BAD <= set(failures), sorted(failures)
    assert all(error.startswith(file) for file, error in failures.items())
    assert {"shitai_2024_utf16le_bom.txt", "shitai_2024_gbk.txt", "pingtan_2024_page_gbk.html"} <= loaded
    duplicates = sorted(p.relative_to(reports).as_posix() for p in (reports / "duplicate").iterdir())
    assert sum(d in loaded for d in duplicates) == 1
    [second] = [d for d in duplicates if d not in loaded]
    assert "same content as" in failures[second]
    assert "limit" in failures["huge.txt"] and "limit" in failures["zip_bomb.docx"]
