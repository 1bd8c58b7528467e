"""Collecting from sources: fetch each due listing (conditionally), record the items it lists that
are new, fetch and ingest those pages, analyse what came in; and `watch`, which does that on a
schedule (APScheduler) until stopped.

Every step leaves the store consistent: an item is recorded before it is fetched and marked once
its page is stored, so a run killed anywhere is completed by the next, and no item is ingested
twice. A source that fails waits longer before each new try (backoff); one source failing never
stops the others.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from presswatch.engine.alerts import Delivery, run_alerts
from presswatch.engine.analyse import AnalysisReport
from presswatch.engine.analyse import analyse as run_analysis
from presswatch.engine.local import ingest_items
from presswatch.errors import (
    AddressRefused,
    BusyError,
    HTTPStatusError,
    InputError,
    PaceError,
    RobotsError,
    RobotsUnreadableError,
)
from presswatch.ingest.feed import linked_page_hints
from presswatch.ingest.html import read_html
from presswatch.ingest.listing import Listing, newest_first, read_listing
from presswatch.ingest.polite import Booking, PoliteFetcher
from presswatch.ingest.web import Fetched
from presswatch.records import AUTO_KIND, SITEMAP_KIND, Rejection, Source, now_iso
from presswatch.store import Store, open_store
from presswatch.store.analysis import pending_article_ids
from presswatch.store.sources import (
    DUPLICATE,
    ERROR,
    NEW_ITEMS,
    NO_NEW_ITEMS,
    NOT_MODIFIED,
    REFUSED,
    REJECTED,
    STORED,
    FetchOutcome,
    add_items,
    add_source,
    change_host_turn,
    due_sources,
    fail_item,
    finish_item,
    item_page,
    last_sitemap_read_at,
    least_recently_read,
    pending_items,
    plan_sitemaps,
    record_fetch,
    reopen_refused_items,
    set_next_due,
    sitemaps_to_read,
    waiting_items,
)

# How often a source is fetched unless told otherwise: news sites update their feeds every few
# minutes, but half an hour keeps presswatch a light guest (the interval `sources add --every` sets).
DEFAULT_EVERY = 30 * 60
# Items fetched per source in one pass, the newest first (store/sources.pending_items); the rest wait,
# listed, for the next pass (so one huge new sitemap cannot hold every other source back for hours).
ITEMS_PER_PASS = 100
# Failed fetches of an item before it is given up (a 404 or 410, or robots.txt saying no, at once).
ITEM_ATTEMPTS = 3
_GONE = (404, 410)
# A failing source waits its interval times 2 to the power of its errors in a row, up to a day.
MAX_BACKOFF = timedelta(days=1)
# Child sitemaps of a sitemap index read per fetch of it (over the host's turns until its next one).
MAX_CHILD_SITEMAPS = 20
# Seconds one source (its listing and items) may keep a round waiting for its host's turns, at the
# least: a pass of ITEMS_PER_PASS items at the fetcher's own pace (`--rate`, 1 s: 100 s) always
# fits, while a robots.txt Crawl-delay of a minute, 100 minutes for a pass, would hold every other
# source and the round's analysis back. What does not fit waits, due at the host's next turn: a
# Crawl-delay of an hour brings one request an hour, the listing's and the items' in turn.
ROUND_WAIT_PER_SOURCE = 120.0
# What a round's report (and `collect`'s line) says of a source whose listing it did not fetch: some
# of its waiting items fetched (its listing not due yet, or due and its host's turn past what the
# round waits), or nothing at all, its host's turn past what the round waits.
ITEMS_ONLY = "fetched waiting items only"
HOST_TURN_LATER = "waiting for its host's turn"
# ... and of a source whose index it did not fetch, but whose children that the index's last fetch
# left unread it read (those its host's pace left).
MORE_SITEMAPS = "read child sitemaps its index's last fetch left"


@dataclass
class SourceReport:
    source: Source
    # As store/sources.py records it: NEW_ITEMS, NO_NEW_ITEMS, NOT_MODIFIED or ERROR; or, its listing
    # not fetched, MORE_SITEMAPS, ITEMS_ONLY or HOST_TURN_LATER ("" until the round has seen which).
    status: str
    new_items: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    retrying: int = 0  # items whose fetch failed and will be tried again
    # Items given up at once, their address refused by this run's settings (private addresses): not
    # among `items_done`, as they take no place in a pass.
    refused: int = 0
    error: str | None = None
    deferred: int = 0  # items of this pass left for the next round: their host's pace would hold this one too long
    deferred_reason: str | None = None
    turn_in: float | None = None  # seconds to the host's next turn, when its pace left something for it
    # Items listed and still to fetch after this round, this pass's deferred ones and those past it (as
    # `sources list` counts them): a pass takes ITEMS_PER_PASS, so a new sitemap of 50,000 leaves most.
    waiting: int = 0
    sitemaps_waiting: int = 0  # children of its index still to read at its host's next turns
    item_asked_at: str | None = None  # when the last of its items this round asked for was
    # Its failure was this run's settings refusing its address (AddressRefused), not the site's: no
    # backoff, due again at once, so the next run allowing private addresses fetches it.
    refused_by_settings: bool = False

    @property
    def items_done(self) -> int:
        """Items of this round that came to something: stored, already in, rejected, to try again."""
        return self.stored + self.duplicates + self.rejected + self.retrying


@dataclass
class CollectReport:
    sources: list[SourceReport] = field(default_factory=list)
    analysis: AnalysisReport | None = None
    analysis_note: str | None = None  # why the analysis did not run here
    deliveries: list[Delivery] = field(default_factory=list)  # webhook calls of the watchlists

    @property
    def failed(self) -> list[SourceReport]:
        return [report for report in self.sources if report.status == ERROR]

    @property
    def stored(self) -> int:
        return sum(report.stored for report in self.sources)


def iso(moment: datetime) -> str:
    """A moment as the store keeps them (records.now_iso): UTC, to the second."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def backoff(every_seconds: int, errors_in_row: int) -> timedelta:
    """How long a source waits after its `errors_in_row`-th failure in a row."""
    # Capped in seconds: 2**32 daily intervals is past what a timedelta holds (a month of failures).
    longest = max(MAX_BACKOFF.total_seconds(), every_seconds)
    return timedelta(seconds=min(every_seconds * 2 ** min(errors_in_row, 32), longest))


