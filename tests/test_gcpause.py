"""The collector pause around the refresh's look and plan (ingest.warehouse.gcpause): off inside,
as it was afterwards, whether the block ends or raises, and nested pauses keep it off."""
from __future__ import annotations

import gc

import pytest

from ingest.warehouse.gcpause import paused_gc


def test_the_collector_is_off_inside_and_as_it_was_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("a failed look")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()


def test_a_function_decorated_runs_each_call_paused() -> None:
    @paused_gc()
    def inside() -> bool:
        return gc.isenabled()

    assert (inside(), inside(), gc.isenabled()) == (False, False, True)
