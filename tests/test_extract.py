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


FLAT = (FIXTURES / "corpus" / "pingtan_2024_flat.txt").read_text(encoding="utf-8")
FLAT_GOLD = load_gold("pingtan_2024_flat")
PAGE = (FIXTURES / "corpus" / "pingtan_2024_page.html").read_text(encoding="utf-8")


def test_a_last_cell_glued_to_the_next_paragraph_keeps_its_value() -> None:
    """Issue 13, cause 4: `行政事业性收费02025年，我局……` (平潭 市场监督管理局) is 0 and a year."""
    shichang = parse_bytes((FIXTURES / "corpus" / "pingtan_shichang_2025.txt").read_bytes(), "shichang.txt")
    assert shichang["table2"]["fees_wan_yuan"] == 0
    assert shichang["table3"]["carried_forward"]["total"] == 2
    assert FLAT.count("18651.06三、") == 1 and FLAT.count("继续办理0000000四、") == 1
    for fee in ("18651.06", "0"):
        text = (FLAT.replace("18651.06三、", f"{fee}2024年，我区持续推进主动公开。三、")
                .replace("继续办理0000000四、", "继续办理00000002024年，我区共收到申请218件。四、"))
        rec = parse_bytes(text.encode("utf-8"), "glued.txt")
        assert rec["table2"]["fees_wan_yuan"] == float(fee)
        assert rec["table3"]["carried_forward"] == FLAT_GOLD["table3"]["carried_forward"]
        assert compare(rec, FLAT_GOLD)[0] == ([] if fee != "0" else ["table2.fees_wan_yuan: 0.0 != 18651.06"])


def test_units_are_cleaned_and_scaled_to_the_column_in_cells_and_in_glued_runs() -> None:
    """Issue 13, cause 5: 2019's 采购总金额 is stored in yuan; printed in 万元 it is converted,
    in a cell and in every split of a glued run. 次 and 人次 are units like 件."""
    flat_2019 = (FIXTURES / "corpus" / "pingtan_2019_flat.txt").read_text(encoding="utf-8")
    assert flat_2019.count("政府集中采购13575394432.52元") == 1
    rec = parse_bytes(flat_2019.replace("13575394432.52元", "135件7539.443252万元").encode("utf-8"), "u.txt")
    assert (rec["table2"]["procurement_items"], rec["table2"]["procurement_amount_yuan"]) == (135, 75394432.52)
    rec = parse_bytes(flat_2019.replace("13575394432.52元", "82059.2090万元").encode("utf-8"), "u.txt")
    [amb] = [a for a in rec["ambiguous"] if "table2.procurement_amount_yuan" in a["cells"]]
    assert amb["options"] == [[8, 20592090.0], [820, 592090.0], [8205, 92090.0]]
    text = re.sub(r"(?m)^\t(\d+)$", lambda m: "\t" + m.group(1) + ("次" if int(m.group(1)) % 2 else "人次"), SEED)
    assert compare(parse_text(text), GOLD) == ([], [])


def test_a_2019_amount_cell_in_wan_yuan_is_stored_in_yuan() -> None:
    from tests.render import html_bytes, random_record
    from tests.render.style import Style
    import random

    record = random_record(random.Random(7), "2019")
    record["table2"]["procurement_amount_yuan"] = 20592090.0
    page = html_bytes(record, Style(yuan_suffix=True)).decode("utf-8")
    assert page.count("20592090.00元") == 1
    rec = parse_bytes(page.replace("20592090.00元", "2059.2090万元").encode("utf-8"), "wan.html", with_cells=True)
    assert rec["table2"]["procurement_amount_yuan"] == 20592090.0
    cell = next(c for c in rec["cells"] if c["row"] == "procurement_amount_yuan")
    assert cell["raw"] == "2059.2090万元" and cell["note"] == "converted 万元 to yuan"


def test_spaces_inside_digit_runs_and_nbsp_padding() -> None:
    """Issue 13, cause 7: `217 1 0 0 0 0 218` (spaces as borders), `2 17 10000218` and
    `21 7 1 0 0 00 218` (stray spaces), &nbsp; around numbers, 商业 / 企业 on two lines."""
    assert FLAT.index("21710000218") > FLAT.index("本年新收政府信息公开申请数量")
    for spaced in ("217 1 0 0 0 0 218", "2 17 10000218", "21 7 1 0 0 00 218"):
        rec = parse_bytes(FLAT.replace("21710000218", spaced, 1).encode("utf-8"), "spaces.txt")
        assert rec["table3"]["new_received"] == FLAT_GOLD["table3"]["new_received"], spaced
    assert PAGE.count('<p style="text-indent: 0em;">217</p>') == 2
    padded = PAGE.replace('<p style="text-indent: 0em;">217</p>', '<p style="text-indent: 0em;">&nbsp;217&nbsp;</p>')
    page_gold = load_gold("pingtan_2024_page")
    assert compare(parse_bytes(padded.encode("utf-8"), "nbsp.html"), page_gold) == ([], [])
    assert "\t商业\n企业\n" in SEED  # a header cell continued on the next line, as Word pastes it
    assert compare(parse_text(SEED), GOLD) == ([], [])
