"""Watchlists: saved searches, their marks, and the items each matched among what arrived when.

Every article and statement gets an arrival number when it is first stored (the `arrivals` table,
filled by triggers: migration 10). A watch's new items are the hits of its search among the
arrivals after its last-seen mark; its feed is its latest matches by arrival. Both come from
`watch_matches`, which runs the search (`store/search.py`) over windows of arrivals, so the
ranking, the filters and the query syntax are search's own.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields

from presswatch.errors import QueryError, UnknownRecord
from presswatch.records import Watch, WatchItem, now_iso
from presswatch.store.database import Store
from presswatch.store.search import (
    ARTICLE,
    AUTO,
    DATE,
    KINDS,
    RELEVANCE,
    STATEMENT,
    TEXT,
    Hit,
    SearchFilters,
    SearchResults,
    article_page,
    opening_words,
    search,
    statement_page,
)

# Names appear in paths (/api/watchlists/NAME.atom), so they are URL-safe and hold no dot.
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
_NAME = re.compile(NAME_PATTERN)
_WEB_URL = re.compile(r"https?://[^\s/?#]+\S*$", re.IGNORECASE)
# The filters a watch keeps: the search's own, except the arrival window, which is the watch's marks.
FILTER_NAMES = tuple(f.name for f in fields(SearchFilters) if not f.name.startswith("arrived_"))
# Hits read per search while walking back through the arrivals (see `watch_matches`): a window
# with more matches is narrowed. Each hit read costs its snippet, so reading many is slow
# (bench/alerts.py, 100k articles, 'harbour' over 2,000 arrivals: 365 hits 50 ms CPU, 100 hits 25 ms).
FETCH_LIMIT = 250
NO_FILTERS = SearchFilters()
_COLUMNS = ("name, query, mode, kinds, filters, webhook, created_at, seen_through, seen_at,"
            " notified_through, notified_at, notify_error")


def checked_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise QueryError(f"watch name {name!r} is not usable: 1-64 letters, digits, '-' or '_', starting with a letter"
                         " or digit (it becomes part of the feed's address)")
    return name


def latest_arrival(store: Store) -> int:
    """The arrival number of the item stored last (0 in an empty store)."""
    return store.conn.execute("SELECT coalesce(max(seq), 0) FROM arrivals").fetchone()[0]


def add_watch(store: Store, name: str, query: str | None, *, mode: str = AUTO, kinds=KINDS,
              filters: SearchFilters = NO_FILTERS, webhook: str | None = None,
              include_stored: bool = False) -> Watch:
    """Save a search as a watch; what is stored now counts as seen, so its first alerts are what arrives
    next (`include_stored`: what is stored now is new too, and its webhook is sent it).

    `query` None watches every item that passes the filters (every statement of a speaker, say).
    The search runs once here, so a malformed query, an unknown entity or narrative, or meaning
    search without its extra is refused now rather than at every alert.
    """
    checked_name(name)
    if filters.arrived_after is not None or filters.arrived_through is not None:
        raise QueryError("a watch's arrival window is its last-seen mark; give the other filters only")
    if webhook is not None and not _WEB_URL.match(webhook):
        raise QueryError(f"webhook {webhook!r} is not an http:// or https:// URL")
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise QueryError(f"unknown kind {', '.join(unknown) or '(none)'}; choose from: {', '.join(KINDS)}")
    _run(store, query, mode, kinds, filters, limit=1)
    saved_filters = {n: getattr(filters, n) for n in FILTER_NAMES if getattr(filters, n) is not None}
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM watchlists WHERE name = ?", (name,)).fetchone():
            raise QueryError(f"a watch named {name!r} exists; `presswatch watchlist remove {name}` first")
        through = 0 if include_stored else latest_arrival(store)
        conn.execute(
            f"INSERT INTO watchlists ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL)",
            (name, query, mode, json.dumps(list(kinds)), json.dumps(saved_filters, ensure_ascii=False), webhook,
             now_iso(), through, through),
        )
    return watch(store, name)


def remove_watch(store: Store, name: str) -> None:
    with store.transaction() as conn:
        if conn.execute("DELETE FROM watchlists WHERE name = ?", (name,)).rowcount == 0:
            raise _unknown(name)


def watches(store: Store) -> list[Watch]:
    return [_watch(r) for r in store.conn.execute(f"SELECT {_COLUMNS} FROM watchlists ORDER BY name COLLATE NOCASE")]


def watch(store: Store, name: str) -> Watch:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM watchlists WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise _unknown(name)
    return _watch(row)


def mark_seen(store: Store, name: str, through: int | None = None) -> Watch:
    """Mark the watch's items up to arrival `through` (default: everything stored now) as seen.

    A face that showed a list passes the `through` it showed, so what arrived meanwhile stays new.
    The mark never moves back, so one past the latest arrival is refused: it would mark items not
    stored yet as seen, and the watch would stay silent until that many more had arrived.
    """
    with store.transaction() as conn:
        latest = latest_arrival(store)
        if through is not None and through > latest:
            raise QueryError(f"through {through} is past the latest arrival ({latest}): give the `through` "
                             "a list of new items gave")
        through = latest if through is None else through
        if conn.execute("UPDATE watchlists SET seen_through = max(seen_through, ?), seen_at = ? WHERE name = ?",
                        (through, now_iso(), name)).rowcount == 0:
            raise _unknown(name)
    return watch(store, name)


def mark_notified(store: Store, name: str, through: int | None, error: str | None = None) -> None:
    """Record a webhook delivery: `through` the arrival number sent up to (None on a failure, with `error`)."""
    with store.transaction() as conn:
        if through is None:
            conn.execute("UPDATE watchlists SET notify_error = ? WHERE name = ?", (error, name))
        else:
            conn.execute("UPDATE watchlists SET notified_through = max(notified_through, ?), notified_at = ?,"
                         " notify_error = NULL WHERE name = ?", (through, now_iso(), name))


def search_filters(watch: Watch, *, after: int = 0, through: int | None = None) -> SearchFilters:
    """The watch's filters as the search takes them, for items arrived in (after, through]."""
    return SearchFilters(**dict(watch.filters), arrived_after=after, arrived_through=through)


