"""Glued runs that the format's sums leave open are settled only by evidence, never by a pick:
a figure the narrative restates (NARRATIVE_MATCH), or another file of the same report."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from ingest.extract.settle import from_siblings, settle_batch
from ingest.parse import parse_file, parse_path

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
    assert "pingtan_2024_page.html" in settled["note"] and "same body name (region not resolved)" in settled["note"]
    [alone] = xxgk_parse(CORPUS / "pingtan_2024_flat.txt")
    assert docs(alone) == [None, None, None]


def test_a_file_of_another_year_is_no_sibling() -> None:
    flat = parse_path(CORPUS / "pingtan_2024_flat.txt")
    other = parse_path(CORPUS / "pingtan_2024_page.html")
    other.year = 2023
    assert settle_batch([flat, other]) == 0
    assert docs(flat.to_json()) == [None, None, None]


def test_a_body_of_the_same_name_in_another_region_is_no_sibling() -> None:
    """Two bodies are the same only with the same name and region (dbt's body_key): a page of
    平潭综合实验区 in another region settles nothing, one in the same region does."""
    flat = parse_path(CORPUS / "pingtan_2024_flat.txt")
    page = parse_path(CORPUS / "pingtan_2024_page.html")
    flat.region_code, page.region_code = "350128", "350100"
    assert settle_batch([flat, page]) == 0
    assert docs(flat.to_json()) == [None, None, None]
    page.region_code = "350128"
    assert settle_batch([flat, page]) == 1
    assert docs(flat.to_json()) == [62, 33, 440]


def test_siblings_that_disagree_or_give_no_split_settle_nothing() -> None:
    flat = parse_path(CORPUS / "pingtan_2024_flat.txt")
    one = {k: v for k, v in zip(DOCS, (62, 33, 440))}
    other = {k: v for k, v in zip(DOCS, (62, 334, 40))}
    none_of_them = {k: v for k, v in zip(DOCS, (6, 2, 33440))}
    assert from_siblings(copy.deepcopy(flat), [("a.html", one), ("b.html", other)]) == 0
    assert from_siblings(copy.deepcopy(flat), [("c.html", none_of_them)]) == 0
    assert from_siblings(copy.deepcopy(flat), [("d.html", {DOCS[0]: 62, DOCS[1]: None, DOCS[2]: 440})]) == 0
    assert from_siblings(flat, [("a.html", one), ("c.html", none_of_them)]) == 1
    assert docs(flat.to_json()) == [62, 33, 440] and flat.uncertain == []


def _ingest(tmp_path: Path, regions: tuple[str, str]) -> list[tuple]:
    """Load the flat text and the page of the 2024 report as one body name with the given
    regions, through the build's real ingest step into a real DuckDB file; the flat text's
    normative_docs cells as (code, value, note)."""
    import shutil

    import duckdb

    from ingest.warehouse import state
    from ingest.warehouse.build import ingest, look
    from ingest.warehouse.load import RawWriter, create_raw
    from ingest.warehouse.plan import plan
    from ingest.warehouse.progress import Progress

    folder = tmp_path / f"reports_{'_'.join(regions)}"
    folder.mkdir()
    files = ("pingtan_2024_flat.txt", "pingtan_2024_page.html")
    for name in files:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "manifest.csv").write_text("file,body_name,region_code,year,source_url\n" + "".join(
        f"{name},鼓楼区人民政府,{code},2024,\n" for name, code in zip(files, regions)), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / f"warehouse_{'_'.join(regions)}.duckdb"))
    try:
        create_raw(con, replace=True)
        now = look(folder, allow_empty=False)
        ingest(con, folder, plan(now, state.seen(con), full=True), now, Progress(), RawWriter(con))
        return con.execute("""SELECT c.row_code, c.value, c.note FROM raw.cells c JOIN raw.reports r USING (report_id)
            WHERE r.file = 'pingtan_2024_flat.txt' AND c.row_code LIKE 'normative_docs_%' ORDER BY 1""").fetchall()
    finally:
        con.close()


def test_the_build_settles_a_run_only_from_the_same_body_name_and_region(tmp_path: Path) -> None:
    """鼓楼区人民政府 of Fuzhou (350102) and of Nanjing (320106) are two bodies: the page of one
    never settles the other's glued run, nor does a note claim they are the same."""
    apart = _ingest(tmp_path, ("350102", "320106"))
    assert [value for _, value, _ in apart] == [None, None, None]
    assert not any("pingtan_2024_page.html" in note for _, _, note in apart)
    together = _ingest(tmp_path, ("350102", "350102"))
    assert [(code, value) for code, value, _ in together] == [
        ("normative_docs_in_force", 440), ("normative_docs_issued", 62), ("normative_docs_repealed", 33)]
    assert all("pingtan_2024_page.html" in note and "for the same body, year" in note for _, _, note in together)
