"""Where `xxgk query` reads its SQL (issue 10): the argument, `-f FILE.sql`, standard input, or one of
`analyses/` rendered against the warehouse; `xxgk --version`; TSV when the output is a pipe."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.query.catalog import Catalog
from ingest.query.session import connect_read_only
from ingest.query.source import ANALYSES, UsageError, analysis_names, render_analysis
from tests.query_helpers import Terminal, make_warehouse, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")


def xxgk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


def test_sql_from_a_file(warehouse: Path, tmp_path: Path) -> None:
    sql = tmp_path / "q.sql"
    sql.write_text("-- 各年报告\nselect year\nfrom reports\norder by year;\n", encoding="utf-8-sig")  # Windows editors add a BOM
    assert run(warehouse, "-f", str(sql), "--csv") == (0, "year\n2022\n2023\n2024\n")


def test_sql_from_standard_input(warehouse: Path) -> None:
    assert run(warehouse, "--csv", stdin="select count(*) as n from reports") == (0, "n\n3\n")
    assert run(warehouse, "-f", "-", "--csv", stdin="select 1 as one") == (0, "one\n1\n")


def test_the_sql_argument_is_still_read(warehouse: Path) -> None:
    assert run(warehouse, "select 2 as two", "--csv") == (0, "two\n2\n")


def test_a_file_is_checked_like_any_sql(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = tmp_path / "q.sql"
    sql.write_text("select 1;\ndrop table reports;\n", encoding="utf-8")
    assert run(warehouse, "-f", str(sql))[0] == 1
    assert "refused: 2 statements" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (("select 1", "-f", "q.sql"), "give the SQL one way only"),
    (("select 1", "--analysis", "bodies_breaking_rules"), "give the SQL one way only"),
    (("-f", "missing.sql"), "cannot read missing.sql"),
    (("--analysis", "no_such_analysis"), "no analysis 'no_such_analysis'; available: bodies_breaking_rules, "),
    (("--analysis", "../README"), "no analysis '../README'"),
])
def test_usage_errors_exit_2(argv: tuple[str, ...], message: str, warehouse: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, *argv)[0] == 2
    assert message in capsys.readouterr().err


def test_no_sql_on_a_terminal_is_a_usage_error(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ingest.query import query_command
    from tests.query_helpers import query_args

    assert query_command(query_args(warehouse), out=Terminal(), stdin=Terminal()) == 2
    assert "no SQL given" in capsys.readouterr().err


def test_an_unknown_analysis_lists_every_one(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, "--analysis", "nope")[0] == 2
    err = capsys.readouterr().err
    assert analysis_names() and all(name in err for name in analysis_names())
    assert analysis_names() == sorted(p.stem for p in ANALYSES.glob("*.sql"))


def _render(folder: Path, warehouse: Path, name: str) -> str:
    con = connect_read_only(warehouse)
    try:
        return render_analysis(name, Catalog.read(con), folder)
    finally:
        con.close()


def test_an_analysis_ref_names_the_schema_the_model_is_in(warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("{{ config(tags=['x']) }}select * from {{ ref('metrics') }}, {{ ref('xxgk', 'reports') }}"
                                    " where year > {{ var('since', 2020) }}", encoding="utf-8")
    assert _render(tmp_path, warehouse, "a") == 'select * from "reference"."metrics", "main"."reports" where year > 2020'


@pytest.mark.parametrize(("text", "message"), [
    ("select * from {{ ref('mart_nowhere') }}", "ref('mart_nowhere'): no such table or view in the warehouse"),
    ("select {{ my_macro() }}", "'my_macro' is undefined; xxgk query renders ref, source, var and config only"),
    ("select {{ var('since') }}", "var('since') has no default"),
    ("select {{ ''.__class__.__mro__ }}", "__class__"),
])
def test_what_an_analysis_cannot_render_is_named(text: str, message: str, warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=None) as info:
        _render(tmp_path, warehouse, "a")
    assert message in str(info.value)


def test_piped_output_is_tsv_and_version_is_printed(warehouse: Path) -> None:
    piped = xxgk("query", "select id, body_name from reports order by id limit 2", "--warehouse", str(warehouse))
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == "id\tbody_name\n1\t石台县人民政府\n2\t平潭综合实验区\n"
    as_json = xxgk("query", "--warehouse", str(warehouse), "--json", stdin="select 1 as one")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == {"one": 1}
    version = xxgk("--version")
    assert version.returncode == 0 and version.stdout.startswith("xxgk 0.")
