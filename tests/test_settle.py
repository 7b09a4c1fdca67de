"""Glued runs that the format's sums leave open are settled only by evidence, never by a pick:
a figure the narrative restates (NARRATIVE_MATCH), or another file of the same report."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from ingest.parse import parse_file
from ingest.extract.siblings import settle, settle_batch

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
DOCS = ["table2.normative_docs_issued", "table2.normative_docs_repealed", "table2.normative_docs_in_force"]


def xxgk_parse(*paths: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "ingest.cli", "parse", "--cells", *map(str, paths)],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def docs(rec: dict) -> list:
    return [rec["table2"][k.split(".")[1]] for k in DOCS]


def cell(rec: dict, row: str) -> dict:
    return next(c for c in rec["cells"] if c["table"] == 2 and c["row"] == row)


def test_a_narrative_figure_settles_the_one_split_that_agrees() -> None:
    # 行政规范性文件8855698 has 15 splits; the narrative says 现行有效…698件 and 制发…88件
    rec = parse_file(CORPUS / "pingtan_2022_flat.txt", with_cells=True)
    assert docs(rec) == [88, 55, 698]
    assert rec["uncertain"] == [] and rec["ambiguous"] == []
    note = cell(rec, "normative_docs_in_force")["note"]
    assert "8855698" in note and "现行有效行政规范性文件698件" in note
    assert any("the only one of 15 possible splits" in w for w in rec["warnings"])


def test_a_narrative_figure_that_narrows_but_does_not_decide_leaves_nulls() -> None:
    rec = parse_file(CORPUS / "pingtan_2024_flat.txt")  # 6233440, narrative: 制发…62件
    assert docs(rec) == [None, None, None]
    assert rec["uncertain"] == DOCS
    [amb] = rec["ambiguous"]
    assert amb["run"] == "6233440" and sorted(amb["options"]) == [[62, 3, 3440], [62, 33, 440], [62, 334, 40],
                                                                   [62, 3344, 0]]
    assert any("4 of them agree with the narrative" in w for w in rec["warnings"])
    traced = parse_file(CORPUS / "pingtan_2024_flat.txt", with_cells=True)
    open_cell = cell(traced, "normative_docs_repealed")
    assert (open_cell["value"], open_cell["raw"], open_cell["source"]) == (None, "6233440", "line 10")
    assert open_cell["note"] == "left unread: glued run '6233440' has 15 possible splits"


def test_a_narrative_figure_no_split_agrees_with_settles_nothing(tmp_path: Path) -> None:
    text = (CORPUS / "pingtan_2022_flat.txt").read_text(encoding="utf-8")
    assert text.count("现行有效行政规范性文件698件") == 1
    path = tmp_path / "misstated.txt"
    path.write_text(text.replace("现行有效行政规范性文件698件", "现行有效行政规范性文件699件")
                    .replace("制发的规范性文件88件", "制发的规范性文件87件"), encoding="utf-8")
    rec = parse_file(path)
    assert docs(rec) == [None, None, None] and rec["uncertain"] == DOCS
    assert len(rec["ambiguous"][0]["options"]) == 15  # all the splits stay open
    assert any("none of them agree with the narrative" in w for w in rec["warnings"])


def test_another_file_of_the_same_report_settles_the_run() -> None:
    flat, page = xxgk_parse(CORPUS / "pingtan_2024_flat.txt", CORPUS / "pingtan_2024_page.html")
    assert docs(flat) == docs(page) == [62, 33, 440]
    assert flat["uncertain"] == [] and flat["ambiguous"] == []
    settled = cell(flat, "normative_docs_repealed")
    assert settled["raw"] == "6233440" and settled["source"] == "line 10"
    assert "pingtan_2024_page.html" in settled["note"]
    [alone] = xxgk_parse(CORPUS / "pingtan_2024_flat.txt")
    assert docs(alone) == [None, None, None]


def test_a_file_of_another_year_is_no_sibling() -> None:
    flat = parse_file(CORPUS / "pingtan_2024_flat.txt")
    other = copy.deepcopy(parse_file(CORPUS / "pingtan_2024_page.html"))
    other["year"] = 2023
    assert settle_batch([flat, other]) == 0
    assert docs(flat) == [None, None, None]


def test_siblings_that_disagree_or_give_no_split_settle_nothing() -> None:
    flat = parse_file(CORPUS / "pingtan_2024_flat.txt")
    one = {k: v for k, v in zip(DOCS, (62, 33, 440))}
    other = {k: v for k, v in zip(DOCS, (62, 334, 40))}
    none_of_them = {k: v for k, v in zip(DOCS, (6, 2, 33440))}
    assert settle(copy.deepcopy(flat), [("a.html", one), ("b.html", other)]) == 0
    assert settle(copy.deepcopy(flat), [("c.html", none_of_them)]) == 0
    assert settle(copy.deepcopy(flat), [("d.html", {DOCS[0]: 62, DOCS[1]: None, DOCS[2]: 440})]) == 0
    assert settle(flat, [("a.html", one), ("c.html", none_of_them)]) == 1
    assert docs(flat) == [62, 33, 440]