def register_source(store: Store, url: str, *, name: str | None = None, kind: str = AUTO_KIND,
                    every_seconds: int = DEFAULT_EVERY) -> Source:
    """Add a source to collect from; InputError for a URL that is not an http(s) one."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL: give a feed, sitemap or front page address")
    return add_source(store, url, name=name or None, kind=kind, every_seconds=every_seconds)


def collect_due(
    store: Store,
    fetcher: PoliteFetcher,
    *,
    now: datetime | None = None,
    analyse: bool = True,
    workers: int = 1,
    stop: threading.Event | None = None,
) -> CollectReport:
    """Collect from every source due at `now` (default: the present), then analyse what came in.

    Once `stop` is set, the page under way is the last: the items left are fetched, and what came
    in analysed, by the next run."""
    now = now or datetime.now(timezone.utc)
    stop = stop or threading.Event()  # none given: one never set, so every step asks stop.is_set() alone
    report = CollectReport()
    if fetcher.fetcher.allow_private:  # what a run refused for its address, this one may fetch
        reopen_refused_items(store)
    with fetcher.pacer.booking_in(StoreTurns(store, fetcher.pacer.wall_clock)):
        for source in due_sources(store, iso(now)):
            collected = None if stop.is_set() else collect_source(store, source, fetcher, now, stop)
            if collected is None:  # stopped: the sources left are due still, for the next run
                return report
            report.sources.append(collected)
    if stop.is_set():
        return report
    after_collection(store, report, fetcher, analyse=analyse, workers=workers)
    return report


class StoreTurns:
    """Hosts' turns booked in the store (host_requests), by the wall clock, for every run collecting
    from it: a run just after another (cron, a watch stopped) waits out the rest of a host's pace,
    two at once keep it together, and each booking is written as it is made, so a run killed
    outright loses none. The ingest layer that paces knows no store: the engine hands it this."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store = store
        self.now = clock

    def change(self, host: str, change: Callable[[Booking | None], Booking | None]) -> None:
        change_host_turn(self._store, host, change, now=self.now())


