"""Bring the message catalogs in line with the code: every `_()`/`ngettext()` message of ingest/
(Python and the Jinja templates) becomes an entry of ingest/locale/{zh_CN,en}/LC_MESSAGES/xxgk.po.

    .venv/bin/python scripts/update_catalog.py          # add new messages, drop ones gone from the code
    .venv/bin/python scripts/update_catalog.py --check  # exit 1 if a catalog is behind or untranslated

Translations are kept. A new message gets its English text in en (msgids are English) and an
empty msgstr in zh_CN, to be translated by hand: tests/test_i18n.py fails until it is.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.i18n import DOMAIN, LANGUAGES, po_path  # noqa: E402

METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2.ext:babel_extract")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "ngettext": (1, 2)}
PLURALS = {"zh_CN": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}


def extracted() -> dict[str | tuple[str, ...], list[tuple[str, int]]]:
    """Every message id in the code (a tuple for singular and plural) with where it is used."""
    found: dict[str | tuple[str, ...], list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / "ingest", METHODS, OPTIONS, KEYWORDS):
        found.setdefault(message, []).append((f"ingest/{filename}", lineno))
    return found


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if path.is_file():
        with open(path, "rb") as fh:
            return read_po(fh, locale=lang)
    return Catalog(locale=lang, domain=DOMAIN)


def updated(lang: str, messages: dict[str | tuple[str, ...], list[tuple[str, int]]]) -> Catalog:
    old = read(lang)
    new = Catalog(locale=lang, domain=DOMAIN, project="xxgk-warehouse", charset="utf-8")
    new.plural_forms  # noqa: B018 - babel derives it from the locale; we state it below
    for mid, where in messages.items():
        key = mid[0] if isinstance(mid, tuple) else mid
        kept = old.get(key)
        if kept is not None and kept.string and kept.string != ("",) * len(kept.string if isinstance(kept.string, tuple) else ""):
            string = kept.string
        elif lang == "en":
            string = mid
        else:
            string = ("",) if isinstance(mid, tuple) else ""
        flags = {"python-format"} if "%(" in key else set()
        new.add(mid, string, locations=where, flags=flags)
    new._num_plurals, new._plural_expr = (1, "0") if lang == "zh_CN" else (2, "(n != 1)")
    new.fuzzy = False
    new.creation_date = new.revision_date = old.creation_date  # no churn from a re-run
    return new


def untranslated(catalog: Catalog) -> list[str]:
    out = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalog is behind")
    args = parser.parse_args(argv)
    messages, status = extracted(), 0
    for lang in LANGUAGES:
        catalog = updated(lang, messages)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read(lang) if m.id}
        behind = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} != ids
        missing = untranslated(catalog)
        if args.check:
            if behind or missing:
                print(f"{po_path(lang)}: {'behind the code; ' if behind else ''}{len(missing)} untranslated")
                status = 1
            continue
        with open(po_path(lang), "wb") as fh:
            write_po(fh, catalog, width=0, sort_output=True, include_lineno=False)
        print(f"{po_path(lang)}: {len(catalog)} messages, {len(missing)} untranslated")
    return status


if __name__ == "__main__":
    sys.exit(main())
