"""Renderers for tests and benchmarks: canonical records printed as text, HTML pages and DOCX.

parse(render(record, style)) must give the record back for every style; see
tests/test_roundtrip_properties.py. Not used by `xxgk` itself.
"""
from tests.render.docx import render_docx
from tests.render.html import html_bytes, render_html
from tests.render.records import comparable, differences, random_record, records
from tests.render.style import Style, describe, random_style, styles
from tests.render.text import render_text, text_bytes

__all__ = ["Style", "comparable", "describe", "differences", "html_bytes", "random_record", "random_style",
           "records", "render_docx", "render_html", "render_text", "styles", "text_bytes"]
