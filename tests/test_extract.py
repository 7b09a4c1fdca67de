"""The extractor on printing variants of the real seed: each must read the same numbers."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.parse import parse_bytes
from tests.gold import FIXTURES, compare, load_gold

SEED = (FIXTURES / "corpus" / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
GOLD = load_gold("shitai_2024_word_paste")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def parse_text(text: str) -> dict:
    return parse_bytes(text.encode("utf-8"), "variant.txt", with_cells=True)


def zero_cells_as(marker: str) -> str:
    return re.sub(r"(?m)^\t0$", "\t" + marker, SEED)


def test_null_markers_read_as_zero_and_keep_their_raw_text() -> None:
    for marker in ("/", "—", "-", "无", ""):
        rec = parse_text(zero_cells_as(marker))
        assert compare(rec, GOLD) == ([], []), marker
        zero = next(c for c in rec["cells"] if c["table"] == 3 and c["row"] == "carried_over" and c["column"] == "total")
        assert zero["value"] == 0 and zero["raw"] == marker and zero["note"], marker


def test_full_width_digits_and_unit_suffixes() -> None:
    text = re.sub(r"(?m)^\t(\d+)$", lambda m: "\t" + m.group(1).translate(FULL_WIDTH) + "件", SEED)
    rec = parse_text(text)
    assert compare(rec, GOLD) == ([], [])


def test_word_residue_is_the_number_it_sits_on() -> None:
    rec = parse_text(SEED)
    cell = next(c for c in rec["cells"] if c["table"] == 4 and c["row"] == "review" and c["column"] == "upheld")
    assert cell["value"] == 1 and cell["raw"] == "[bookmark: _GoBack]1" and cell["source"].startswith("line ")


def test_an_unreadable_cell_is_null_with_a_warning_naming_it() -> None:
    text = SEED.replace("\t4462\n", "\t44?2\n")
    rec = parse_text(text)
    assert rec["table2"]["licensing_decisions"] is None
    assert any("licensing_decisions" in w and "44?2" in w for w in rec["warnings"])
    wrong, missed = compare(rec, GOLD)
    assert wrong == [] and missed == ["table2.licensing_decisions"]


def test_a_report_missing_table4_gives_null_cells_and_a_warning() -> None:
    cut = SEED[: SEED.index("四、政府信息公开行政复议")] + "五、存在的主要问题及改进情况\n"
    rec = parse_text(cut)
    assert set(rec["table4"].values()) == {None}
    assert any("Table 4 not found" in w for w in rec["warnings"])
    assert rec["table3"] == GOLD["table3"]


def test_title_gives_body_and_reporting_year() -> None:
    rec = parse_text(SEED)
    assert (rec["body_name"], rec["year"], rec["layout"]) == ("石台县人民政府", 2024, "2021")


def test_narrative_counts_are_read_with_their_sentence() -> None:
    rec = parse_text(SEED)
    assert rec["narrative"] == {"new_received": 19, "review_total": 2, "litigation_total": 0}
    assert rec["narrative_cells"]["new_received"]["raw"] == "收到政府信息公开申请19件"


def _html_with_subtotal(subtotal: int) -> bytes:
    rows = [(code, vals) for code, vals in GOLD["table3"].items()]
    labels = {r: r for r, _ in rows}
    from ingest.spec import spec

    sp = spec("2021")
    label_of = {r.code: (f"{r.item_no}." if r.item_no else "") + r.label for r in sp.t3_rows}
    body = []
    for code, vals in rows:
        v = list(vals.values())
        sub = sum(v[1:6]) + (subtotal if code == "granted" else 0)
        cells = [v[0], sub, *v[1:]]
        body.append(f"<tr><td>{label_of[code]}</td>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    head = ("<tr><td></td><td>自然人</td><td colspan=6>法人或其他组织</td><td>总计</td></tr>"
            "<tr><td></td><td></td><td>小计</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
            "<td>法律服务机构</td><td>其他</td><td></td></tr>")
    del labels
    html = (f"<html><body><p>石台县人民政府2024年政府信息公开工作年度报告</p>"
            f"<p>三、收到和处理政府信息公开申请情况</p><table>{head}{''.join(body)}</table>"
            f"<p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>")
    return html.encode("utf-8")


def test_a_subtotal_column_is_read_aside_and_checked() -> None:
    rec = parse_bytes(_html_with_subtotal(0), "subtotal.html")
    assert rec["table3"] == GOLD["table3"]
    assert not any("小计" in w for w in rec["warnings"])
    bad = parse_bytes(_html_with_subtotal(5), "subtotal.html")
    assert bad["table3"] == GOLD["table3"]
    assert any("granted" in w and "小计" in w for w in bad["warnings"])


def test_fixture_paths_stay_inside_the_repo() -> None:
    assert Path(FIXTURES).resolve().is_relative_to(Path(__file__).resolve().parent)


def test_too_few_cells_in_a_bordered_row_are_not_split_into_digits() -> None:
    text = SEED.replace("\t行政规范性文件\n\t12\n\t67\n\t68\n", "\t行政规范性文件\n\t64\n\t2\n")
    rec = parse_text(text)
    assert [rec["table2"][c] for c in ("normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force")] \
        == [None, None, None]
    assert any("2 cells where 3 were expected" in w for w in rec["warnings"])
