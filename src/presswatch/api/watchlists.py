"""Watchlists over HTTP: each watch's new items (JSON), its feeds (Atom, JSON Feed), and writes behind the token.

Reading is open like every other read endpoint, so a feed reader can subscribe to
`/api/watchlists/NAME.atom` or `.json` with no credentials. Creating, removing and marking a
watch seen change what the operator sees, so they need the operator's bearer token, as ingest
does (403 when none is configured). A webhook is set from the command line only
(`presswatch watchlist add --webhook`): it makes the server send requests, and its URL often holds
a secret, so the API neither sets nor shows it (only whether there is one and how delivery went).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.convertors import Convertor, register_url_convertor

from presswatch.api.deps import get_store, require_token
from presswatch.api.models import RequestBody
from presswatch.api.routes import MAX_LIMIT, absolute, article_href
from presswatch.query.watchlists import (
    ALERT_ITEMS,
    FEED_ITEMS,
    atom_feed,
    feed_items,
    json_feed,
    watch_alerts,
    watchlist_overview,
)
from presswatch.records import Watch, WatchItem
from presswatch.store import Store
from presswatch.store.search import KINDS, MAX_QUERY_CHARS, MODES, SearchFilters
from presswatch.store.vectors import STATEMENT
from presswatch.store.watchlists import NAME_PATTERN, add_watch, mark_seen, remove_watch


class WatchName(Convertor):
    """A path segment that can be a watch's name: no dot, so /watchlists/x.atom is the feed's path alone."""

    regex = NAME_PATTERN

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("watch", WatchName())
router = APIRouter(tags=["watchlists"])

StoreDep = Annotated[Store, Depends(get_store)]
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


class WatchOut(BaseModel):
    """A watch: its search, its marks, and how its webhook fared (never the webhook's URL)."""

    name: str
    query: str | None = Field(description="Search words; null: every item that passes the filters.")
    mode: str
    kinds: list[str]
    filters: dict[str, str]
    created_at: str
    seen_through: int = Field(description="Arrival number up to which its items were marked seen.")
    seen_at: str | None
    has_webhook: bool
    notified_at: str | None = Field(description="When its webhook last took a delivery.")
    notify_error: str | None = Field(description="Why the last delivery failed; null after a success.")

    @classmethod
    def of(cls, saved: Watch) -> WatchOut:
        return cls(name=saved.name, query=saved.query, mode=saved.mode, kinds=list(saved.kinds),
                   filters=dict(saved.filters), created_at=saved.created_at, seen_through=saved.seen_through,
                   seen_at=saved.seen_at, has_webhook=bool(saved.webhook), notified_at=saved.notified_at,
                   notify_error=saved.notify_error)


class WatchSummaryOut(WatchOut):
    new: int = Field(description="How many items arrived after the last-seen mark.")
    error: str | None = Field(default=None, description=(
        "Why its search cannot run now (a narrative or entity it names is gone or ambiguous); null when it can."))


class AlertsOut(BaseModel):
    """A watch's new items, latest arrival first: the JSON its webhook is sent."""

    watch: str
    query: str | None
    filters: dict[str, str]
    kinds: list[str]
    seen_through: int
    through: int = Field(description="The latest arrival looked at: send it to /seen to mark exactly these seen.")
    new: int = Field(description="How many items are new, listed or not.")
    more: bool = Field(description="Whether more items are new than the list holds.")
    items: list[WatchItem]


class WatchIn(RequestBody):
    name: str = Field(pattern=f"^{NAME_PATTERN}$", description="Letters, digits, '-' or '_' (part of the feed URLs).")
    query: str | None = Field(default=None, min_length=1, max_length=MAX_QUERY_CHARS, description=(
        "Search words, as /api/search takes them; none: every item that passes the filters."))
    mode: Literal[MODES] = "auto"
    kinds: list[Literal[KINDS]] = Field(default=list(KINDS), min_length=1)
    outlet: str | None = None
    speaker: str | None = None
    entity: str | None = None
    narrative: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    include_stored: bool = Field(default=False, description="Count what is already stored as new too.")


class SeenIn(RequestBody):
    through: int | None = Field(default=None, ge=0, description=(
        "Mark items up to this arrival number seen (the `through` of the list shown); default: all stored now."))


@router.get("/watchlists", response_model=list[WatchSummaryOut])
def get_watchlists(store: StoreDep):
    """Every watch with its search and how many new items it has."""
    return [WatchSummaryOut(**WatchOut.of(s.watch).model_dump(), new=s.new, error=s.error)
            for s in watchlist_overview(store)]


@router.get("/watchlists/{name:watch}.atom", response_class=Response,
            responses={200: {"content": {ATOM_TYPE: {}}, "description": "An Atom feed."}})
def get_watch_atom(request: Request, store: StoreDep, name: str):
    """The watch's latest matches by arrival as an Atom feed, for any feed reader."""
    saved, items = feed_items(store, name, limit=FEED_ITEMS)
    body = atom_feed(saved, items, feed_url=str(request.url), link=_item_link(request))
    return Response(body, media_type=ATOM_TYPE)


@router.get("/watchlists/{name:watch}.json", response_class=Response,
            responses={200: {"content": {JSON_FEED_TYPE: {}}, "description": "A JSON Feed 1.1."}})
def get_watch_json_feed(request: Request, store: StoreDep, name: str):
    """The watch's latest matches by arrival as a JSON Feed (jsonfeed.org 1.1)."""
    saved, items = feed_items(store, name, limit=FEED_ITEMS)
    feed = json_feed(saved, items, feed_url=str(request.url), home_url=str(request.base_url),
                     link=_item_link(request))
    return Response(json.dumps(feed, ensure_ascii=False), media_type=JSON_FEED_TYPE)


@router.get("/watchlists/{name:watch}", response_model=AlertsOut)
def get_watch_alerts(store: StoreDep, name: str,
                     limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = ALERT_ITEMS):
    """The watch's new items (arrived since it was last marked seen), latest first."""
    return watch_alerts(store, name, limit=limit).payload()


@router.post("/watchlists", response_model=WatchOut, status_code=201, dependencies=[Depends(require_token)])
def post_watchlist(request: Request, store: StoreDep, body: WatchIn):
    """Save a search as a watch (needs the operator's token). What is stored now counts as seen unless
    `include_stored`."""
    filters = SearchFilters(outlet=body.outlet, speaker=body.speaker, entity=body.entity, narrative=body.narrative,
                            since=body.since, until=body.until, language=body.language)
    with request.app.state.write_lock:
        return WatchOut.of(add_watch(store, body.name, body.query, mode=body.mode, kinds=tuple(body.kinds),
                                     filters=filters, include_stored=body.include_stored))


@router.post("/watchlists/{name:watch}/seen", response_model=WatchOut, dependencies=[Depends(require_token)])
def post_watch_seen(request: Request, store: StoreDep, name: str, body: SeenIn | None = None):
    """Mark the watch's items seen, up to `through` (needs the operator's token)."""
    with request.app.state.write_lock:
        return WatchOut.of(mark_seen(store, name, body.through if body else None))


@router.delete("/watchlists/{name:watch}", status_code=204, dependencies=[Depends(require_token)])
def delete_watchlist(request: Request, store: StoreDep, name: str):
    """Remove a watch (needs the operator's token); the stored articles stay."""
    with request.app.state.write_lock:
        remove_watch(store, name)
    return Response(status_code=204)


def _item_link(request: Request):
    """An item's page as an absolute URL: the web UI's article page where it is mounted (a statement:
    its place in the article)."""
    href = absolute(request, article_href(request))
    return lambda item: href(item.article_id) + (f"#st-{item.id}" if item.kind == STATEMENT else "")
