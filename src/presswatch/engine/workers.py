"""Worker processes for the per-page side: reading's extraction and the analysis parse.

One process owns the store and writes it; workers only turn records into records (engine/pages.py),
so their results are the same as in-process ones and the stored result does not depend on how
many workers ran. Results come back in input order, and at most a few batches per worker are in
flight, so memory stays bounded however long the input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

# Batches queued per worker beyond the one it runs: enough to keep it busy while the writer
# catches up, few enough that memory does not follow the input's size.
IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """The machine's cores (the ones this process may use, where the OS says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(fn: Callable[[In], Out], items: Iterable[In], workers: int) -> Iterator[Out]:
    """fn over items, in `workers` processes (in this one for 1), results in input order.

    `fn` must be a module-level function of picklable records. Processes are spawned, not forked,
    so a worker inherits no open database connection or thread of this process.
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= workers * (1 + IN_FLIGHT_PER_WORKER):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