def after_collection(store: Store, report: CollectReport, fetcher: PoliteFetcher, *, analyse: bool,
                     workers: int) -> None:
    """What follows a collection pass: the analysis of the articles not analysed yet (those just
    stored, and any an interrupted pass left), then the watchlists' webhooks for what arrived.
    Webhooks go through the collection's guarded fetcher (its private-address rule), unpaced: the
    operator configured them, and they are not the sites being collected."""
    if analyse and pending_article_ids(store, limit=1):
        try:
            report.analysis = run_analysis(store, workers=workers)
        except BusyError as exc:  # the other analysis will take these articles too
            report.analysis_note = str(exc)
    try:
        report.deliveries = run_alerts(store, fetcher=fetcher.fetcher)
    except BusyError:  # another run is delivering: it sends what this round brought too
        report.deliveries = []


def collect_source(store: Store, source: Source, fetcher: PoliteFetcher, now: datetime,
                   stop: threading.Event) -> SourceReport | None:
    """Fetch one source's listing when it is due, and the items it lists still to fetch; its health
    recorded either way. None, with nothing recorded, when `stop` was set while its listing waited
    for the host's turn.

    No request waits for its host's turn past what the round waits on one source: what does not fit
    is left for the host's next turn, when the source is due again. The listing (or a child sitemap
    of its index) and the items take the host's turns in turn (Source.item_fetched_at), within a
    round and, when a host allows a request a round or fewer, across rounds, so neither starves the
    other, and the articles listed already are not kept waiting for every child of an index."""
    report = SourceReport(source, "")
    wait_left = _wait_budget(fetcher)
    listing_due = _listing_due(source)
    waiting = waiting_items(store, source.id)
    children_left = bool(sitemaps_to_read(store, source.id))
    # A source due with no items waiting (nor children of its index) is due for its listing, whenever
    # it was last fetched.
    listing_is_due = not (waiting or children_left) or listing_due <= now
    if children_left and not listing_is_due:  # its index's children that its host's pace left, with the items
        item_first = bool(waiting) and not _item_asked_since(source, last_sitemap_read_at(store, source.id))
        _read_children_left(store, source, fetcher, now, report, wait_left, stop, item_first=item_first)
        if report.status == ERROR:  # due again after its backoff, for its index
            listing_due = _due_after_failure(source, report, now)
    # The items first when the listing is not due, or when they had no turn since its last fetch:
    # then one item, the listing after it (if its turn still fits), the rest of the pass last.
    items_first = waiting and (not listing_is_due or not _item_asked_since(source, source.last_fetch_at))
    if items_first and report.turn_in is None and not stop.is_set():
        _fetch_items(store, source, fetcher, report, wait_left, stop,
                     limit=1 if listing_is_due else ITEMS_PER_PASS - report.items_done)
    if listing_is_due and not stop.is_set() and report.turn_in is None:
        answered = _fetch_listing(store, source, fetcher, now, report, wait_left, stop)
        if answered is None:
            return None
        if report.turn_in is None:  # fetched, or failed: due again at its interval (or its backoff)
            listing_due = (_due_after_failure(source, report, now) if report.status == ERROR
                           else _listing_due(source, errors_in_row=0, fetched_at=now))
        if answered and report.turn_in is None and not stop.is_set():
            _fetch_items(store, source, fetcher, report, wait_left, stop,
                         limit=ITEMS_PER_PASS - report.items_done)
    report.waiting = waiting_items(store, source.id)
    report.sitemaps_waiting = len(sitemaps_to_read(store, source.id))
    report.status = report.status or (ITEMS_ONLY if report.items_done or report.refused else HOST_TURN_LATER)
    if stop.is_set():  # due again at once: the next run fetches what is left without waiting
        due = now
    elif report.turn_in is not None:  # due at the host's next turn, which no request of its comes before
        due = max(now, datetime.now(timezone.utc)) + timedelta(seconds=report.turn_in)
    else:
        due = listing_due
    set_next_due(store, source.id, iso(due), item_fetched_at=report.item_asked_at)
    return report


