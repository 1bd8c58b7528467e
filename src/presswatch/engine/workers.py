"""Worker processes for the per-page side: reading's extraction and the analysis parse.

One process owns the store and writes it; workers only turn records into records (engine/pages.py),
so their results are the same as in-process ones and the stored result does not depend on how
many workers ran. Results come back in input order, and only a few items per worker are in
flight, so memory stays bounded however long the input.

`workers` counts processes, this one included: with N, N - 1 helper processes run beside this
one, and this one takes the next item itself whenever the helpers have enough queued. Measured on
bench/workers.py (notes: issue 12 item 3), a spawned helper costs about 2 s of CPU to start and
load its models and 1-2 s more for its first parse, while this process has them loaded already
(an `ingest` runs `analyse` in the same process); leaving this process idle while N fresh
helpers paid that start gave 2 workers no speedup over 1 on 60 pages.

The helpers are started once per process and kept (`helper_pool`), so an `ingest` followed by an
`analyse` (as the CLI's ingest runs them) starts them once, not twice. Where it is safe they are
forked from this process after `prepare` (engine/pages.py `warm_up`) has loaded the models here,
so they start with the models loaded and warm; this process needs them anyway, being one of the
workers. Forking is safe while this process runs no other thread: a thread of the CLI's progress
display or the web server may hold a lock the child would wait on forever (the CLI starts its
helpers before its progress display, `start_helpers`). Nor is torch loaded (the semantic extra):
its OpenMP threads do not survive a fork. Otherwise they are spawned and load their own models,
which costs each about 2-3 s of CPU (the language identifier's model 1 s, spaCy 1.2 s, imports
0.6 s, measured for issue 12). A helper inherits this process's open database connection but
never uses it, and leaves without closing it (multiprocessing ends its processes with `os._exit`).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

# Items queued per helper beyond the one it runs: one keeps it busy while its last result travels
# back; every further one is work this process may wait for at the end of the input.
IN_FLIGHT_PER_WORKER = 1
# Results finished ahead of the oldest unfinished one that this process may hold before it waits
# for that one instead of taking more work: bounds memory when one helper item is slow (a helper's
# first parse loads spaCy), loose enough that this process rarely waits (64 pages or parse tasks).
AHEAD_PER_WORKER = 32

_helpers: tuple[int, ProcessPoolExecutor] | None = None


def default_workers() -> int:
    """The machine's cores (the ones this process may use, where the OS says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def helper_pool(helpers: int, prepare: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """This process's pool of `helpers` processes, started on first use and kept; `prepare` runs
    here before they are forked from this process (not when they must be spawned)."""
    global _helpers
    if _helpers is not None and _helpers[0] != helpers:
        shutdown_helpers()
    if _helpers is None:
        if _fork_is_safe():
            if prepare is not None:
                prepare()
            context = multiprocessing.get_context("fork")
        else:
            context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=context, initializer=_leave_interrupts)
        _helpers = (helpers, pool)
        pool.submit(_import_only)  # starts the helpers now, before this process may start a thread
    return _helpers[1]


def _leave_interrupts() -> None:
    """Ctrl-C goes to every process of the terminal's group: a helper leaves it to this process,
    which ends the run (and its helpers) with one line instead of a traceback from each helper."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_helpers(workers: int, prepare: Callable[[], None] | None = None) -> None:
    """Start the helpers a run with `workers` uses now, before the caller starts threads of its
    own (a progress display), so that they can be forked warm; nothing for one worker."""
    if workers > 1:
        helper_pool(workers - 1, prepare)


def _fork_is_safe() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and "torch" not in sys.modules
    )


def shutdown_helpers() -> None:
    """Stop the helper processes (at exit, or when a run needs another count or a fresh pool)."""
    global _helpers
    if _helpers is not None:
        _helpers[1].shutdown(wait=True, cancel_futures=True)
        _helpers = None


atexit.register(shutdown_helpers)


def ordered_map(
    fn: Callable[[In], Out], items: Iterable[In], workers: int, prepare: Callable[[], None] | None = None
) -> Iterator[Out]:
    """fn over items in `workers` processes, this one included (only this one for 1), results in
    input order; `prepare` loads what helpers forked from this process should start with.

    `fn` must be a module-level function of picklable records. An exception `fn` raises is raised
    here, at its item's place in the order, wherever it ran.
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    pool = helper_pool(workers - 1, prepare)
    # Nothing is handed to the helpers before they have started and imported fn's module: until
    # then this process takes every item. (Handing them work at once left this process waiting
    # for a helper's first result through its whole start, seconds on a busy machine.)
    ready = pool.submit(_import_only, fn)
    queued_cap = (workers - 1) * (1 + IN_FLIGHT_PER_WORKER)
    ahead_cap = workers * AHEAD_PER_WORKER
    pending: deque[Future] = deque()
    source = iter(items)
    exhausted = False
    try:
        while pending or not exhausted:
            while pending and pending[0].done():
                yield pending.popleft().result()
            if exhausted or len(pending) >= ahead_cap:
                if pending:
                    yield pending.popleft().result()  # wait for the oldest helper item
                continue
            item = next(source, _END)
            if item is _END:
                exhausted = True
            elif ready.done() and ready.result() is None and sum(not f.done() for f in pending) < queued_cap:
                pending.append(pool.submit(fn, item))
            else:
                pending.append(_run_here(fn, item))
    finally:
        ready.cancel()
        for future in pending:  # the caller stopped early or an item failed: drop queued work
            future.cancel()
        if _broken(pool):
            shutdown_helpers()


def _import_only(*modules_of: Callable) -> None:
    """Nothing: a helper that runs this has started and, unpickling its arguments, imported their
    modules; submitted without any, it only makes the pool start its processes."""


_END = object()


def _run_here(fn: Callable[[In], Out], item: In) -> Future:
    """fn(item) in this process, as a finished Future so it keeps its place among the helpers'."""
    future: Future = Future()
    try:
        future.set_result(fn(item))
    except Exception as exc:
        future.set_exception(exc)
    return future


def _broken(pool: ProcessPoolExecutor) -> bool:
    """Whether a helper died (killed, out of memory): such a pool takes no more work, so the next
    run starts a fresh one. Read from the executor's own flag, which has no public accessor."""
    return bool(getattr(pool, "_broken", False))
