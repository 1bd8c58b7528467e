"""Worker processes: results in input order whichever process ran an item, this process taking
its share (all of it until the helpers have started), one helper pool per process kept between runs."""

from __future__ import annotations

import os
import threading
import time

import pytest

from presswatch.engine.workers import helper_pool, ordered_map, shutdown_helpers


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


PREPARED: list[str] = []


def prepare() -> None:
    PREPARED.append("models")


def prepared_here(_: int) -> tuple[list[str], int]:
    time.sleep(0.05)  # long enough that the helper takes a share
    return list(PREPARED), os.getpid()


def test_helpers_are_forked_from_this_process_once_it_has_prepared_them(monkeypatch):
    """With no other thread running, `prepare` runs here and the helpers start with what it loaded.
    (Threads earlier tests leave idle, a Dask client's loop among them, are not counted.)"""
    shutdown_helpers()
    PREPARED.clear()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    try:
        helper_pool(1, prepare).submit(os.getpid).result()
        found = list(ordered_map(prepared_here, range(12), workers=2, prepare=prepare))
        assert PREPARED == ["models"]
        assert any(pid != os.getpid() for _, pid in found)
        assert all(state == ["models"] for state, _ in found)
    finally:
        shutdown_helpers()
        PREPARED.clear()


def test_helpers_are_spawned_while_another_thread_runs():
    """A thread may hold a lock at the moment of a fork: then helpers are spawned and load their own."""
    shutdown_helpers()
    PREPARED.clear()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        helper_pool(1, prepare).submit(os.getpid).result()
        found = list(ordered_map(prepared_here, range(12), workers=2, prepare=prepare))
        assert PREPARED == []
        assert any(pid != os.getpid() for _, pid in found)
        assert all(state == [] for state, _ in found)
    finally:
        stop.set()
        other.join()
        shutdown_helpers()


def test_warm_up_loads_the_per_page_side():
    from presswatch.engine.pages import warm_up
    from presswatch.extract.language import _identifier
    from presswatch.nlp.pipeline import load_nlp

    warm_up()
    assert _identifier.cache_info().currsize == 1 and load_nlp.cache_info().currsize == 1


def interrupts_ignored(_: int) -> bool:
    import signal

    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_helpers_leave_ctrl_c_to_this_process():
    """Ctrl-C reaches every process of the terminal's group: with --workers 2 a helper died of it with
    a KeyboardInterrupt traceback above the 'interrupted' line. The run, here, handles it alone."""
    assert helper_pool(1).submit(interrupts_ignored, 0).result() is True
