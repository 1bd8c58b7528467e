"""JSON Lines exports: one page per row, `{"html": ...}` or `{"text": ...}` plus optional metadata.

Rows are read one at a time, so the size cap applies to each row rather than to the whole export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from presswatch.errors import InputError
from presswatch.ingest.limits import over_limit
from presswatch.records import HTML, TEXT, Page, Rejection

HINT_FIELDS = ("url", "title", "published", "author")


def read_jsonl(source: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[Page | Rejection]:
    """A page per usable row; a Rejection naming the line for each row that is not."""
    rows = 0
    for number, line in _lines(stream, max_bytes):
        if line is not None and not line.strip():
            continue
        rows += 1
        row_source = f"{source}#line-{number}"
        try:
            if line is None:
                raise InputError(over_limit(None, max_bytes))
            yield _row_page(row_source, line)
        except InputError as exc:
            yield Rejection(row_source, f"line {number}: {exc}")
    if not rows:
        raise InputError("no rows: the JSONL file holds only blank lines")


def _row_page(source: str, line: bytes) -> Page:
    try:
        row = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8 (JSON Lines must be UTF-8)") from None
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})") from None
    if not isinstance(row, dict):
        raise InputError(f"a JSON {type(row).__name__}, expected an object with an 'html' or 'text' field")
    for field, kind in (("html", HTML), ("text", TEXT)):
        content = row.get(field)
        if isinstance(content, str) and content.strip():
            hints = {name: _storable(row[name].strip()) for name in HINT_FIELDS
                     if isinstance(row.get(name), str) and row[name].strip()}
            return Page.make(source, kind, _storable(content), url=hints.get("url"), encoding="utf-8", hints=hints)
    raise InputError("no non-empty 'html' or 'text' string field")


# JSON's \ud800 escapes give lone surrogates, which no UTF-8 store takes.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line longer than max_bytes, which is skipped without holding it.

    Hand-written because file iteration would read a giant line whole before we could refuse it.
    """
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1_000_000)
            yield number, None
        else:
            yield number, line
