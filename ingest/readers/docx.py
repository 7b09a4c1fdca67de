"""DOCX reader: word/document.xml walked in body order into a Grid.

What the grid holds:
- A paragraph outside any table is a one-cell row, source "paragraph N" (N counts every body
  paragraph, empty ones included, so N is the paragraph's place in the document). Empty
  paragraphs are not emitted.
- A table row (w:tr) is one grid row with one Cell per w:tc, in visual order, source
  "table T row R col C" (1-based; T counts every table in document order, nested ones
  included; C is the cell's place in the row). This is what Word itself puts on the clipboard
  and what an HTML page has as <td>s, so the same document read as DOCX, as Word-pasted text
  or as HTML gives the same cells:
    * a horizontally merged cell (w:gridSpan) is emitted once, not repeated per grid column;
    * a vertically merged continuation cell (w:vMerge without "restart") is emitted with empty
      text, like Word's paste, so the rows below a merged label keep their label slots.
  Values therefore sit at the end of a row in the same order as the headers (Table 3's seven
  values are always a row's last seven cells).
- Cell text: the cell's paragraphs joined with "\\n" (leading/trailing blank lines dropped).
  Within a paragraph: w:t text, w:tab -> "\\t", w:br / w:cr -> "\\n", w:noBreakHyphen -> "-".
- Tracked changes: text inside w:ins / w:moveTo is kept, w:del / w:moveFrom is dropped, and a
  row marked deleted (w:trPr/w:del) is skipped.
- Content controls (w:sdt), w:customXml, w:smartTag, w:hyperlink, w:fldSimple are transparent.
- Drawings, text boxes, embedded objects, math and field instructions are not read.
- A table row with a nested table in one of its cells is a layout row (a page laid out in a
  table): its cells' contents are walked like the body, so their paragraphs and tables come out
  as rows in reading order instead of being glued into one cell.
- title_hint: dc:title from docProps/core.xml when present and not blank.

Safety: the XML parser resolves no entities, loads no DTD, touches no network and refuses huge
trees; a zip member larger than 50 MB uncompressed, or compressed more than 200:1 while larger
than 1 MB, is refused with ReadError.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Container

from lxml import etree

from ingest.grid import Cell, Grid, ReadError

MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO strict
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MC_PREFIX = f"{{{_MC}}}"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _w(*names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in _W_NAMESPACES for name in names)


_BODY = _w("body")
_P = _w("p")
_TBL = _w("tbl")
_TR = _w("tr")
_TC = _w("tc")
_R = _w("r")
_T = _w("t")
_TAB = _w("tab", "ptab")
_BREAK = _w("br", "cr")
_HYPHEN = _w("noBreakHyphen")
_SDT = _w("sdt")
_SDT_CONTENT = _w("sdtContent")
# Containers whose children are read as if they stood in the parent.
_TRANSPARENT = _w("ins", "moveTo", "customXml", "smartTag", "hyperlink", "fldSimple", "dir", "bdo")
_DROPPED = _w("del", "moveFrom")
_TR_PR = _w("trPr")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          remove_comments=True, remove_pis=True)


def read(data: bytes) -> Grid:
    """Read DOCX bytes into a Grid; ReadError if the bytes are not a readable DOCX."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ReadError(f"not a DOCX: not a zip archive ({exc})") from exc
    with zf:
        main = _main_part(zf)
        root = _parse(zf, main)
        title = _core_title(zf)
    body = next((el for el in root if el.tag in _BODY), None)
    if body is None:
        raise ReadError(f"not a DOCX: {main} has no w:body")
    walker = _Walker()
    walker.block(body)
    return Grid(rows=walker.rows, flat=False, title_hint=title)


# ---------------------------------------------------------------- zip and XML


