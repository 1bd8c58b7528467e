"""Character spans of one article found by the offsets they cover.

The statements stage asks, for each statement, which other statements' spans hold its cue or
overlap a quotation. Comparing every statement with every other grows with the square of an
article's length (over 5 minutes of CPU for a 978k-character article); this index files each
span under every block of `BLOCK` characters it touches, so a lookup reads the spans of one block
or a few, however long the article, and a long span costs one entry per block it crosses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

# A statement's spans run over a clause or a quotation, a few hundred characters; a block of
# about that size holds a handful of spans, so a lookup compares a handful.
BLOCK = 512


class SpanIndex(Generic[T]):
    """(start, end, value) entries, half-open character spans, looked up by offset or range."""

    def __init__(self, entries: Iterable[tuple[int, int, T]] = ()):
        self._blocks: dict[int, list[tuple[int, int, T]]] = defaultdict(list)
        for start, end, value in entries:
            self.add(start, end, value)

    def add(self, start: int, end: int, value: T) -> None:
        entry = (start, end, value)
        for block in range(start // BLOCK, max(start, end - 1) // BLOCK + 1):
            self._blocks[block].append(entry)

    def containing(self, offset: int) -> list[T]:
        """Values of the spans with start <= offset < end, in the order they were added."""
        return [v for s, e, v in self._blocks.get(offset // BLOCK, ()) if s <= offset < e]

    def overlapping(self, start: int, end: int) -> list[T]:
        """Values of the spans with s < end and start < e, each span once (one that crosses
        blocks is filed under each)."""
        seen: set[int] = set()
        found = []
        for block in range(start // BLOCK, max(start, end - 1) // BLOCK + 1):
            for entry in self._blocks.get(block, ()):
                s, e, value = entry
                if s < end and start < e and id(entry) not in seen:
                    seen.add(id(entry))
                    found.append(value)
        return found
