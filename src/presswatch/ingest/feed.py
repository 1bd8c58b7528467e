"""RSS and Atom feeds: one page per entry, with the entry's own metadata as hints."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import feedparser

from presswatch.errors import InputError
from presswatch.records import HTML, TEXT, Page, Rejection

# Fetches an entry's link as a page: (source, url, hints) -> Page, InputError when it cannot.
FetchPage = Callable[[str, str, dict[str, str]], Page]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(source: str, data: bytes, *, fetch_page: FetchPage | None = None) -> Iterator[Page | Rejection]:
    """Each entry's page: its link fetched when `fetch_page` is given, else (and for an entry with
    no link, which a feed carrying its items' whole text may omit) its content or summary."""
    # A stream, never the bytes themselves: feedparser treats a string argument as a URL or a path.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            raise InputError(f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        if not parsed.get("version"):
            raise InputError("not an RSS/Atom feed (no channel or feed element)")
        raise InputError("the feed has no entries")
    outlet = feed_outlet(parsed.get("feed") or {})
    for number, entry in enumerate(parsed.entries, 1):
        entry_source = f"{source}#entry-{number}"
        hints = entry_hints(entry)
        if outlet:
            hints["outlet"] = outlet
        try:
            if fetch_page is not None and hints.get("url"):
                yield _fetched_entry(entry_source, hints, fetch_page)
            else:
                yield _entry_page(entry_source, entry, hints, parsed.get("encoding"))
        except InputError as exc:
            yield Rejection(entry_source, str(exc))


def _fetched_entry(source: str, hints: dict[str, str], fetch_page: FetchPage) -> Page:
    link = hints["url"]
    try:
        return fetch_page(source, link, linked_page_hints(hints))
    except InputError as exc:
        raise InputError(f"its link {link}: {exc}") from None


def _entry_page(source: str, entry: dict, hints: dict[str, str], encoding: str | None) -> Page:
    # Full content (content:encoded, Atom content) beats the summary; the longest part when several.
    parts = [part for part in entry.get("content") or [] if (part.get("value") or "").strip()]
    if parts:
        best = max(parts, key=lambda part: len(part["value"]))
        body, media_type = best["value"], best.get("type")
    else:
        body = entry.get("summary") or ""
        media_type = (entry.get("summary_detail") or {}).get("type")
    if not body.strip():
        raise InputError("the entry has no content (fetch the feed's links to read its pages)" if hints.get("url")
                         else "the entry has neither content nor a link to its page")
    kind = HTML if media_type in _HTML_TYPES else TEXT
    return Page.make(source, kind, body, url=hints.get("url"), encoding=encoding, hints=hints)


# RSS writes "ann@example.com (Ann Lee)". feedparser splits that too, but its e-mail pattern cuts
# longer top-level domains short ("ple (Ann Lee" from "ann@x.example (Ann Lee)"), so read it first.
_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s+\((?P<name>[^()]+)\)\s*$")


def _author(entry: dict) -> str:
    written = entry.get("author") or ""
    match = _RSS_AUTHOR.match(written)
    if match:
        return match.group("name").strip()
    if "@" not in written:
        return written.strip()
    return ((entry.get("author_detail") or {}).get("name") or written).strip()


# Feed titles name the outlet, then often a section: "Kestrel News - World", "The Ledger | Politics".
_TITLE_SECTION = re.compile(r"\s+[-|–—:»]\s+")


def feed_outlet(channel: dict) -> str:
    return _TITLE_SECTION.split((channel.get("title") or "").strip(), maxsplit=1)[0].strip()


def linked_page_hints(hints: dict[str, str]) -> dict[str, str]:
    """The hints of a page fetched from a listing's link (a feed entry, a news sitemap's entry).
    The page shows its own headline, so the listing's title, often shortened ("Storm Hettie
    live" for the page's "Storm Hettie live: evacuation ordered on the seafront") or written for
    the listing, becomes `listed_title`: the title only of a page that shows none. An entry's
    content has no headline of its own and keeps the entry's title."""
    linked = dict(hints)
    if "title" in linked:
        linked["listed_title"] = linked.pop("title")
    return linked


def _entry_link(entry: dict) -> str:
    """The entry's web address. feedparser gives an entry without a link its id as one, and an id is
    often no address ("tag:site.example,2026:4475", an RSS guid "courier-4472")."""
    link = (entry.get("link") or "").strip()
    return link if is_web_url(link) else ""


def is_web_url(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def entry_hints(entry: dict) -> dict[str, str]:
    hints = {
        "title": (entry.get("title") or "").strip(),
        "author": _author(entry),
        "url": _entry_link(entry),
    }
    # Read as a plain dict: feedparser's own get maps a missing published date to the updated one
    # with a DeprecationWarning on every entry. An entry's updated date is when it last changed, not
    # when it was published (a live blog's feed entry is updated all day): it is kept as its own
    # hint, which extraction takes only where the page shows no publication date of its own.
    for hint in ("published", "updated"):
        if when := entry_date(dict.get(entry, hint), dict.get(entry, hint + "_parsed")):
            hints[hint] = when
    return {key: value for key, value in hints.items() if value}


# A time of day in a feed's date ("09:30", "9:30:00"): RSS may give a day alone ("Wed, 06 Mar 2024").
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


def entry_date(written: str | None, parsed: time.struct_time | None) -> str | None:
    """An entry's date as ISO, as the feed gives it: a day stays a day, a time keeps its time of day
    and its offset ("Tue, 05 Mar 2024 23:30:00 -0500" -> "2024-03-05T23:30:00-05:00"; the outlet's
    day, not UTC's). feedparser's parsed form is UTC, with midnight for a day alone, so the written
    form is read first, by the standard library: RFC 822 (RSS) and ISO 8601 (Atom). A form neither
    reads (feedparser knows more) falls back to feedparser's UTC time."""
    written = (written or "").strip()
    timed = bool(_TIME_OF_DAY.search(written))
    moment = _written_moment(written)
    if moment is None and parsed is not None:
        year, month, day, hour, minute, second = parsed[:6]
        try:  # struct_time allows leap seconds (60, 61), datetime does not
            moment = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=timezone.utc)
        except (ValueError, OverflowError):  # feedparser passes on years like -99: no date, the entry is kept
            return None
    if moment is None:
        return None
    return moment.isoformat() if timed else moment.date().isoformat()


def _written_moment(written: str) -> datetime | None:
    if not written:
        return None
    try:
        return parsedate_to_datetime(written)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(written)
    except ValueError:
        return None
