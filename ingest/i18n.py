"""Messages for people, in the reader's language: one gettext catalog (domain `xxgk`), zh_CN and en.

The language is read as gettext reads it: the list in LANGUAGE first (`en:zh_CN`), then the first
of LC_ALL, LC_MESSAGES and LANG that is set (`en_US.UTF-8` → en, `zh_TW.UTF-8` → zh_CN). Unset,
`C` or `POSIX` (a bare server, a cron job) and any language we have no catalog for give zh_CN:
our readers read Chinese first.

The sources are `ingest/locale/<lang>/LC_MESSAGES/xxgk.po`. `make install` compiles them to `.mo`
(pybabel); when a `.mo` is missing or older than its `.po` (a plain `pip install`, an edited
catalog), the `.po` is compiled in memory with Babel, so a message is never stale or missing.
Codes, column names and warehouse data are not messages: they stay as they are.
"""
from __future__ import annotations

import gettext
import io
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

DOMAIN = "xxgk"
LOCALES = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
_BY_PREFIX = {"zh": "zh_CN", "en": "en"}


def _known(item: str) -> str | None:
    """The catalog for one locale name (`en_GB.UTF-8`, `zh`), or None for C, POSIX and others."""
    code = item.split(".")[0].split("@")[0]
    if code in LANGUAGES:
        return code
    return _BY_PREFIX.get(code.split("_")[0].lower())


def language(environ: Mapping[str, str] | None = None) -> str:
    """The catalog to use for the environment (os.environ by default): see the module doc."""
    env = os.environ if environ is None else environ
    for item in env.get("LANGUAGE", "").split(":"):
        if found := _known(item):
            return found
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return _known(env[var]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel's reader and writer)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.GNUTranslations:
    """The catalog of `lang`: its compiled .mo when current, else its .po compiled in memory."""
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with open(mo, "rb") as fh:
            return gettext.GNUTranslations(fh)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def _(message: str) -> str:
    """`message` (English, the msgid) in the reader's language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the reader's language."""
    return translations(language()).ngettext(singular, plural, n)


def html_lang() -> str:
    """The reader's language as an HTML/BCP 47 tag (`zh-CN`, `en`)."""
    return language().replace("_", "-")
