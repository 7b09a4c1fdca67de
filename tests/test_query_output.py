"""`xxgk query` output: a drawn table on a terminal (only what it shows is fetched), TSV into a pipe,
CSV/TSV/JSON streamed, and an inert workbook written whole or not at all (issue 9: D9, D10, D13)."""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.query_helpers import Terminal, digest, make_warehouse, run


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")


def test_csv_output(warehouse: Path) -> None:
    status, out = run(warehouse, "select id, body_name, fees, published from reports order by id", "--csv")
    assert status == 0
    assert out.splitlines() == [
        "id,body_name,fees,published", "1,石台县人民政府,19.50,2025-01-20", "2,平潭综合实验区,,2024-03-01", "3,某某县,0.00,"]


COMPLEX = ("select timestamp '2025-01-20 08:30:00' as ts, [1, 2] as l, {'a': '石台'} as s, '\\xAA'::blob as b, "
           "null::int[] as nl, true as bo, 1.5::double as f, interval 1 day as i")


def test_csv_and_tsv_write_timestamps_lists_and_blobs_readably(warehouse: Path) -> None:
    values = ["2025-01-20T08:30:00", "[1, 2]", '{"a": "石台"}', "aa", "", "True", "1.5", "1 day, 0:00:00"]
    assert list(csv.reader(io.StringIO(run(warehouse, COMPLEX, "--csv")[1])))[1] == values
    assert run(warehouse, COMPLEX, "--tsv")[1].splitlines()[1] == "\t".join(values)


def test_json_output(warehouse: Path) -> None:
    status, out = run(warehouse, "select id, body_name, fees, published, [1, 2] as l from reports order by id", "--json")
    assert status == 0
    assert "石台县人民政府" in out  # ensure_ascii=False
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0] == {"id": 1, "body_name": "石台县人民政府", "fees": 19.5, "published": "2025-01-20", "l": [1, 2]}
    assert rows[1]["fees"] is None and rows[2]["fees"] == 0 and rows[2]["published"] is None


def test_json_keeps_duplicate_column_names_apart(warehouse: Path) -> None:
    status, out = run(warehouse, "select 1 as a, 2 as a", "--json")
    assert status == 0 and json.loads(out) == {"a": 1, "a_2": 2}


def _strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_json_writes_null_for_nan_and_infinity(warehouse: Path) -> None:
    status, out = run(warehouse, "select 'nan'::double as n, 'inf'::double as i, '-inf'::float as m, "
                                 "['nan'::double, 1.5] as l, {'x': 'inf'::double} as s, 2.5::double as ok", "--json")
    assert status == 0
    assert _strict(out) == {"n": None, "i": None, "m": None, "l": [None, 1.5], "s": {"x": None}, "ok": 2.5}


def test_terminal_table(warehouse: Path) -> None:
    status, out = run(warehouse, "select id, body_name from reports order by id", out=Terminal())
    assert status == 0
    assert "body_name" in out and "平潭综合实验区" in out and "3 rows" in out


def test_terminal_fetches_only_the_rows_it_shows(warehouse: Path) -> None:
    # fetching all 10^12 rows would be stopped by the time limit (exit 1); the table needs 1,001
    status, out = run(warehouse, "select * from range(1e12::bigint)", "--timeout", "60", out=Terminal())
    assert status == 0
    assert "first 1000 rows shown; the rest were not fetched" in out
    assert "│ 999 " in out and "│ 1000 " not in out


def test_terminal_never_reads_cell_text_as_markup_or_control_codes(warehouse: Path) -> None:
    status, out = run(warehouse, "select 'reports [draft]/x[/x]' as a, '[bold red]红[/]' as b, "
                                 "chr(27) || '[31mred' as c", out=Terminal())
    assert status == 0
    assert "[/x]" in out and "[bold red]红[/]" in out
    assert "\x1b[31m" not in out and "\\x1b[31mred" in out  # rich's own styles aside, no escape code from a cell


def test_output_into_a_pipe_is_tsv(warehouse: Path) -> None:
    status, out = run(warehouse, "select id, body_name, fees from reports order by id")
    assert status == 0
    assert out.splitlines() == ["id\tbody_name\tfees", "1\t石台县人民政府\t19.50", "2\t平潭综合实验区\t", "3\t某某县\t0.00"]


def test_tsv_escapes_tabs_and_line_breaks_so_a_row_is_one_line(warehouse: Path) -> None:
    status, out = run(warehouse, "select 'a' || chr(9) || 'b' as t, 'line1' || chr(10) || 'line2' as n, "
                                 "'back\\slash' as b", "--tsv", out=Terminal())
    assert status == 0
    assert out.splitlines() == ["t\tn\tb", "a\\tb\tline1\\nline2\tback\\\\slash"]


