"""`xxgk export`: the marts for people and for data tools.

- `--xlsx FILE`: one workbook, a 口径说明 sheet (metrics with their formulas, rules, every mart and
  column with its meaning) then a sheet per mart: Chinese headers with the codes in a second
  header row, whole numbers as integers, ratios as percentages, header frozen, autofilter.
- `--csv DIR`: a CSV per mart (UTF-8 with BOM, as Excel on Chinese Windows expects; headers are
  the column codes; formula-like text made inert) and `dictionary.csv` (the 口径说明).
- `--parquet DIR`: a Parquet file per mart (each column's Chinese header and description in its
  field metadata) and `dictionary.parquet`.
Every file goes through ingest.outputs.files: checked first (the warehouse is never a target, an
existing file needs --force), written to a temporary file and renamed into place.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.i18n import _
from ingest.outputs.cells import csv_text, plain_text
from ingest.outputs.dictionary import Header, format_words, headers, number_format
from ingest.outputs.files import OutputError, atomic_file, check_target
from ingest.outputs.source import records, warehouse
from ingest.outputs.workbook import Column, Sheet, Styled, write_workbook

DICTIONARY = "dictionary"
BATCH = 10_000
ROW_FORMATTED = "mart_peer_benchmarks"  # its statistics are ratios or counts by the row's metric


@dataclass
class Written:
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Mart:
    name: str
    comment: str
    columns: list[dict[str, Any]]  # column_name, data_type, comment


class Catalog:
    """The marts of `main` with their columns, and what the seeds and reference tables say of them."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        tables = records(con, "select table_name as name, comment from duckdb_tables() where schema_name = 'main' "
                              "and database_name = current_database() order by table_name")
        tables += records(con, "select view_name as name, comment from duckdb_views() where schema_name = 'main' "
                               "and not internal and database_name = current_database() order by view_name")
        columns = records(con, "select table_name, column_name, data_type, comment from duckdb_columns() "
                               "where schema_name = 'main' and database_name = current_database() order by column_index")
        self.marts = [Mart(t["name"], t["comment"] or "", [c for c in columns if c["table_name"] == t["name"]])
                      for t in tables]
        self.metrics = records(con, "select * from reference.metrics order by position")
        self.rules = records(con, "select r.*, s.label as severity_label from reference.rules r "
                                  "left join reference.rule_severities s using (severity)")
        self.headers = headers(self.metrics, records(con, "select scope, label from reference.peer_scopes"))
        self.kind = {m["metric_code"]: m["kind"] for m in self.metrics}

    def header(self, column: str) -> Header:
        return self.headers.get(column, Header(column))

    def dictionary(self) -> list[list[Any]]:
        """The 口径说明 rows: kind, name, code, definition, note."""
        better = {True: _("higher is better"), False: _("lower is better"), None: ""}
        rows = [[_("metric"), m["metric_name"], m["metric_code"], m["definition"],
                 "；".join(filter(None, [better[m["higher_is_better"]], _("ranked") if m["ranked"] else ""]))]
                for m in self.metrics]
        rows += [[_("rule"), r["rule_name"], r["rule_id"], r["definition"], r["severity_label"]] for r in self.rules]
        for mart in self.marts:
            rows.append([_("table"), mart.name, mart.name, mart.comment, ""])
            rows += [[_("column"), self.header(c["column_name"]).header, f"{mart.name}.{c['column_name']}",
                      c["comment"] or "", format_words(self.header(c["column_name"]), c["data_type"])]
                     for c in mart.columns]
        return rows

    def batches(self, mart: Mart) -> Iterator[list[tuple[Any, ...]]]:
        cur = self.con.execute(f'select * from main."{mart.name}"')
        while batch := cur.fetchmany(BATCH):
            yield batch


def dictionary_columns() -> list[Column]:
    return [Column(_("Kind"), "kind", width=8), Column(_("Name"), "name", width=28), Column(_("Code"), "code", width=36),
            Column(_("Definition"), "definition", width=80), Column(_("Note"), "note", width=24)]


def _sheet_rows(catalog: Catalog, mart: Mart) -> Iterator[list[Any]]:
    if mart.name != ROW_FORMATTED:
        for batch in catalog.batches(mart):
            yield from (list(row) for row in batch)
        return
    names = [c["column_name"] for c in mart.columns]
    code_at = names.index("metric_code")
    styled = [i for i, c in enumerate(mart.columns) if catalog.header(c["column_name"]).format == "metric"]
    for batch in catalog.batches(mart):
        for row in batch:
            values, kind = list(row), catalog.kind.get(row[code_at])
            for i in styled:
                values[i] = Styled(values[i], number_format(catalog.header(names[i]), "DOUBLE", kind))
            yield values


