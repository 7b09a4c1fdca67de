"""Every way a glued run is settled, in one place and one vocabulary.

A *run* is a row's digits whose cell borders were lost (`行政规范性文件6233440`). Its *splits*
are the ways it can be cut into the row's numbers as cells could have printed them: no leading
zeros, a sign only in a signed column, decimals only in an amount, a unit suffix (seeds/
unit_suffixes.csv) ending a number and scaling it to its column's unit. Evidence narrows the
splits, and a run is *settled* only when exactly one is left, never by a pick:

1. the format's *sums* (a row total, a Table 4 block total), applied while splitting, so the
   search never lists a split a sum already rules out (`split`);
2. Table 3's *identities* across rows (T3_BALANCE, T3_OUTCOME_SUM per column: `identities`);
3. a figure the *narrative* restates (NARRATIVE_MATCH: `by_narrative`);
4. *sibling* files of the same report: the same body (name and region), year and layouts, in
   the same batch (`by_siblings`, `settle_batch`).

A run left with several splits gives null cells listed in the record's `uncertain` and
`ambiguous`; a run no split fits, or one the search gave up on (more than MAX_WORK steps), gives
null cells and a warning.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.extract.record import Cell, Figure, Number, Record, Run
from ingest.spec import Spec, unit_scale, unit_suffixes

MAX_WORK = 200_000         # numbers tried while splitting one run before giving up on it
MAX_OPTIONS = 5_000        # splits kept for one run
MAX_COMBINATIONS = 20_000  # combinations of open Table 3 rows checked against the identities
PIECE = {
    "count": re.compile(r"0|[1-9]\d{0,8}"),
    "signed": re.compile(r"[+-]?(?:0|[1-9]\d{0,8})"),
    "amount": re.compile(r"(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?"),
}
LONGEST = {"count": 9, "signed": 10, "amount": 19}


# ---------------------------------------------------------------------------- 1. sums


@dataclass
class Split:
    """The splits of a run that pass its sums, and how much searching that took."""

    options: list[tuple[Number, ...]]
    work: int = 0
    gave_up: bool = False


@lru_cache(maxsize=1)
def _chunk_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u.suffix) for u in unit_suffixes())
    return re.compile(rf"([0-9.+\-]+)({units})?|(\s+)|({units})")


def _chunks(run: str) -> list[tuple[str, str]] | None:
    """The run as (digits, unit suffix after them) chunks between spaces and units; None when it
    holds anything else."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _chunk_pattern().finditer(run):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group(1):
            out.append((m.group(1), m.group(2) or ""))
        elif m.group(4) and out and not out[-1][1]:
            out[-1] = (out[-1][0], m.group(4))
    return out if pos == len(run) else None


def split(run: str, kinds: Sequence[str], units: Sequence[str], groups: Sequence[int] | None = None,
          budget: int = MAX_WORK) -> Split:
    """Every split of `run` into len(kinds) numbers in which each group of `groups` (sizes, in
    order) ends with the sum of the others. Spaces are cell borders first; only when that gives
    nothing are they taken as stray. A unit suffix always ends a number."""
    chunks = _chunks(run.strip())
    if not chunks:
        return Split([])
    sizes = list(groups) if groups else [1] * len(kinds)
    result = _Search(chunks, kinds, units, sizes, budget).run()
    if result.options or result.gave_up or len(chunks) == 1 or all(unit for _, unit in chunks[:-1]):
        return result
    merged: list[tuple[str, str]] = []
    for text, unit in chunks:  # spaces are stray: glue chunks up to each unit suffix
        if merged and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, unit)
        else:
            merged.append((text, unit))
    again = _Search(merged, kinds, units, sizes, budget - result.work).run()
    again.work += result.work
    return again


