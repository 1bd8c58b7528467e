"""Worker processes: results in input order whichever process ran an item, this process taking
its share (all of it until the helpers have started), one helper pool per process kept between runs."""

from __future__ import annotations

import os
import time

import pytest

from presswatch.engine.workers import helper_pool, ordered_map


def tagged(n: int) -> tuple[int, int]:
    """n with the process that ran it (module-level, so spawned helpers can import it)."""
    time.sleep(0.05)
    if n == 13:
        raise ValueError("thirteen")
    return n, os.getpid()


def test_results_keep_input_order_and_this_process_takes_a_share():
    helper_pool(1).submit(os.getpid).result()  # started: items go to it once it has imported `tagged`
    found = list(ordered_map(tagged, range(13), workers=2))
    assert [n for n, _ in found] == list(range(13))
    ran_in = {pid for _, pid in found}
    assert os.getpid() in ran_in and len(ran_in) == 2


def test_an_item_that_fails_raises_at_its_place_in_the_order():
    results = ordered_map(tagged, range(20), workers=2)
    assert [n for n, _ in (next(results) for _ in range(13))] == list(range(13))
    with pytest.raises(ValueError, match="thirteen"):
        next(results)


def test_the_helpers_start_once_per_process():
    pool = helper_pool(1)
    list(ordered_map(tagged, range(5), workers=2))
    list(ordered_map(tagged, range(5), workers=2))
    assert helper_pool(1) is pool


def test_one_worker_runs_here_without_helpers():
    assert {pid for _, pid in ordered_map(tagged, range(3), workers=1)} == {os.getpid()}