def _sheet(catalog: Catalog, mart: Mart) -> Sheet:
    columns = []
    for c in mart.columns:
        h = catalog.header(c["column_name"])
        columns.append(Column(h.header, c["column_name"], number_format(h, c["data_type"]),
                              width=min(40, max(10, 2 * len(h.header) + 2))))
    return Sheet(mart.name, columns, _sheet_rows(catalog, mart))


def _xlsx(catalog: Catalog, path: Path, force: bool, protect: list[Path]) -> Written:
    sheets = [Sheet(_("definitions"), dictionary_columns(), catalog.dictionary())]
    sheets += [_sheet(catalog, mart) for mart in catalog.marts]
    summary = write_workbook(path, sheets, force=force, protect=protect)
    return Written(dict(summary.rows), summary.messages())


def csv_value(v: Any) -> str:
    """A value as CSV text for Excel: decimals without trailing zeros, formula-like text inert."""
    if isinstance(v, Decimal) and v.is_finite():
        v = format(v.normalize(), "f") if v != v.to_integral_value() else str(int(v))
    if isinstance(v, bool):
        return "true" if v else "false"
    return csv_text(plain_text(v))


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]] | list[list[Any]], force: bool,
               protect: list[Path]) -> int:
    n = 0
    with atomic_file(path, force=force, protect=protect) as temp, \
            io.open(temp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
            n += 1
    return n


def _csv(catalog: Catalog, folder: Path, force: bool, protect: list[Path]) -> Written:
    out = Written()
    out.rows[DICTIONARY] = _write_csv(folder / f"{DICTIONARY}.csv", [c.code or c.name for c in dictionary_columns()],
                                      catalog.dictionary(), force, protect)
    for mart in catalog.marts:
        rows = (row for batch in catalog.batches(mart) for row in batch)
        out.rows[mart.name] = _write_csv(folder / f"{mart.name}.csv", [c["column_name"] for c in mart.columns],
                                         rows, force, protect)
    return out


def _parquet(catalog: Catalog, folder: Path, force: bool, protect: list[Path]) -> Written:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Written()
    table = pa.table({c.code: [r[i] for r in catalog.dictionary()] for i, c in enumerate(dictionary_columns())})
    with atomic_file(folder / f"{DICTIONARY}.parquet", force=force, protect=protect) as temp:
        pq.write_table(table, temp)
    out.rows[DICTIONARY] = table.num_rows
    for mart in catalog.marts:
        reader = catalog.con.execute(f'select * from main."{mart.name}"').fetch_record_batch(BATCH)
        meta = {c["column_name"]: {"header": catalog.header(c["column_name"]).header, "description": c["comment"] or ""}
                for c in mart.columns}
        schema = pa.schema([f.with_metadata(meta.get(f.name, {})) for f in reader.schema],
                           metadata={"description": mart.comment})
        n = 0
        with atomic_file(folder / f"{mart.name}.parquet", force=force, protect=protect) as temp, \
                pq.ParquetWriter(temp, schema) as writer:
            for batch in reader:
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
                n += batch.num_rows
        out.rows[mart.name] = n
    return out


def _folder(folder: Path, names: list[str], suffix: str, force: bool, protect: list[Path]) -> None:
    """Make `folder` (its parent must exist) and refuse before any work a target that exists without --force."""
    if not folder.is_dir():
        if not folder.parent.is_dir():
            raise OutputError(_("{path}: folder {folder} does not exist").format(path=folder, folder=folder.parent))
        folder.mkdir()
    for name in names:
        check_target(folder / f"{name}{suffix}", force=force, protect=protect)


def export(warehouse_path: Path, kind: str, target: Path, *, force: bool = False) -> Written:
    """Export the marts of the warehouse as `kind` (xlsx, csv or parquet) to `target` (a file or a folder)."""
    protect = [warehouse_path]
    if kind == "xlsx":
        check_target(target, force=force, protect=protect)
    with warehouse(warehouse_path) as con:
        catalog = Catalog(con)
        if kind == "xlsx":
            return _xlsx(catalog, target, force, protect)
        _folder(target, [DICTIONARY] + [m.name for m in catalog.marts], f".{kind}", force, protect)
        return (_csv if kind == "csv" else _parquet)(catalog, target, force, protect)
