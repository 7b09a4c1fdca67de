"""The extractor: one shared core that reads the report out of any reader's grid.

It anchors on labels from the seeds, reads values by position after each label, and turns
glued digit runs into numbers only where the format's identities leave exactly one choice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import spec as spec_mod
from ingest.extract.glued import sum_check
from ingest.extract.narrative import find_counts, stated_cells
from ingest.read.grid import Grid
from ingest.extract.rows import CellValue, RowRead, read_row
from ingest.extract.solve import solve_table3
from ingest.read.stream import GAP, Stream, build_stream, label_pattern, tokens

SECTION_NO = {2: "二2", 3: "三3", 4: "四4", 0: "五5"}
TITLE = re.compile(r"([\u4e00-\u9fff()（）]{2,60}?)\s*(\d{4})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度?报告")


@dataclass
class Ambiguity:
    """A glued run that several splits fit: its cells (keys as `table2.normative_docs_issued`,
    `table3.granted.total`) stay null, and every split that passed the format's sums is kept."""
    cells: list[str]
    run: str
    source: str
    options: list[tuple]


@dataclass
class Extraction:
    layout: str
    title: str | None
    body_name: str | None
    year: int | None
    table2: dict[str, CellValue | None] = field(default_factory=dict)
    table3: dict[str, dict[str, CellValue | None]] = field(default_factory=dict)
    table4: dict[str, CellValue | None] = field(default_factory=dict)
    narrative: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    stream: Stream | None = None


def detect_layout(text: str, warnings: list[str]) -> str:
    compact = "".join(text.split())  # white space out (str.split and re's \s agree on what it is)
    scores = {layout: sum(compact.count(m) for m in markers) for layout, markers in spec_mod.layout_markers().items()}
    best = max(sorted(scores), key=lambda k: scores[k])
    if scores[best] == 0:
        warnings.append("format not recognised from its headers; read as the 2021 format")
        return "2021"
    return best


def find_title(grid: Grid, stream: Stream) -> tuple[str | None, str | None, int | None]:
    texts = ([grid.title_hint] if grid.title_hint else []) + [c.text for row in grid.rows[:40] for c in row]
    for text in texts:
        m = TITLE.search("".join(text.split()))
        if m:
            return m.group(0), m.group(1), int(m.group(2))
    return None, None, None


def _anchor(stream: Stream, table_no: int, start: int) -> re.Match[str] | None:
    """The section heading of a table: numbered (二、/2.) where printed so, else the last mention."""
    pattern = label_pattern(spec_mod.section_anchors()[table_no])
    numbered = re.compile(f"[{SECTION_NO[table_no]}]{GAP}[、.]{GAP}(?:\\(?\\S{{0,4}}?\\)?)?{GAP}" + pattern.pattern)
    found = numbered.search(stream.text, start)
    if found:
        inner = pattern.search(stream.text, found.start())
        return inner
    mentions = list(pattern.finditer(stream.text, start))
    return mentions[-1] if mentions else None


def regions(stream: Stream, warnings: list[str]) -> dict[int, tuple[int, int] | None]:
    marks: dict[int, re.Match[str] | None] = {}
    pos = 0
    for table_no in (2, 3, 4, 0):
        m = _anchor(stream, table_no, pos)
        marks[table_no] = m
        if m:
            pos = m.end()
    out: dict[int, tuple[int, int] | None] = {}
    ends = [m.start() for m in marks.values() if m] + [len(stream.text)]
    for table_no in (2, 3, 4):
        m = marks[table_no]
        if m is None:
            warnings.append(f"Table {table_no} not found (no heading {spec_mod.section_anchors()[table_no][0]})")
            out[table_no] = None
            continue
        out[table_no] = (m.end(), min(e for e in ends if e > m.start()))
    return out


def _locate(stream: Stream, labels: list[tuple[tuple[str, ...], str]], span: tuple[int, int]) -> list[tuple[int, int] | None]:
    """Positions of each label, in order, each searched after the previous one found."""
    pos, end = span
    out: list[tuple[int, int] | None] = []
    for texts, item_no in labels:
        m = label_pattern(texts, item_no).search(stream.text, pos, end)
        out.append((m.start(), m.end()) if m else None)
        if m:
            pos = m.end()
    return out