def _fetch_listing(store: Store, source: Source, fetcher: PoliteFetcher, now: datetime, report: SourceReport,
                   wait_left: Callable[[], float], stop: threading.Event) -> bool | None:
    """Fetch and read the source's listing, record its items and the fetch (report.status says how
    it went); whether its host answered, so that the items it named before are fetched (not when it
    could not be reached: they would fail too). False too when its host's turn did not fit
    (report.turn_in), None when `stop` was set while waiting for it."""
    answered = False
    try:
        fetched = fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified,
                                wait_at_most=wait_left(), stop=stop)
        answered = True
        listing = None if fetched.not_modified else _read_listing(store, source, fetched, fetcher, report,
                                                                  wait_left, stop)
    except PaceError as exc:
        if stop.is_set():
            return None
        _defer(report, exc, fetcher, "its listing waits for its next turn")
        return False
    except Exception as exc:  # a bug on one odd listing must not stop the other sources either
        _record_failure(store, source, now, report, exc)
        # The items a listing named before are fetched though it now fails (404, moved, 500): they
        # are articles all the same.
        return answered or isinstance(exc, HTTPStatusError)
    items = listing.items if listing else ()
    report.new_items += add_items(store, source.id, [(item.url, item.hints) for item in items]) if items else 0
    report.status = NOT_MODIFIED if listing is None else NEW_ITEMS if report.new_items else NO_NEW_ITEMS
    # A sitemap index often stays the same while its child sitemaps change, so an index's
    # validators are not kept: it is read whole every time, and its children with it.
    index = bool(listing and listing.sitemaps)
    # A source's kind is settled by the first listing that names something: a feed that first
    # answers with a maintenance page is not read as a front page (of no articles) ever after.
    kind = (listing.kind if items or index else source.kind) if listing else None
    # Recorded before its items are fetched, due at once: a run interrupted among them (Ctrl-C)
    # leaves the fetch shown in `sources list` and the items to the next run.
    record_fetch(store, source.id, FetchOutcome(
        report.status, iso(now), 0, new_items=report.new_items,
        kind=kind, etag=None if index else fetched.etag,
        last_modified=None if index else fetched.last_modified, not_modified=listing is None,
    ))
    return True


def _record_failure(store: Store, source: Source, now: datetime, report: SourceReport, exc: Exception) -> None:
    """The source failed (its listing, or a child sitemap of its index): due again after its backoff."""
    report.status, report.error = ERROR, str(exc) if isinstance(exc, InputError) else _internal(exc)
    report.refused_by_settings = isinstance(exc, AddressRefused)
    if report.refused_by_settings:
        report.error = _by_settings(exc)
    record_fetch(store, source.id, FetchOutcome(
        ERROR, iso(_due_after_failure(source, report, now)), _errors_in_row(source, report), error=report.error))


def _by_settings(exc: AddressRefused) -> str:
    """A refusal of an address as the faces show it: the operator's setting, not the site's fault."""
    return f"not fetched by this run's settings, not the site's fault: {exc}"


def _errors_in_row(source: Source, report: SourceReport) -> int:
    """The source's failures in a row, counting this round's (a refusal by the settings is none)."""
    return source.errors_in_row + (report.status == ERROR and not report.refused_by_settings)


