"""Glued digit runs (web text whose cell borders were lost) are split only where the format's
sums leave exactly one choice; otherwise the cells are null and a warning lists the candidates."""
from __future__ import annotations

from ingest.extract.glued import candidates, sum_check
from ingest.parse import parse_bytes
from tests.gold import FIXTURES, load_gold

FLAT_2024 = (FIXTURES / "corpus" / "pingtan_2024_flat.txt").read_text(encoding="utf-8")
T4_RUN = "21317000001324019"


def test_row_total_settles_a_table3_row() -> None:
    assert candidates("21710000218", ["count"] * 7, sum_check([7])) == [(217, 1, 0, 0, 0, 0, 218)]


def test_spaces_are_borders_first_and_stray_only_when_that_fails() -> None:
    assert candidates("230 000023", ["count"] * 7, sum_check([7])) == [(23, 0, 0, 0, 0, 0, 23)]
    assert candidates("2 17 10000218", ["count"] * 7, sum_check([7])) == [(217, 1, 0, 0, 0, 0, 218)]


def test_signed_columns_take_their_sign_as_a_border() -> None:
    found = candidates("2648-18538430", ["count", "signed", "count"])
    assert (2648, -18538, 430) in found and all(v[0] == 2648 for v in found)


def test_no_leading_zeros_so_zero_stands_alone() -> None:
    assert candidates("000", ["count"] * 3) == [(0, 0, 0)]


def test_a_glued_row_with_two_valid_splits_gives_nulls_and_a_warning_not_a_pick() -> None:
    ambiguous = "1111012340000000000"
    assert len(candidates(ambiguous, ["count"] * 15, sum_check([5, 5, 5]))) > 1
    rec = parse_bytes(FLAT_2024.replace(T4_RUN, ambiguous).encode("utf-8"), "flat.txt")
    assert set(rec["table4"].values()) == {None}
    [warning] = [w for w in rec["warnings"] if w.startswith("Table 4")]
    assert "possible splits" in warning and "11 | 11 | 0 | 12 | 34" in warning and "review_upheld" in warning


def test_column_sums_settle_a_row_that_splits_two_ways() -> None:
    """pingtan 2021: 本机关不掌握 reads 220000325 (22|0|0|0|0|3|25 or 2|20|0|0|0|3|25)."""
    assert len(candidates("220000325", ["count"] * 7, sum_check([7]))) == 2
    text = (FIXTURES / "corpus" / "pingtan_2021_flat.txt").read_bytes()
    rec = parse_bytes(text, "pingtan_2021_flat.txt")
    assert rec["table3"]["unable_not_held"] == load_gold("pingtan_2021_flat")["table3"]["unable_not_held"]