class Enough(Exception):
    """Raised by the reader once it has seen enough rows."""


class Reader(io.StringIO):
    """A consumer that stops after `lines` lines, as `| head` would."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def write(self, text: str) -> int:
        self.lines -= text.count("\n")
        if self.lines <= 0:
            raise Enough
        return super().write(text)


@pytest.mark.parametrize("flag", ["--csv", "--tsv", "--json"])
def test_rows_are_written_while_the_query_still_runs(flag: str, warehouse: Path) -> None:
    # 10^12 rows cannot be fetched before the first is written: rows arrive batch by batch
    with pytest.raises(Enough):
        run(warehouse, "select i, 'x' || i as s from range(1e12::bigint) t(i)", flag, "--timeout", "60", out=Reader(25_000))


# --- workbooks (D9, D10) ---------------------------------------------------------------------

FORMULA_LIKE = ['=HYPERLINK("http://evil.example/","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
                "\t=1+1", "\r=1+1", "#N/A", "=1"]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_xlsx_output(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    status, out = run(warehouse, "select id, body_name, fees, published from reports order by id", "--xlsx", str(target))
    assert status == 0 and out == ""
    sheet = openpyxl.load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["id", "body_name", "fees", "published"]
    assert values[1][:3] == [1, "石台县人民政府", 19.5]
    assert values[2][2] is None and len(values) == 4
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"


def test_xlsx_text_is_never_a_formula(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    values = ", ".join("'" + v.replace("'", "''") + "'" for v in FORMULA_LIKE)
    status, _ = run(warehouse, f"select unnest([{values}]) as body_name", "--xlsx", str(target))
    assert status == 0
    assert "<f>" not in _sheet_xml(target) and "<f " not in _sheet_xml(target)
    cells = [row[0] for row in openpyxl.load_workbook(target).active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_xlsx_never_overwrites_the_warehouse(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(warehouse)
    link = tmp_path / "link.xlsx"
    link.symlink_to(warehouse)
    (tmp_path / "sub").mkdir()
    for target in (warehouse, tmp_path / "sub" / ".." / warehouse.name, link, warehouse.with_name(warehouse.name + ".wal")):
        status, _ = run(warehouse, "select 1", "--xlsx", str(target), "--force")
        assert status == 2
        assert "is the warehouse being read" in capsys.readouterr().err
    assert digest(warehouse) == before and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xlsx", "sub", "warehouse.duckdb"]


def test_xlsx_replaces_an_existing_file_only_with_force(warehouse: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"an analyst's own workbook")
    assert run(warehouse, "select 1 as x", "--xlsx", str(target))[0] == 2
    assert "already exists (use --force to replace it)" in capsys.readouterr().err
    assert target.read_bytes() == b"an analyst's own workbook"
    assert run(warehouse, "select 1 as x", "--xlsx", str(target), "--force")[0] == 0
    assert openpyxl.load_workbook(target).active["A2"].value == 1


def test_xlsx_into_a_missing_folder_is_a_clear_error(warehouse: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run(warehouse, "select 1", "--xlsx", str(tmp_path / "nope" / "out.xlsx"))
    err = capsys.readouterr().err
    assert status == 2 and "folder" in err and "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "nope").exists()


def test_xlsx_control_characters_are_written_visibly(warehouse: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    status, _ = run(warehouse, "select '石台' || chr(1) || '县' || chr(31) as name, 'plain' as other", "--xlsx", str(target))
    assert status == 0
    assert openpyxl.load_workbook(target).active["A2"].value == "石台\\x01县\\x1f"
    assert "1 cell held control characters, written as \\xNN (first at query!A2)" in capsys.readouterr().err


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "warehouse.duckdb")


def test_xlsx_past_the_sheet_row_limit_leaves_no_file(warehouse: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    # 1,048,576 rows and the header: one row too many (empty cells, so that openpyxl is quick)
    status, _ = run(warehouse, "select null as x from range(1048576)", "--xlsx", str(target))
    err = capsys.readouterr().err
    assert status == 2 and "more than 1,048,575 rows, the most an Excel sheet holds" in err
    assert _leftovers(tmp_path) == []


def test_xlsx_of_a_query_stopped_by_its_time_limit_leaves_no_file(warehouse: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    status, _ = run(warehouse, "select * from range(1e12::bigint)", "--xlsx", str(target), "--timeout", "1")
    assert status == 1 and "stopped: the query ran longer than 1 s" in capsys.readouterr().err
    assert _leftovers(tmp_path) == []


def test_xlsx_file_has_the_usual_permissions(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    assert run(warehouse, "select 1", "--xlsx", str(target))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