def _due_after_failure(source: Source, report: SourceReport, now: datetime) -> datetime:
    """When a source that failed this round is due again: after its backoff, or at once when the
    failure was this run's settings refusing its address."""
    if report.refused_by_settings:
        return now
    return _listing_due(source, errors_in_row=_errors_in_row(source, report), fetched_at=now)


def _read_children_left(store: Store, source: Source, fetcher: PoliteFetcher, now: datetime, report: SourceReport,
                        wait_left: Callable[[], float], stop: threading.Event, *, item_first: bool) -> None:
    """Read the children of the source's index that its last fetch left (its host's pace), without
    fetching the index again, in turn with its items (`item_first`: an item first), and record their
    new items; a broken child is the source's error, as at the index's fetch, and ends the plan (its
    index is fetched again after the backoff)."""
    try:
        read = _read_child_sitemaps(store, source, fetcher, report, wait_left, stop, item_first=item_first)
    except Exception as exc:
        _record_failure(store, source, now, report, exc)
        # Not tried again at every turn of its host: the index's fetch after the backoff plans anew.
        plan_sitemaps(store, source.id, [], anew=True, at_most=MAX_CHILD_SITEMAPS)
        return
    if read:
        report.status = MORE_SITEMAPS


def _listing_due(source: Source, *, errors_in_row: int | None = None, fetched_at: datetime | None = None) -> datetime:
    """When the source's listing is next due: its interval (or backoff, after failures) after its
    last fetch (`fetched_at`, else the recorded one); a listing never fetched is due at once."""
    errors = source.errors_in_row if errors_in_row is None else errors_in_row
    if fetched_at is None:
        if source.last_fetch_at is None:
            return datetime.min.replace(tzinfo=timezone.utc)
        fetched_at = datetime.fromisoformat(source.last_fetch_at)
    return fetched_at + (backoff(source.every_seconds, errors) if errors else timedelta(seconds=source.every_seconds))


def _item_asked_since(source: Source, moment: str | None) -> bool:
    """Whether one of the source's items was asked for at or after `moment` (its listing's last fetch,
    its index's child last read): whether the items had the host's turn since."""
    return source.item_fetched_at is not None and moment is not None and source.item_fetched_at >= moment


def _round_wait(fetcher: PoliteFetcher) -> float:
    """The seconds a round may wait on one source's host: ROUND_WAIT_PER_SOURCE, or a pass at `--rate`."""
    return max(ROUND_WAIT_PER_SOURCE, ITEMS_PER_PASS * fetcher.pacer.interval)


def _wait_budget(fetcher: PoliteFetcher) -> Callable[[], float]:
    """The seconds one source may still keep its round waiting for its host's turns, as a function."""
    may_wait, waited_before = _round_wait(fetcher), fetcher.waited
    return lambda: may_wait - (fetcher.waited - waited_before)


def _defer(report: SourceReport, exc: PaceError, fetcher: PoliteFetcher, what: str) -> None:
    """Leave what did not fit for the host's next turn, saying why."""
    report.turn_in = exc.turn_in
    report.deferred_reason = (f"{exc}, and a round waits at most {_round_wait(fetcher):.0f} s on one source;"
                              f" {what}, when the source is due again")


def _read_listing(store: Store, source: Source, fetched: Fetched, fetcher: PoliteFetcher, report: SourceReport,
                  wait_left: Callable[[], float], stop: threading.Event) -> Listing:
    """The listing; of a sitemap index, its child sitemaps read and their items recorded too.

    MAX_CHILD_SITEMAPS children at most are planned, those never read first, then the least recently
    read (store/sources.plan_sitemaps), and read while their host's turns fit in what the round may
    still wait on the source, in turn with the items waiting, an item first (the index took the
    host's turn); the rest at the host's next turns (report.turn_in), before the index's next fetch
    (collect_source)."""
    listing = read_listing(fetched.url, fetched.data, content_type=fetched.content_type, kind=source.kind)
    # Planned anew by every read listing: one that is no index (any more) leaves no child to read.
    _plan_children(store, source, listing, read_from=fetched.url, anew=True)
    if listing.sitemaps:
        _read_child_sitemaps(store, source, fetcher, report, wait_left, stop, item_first=True)
    return listing


