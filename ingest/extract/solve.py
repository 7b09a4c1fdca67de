"""Choose among a glued row's splits with Table 3's column identities.

T3_BALANCE and T3_OUTCOME_SUM hold per column across rows, so a row whose run splits several
ways can be settled by the others. A row is settled only when every combination that satisfies
the identities agrees on it; otherwise it keeps its surviving candidates and is left unread.
"""
from __future__ import annotations

import itertools
import math

from ingest.extract.rows import RowRead
from ingest.spec import Spec

MAX_COMBINATIONS = 200_000


def _known(read: RowRead) -> tuple | None:
    if read.cells is not None:
        values = tuple(c.value for c in read.cells)
        return values
    if read.glued and len(read.options) == 1:
        return read.options[0]
    return None


def _holds(rows: dict[str, tuple | None], sp: Spec) -> bool:
    outcome = [r.code for r in sp.t3_rows if r.group]
    for col in range(len(sp.t3_columns)):
        def get(code: str) -> int | None:
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


def solve_table3(reads: dict[str, RowRead], sp: Spec, warnings: list[str]) -> None:
    ambiguous = [code for code, r in reads.items() if r.glued and len(r.options) > 1]
    if not ambiguous:
        return
    if math.prod(len(reads[c].options) for c in ambiguous) > MAX_COMBINATIONS:
        warnings.append(f"Table 3: too many ways to split glued rows {', '.join(ambiguous)}; left unread")
        return
    fixed = {code: _known(r) for code, r in reads.items() if code not in ambiguous}
    surviving: list[tuple] = []
    for combo in itertools.product(*(reads[c].options for c in ambiguous)):
        rows = dict(fixed)
        rows.update(zip(ambiguous, combo))
        if _holds(rows, sp):
            surviving.append(combo)
    for i, code in enumerate(ambiguous):
        choices = list(dict.fromkeys(combo[i] for combo in surviving))
        reads[code].options = choices
