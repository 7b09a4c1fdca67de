"""`xxgk docs --out DIR`: dbt's documentation of the warehouse as one offline HTML page, made
while another process holds the warehouse open for writing (the live file is only copied)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.warehouse_helpers import REPO


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=600)


def test_docs_is_one_offline_page_made_without_the_warehouse_lock(readable_warehouse: Path, tmp_path: Path) -> None:
    holder = duckdb.connect(str(readable_warehouse))  # a writable connection: DuckDB's lock is held
    try:
        proc = xxgk("docs", "--out", str(tmp_path / "docs"), "--warehouse", str(readable_warehouse))
    finally:
        holder.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["index.html"]
    page = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    for name in ("mart_check_findings", "mart_body_year_metrics", "disclosure_ratio_peers_in_city"):
        assert name in page
    assert json.dumps("予以公开率")[1:-1] in page  # column descriptions, JSON-escaped in the page
    assert re.findall(r"""<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?//""", page) == []
    assert '"send_anonymous_usage_stats": false' in page  # the page's own tracking stays off


def test_docs_without_a_warehouse_says_so(tmp_path: Path) -> None:
    proc = xxgk("docs", "--out", str(tmp_path / "docs"), "--warehouse", str(tmp_path / "missing.duckdb"))
    assert proc.returncode == 2
    assert "no warehouse" in proc.stderr and not (tmp_path / "docs").exists()
