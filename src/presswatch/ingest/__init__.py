"""Ingest: from what the user points presswatch at to Page records, or Rejections saying why not.

Sources are files (plain-text dumps, HTML, RSS/Atom feeds, WARC archives, JSON Lines), directories,
glob patterns and http(s) URLs. Each source is read on its own: a bad one becomes a Rejection and
the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presswatch.errors import InputError
from presswatch.ingest.dispatch import Reading
from presswatch.ingest.files import describe_os_error, expand, read_file
from presswatch.ingest.limits import DEFAULT_MAX_BYTES
from presswatch.ingest.web import Fetcher, is_url
from presswatch.records import Page, Rejection

__all__ = ["DEFAULT_MAX_BYTES", "read_sources"]


def read_sources(
    sources: Iterable[str], *, fetch_feed_links: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = 20.0, allow_private_addresses: bool | None = None,
) -> Iterator[Page | Rejection]:
    """Pages and Rejections, in the order of the sources (a directory's files sorted by name).

    URLs are fetched only when they are among the sources (or are the links of a feed's entries
    with `fetch_feed_links`), each within `timeout` seconds and `max_bytes`, and only from public
    addresses unless `allow_private_addresses` (None: as $PRESSWATCH_ALLOW_PRIVATE_ADDRESSES says).
    """
    if isinstance(sources, str):  # one source, not an iterable of its characters
        sources = [sources]
    with Fetcher(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private_addresses) as fetcher:
        reading = Reading(max_bytes=max_bytes, fetch_feed_links=fetch_feed_links, fetcher=fetcher)
        for source in map(str, sources):
            if is_url(source):
                yield from _guarded(source, reading.read_url(source))
                continue
            for path in expand(source):
                if isinstance(path, Rejection):
                    yield path
                else:
                    yield from _guarded(path, read_file(path, reading))


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
