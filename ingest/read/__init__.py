"""Bytes → grid: one reader per file form (text, HTML, DOCX, PDF); the form is detected by content."""
from __future__ import annotations

from ingest.read.grid import Grid, ReadError
from ingest.read import html, text

ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
HTML_TAGS = (b"<html", b"<table", b"<body", b"<!doctype html", b"<p>", b"<div")


def detect_form(data: bytes) -> str:
    """text | html | docx | pdf, from the bytes alone (never the file name)."""
    head = data[:2048].lstrip()
    if data.startswith(PDF_MAGIC) or data[:1024].find(PDF_MAGIC) >= 0:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return "docx"
    start = data[:65536].lower()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: tags are not ASCII bytes here
        start = text.decode(data[:65536], strict=False).lower().encode("utf-8")
    if any(tag in start for tag in HTML_TAGS):
        return "html"
    if head and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary data that is not DOCX, PDF, HTML or text")
    return "text"


def read(data: bytes) -> tuple[str, Grid]:
    if not data.strip():
        raise ReadError("empty file")
    form = detect_form(data)
    if form == "html":
        return form, html.read(data)
    if form == "docx":
        from ingest.read import docx

        return form, docx.read(data)
    if form == "pdf":
        from ingest.read import pdf

        return form, pdf.read(data)
    return form, text.read(data)
