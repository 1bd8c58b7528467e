"""HTML pages, in whatever encoding they were saved or served."""

from __future__ import annotations

from presswatch.ingest.decode import decode_html
from presswatch.records import HTML, Page


def read_html(
    source: str, data: bytes, *, content_type: str | None = None, url: str | None = None,
    hints: dict[str, str] | None = None,
) -> Page:
    """One page; broken markup is kept as it is, since extraction copes with it (InputError if unreadable)."""
    decoded = decode_html(data, content_type)
    return Page.make(source, HTML, decoded.text, url=url, encoding=decoded.encoding, hints=hints or {})
