"""`POST /ingest`: pages sent in the request, or URLs for the server to fetch, behind the operator's token.

Uploaded pages are read as files are (their form sniffed: HTML, text dump, feed, JSON Lines) and go through the same engine step as `presswatch ingest`, so one bad page becomes a
rejection with its reason and the others are stored. Writes are serialised by a lock: SQLite has
one writer at a time, and the analysis pass is not meant to run twice at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from presswatch.api.deps import get_store, require_token
from presswatch.api.models import IngestRequest, IngestResponse, Rejected, Skipped
from presswatch.engine.local import ingest_items
from presswatch.errors import InputError
from presswatch.ingest import DEFAULT_MAX_BYTES, read_sources
from presswatch.ingest.dispatch import Reading
from presswatch.ingest.web import DEFAULT_TIMEOUT, Fetcher
from presswatch.records import Page, Rejection, SkippedRecords
from presswatch.store import Store

router = APIRouter()

_WEB_URL = re.compile(r"https?://\S+$", re.IGNORECASE)


@router.post("/ingest", response_model=IngestResponse, tags=["ingest"], dependencies=[Depends(require_token)])
def post_ingest(request: Request, body: IngestRequest, store: Annotated[Store, Depends(get_store)]):
    """Store pages (sent as text) and pages fetched from URLs; then analyse them unless told not to.

    Needs `Authorization: Bearer <token>` with the operator's token; without one configured the
    server refuses every ingest (403).
    """
    with request.app.state.write_lock:
        report = ingest_items(_items(body), store)
        analysis = None
        if body.analyse and report.stored:
            from presswatch.engine.analyse import analyse

            found = analyse(store)
            # counts: why each was not parsed is in the store
            analysis = {**asdict(found), "unparsed": len(found.unparsed), "skipped_language": len(found.skipped_language)}
    return IngestResponse(
        stored=report.stored,
        updated=report.updated,
        duplicates=[Rejected(source=s, reason=why) for s, why in report.duplicates],
        rejected=[Rejected(source=r.source, reason=r.reason) for r in report.rejected],
        skipped=[Skipped(source=s.source, records=s.total, reasons=dict(s.counts)) for s in report.skipped],
        analysis=analysis,
    )


def _items(body: IngestRequest) -> Iterator[Page | Rejection | SkippedRecords]:
    with Fetcher(timeout=DEFAULT_TIMEOUT, max_bytes=DEFAULT_MAX_BYTES) as fetcher:
        reading = Reading(max_bytes=DEFAULT_MAX_BYTES, fetch_feed_links=False, fetcher=fetcher)
        for number, page in enumerate(body.pages, start=1):
            source = page.name or f"upload {number}"
            try:
                # A JSON string can hold lone surrogates, which no page has; they become U+FFFD.
                yield from reading.read_bytes(source, page.content.encode("utf-8", "replace"), url=page.url)
            except InputError as exc:
                yield Rejection(source, str(exc))
            except Exception as exc:  # noqa: BLE001 - as for files: one odd page must not cost the caller the others
                yield Rejection(source, f"internal error while reading it ({type(exc).__name__}: {exc})")
    # Only web URLs: anything else given to read_sources would be read as a path on the server.
    web = [url for url in body.urls if _WEB_URL.match(url)]
    for url in body.urls:
        if not _WEB_URL.match(url):
            yield Rejection(url, "not an http(s) URL")
    if web:
        yield from read_sources(web, max_bytes=DEFAULT_MAX_BYTES, timeout=DEFAULT_TIMEOUT)
