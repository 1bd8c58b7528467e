"""Where the quotation marks in a body open and close.

Hand-written because quote pairing in news text follows house rules no parser models: curly marks
pair by shape, straight double marks toggle, and a quote left open at a paragraph's end is the
newspaper convention for a quotation that continues into the next paragraph.
Single marks are ignored: in English text they are mostly apostrophes. Two single marks in a row
('' and ``) are the typewriter and newswire spelling of a double mark and count as one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# Every mark that opens or closes a quotation, single ones included (for trimming, not pairing).
QUOTE_MARKS = "\"“”„‟«»'‘’‚‛"
OPENING = ("“", "„", "‟", "«", "``")
STRAIGHT = ('"', "''")
_MARKS = re.compile(r"``|''|[“„‟«”»\"]|\n\n")


def quote_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included, in text order."""
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for m in _MARKS.finditer(text):
        mark, at = m.group(), m.start()
        if mark == "\n\n":
            if start is not None:
                regions.append((start, at))
            start = None
        elif mark in OPENING or (mark in STRAIGHT and start is None):
            if start is not None:
                regions.append((start, at))  # an unclosed quote ends where the next one opens
            start = at
        elif start is not None:
            regions.append((start, m.end()))
            start = None
    if start is not None:
        regions.append((start, len(text)))
    return regions


class QuoteIndex:
    """Looks up, for a character offset, the quotation it falls inside (if any)."""

    def __init__(self, text: str):
        self.text = text  # kept because spaCy rebuilds `doc.text` from the tokens on every access
        self.regions = quote_regions(text)
        self._starts = [s for s, _ in self.regions]

    def region_at(self, offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and self.regions[k][0] <= offset < self.regions[k][1]:
            return self.regions[k]
        return None

    def inside(self, offset: int) -> bool:
        return self.region_at(offset) is not None

    def regions_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """Quotations overlapping [start, end), including one opened before `start`."""
        return list(self.iter_between(start, end))

    def iter_between(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """`regions_between` one at a time, for a caller that may stop at the first few: listing
        every quotation to a paragraph's end per statement grew with the square of a long
        paragraph's (or a text dump's single line's) quotations."""
        k = bisect.bisect_right(self._starts, start) - 1
        if k < 0 or self.regions[k][1] <= start:
            k += 1
        while k < len(self.regions) and self.regions[k][0] < end:
            yield self.regions[k]
            k += 1
