"""One gettext catalog for every message a person reads: zh_CN and en, chosen by LANG/LANGUAGE,
Chinese when the environment says nothing (issue 10)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ingest import i18n
from scripts.update_catalog import extracted

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdg]")


def catalog(lang: str) -> dict[str, tuple[str, ...]]:
    with open(i18n.po_path(lang), "rb") as fh:
        po = read_po(fh)
    return {(m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, tuple) else (m.string,))
            for m in po if m.id}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_of_the_code_is_translated_in_both_catalogs(lang: str) -> None:
    code = {m if isinstance(m, str) else m[0] for m in extracted()}
    have = catalog(lang)
    assert code - have.keys() == set(), "run scripts/update_catalog.py"
    assert have.keys() - code == set(), "messages no longer in the code: run scripts/update_catalog.py"
    assert [m for m, strings in have.items() if not all(strings)] == []
    assert len(code) > 200


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for msgid, strings in catalog(lang).items():
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(msgid)), (msgid, text)


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "zh_CN"),
    ({"LANG": "C"}, "zh_CN"),
    ({"LANG": "C.UTF-8"}, "zh_CN"),
    ({"LANG": "POSIX"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
    ({"LANG": "fr_FR.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "fr:en"}, "en"),
    ({"LANGUAGE": ""}, "zh_CN"),
])
def test_the_language_follows_gettext_and_defaults_to_chinese(environ: dict[str, str], lang: str) -> None:
    assert i18n.language(environ) == lang


def test_a_stale_or_missing_compiled_catalog_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "xxgk.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Overview"\nmsgstr "概况"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("zh_CN").gettext("Overview") == "概况"          # no .mo: compiled in memory
        po.with_suffix(".mo").write_bytes(i18n.compile_po(po))
        po.write_text(po.read_text(encoding="utf-8").replace("概况", "总览"), encoding="utf-8")
        os.utime(po.with_suffix(".mo"), (1, 1))                                      # the .mo is older
        i18n.translations.cache_clear()
        assert i18n.translations("zh_CN").gettext("Overview") == "总览"
    finally:
        i18n.translations.cache_clear()


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, env={**base, **env})


def test_the_command_line_speaks_chinese_unless_told_otherwise(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.duckdb")
    zh = _cli("query", "select 1", "--warehouse", missing)
    assert zh.returncode == 2 and "找不到数据仓库" in zh.stderr and zh.stderr.startswith("xxgk query: ")
    en = _cli("query", "select 1", "--warehouse", missing, LANG="en_US.UTF-8")
    assert en.returncode == 2 and "warehouse not found" in en.stderr
    assert "对数据仓库运行一条只读查询" in _cli("--help").stdout
    refused = _cli("query", "copy t to 'x.csv'", "--warehouse", missing, LANG="C")
    assert refused.returncode == 1 and refused.stderr.startswith("xxgk query: 拒绝：")
