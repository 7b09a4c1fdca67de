"""`xxgk report`: one self-contained Chinese page, opened in real headless Chromium with the
network cut off, as the office that receives it would open it (issue 10)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from tests.browser import open_page

ROOT = Path(__file__).resolve().parent.parent


def xxgk(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    if lang:
        env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, env=env)


def report(tmp_path: Path, warehouse: Path, *options: str, name: str = "r.html") -> Path:
    out = tmp_path / name
    proc = xxgk("report", "--warehouse", str(warehouse), "--out", str(out), *options)
    assert proc.returncode == 0, proc.stderr
    assert "report:" in proc.stdout or "报告" in proc.stdout
    return out


def marks(dom: str) -> list[str]:
    """The aria labels of the data marks Vega drew into the live DOM (one per point, bar, line)."""
    return re.findall(r'<path\b[^>]*\baria-label="([^"]*)"', dom)


def test_the_shipped_report_renders_in_chromium_with_charts_and_no_network(tmp_path: Path,
                                                                        shipped_warehouse: Path) -> None:
    page = report(tmp_path, shipped_warehouse)
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html)  # nothing to fetch
    loaded = open_page(page, tmp_path / "chromium", "report-shipped")
    assert loaded.requests == []
    assert 'data-charts-drawn="4"' in loaded.dom and 'data-charts-failed="0"' in loaded.dom, loaded.console
    drawn = marks(loaded.dom)
    assert any("平潭综合实验区" in m and "予以公开率" in m for m in drawn), drawn[:5]   # a body on a spread
    assert any("石台县人民政府" in m for m in drawn)
    assert any("2022" in m and "公开及部分公开率" in m for m in drawn)               # a point of the trend
    assert "<select" in loaded.dom and "石台县人民政府</option>" in loaded.dom          # the body picker
    for words in ("概况", "方法说明", "予以公开率", "正文与表格一致", "收到政府信息公开申请75件", "小样本"):
        assert words in loaded.dom, words
    assert not [c for c in loaded.console if "Uncaught" in c or "Error" in c]
    assert loaded.screenshot.stat().st_size > 50_000


def test_the_request_check_sees_a_page_that_reaches_out(tmp_path: Path) -> None:
    """The control: a page asking for a script and an image elsewhere is caught, though both fail."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><p>外链</p><img src="https://cdn.example.invalid/a.png">'
                    '<script src="https://cdn.example.invalid/vega.js"></script></body></html>', encoding="utf-8")
    loaded = open_page(page, tmp_path / "chromium", "leaky", height=300, budget_ms=3000)
    assert sorted(loaded.requests) == ["https://cdn.example.invalid/a.png", "https://cdn.example.invalid/vega.js"]


def _table_after(doc: lxml.html.HtmlElement, heading_id: str) -> list[list[str]]:
    table = doc.xpath(f"//h2[@id='{heading_id}']/following-sibling::table[1]")[0]
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td|th")] for tr in table.xpath(".//tr")]


def test_ranks_read_x_of_n_and_unranked_bodies_say_why(tmp_path: Path, readable_warehouse: Path) -> None:
    page = report(tmp_path, readable_warehouse, "--city", "341700", "--year", "2024")
    doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    rows = {r[1]: r for r in _table_after(doc, "disclosure_ratio")[1:]}
    assert rows["青阳县人民政府"][5] == "1 / 2" and rows["东至县人民政府"][5] == "2 / 2"  # 55/95 before 27/57
    assert "小样本" in rows["石台县人民政府"][7] and "19" in rows["石台县人民政府"][7]
    assert rows["贵池区人民政府"][2] == "0.0%" and "输入未通过审核" in rows["贵池区人民政府"][7]
    assert "同组没有其他可比机关" in rows["石台县财政局"][7]
    assert {"池州市 · 县级 · 人民政府", "池州市 · 县级 · 政府部门"} <= {r[0] for r in rows.values()}
    breaches = " ".join(" ".join(r) for r in _table_after(doc, "breaches"))
    assert "石台县教育局" in breaches and "20 ≠ 19" in breaches            # words 20, the table 19
    assert "跨年结转衔接" in breaches and "2023: 石台县民政局_2023.txt" in breaches  # the other year's cell and file
    method = " ".join(" ".join(r) for r in _table_after(doc, "method"))
    assert "予以公开 ÷ 办理结果总计" in method


def test_english_when_lang_says_so(tmp_path: Path, shipped_warehouse: Path) -> None:
    out = tmp_path / "en.html"
    proc = xxgk("report", "--warehouse", str(shipped_warehouse), "--out", str(out), lang="en_US.UTF-8")
    assert proc.returncode == 0 and proc.stdout.startswith("report:")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Methodology" in html and "予以公开率" in html  # data stays Chinese


@pytest.mark.parametrize(("options", "message"), [
    (["--city", "999999"], "不是"),
    (["--province", "350100"], "350100"),
    (["--year", "2020"], "2019, 2021, 2022, 2024"),
])
def test_a_selection_that_matches_nothing_is_a_clear_error(tmp_path: Path, shipped_warehouse: Path,
                                                           options: list[str], message: str) -> None:
    proc = xxgk("report", "--warehouse", str(shipped_warehouse), "--out", str(tmp_path / "x.html"), *options)
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.startswith("xxgk report:")
    assert not (tmp_path / "x.html").exists()


def test_files_are_refused_before_any_work(tmp_path: Path, shipped_warehouse: Path) -> None:
    (tmp_path / "old.html").write_text("old", encoding="utf-8")
    proc = xxgk("report", "--warehouse", str(shipped_warehouse), "--out", str(tmp_path / "old.html"))
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert (tmp_path / "old.html").read_text(encoding="utf-8") == "old"
    proc = xxgk("report", "--warehouse", str(shipped_warehouse), "--out", str(shipped_warehouse), "--force")
    assert proc.returncode == 2 and shipped_warehouse.stat().st_size > 100_000
    proc = xxgk("report", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x.html"))
    assert proc.returncode == 2 and "xxgk build" in proc.stderr
