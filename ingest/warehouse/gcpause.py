"""Python's cyclic garbage collector paused while a refresh makes its large structures.

The look at 100,000 files and the plan against 100,000 reports make several hundred thousand
tuples, lists and dict entries, none of them part of a cycle (reference counting frees them).
Every 700 new objects the collector walks the youngest ones, and the older generations again and
again as they grow: about a quarter of the CPU of the look, the warehouse's names and the plan
(0.2-0.3 s of a refresh with a change at 100,000 reports). Paused there, it resumes as it was at
the block's end, also when the block raises; what it would have found is collected later (the
refresh collects before dbt runs, ingest.warehouse.build.release_memory).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off; leave it on or off as it was before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
