"""`xxgk query`: only a single read-only query gets through, and DuckDB could not do harm anyway."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pytest

from ingest.query import QueryError, Refused, check_sql, connect_read_only, run_query
from tests.query_helpers import digest, make_warehouse, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")


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
    "select * from read_text('/etc/passwd')": "table function read_text is not allowed",
    "select * from read_blob('/etc/passwd')": "table function read_blob is not allowed",
    "select * from read_csv('/etc/passwd')": "table function read_csv is not allowed",
    "select * from read_csv_auto('/etc/passwd')": "table function read_csv_auto is not allowed",
    "select * from parquet_scan('/tmp/x.parquet')": "table function parquet_scan is not allowed",
    "select * from glob('/etc/*')": "table function glob is not allowed",
    "select * from sniff_csv('/etc/passwd')": "table function sniff_csv is not allowed",
    "select * from reports, lateral read_text('/etc/passwd')": "table function read_text is not allowed",
    "select (select content from read_text('/etc/passwd'))": "table function read_text is not allowed",
    "select * from main.read_text('/etc/passwd')": "table function read_text is not allowed",
    "select * from '/etc/passwd'": "looks like a file path",
    "select * from \"/etc/passwd\"": "looks like a file path",
    "select * from 'https://example.com/data.csv'": "looks like a file path",
    "from 'reports.csv'": "looks like a file path",
    "select * from query('select 1')": "table function query is not allowed",
    "select * from query_table('reports')": "table function query_table is not allowed",
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
    before = digest(warehouse)
    status, out = run(warehouse, sql)
    assert status == 1 and out == ""
    err = capsys.readouterr().err
    assert "refused: " in err and REFUSED[sql] in err
    assert digest(warehouse) == before


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
    "select * from reference.metrics",
    "select m.name_zh from warehouse.reference.metrics m",
    "summarize reference.metrics",
    "describe reference.metrics",
    "show reference.metrics",
    "show reports",
    "show all tables",
    "select * from generate_series(1, 3)",
    "select r.id from reports r join cells c on c.report_id = r.id and r.year - 1 = 2023",
    "select r.id from reports r join range(3) g(x) on g.x = r.id and g.x > 0",
    "select range(3) as l, unnest([1, 2]) as u",
    "select * from unnest([1, 2]) u(x)",
    "select * from duckdb_tables()",
    "select table_name from duckdb_columns() where schema_name = 'reference'",
    "select * from duckdb_tables",
    "select * from information_schema.tables",
    "select * from information_schema.schemata",
    "pivot reports on year using count(*)",
    "pivot reports on year in (2022, 2024) using count(*) group by body_name",
    "from reports pivot (count(*) for year in (2022, 2023))",
    "with p as (pivot reports on year using sum(fees)) select * from p",
    "unpivot (select id, year, fees from reports) on year, fees into name k value v",
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
    before = digest(warehouse)
    con = connect_read_only(warehouse)
    try:
        with pytest.raises(duckdb.Error) as info:
            con.execute(sql.format(tmp=tmp_path)).fetchall()
        assert "root:" not in str(info.value)
        assert con.execute("select count(*) from reports").fetchone() == (3,)
    finally:
        con.close()
    assert digest(warehouse) == before
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
    assert run(warehouse, "select count(*) from reports", "--csv") == (0, "count_star()\n3\n")
    newer = tmp_path / "new.duckdb"
    con = duckdb.connect(str(newer))
    con.execute("create table reports as select 42 as id")
    con.close()
    os.replace(newer, warehouse)  # what a refresh does
    assert run(warehouse, "select id from reports", "--csv") == (0, "id\n42\n")
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
    assert run(warehouse, sql, "--dialect", dialect, "--csv") == (0, expected)


def test_dialect_cannot_smuggle_statements() -> None:
    with pytest.raises(Refused, match="2 statements"):
        check_sql("select 1; drop table reports", "mysql")
    with pytest.raises(Refused, match="DROP"):
        check_sql("drop table `reports`", "mysql")
    with pytest.raises(Refused, match="table function read_text is not allowed"):
        check_sql("select * from read_text('/etc/passwd')", "postgres")


def test_unknown_dialect_exits_2(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, "select 1", "--dialect", "klingon")[0] == 2
    assert "unknown dialect" in capsys.readouterr().err
    with pytest.raises(QueryError):
        check_sql("select 1", "klingon")


def test_missing_warehouse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "nope.duckdb", "select 1")[0] == 2
    assert "warehouse not found" in capsys.readouterr().err
    assert not (tmp_path / "nope.duckdb").exists()


def test_not_a_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database" * 100)
    assert run(junk, "select 1")[0] == 2
    assert "cannot open warehouse" in capsys.readouterr().err


# --- issue 9: the guard allows, it does not guess what to refuse ------------------------------

REFUSED_IN_THE_WAREHOUSE = {
    "select * from json_execute_serialized_sql(json_serialize_sql('select 42'))":
        "table function json_execute_serialized_sql is not allowed",
    "select * from duckdb_settings()": "table function duckdb_settings is not allowed",
    "select * from duckdb_databases()": "table function duckdb_databases is not allowed",
    "select * from duckdb_extensions()": "table function duckdb_extensions is not allowed",
    "select * from duckdb_temporary_files()": "table function duckdb_temporary_files is not allowed",
    "select * from pragma_database_size()": "table function pragma_database_size is not allowed",
    "select * from duckdb_databases": "duckdb_databases is not readable through xxgk query",
    "select * from pragma_database_list": "pragma_database_list is not readable through xxgk query",
    "select * from pg_settings": "pg_settings is not readable through xxgk query",
    "select * from pg_catalog.pg_settings": "pg_catalog.pg_settings is not readable through xxgk query",
    "select * from system.main.duckdb_databases": "system.main.duckdb_databases is not readable",
    "select current_setting('temp_directory')": "current_setting may read only",
    "select current_setting('home_directory')": "current_setting may read only",
    "select current_setting('extension_directory')": "current_setting may read only",
    "select current_setting(lower('TEMP_DIRECTORY'))": "current_setting may read only",
    "from x.csv": "x.csv is not a table or view of the warehouse (DuckDB would try to read a file",
    "select * from x.csv": "x.csv is not a table or view of the warehouse",
    "select * from reports, data.parquet": "data.parquet is not a table or view of the warehouse",
    "select * from reference.nosuch": "reference.nosuch is not a table or view of the warehouse",
    "select * from other.main.reports": "no database other here",
    "summarize '/etc/passwd'": "SUMMARIZE of '/etc/passwd'",
    "summarize 'reports.csv'": "SUMMARIZE of 'reports.csv'",
    "describe '/etc/passwd'": "looks like a file path",
    "show '/etc/passwd'": "looks like a file path",
    "pivot reports on year using count(*); drop table reports": "2 statements",
}


@pytest.mark.parametrize("sql", list(REFUSED_IN_THE_WAREHOUSE))
def test_refused_at_the_door(sql: str, warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(warehouse)
    status, out = run(warehouse, sql)
    err = capsys.readouterr().err
    assert (status, out) == (1, "")
    assert "refused: " in err and REFUSED_IN_THE_WAREHOUSE[sql] in err, err
    assert digest(warehouse) == before


def _machine_paths(warehouse: Path) -> list[str]:
    return [str(warehouse.resolve().parent), tempfile.gettempdir(), str(Path.home()), os.getcwd()]


@pytest.mark.parametrize("sql", [
    "show databases",
    "select * from (show databases)",
    "select * from duckdb_tables()",
    "select * from duckdb_views()",
    "select * from duckdb_schemas()",
    "select * from duckdb_columns()",
    "select * from information_schema.schemata",
    "select * from information_schema.tables",
    "select current_database(), current_schema(), current_setting('memory_limit'), current_setting('threads')",
    "select * from pragma_version()",
])
def test_nothing_reveals_machine_paths(sql: str, warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(warehouse, sql, "--csv")
    text = out + capsys.readouterr().err
    assert status == 0
    assert [p for p in _machine_paths(warehouse) if p in text] == []


def test_show_databases_names_the_warehouse_only(warehouse: Path) -> None:
    assert run(warehouse, "show databases", "--csv") == (0, "database_name\nwarehouse\n")


@pytest.mark.parametrize("sql", [
    "select * from read_text('/etc/passwd')",  # refused, and DuckDB's message would hold a path
    "select * from nosuch",
])
def test_error_messages_reveal_no_machine_paths(sql: str, warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, sql)[0] == 1
    err = capsys.readouterr().err
    assert [p for p in _machine_paths(warehouse) if p in err] == []


def test_messages_name_the_warehouse_as_given_and_no_other_path(tmp_path: Path) -> None:
    from ingest.query.session import redact

    given = tmp_path / "w.duckdb"
    message = (f'IO Error: "{given.resolve()}" and "{tmp_path.resolve()}/other.duckdb"; temp '
               f'{tempfile.gettempdir()}/xxgk-query-1; extensions {Path.home()}/.duckdb')
    assert redact(message, given) == (f'IO Error: "{given}" and "<warehouse folder>/other.duckdb"; temp '
                                      f'<temp>/xxgk-query-1; extensions ~/.duckdb')


def test_45_nested_parentheses_are_checked_and_run(warehouse: Path) -> None:
    assert run(warehouse, "select " + "(" * 45 + "1" + ")" * 45 + " as x", "--csv") == (0, "x\n1\n")


@pytest.mark.parametrize("depth", [400, 5000])
def test_deeper_nesting_is_a_clean_error(depth: int, warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select " + "(" * depth + "1" + ")" * depth
    assert run(warehouse, sql)[0] == 1
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err and "RecursionError" not in err


def test_pivot_without_in_list_writes_nothing(warehouse: Path) -> None:
    before = digest(warehouse)
    status, out = run(warehouse, "with p as (pivot reports on year using count(*) group by body_name) "
                                 "select * from p order by body_name", "--csv")
    assert status == 0
    assert out.splitlines() == ["body_name,2022,2023,2024", "平潭综合实验区,0,1,0", "某某县,1,0,0", "石台县人民政府,0,0,1"]
    assert digest(warehouse) == before


def test_a_pivot_sqlglot_cannot_read_is_refused_with_a_way_out(warehouse: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, "pivot reports on year using count(*) group by body_name order by body_name")[0] == 1
    assert "WITH p AS (PIVOT ...) SELECT * FROM p ORDER BY" in capsys.readouterr().err


@pytest.mark.parametrize(("sql", "message"), [
    ("select nope from reports", "Binder Error"),
    ("select * from no_such_table", "Catalog Error"),
    ("select * form reports", "Parser Error"),
    ("  ;  ", "no SQL statement"),
    ("select 1/0::int from reports where id = 'x'", "Conversion Error"),
])
def test_sql_errors_exit_1_with_duckdbs_message(sql: str, message: str, warehouse: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(warehouse, sql)[0] == 1
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
