"""A printed report as blocks: paragraphs and tables of cells with colspan/rowspan.

Labels come from seeds/*.csv (through ingest.spec plus the CSV columns spec does not expose);
only the form's fixed skeleton (section headings, 信息内容, 申请人情况, the Table 3 note) is
written here. The text and HTML renderers print these blocks; the DOCX renderer fills the
official template instead and uses the vocabulary and value formatting from here.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache

from tests.render.style import Style, fmt_amount, fmt_count, fmt_signed
from ingest.spec import SEEDS, label_variants, spec

HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_RESULTS = "本年度办理结果"
T3_SUBTOTAL = "小计"
T2_CONTENT = "信息内容"
NOTICE = {"2021": "国办公开办函〔2021〕30号", "2019": "国办公开办函〔2019〕60号"}


@dataclass
class VCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    value: bool = False  # a number cell (as opposed to a label)


@dataclass
class Para:
    text: str
    role: str = "body"  # title, heading, body


@dataclass
class Table:
    number: int  # 2, 3 or 4: the report's table it prints
    rows: list[list[VCell]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(c.colspan for c in self.rows[0])


def _csv(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def t2_columns(layout: str) -> dict[str, tuple[str, str]]:
    """code -> (article, column label) for Table 2."""
    return {r["code"]: (r["article"], r["column_label"]) for r in _csv("t2_items.csv") if r["layout"] == layout}


@lru_cache(maxsize=None)
def t3_column_labels() -> tuple[tuple[str, str, str], ...]:
    """(code, label, parent label) for Table 3's columns in order."""
    rows = sorted(_csv("t3_columns.csv"), key=lambda r: int(r["position"]))
    return tuple((r["column_code"], r["label"], r["parent_label"]) for r in rows)


@lru_cache(maxsize=None)
def t3_sections() -> dict[str, str]:
    return {r["row_code"]: r["section_label"] for r in _csv("t3_rows.csv")}


@lru_cache(maxsize=None)
def t4_labels() -> tuple[tuple[str, str, str], ...]:
    """(code, block label, outcome label) for Table 4 in order."""
    rows = sorted(_csv("t4_cells.csv"), key=lambda r: int(r["position"]))
    return tuple((r["code"], r["block_label"], r["outcome_label"]) for r in rows)


def title(record: dict, style: Style) -> str:
    word = "年度" if style.title_form == 1 else "年"
    return f"{record['body_name']}{record['year']}{word}政府信息公开工作年度报告"


def wrap(label: str, style: Style) -> str:
    """Four-character header labels on two lines, as the template prints 商业/企业."""
    return f"{label[:2]}\n{label[2:]}" if style.wrap_headers and len(label) == 4 else label


def wrap_label(label: str, style: Style) -> str:
    """A long row label broken in two inside its cell: after 、 or ，, before （, else mid-way."""
    if not style.wrap_labels or len(label) < 12:
        return label
    middle = len(label) // 2
    cuts = [i + 1 for i, ch in enumerate(label) if ch in "、，"] + [i for i, ch in enumerate(label) if ch == "（" and i > 2]
    cut = min(cuts, key=lambda i: abs(i - middle)) if cuts else middle
    return f"{label[:cut]}\n{label[cut:]}" if 0 < cut < len(label) else label


def variant(table_no: int, code: str, label: str, style: Style, salt: str) -> str:
    options = label_variants().get((table_no, code), ())
    if style.label_variants and options:
        return style.rng(salt).choice((label, *options))
    return label


def _value(kind: str, unit: str, value, style: Style, where: str, suffix: bool) -> VCell:
    if kind == "signed":
        text = fmt_signed(value, style, where)
    elif kind == "amount":
        text = fmt_amount(value, style, where, "元" if unit == "yuan" and style.yuan_suffix else "")
    else:
        text = fmt_count(value, style, where, suffix=suffix)
    return VCell(text, value=True)


def table2(record: dict, style: Style, width: int = 4) -> Table:
    sp, cols = spec(record["layout"]), t2_columns(record["layout"])
    table = Table(2)
    articles: dict[str, list] = {}
    for row in sp.t2_rows:
        articles.setdefault(cols[row.codes[0]][0], []).append(row)
    for article, rows in articles.items():
        k = max(len(r.codes) for r in rows)
        table.rows.append([VCell(article, colspan=width)])
        labels = [cols[c][1] for c in max(rows, key=lambda r: len(r.codes)).codes]
        header = [VCell(T2_CONTENT)] + [VCell(label) for label in labels]
        header[-1].colspan = width - k
        table.rows.append(header)
        for row in rows:
            cells = [VCell(variant(2, row.group, row.label, style, row.label))]
            for code, kind, unit in zip(row.codes, row.kinds, row.units):
                cells.append(_value(kind, unit, record["table2"][code], style, code, suffix=False))
            cells[-1].colspan = width - len(row.codes)
            table.rows.append(cells)
    return table


