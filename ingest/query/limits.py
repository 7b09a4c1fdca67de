"""The limits of one `xxgk query`: time, memory and threads, with their defaults in one place.

Light on purpose (no DuckDB import): the command-line parser reads the defaults from here.
"""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

from ingest.i18n import _

MEMORY_PATTERN = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Limits:
    """`timeout`: seconds the statement may run, fetching included (0: no limit). `memory`: DuckDB's
    memory limit; beyond it DuckDB spills to a private temporary folder of at most `spill`, removed
    after the query. `threads`: DuckDB's worker threads."""

    timeout: float = 120.0
    memory: str = "2GB"
    threads: int = 2
    spill: str = "10GB"


DEFAULT_LIMITS = Limits()


def memory_size(text: str) -> str:
    """argparse type for --memory-limit: a size DuckDB understands, e.g. 2GB or 500MB."""
    if not MEMORY_PATTERN.match(text):
        raise argparse.ArgumentTypeError(_("not a memory size like 2GB or 500MB: {text!r}").format(text=text))
    return text.strip()


def seconds(text: str) -> float:
    """argparse type for --timeout: seconds, 0 for no limit."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(_("not a number of seconds: {text!r}").format(text=text))
    return value


def thread_count(text: str) -> int:
    """argparse type for --threads: at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("not a number of threads (1 or more): {text!r}").format(text=text))
    return int(text)
