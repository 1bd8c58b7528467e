"""Plain-text page dumps, as a text-mode browser saves them."""

from __future__ import annotations

from presswatch.ingest.decode import decode_bytes
from presswatch.records import TEXT, Page


def read_text(source: str, data: bytes, *, url: str | None = None) -> Page:
    """One page of text (InputError if it is empty, binary or undecodable)."""
    decoded = decode_bytes(data)
    return Page.make(source, TEXT, decoded.text, url=url, encoding=decoded.encoding)