def _t3_label(row, style: Style) -> tuple[str, str, str]:
    """(section numeral, "（x）group" or "", printed label) for a Table 3 row."""
    section = t3_sections()[row.code]
    numeral, _, rest = section.partition("（")
    label = variant(3, row.code, row.label, style, row.code)
    if not rest:
        return numeral, "", f"{numeral}、{label}"
    sub, _, name = rest.partition("）")
    if row.item_no:
        return numeral, f"（{sub}）{name}", f"{row.item_no}.{label}"
    return numeral, "", f"（{sub}）{label}"


def table3(record: dict, style: Style) -> Table:
    sp = spec(record["layout"])
    columns = t3_column_labels()
    table = Table(3)
    parent = next(p for _, _, p in columns if p)
    children = [wrap(label, style) for _, label, p in columns if p]
    subtotal_at = {"before": 0, "after": len(children)}.get(style.subtotal)
    if subtotal_at is not None:
        children.insert(subtotal_at, T3_SUBTOTAL)
    width = len(children) + 2
    table.rows.append([VCell(T3_NOTE, colspan=3, rowspan=3), VCell(T3_APPLICANTS, colspan=width)])
    table.rows.append([VCell(wrap(columns[0][1], style), rowspan=2), VCell(parent, colspan=len(children)),
                       VCell(wrap(columns[-1][1], style), rowspan=2)])
    table.rows.append([VCell(label) for label in children])
    labelled = [(row, *_t3_label(row, style)) for row in sp.t3_rows]
    results = [x for x in labelled if x[1] == "三"]
    groups: dict[str, int] = {}
    for _, _, group, _ in labelled:
        if group:
            groups[group] = groups.get(group, 0) + 1
    seen: set[str] = set()
    for row, numeral, group, label in labelled:
        cells: list[VCell] = []
        if numeral == "三" and row is results[0][0]:
            cells.append(VCell(f"三、{T3_RESULTS}", rowspan=len(results)))
        label = wrap_label(label, style)
        if numeral != "三":
            cells.append(VCell(label, colspan=3))
        elif group:
            if group not in seen:
                seen.add(group)
                cells.append(VCell(group, rowspan=groups[group]))
            cells.append(VCell(label))
        else:
            cells.append(VCell(label, colspan=2))
        values = record["table3"][row.code]
        printed = [VCell(fmt_count(values[code], style, f"{row.code}.{code}", suffix=True), value=True)
                   for code, _, _ in columns]
        if subtotal_at is not None:
            orgs = sum(values[code] for code, _, p in columns if p)
            printed.insert(1 + subtotal_at, VCell(fmt_count(orgs, style, f"{row.code}.subtotal", suffix=True),
                                                  value=True))
        table.rows.append(cells + printed)
    return table


def table4(record: dict, style: Style) -> Table:
    labels = t4_labels()
    table = Table(4)
    blocks: dict[str, list[tuple[str, str]]] = {}
    for code, block, outcome in labels:
        blocks.setdefault(block, []).append((code, outcome))
    tops: dict[str, list[str]] = {}
    for block in blocks:
        top, _, sub = block.partition(" · ")
        tops.setdefault(top, []).append(sub)
    table.rows.append([VCell(top, colspan=sum(len(blocks[f"{top} · {s}" if s else top]) for s in subs))
                       for top, subs in tops.items()])
    second, third = [], []
    for block, items in blocks.items():
        _, _, sub = block.partition(" · ")
        if sub:
            second.append(VCell(sub, colspan=len(items)))
            third.extend(VCell(wrap(outcome, style)) for _, outcome in items)
        else:
            second.extend(VCell(wrap(outcome, style), rowspan=2) for _, outcome in items)
    table.rows.extend([second, third])
    table.rows.append([VCell(fmt_count(record["table4"][code], style, code, suffix=True), value=True)
                       for code, _, _ in labels])
    return table


def document(record: dict, style: Style) -> list[Para | Table]:
    """The whole report in reading order."""
    from tests.render.prose import closing, fees_paragraph, intro, overview, problems

    year, ind = record["year"], style.indent
    blocks: list[Para | Table] = [Para(title(record, style), "title"), Para(ind + intro(record))]
    blocks.append(Para(HEADINGS[0], "heading"))
    blocks += [Para(ind + p) for p in overview(record, style)]
    blocks += [Para(HEADINGS[1], "heading"), table2(record, style)]
    blocks += [Para(ind + p) for p in problems(record, style, style.long_narrative, filler=True)]
    blocks += [Para(HEADINGS[2], "heading"), table3(record, style)]
    blocks += [Para(HEADINGS[3], "heading"), table4(record, style)]
    blocks += [Para(HEADINGS[4], "heading")] + [Para(ind + p) for p in problems(record, style, 2)]
    blocks += [Para(HEADINGS[5], "heading"), Para(ind + fees_paragraph(record, style))]
    if style.narrative:
        blocks += [Para(line) for line in closing(record, year)]
    return blocks
