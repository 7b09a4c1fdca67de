"""Rows of a table: where each statutory row's label is printed, and the values after it.

Rows are found by order, not by exact words. The statutory sequence (seeds) is aligned with
the labels the document prints, never out of order: first every exact match of each row's
label or variants (seeds/label_variants.csv) is found, and the longest in-order chain of them
kept (a label also printed in a paragraph after the table cannot pull the rows after it out of
place); then each row left over is looked for between its neighbours, among the printed texts
there, by similarity: the characters it shares with the seed label (SIMILAR or more, so a
character or two of typo, a missing 行政 or a swapped word still match). Such a row says so in
its cells' notes (`label read as 属于行政执法案件`). A row printed nowhere is absent: its cells
are null with a warning, and the rows after it are read as printed.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.extract.record import Cell
from ingest.extract.settle import Split, split
from ingest.extract.values import read_value
from ingest.read.stream import Stream, Token, label_pattern

SIMILAR = 0.75  # share of characters in common (Dice) for a printed label to be read as a row's
TEXT_RUN = re.compile(r"[^\d\x1f\x1e]+")  # printed text between numbers and cell borders
WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
ITEM_END = ".、)"  # what may stand between an item number and its label


@dataclass(frozen=True)
class RowLabel:
    label: str                 # the seed label, as notes and warnings name it
    texts: tuple[str, ...]     # the label and its variants
    item_no: str = ""          # the number printed before it (1. 2、 (3)), if any


@dataclass(slots=True)
class Found:
    start: int
    end: int
    read_as: str | None = None  # the printed label, when it matched only by similarity


def align(stream: Stream, labels: Sequence[RowLabel], span: tuple[int, int]) -> list[Found | None]:
    """Where each row's label is printed within `span`, in the seeds' order; None when absent."""
    start, end = span
    found = _leftmost(stream, labels, span)
    if any(f is None for f in found):
        exact = [[Found(m.start(), m.end()) for m in label_pattern(row.texts, row.item_no).finditer(stream.text, start, end)]
                 for row in labels]
        found = _chain(exact, start)
    i = 0
    while i < len(found):
        if found[i] is not None:
            i += 1
            continue
        j = i
        while j < len(found) and found[j] is None:
            j += 1
        left = found[i - 1].end if i else start
        right = found[j].start if j < len(found) else end
        found[i:j] = _similar(stream, labels[i:j], left, right)
        i = j
    return found


def _leftmost(stream: Stream, labels: Sequence[RowLabel], span: tuple[int, int]) -> list[Found | None]:
    """Each label's first match after the previous one's: the chain itself when it finds every row."""
    pos, end = span
    out: list[Found | None] = []
    for row in labels:
        m = label_pattern(row.texts, row.item_no).search(stream.text, pos, end)
        out.append(Found(m.start(), m.end()) if m else None)
        if m:
            pos = m.end()
    return out


def _chain(candidates: list[list[Found]], start: int) -> list[Found | None]:
    """The in-order choice of one match per row (or none) with the most rows; of equal ones, the
    one ending first. Each state keeps its chain; only states no other beats on both count and
    end survive a row, so this is linear in rows times states."""
    states: list[tuple[int, int, tuple[Found | None, ...]]] = [(0, start, ())]
    for cands in candidates:
        starts = [c.start for c in cands]
        nxt = []
        for count, end, chain in states:
            nxt.append((count, end, (*chain, None)))
            k = bisect.bisect_left(starts, end)
            if k < len(cands):
                nxt.append((count + 1, cands[k].end, (*chain, cands[k])))
        nxt.sort(key=lambda s: (s[1], -s[0]))
        states = []
        for state in nxt:
            if not states or state[0] > states[-1][0]:
                states.append(state)
    best = max(s[0] for s in states)
    return list(next(s for s in states if s[0] == best)[2])


def _words(text: str) -> str:
    return "".join(WORD.findall(text))


def similarity(a: str, b: str) -> float:
    """Characters in common (as multisets) over the mean length: 1.0 for the same characters in
    any order, 0.875 for one typo in eight."""
    ca, cb = Counter(a), Counter(b)
    return 2 * sum((ca & cb).values()) / (len(a) + len(b)) if a and b else 0.0


def _similar(stream: Stream, labels: Sequence[RowLabel], left: int, right: int) -> list[Found | None]:
    """Rows missing from the exact chain, looked for in order among the texts printed between
    their neighbours' labels."""
    runs = []
    for m in TEXT_RUN.finditer(stream.text, left, right):
        words = _words(m.group(0))
        if words:
            runs.append((m, words))
    if not runs:
        return [None] * len(labels)
    scores = [[_match(row, words) for _, words in runs] for row in labels]
    out: list[Found | None] = [None] * len(labels)
    pos = 0
    for i, row in enumerate(labels):  # greedy in order: each row takes its best run after the last taken
        best = max(range(pos, len(runs)), key=lambda k: scores[i][k], default=None)
        if best is None or scores[i][best] < SIMILAR:
            continue
        m, _ = runs[best]
        out[i] = _found(stream, row, m, left)
        pos = best + 1
    return out


