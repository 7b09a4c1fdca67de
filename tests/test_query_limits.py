"""`xxgk query` within limits (issue 9, D13): a statement timeout, memory and thread caps, a private
spill folder; a runaway query stops with a clear message instead of running forever."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ingest.query.limits import DEFAULT_LIMITS
from tests.query_helpers import Terminal, make_warehouse, query_args, run


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")


@pytest.mark.parametrize("flags", [(), ("--csv",), ("--json",)])
def test_a_runaway_count_stops_at_the_timeout(flags: tuple[str, ...], warehouse: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(warehouse, "select count(*) from range(1e12::bigint)", "--timeout", "1", *flags)
    err = capsys.readouterr().err
    assert status == 1 and out.count("\n") <= 1
    assert "stopped: the query ran longer than 1 s (--timeout)" in err and "Traceback" not in err


def test_the_timeout_covers_fetching(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(warehouse, "select * from range(1e12::bigint)", "--timeout", "1", "--tsv")
    assert status == 1 and out.startswith("range\n0\n1\n")  # rows streamed until the limit stopped them
    assert "stopped: the query ran longer than 1 s" in capsys.readouterr().err


def test_memory_and_threads_are_capped(warehouse: Path) -> None:
    sql = "select current_setting('memory_limit') as m, current_setting('threads') as t"
    assert run(warehouse, sql, "--csv", "--memory-limit", "300MB", "--threads", "1") == (0, "m,t\n286.1 MiB,1\n")
    assert run(warehouse, sql, "--csv") == (0, f"m,t\n1.8 GiB,{DEFAULT_LIMITS.threads}\n")  # 2GB by default


def test_a_query_past_the_memory_limit_stops_with_a_clear_message(warehouse: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run(warehouse, "select string_agg(i::varchar, ',') from range(3e7::bigint) t(i)",
                    "--memory-limit", "50MB", "--csv")
    err = capsys.readouterr().err
    assert status == 1 and "needs more memory than --memory-limit 50MB allows" in err and "Traceback" not in err


def _spill_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("xxgk-query-*"))


def test_the_spill_folder_is_removed_after_the_query(warehouse: Path) -> None:
    before = _spill_folders()
    assert run(warehouse, "select count(*) from (select i from range(2e6::bigint) t(i) order by hash(i))",
               "--memory-limit", "30MB", "--csv") == (0, "count_star()\n2000000\n")
    assert run(warehouse, "select count(*) from range(1e12::bigint)", "--timeout", "1")[0] == 1
    assert _spill_folders() - before == set()
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["warehouse.duckdb"]  # nothing beside it


@pytest.mark.parametrize("flags", [("--timeout", "-1"), ("--timeout", "soon"), ("--memory-limit", "lots"),
                                   ("--memory-limit", "2"), ("--threads", "0"), ("--threads", "two")])
def test_bad_limits_are_usage_errors(flags: tuple[str, ...], warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        query_args(warehouse, "select 1", *flags)
    assert info.value.code == 2 and flags[0] in capsys.readouterr().err


def test_no_timeout_with_zero(warehouse: Path) -> None:
    assert run(warehouse, "select count(*) from range(3)", "--timeout", "0", out=Terminal())[0] == 0