def _member(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER_BYTES:
        raise ReadError(f"refused: {name} would unpack to {info.file_size} bytes (limit {MAX_MEMBER_BYTES})")
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ReadError(f"refused: {name} is compressed {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)")
    try:
        with zf.open(info) as fh:
            # The declared size bounds what zipfile will return; read one byte more to be sure.
            raw = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise ReadError(f"cannot unpack {name}: {exc}") from exc
    if len(raw) > MAX_MEMBER_BYTES:
        raise ReadError(f"refused: {name} unpacks to more than {MAX_MEMBER_BYTES} bytes")
    return raw


def _xml(raw: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{name} is not well-formed XML: {exc}") from exc


def _package_target(zf: zipfile.ZipFile, suffix: str) -> str | None:
    """Target of the package relationship whose type ends with `suffix`, from _rels/.rels."""
    raw = _member(zf, "_rels/.rels")
    if raw is None:
        return None
    try:
        rels = _xml(raw, "_rels/.rels")
    except ReadError:
        return None
    for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
        if (rel.get("Type") or "").endswith(suffix) and rel.get("Target"):
            return posixpath.normpath(rel.get("Target").lstrip("/"))
    return None


def _main_part(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    target = _package_target(zf, "/officeDocument")
    if target and target in names:
        return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise ReadError("not a DOCX: the zip has no word/document.xml")


def _parse(zf: zipfile.ZipFile, name: str) -> etree._Element:
    raw = _member(zf, name)
    if raw is None:
        raise ReadError(f"not a DOCX: the zip has no {name}")
    return _xml(raw, name)


def _core_title(zf: zipfile.ZipFile) -> str | None:
    name = _package_target(zf, "/core-properties") or "docProps/core.xml"
    try:
        raw = _member(zf, name)
        if raw is None:
            return None
        root = _xml(raw, name)
    except ReadError:
        return None  # broken metadata never stops the body from being read
    title = root.find(_DC_TITLE)
    text = (title.text or "").strip() if title is not None else ""
    return text or None


# ---------------------------------------------------------------- body walk


def _children(el: etree._Element):
    """Children of `el`, looking through content controls and other transparent wrappers."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in _SDT:
            content = next((c for c in child if c.tag in _SDT_CONTENT), None)
            if content is not None:
                yield from _children(content)
        elif tag in _TRANSPARENT:
            yield from _children(child)
        elif tag in _DROPPED or tag.startswith(_MC_PREFIX):
            continue
        else:
            yield child


def _run_text(run: etree._Element, out: list[str]) -> None:
    for child in run:  # a run holds no wrappers: text, tabs, breaks, drawings, properties
        tag = child.tag
        if tag in _T:
            out.append(child.text or "")
        elif tag in _TAB:
            out.append("\t")
        elif tag in _BREAK:
            out.append("\n")
        elif tag in _HYPHEN:
            out.append("-")


_TEXT_TAGS = tuple(_T | _TAB | _BREAK | _HYPHEN)
_SLOW_TAGS = tuple(_DROPPED | _SDT | {f"{{{_MC}}}AlternateContent"})
_SYMBOL = {t: "\t" for t in _TAB} | {t: "\n" for t in _BREAK} | {t: "-" for t in _HYPHEN}


def _para_text(p: etree._Element) -> str:
    if next(p.iter(*_SLOW_TAGS), None) is None:  # nothing to drop or look through: iterate in C
        return "".join(el.text or "" if el.tag in _T else _SYMBOL[el.tag] for el in p.iter(*_TEXT_TAGS))
    out: list[str] = []
    for child in _children(p):
        if child.tag in _R:
            _run_text(child, out)
    return "".join(out)


def _cell_text(tc: etree._Element) -> str:
    parts = [_para_text(child) for child in _children(tc) if child.tag in _P]
    return "\n".join(parts).strip("\n")


_TC_PR = _w("tcPr")
_VMERGE = _w("vMerge")
_VAL = _w("val")


def _is_continuation(tc: etree._Element) -> bool:
    pr = next((c for c in tc if c.tag in _TC_PR), None)  # tcPr comes first when present
    merge = None if pr is None else next((c for c in pr if c.tag in _VMERGE), None)
    return _continues(merge)


def _continues(merge: etree._Element | None) -> bool:
    """Whether a cell whose (first) w:vMerge is `merge` continues the merged cell above it."""
    if merge is None:
        return False
    return not any(merge.get(v) == "restart" for v in _VAL)


def _row_deleted(tr: etree._Element) -> bool:
    pr = next((c for c in tr if c.tag in _TR_PR), None)
    return pr is not None and any(c.tag in _DROPPED for c in pr)


def _has_table(tc: etree._Element) -> bool:
    return any(child.tag in _TBL for child in _children(tc))


_LOOKED_THROUGH = _SDT | _TRANSPARENT | _DROPPED  # with mc: elements, what `_children` does not yield as is
_PLAIN_SEARCH = (*_TEXT_TAGS, *_VMERGE, *_SLOW_TAGS)  # no namespace wildcard: those make lxml's search slow


class _Walker:
    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self.paragraphs = 0
        self.tables = 0

    def block(self, container: etree._Element) -> None:
        for child in _children(container):
            if child.tag in _P:
                self.paragraphs += 1
                text = _para_text(child)
                if text.strip():
                    self.rows.append([Cell(text, f"paragraph {self.paragraphs}")])
            elif child.tag in _TBL:
                self.table(child)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        if self._plain_table(tbl, number):
            return
        row_no = 0
        for tr in _children(tbl):
            if tr.tag not in _TR or _row_deleted(tr):
                continue
            row_no += 1
            cells = [tc for tc in _children(tr) if tc.tag in _TC]
            if any(_has_table(tc) for tc in cells):
                for tc in cells:  # a layout row: read its cells like the body
                    self.block(tc)
                continue
            row = [
                Cell("" if _is_continuation(tc) else _cell_text(tc), f"table {number} row {row_no} col {col}")
                for col, tc in enumerate(cells, start=1)
            ]
            if row:
                self.rows.append(row)

    def _plain_table(self, tbl: etree._Element, number: int) -> bool:
        """Read a table whose rows, cells and paragraphs are plain element children the way `table`
        does, but with one search of the whole table for text, merges and deletions instead of
        several per cell (lxml's searches cost most in setting up). A paragraph with something to
        drop or look through is read on its own. False, reading nothing, for any other table."""
        texts: dict[etree._Element, list[str]] = {}  # paragraph -> its pieces of text
        merges: dict[etree._Element, etree._Element | None] = {}  # tcPr -> its first w:vMerge
        rows = _plain_rows(tbl, texts, merges)
        if rows is None:
            return False
        odd: set[etree._Element] = set()
        for el in tbl.iterdescendants(*_PLAIN_SEARCH):
            tag = el.tag  # lxml builds the string anew on each access
            if tag in _VMERGE:
                pr = el.getparent()
                if pr in merges and merges[pr] is None:
                    merges[pr] = el
                continue
            owner = _paragraph_of(el, tbl, texts)
            if tag in _T:
                if owner is not None:
                    texts[owner].append(el.text or "")
            elif tag in _SYMBOL:
                if owner is not None:
                    texts[owner].append(_SYMBOL[tag])
            elif owner is None:
                return False  # a deleted row, or a deletion or content control in cell properties
            else:
                odd.add(owner)
        for p in odd:
            texts[p] = [_para_text(p)]
        for row_no, cells in enumerate(rows, start=1):
            where = f"table {number} row {row_no} col "
            row = [Cell("" if _continues(merges.get(pr)) else _joined(paragraphs, texts), where + str(col))
                   for col, (pr, paragraphs) in enumerate(cells, start=1)]
            if row:
                self.rows.append(row)
        return True


_PlainCell = tuple[etree._Element | None, list[etree._Element]]  # first w:tcPr, paragraphs


def _plain_rows(tbl: etree._Element, texts: dict[etree._Element, list[str]],
                merges: dict[etree._Element, etree._Element | None]) -> list[list[_PlainCell]] | None:
    """Each row's cells, when no wrapper stands between the table and its rows, cells and paragraphs
    and no cell holds a table; else None. Paragraphs get an empty list in `texts`, w:tcPr a None in `merges`."""
    rows: list[list[_PlainCell]] = []
    for tr in tbl:
        if tr.tag in _TR:
            cells: list[_PlainCell] = []
            for tc in tr:
                if tc.tag in _TC:
                    cell = _plain_cell(tc, texts, merges)
                    if cell is None:
                        return None
                    cells.append(cell)
                elif _looked_through(tc):
                    return None
            rows.append(cells)
        elif _looked_through(tr):
            return None
    return rows


def _plain_cell(tc: etree._Element, texts: dict[etree._Element, list[str]],
                merges: dict[etree._Element, etree._Element | None]) -> _PlainCell | None:
    pr, paragraphs = None, []
    for child in tc:
        tag = child.tag
        if tag in _P:
            paragraphs.append(child)
            texts[child] = []
        elif tag in _TC_PR:
            if pr is None:
                pr = child
                merges[pr] = None
        elif tag in _TBL or _looked_through(child):
            return None
    return pr, paragraphs


def _looked_through(el: etree._Element) -> bool:
    """Whether `_children` would look through or skip `el` rather than yield it."""
    tag = el.tag
    return isinstance(tag, str) and (tag in _LOOKED_THROUGH or tag.startswith(_MC_PREFIX))


def _paragraph_of(el: etree._Element, tbl: etree._Element, paragraphs: Container[etree._Element]) -> etree._Element | None:
    """The one of `paragraphs` that `el` lies in (up through runs and text boxes), None if none does."""
    owner = el.getparent()
    while owner is not None and owner is not tbl:
        if owner in paragraphs:
            return owner
        owner = owner.getparent()
    return None


def _joined(paragraphs: list[etree._Element], texts: dict[etree._Element, list[str]]) -> str:
    """A cell's text from its paragraphs' pieces, as `_cell_text` gives it."""
    if len(paragraphs) == 1:
        return "".join(texts[paragraphs[0]]).strip("\n")
    return "\n".join(["".join(texts[p]) for p in paragraphs]).strip("\n")
