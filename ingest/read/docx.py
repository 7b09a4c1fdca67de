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

from ingest.read.grid import Cell, Grid, ReadError

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


_TC_PR = _w("tcPr")
_VMERGE = _w("vMerge")
_VAL = _w("val")


def _is_continuation(tc: etree._Element) -> bool:
    pr = next((c for c in tc if c.tag in _TC_PR), None)  # tcPr comes first when present
    merge = None if pr is None else next((c for c in pr if c.tag in _VMERGE), None)
    if merge is None:
        return False
    return not any(merge.get(v) == "restart" for v in _VAL)


def _row_deleted(tr: etree._Element) -> bool:
    pr = next((c for c in tr if c.tag in _TR_PR), None)
    return pr is not None and any(c.tag in _DROPPED for c in pr)


_TABLE_SEARCH = (*_TEXT_TAGS, *_SLOW_TAGS)  # no namespace wildcard: those make lxml's search slow


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
        """Rows of cells (a continued vertical merge is an empty cell); a row whose cells hold
        tables is a layout row, read like the body. The text of the whole table is gathered in
        one search (lxml's searches cost most in setting up), not one per cell."""
        self.tables += 1
        number = self.tables
        rows: list[list[tuple[etree._Element, list[etree._Element], bool]]] = []  # (cell, paragraphs, holds a table)
        for tr in _children(tbl):
            if tr.tag in _TR and not _row_deleted(tr):
                rows.append([(tc, *_cell_parts(tc)) for tc in _children(tr) if tc.tag in _TC])
        texts = _paragraph_texts(tbl, {p: [] for cells in rows for _, ps, _ in cells for p in ps})
        for row_no, cells in enumerate(rows, start=1):
            if any(nested for _, _, nested in cells):
                for tc, _, _ in cells:
                    self.block(tc)
                continue
            where = f"table {number} row {row_no} col "
            row = [Cell("" if _is_continuation(tc) else _joined(paragraphs, texts), where + str(col))
                   for col, (tc, paragraphs, _) in enumerate(cells, start=1)]
            if row:
                self.rows.append(row)


def _cell_parts(tc: etree._Element) -> tuple[list[etree._Element], bool]:
    """A cell's paragraphs, and whether it holds a table (then its row is a layout row)."""
    paragraphs, nested = [], False
    for child in _children(tc):
        if child.tag in _P:
            paragraphs.append(child)
        elif child.tag in _TBL:
            nested = True
    return paragraphs, nested


def _paragraph_texts(tbl: etree._Element, texts: dict[etree._Element, list[str]]) -> dict[etree._Element, list[str]]:
    """Fill `texts` (paragraph -> pieces of text) from one search of the table. A paragraph with
    something to drop or look through (a deletion, a content control) is read on its own."""
    odd: set[etree._Element] = set()
    for el in tbl.iterdescendants(*_TABLE_SEARCH):
        owner = _paragraph_of(el, tbl, texts)
        if owner is None:
            continue  # in a deleted row, a nested table or cell properties: not a cell's text
        tag = el.tag  # lxml builds the string anew on each access
        if tag in _T:
            texts[owner].append(el.text or "")
        elif tag in _SYMBOL:
            texts[owner].append(_SYMBOL[tag])
        else:
            odd.add(owner)
    for p in odd:
        texts[p] = [_para_text(p)]
    return texts


def _paragraph_of(el: etree._Element, tbl: etree._Element, paragraphs: Container[etree._Element]) -> etree._Element | None:
    """The one of `paragraphs` that `el` lies in (up through runs and text boxes), None if none does."""
    owner = el.getparent()
    while owner is not None and owner is not tbl:
        if owner in paragraphs:
            return owner
        owner = owner.getparent()
    return None


def _joined(paragraphs: list[etree._Element], texts: dict[etree._Element, list[str]]) -> str:
    """A cell's text: its paragraphs' texts, one line each, without leading or trailing blank lines."""
    if len(paragraphs) == 1:
        return "".join(texts[paragraphs[0]]).strip("\n")
    return "\n".join(["".join(texts[p]) for p in paragraphs]).strip("\n")
