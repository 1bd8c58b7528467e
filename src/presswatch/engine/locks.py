"""Run locks: a task that must not run twice at once on one database (the analysis, webhook
deliveries) holds its own lock for as long as it runs, and a second run is refused with a message."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from presswatch.errors import BusyError
from presswatch.store import Store


@contextmanager
def run_lock(store: Store, task: str, busy: str) -> Iterator[None]:
    """Hold `<db>.<task>.lock` for the whole run, or raise BusyError, saying `busy` (with the
    database's `{path}` and the holder's `{pid}`), if another process holds it (the analysis;
    engine/alerts.py's webhook deliveries take their own).

    An flock, not a row in the database: the OS releases it when its holder dies, so a killed run
    never leaves a stale lock behind (written by hand because it is a dozen lines of `fcntl`, and
    the lock file also names the holder's pid for the message). A database in memory or in a
    temporary file is private to its connection and needs none.
    """
    if store.path in ("", ":memory:"):
        yield
        return
    # Beside the file itself: a database reached through a symlink is the same database.
    lock_path = f"{os.path.realpath(store.path)}.{task}.lock"
    # "a+" so that a process that fails to get the lock does not erase the holder's pid.
    with open(lock_path, "a+", encoding="ascii") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            raise BusyError(busy.format(path=store.path, pid=holder)) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