def _match(row: RowLabel, words: str) -> float:
    """How well a printed text reads as the row's label: its best tail against each wording."""
    best = 0.0
    for text in row.texts:
        target = _words(text)
        for size in range(max(1, len(target) - 3), len(target) + 4):
            if size <= len(words):
                best = max(best, similarity(target, words[-size:]))
    return best


def _found(stream: Stream, row: RowLabel, m: re.Match[str], left: int) -> Found:
    """The printed label: the text run without its leading marks, with the row's item number
    when it is printed right before (`7.属于行政执法案件`), so the previous row's values end there."""
    start = m.start()
    while start < m.end() and not WORD.match(stream.text[start]):
        start += 1
    label_start = start
    item = row.item_no
    if item and stream.text[m.start():start].strip() in ("", *ITEM_END) and \
            stream.text.startswith(item, m.start() - len(item)) and m.start() - len(item) >= left:
        label_start = m.start() - len(item)
        if stream.text[label_start - 1:label_start] == "(":
            label_start -= 1
    raw, _ = stream.printed(start, m.end())
    return Found(label_start, m.end(), read_as=raw.strip())


# ---------------------------------------------------------------------------- values


@dataclass
class RowRead:
    """Values of a row, or, when its run was glued, every split that passed the row's sums."""

    cells: list[Cell] | None = None
    glued: str = ""
    glued_source: str = ""
    split: Split | None = None
    problem: str | None = None
    extra: Cell | None = None  # an extra printed column (小计) taken out of the row


def value_tokens(toks: Sequence[Token]) -> list[Token]:
    """Value and empty cells from the start up to the next text; text before any cell (the rest
    of the label, a merged group label) is skipped."""
    out: list[Token] = []
    for tok in toks:
        if tok.kind == "text":
            if out:
                break
            continue
        out.append(tok)
    return out


def read_row(stream: Stream, toks: Sequence[Token], kinds: Sequence[str], units: Sequence[str],
             flat: bool, groups: Sequence[int] | None = None, extra_at: int | None = None) -> RowRead:
    """`groups`: sizes of the row's groups that end with their sum (a row total, Table 4's block
    totals); `extra_at`: position of a column the format does not have (a 小计), read aside."""
    n = len(kinds)
    vals = value_tokens(toks)
    filled = [t for t in vals if t.kind == "value"]
    if extra_at is not None and n + 1 in (len(filled), len(vals)):
        cells = list(vals if len(vals) == n + 1 else filled)  # by position when empty cells are printed
        extra = cells.pop(extra_at)
        read = read_row(stream, cells, kinds, units, flat, groups)
        read.extra = _cell(stream, extra, kinds[0], units[0])
        return read
    if len(filled) == n and all(" " not in t.text for t in filled):  # value tokens come stripped
        return RowRead(cells=[_cell(stream, t, k, u) for t, k, u in zip(filled, kinds, units)])
    if len(vals) >= n and all(t.kind == "empty" for t in vals[n:]) and len(filled) < n and not flat:
        return RowRead(cells=[_cell(stream, t, k, u) for t, k, u in zip(vals[:n], kinds, units)])
    if not filled:
        return RowRead(problem="no values after the label" if not vals else f"{len(vals)} empty cells where {n} were expected")
    if len(filled) > n:
        return RowRead(problem=f"{len(filled)} values where {n} were expected")
    run = " ".join(t.text for t in filled)
    source = stream.source(filled[0].start, filled[-1].end)
    if not flat:  # cell borders are known: digits are never split across cells
        what = f"unreadable cells {run!r}" if len(filled) == n else f"{len(vals)} cells where {n} were expected"
        return RowRead(problem=what)
    return RowRead(glued=run, glued_source=source, split=split(run, kinds, units, groups))


def _cell(stream: Stream, tok: Token, kind: str, unit: str) -> Cell:
    raw, source = stream.printed(tok.start, tok.end)
    reading = read_value(tok.text if tok.kind == "value" else "", kind, unit)
    return Cell(reading.value, "" if tok.kind == "empty" else raw, source, reading.note)
