"""The extractor: one shared core that reads the report out of any reader's grid.

It finds the tables by their section headings, tells the form (2021 or 2019) of Table 2 and of
Table 3 apart (a report may print each in another), aligns each table's statutory rows with
the labels it prints (ingest.extract.rows), reads values by position after each label, and
hands glued digit runs to ingest.extract.settle, which turns them into numbers only where the
evidence leaves exactly one choice.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest import spec as spec_mod
from ingest.extract.narrative import find_counts, stated_cells
from ingest.extract.record import NOT_FOUND, Cell, Record, Run
from ingest.extract.rows import Found, RowLabel, RowRead, align, read_row
from ingest.extract.settle import identities, run_cells
from ingest.extract.title import find_title
from ingest.read.grid import Grid
from ingest.read.stream import GAP, Stream, build_stream, label_pattern, tokens


def _compact(text: str) -> str:
    return "".join(text.split())  # white space and cell borders out (str.split counts both)


def _markers(compact: str, *tables: int) -> dict[str, int]:
    """{layout: how often its markers for `tables` occur in the compacted text}."""
    return {layout: sum(compact.count(m) for t in tables for m in spec_mod.layout_markers(t)[layout])
            for layout in spec_mod.LAYOUTS}


def _best(scores: dict[str, int]) -> str | None:
    best = max(sorted(scores), key=lambda k: scores[k])
    return best if scores[best] > 0 else None


def detect_layout(text: str, warnings: list[str]) -> str:
    """The form of Table 2 (the report's `layout`), from the whole document's markers."""
    compact = _compact(text)
    found = _best(_markers(compact, 0, 2)) or _best(_markers(compact, 3))
    if found is None:
        warnings.append("format not recognised from its headers; read as the 2021 format")
        return "2021"
    return found


def table3_layout(stream: Stream, span: tuple[int, int] | None, layout: str) -> str:
    """The form Table 3 is printed in: its own markers decide; without any, the report's."""
    if span is None:
        return layout
    return _best(_markers(_compact(stream.text[span[0]:span[1]]), 3)) or layout


def _anchor(stream: Stream, table_no: int, start: int) -> re.Match[str] | None:
    """The section heading of a table: numbered (二、/2.) where printed so, else the last mention."""
    pattern = label_pattern(spec_mod.section_anchors()[table_no])
    numbered = re.compile(f"[{spec_mod.section_numbers()[table_no]}]{GAP}[、.]{GAP}(?:\\(?\\S{{0,4}}?\\)?)?{GAP}"
                          + pattern.pattern)
    found = numbered.search(stream.text, start)
    if found:
        return pattern.search(stream.text, found.start())
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


def _segments(found: Sequence[Found | None], end: int) -> list[tuple[int, int] | None]:
    """Where each found row's values are: from its label to the next found label."""
    out: list[tuple[int, int] | None] = []
    for i, row in enumerate(found):
        nxt = next((f.start for f in found[i + 1:] if f), end)
        out.append(None if row is None else (row.end, nxt))
    return out


@dataclass(frozen=True)
class _Table:
    """A table's statutory rows in one layout, as the reader needs them (made once per layout)."""

    labels: tuple[RowLabel, ...]      # each row's label and variants (Table 4: none, one run of cells)
    keys: tuple[tuple[str, ...], ...]  # the cell keys of each row
    codes: tuple[tuple[str, ...], ...]  # the codes of each row's cells, as warnings name them
    what: tuple[str, ...]             # how warnings name each row

    @property
    def all_keys(self) -> list[str]:
        return [key for keys in self.keys for key in keys]


@lru_cache(maxsize=None)
def _table(table_no: int, layout: str) -> _Table:
    sp, variants = spec_mod.spec(layout), spec_mod.label_variants()
    if table_no == 2:
        return _Table(tuple(RowLabel(r.label, (r.label, *variants.get((2, r.group), ()))) for r in sp.t2_rows),
                      tuple(tuple(f"table2.{c}" for c in r.codes) for r in sp.t2_rows),
                      tuple(r.codes for r in sp.t2_rows), tuple(f"Table 2 {r.label}" for r in sp.t2_rows))
    if table_no == 3:
        return _Table(tuple(RowLabel(r.label, (r.label, *variants.get((3, r.code), ())), r.item_no) for r in sp.t3_rows),
                      tuple(tuple(f"table3.{r.code}.{c}" for c in sp.t3_columns) for r in sp.t3_rows),
                      tuple(sp.t3_columns for _ in sp.t3_rows), tuple(f"Table 3 row {r.code}" for r in sp.t3_rows))
    return _Table((), (tuple(f"table4.{c}" for c in sp.t4_codes),), (sp.t4_codes,), ("Table 4",))


class _Reader:
    """Reads the tables of one report into its record."""

    def __init__(self, stream: Stream, grid: Grid, rec: Record) -> None:
        self.stream, self.flat, self.rec = stream, grid.flat, rec
        self.stated = stated_cells(rec.narrative)

    def row(self, seg: tuple[int, int] | None, kinds: Sequence[str], units: Sequence[str],
            groups: Sequence[int] | None = None, extra_at: int | None = None, cross_rows: bool = False) -> RowRead:
        if seg is None:
            return RowRead(problem="row not printed")
        toks = tokens(self.stream, seg[0], seg[1], cross_rows=cross_rows, flat=self.flat)
        return read_row(self.stream, toks, kinds, units, self.flat, groups, extra_at)

    def finish(self, read: RowRead, keys: Sequence[str], codes: Sequence[str], what: str, found: Found | None) -> None:
        """The row's cells into the record: read, split from a glued run, or null with a warning."""
        if read.cells is not None:
            cells = read.cells
            for code, cell in zip(codes, cells):
                if cell.value is None:
                    self.rec.warnings.append(f"{what} {code}: {cell.note} at {cell.source}")
        elif read.split is not None:
            run = Run(list(keys), read.glued, read.glued_source, read.split.options)
            cells = run_cells(run, read.split, what, codes, self.rec, self.stated)
        else:
            absent = read.problem == "row not printed"
            self.rec.warnings.append(f"{what}: {read.problem}; cells {', '.join(codes)} "
                                     + ("null" if absent else "unreadable"))
            cells = [Cell(None, None, None, NOT_FOUND if absent else read.problem) for _ in codes]
        if found is not None and found.read_as is not None:
            note = f"label read as {found.read_as}"
            for cell in cells:
                cell.note = f"{cell.note}; {note}" if cell.note else note
            self.rec.warnings.append(f"{what}: label read as {found.read_as!r} (by similarity)")
        self.rec.cells.update(zip(keys, cells))

    def table2(self, span: tuple[int, int]) -> None:
        rows, table = spec_mod.spec(self.rec.layout).t2_rows, _table(2, self.rec.layout)
        found = align(self.stream, table.labels, span)
        for i, (row, seg) in enumerate(zip(rows, _segments(found, span[1]))):
            self.finish(self.row(seg, row.kinds, row.units), table.keys[i], table.codes[i], table.what[i], found[i])

    def table3(self, span: tuple[int, int]) -> None:
        sp, table = spec_mod.spec(self.rec.table3_layout), _table(3, self.rec.table3_layout)
        n = len(sp.t3_columns)
        found = align(self.stream, table.labels, span)
        first = next((f.start for f in found if f), span[1])
        extra_at = self._subtotal_column(span[0], first)
        reads = {}
        for row, seg in zip(sp.t3_rows, _segments(found, span[1])):
            reads[row.code] = self.row(seg, ["count"] * n, [""] * n, [n], extra_at)
            self._check_subtotal(row.code, reads[row.code])
        splits = {code: r.split for code, r in reads.items() if r.split}
        if splits:
            known = {code: None if r.cells is None else tuple(c.value for c in r.cells) for code, r in reads.items()
                     if not r.split}
            identities(known, splits, sp, self.rec.warnings)
        for i, row in enumerate(sp.t3_rows):
            self.finish(reads[row.code], table.keys[i], table.codes[i], table.what[i], found[i])

    def _subtotal_column(self, start: int, end: int) -> int | None:
        """Where a 小计 column for 法人或其他组织 is printed: before 商业企业 (1) or after 其他 (6)."""
        subtotal = label_pattern(spec_mod.label_variants()[(3, "subtotal")]).search(self.stream.text, start, end)
        if subtotal is None:
            return None
        first = spec_mod.column_labels(3)[spec_mod.spec(self.rec.table3_layout).t3_columns[1]]
        first_org = label_pattern((first,)).search(self.stream.text, start, end)
        return 1 if first_org is not None and subtotal.start() < first_org.start() else 6

    def _check_subtotal(self, code: str, read: RowRead) -> None:
        if read.extra is None or read.cells is None:
            return
        orgs = [c.value for c in read.cells[1:6]]
        if read.extra.value is None or None in orgs or read.extra.value != sum(orgs):
            self.rec.warnings.append(f"Table 3 row {code}: 小计 {read.extra.raw!r} at {read.extra.source} "
                                     f"is not the sum of the five 法人或其他组织 columns ({sum(v or 0 for v in orgs)})")

    def table4(self, span: tuple[int, int]) -> None:
        sp = spec_mod.spec(self.rec.layout)
        start, end = span
        digit = re.search(r"\d", self.stream.text[start:end])
        first = start + digit.start() if digit else end
        total = spec_mod.column_labels(4)[sp.t4_outcomes[-1]]
        headers = list(label_pattern((total,)).finditer(self.stream.text, start, first))
        n = len(sp.t4_codes)
        read = self.row((headers[-1].end() if headers else start, end), ["count"] * n, [""] * n,
                        [len(sp.t4_outcomes)] * len(sp.t4_blocks), cross_rows=True)
        table = _table(4, self.rec.layout)
        self.finish(read, table.keys[0], table.codes[0], table.what[0], None)


def extract(grid: Grid, file: str = "", sha256: str = "", form: str = "") -> Record:
    stream = build_stream(grid)
    warnings: list[str] = []
    layout = detect_layout(stream.text, warnings)
    title, body, year = find_title(grid)
    if title is None or body is None:
        warnings.append("no title naming the body and year (…2024年政府信息公开工作年度报告)")
    spans = regions(stream, warnings)
    rec = Record(file, sha256, form, layout, table3_layout(stream, spans[3], layout), title, body, year,
                 warnings=warnings)
    rec.narrative = find_counts(stream, spans[2][0] if spans[2] else None)
    reader = _Reader(stream, grid, rec)
    for table_no, read, layout in ((2, reader.table2, rec.layout), (3, reader.table3, rec.table3_layout),
                                   (4, reader.table4, rec.layout)):
        if spans[table_no] is not None:
            read(spans[table_no])
        else:  # no heading: every cell of the table is null, as a missing table's warning says
            rec.cells.update((key, Cell(None, None, None, NOT_FOUND)) for key in _table(table_no, layout).all_keys)
    return rec
