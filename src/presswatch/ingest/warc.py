"""WARC web archives (plain or gzipped): the HTML pages a crawler saved, one per response record.

An archive is streamed record by record, so the size cap applies to each record, not to the
archive: crawls are routinely far larger than any one page.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from presswatch.errors import InputError
from presswatch.ingest.html import read_html
from presswatch.ingest.limits import over_limit
from presswatch.ingest.sniff import SNIFF_BYTES, sniff_form
from presswatch.records import HTML, Page, Rejection

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a damaged archive raises from inside warcio and the decompressors it uses.
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError)


def read_warc(source: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[Page | Rejection]:
    """Pages of the archive's HTML 200 responses; requests, other types and statuses are skipped."""
    records = ArchiveIterator(stream)
    seen = used = 0
    try:
        for record in records:
            seen += 1
            item = _record_page(source, record, records.get_record_offset(), max_bytes)
            if item is not None:
                used += 1
                yield item
    except _DAMAGE as exc:
        where = f"after {seen} records" if seen else "at its start"
        raise InputError(f"broken WARC archive {where} ({type(exc).__name__}: {exc})") from None
    if not used:
        raise InputError(f"no HTML page with status 200 among its {seen} WARC records")


def _record_page(source: str, record, offset: int, max_bytes: int) -> Page | Rejection | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type")
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        return None
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    record_source = f"{source}#{record_id or offset}"
    body = record.content_stream().read(max_bytes + 1)
    if not media_type and sniff_form(body[:SNIFF_BYTES]) != HTML:
        return None
    if len(body) > max_bytes:
        return Rejection(record_source, over_limit(None, max_bytes))
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        return read_html(record_source, body, content_type=content_type, url=url)
    except InputError as exc:
        return Rejection(record_source, str(exc))
