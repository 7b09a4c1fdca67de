"""Compare a parse record with a gold file (same shape as `xxgk parse` output)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.extract.cellkeys import cell_values

FIXTURES = Path(__file__).parent / "fixtures"


def load_gold(stem: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def compare(rec: dict[str, Any], gold: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(wrong, missed): cells with another number than gold, cells left null where gold has one."""
    got, want = cell_values(rec), cell_values(gold)
    uncertain = set(gold.get("uncertain") or [])
    wrong, missed = [], []
    for key, value in want.items():
        if value is None or key in uncertain:
            continue
        have = got.get(key)
        if have is None:
            missed.append(key)
        elif abs(float(have) - float(value)) > 1e-6:
            wrong.append(f"{key}: {have} != {value}")
    return wrong, missed