def watch_matches(store: Store, watch: Watch, *, after: int, through: int, limit: int) -> list[WatchItem]:
    """The watch's matches among the arrivals numbered (after, through], latest arrival first, at most `limit`.

    The search ranks by its own order, not by arrival, so it runs over windows of arrivals walked
    back from `through`: every match of a window is read (a window with more matches than one
    search reads is narrowed), sorted by arrival, and the walk stops once `limit` are found. Windows
    grow fourfold while they find little, so a watch that rarely matches costs a few searches, not one
    per window of a long history.
    """
    limit = min(limit, FETCH_LIMIT)
    items: list[WatchItem] = []
    upper, span = through, 4 * limit
    while upper > after and len(items) < limit:
        lower = max(after, upper - span)
        hits = _window_hits(store, watch, lower, upper, FETCH_LIMIT)
        if len(hits) >= FETCH_LIMIT and upper - lower > FETCH_LIMIT:
            span = max(FETCH_LIMIT, span // 4)  # some matches may be cut off: a narrower window
            continue
        items += _with_arrivals(store, hits)
        upper, span = lower, span * 4
    return items[:limit]


def count_matches(store: Store, watch: Watch, *, after: int, through: int) -> int:
    """How many of the watch's matches arrived in (after, through]: the search's own total."""
    return _window_search(store, watch, after, through, 1).total


def _window_hits(store: Store, watch: Watch, after: int, through: int, limit: int) -> tuple[Hit, ...]:
    return _window_search(store, watch, after, through, limit).hits


def _window_search(store: Store, watch: Watch, after: int, through: int, limit: int) -> SearchResults:
    """The watch's search over the arrivals in (after, through]. Best first, as the order is the
    walk's to set: ranking by date walks the date index through the whole archive, 4-5 times the
    cost of ranking a window's matches (bench/alerts.py, 100k articles: 85 ms CPU against 18 ms)."""
    return _run(store, watch.query, watch.mode, watch.kinds, search_filters(watch, after=after, through=through),
                limit=limit)


def _run(store: Store, query: str | None, mode: str, kinds: tuple[str, ...], filters: SearchFilters, *,
         limit: int) -> SearchResults:
    """The search, or with no query the items that pass the filters (newest first), as hits."""
    if query is not None:
        return search(store, query, mode=mode, kinds=kinds, filters=filters, limit=limit, sort=RELEVANCE)
    hits: list[Hit] = []
    totals: dict[str, int] = {}
    if ARTICLE in kinds:
        articles, totals[ARTICLE] = article_page(store, filters, limit=limit, offset=0)
        hits += [Hit(ARTICLE, a.id, a.id, a.title, a.outlet, a.published, None, opening_words(a.body)) for a in articles]
    if STATEMENT in kinds:
        statements, totals[STATEMENT] = statement_page(store, filters, limit=limit, offset=0)
        shown = {r["id"]: r for r in store.conn.execute(
            "SELECT id, title, outlet, published FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([s.article_id for s in statements]),))}
        hits += [Hit(STATEMENT, s.id, s.article_id, shown[s.article_id]["title"], shown[s.article_id]["outlet"],
                     s.date or shown[s.article_id]["published"], s.speaker_name or s.speaker, opening_words(s.content))
                 for s in statements]
    return SearchResults(tuple(hits[:limit]), TEXT, sum(totals.values()), DATE, totals_by_kind=totals)


def _with_arrivals(store: Store, hits) -> list[WatchItem]:
    """Hits as watch items, latest arrival first."""
    if not hits:
        return []
    rows = store.conn.execute(
        "SELECT r.kind, r.item_id, r.seq, r.arrived_at FROM arrivals r"
        " JOIN json_each(?) j ON r.kind = json_extract(j.value, '$[0]') AND r.item_id = json_extract(j.value, '$[1]')",
        (json.dumps([[h.kind, h.id] for h in hits]),),
    ).fetchall()
    arrivals = {(r["kind"], r["item_id"]): (r["seq"], r["arrived_at"]) for r in rows}
    items = [_item(h, *arrivals[(h.kind, h.id)]) for h in hits]
    return sorted(items, key=lambda item: item.arrival, reverse=True)


def _item(hit: Hit, arrival: int, arrived_at: str) -> WatchItem:
    return WatchItem(hit.kind, hit.id, hit.article_id, hit.title, hit.outlet, hit.date, hit.speaker, hit.snippet,
                     arrival, arrived_at)


def _watch(row) -> Watch:
    return Watch(
        name=row["name"], query=row["query"], mode=row["mode"], kinds=tuple(json.loads(row["kinds"])),
        filters=tuple(sorted(json.loads(row["filters"]).items())), webhook=row["webhook"],
        created_at=row["created_at"], seen_through=row["seen_through"], seen_at=row["seen_at"],
        notified_through=row["notified_through"], notified_at=row["notified_at"], notify_error=row["notify_error"],
    )


def _unknown(name: str) -> UnknownRecord:
    return UnknownRecord(f"no watch named {name!r}", listing="watchlists")


__all__ = [
    "FILTER_NAMES",
    "NAME_PATTERN",
    "add_watch",
    "alerts_payload",
    "checked_name",
    "latest_arrival",
    "mark_notified",
    "mark_seen",
    "remove_watch",
    "search_filters",
    "watch",
    "watch_matches",
    "watches",
]


def alerts_payload(watch: Watch, items: list[WatchItem], through: int, new: int) -> dict:
    """The JSON a watch's new items are sent and served as (webhook, `/api/watchlists/NAME`, `alerts --format json`)."""
    return {
        "watch": watch.name, "query": watch.query, "filters": dict(watch.filters), "kinds": list(watch.kinds),
        "seen_through": watch.seen_through, "through": through, "new": new, "more": new > len(items),
        "items": [asdict(item) for item in items],
    }
