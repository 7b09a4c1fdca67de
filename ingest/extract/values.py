"""Turn one cell's printed text into the number it means.

Empty cells and null markers (`/`, `—`, `-`, `无`, from seeds/null_markers.csv) in a data row
mean none: 0, with a note; the raw text is always kept by the caller. Full-width digits,
thousands separators, unit suffixes, stray spaces and Word residue are cleaned. Anything else
is unreadable: value None and a note saying why — never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.spec import null_markers

WIDTH = str.maketrans("０１２３４５６７８９．，＋－　\xa0", "0123456789.,+-  ")
RESIDUE = re.compile(r"\[bookmark:[^\]]*\]|\[\d+\]|[*※▲△]")
SUFFIX = re.compile(r"(万元|元|件|个|条|项|次|人次)$")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
PATTERN = {
    "count": re.compile(r"\d+"),
    "signed": re.compile(r"[+-]?\d+"),
    "amount": re.compile(r"\d+(\.\d+)?"),
}
PLAIN = re.compile(r"\s*([0-9]+)(?:件|个|条|项)?\s*", re.ASCII)
SCALE = {("万元", "yuan"): 10000.0, ("元", "wan_yuan"): 0.0001}


@dataclass(frozen=True, slots=True)
class Reading:
    value: int | float | None
    note: str | None = None


def clean(text: str) -> str:
    """The cell text without residue, with ASCII digits and no spaces."""
    text = RESIDUE.sub("", text.translate(WIDTH))
    return "".join(text.split())


@lru_cache(maxsize=4096)
def read_value(text: str, kind: str = "count", unit: str = "") -> Reading:
    """Read a cell of `kind` (count | signed | amount); `unit` is the unit the code stores.

    Cached: a report repeats the same few cell texts (`0`, `/`, `无`, …) and a Reading is immutable.
    """
    plain = PLAIN.fullmatch(text)  # the common case: ASCII digits, perhaps with 件
    if plain:
        return Reading(float(plain.group(1)) if kind == "amount" else int(plain.group(1)))
    cleaned = clean(text)
    if cleaned == "":
        return Reading(0, "empty cell read as 0")
    if cleaned in null_markers():
        return Reading(0, f"{cleaned!r} read as 0")
    suffix = SUFFIX.search(cleaned)
    factor = 1.0
    if suffix:
        factor = SCALE.get((suffix.group(1), unit), 1.0)
        cleaned = cleaned[: suffix.start()]
    if THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not PATTERN[kind].fullmatch(cleaned):
        return Reading(None, f"unreadable {kind} {text.strip()!r}")
    if kind == "amount":
        number = float(cleaned) * factor
        return Reading(round(number, 6), None if factor == 1.0 else f"converted {suffix.group(1)} to {unit}")
    return Reading(int(cleaned))
