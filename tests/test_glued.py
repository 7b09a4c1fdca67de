"""Glued digit runs (web text whose cell borders were lost) are split only where the format's
sums leave exactly one choice; otherwise the cells are null and a warning lists the candidates.
The search prunes by the sums as it goes and gives up cleanly past a bound (issue 9, D2)."""
from __future__ import annotations

from ingest.extract.settle import MAX_WORK, split
from ingest.parse import parse_bytes
from tests.gold import FIXTURES, load_gold

FLAT_2024 = (FIXTURES / "corpus" / "pingtan_2024_flat.txt").read_text(encoding="utf-8")
T4_RUN = "21317000001324019"
COUNTS7, COUNTS15 = ["count"] * 7, ["count"] * 15


def options(run: str, kinds: list[str], groups: list[int] | None = None, units: list[str] | None = None) -> list:
    return split(run, kinds, units or [""] * len(kinds), groups).options


def test_row_total_settles_a_table3_row() -> None:
    assert options("21710000218", COUNTS7, [7]) == [(217, 1, 0, 0, 0, 0, 218)]


def test_spaces_are_borders_first_and_stray_only_when_that_fails() -> None:
    assert options("230 000023", COUNTS7, [7]) == [(23, 0, 0, 0, 0, 0, 23)]
    assert options("2 17 10000218", COUNTS7, [7]) == [(217, 1, 0, 0, 0, 0, 218)]
    assert options("10 0 0 012", COUNTS7, [7]) == [(1, 0, 0, 0, 0, 1, 2)]


def test_signed_columns_take_their_sign_as_a_border() -> None:
    found = options("2648-18538430", ["count", "signed", "count"])
    assert (2648, -18538, 430) in found and all(v[0] == 2648 for v in found)


def test_no_leading_zeros_so_zero_stands_alone() -> None:
    assert options("000", ["count"] * 3) == [(0, 0, 0)]


def test_a_unit_suffix_ends_a_number_and_scales_it_to_its_column() -> None:
    """2019 采购总金额 is stored in yuan: printed in 万元 it is multiplied, in every split."""
    kinds, units = ["count", "amount"], ["items", "yuan"]
    assert options("82059.2090万元", kinds, units=units) == [(8, 20592090.0), (820, 592090.0), (8205, 92090.0)]
    assert options("135件75394432.52元", kinds, units=units) == [(135, 75394432.52)]


def test_a_glued_row_with_two_valid_splits_gives_nulls_and_a_warning_not_a_pick() -> None:
    ambiguous = "1111012340000000000"
    assert len(options(ambiguous, COUNTS15, [5, 5, 5])) > 1
    rec = parse_bytes(FLAT_2024.replace(T4_RUN, ambiguous).encode("utf-8"), "flat.txt")
    assert set(rec["table4"].values()) == {None}
    [warning] = [w for w in rec["warnings"] if w.startswith("Table 4")]
    assert "possible splits" in warning and "11 | 11 | 0 | 12 | 34" in warning and "review_upheld" in warning


def test_column_sums_settle_a_row_that_splits_two_ways() -> None:
    """pingtan 2021: 本机关不掌握 reads 220000325 (22|0|0|0|0|3|25 or 2|20|0|0|0|3|25)."""
    assert len(options("220000325", COUNTS7, [7])) == 2
    text = (FIXTURES / "corpus" / "pingtan_2021_flat.txt").read_bytes()
    rec = parse_bytes(text, "pingtan_2021_flat.txt")
    assert rec["table3"]["unable_not_held"] == load_gold("pingtan_2021_flat")["table3"]["unable_not_held"]


BUSY = "21564331232414321179190881264110"  # a consistent Table 4 of a busy body: 32 digits, 15 cells


def test_a_long_table4_run_is_split_by_pruning_not_by_listing_every_split() -> None:
    """Before: every way to cut the run into 15 numbers was listed, then summed (C(31,14), minutes
    for 32 digits). Now each block's total is computed from its parts and must be what the run
    prints next, so the search takes a few thousand steps."""
    found = split(BUSY, COUNTS15, [""] * 15, [5, 5, 5])
    assert found.options == [(215, 64, 33, 12, 324, 143, 21, 17, 9, 190, 88, 12, 6, 4, 110)]
    assert not found.gave_up and found.work < 20_000


def test_a_run_with_too_many_ways_gives_up_cleanly_with_nulls_and_a_warning() -> None:
    hopeless = "1" * 40  # no seven numbers of it sum right, and there are millions of ways to try
    found = split(hopeless, COUNTS7, [""] * 7, [7])
    assert found.gave_up and found.options == [] and MAX_WORK <= found.work <= MAX_WORK + 20
    row = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    at = FLAT_2024.index(row) + len(row)
    end = FLAT_2024.index("（三）", at)
    rec = parse_bytes((FLAT_2024[:at] + hopeless + FLAT_2024[end:]).encode("utf-8"), "flat.txt")
    assert set(rec["table3"]["partially_granted"].values()) == {None}
    assert any("partially_granted" in w and "gave up" in w for w in rec["warnings"])
    assert "table3.partially_granted.total" not in rec["uncertain"]


def test_a_busy_table4_parses_through_the_whole_report() -> None:
    rec = parse_bytes(FLAT_2024.replace(T4_RUN, BUSY).encode("utf-8"), "flat.txt")
    assert rec["table4"]["review_total"] == 324 and rec["table4"]["litigation_after_review_total"] == 110
