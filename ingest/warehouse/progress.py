"""Terminal output of a build: a progress bar for long runs and a summary at the end."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

T = TypeVar("T")
MAX_ERRORS_SHOWN = 20


class Progress:
    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.errors = 0

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
        self.errors += 1
        if self.errors <= MAX_ERRORS_SHOWN:
            self.console.print(f"[yellow]failed:[/] {message}", markup=True, highlight=False)
        elif self.errors == MAX_ERRORS_SHOWN + 1:
            self.console.print("… more failures: see raw.failures in the warehouse")

    def fail(self, failures: list[str]) -> None:
        self.console.print("[red]build failed; the previous warehouse is untouched:[/]", markup=True)
        for line in failures[:MAX_ERRORS_SHOWN]:
            self.console.print(f"  {line}", highlight=False, markup=False)


def summary(run: dict[str, Any], counts: dict[str, int], warehouse: Path) -> None:
    print(f"{run['mode']}: {run['files_new']} new, {run['files_changed']} changed, "
          f"{run['files_unchanged']} unchanged, {run['files_withdrawn']} withdrawn, "
          f"{run['files_failed']} failed", file=sys.stdout)
    if run.get("message"):
        print(run["message"], file=sys.stdout)
    print(f"warehouse {warehouse}: {counts['reports']} reports loaded ({counts['body_years']} body-years), "
          f"{counts['failed']} files failed, {counts['breaches']} rule breaches", file=sys.stdout)
