"""Labelled corpora as JSON Lines: one object a line, any fault named by file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from presswatch.errors import DataFormatError


def numbered_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """Each non-blank line's number and object, so a task's own checks can name the line too.

    A file without a row is an error: scoring nothing would print a scorecard of zeros (or a
    perfect Rand index) that looks like a measurement."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise DataFormatError(f"cannot read {path}: {exc.strerror}") from exc
    found = False
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise DataFormatError(f"{path}:{number}: expected a JSON object per line")
            found = True
            yield number, row
    if not found:
        raise DataFormatError(f"{path}: no rows (the file is empty)")


def read_jsonl(path: Path) -> Iterator[dict]:
    for _, row in numbered_rows(path):
        yield row
