"""The read side of watchlists, for the faces: each watch with its new items, and its feeds.

A watch's *alerts* are its matches that arrived after its last-seen mark (`presswatch alerts`,
`/watchlists`, `GET /api/watchlists/NAME`); its *feeds* (Atom and JSON Feed) hold its latest
matches by arrival whatever was seen, as a feed reader keeps its own read marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from presswatch import __version__
from presswatch.errors import PresswatchError
from presswatch.records import ResultPage, Watch, WatchItem
from presswatch.store import Store
from presswatch.store.watchlists import (
    alerts_payload,
    count_matches,
    latest_arrival,
    watch,
    watch_matches,
    watches,
)

ALERT_ITEMS = 50
FEED_ITEMS = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Characters XML 1.0 cannot hold (C0 controls other than tab and line breaks, surrogates, U+FFFE/F);
# stored page text may have them, and lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class WatchSummary:
    """A watch with the number of its new items, or why its search cannot run now."""

    watch: Watch
    new: int
    error: str | None = None  # a narrative or entity it names is gone or has become ambiguous


@dataclass(frozen=True)
class WatchListed:
    """A watch as a list anyone may read gives it (the web page's CSV and JSON), flat: its search, its
    marks, how its webhook fared and how many items are new; never the webhook's URL, which often
    holds a secret (the API's WatchOut leaves it out alike)."""

    name: str
    query: str | None
    mode: str
    kinds: tuple[str, ...]
    filters: dict[str, str]
    created_at: str
    seen_through: int
    seen_at: str | None
    has_webhook: bool
    notified_at: str | None
    notify_error: str | None
    new: int
    error: str | None

    @classmethod
    def of(cls, summary: WatchSummary) -> WatchListed:
        saved = summary.watch
        return cls(saved.name, saved.query, saved.mode, saved.kinds, dict(saved.filters), saved.created_at,
                   saved.seen_through, saved.seen_at, bool(saved.webhook), saved.notified_at, saved.notify_error,
                   summary.new, summary.error)


def watchlist_page(store: Store) -> ResultPage[WatchListed]:
    """Every watch (`watchlist_overview`) as one page of a list, for the downloads."""
    listed = tuple(WatchListed.of(summary) for summary in watchlist_overview(store))
    return ResultPage(listed, len(listed), 0, max(1, len(listed)))


@dataclass(frozen=True)
class WatchAlerts:
    """A watch's new items, latest arrival first, up to `through` (the arrival number to mark seen
    when these were shown: what arrives meanwhile stays new); `new` counts them all, listed or not."""

    watch: Watch
    items: tuple[WatchItem, ...]
    through: int
    new: int
    error: str | None = None  # why its search cannot run now (then nothing is listed, nor marked seen)

    @property
    def more(self) -> bool:
        """Whether more items are new than the list holds."""
        return self.new > len(self.items)

    def payload(self) -> dict:
        """As JSON: the shape the webhook is sent (with the `error`, when there is one)."""
        payload = alerts_payload(self.watch, list(self.items), self.through, self.new)
        return payload | {"error": self.error} if self.error else payload


def watchlist_overview(store: Store) -> list[WatchSummary]:
    """Every watch, by name, with how many new items it has."""
    through = latest_arrival(store)
    summaries = []
    for saved in watches(store):
        try:
            summaries.append(WatchSummary(saved, count_matches(store, saved, after=saved.seen_through, through=through)))
        except PresswatchError as exc:  # one broken watch never hides the others
            summaries.append(WatchSummary(saved, 0, str(exc)))
    return summaries


def watch_alerts(store: Store, name: str, *, limit: int = ALERT_ITEMS) -> WatchAlerts:
    """The watch's items that arrived since it was last marked seen (UnknownRecord for no such watch)."""
    saved = watch(store, name)
    through = latest_arrival(store)
    found = watch_matches(store, saved, after=saved.seen_through, through=through, limit=limit)
    new = count_matches(store, saved, after=saved.seen_through, through=through) if len(found) == limit else len(found)
    return WatchAlerts(saved, tuple(found), through, new)


def all_alerts(store: Store, *, limit: int = ALERT_ITEMS) -> list[WatchAlerts]:
    """Every watch's new items, watches by name. A watch whose search cannot run now (a narrative or
    entity it names was merged away or has become ambiguous) comes with why, and the others still do."""
    found = []
    for saved in watches(store):
        try:
            found.append(watch_alerts(store, saved.name, limit=limit))
        except PresswatchError as exc:
            found.append(WatchAlerts(saved, (), saved.seen_through, 0, str(exc)))
    return found


def feed_items(store: Store, name: str, *, limit: int = FEED_ITEMS) -> tuple[Watch, list[WatchItem]]:
    """The watch and its latest `limit` matches by arrival, seen or not."""
    saved = watch(store, name)
    return saved, watch_matches(store, saved, after=0, through=latest_arrival(store), limit=limit)


def describe(saved: Watch) -> str:
    """The watch's search in words: its query and filters."""
    filters = "; ".join(f"{key} {value}" for key, value in saved.filters)
    if saved.query is None:
        return f"everything with {filters}" if filters else "everything"
    return f"{saved.query!r}" + (f" ({filters})" if filters else "")


def atom_feed(saved: Watch, items: list[WatchItem], *, feed_url: str, link: Callable[[WatchItem], str]) -> bytes:
    """An Atom feed of the items (feedgen); `link(item)` is the item's page, absolute.

    An entry is updated when the item arrived; its id names the item, so a reader shows it once.
    """
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(_xml(f"presswatch watch {saved.name}"))
    feed.subtitle(_xml(f"New articles and statements for {describe(saved)}"))
    feed.link(href=feed_url, rel="self")
    feed.generator("presswatch", version=__version__)
    feed.updated(items[0].arrived_at if items else saved.created_at)
    for item in reversed(items):  # feedgen puts the entry added last first
        entry = feed.add_entry()
        entry.id(_item_id(item))
        entry.title(_xml(_title(item)))
        entry.link(href=link(item))
        entry.updated(item.arrived_at)
        published = _timestamp(item.date)
        if published:
            entry.published(published)
        if item.outlet:
            entry.author(name=_xml(item.outlet))
        entry.summary(_xml(item.snippet))
    return feed.atom_str(pretty=True)


def json_feed(saved: Watch, items: list[WatchItem], *, feed_url: str, home_url: str,
              link: Callable[[WatchItem], str]) -> dict:
    """A JSON Feed 1.1 (jsonfeed.org) of the items, with each item's presswatch fields under `_presswatch`."""
    return {
        "version": JSON_FEED_VERSION,
        "title": f"presswatch watch {saved.name}",
        "description": f"New articles and statements for {describe(saved)}",
        "home_page_url": home_url,
        "feed_url": feed_url,
        "items": [
            {
                "id": _item_id(item), "url": link(item), "title": _title(item), "summary": item.snippet,
                "content_text": item.snippet, "date_modified": item.arrived_at,
                **({"date_published": _timestamp(item.date)} if _timestamp(item.date) else {}),
                **({"authors": [{"name": item.outlet}]} if item.outlet else {}),
                "_presswatch": {"kind": item.kind, "id": item.id, "article_id": item.article_id,
                                "speaker": item.speaker, "arrival": item.arrival},
            }
            for item in items
        ],
    }


def _item_id(item: WatchItem) -> str:
    return f"urn:presswatch:{item.kind}:{item.id}"


def _title(item: WatchItem) -> str:
    title = item.title or "(untitled)"
    return f"{item.speaker}: {title}" if item.speaker else title


def _timestamp(date: str | None) -> str | None:
    """A stored date as an RFC 3339 timestamp, as feeds want it: a day is its midnight, a time without
    a zone is UTC; a month or a year alone is no timestamp (None)."""
    try:
        moment = datetime.fromisoformat(date) if date and len(date) >= 10 else None
    except ValueError:
        return None
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
