"""The web page of watchlists: every watch with its new items and its feeds.

The page only reads: marking items seen and saving watches are writes, which the web UI (no
login) leaves to the command line and to the API with the operator's token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from presswatch.query.watchlists import all_alerts, describe, watchlist_page
from presswatch.web.routes import StoreDep, listing, page

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

# New items shown per watch; the rest are a click away in its feeds and `presswatch alerts`.
SHOWN_ITEMS = 20


@router.get("/watchlists", name="watchlists")
def watchlists(request: Request, store: StoreDep, format: str = ""):
    """The watches with their new items; `format` csv or json: the watches themselves (WatchListed)."""
    if format:
        return listing(request, "watchlists.html", watchlist_page(store), format, "watchlists")
    return page(request, "watchlists.html", alerts=all_alerts(store, limit=SHOWN_ITEMS), describe=describe)
