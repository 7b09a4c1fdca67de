"""parse(render(record)) == record, over random consistent records and printing styles.

Forms: text pasted out of Word, text copied from a browser (one row per line), government web
pages (plain, and laid out inside a table), the official DOCX template filled in. A failure names
the differing cells and the style fields that differ from the default; hypothesis shrinks record
and style to a small counterexample. ROUNDTRIP_EXAMPLES scales the number of examples
(default 1000 for the main text and HTML properties, half that for DOCX and the variants).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.render import (describe, differences, html_bytes, records, render_docx, styles,
                           text_bytes)

EXAMPLES = int(os.environ.get("ROUNDTRIP_EXAMPLES", "1000"))
FIXTURES = Path(__file__).parent / "fixtures"
LIBREOFFICE = sorted((FIXTURES / "valid" / "libreoffice").glob("lo_*.*"))


def _settings(examples: int) -> settings:
    return settings(max_examples=max(1, examples), deadline=None, derandomize=True, report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(data: bytes, name: str, record: dict, style) -> None:
    from ingest.parse import parse_bytes

    got = parse_bytes(data, name)
    assert "error" not in got, f"{got['error']} [style: {describe(style)}]"
    diffs = differences(got, record)
    assert not diffs, f"{len(diffs)} cells differ [style: {describe(style)}]:\n" + "\n".join(diffs[:20])


@_settings(EXAMPLES)
@given(record=records(), style=styles("text", text_layout="word_paste"))
def test_word_pasted_text_round_trip(record: dict, style) -> None:
    _check(text_bytes(record, style), "report.txt", record, style)


@_settings(EXAMPLES // 2)
@given(record=records(), style=styles("text", text_layout="tab_rows"))
def test_browser_copied_text_round_trip(record: dict, style) -> None:
    _check(text_bytes(record, style), "report.txt", record, style)


@_settings(EXAMPLES)
@given(record=records(), style=styles("html", wrapper_table=False))
def test_html_page_round_trip(record: dict, style) -> None:
    _check(html_bytes(record, style), "report.html", record, style)


@_settings(EXAMPLES // 2)
@given(record=records(), style=styles("html", wrapper_table=True))
def test_html_page_laid_out_in_a_table_round_trip(record: dict, style) -> None:
    _check(html_bytes(record, style), "report.html", record, style)


@_settings(EXAMPLES // 2)
@given(record=records("2021"), style=styles("docx"))
def test_docx_template_round_trip(record: dict, style) -> None:
    _check(render_docx(record, style), "report.docx", record, style)


@_settings(50)
@given(record=records(), style=styles("html"))
def test_renderers_are_deterministic(record: dict, style) -> None:
    assert text_bytes(record, style) == text_bytes(record, style)
    assert html_bytes(record, style) == html_bytes(record, style)


@pytest.mark.parametrize("path", LIBREOFFICE, ids=[p.name for p in LIBREOFFICE])
def test_libreoffice_conversions_parse_to_the_rendered_record(path: Path) -> None:
    """Rendered DOCX re-saved by LibreOffice and exported as HTML, text and PDF (scripts/make_fixtures.py)."""
    from ingest.parse import parse_bytes

    gold = json.loads((FIXTURES / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    got = parse_bytes(path.read_bytes(), path.name)
    assert "error" not in got, got["error"]
    diffs = differences(got, gold)
    assert not diffs, f"{len(diffs)} cells differ:\n" + "\n".join(diffs[:20])