def _read_child_sitemaps(store: Store, source: Source, fetcher: PoliteFetcher, report: SourceReport,
                         wait_left: Callable[[], float], stop: threading.Event, *, item_first: bool) -> int:
    """Read the children of the source's index still to read, in their planned order, while their
    host's turns fit (the rest deferred, report.turn_in) and `stop` is not set, and record their
    items, newest first across them, with the children marked read (report.new_items); how many
    were read. The items listed already take the host's turns in turn with the children (an item
    first when `item_first`): an index's twenty children at a minute's Crawl-delay held them twenty
    minutes. A child that is an index itself (outside the protocol, but served: a plugin's index
    listed in the site's own) has its sitemaps planned after the others; read as a sitemap, it
    listed nothing, and the source said "no new items" for ever. What the children read had listed
    is recorded whatever ends the reading, a broken child too (its error is raised after)."""
    items, read_at = [], {}
    item_next = item_first
    try:
        while not stop.is_set() and (to_read := [url for url in sitemaps_to_read(store, source.id)
                                                 if url not in read_at]):
            if item_next and report.items_done < ITEMS_PER_PASS:
                _fetch_items(store, source, fetcher, report, wait_left, stop, limit=1)
                if report.turn_in is not None or stop.is_set():
                    break
            child = to_read[0]
            try:
                got = fetcher.fetch(child, wait_at_most=wait_left(), stop=stop)
                child_listing = read_listing(got.url, got.data, kind=SITEMAP_KIND)
            except PaceError as exc:
                if not stop.is_set():
                    _defer(report, exc, fetcher, "the child sitemaps left are read at its next turns")
                break
            except InputError as exc:
                raise InputError(f"its sitemap {child}: {exc}") from None
            read_at[child] = now_iso()
            items.extend(child_listing.items)
            _plan_children(store, source, child_listing, read_from=child, anew=False)
            item_next = True
    finally:
        if read_at:
            report.new_items += add_items(store, source.id, [(item.url, item.hints) for item in newest_first(items)],
                                          sitemaps_read=read_at)
    return len(read_at)


def _plan_children(store: Store, source: Source, listing: Listing, *, read_from: str, anew: bool) -> None:
    """Plan the child sitemaps `listing` (read from `read_from`) names, never read first, then the
    least recently read; not the index itself, when it names itself."""
    children = [url for url in least_recently_read(store, source.id, list(listing.sitemaps))
                if url not in (read_from, source.url)]
    plan_sitemaps(store, source.id, children, anew=anew, at_most=MAX_CHILD_SITEMAPS)


def _fetch_items(store: Store, source: Source, fetcher: PoliteFetcher, report: SourceReport,
                 wait_left: Callable[[], float], stop: threading.Event, *, limit: int) -> None:
    """Fetch and ingest up to `limit` of the source's items still to fetch (until `stop` is set, or
    until their host's turn lies past what the round may still wait), each marked with what came of it."""
    while limit > 0:
        pending = pending_items(store, source.id, limit)
        refused_before = report.refused
        if not _fetch_pending(store, source, fetcher, report, wait_left, stop, pending):
            return
        # Items refused for their address asked nothing of any host: their places in the pass go to
        # the items after them (fifty links to an intranet atop a feed held its articles back).
        limit = report.refused - refused_before if len(pending) == limit else 0


