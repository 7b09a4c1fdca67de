"""Write the hostile corpus: tests/fixtures/invalid/ and tests/fixtures/valid/encodings/.

    .venv/bin/python scripts/make_hostile_corpus.py [--corpus tests/fixtures/corpus]
    .venv/bin/python scripts/make_hostile_corpus.py --folder DIR   # a reports folder: corpus + every hostile entry

Deterministic (fixed zip timestamps, seeded junk), so re-running gives the same bytes. The
200 MB file is not committed: tests call make_huge() into a temporary folder. The zip bomb is
committed (about 1 MB on disk, more than 1 GiB inflated); make_zip_bomb() can also write it
at test time. `write_hostile_folder` builds what `xxgk build` must survive: the shipped corpus,
every file of tests/fixtures/invalid, the huge file, and entries that are not regular files
(FIFO, links out of the folder, to /dev/zero, dangling, looping, to a folder) or whose names
hold rich markup (`[/x]`, `reports [draft]/`).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.render.pdf import pdf_file  # noqa: E402
INVALID = ROOT / "tests" / "fixtures" / "invalid"
ENCODINGS = ROOT / "tests" / "fixtures" / "valid" / "encodings"
DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "corpus"  # copies of /work/shared/corpus
SHIPPED = ROOT / "data" / "reports"  # the shipped corpus with its manifest
SHITAI = "shitai_2024_word_paste.txt"
PINGTAN_HTML = "pingtan_2024_page.html"
PINGTAN_FLAT = "pingtan_2024_flat.txt"
GLUED_T4 = "21317000001324019"  # Table 4 of the Pingtan flat text: one glued run of 15 cells
BUSY_T4 = "21564331232414321179190881264110"  # the same cells of a busier body: 32 digits (issue 9, D2)
# Files of tests/fixtures/invalid that a build must load (their hostile part is neutralized):
# the external entities are never resolved, the cut page loads what it has (with warnings),
# and the identical copies are one report.
LOADED = {"xxe_external_entity.docx", "xxe_external_entity.xhtml", "truncated_table3.html",
          "duplicate/shitai_2024_a.txt"}
COPIES = {"duplicate/shitai_2024_copy_b.txt": "duplicate/shitai_2024_a.txt"}
# A valid report that used to parse for minutes (D2): a failure at the per-file time limit while
# glued runs are split by listing every candidate, a loaded report once splitting is bounded.
SLOW = {"glued_table4_32_digits.txt"}
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
BOMB_BYTES = 1100 * 1024 * 1024  # inflated size of the bomb's document.xml (> 1 GiB)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XXE_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = "<!DOCTYPE w:document [<!ENTITY lol0 \"lol\">" + "".join(
    f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)) + "]>"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def docx_bytes(document_xml: bytes) -> bytes:
    """A minimal DOCX package around the given word/document.xml."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_info("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(_info("_rels/.rels"), RELS)
        z.writestr(_info("word/document.xml"), document_xml)
    return buf.getvalue()


def _paragraph(line: str) -> str:
    runs = "<w:r><w:tab/></w:r>".join(f'<w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r>' for p in line.split("\t"))
    return f"<w:p>{runs}</w:p>"


def document_xml(lines: list[str], doctype: str = "", raw_paragraphs: tuple[str, ...] = ()) -> bytes:
    """word/document.xml with one paragraph per line, tabs as w:tab; raw_paragraphs go first."""
    body = "".join(raw_paragraphs) + "".join(_paragraph(line) for line in lines)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode("utf-8")


def report_lines(corpus: Path) -> list[str]:
    return (corpus / SHITAI).read_text(encoding="utf-8").splitlines()


