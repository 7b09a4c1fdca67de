"""Failures of a run itself (not of one file): one line saying what failed and where.

    with step(f"copying {warehouse} to {staging}"):
        ...  # an OSError or a DuckDB error here becomes RunFailure("copying ...: <why>")

A full disk is said in English and Chinese, whichever layer noticed it.
"""
from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

NO_SPACE = "No space left on device"
NO_SPACE_ZH = "磁盘空间不足"
_NO_SPACE = re.compile(r"No space left on device|ENOSPC|Errno 28|disk is full|磁盘空间不足", re.IGNORECASE)


class RunFailure(Exception):
    """The run cannot go on; str() is the one line to print."""


def no_space(text: str) -> bool:
    return bool(_NO_SPACE.search(text))


def why(exc: BaseException) -> str:
    """What went wrong, on one line; a full disk says so in both languages."""
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror + (f": {exc.filename}" if exc.filename else "")
        full = exc.errno == errno.ENOSPC
    else:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        text = " ".join(lines)[:500] or type(exc).__name__
        full = no_space(str(exc))
    if full and NO_SPACE not in text:
        text = f"{NO_SPACE}: {text}"
    return f"{text} ({NO_SPACE_ZH})" if full else text


@contextmanager
def step(what: str) -> Iterator[None]:
    """Turn an OSError or DuckDB error raised inside into RunFailure("<what>: <why>")."""
    try:
        yield
    except (OSError, duckdb.Error) as exc:
        raise RunFailure(f"{what}: {why(exc)}") from exc