class _Search:
    """Depth-first over the numbers of each group; a group's total is not guessed but computed
    from its parts and must be what the run prints next. Completions of the groups after a
    position are found once (memoized), so the work grows with the run's length, not with the
    number of its splits."""

    def __init__(self, chunks: list[tuple[str, str]], kinds: Sequence[str], units: Sequence[str],
                 sizes: list[int], budget: int) -> None:
        self.text = "".join(text for text, _ in chunks)
        self.unit_at: dict[int, str] = {}
        self.border: list[int] = []  # where a number starting at each position must end at the latest
        for text, unit in chunks:
            start = len(self.border)
            self.border.extend([start + len(text)] * len(text))
            self.unit_at[start + len(text)] = unit
        self.border.append(len(self.text))
        self.kinds, self.units, self.sizes = list(kinds), list(units), sizes
        self.starts = [sum(sizes[:g]) for g in range(len(sizes))]
        self.longest = [sum(LONGEST[k] for k in self.kinds[i:]) for i in range(len(self.kinds) + 1)]
        self.budget, self.work, self.gave_up = budget, 0, False
        self.memo: dict[tuple[int, int], list[tuple[Number, ...]]] = {}

    def run(self) -> Split:
        if len(self.kinds) != sum(self.sizes):
            raise ValueError("groups do not cover the row")
        options = self._groups(0, 0)
        if len(options) > MAX_OPTIONS:
            return Split([], self.work, True)
        return Split([] if self.gave_up else options, self.work, self.gave_up)

    def _fits(self, cell: int, pos: int, total_digits: int = 0) -> bool:
        """The rest of the run from `pos` can still be cells `cell`.. (one digit at least each,
        the group's total at least `total_digits`; no more than their longest)."""
        rest = len(self.text) - pos
        return len(self.kinds) - cell + max(total_digits - 1, 0) <= rest <= self.longest[cell]

    def _number(self, cell: int, pos: int) -> Iterable[tuple[Number, int]]:
        """(value, end) of every number of the cell's kind that can start at `pos`."""
        kind = self.kinds[cell]
        stop = min(self.border[pos], pos + LONGEST[kind])
        for end in range(pos + 1, stop + 1):
            self.work += 1
            piece = self.text[pos:end]
            if PIECE[kind].fullmatch(piece):
                yield self._value(piece, kind, cell, end), end
            if kind != "amount" and piece in ("0", "+0", "-0"):
                break  # no count or signed number goes on after a leading zero

    def _value(self, piece: str, kind: str, cell: int, end: int) -> Number:
        if kind != "amount":
            return int(piece)
        value = float(piece) if "." in piece else int(piece)
        unit = self.unit_at.get(end)
        return round(value * unit_scale(unit, self.units[cell]), 6) if unit else value

    def _groups(self, group: int, pos: int) -> list[tuple[Number, ...]]:
        if group == len(self.sizes):
            return [()] if pos == len(self.text) else []
        key = (group, pos)
        if key not in self.memo:
            self.memo[key] = [] if self.work > self.budget else self._group(group, pos)
            if self.work > self.budget:
                self.gave_up = True
        return self.memo[key]

    def _group(self, group: int, pos: int) -> list[tuple[Number, ...]]:
        first, size = self.starts[group], self.sizes[group]
        out: list[tuple[Number, ...]] = []
        summed = size > 1
        for head, end in self._parts(first, size - 1 if summed else size, pos, summed):
            if summed:
                total = sum(head)
                digits = str(total)
                stop = end + len(digits)
                if not self.text.startswith(digits, end) or self.border[end] < stop:
                    continue
                head, end = (*head, total), stop
            for tail in self._groups(group + 1, end):
                out.append(head + tail)
                if len(out) > MAX_OPTIONS:
                    return out
        return out

    def _parts(self, cell: int, count: int, pos: int, summed: bool,
               partial: int = 0, widest: int = 0) -> Iterable[tuple[tuple[Number, ...], int]]:
        if count == 0:
            yield (), pos
            return
        for value, end in self._number(cell, pos):
            if self.work > self.budget:
                return
            total = partial + value if summed else 0
            width = max(widest, end - pos)
            if not self._fits(cell + 1, end, max(width, len(str(total))) if summed else 0):
                continue
            for rest, stop in self._parts(cell + 1, count - 1, end, summed, total, width):
                yield (value, *rest), stop


# ---------------------------------------------------------------------------- 2. identities


def _holds(rows: Mapping[str, tuple | None], sp: Spec, outcome: list[str]) -> bool:
    for col in range(len(sp.t3_columns)):
        def get(code: str) -> Number | None:
            row = rows.get(code)
            return None if row is None else row[col]

        balance = [get(c) for c in ("new_received", "carried_over", "total_processed", "carried_forward")]
        if None not in balance and balance[0] + balance[1] != balance[2] + balance[3]:
            return False
        parts = [get(c) for c in outcome]
        total = get("total_processed")
        if total is not None and None not in parts and sum(parts) != total:
            return False
    return True


def identities(known: Mapping[str, tuple | None], splits: Mapping[str, Split], sp: Spec, warnings: list[str]) -> None:
    """Keep of each glued Table 3 row's splits those that some combination with the other rows
    satisfies T3_BALANCE and T3_OUTCOME_SUM with; `known` gives the values of the rows read cell
    by cell (None: unread). A row is settled when all combinations agree on it."""
    open_rows = [code for code, split in splits.items() if len(split.options) > 1]
    if not open_rows:
        return
    if math.prod(len(splits[c].options) for c in open_rows) > MAX_COMBINATIONS:
        warnings.append(f"Table 3: too many ways to split glued rows {', '.join(open_rows)}; left unread")
        return
    outcome = [r.code for r in sp.t3_rows if r.group]
    fixed = {**known, **{code: split.options[0] for code, split in splits.items() if len(split.options) == 1}}
    surviving = []
    for combo in itertools.product(*(splits[c].options for c in open_rows)):
        rows = {**fixed, **dict(zip(open_rows, combo))}
        if _holds(rows, sp, outcome):
            surviving.append(combo)
    for i, code in enumerate(open_rows):
        splits[code].options = list(dict.fromkeys(combo[i] for combo in surviving))


# ---------------------------------------------------------------------------- 3, 4. evidence