def make_truncated_docx(lines: list[str]) -> bytes:
    """A real DOCX cut at 60%: local headers survive, the central directory is gone."""
    data = docx_bytes(document_xml(lines))
    return data[: len(data) * 6 // 10]


def make_corrupt_docx() -> bytes:
    """A well-formed zip whose word/document.xml is seeded random garbage, not XML."""
    return docx_bytes(random.Random(1).randbytes(4096))


def make_not_a_zip_docx() -> bytes:
    """A legacy Word 97-2003 .doc (OLE2 compound file header, then junk) renamed .docx."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header + bytes(512 - len(header)) + make_binary_junk(8192, seed=5)


def make_zip_bomb(path: Path, inflated: int = BOMB_BYTES) -> Path:
    """A DOCX whose document.xml inflates to `inflated` bytes (deflate of one repeated byte, ~1000:1)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    chunk = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compresslevel=9) as z:
        z.writestr(_info("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(_info("_rels/.rels"), RELS)
        with z.open(_info("word/document.xml"), "w", force_zip64=True) as f:
            f.write(head)
            written = len(head)
            while written < inflated:
                n = min(len(chunk), inflated - written)
                f.write(chunk[:n])
                written += n
    return path


def make_xxe_docx(lines: list[str]) -> bytes:
    """The report as DOCX with an external entity to /etc/passwd in its first paragraph."""
    entity = "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
    return docx_bytes(document_xml(lines, XXE_DOCTYPE, (entity,)))


def make_billion_laughs_docx(lines: list[str]) -> bytes:
    """The report as DOCX with a nested internal entity that expands to 10^9 'lol's."""
    entity = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return docx_bytes(document_xml(lines, LAUGHS_DOCTYPE, (entity,)))


def make_xxe_xhtml(corpus: Path) -> bytes:
    """The Pingtan page as XHTML with an external entity to /etc/passwd before the body text."""
    page = (corpus / PINGTAN_HTML).read_text(encoding="utf-8")
    doctype = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html [\n'
               '  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n')
    body_at = page.lower().index("<body")
    body_end = page.index(">", body_at) + 1
    page = page[:body_end] + "<p>&xxe;</p>" + page[body_end:]
    start = page.lower().index("<html")
    return (doctype + page[start:]).encode("utf-8")


def make_xml_declared_xhtml(corpus: Path) -> bytes:
    """The Pingtan page as XHTML starting with an XML declaration that names its encoding (GOOD)."""
    page = (corpus / PINGTAN_HTML).read_text(encoding="utf-8")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + page[page.lower().index("<html"):]).encode("utf-8")


def make_truncated_html(corpus: Path) -> bytes:
    """The Pingtan page cut in the middle of Table 3 (at a UTF-8 character boundary)."""
    data = (corpus / PINGTAN_HTML).read_bytes()
    heading = data.rindex("收到和处理政府信息公开申请情况".encode())
    start = data.index(b"<table", heading)
    end = data.index(b"</table>", start)
    cut = (start + end) // 2
    while data[cut] & 0xC0 == 0x80:
        cut -= 1
    return data[:cut]


def make_binary_junk(size: int = 65536, seed: int = 2) -> bytes:
    return random.Random(seed).randbytes(size)


def make_fake_pdf() -> bytes:
    """A PDF header followed by junk: no xref, no objects."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + make_binary_junk(16384, seed=3)


def make_markup_part_docx() -> bytes:
    """A DOCX whose main part is named `word/[/x].xml` and is not XML: the error names the part,
    and `[/x]` is a closing tag to rich markup (issue 9, D1)."""
    rels = RELS.replace('Target="word/document.xml"', 'Target="word/[/x].xml"')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_info("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(_info("_rels/.rels"), rels)
        z.writestr(_info("word/[/x].xml"), b"<w:document [/x] [bold]not xml")
    return buf.getvalue()


def make_busy_glued_text(corpus: Path) -> bytes:
    """The Pingtan flat text with the Table 4 run of a busier body (32 digits, consistent sums):
    splitting it by listing candidates first takes minutes (issue 9, D2). Renamed to a body of
    its own so that, once parsed, it does not compete with the real Pingtan report."""
    text = (corpus / PINGTAN_FLAT).read_text(encoding="utf-8")
    assert text.count(GLUED_T4) == 1
    return text.replace(GLUED_T4, BUSY_T4).replace("平潭综合实验区", "平潭综合实验区财政金融局").encode("utf-8")


def make_glyph_bomb_pdf(pages: int = 200, lines: int = 1000, per_line: int = 400) -> bytes:
    """A small PDF (32 KB by default) whose pages all share one compressed content stream of
    `lines` × `per_line` glyphs (400,000): cheap to store, costly to lay out page by page."""
    body = "".join(f"0 -1 Td ({'A' * per_line}) Tj\n" for _ in range(lines))
    content = zlib.compress(f"BT /F1 1 Tf 10 1000 Td\n{body}ET\n".encode("ascii"), 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Count {pages} /Kids [{kids}] >>".encode("ascii"),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 4 0 R >>"] * pages
    return pdf_file(objects)


def make_huge(path: Path, size: int = 200 * 1024 * 1024) -> Path:
    """`size` bytes of printable junk, written in 1 MiB blocks (for tests, in a temporary folder)."""
    block = bytes(random.Random(4).choice(b"abcdefghij0123456789 \n") for _ in range(1 << 20))
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
        f.write(block[: size % len(block)])
    return path


def write_invalid(corpus: Path, out: Path = INVALID, bomb: bool = True) -> list[Path]:
    lines = report_lines(corpus)
    files: dict[str, bytes] = {
        "truncated.docx": make_truncated_docx(lines),
        "corrupt_document_xml.docx": make_corrupt_docx(),
        "not_a_zip.docx": make_not_a_zip_docx(),
        "xxe_external_entity.docx": make_xxe_docx(lines),
        "billion_laughs.docx": make_billion_laughs_docx(lines),
        "xxe_external_entity.xhtml": make_xxe_xhtml(corpus),
        "truncated_table3.html": make_truncated_html(corpus),
        "empty.txt": b"",
        "empty.docx": b"",
        "binary_junk.txt": make_binary_junk(),
        "fake.pdf": make_fake_pdf(),
        "duplicate/shitai_2024_a.txt": (corpus / SHITAI).read_bytes(),
        "duplicate/shitai_2024_copy_b.txt": (corpus / SHITAI).read_bytes(),
        "markup_part_name.docx": make_markup_part_docx(),
        "glued_table4_32_digits.txt": make_busy_glued_text(corpus),
        "glyph_bomb.pdf": make_glyph_bomb_pdf(),
    }
    written = []
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    if bomb:
        written.append(make_zip_bomb(out / "zip_bomb.docx"))
    return written


def write_encodings(corpus: Path, out: Path = ENCODINGS) -> list[Path]:
    """GOOD files: the same reports in the encodings Chinese offices save them in."""
    text = (corpus / SHITAI).read_text(encoding="utf-8")
    page = (corpus / PINGTAN_HTML).read_text(encoding="utf-8")
    page_gbk = page.replace('<meta charset="utf-8"', '<meta charset="gbk"', 1)
    files: dict[str, bytes] = {
        "shitai_2024_utf8.txt": text.encode("utf-8"),
        "shitai_2024_utf8_bom.txt": text.encode("utf-8-sig"),
        "shitai_2024_gbk.txt": text.encode("gbk"),
        "shitai_2024_gbk_crlf.txt": text.replace("\n", "\r\n").encode("gbk"),
        "shitai_2024_utf16le_bom.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "shitai_2024_utf16be_bom.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "pingtan_2024_page_gbk.html": page_gbk.encode("gbk", errors="xmlcharrefreplace"),
        "pingtan_2024_page_xml_declaration.xhtml": make_xml_declared_xhtml(corpus),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return [out / n for n in files]


def write_special_entries(folder: Path) -> dict[str, str]:
    """Entries a reports folder may hold that are not report files, and names that are rich
    markup; {entry: what the build must say about it}. Made at run time (git cannot hold them)."""
    (folder / "reports [draft]").mkdir(exist_ok=True)
    (folder / "reports [draft]" / "x.txt").write_bytes(make_binary_junk(2048, seed=6))
    (folder / "[").mkdir(exist_ok=True)
    (folder / "[" / "x.txt").write_bytes(make_binary_junk(2048, seed=7))
    os.mkfifo(folder / "fifo.txt")
    links = {"passwd.txt": "/etc/passwd", "zero.txt": "/dev/zero", "dangling.txt": "no/such/file.txt",
             "loop_a.txt": "loop_b.txt", "loop_b.txt": "loop_a.txt", "up": "..", "self": ".",
             "alias.txt": "empty.txt"}
    for name, target in links.items():
        os.symlink(target, folder / name)
    return {"reports [draft]/x.txt": "binary", "[/x.txt": "binary", "fifo.txt": "FIFO",
            "passwd.txt": "outside the reports folder", "zero.txt": "outside the reports folder",
            "dangling.txt": "dangling", "loop_a.txt": "loop", "loop_b.txt": "loop",
            "up": "outside the reports folder", "self": "folder", "alias.txt": "read under its own name"}


def write_hostile_folder(folder: Path, corpus: Path = SHIPPED) -> dict[str, str]:
    """A reports folder holding the shipped corpus (with its manifest), every hostile file and
    every special entry. {entry: expected failure} for each entry that must be a failure row;
    the corpus, LOADED and COPIES must load; SLOW may do either."""
    shutil.copytree(corpus, folder, dirs_exist_ok=True)
    shutil.copytree(INVALID, folder, dirs_exist_ok=True)
    (folder / "README.md").unlink(missing_ok=True)
    make_huge(folder / "huge.txt")
    bad = {p.relative_to(INVALID).as_posix(): "" for p in INVALID.rglob("*") if p.is_file()}
    bad = {name: "" for name in bad if name not in LOADED | SLOW | set(COPIES) and name != "README.md"}
    bad["huge.txt"] = "limit"
    return {**bad, **write_special_entries(folder)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-bomb", action="store_true", help="skip the 1 GiB zip bomb (takes a few seconds)")
    ap.add_argument("--folder", type=Path, help="write a reports folder of the corpus and every hostile entry here")
    args = ap.parse_args()
    if args.folder:
        for name, outcome in write_hostile_folder(args.folder).items():
            print(f"{name}: must fail ({outcome or 'an error'})")
        return
    for p in write_invalid(args.corpus, bomb=not args.no_bomb) + write_encodings(args.corpus):
        print(f"{p.stat().st_size:>10}  {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
