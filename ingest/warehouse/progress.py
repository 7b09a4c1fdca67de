"""Terminal output of a build: a progress bar for long runs, a line per problem, a summary.

Text that comes from files (names, parser messages, manifest cells) is never interpreted: it is
printed as rich `Text` (no markup, no highlighting, no emoji codes) after `plain()` has turned
control characters into visible escapes, so `reports [draft]/x.txt` or a name holding `[/x]` or
an escape sequence prints as it is.
"""
from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn
from rich.text import Text

T = TypeVar("T")
MAX_ERRORS_SHOWN = 20


def _shown(ch: str) -> str:
    if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
        return ch.encode("unicode_escape").decode("ascii")
    return ch


def plain(text: object) -> str:
    """`text` with every control or format character (escape, newline, bidi override, ...)
    written as a Python escape, so it can neither move the cursor nor break the line."""
    return "".join(map(_shown, str(text)))


class Progress:
    def __init__(self) -> None:
        self.console = Console(stderr=True, highlight=False, emoji=False, markup=False)
        self.errors = 0

    def line(self, label: str, style: str, message: object) -> None:
        self.console.print(Text.assemble((label, style), plain(message)), soft_wrap=True)

    def track(self, items: Iterable[T], total: int) -> Iterator[T]:
        if total < 50 or not self.console.is_terminal:
            yield from items
            return
        columns = (TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Bar(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task("parse", total=total)
            for item in items:
                yield item
                bar.advance(task)

    def error(self, message: str) -> None:
        """A file that failed or was skipped (the message starts with its name)."""
        self.errors += 1
        if self.errors <= MAX_ERRORS_SHOWN:
            self.line("failed: ", "yellow", message)
        elif self.errors == MAX_ERRORS_SHOWN + 1:
            self.console.print("… more failures: see raw.failures in the warehouse")

    def note(self, message: str) -> None:
        self.line("note: ", "cyan", message)

    def warn(self, message: str) -> None:
        self.line("warning: ", "yellow", message)

    def run_failed(self, message: str) -> None:
        """The one line that says the run failed: what, where, and that nothing changed."""
        self.line("xxgk: ", "red", message)


def summary(run: dict[str, Any], counts: dict[str, int], warehouse: Path) -> None:
    extra = f", {run['files_reapplied']} re-applied" if run.get("files_reapplied") else ""
    print(f"{run['mode']}: {run['files_new']} new, {run['files_changed']} changed, "
          f"{run['files_unchanged']} unchanged, {run['files_withdrawn']} withdrawn, "
          f"{run['files_failed']} failed{extra}", file=sys.stdout)
    if run.get("message"):
        print(plain(run["message"]), file=sys.stdout)
    print(f"warehouse {plain(warehouse)}: {counts['reports']} reports loaded ({counts['body_years']} body-years), "
          f"{counts['failed']} files failed, {counts['breaches']} rule breaches", file=sys.stdout)
