"""Sending content to the reader of its form, wherever it came from (a file, a download, a feed link)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from presswatch.errors import InputError
from presswatch.ingest.feed import read_feed
from presswatch.ingest.html import read_html
from presswatch.ingest.jsonl import read_jsonl
from presswatch.ingest.sniff import (
    BINARY,
    FEED,
    JSONL,
    WARC,
    binary_description,
    form_from_name,
    sniff_form,
)
from presswatch.ingest.text import read_text
from presswatch.ingest.warc import read_warc
from presswatch.ingest.web import Fetcher
from presswatch.records import HTML, TEXT, Page, Rejection

_FORM_BY_MEDIA_TYPE = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/rss+xml": FEED,
    "application/atom+xml": FEED,
    "application/rdf+xml": FEED,
    "text/plain": TEXT,
}


@dataclass(frozen=True)
class Reading:
    """How one run reads: its size cap, whether feeds' links are followed, its HTTP client."""

    max_bytes: int
    fetch_feed_links: bool
    fetcher: Fetcher

    def read_bytes(
        self, source: str, data: bytes, *, form: str | None = None, content_type: str | None = None,
        url: str | None = None,
    ) -> Iterator[Page | Rejection]:
        """The pages in `data`, read as `form` (sniffed when None); InputError when there are none."""
        if not data:
            raise InputError("empty (0 bytes)")
        sniffed = sniff_form(data)
        if form is None or (form == FEED and sniffed == HTML):  # an XHTML page saved as .xml
            form = sniffed
        if sniffed == BINARY and form != WARC:  # whatever its name says
            raise InputError(binary_description(data) or "binary file")
        if form == HTML:
            yield read_html(source, data, content_type=content_type, url=url)
        elif form == TEXT:
            yield read_text(source, data, url=url)
        elif form == FEED:
            yield from read_feed(source, data, fetch_page=self.fetch_page if self.fetch_feed_links else None)
        elif form == WARC:
            yield from read_warc(source, io.BytesIO(data), max_bytes=self.max_bytes)
        elif form == JSONL:
            yield from read_jsonl(source, io.BytesIO(data), max_bytes=self.max_bytes)
        else:
            raise ValueError(f"unknown form {form!r}")

    def read_url(self, url: str) -> Iterator[Page | Rejection]:
        fetched = self.fetcher.fetch(url)
        media_type = (fetched.content_type or "").split(";")[0].strip().lower()
        form = _FORM_BY_MEDIA_TYPE.get(media_type) or form_from_name(urlsplit(fetched.url).path)
        yield from self.read_bytes(url, fetched.data, form=form, content_type=fetched.content_type, url=fetched.url)

    def fetch_page(self, source: str, url: str, hints: dict[str, str]) -> Page:
        """A feed entry's linked page, decoded as HTML whatever the server calls it."""
        fetched = self.fetcher.fetch(url)
        return read_html(source, fetched.data, content_type=fetched.content_type, url=fetched.url, hints=hints)
