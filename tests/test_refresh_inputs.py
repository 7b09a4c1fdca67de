"""A refresh treats the manifest and the seeds as inputs like the report files (issue 9, D6, D8):
a changed manifest row re-applies its file, a failed file is retried when the manifest or the
parser's seeds change, a changed dbt project reruns dbt; a malformed manifest line fails the file
it names (naming the line), a row naming a missing file is a warning, never a silent drop."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ingest.warehouse import inputs
from ingest.warehouse.manifest import Manifest
from tests.warehouse_helpers import REPO, make_project, query, xxgk_into

CORPUS = REPO / "data" / "reports"
PINGTAN, SHITAI = "pingtan_2021_flat.txt", "shitai_2024_word_paste.txt"
HEADER = "file,body_name,region_code,year,source_url\n"
URL = "https://www.pingtan.gov.cn/a.htm"


def setup(tmp_path: Path, manifest: str) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(CORPUS / PINGTAN, reports / PINGTAN)
    text = (CORPUS / SHITAI).read_text(encoding="utf-8")
    (reports / "gulou.txt").write_text(text.replace("石台县", "鼓楼区"), encoding="utf-8")  # 鼓楼区 is in four cities
    (reports / "manifest.csv").write_text(HEADER + manifest, encoding="utf-8")
    return reports, tmp_path / "w.duckdb"


def set_input(warehouse: Path, name: str, digest: str) -> None:
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE raw.inputs SET sha256 = ? WHERE input = ?", [digest, name])
    con.close()


def test_manifest_changes_reapply_their_rows_and_retry_failures(tmp_path: Path) -> None:
    reports, warehouse = setup(tmp_path, f"{PINGTAN},平潭综合实验区,350128,2021,{URL}\n")
    out = xxgk_into("build", reports, warehouse)
    assert out.returncode == 1 and "gulou.txt" in out.stderr and "鼓楼区" in out.stderr
    assert xxgk_into("refresh", reports, warehouse).stdout.count("nothing changed") == 1
    (reports / "manifest.csv").write_text(HEADER + f"{PINGTAN},平潭综合实验区,350128,2021,{URL}?v=2\n"
                                          "gulou.txt,鼓楼区人民政府,350102,2024,\n", encoding="utf-8")
    out = xxgk_into("refresh", reports, warehouse)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 new, 0 changed, 2 unchanged" in out.stdout and "parsed again (manifest changed)" in out.stdout
    assert query(warehouse, "select file, region_code, source_url from fct_report order by file") == [
        ("gulou.txt", "350102", None), (PINGTAN, "350128", f"{URL}?v=2")]
    assert query(warehouse, "select count(*) from raw.failures") == [(0,)]
    assert "nothing changed" in xxgk_into("refresh", reports, warehouse).stdout


def test_changed_parser_or_dbt_inputs_are_applied_by_a_refresh(tmp_path: Path) -> None:
    reports, warehouse = setup(tmp_path, f"{PINGTAN},,350128,,\n")
    assert xxgk_into("build", reports, warehouse).returncode == 1
    loaded = query(warehouse, "select loaded_at from raw.reports")
    set_input(warehouse, "dbt", "an older project")
    out = xxgk_into("refresh", reports, warehouse)
    assert out.returncode == 1 and "nothing changed" not in out.stdout, out.stdout + out.stderr
    assert query(warehouse, "select loaded_at from raw.reports") == loaded, "a project change parses nothing"
    set_input(warehouse, "parser", "an older parser")
    out = xxgk_into("refresh", reports, warehouse)
    assert out.returncode == 1 and "1 unchanged files parsed again (parser changed)" in out.stdout
    assert "gulou.txt" in out.stderr, "the failed file is retried"
    assert query(warehouse, "select sha256 from raw.inputs where input = 'parser'") != [("an older parser",)]


def test_input_digests_follow_the_seeds_that_feed_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    before = inputs.current(Manifest(), project)
    with open(project / "seeds" / "corrections.csv", "a", encoding="utf-8") as fh:
        fh.write("x.txt,,3,granted,total,1,misprint,letter\n")
    dbt_only = inputs.current(Manifest(), project)
    assert dbt_only["parser"] == before["parser"] and dbt_only["dbt"] != before["dbt"]
    with open(project / "seeds" / "label_variants.csv", "a", encoding="utf-8") as fh:
        fh.write("3,granted,予以公开（含部分）,\n")
    assert inputs.current(Manifest(), project)["parser"] != before["parser"]


def test_every_seed_the_parser_reads_is_marked_as_its_input() -> None:
    """A seed named in the parser's code but not marked parser_input would change parses unseen."""
    marked = {p.name for p in inputs.parser_seeds()}
    seeds = {p.name for p in (REPO / "seeds").glob("*.csv")}
    named = {name for name in seeds for source in (REPO / "ingest").rglob("*.py")
             if f'"{name}"' in source.read_text(encoding="utf-8") and "warehouse/inputs" not in str(source)}
    assert named <= marked, sorted(named - marked)


