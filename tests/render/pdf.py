"""A PDF file written object by object, for crafted test files (a glyph bomb, a mangled title)."""
from __future__ import annotations


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """Objects numbered from 1 (the first is the catalog), a cross-reference table and a trailer
    with `trailer` added to its dictionary (`/Info 6 0 R`)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)