def _segments(found: list[tuple[int, int] | None], end: int) -> list[tuple[int, int] | None]:
    out: list[tuple[int, int] | None] = []
    for i, span in enumerate(found):
        if span is None:
            out.append(None)
            continue
        nxt = next((f[0] for f in found[i + 1:] if f), end)
        out.append((span[1], nxt))
    return out


def read_table2(stream: Stream, grid: Grid, layout: str, span: tuple[int, int], ex: Extraction) -> None:
    rows = spec_mod.spec(layout).t2_rows
    variants = spec_mod.label_variants()
    labels = [((r.label, *variants.get((2, r.group), ())), "") for r in rows]
    for row, seg in zip(rows, _segments(_locate(stream, labels, span), span[1])):
        read = RowRead(problem="row label not found") if seg is None else read_row(
            stream, tokens(stream, seg[0], seg[1], cross_rows=False, flat=grid.flat), row.kinds, row.units, grid.flat)
        for code, cell in zip(row.codes, _settle(read, row.codes, f"Table 2 {row.label}", ex, "table2")):
            ex.table2[code] = cell


def read_table3(stream: Stream, grid: Grid, layout: str, span: tuple[int, int], ex: Extraction) -> None:
    sp = spec_mod.spec(layout)
    variants = spec_mod.label_variants()
    labels = [((r.label, *variants.get((3, r.code), ())), r.item_no) for r in sp.t3_rows]
    kinds, units = ["count"] * len(sp.t3_columns), [""] * len(sp.t3_columns)
    reads: dict[str, RowRead] = {}
    found = _locate(stream, labels, span)
    first = next((f[0] for f in found if f), span[1])
    extra_at = _subtotal_column(stream, span[0], first)
    for row, seg in zip(sp.t3_rows, _segments(found, span[1])):
        reads[row.code] = RowRead(problem="row label not found") if seg is None else read_row(
            stream, tokens(stream, seg[0], seg[1], cross_rows=False, flat=grid.flat), kinds, units, grid.flat,
            sum_check([len(kinds)]), extra_at)
        _check_subtotal(row.code, reads[row.code], ex.warnings)
    solve_table3(reads, sp, ex.warnings)
    for row in sp.t3_rows:
        cells = _settle(reads[row.code], sp.t3_columns, f"Table 3 row {row.code}", ex, f"table3.{row.code}")
        ex.table3[row.code] = dict(zip(sp.t3_columns, cells))


def _subtotal_column(stream: Stream, start: int, end: int) -> int | None:
    """Where a 小计 column for 法人或其他组织 is printed: before 商业企业 (1) or after 其他 (6)."""
    subtotal = label_pattern(("小计",)).search(stream.text, start, end)
    if subtotal is None:
        return None
    first_org = label_pattern(("商业企业",)).search(stream.text, start, end)
    return 1 if first_org is not None and subtotal.start() < first_org.start() else 6


def _check_subtotal(code: str, read: RowRead, warnings: list[str]) -> None:
    if read.extra is None or read.cells is None:
        return
    orgs = [c.value for c in read.cells[1:6]]
    if read.extra.value is None or None in orgs or read.extra.value != sum(orgs):
        warnings.append(f"Table 3 row {code}: 小计 {read.extra.raw!r} at {read.extra.source} "
                        f"is not the sum of the five 法人或其他组织 columns ({sum(v or 0 for v in orgs)})")


def read_table4(stream: Stream, grid: Grid, layout: str, span: tuple[int, int], ex: Extraction) -> None:
    sp = spec_mod.spec(layout)
    start, end = span
    digit = re.search(r"\d", stream.text[start:end])
    first = start + digit.start() if digit else end
    headers = list(label_pattern(("总计",)).finditer(stream.text, start, first))
    seg_start = headers[-1].end() if headers else start
    groups = [len(sp.t4_outcomes)] * len(sp.t4_blocks)
    read = read_row(stream, tokens(stream, seg_start, end, cross_rows=True, flat=grid.flat), ["count"] * len(sp.t4_codes),
                    [""] * len(sp.t4_codes), grid.flat, sum_check(groups))
    for code, cell in zip(sp.t4_codes, _settle(read, sp.t4_codes, "Table 4", ex, "table4")):
        ex.table4[code] = cell


