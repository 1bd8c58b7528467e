"""Fetching as a good guest of a site: its robots.txt obeyed, one request at a time per host at
a pace, through the one guarded Fetcher (ingest/web.py) every fetch of presswatch goes through.

Used by scheduled collection, which fetches on its own clock rather than once at a user's word.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from typing import Protocol
from urllib.parse import urlsplit

from presswatch.errors import (
    AddressRefused,
    HTTPStatusError,
    InputError,
    PaceError,
    RobotsError,
    RobotsUnreadableError,
)
from presswatch.ingest.web import USER_AGENT, Fetched, Fetcher

# Seconds between two requests to one host, unless its robots.txt asks for more (Crawl-delay).
DEFAULT_HOST_INTERVAL = 1.0
# How long a host's robots.txt is trusted before it is fetched again (RFC 9309 §2.4 suggests
# caching for no more than 24 hours).
ROBOTS_TTL = 3600.0
_AGENT = USER_AGENT.split("/", 1)[0]  # the product token robots.txt groups name: "presswatch"


# A host's last request booked: its moment and the pace in seconds the next request to it keeps after it.
Booking = tuple[float, float]


class HostTurns(Protocol):
    """Where each host's last booked request is kept, by a clock of its own, and changed one host at
    a time, atomically: in this process (MemoryTurns), or in the store, shared by every process that
    collects from it (the engine's)."""

    def now(self) -> float:
        """The present moment by the clock the bookings are kept by."""

    def change(self, host: str, change: Callable[[Booking | None], Booking | None]) -> None:
        """Replace `host`'s booking (None: none yet) by change(booking), unless that is None; nobody
        books the host in between."""


class MemoryTurns:
    """Hosts' bookings in this process, by `clock` (monotonic: a clock set back does not stall them)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.now = clock
        self._last: dict[str, Booking] = {}
        self._lock = threading.Lock()

    def change(self, host: str, change: Callable[[Booking | None], Booking | None]) -> None:
        with self._lock:
            changed = change(self._last.get(host))
            if changed is not None:
                self._last[host] = changed


class HostPacer:
    """Keeps requests to one host at least `interval` seconds apart (a per-host rate limit), by the
    bookings of `turns`: those of this process, or, kept in the store, those of every run (the
    engine's), so that a run just after another and two runs at once keep a host's pace together."""

    def __init__(self, interval: float = DEFAULT_HOST_INTERVAL, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] | None = None, wall_clock: Callable[[], float] = time.time) -> None:
        # `sleep` None: real time, a wait that a stop event ends at once; a fake clock's tests give their own.
        self.interval = interval
        self._sleep = sleep
        self.wall_clock = wall_clock  # what bookings kept beyond this process (the store's) are read by
        self.turns: HostTurns = MemoryTurns(clock)

    @contextlib.contextmanager
    def booking_in(self, turns: HostTurns) -> Iterator[None]:
        """Book hosts' turns in `turns` meanwhile (the store's, while a collection has it open)."""
        kept, self.turns = self.turns, turns
        try:
            yield
        finally:
            self.turns = kept

    def wait(self, host: str, interval: float | None = None, *, at_most: float | None = None,
             stop: threading.Event | None = None, shares_turn_with_next: bool = False) -> float:
        """Sleep until `host` may be asked again, and book the slot after this request; the seconds
        slept. PaceError, with nothing booked, when that would be more than `at_most` seconds, or
        when `stop` is set before the turn comes: a watch being stopped does not sit out a Crawl-delay
        (in real time the wait is on `stop` itself). `shares_turn_with_next`: the request is read
        for the one after it (robots.txt), which follows it at once, in the same turn."""
        gap = 0.0 if shares_turn_with_next else max(self.interval, interval or 0.0)
        seen: dict[str, object] = {}

        def book(booked: Booking | None) -> Booking | None:
            now = self.turns.now()
            start = max(now, sum(booked)) if booked is not None else now
            seen.update(booked=booked, start=start, wait=start - now)
            return None if at_most is not None and start - now > at_most else (start, gap)

        self.turns.change(host, book)
        start, wait, booked = seen["start"], seen["wait"], seen["booked"]
        if at_most is not None and wait > at_most:
            raise PaceError(f"{host} may be asked again only in {wait:.0f} s", wait)
        if wait > 0 and self._stopped_while_sleeping(wait, stop):
            # Nobody booked after: the turn is given back (a wait means one was booked before).
            self.turns.change(host, lambda current: booked if current == (start, gap) else None)
            raise PaceError(f"stopped while waiting {wait:.0f} s for {host}'s turn", wait)
        return wait

    def _stopped_while_sleeping(self, seconds: float, stop: threading.Event | None) -> bool:
        """Sleep `seconds`, or until `stop` is set; whether it was."""
        if self._sleep is not None:
            self._sleep(seconds)
            return stop is not None and stop.is_set()
        if stop is not None:
            return stop.wait(seconds)
        time.sleep(seconds)
        return False


class RobotsRules:
    """Each host's robots.txt, fetched when first needed and again after `ttl` seconds.

    As RFC 9309 says: a robots.txt that is missing or refused (4xx) allows everything; one that
    cannot be had (5xx, no connection) disallows everything until it can.
    """

    def __init__(self, fetch: Callable[..., Fetched], *, ttl: float = ROBOTS_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._clock = clock
        self._rules: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None, str | None]] = {}

    def check(self, url: str, **pace: object) -> float | None:
        """The host's Crawl-delay for presswatch (None when it sets none); RobotsError when `url` is
        not to be fetched. `pace` (wait_at_most, stop) goes to the fetch of a robots.txt read anew: its
        refresh, once an hour, waits for the host's turn like any request, and no longer than it may
        (PaceError, the old rules kept till then)."""
        parser, unreachable = self._for(url, pace)
        if unreachable:
            raise RobotsUnreadableError(f"its robots.txt could not be read ({unreachable}); not fetching until it can")
        if parser is None:
            return None
        if not parser.can_fetch(_AGENT, url):
            raise RobotsError("the site's robots.txt disallows fetching it")
        delay = parser.crawl_delay(_AGENT)
        return float(delay) if delay is not None else None

    def _for(self, url: str, pace: dict[str, object]) -> tuple[urllib.robotparser.RobotFileParser | None, str | None]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._rules.get(origin)
        if cached is None or self._clock() - cached[0] > self._ttl:
            cached = (self._clock(), *self._read(origin, pace))
            self._rules[origin] = cached
        return cached[1], cached[2]

    def _read(self, origin: str, pace: dict[str, object]) -> tuple[urllib.robotparser.RobotFileParser | None, str | None]:
        try:
            fetched = self._fetch(f"{origin}/robots.txt", **pace)
        except AddressRefused:  # the page's own fetch is refused alike: said as that, not as robots.txt's
            raise
        except HTTPStatusError as exc:
            return (None, None) if 400 <= exc.status < 500 else (None, str(exc))
        except InputError as exc:
            return None, str(exc)
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(fetched.data.decode("utf-8", "replace").splitlines())
        return parser, None


class PoliteFetcher:
    """A Fetcher's GETs, each one allowed by robots.txt and paced per host."""

    def __init__(self, fetcher: Fetcher, *, host_interval: float = DEFAULT_HOST_INTERVAL) -> None:
        self.fetcher = fetcher
        self.pacer = HostPacer(host_interval)
        self.robots = RobotsRules(self._robots_fetch)
        self.waited = 0.0  # seconds slept for the pace of hosts, all fetches together

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.fetcher.__exit__(*exc_info)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              wait_at_most: float | None = None, stop: threading.Event | None = None) -> Fetched:
        """As Fetcher.fetch (conditional with validators), after robots.txt said yes (RobotsError);
        PaceError, without fetching, when the host's turn is more than `wait_at_most` seconds away
        or `stop` is set while waiting for it."""
        delay: float | None = None  # not known while the host's robots.txt waits for its turn
        try:
            delay = self.robots.check(url, wait_at_most=wait_at_most, stop=stop)
            return self._paced_fetch(url, etag=etag, last_modified=last_modified, delay=delay,
                                     wait_at_most=wait_at_most, stop=stop)
        except PaceError as exc:
            if stop is not None and stop.is_set():
                raise
            if delay is not None and delay > self.pacer.interval:
                raise PaceError(f"{exc}: its robots.txt asks for {delay:g} s between requests (Crawl-delay)",
                                exc.turn_in) from None
            raise

    def _paced_fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                     delay: float | None = None, wait_at_most: float | None = None,
                     stop: threading.Event | None = None) -> Fetched:
        # The host, whatever the port.
        self.waited += self.pacer.wait(urlsplit(url).hostname or "", delay, at_most=wait_at_most, stop=stop)
        return self.fetcher.fetch(url, etag=etag, last_modified=last_modified)

    def _robots_fetch(self, url: str, *, wait_at_most: float | None = None,
                      stop: threading.Event | None = None) -> Fetched:
        """A host's robots.txt, at the host's turn like any request, but taking no turn of its own: the
        request it is read for follows it at once. A turn for it alone made every new host's first
        request, and the one after each hourly re-read, wait a --rate (or a Crawl-delay) more."""
        self.waited += self.pacer.wait(urlsplit(url).hostname or "", at_most=wait_at_most, stop=stop,
                                       shares_turn_with_next=True)
        return self.fetcher.fetch(url)
