"""`xxgk query`: only a single read-only query gets through, and DuckDB could not do harm anyway."""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingest.query import QueryError, Refused, check_sql, connect_read_only, query_command, run_query

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""create table reports as select * from (values
        (1, '石台县人民政府', 2024, 19.50::decimal(10,2), date '2025-01-20'),
        (2, '平潭综合实验区', 2023, null, date '2024-03-01'),
        (3, '某某县', 2022, 0.00::decimal(10,2), null)) t(id, body_name, year, fees, published)""")
    con.execute("create table cells as select * from (values (1, 'table3', 19), (2, 'table3', 218)) t(report_id, tbl, value)")
    con.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _args(warehouse: Path, sql: str, **kw: object) -> argparse.Namespace:
    base = {"sql": sql, "warehouse": str(warehouse), "dialect": "duckdb", "csv": False, "json": False, "xlsx": None}
    base.update(kw)
    return argparse.Namespace(**base)


def _run(warehouse: Path, sql: str, **kw: object) -> tuple[int, str]:
    out = io.StringIO()
    return query_command(_args(warehouse, sql, **kw), out=out), out.getvalue()


REFUSED = {
    "drop table reports": "DROP statement",
    "DROP TABLE IF EXISTS reports CASCADE": "DROP statement",
    "copy reports to '/tmp/leak.csv'": "COPY statement",
    "copy (select * from reports) to '/tmp/leak.parquet' (format parquet)": "COPY statement",
    "attach '/tmp/other.duckdb' as other": "ATTACH statement",
    "install httpfs": "INSTALL statement",
    "load httpfs": "LOAD statement",
    "set enable_external_access = true": "SET statement",
    "pragma version": "PRAGMA statement",
    "create table x as select 1": "CREATE statement",
    "insert into reports values (9, 'x', 1, 1, null)": "INSERT statement",
    "update reports set year = 1": "UPDATE statement",
    "delete from reports": "DELETE statement",
    "export database '/tmp/dump'": "EXPORT statement",
    "call pragma_version()": "CALL statement",
    "checkpoint": "CHECKPOINT statement",
    "vacuum": "VACUUM statement",
    "begin transaction": "TRANSACTION statement",
    "select 1; drop table reports": "2 statements",
    "select 1 /* harmless? */; drop table reports": "2 statements",
    "select 1; -- a comment\ndrop table reports": "2 statements",
    "select 1;\n/* hide */ delete from reports; select 2": "3 statements",
    "with d as (delete from reports returning *) select * from d": "DELETE statement inside the query",
    "select * from read_text('/etc/passwd')": "table function read_text reads files",
    "select * from read_blob('/etc/passwd')": "table function read_blob reads files",
    "select * from read_csv('/etc/passwd')": "table function read_csv reads files",
    "select * from read_csv_auto('/etc/passwd')": "table function read_csv_auto reads files",
    "select * from parquet_scan('/tmp/x.parquet')": "table function parquet_scan reads files",
    "select * from glob('/etc/*')": "table function glob reads files",
    "select * from sniff_csv('/etc/passwd')": "table function sniff_csv reads files",
    "select * from reports, lateral read_text('/etc/passwd')": "table function read_text reads files",
    "select (select content from read_text('/etc/passwd'))": "table function read_text reads files",
    "select * from main.read_text('/etc/passwd')": "table function read_text reads files",
    "select * from '/etc/passwd'": "looks like a file path",
    "select * from \"/etc/passwd\"": "looks like a file path",
    "select * from 'https://example.com/data.csv'": "looks like a file path",
    "from 'reports.csv'": "looks like a file path",
    "select * from query('select 1')": "function query runs SQL from a string",
    "select * from query_table('reports')": "function query_table runs SQL from a string",
    "select * into copy_of_reports from reports": "INTO statement inside the query",
}


@pytest.mark.parametrize("sql", list(REFUSED))
def test_refused_by_the_guard(sql: str) -> None:
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert str(info.value).startswith("refused: ")
    assert REFUSED[sql] in str(info.value)


@pytest.mark.parametrize("sql", list(REFUSED))
def test_refused_statements_leave_the_warehouse_untouched(sql: str, warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(warehouse)
    status, out = _run(warehouse, sql)
    assert status == 1 and out == ""
    err = capsys.readouterr().err
    assert "refused: " in err and REFUSED[sql] in err
    assert _digest(warehouse) == before


@pytest.mark.parametrize("sql", [
    "select * from reports",
    "SELECT body_name FROM reports WHERE year = 2024",
    "with r as (select * from reports) select count(*) from r",
    "select id from reports union all select report_id from cells",
    "select id from reports intersect select report_id from cells",
    "select id from reports except select report_id from cells",
    "from reports",
    "values (1, 'a')",
    "describe reports",
    "show tables",
    "summarize reports",
    "select 1 -- ; drop table reports",
    "select 1 /* ; drop table reports */;",
    "select ';drop table reports' as s",
    "select * from range(3)",
    "select r.body_name, sum(c.value) from reports r join cells c on c.report_id = r.id group by all",
    "select current_setting('enable_external_access') as ext",
])
def test_queries_pass(sql: str, warehouse: Path) -> None:
    assert run_query(warehouse, check_sql(sql)).columns


def test_external_access_is_off_inside_duckdb(warehouse: Path) -> None:
    result = run_query(warehouse, check_sql("select current_setting('enable_external_access')"))
    assert result.rows == [(False,)]


@pytest.mark.parametrize("sql", [
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('/etc/passwd')",
    "select * from glob('/etc/*')",
    "select * from '/etc/passwd'",
    "select * from 'https://example.com/x.csv'",
    "select * from query('select * from read_text(''/etc/passwd'')')",
    "copy reports to '{tmp}/out.csv'",
    "copy (select 1) to '{tmp}/out.parquet' (format parquet)",
    "export database '{tmp}/dump'",
    "attach '{tmp}/other.duckdb' as other",
    "create table x as select 1",
    "insert into reports values (9, 'x', 1, 1, null)",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "set lock_configuration = false",
])
def test_duckdb_itself_refuses_with_the_guard_bypassed(sql: str, warehouse: Path, tmp_path: Path) -> None:
    before = _digest(warehouse)
    con = connect_read_only(warehouse)
    try:
        with pytest.raises(duckdb.Error) as info:
            con.execute(sql.format(tmp=tmp_path)).fetchall()
        assert "root:" not in str(info.value)
        assert con.execute("select count(*) from reports").fetchone() == (3,)
    finally:
        con.close()
    assert _digest(warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_python_variables_are_not_scanned(warehouse: Path) -> None:
    import pandas as pd

    secret = pd.DataFrame({"s": [42]})  # noqa: F841 - DuckDB's replacement scan would find it by name
    con = connect_read_only(warehouse)
    try:
        with pytest.raises(duckdb.CatalogException):
            con.execute("select * from secret").fetchall()
    finally:
        con.close()


def test_connection_is_closed_after_each_query(warehouse: Path, tmp_path: Path) -> None:
    assert _run(warehouse, "select count(*) from reports", csv=True) == (0, "count_star()\n3\n")
    newer = tmp_path / "new.duckdb"
    con = duckdb.connect(str(newer))
    con.execute("create table reports as select 42 as id")
    con.close()
    os.replace(newer, warehouse)  # what a refresh does
    assert _run(warehouse, "select id from reports", csv=True) == (0, "id\n42\n")
    con = duckdb.connect(str(warehouse))  # read-write open works: nobody holds the file
    con.close()


@pytest.mark.parametrize(("dialect", "sql", "expected"), [
    ("mysql", "select `body_name` from `reports` order by `id` limit 1, 2", "body_name\n平潭综合实验区\n某某县\n"),
    ("mysql", "select ifnull(fees, -1) as f from reports order by id", "f\n19.50\n-1.00\n0.00\n"),
    ("postgres", "select year::text || '年' as y from reports order by id limit 1", "y\n2024年\n"),
    ("postgres", "select id from reports where body_name ilike '%县%' order by id", "id\n1\n3\n"),
    ("sqlite", "select id, year from reports order by id limit 1 offset 2", "id,year\n3,2022\n"),
    ("tsql", "select top 1 id from reports order by id desc", "id\n3\n"),
])
def test_dialects_are_transpiled(dialect: str, sql: str, expected: str, warehouse: Path) -> None:
    assert _run(warehouse, sql, dialect=dialect, csv=True) == (0, expected)


def test_dialect_cannot_smuggle_statements() -> None:
    with pytest.raises(Refused, match="2 statements"):
        check_sql("select 1; drop table reports", "mysql")
    with pytest.raises(Refused, match="DROP"):
        check_sql("drop table `reports`", "mysql")
    with pytest.raises(Refused, match="reads files"):
        check_sql("select * from read_text('/etc/passwd')", "postgres")


def test_unknown_dialect_exits_2(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(warehouse, "select 1", dialect="klingon")[0] == 2
    assert "unknown dialect" in capsys.readouterr().err
    with pytest.raises(QueryError):
        check_sql("select 1", "klingon")


def test_csv_output(warehouse: Path) -> None:
    status, out = _run(warehouse, "select id, body_name, fees, published from reports order by id", csv=True)
    assert status == 0
    assert out.splitlines() == [
        "id,body_name,fees,published", "1,石台县人民政府,19.50,2025-01-20", "2,平潭综合实验区,,2024-03-01", "3,某某县,0.00,"]


def test_json_output(warehouse: Path) -> None:
    status, out = _run(warehouse, "select id, body_name, fees, published, [1, 2] as l from reports order by id", json=True)
    assert status == 0
    assert "石台县人民政府" in out  # ensure_ascii=False
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0] == {"id": 1, "body_name": "石台县人民政府", "fees": 19.5, "published": "2025-01-20", "l": [1, 2]}
    assert rows[1]["fees"] is None and rows[2]["fees"] == 0 and rows[2]["published"] is None


def test_json_keeps_duplicate_column_names_apart(warehouse: Path) -> None:
    status, out = _run(warehouse, "select 1 as a, 2 as a", json=True)
    assert status == 0 and json.loads(out) == {"a": 1, "a_2": 2}


def test_xlsx_output(warehouse: Path, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "out.xlsx"
    status, out = _run(warehouse, "select id, body_name, fees, published from reports order by id", xlsx=str(target))
    assert status == 0 and out == ""
    sheet = openpyxl.load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["id", "body_name", "fees", "published"]
    assert values[1][:3] == [1, "石台县人民政府", 19.5]
    assert values[2][2] is None and len(values) == 4


def test_terminal_table(warehouse: Path) -> None:
    status, out = _run(warehouse, "select id, body_name from reports order by id")
    assert status == 0
    assert "body_name" in out and "平潭综合实验区" in out and "3 rows" in out


def test_missing_warehouse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path / "nope.duckdb", "select 1")[0] == 2
    assert "warehouse not found" in capsys.readouterr().err
    assert not (tmp_path / "nope.duckdb").exists()


def test_not_a_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database" * 100)
    assert _run(junk, "select 1")[0] == 2
    assert "cannot open warehouse" in capsys.readouterr().err


@pytest.mark.parametrize(("sql", "message"), [
    ("select nope from reports", "Binder Error"),
    ("select * from no_such_table", "Catalog Error"),
    ("select * form reports", "Parser Error"),
    ("  ;  ", "no SQL statement"),
    ("select 1/0::int from reports where id = 'x'", "Conversion Error"),
])
def test_sql_errors_exit_1_with_duckdbs_message(sql: str, message: str, warehouse: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(warehouse, sql)[0] == 1
    assert message in capsys.readouterr().err


def test_cli_end_to_end(warehouse: Path) -> None:
    xxgk = ROOT / ".venv" / "bin" / "xxgk"
    if not xxgk.exists():
        pytest.skip("xxgk not installed in .venv")
    ok = subprocess.run([str(xxgk), "query", "select body_name from reports where id = 1", "--warehouse",
                         str(warehouse), "--json"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout) == {"body_name": "石台县人民政府"}
    bad = subprocess.run([str(xxgk), "query", "select 1; drop table reports", "--warehouse", str(warehouse)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "refused: 2 statements" in bad.stderr and "Traceback" not in bad.stderr