def _settle(read: RowRead, codes: tuple[str, ...] | list[str], what: str, ex: Extraction,
            prefix: str) -> list[CellValue | None]:
    """Final cells of a row: read, split from a glued run, or None with a warning naming the cells.

    Of several splits that pass the format's sums, the one that agrees with a figure the
    narrative restates (NARRATIVE_MATCH) is taken when it is the only one."""
    warnings = ex.warnings
    if read.cells is not None:
        for code, cell in zip(codes, read.cells):
            if cell.value is None:
                warnings.append(f"{what} {code}: {cell.note} at {cell.source}")
        return list(read.cells)
    keys = [f"{prefix}.{code}" for code in codes]
    options, said = _agreeing(read, keys, ex)
    if read.glued and len(read.options) > 1 and len(options) == 1:
        warnings.append(f"{what}: glued run {read.glued!r} at {read.glued_source} split as "
                        f"{' | '.join(str(v) for v in options[0])}, the only one of {len(read.options)} "
                        f"possible splits that agrees with the narrative")
        note = f"split from glued run {read.glued!r}: of {len(read.options)} splits, the one agreeing with {said}"
        return [CellValue(v, read.glued, read.glued_source, note) for v in options[0]]
    if read.glued and len(read.options) == 1:
        return [CellValue(v, read.glued, read.glued_source, f"split from glued run {read.glued!r}") for v in read.options[0]]
    if read.glued:
        shown = "; ".join(" | ".join(str(v) for v in o) for o in read.options[:6])
        more = f" (+{len(read.options) - 6} more)" if len(read.options) > 6 else ""
        reason = f"{len(read.options)} possible splits: {shown}{more}" if read.options else "no split satisfies the format's sums"
        if said and read.options and len(options) < len(read.options):
            reason += f"; {len(options) or 'none'} of them agree with the narrative ({said})"
        warnings.append(f"{what}: glued run {read.glued!r} at {read.glued_source} left unread "
                        f"(cells {', '.join(codes)}): {reason}")
        if not read.options:
            return [None] * len(codes)
        ex.ambiguous.append(Ambiguity(keys, read.glued, read.glued_source, options or list(read.options)))
        note = f"left unread: glued run {read.glued!r} has {len(read.options)} possible splits"
        return [CellValue(None, read.glued, read.glued_source, note) for _ in codes]
    warnings.append(f"{what}: {read.problem}; cells {', '.join(codes)} unreadable")
    return [None] * len(codes)


def _agreeing(read: RowRead, keys: list[str], ex: Extraction) -> tuple[list[tuple], str]:
    """The splits agreeing with every figure the narrative restates for this row, and those
    figures as printed ('' when it restates none)."""
    stated = stated_cells(ex.narrative)
    facts = {i: stated[key] for i, key in enumerate(keys) if key in stated}
    if not facts or not read.glued:
        return list(read.options), ""
    fits = [o for o in read.options if all(o[i] == f["value"] for i, f in facts.items())]
    return fits, "; ".join(f"{f['raw']!r} at {f['source']}" for f in facts.values())


def extract(grid: Grid) -> Extraction:
    stream = build_stream(grid)
    warnings: list[str] = []
    layout = detect_layout(stream.text, warnings)
    title, body, year = find_title(grid, stream)
    if title is None:
        warnings.append("no title naming the body and year (…2024年政府信息公开工作年度报告)")
    ex = Extraction(layout, title, body, year, warnings=warnings, stream=stream)
    spans = regions(stream, warnings)
    ex.narrative = find_counts(stream, spans[2][0] if spans[2] else None)
    sp = spec_mod.spec(layout)
    readers = {2: (read_table2, sp.t2_codes), 3: (read_table3, None), 4: (read_table4, sp.t4_codes)}
    for table_no, (reader, codes) in readers.items():
        span = spans[table_no]
        if span is not None:
            reader(stream, grid, layout, span, ex)
        elif table_no == 3:
            ex.table3 = {r.code: dict.fromkeys(sp.t3_columns) for r in sp.t3_rows}
        else:
            getattr(ex, f"table{table_no}").update(dict.fromkeys(codes))
    return ex
