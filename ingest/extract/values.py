"""Turn one cell's printed text into the number it means.

Empty cells and null markers (`/`, `—`, `-`, `无`, from seeds/null_markers.csv) in a data row
mean none: 0, with a note; the raw text is always kept by the caller. Full-width digits,
thousands separators, unit suffixes (seeds/unit_suffixes.csv; 万元 in a yuan column is
converted), stray spaces and Word residue (seeds/word_residue.csv) are cleaned. Anything else
is unreadable: value None and a note saying why — never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.spec import null_markers, unit_scale, unit_suffixes, word_residue

WIDTH = str.maketrans("０１２３４５６７８９．，＋－　\xa0", "0123456789.,+-  ")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
PATTERN = {
    "count": re.compile(r"\d+"),
    "signed": re.compile(r"[+-]?\d+"),
    "amount": re.compile(r"\d+(\.\d+)?"),
}


@lru_cache(maxsize=1)
def _suffix() -> re.Pattern[str]:
    return re.compile("(" + "|".join(re.escape(u.suffix) for u in unit_suffixes()) + ")$")


@lru_cache(maxsize=1)
def _plain() -> re.Pattern[str]:
    """The common cell: ASCII digits, perhaps with a count's unit (件)."""
    counts = "|".join(re.escape(u.suffix) for u in unit_suffixes() if not u.unit)
    return re.compile(rf"\s*([0-9]+)(?:{counts})?\s*", re.ASCII)


@dataclass(frozen=True, slots=True)
class Reading:
    value: int | float | None
    note: str | None = None


def clean(text: str) -> str:
    """The cell text without residue, with ASCII digits and no spaces."""
    text = word_residue().sub("", text.translate(WIDTH))
    return "".join(text.split())


@lru_cache(maxsize=4096)
def read_value(text: str, kind: str = "count", unit: str = "") -> Reading:
    """Read a cell of `kind` (count | signed | amount); `unit` is the unit the code stores.

    Cached: a report repeats the same few cell texts (`0`, `/`, `无`, …) and a Reading is immutable.
    """
    plain = _plain().fullmatch(text)  # the common case: ASCII digits, perhaps with 件
    if plain:
        return Reading(float(plain.group(1)) if kind == "amount" else int(plain.group(1)))
    cleaned = clean(text)
    if cleaned == "":
        return Reading(0, "empty cell read as 0")
    if cleaned in null_markers():
        return Reading(0, f"{cleaned!r} read as 0")
    suffix = _suffix().search(cleaned)
    factor = 1.0
    if suffix:
        factor = unit_scale(suffix.group(1), unit)
        cleaned = cleaned[: suffix.start()]
    if THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not PATTERN[kind].fullmatch(cleaned):
        return Reading(None, f"unreadable {kind} {text.strip()!r}")
    if kind == "amount":
        number = float(cleaned) * factor
        return Reading(round(number, 6), None if factor == 1.0 else f"converted {suffix.group(1)} to {unit}")
    return Reading(int(cleaned))
