"""Ingest: from what the user points presswatch at to Page records, or Rejections saying why not.

Sources are files (plain-text dumps, HTML, RSS/Atom feeds, WARC archives, JSON Lines), directories,
glob patterns, http(s) URLs and storage URLs read through fsspec (ingest/storage.py). Each source is read on its own: a bad one becomes a Rejection and
the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presswatch.errors import InputError
from presswatch.ingest.dispatch import Reading
from presswatch.ingest.files import describe_os_error, expand, path_source, read_file
from presswatch.ingest.limits import DEFAULT_MAX_BYTES
from presswatch.ingest.storage import expand_storage, is_storage_url, read_storage_file
from presswatch.ingest.web import DEFAULT_TIMEOUT, Fetcher, is_url
from presswatch.records import Page, Rejection

__all__ = ["DEFAULT_MAX_BYTES", "read_sources", "source_files"]


def read_sources(
    sources: Iterable[str], *, fetch_feed_links: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT, allow_private_addresses: bool | None = None, storage: bool = False,
) -> Iterator[Page | Rejection]:
    """Pages and Rejections, in the order of the sources (a directory's files sorted by name).

    URLs are fetched only when they are among the sources (or are the links of a feed's entries
    with `fetch_feed_links`), each within `timeout` seconds and `max_bytes`, and only from public
    addresses unless `allow_private_addresses` (None: as $PRESSWATCH_ALLOW_PRIVATE_ADDRESSES says).
    With `storage`, other `scheme://` sources (s3://, file://, ...) are read through fsspec;
    without, they are refused.
    """
    with Fetcher(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private_addresses) as fetcher:
        reading = Reading(max_bytes=max_bytes, fetch_feed_links=fetch_feed_links, fetcher=fetcher)
        for item in source_files(sources, storage=storage):
            if isinstance(item, Rejection):
                yield item
            elif storage and is_storage_url(item):
                yield from _guarded(item, read_storage_file(item, reading))
            elif is_url(item):
                yield from _guarded(item, reading.read_url(item))
            else:
                yield from _guarded(path_source(item), read_file(item, reading))


def source_files(sources: Iterable[str], *, storage: bool = False) -> Iterator[str | Rejection]:
    """The files and URLs the sources name, in reading order; a Rejection where one names none.

    This is how a cluster run splits its input into partitions before any page is read.
    """
    if isinstance(sources, str):  # one source, not an iterable of its characters
        sources = [sources]
    for source in map(str, sources):
        if storage and is_storage_url(source):
            yield from expand_storage(source)
        elif is_url(source):
            yield source
        else:
            yield from expand(source)


def _guarded(source: str, items: Iterator[Page | Rejection]) -> Iterator[Page | Rejection]:
    """The items, ended by a Rejection for `source` if reading it fails part-way or at once."""
    try:
        yield from items
    except InputError as exc:
        yield Rejection(source, str(exc))
    except OSError as exc:
        yield Rejection(source, describe_os_error(exc))
    except Exception as exc:  # one odd input must never cost the user the rest of the batch
        yield Rejection(source, f"internal error while reading it ({type(exc).__name__}: {exc}); please report it")
