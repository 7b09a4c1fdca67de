"""Reports as DOCX: the official blank template (tests/fixtures/template/blank_2021_format.docx)
filled in, merges and formatting left as they are.

The title replaces the template's heading; prose replaces its （文字描述） placeholders; numbers go
into the value cells, found by label (Table 2), by row order checked against the seed labels
(Table 3) and by position (Table 4's last row). Options: values split over two runs, tracked
changes (the value inserted next to a deleted wrong value), content controls, dc:title.
2021 layout only: the template is the 2021 form.
"""
from __future__ import annotations

import copy
import io
from dataclasses import replace
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from tests.render import model, prose
from tests.render.style import Style
from ingest.spec import spec

TEMPLATE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "template" / "blank_2021_format.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
DC = "http://purl.org/dc/elements/1.1/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@lru_cache(maxsize=1)
def _template() -> tuple[dict[str, bytes], etree._Element, etree._Element]:
    with zipfile.ZipFile(TEMPLATE) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    return (members, etree.fromstring(members["word/document.xml"], _PARSER),
            etree.fromstring(members["docProps/core.xml"], _PARSER))


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t")))


def _run(text: str, rpr: etree._Element | None) -> etree._Element:
    r = etree.Element(_w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = etree.SubElement(r, _w("t"))
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _run_props(p: etree._Element) -> etree._Element | None:
    rpr = p.find(f"{_w('r')}/{_w('rPr')}")
    if rpr is None:
        rpr = p.find(f"{_w('pPr')}/{_w('rPr')}")
        if rpr is not None:
            rpr = copy.deepcopy(rpr)
            for bad in rpr.findall(_w("ins")) + rpr.findall(_w("del")):
                rpr.remove(bad)
    return rpr


def _clear(p: etree._Element) -> etree._Element | None:
    """Remove everything but the paragraph properties; return the run properties to reuse."""
    rpr = _run_props(p)
    for child in list(p):
        if child.tag != _w("pPr"):
            p.remove(child)
    for attr in (f"{{{W14}}}paraId", f"{{{W14}}}textId"):
        p.attrib.pop(attr, None)
    return rpr


def _set_paragraph(p: etree._Element, text: str) -> None:
    rpr = _clear(p)
    if text:
        p.append(_run(text, rpr))


def _insert_after(anchor: etree._Element, template: etree._Element, texts: list[str]) -> etree._Element:
    for text in texts:
        p = copy.deepcopy(template)
        _set_paragraph(p, text)
        anchor.addnext(p)
        anchor = p
    return anchor


MARK = "§"


def _template_cells(tables: list[etree._Element]) -> list[tuple[str, etree._Element]]:
    """(key, value cell) for every value cell of the template: t2:code, t3:row.column, t4:code."""
    sp = spec("2021")
    out: list[tuple[str, etree._Element]] = []
    codes_by_label = {row.label: row.codes for row in sp.t2_rows}
    for tr in tables[0].findall(_w("tr")):
        tcs = tr.findall(_w("tc"))
        for code, tc in zip(codes_by_label.get(_text(tcs[0]).strip(), ()), tcs[1:]):
            out.append((f"t2:{code}", tc))
    data_rows = tables[1].findall(_w("tr"))[3:]
    if len(data_rows) != len(sp.t3_rows):
        raise ValueError("template Table 3 does not have the 2021 rows")
    for tr, row in zip(data_rows, sp.t3_rows):
        if row.label[:4] not in _text(tr):
            raise ValueError(f"template row {_text(tr)!r} is not {row.code}")
        for column, tc in zip(sp.t3_columns, tr.findall(_w("tc"))[-len(sp.t3_columns):]):
            out.append((f"t3:{row.code}.{column}", tc))
    for code, tc in zip(sp.t4_codes, tables[2].findall(_w("tr"))[-1].findall(_w("tc"))):
        out.append((f"t4:{code}", tc))
    return out


@lru_cache(maxsize=1)
def _prepared() -> etree._Element:
    """The template with every value cell emptied down to one marker run `§key§`."""
    root = copy.deepcopy(_template()[1])
    for key, tc in _template_cells(root.find(_w("body")).findall(_w("tbl"))):
        paras = tc.findall(_w("p"))
        for extra in paras[1:]:
            tc.remove(extra)
        rpr = _clear(paras[0])
        paras[0].append(_run(f"{MARK}{key}{MARK}", rpr))
    return root


def _cell_texts(record: dict, style: Style) -> dict[str, str]:
    """key -> printed text of every value cell, from the same models the text and HTML use."""
    sp = spec("2021")
    out: dict[str, str] = {}
    t2_rows = [row for row in model.table2(record, style).rows if row[-1].value]
    for row, printed in zip(sp.t2_rows, t2_rows):
        out.update((f"t2:{code}", cell.text) for code, cell in zip(row.codes, printed[1:]))
    for row, printed in zip(sp.t3_rows, model.table3(record, style).rows[3:]):
        cells = printed[-len(sp.t3_columns):]
        out.update((f"t3:{row.code}.{column}", cell.text) for column, cell in zip(sp.t3_columns, cells))
    out.update((f"t4:{code}", cell.text) for code, cell in zip(sp.t4_codes, model.table4(record, style).rows[-1]))
    return out


class _Quirks:
    """Run-level oddities of real files: split runs, tracked changes, content controls."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.rng = style.rng("docx")
        self.ids = 100

    def _wrap(self, runs: list[etree._Element], tag: str, attrs: dict | None = None) -> etree._Element:
        wrapper = etree.Element(_w(tag), attrs or {})
        runs[0].addprevious(wrapper)
        wrapper.extend(runs)
        return wrapper

    def apply(self, run: etree._Element) -> None:
        runs = [run]
        text = run.find(_w("t")).text
        if self.style.split_runs and len(text) > 1 and self.rng.random() < 0.5:
            cut = self.rng.randint(1, len(text) - 1)
            second = copy.deepcopy(run)
            run.find(_w("t")).text, second.find(_w("t")).text = text[:cut], text[cut:]
            run.addnext(second)
            runs.append(second)
        if self.style.tracked and self.rng.random() < 0.3:
            self.ids += 2
            stamp = {_w("id"): str(self.ids), _w("author"): "审核人", _w("date"): "2025-01-15T09:00:00Z"}
            gone = copy.deepcopy(run)
            gone.find(_w("t")).tag = _w("delText")
            gone.find(_w("delText")).text = str(self.rng.randint(1, 999))
            runs[0].addprevious(gone)
            self._wrap([gone], "del", stamp)
            self._wrap(runs, "ins", {**stamp, _w("id"): str(self.ids + 1)})
        elif self.style.sdt and self.rng.random() < 0.3:
            sdt = etree.Element(_w("sdt"))
            runs[0].addprevious(sdt)
            etree.SubElement(etree.SubElement(sdt, _w("sdtPr")), _w("id"), {_w("val"): str(self.ids)})
            etree.SubElement(sdt, _w("sdtContent")).extend(runs)


def _fill_cells(root: etree._Element, record: dict, style: Style) -> None:
    texts = _cell_texts(record, replace(style, label_variants=False, subtotal=""))
    quirks = _Quirks(style)
    markers = [t for t in root.iter(_w("t")) if t.text and t.text.startswith(MARK)]
    for t in markers:
        text = texts[t.text.strip(MARK)]
        run = t.getparent()
        if not text:
            run.getparent().remove(run)
            continue
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        quirks.apply(run)


def _paragraph(body: etree._Element, text: str, nth: int = 0) -> etree._Element:
    found = [p for p in body.findall(_w("p")) if _text(p).strip() == text]
    return found[nth]


def render_docx(record: dict, style: Style) -> bytes:
    """The record printed into the official 2021 template, as DOCX bytes."""
    if record["layout"] != "2021":
        raise ValueError("the DOCX template is the 2021 format; render 2019 records as text or HTML")
    members, _, core_root = _template()
    root = copy.deepcopy(_prepared())
    body = root.find(_w("body"))
    heading = next(p for p in body.findall(_w("p")) if "年度报告格式模板" in _text(p))
    described = _paragraph(body, "（文字描述）")
    problems_p = _paragraph(body, "（文字描述）", 1)
    fees_p = _paragraph(body, "（文字描述，收取信息处理费情况在此处报告。）")
    section3 = _paragraph(body, model.HEADINGS[2])
    ind = style.indent

    _set_paragraph(heading, model.title(record, style))
    _insert_after(heading.getnext(), described, [ind + prose.intro(record)])
    overview = [ind + line for line in prose.overview(record, style)]
    _set_paragraph(described, overview[0])
    _insert_after(described, described, overview[1:])
    problems = [ind + line for line in prose.problems(record, style, 2)]
    _set_paragraph(problems_p, problems[0])
    _insert_after(problems_p, problems_p, problems[1:])
    _set_paragraph(fees_p, ind + prose.fees_paragraph(record, style))
    if style.narrative:
        _insert_after(fees_p, fees_p, prose.closing(record, record["year"]))
    filler_lines = prose.problems(record, style, style.long_narrative, filler=True)
    if filler_lines:
        _insert_after(section3.getprevious(), fees_p, [ind + line for line in filler_lines])

    _fill_cells(root, record, style)
    tables = body.findall(_w("tbl"))
    if style.sdt:
        sdt = etree.Element(_w("sdt"))
        etree.SubElement(etree.SubElement(sdt, _w("sdtPr")), _w("alias"), {_w("val"): "表三"})
        tables[1].addprevious(sdt)
        etree.SubElement(sdt, _w("sdtContent")).append(tables[1])

    core = copy.deepcopy(core_root)
    if style.core_title:
        etree.SubElement(core, f"{{{DC}}}title").text = model.title(record, style)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            if name == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif name == "docProps/core.xml":
                data = etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data,  # same record, same bytes
                        compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()
