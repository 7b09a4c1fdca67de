"""Rows are found by order, not by exact words (issue 13, causes 1 and 2): a printed label with a
typo or another wording is read as its row by similarity, and says so in its cells' notes; a row
the report does not print is null with a warning, and no odd or absent label shifts or swallows
the rows around it."""
from __future__ import annotations

from pathlib import Path

from ingest.extract.rows import RowLabel, align, similarity
from ingest.parse import parse_bytes, parse_file
from ingest.read.grid import Cell as GridCell, Grid
from ingest.read.stream import build_stream
from tests.gold import FIXTURES, compare, load_gold

CORPUS = FIXTURES / "corpus"
SEED = (CORPUS / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
GOLD = load_gold("shitai_2024_word_paste")
FLAT = (CORPUS / "pingtan_2024_flat.txt").read_text(encoding="utf-8")
FLAT_GOLD = load_gold("pingtan_2024_flat")


def cells(rec: dict, table: int, row: str) -> list[dict]:
    return [c for c in rec["cells"] if c["table"] == table and c["row"] == row]


def test_real_reports_with_typos_in_their_labels() -> None:
    """平潭 市场监督管理局 prints `7.属于行政执法案件` (案卷); 洪泽区 `2.其他法律行政止公开`."""
    for name, row, printed in (("pingtan_shichang_2025.txt", "denied_enforcement_file", "属于行政执法案件"),
                               ("huaian_hongze_2023.pdf", "denied_law_prohibited", "其他法律行政止公开")):
        rec = parse_file(CORPUS / name, with_cells=True)
        assert compare(rec, load_gold(Path(name).stem)) == ([], []), name
        assert all(f"label read as {printed}" in c["note"] for c in cells(rec, 3, row)), name
        assert any(row in w and "label read as" in w for w in rec["warnings"]), name


def test_typos_missing_words_and_swapped_words_in_a_word_paste() -> None:
    text = (SEED.replace("属于行政执法案卷", "属于行政执法案件")          # one character
            .replace("其他法律行政法规禁止公开", "其他法律行政止公开")    # three characters missing
            .replace("危及“三安全一稳定”", "危及“一稳定三安全”")          # words swapped
            .replace("要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已经获取的信息"))
    rec = parse_bytes(text.encode("utf-8"), "typos.txt", with_cells=True)
    assert compare(rec, GOLD) == ([], [])
    read_as = {c["row"] for c in rec["cells"] if "label read as" in (c["note"] or "")}
    assert read_as == {"denied_enforcement_file", "denied_law_prohibited", "denied_security_stability",
                       "rejected_confirmation"}


def test_a_row_the_report_does_not_print_is_null_and_the_rest_is_read() -> None:
    """Table 2 without its 规章 row (平潭 海坛片区, and here the Shitai report without it)."""
    text = SEED.replace("\t规章\n\t0\n\t0\n\t0\n\n", "")
    assert text != SEED
    rec = parse_bytes(text.encode("utf-8"), "no_regulations.txt", with_cells=True)
    wrong, missed = compare(rec, GOLD)
    assert wrong == [] and missed == ["table2.regulations_issued", "table2.regulations_repealed",
                                      "table2.regulations_in_force"]
    assert any("规章: row not printed" in w for w in rec["warnings"])
    assert all(c["note"] == "not found in the document" for c in cells(rec, 2, "regulations_issued"))
    haitan = parse_file(CORPUS / "pingtan_haitan_2023.txt")
    assert compare(haitan, load_gold("pingtan_haitan_2023")) == ([], [])


def test_an_unreadable_label_in_flattened_text_costs_only_its_own_row() -> None:
    """`00000007.属于行政执法案卷3000003`: with the label unreadable, row 6 keeps its digits (the
    item number 7 is not glued to them) and row 8 is read after it."""
    assert FLAT.count("属于行政执法案卷") == 1
    rec = parse_bytes(FLAT.replace("属于行政执法案卷", "某某某某某某某某").encode("utf-8"), "odd.txt")
    wrong, missed = compare(rec, FLAT_GOLD)
    assert wrong == [] and {k.split(".")[1] for k in missed} <= {"denied_enforcement_file", "normative_docs_issued",
                                                                 "normative_docs_repealed", "normative_docs_in_force"}
    assert rec["table3"]["denied_process_info"] == FLAT_GOLD["table3"]["denied_process_info"]
    assert rec["table3"]["denied_inquiry_matter"] == FLAT_GOLD["table3"]["denied_inquiry_matter"]
    assert any("denied_enforcement_file: row not printed" in w for w in rec["warnings"])


def test_a_label_printed_again_after_the_table_cannot_pull_the_rows_out_of_place() -> None:
    """The exact matches are chained in order with the most rows: 规章 found only in a paragraph
    after the table is dropped, not taken with every row after it lost."""
    grid = Grid([[GridCell("行政规范性文件", "a"), GridCell("1", "b")], [GridCell("行政许可", "c"), GridCell("2", "d")],
                 [GridCell("本局公开了规章和规范性文件", "e")]])
    stream = build_stream(grid)
    rows = [RowLabel("规章", ("规章",)), RowLabel("行政规范性文件", ("行政规范性文件", "规范性文件")),
            RowLabel("行政许可", ("行政许可",))]
    found = align(stream, rows, (0, len(stream.text)))
    assert found[0] is None and [stream.text[f.start:f.end] for f in found[1:]] == ["行政规范性文件", "行政许可"]


def test_similarity_counts_shared_characters() -> None:
    assert similarity("属于行政执法案件", "属于行政执法案卷") == 0.875
    assert similarity("危及一稳定三安全", "危及三安全一稳定") == 1.0
    assert similarity("属于四类过程性信息", "属于三类内部事务信息") < 0.6
