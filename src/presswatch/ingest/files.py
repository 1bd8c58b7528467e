"""Local paths: files, directories (recursive, sorted, hidden entries skipped) and glob patterns.

A folder of pages often carries its own notes and scripts (a README, a crawl config); when walking
a folder those are passed over, while a file the user names is always read.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO

from presswatch.errors import InputError
from presswatch.ingest.dispatch import Reading
from presswatch.ingest.jsonl import read_jsonl
from presswatch.ingest.limits import over_limit
from presswatch.ingest.sniff import JSONL, WARC, form_from_name
from presswatch.ingest.warc import read_warc
from presswatch.records import Page, Rejection

_GLOB_MAGIC = re.compile(r"[*?[]")
NOT_PAGES = frozenset(
    ".md .rst .py .sh .js .css .json .yaml .yml .toml .ini .cfg .csv .tsv .lock .log".split()
)


def is_page_name(name: str) -> bool:
    """Whether a file or folder met while walking a folder may hold pages (not hidden, not notes)."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() not in NOT_PAGES


def expand(source: str) -> Iterator[str | Rejection]:
    """The file paths a source names, in a stable order; a Rejection where it names none."""
    if os.path.isdir(source):
        yield from _directory_files(source)
    elif not os.path.lexists(source) and _GLOB_MAGIC.search(source):
        yield from _glob_files(source)
    else:
        yield source  # reading it reports a missing or unreadable path


def _glob_files(pattern: str) -> Iterator[str | Rejection]:
    seen: set[str] = set()  # "dir/**" matches a folder and the files in it: read each file once
    for match in sorted(glob.glob(pattern, recursive=True)):
        for item in _walk(match, set()) if os.path.isdir(match) else [match]:
            if isinstance(item, str):
                if item in seen:
                    continue
                seen.add(item)
            yield item
    if not seen:
        yield Rejection(pattern, "no files match this pattern")


def _directory_files(directory: str) -> Iterator[str | Rejection]:
    found = False
    for item in _walk(directory, set()):
        found = True
        yield item
    if not found:
        yield Rejection(directory, "no page files in this directory (hidden files, notes and scripts are skipped)")


def _walk(directory: str, visited: set[str]) -> Iterator[str | Rejection]:
    real = os.path.realpath(directory)
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Rejection(directory, describe_os_error(exc))
        return
    for entry in entries:
        if not is_page_name(entry.name):
            continue
        path = os.path.join(directory, entry.name)
        if _is_dir(entry):
            yield from _walk(path, visited)
        else:
            yield path


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def read_file(path: str, reading: Reading) -> Iterator[Page | Rejection]:
    """The pages in one file. The size is checked before a byte is read: a 50 GB file costs nothing."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a device, pipe or socket)")
    yield from read_sized(path, info.st_size, lambda: open(path, "rb"), reading)  # noqa: SIM115 - read_sized closes it


def read_sized(
    source: str, size: int, open_stream: Callable[[], BinaryIO], reading: Reading
) -> Iterator[Page | Rejection]:
    """The pages in a file of known size, wherever it is stored (`open_stream` opens it for reading).

    WARC and JSONL files are containers of many pages and are streamed, so for them the cap applies
    to each record or row instead of to the file.
    """
    if size == 0:
        raise InputError("empty (0 bytes)")
    form = form_from_name(source)
    if form in (WARC, JSONL):
        with open_stream() as stream:
            reader = read_warc if form == WARC else read_jsonl
            yield from reader(source, stream, max_bytes=reading.max_bytes)
        return
    if size > reading.max_bytes:
        raise InputError(over_limit(size, reading.max_bytes))
    with open_stream() as stream:
        data = stream.read(reading.max_bytes + 1)
    if len(data) > reading.max_bytes:  # it grew since the size check
        raise InputError(over_limit(None, reading.max_bytes))
    yield from reading.read_bytes(source, data, form=form)


def describe_os_error(exc: OSError) -> str:
    """What went wrong with a path, in words a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied (check the file's permissions)"
    return f"cannot be read ({exc.strerror or exc})"