def _fetch_pending(store: Store, source: Source, fetcher: PoliteFetcher, report: SourceReport,
                   wait_left: Callable[[], float], stop: threading.Event, pending: list[tuple[str, dict]]) -> bool:
    """Fetch and ingest `pending` items of the source in turn; False when `stop` or the host's pace
    ended it before the last."""
    for position, (url, hints) in enumerate(pending):
        if stop.is_set():
            return False
        known = item_page(store, url)
        if known:  # another source listed the same article and brought it in: not fetched again
            finish_item(store, source.id, url, DUPLICATE, known)
            report.duplicates += 1
            continue
        try:
            fetched = fetcher.fetch(url, wait_at_most=wait_left(), stop=stop)
            report.item_asked_at = now_iso()
            page = read_html(url, fetched.data, content_type=fetched.content_type, url=fetched.url,
                             hints=linked_page_hints(hints))
        except PaceError as exc:
            if stop.is_set():
                return False  # stopped while waiting its turn: the item is fetched by the next run
            report.deferred += len(pending) - position
            _defer(report, exc, fetcher, "the items left are fetched at its next turn")
            return False
        except AddressRefused as exc:
            # The settings refuse its address, and a retry under them would too: given up at once,
            # taking no turn of the source's host (nothing was asked of it), no place in the pass and
            # no attempt a site's failure would; fetched by a run that allows private addresses.
            finish_item(store, source.id, url, REFUSED)
            store.add_rejection(Rejection(url, _by_settings(exc)))
            report.refused += 1
            continue
        except Exception as exc:  # as for listings: one odd page never stops the rest
            if not isinstance(exc, RobotsError):  # asked for (robots.txt saying no asks nothing of the host)
                report.item_asked_at = now_iso()
            disallowed = isinstance(exc, RobotsError) and not isinstance(exc, RobotsUnreadableError)
            gone = disallowed or (isinstance(exc, HTTPStatusError) and exc.status in _GONE)
            if fail_item(store, source.id, url, give_up_after=1 if gone else ITEM_ATTEMPTS):
                store.add_rejection(Rejection(url, str(exc) if isinstance(exc, InputError) else _internal(exc)))
                report.rejected += 1
            else:
                report.retrying += 1
            continue
        ingested = ingest_items([page], store)
        if ingested.stored:
            finish_item(store, source.id, url, STORED, page.id)
            report.stored += 1
        elif ingested.duplicates:
            finish_item(store, source.id, url, DUPLICATE, page.id)
            report.duplicates += 1
        else:  # ingest_items recorded the rejection with its reason
            finish_item(store, source.id, url, REJECTED)
            report.rejected += 1
    return True


def _internal(exc: Exception) -> str:
    return f"internal error while reading it ({type(exc).__name__}: {exc}); please report it"


def watch(
    db_path: str,
    fetcher: PoliteFetcher,
    *,
    check_every: float,
    stop_after: float | None = None,
    stop: threading.Event | None = None,
    analyse: bool = True,
    workers: int = 1,
    on_report: Callable[[CollectReport], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Collect what is due every `check_every` seconds, from now until `stop_after` seconds have
    passed or `stop` is set (neither: until interrupted). Sources added meanwhile are picked up at
    the next check.

    APScheduler runs the checks, one at a time (a check that overruns delays the next rather than
    overlapping it); each opens the store afresh, so the database may be used by others meanwhile.
    A check under way when the watch stops ends after the page it is fetching, or at once when it is
    waiting for a host's turn (a Crawl-delay can be minutes).
    """
    from apscheduler.schedulers.background import BackgroundScheduler

    stop = stop or threading.Event()

    def check() -> None:
        try:
            with open_store(db_path) as store:
                report = collect_due(store, fetcher, analyse=analyse, workers=workers, stop=stop)
        except Exception as exc:  # a bad check (a locked or broken database, a bug) must not end the watch
            if on_error:
                on_error(exc)
            else:
                logging.getLogger(__name__).exception("collecting failed")
            return
        if on_report:
            on_report(report)

    scheduler = BackgroundScheduler(timezone=timezone.utc)
    scheduler.add_job(check, "interval", seconds=check_every, next_run_time=datetime.now(timezone.utc),
                      max_instances=1, coalesce=True, misfire_grace_time=None)
    scheduler.start()
    try:
        stop.wait(stop_after)  # Ctrl-C interrupts it too
    finally:
        stop.set()  # a check under way ends after its page, not after every page due and their analysis
        scheduler.shutdown(wait=True)
