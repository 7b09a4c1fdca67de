"""Split digit runs whose cell borders were lost (`行政规范性文件6233440` → 62 | 33 | 440).

A run is split into numbers only in ways the printed cells could have been: no leading zeros,
signs only where the column is signed, decimals only where it is an amount. Spaces in the run
are taken as cell borders first; only when that gives nothing are they taken as stray.
The callers decide which candidate survives the format's identities; this module never picks.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

MAX_CANDIDATES = 5000
PIECE = {
    "count": re.compile(r"0|[1-9]\d{0,8}"),
    "signed": re.compile(r"[+-]?(?:0|[1-9]\d{0,8})"),
    "amount": re.compile(r"(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?"),
}
Number = int | float
Check = Callable[[tuple[Number, ...]], bool]


def _number(text: str, kind: str) -> Number:
    if kind == "amount" and "." in text:
        return float(text)
    return int(text)


def _prefixes(run: str, pos: int, kind: str) -> Iterator[str]:
    """Every way a number of `kind` can start at `pos` (all lengths, not just the longest)."""
    pattern = PIECE[kind]
    for end in range(len(run), pos, -1):
        piece = run[pos:end]
        if pattern.fullmatch(piece):
            yield piece


def _split_chunk(run: str, kinds: Sequence[str]) -> Iterator[tuple[str, ...]]:
    if not kinds:
        if not run:
            yield ()
        return
    if not run:
        return
    for piece in _prefixes(run, 0, kinds[0]):
        for rest in _split_chunk(run[len(piece):], kinds[1:]):
            yield (piece, *rest)


def _split_chunks(chunks: Sequence[str], kinds: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Split consecutive chunks (space-separated parts) so that no number crosses a chunk border."""
    if not chunks:
        if not kinds:
            yield ()
        return
    remaining = len(chunks) - 1
    for take in range(1, len(kinds) - remaining + 1):
        for head in _split_chunk(chunks[0], kinds[:take]):
            for tail in _split_chunks(chunks[1:], kinds[take:]):
                yield head + tail


def candidates(run: str, kinds: Sequence[str], check: Check | None = None) -> list[tuple[Number, ...]]:
    """All splits of `run` into len(kinds) numbers that pass `check`.

    Spaces are borders when that yields any candidate; otherwise they are ignored as stray.
    """
    run = run.strip()
    for chunks in (run.split(), ["".join(run.split())]):
        found: list[tuple[Number, ...]] = []
        for pieces in _split_chunks(chunks, kinds):
            values = tuple(_number(p, k) for p, k in zip(pieces, kinds))
            if check is None or check(values):
                found.append(values)
                if len(found) >= MAX_CANDIDATES:
                    break
        if found or len(chunks) == 1:
            return found
    return []


def sum_check(groups: Sequence[int]) -> Check:
    """Each group of `n` numbers ends with the sum of the others (a row total, a block total)."""

    def check(values: tuple[Number, ...]) -> bool:
        start = 0
        for size in groups:
            part = values[start:start + size]
            if sum(part[:-1]) != part[-1]:
                return False
            start += size
        return True

    return check