def test_malformed_manifest_lines_fail_their_file_and_say_the_line(tmp_path: Path) -> None:
    reports, warehouse = setup(tmp_path, f"{PINGTAN},平潭综合实验区,350128,20x1,\n"
                                         "gulou.txt,鼓楼区人民政府,350102,2024,\n"
                                         "missing.pdf,,,,\n"
                                         ",石台县人民政府,,,\n")
    out = xxgk_into("build", reports, warehouse)
    assert out.returncode == 1, out.stdout + out.stderr
    failures = dict(query(warehouse, "select file, error from raw.failures"))
    assert set(failures) == {PINGTAN, "manifest.csv"}
    assert "manifest.csv:2: year '20x1'" in failures[PINGTAN] and "manifest.csv:5: empty 'file'" in failures["manifest.csv"]
    assert "manifest.csv:4: names missing.pdf, which is not in the reports folder" in out.stderr
    assert query(warehouse, "select file, region_code from fct_report") == [("gulou.txt", "350102")]


def test_an_unreadable_manifest_stops_the_run_and_keeps_the_warehouse(tmp_path: Path) -> None:
    reports, warehouse = setup(tmp_path, "gulou.txt,鼓楼区人民政府,350102,2024,\n")
    assert xxgk_into("build", reports, warehouse).returncode == 0
    (reports / "manifest.csv").write_text("file,regioncode\ngulou.txt,350102\n", encoding="utf-8")
    before = query(warehouse, "select * from fct_report")
    out = xxgk_into("refresh", reports, warehouse)
    assert out.returncode == 2 and "manifest.csv:1: unknown column(s) 'regioncode'" in out.stderr
    assert len(out.stderr.splitlines()) == 1 and query(warehouse, "select * from fct_report") == before


def test_an_unchanged_manifest_is_taken_from_the_warehouse_not_read_again(tmp_path: Path) -> None:
    reports, warehouse = setup(tmp_path, "gulou.txt,鼓楼区人民政府,350102,2024,\nmissing.pdf,,,,\n,石台县人民政府,,,\n")
    assert xxgk_into("build", reports, warehouse).returncode == 1
    stored = query(warehouse, "select * from raw.manifest order by line")
    assert [row[-1] for row in stored] == [2, 3, 4]
    con = duckdb.connect(str(warehouse))  # what the refresh takes instead of the manifest's lines
    con.execute("UPDATE raw.manifest SET source_url = 'stored' WHERE file = 'gulou.txt'")
    con.close()
    with (reports / "gulou.txt").open("a", encoding="utf-8") as f:
        f.write("\n")
    out = xxgk_into("refresh", reports, warehouse)
    assert "0 new, 1 changed" in out.stdout and "manifest.csv:3: names missing.pdf" in out.stderr
    assert query(warehouse, "select region_code, source_url from fct_report where file = 'gulou.txt'") == [("350102", "stored")]
    assert query(warehouse, "select file, error from raw.failures") == [("manifest.csv", stored[-1][-2])]
    con = duckdb.connect(str(warehouse))  # a warehouse made before lines were kept: the lines are read
    con.execute("ALTER TABLE raw.manifest DROP COLUMN line")
    con.close()
    with (reports / "gulou.txt").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert "0 new, 1 changed" in xxgk_into("refresh", reports, warehouse).stdout
    assert query(warehouse, "select source_url, line from raw.manifest where file = 'gulou.txt'") == [(None, 2)]
    assert query(warehouse, "select source_url from fct_report where file = 'gulou.txt'") == [(None,)]
