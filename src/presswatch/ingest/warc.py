"""WARC web archives (plain or gzipped): the HTML pages a crawler saved, one per response record.

An archive is streamed record by record, so the size cap applies to each record, not to the
archive: crawls are routinely far larger than any one page. Crawlers gzip each record on its own;
a plain archive gzipped afterwards as a whole (`gzip crawl.warc`), which warcio refuses, is read
through one decompressing stream.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from presswatch.errors import InputError
from presswatch.ingest.html import read_html
from presswatch.ingest.limits import over_limit
from presswatch.ingest.sniff import SNIFF_BYTES, WARC, sniff_form
from presswatch.records import HTML, Page, Rejection, SkippedRecords

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a damaged archive raises from inside warcio and the decompressors it uses.
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError)


def read_warc(source: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[Page | Rejection | SkippedRecords]:
    """Pages of the archive's HTML 200 responses; requests, other types and statuses are skipped.
    The responses and revisits skipped (a revisit, another status, another media type) are counted
    and given last, as one SkippedRecords, before any error that ends the archive; requests,
    metadata and warcinfo records hold no page and are not counted."""
    # warcio reads almost anything as some kind of record, so a file must announce itself.
    if sniff_form(stream.read(SNIFF_BYTES)) != WARC:
        raise InputError("not a WARC archive (it does not start with a WARC/1.x record header)")
    stream.seek(0)
    if _is_gzipped_whole(stream):
        stream = gzip.GzipFile(fileobj=stream)  # closed with the stream it wraps
    records = ArchiveIterator(stream)
    seen = used = end = 0
    skipped: Counter[str] = Counter()
    try:
        while (record := _next_record(records)) is not None:
            seen += 1
            item = _record_page(source, record, records, max_bytes)
            if _is_cut_short(record, records):
                yield from _skipped(source, skipped)
                raise InputError(f"broken WARC archive: record {seen} is cut short")
            offset, length = records.member_info
            end = offset + length
            if isinstance(item, str):
                if item:
                    skipped[item] += 1
            else:
                used += 1
                yield item
        yield from _skipped(source, skipped)
        skipped.clear()
        # warcio also stops quietly where a record's header is cut off: anything after the last whole
        # record other than blank lines is such a torn record.
        stream.seek(end)
        if stream.read(SNIFF_BYTES).strip():
            size = stream.seek(0, io.SEEK_END)
            raise InputError(f"broken WARC archive: its last {size - end} bytes are not a complete record")
    except _DAMAGE as exc:  # a whole-gzipped archive cut short ends in EOFError where its end is looked for
        yield from _skipped(source, skipped)
        where = f"after {seen} records" if seen else "at its start"
        raise InputError(f"broken WARC archive {where} ({_damage(exc)})") from None
    if not used:
        raise InputError(f"no HTML page with status 200 among its {seen} WARC records")


def _skipped(source: str, skipped: Counter[str]) -> Iterator[SkippedRecords]:
    if skipped:
        yield SkippedRecords(source, tuple(sorted(skipped.items(), key=lambda item: (-item[1], item[0]))))


_GZIP_MAGIC = b"\x1f\x8b"
_CONTENT_LENGTH = re.compile(rb"(?im)^content-length:[ \t]*(\d+)")
_INFLATE_CHUNK = 1 << 16


def _is_gzipped_whole(stream: BinaryIO) -> bool:
    """Whether a gzipped archive is one gzip stream (a member holding more than its first record)
    rather than a member per record: only the first member is inflated, as far as its first record
    goes. The stream is left at its start."""
    inflate, head, record_end = zlib.decompressobj(wbits=31), b"", None
    try:
        if stream.read(2) != _GZIP_MAGIC:
            return False
        stream.seek(0)
        while not inflate.eof and (chunk := stream.read(_INFLATE_CHUNK)):
            head += inflate.decompress(chunk)
            if record_end is None and (header_end := head.find(b"\r\n\r\n")) >= 0:
                length = _CONTENT_LENGTH.search(head, 0, header_end)
                if length is None:
                    return False  # warcio says what is wrong with the header
                record_end = header_end + 4 + int(length.group(1)) + 4  # the record's closing blank lines
            if record_end is not None and len(head) > record_end:
                return True
        return False
    except zlib.error:
        return False  # damage: warcio reports it where it meets it
    finally:
        stream.seek(0)


def _damage(exc: Exception) -> str:
    """What is wrong, in words: warcio quotes the line it could not read, which in a damaged
    archive is binary noise, line breaks and terminal escapes."""
    return str(exc).split(", first line:", 1)[0] or type(exc).__name__


def _next_record(records: ArchiveIterator):
    try:
        return next(records)
    except StopIteration:
        return None
    except _DAMAGE:
        raise
    except Exception as exc:  # warcio's parser trips over torn headers with assorted errors
        raise ArchiveLoadFailed("unreadable record header") from exc


def _is_cut_short(record, records: ArchiveIterator) -> bool:
    """Whether the file ends inside the record: warcio quietly ends a record where a truncated file
    ends, and a cut-off page must not pass for a whole one."""
    records.read_to_end()
    if record.rec_headers.get_header("Content-Length") is None:  # mandatory: the header was torn
        return True
    return bool(getattr(record.raw_stream, "limit", 0))


def _record_page(source: str, record, records: ArchiveIterator, max_bytes: int) -> Page | Rejection | str:
    """The record's page, or a Rejection; else why it was skipped ("" for a record that holds no
    page at all: a request, metadata, warcinfo)."""
    if record.rec_type == "revisit":
        return "revisit"
    if record.rec_type != "response" or record.http_headers is None:
        return ""
    if (status := record.http_headers.get_statuscode()) != "200":
        return f"status {status}"
    content_type = record.http_headers.get_header("Content-Type")
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        return media_type
    body = record.content_stream().read(max_bytes + 1)
    # The offset only where the id is missing: asking warcio for it consumes the record's content.
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    record_source = f"{source}#{record_id or records.get_record_offset()}"
    if not media_type and sniff_form(body[:SNIFF_BYTES]) != HTML:
        return "not HTML (no media type)"
    if len(body) > max_bytes:
        return Rejection(record_source, over_limit(None, max_bytes))
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        return read_html(record_source, body, content_type=content_type, url=url)
    except InputError as exc:
        return Rejection(record_source, str(exc))