def by_narrative(run: Run, stated: Mapping[str, Figure]) -> tuple[list[tuple], str]:
    """The splits agreeing with every figure the narrative restates for the run's cells, and
    those figures as printed ('' when it restates none)."""
    facts = {i: stated[key] for i, key in enumerate(run.cells) if key in stated}
    if not facts:
        return list(run.options), ""
    fits = [o for o in run.options if all(o[i] == f.value for i, f in facts.items())]
    return fits, "; ".join(f"{f.raw!r} at {f.source}" for f in facts.values())


def _same(a: Number | None, b: Number | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def by_siblings(run: Run, siblings: Iterable[tuple[str, Mapping[str, Number | None]]]) -> tuple[tuple, list[str]] | None:
    """The one split that sibling files give for the run's cells, with those files; None when
    none gives one of the splits or they give different ones."""
    votes: dict[tuple, list[str]] = {}
    for file, values in siblings:
        theirs = [values.get(k) for k in run.cells]
        match = next((o for o in run.options if all(_same(a, b) for a, b in zip(o, theirs))), None)
        if match is not None:
            votes.setdefault(tuple(match), []).append(file)
    if len(votes) != 1:
        return None
    (choice, files), = votes.items()
    return choice, files


# ---------------------------------------------------------------------------- decision


def _shown(options: list[tuple]) -> str:
    shown = "; ".join(" | ".join(str(v) for v in o) for o in options[:6])
    return shown + (f" (+{len(options) - 6} more)" if len(options) > 6 else "")


def run_cells(run: Run, found: Split, what: str, codes: Sequence[str], rec: Record,
              stated: Mapping[str, Figure]) -> list[Cell]:
    """The cells of a run after the sums and identities: settled, settled by the narrative, or
    left open (listed in the record's `ambiguous`), or null when nothing fits."""
    where = f"glued run {run.text!r} at {run.source}"
    if found.gave_up:
        rec.warnings.append(f"{what}: {where} left unread (cells {', '.join(codes)}): gave up after "
                            f"{found.work} steps of splitting (limit {MAX_WORK})")
        return [Cell(None, run.text, run.source, f"left unread: {where} has too many ways to split") for _ in codes]
    if len(run.options) == 1:
        return [Cell(v, run.text, run.source, f"split from glued run {run.text!r}") for v in run.options[0]]
    fits, said = by_narrative(run, stated)
    if len(run.options) > 1 and len(fits) == 1:
        rec.warnings.append(f"{what}: {where} split as {' | '.join(str(v) for v in fits[0])}, the only one of "
                            f"{len(run.options)} possible splits that agrees with the narrative")
        note = f"split from glued run {run.text!r}: of {len(run.options)} splits, the one agreeing with {said}"
        return [Cell(v, run.text, run.source, note) for v in fits[0]]
    reason = f"{len(run.options)} possible splits: {_shown(run.options)}" if run.options \
        else "no split satisfies the format's sums"
    if said and run.options and len(fits) < len(run.options):
        reason += f"; {len(fits) or 'none'} of them agree with the narrative ({said})"
    rec.warnings.append(f"{what}: {where} left unread (cells {', '.join(codes)}): {reason}")
    if not run.options:
        return [Cell(None, run.text, run.source, f"left unread: {where}: no split satisfies the format's sums")
                for _ in codes]
    rec.ambiguous.append(Run(run.cells, run.text, run.source, fits or list(run.options)))
    note = f"left unread: glued run {run.text!r} has {len(run.options)} possible splits"
    return [Cell(None, run.text, run.source, note) for _ in codes]


def from_siblings(rec: Record, siblings: Iterable[tuple[str, Mapping[str, Number | None]]]) -> int:
    """Settle the record's open runs from sibling files given as (file, cell values by key);
    returns how many were settled."""
    siblings = list(siblings)
    settled = 0
    for run in list(rec.ambiguous):
        found = by_siblings(run, siblings)
        if found is None:
            continue
        choice, files = found
        same = "body" if rec.region_code else "body name (region not resolved)"
        note = (f"split from glued run {run.text!r}: of {len(run.options)} splits, the one "
                f"{', '.join(files)} gives for the same {same}, year and layout")
        for key, value in zip(run.cells, choice):
            rec.cells[key] = Cell(value, run.text, run.source, note)
        rec.ambiguous.remove(run)
        rec.warnings.append(f"glued run {run.text!r} at {run.source} split as "
                            f"{' | '.join(str(v) for v in choice)}, as {', '.join(files)} gives it")
        settled += 1
    return settled


def report_key(rec: Record) -> tuple | None:
    """Which report a record is a copy of: body (name and region), year and both table layouts."""
    if rec.body is None or not rec.year:
        return None
    return rec.body, int(rec.year), rec.layout, rec.table3_layout


def settle_batch(records: Sequence[Record]) -> int:
    """Settle every record's open runs from the other records of the same report in `records`."""
    groups: dict[tuple, list[Record]] = {}
    for rec in records:
        key = report_key(rec)
        if key is not None:
            groups.setdefault(key, []).append(rec)
    settled = 0
    for group in groups.values():
        for rec in group:
            if rec.ambiguous:
                settled += from_siblings(rec, [(o.file, o.values()) for o in group
                                               if o is not rec and o.sha256 != rec.sha256])
    return settled
