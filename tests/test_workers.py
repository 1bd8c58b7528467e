"""Worker processes: results in input order whichever process ran an item, this process taking
its share (all of it until the helpers have started), one helper pool per process kept between runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

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
    (Threads earlier tests leave idle, a Dask client's loop among them, are not counted, nor torch,
    which an earlier test of the semantic extra may have imported.)"""
    shutdown_helpers()
    PREPARED.clear()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    try:
        helper_pool(1, prepare).submit(os.getpid).result()
        found = list(ordered_map(prepared_here, range(12), workers=2, prepare=prepare))
        assert PREPARED == ["models"]
        assert any(pid != os.getpid() for _, pid in found)
        assert all(state == ["models"] for state, _ in found)
    finally:
        shutdown_helpers()
        PREPARED.clear()


def test_helpers_are_spawned_once_torch_is_loaded(monkeypatch):
    """torch's OpenMP threads do not survive a fork: with the semantic extra loaded, helpers load their own."""
    shutdown_helpers()
    PREPARED.clear()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setitem(sys.modules, "torch", sys.modules.get("torch") or type(sys)("torch"))
    try:
        helper_pool(1, prepare).submit(os.getpid).result()
        found = list(ordered_map(prepared_here, range(12), workers=2, prepare=prepare))
        assert PREPARED == []
        assert all(state == [] for state, _ in found)
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


# A process that starts one helper, prints its pid, and dies as a SIGKILL, SIGTERM or the OOM killer ends it.
DIES_WITH_A_HELPER = """
import os, signal, sys
from presswatch.engine.workers import helper_pool
print(helper_pool(1).submit(os.getpid).result(), flush=True)
os.kill(os.getpid(), getattr(signal, sys.argv[1]))
"""


def running(pid: int) -> bool:
    """Whether `pid` runs (a zombie no one has reaped yet has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_helper_leaves_when_the_process_it_works_for_is_killed(signal_name):
    # The helper holds the owner's stdout too: read its line and wait for the owner, not for the pipe's end.
    owner = subprocess.Popen([sys.executable, "-c", DIES_WITH_A_HELPER, signal_name], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    with owner.stdout:
        helper = int(owner.stdout.readline())
    assert owner.wait(timeout=60) == -getattr(signal, signal_name)
    deadline = time.monotonic() + 5
    while running(helper) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = running(helper)
    if left:
        os.kill(helper, signal.SIGKILL)
    assert not left, "the helper outlived the process that started it"


def test_ctrl_c_in_a_helper_is_left_to_the_process_that_owns_the_store():
    """A Ctrl-C reaches every process of the terminal's group; the helpers go on with their work
    (this process stops the run and then them) instead of each printing a traceback and dying."""
    pool = helper_pool(1)
    helper = pool.submit(os.getpid).result()
    os.kill(helper, signal.SIGINT)
    assert pool.submit(os.getpid).result(timeout=10) == helper


def dies_in_a_helper(item: tuple[int, int]) -> int:
    """n, run here; a helper that takes it is killed, as the OOM killer would."""
    n, owner = item
    time.sleep(0.05)
    if os.getpid() != owner:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def test_a_helper_that_dies_ends_the_run_with_a_clear_error():
    """A helper killed mid-run ended it with a BrokenProcessPool traceback; the next run starts a
    fresh pool."""
    from presswatch.errors import PresswatchError

    helper_pool(1).submit(os.getpid).result()
    with pytest.raises(PresswatchError, match="a worker process died"):
        list(ordered_map(dies_in_a_helper, [(n, os.getpid()) for n in range(40)], workers=2))
    found = list(ordered_map(tagged, range(5), workers=2))
    assert [n for n, _ in found] == list(range(5))
