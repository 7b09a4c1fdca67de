"""The loader's raw schema grows without a rebuild: a refresh of a warehouse made before a raw
column or table existed adds it, and loads into it."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.extract.record import Record
from ingest.warehouse.load import RawWriter, create_raw
from tests.warehouse_helpers import gold_record, leave_open


def test_a_refresh_adds_the_columns_and_tables_an_older_warehouse_lacks(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE SCHEMA raw")
    con.execute("""CREATE TABLE raw.reports (report_id VARCHAR, file VARCHAR, sha256 VARCHAR, format VARCHAR,
        layout VARCHAR, title VARCHAR, body_name VARCHAR, year INTEGER, region_code VARCHAR, source_url VARCHAR,
        parser_version VARCHAR, loaded_at TIMESTAMP, status VARCHAR, warnings VARCHAR[])""")
    con.execute("INSERT INTO raw.reports (report_id, file) VALUES ('old', 'old.txt')")
    create_raw(con, replace=False)
    columns = {name for (name,) in con.execute("select column_name from duckdb_columns() "
                                               "where schema_name = 'raw' and table_name = 'reports'").fetchall()}
    assert {"region_method", "region_matched"} <= columns
    record = leave_open(gold_record("shitai_2024_word_paste", region_code="341722"), "126768",
                        ["table2.normative_docs_issued", "table2.normative_docs_repealed"], [[12, 6768], [1, 26768]])
    writer = RawWriter(con)
    writer.add(Record.from_json({**record, "region_method": "manifest"}))
    writer.flush()
    assert con.execute("select count(*), count(region_method) from raw.reports").fetchone() == (2, 1)
    assert con.execute("select run, cells, options from raw.ambiguous").fetchall() == [
        ("126768", ["table2.normative_docs_issued", "table2.normative_docs_repealed"], [[12.0, 6768.0], [1.0, 26768.0]])]
    con.close()
