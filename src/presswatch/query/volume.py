"""Volume over time: how many articles or statements a search (or a filtered listing) holds per
day, week or month, by outlet. The web draws it; the API answers it as JSON (`/api/volume`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from presswatch.errors import QueryError
from presswatch.query.listings import NO_FILTERS
from presswatch.records import UNKNOWN_OUTLET
from presswatch.store import Store
from presswatch.store.search import (
    AUTO,
    KINDS,
    TEXT,
    SearchFilters,
    date_span,
    period_counts,
    search,
    search_mode,
)

DAY, WEEK, MONTH = "day", "week", "month"
INTERVALS = (AUTO, DAY, WEEK, MONTH)
# Matches by meaning are counted from the search's hits, up to this many (the answer says when it
# stopped there); matches by words and listings are counted in SQL, however many there are.
SEARCH_COUNT_LIMIT = 10_000
# What "auto" picks: days for a span of up to two months, weeks up to two years, else months, so a
# chart has at most about a hundred bars.
AUTO_DAYS, AUTO_WEEKS = 62, 731
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class OutletVolume:
    outlet: str
    counts: tuple[int, ...]  # one per period of the `Volume`
    total: int


@dataclass(frozen=True)
class Volume:
    kind: str  # "article" or "statement"
    interval: str  # "day", "week" (starting Monday) or "month"
    periods: tuple[str, ...]  # each period's first day, every period from the first counted to the last
    outlets: tuple[OutletVolume, ...]  # busiest first
    total: int  # dated and undated
    undated: int  # not on the chart: no calendar date known
    capped: bool  # matches by meaning were counted only up to SEARCH_COUNT_LIMIT


def volume(
    store: Store,
    *,
    kind: str,
    query: str | None = None,
    mode: str = AUTO,
    filters: SearchFilters = NO_FILTERS,
    interval: str = AUTO,
) -> Volume:
    """Articles or statements per period and outlet: a search's matches when `query` is given (any
    `mode` of `presswatch.store.search.search`), else every item that passes the filters.
    Raises QueryError for an unknown kind or interval, or what the search raises."""
    if kind not in KINDS:
        raise QueryError(f"unknown kind {kind!r}; choose from: {', '.join(KINDS)}")
    if interval not in INTERVALS:
        raise QueryError(f"unknown interval {interval!r}; choose from: {', '.join(INTERVALS)}")
    query = query.strip() if query else None
    if query and mode != TEXT:
        mode = search_mode(store, query, mode)  # "auto": words only when no vectors are stored
    if query and mode != TEXT:
        return _ranked_volume(store, kind, query, mode, filters, interval)
    if interval == AUTO:  # one more pass, over a covering index for articles (bench/views.py)
        interval = _auto_interval(*(_calendar_day(d) for d in date_span(store, kind, filters, query=query)))
    rows = period_counts(store, kind, filters, period=interval, query=query)
    return _shaped(kind, interval, [(_calendar_day(p), outlet, n) for p, outlet, n in rows], capped=False)


def _ranked_volume(store: Store, kind: str, query: str, mode: str, filters: SearchFilters, interval: str) -> Volume:
    """Matches by meaning: only the search knows them, ranked, so its hits are counted (up to
    SEARCH_COUNT_LIMIT)."""
    hits = search(store, query, mode=mode, kinds=(kind,), filters=filters, limit=SEARCH_COUNT_LIMIT + 1,
                  snippets=False).hits
    days = [_calendar_day(h.date) for h in hits[:SEARCH_COUNT_LIMIT]]
    dated = [d for d in days if d]
    if interval == AUTO:
        interval = _auto_interval(min(dated, default=None), max(dated, default=None))
    counted = Counter((_start(day, interval) if day else None, h.outlet) for day, h in zip(days, hits))
    return _shaped(kind, interval, [(p, outlet, n) for (p, outlet), n in counted.items()],
                   capped=len(hits) > SEARCH_COUNT_LIMIT)


def _auto_interval(first: date | None, last: date | None) -> str:
    span = (last - first).days if first and last else 0
    return DAY if span <= AUTO_DAYS else WEEK if span <= AUTO_WEEKS else MONTH


def _shaped(kind: str, interval: str, rows: list[tuple[date | None, str | None, int]], *, capped: bool) -> Volume:
    """The Volume of (period start, outlet, count) rows: every period from the first to the last."""
    total = sum(n for _, _, n in rows)
    dated = [(p, outlet or UNKNOWN_OUTLET, n) for p, outlet, n in rows if p]
    if not dated:
        return Volume(kind, interval, (), (), total, total, capped)
    periods = _periods(min(p for p, _, _ in dated), max(p for p, _, _ in dated), interval)
    index = {period: i for i, period in enumerate(periods)}
    per_outlet: dict[str, list[int]] = {}
    for period, outlet, n in dated:
        per_outlet.setdefault(outlet, [0] * len(periods))[index[period]] += n
    outlets = sorted((OutletVolume(o, tuple(c), sum(c)) for o, c in per_outlet.items()),
                     key=lambda v: (-v.total, v.outlet))
    return Volume(kind, interval, tuple(p.isoformat() for p in periods), tuple(outlets), total,
                  total - sum(v.total for v in outlets), capped)


def _calendar_day(value: str | None) -> date | None:
    """The day a stored date starts with; None for no date, a bare year or month, or no such day."""
    if not value or not _DAY.match(value):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _start(day: date, interval: str) -> date:
    if interval == WEEK:
        return day - timedelta(days=day.weekday())
    if interval == MONTH:
        return day.replace(day=1)
    return day


def _periods(first: date, last: date, interval: str) -> list[date]:
    """Every period from the one holding `first` to the one holding `last`: a quiet period is a gap."""
    periods, at = [], first
    while at <= last:
        periods.append(at)
        if interval == MONTH:
            at = date(at.year + at.month // 12, at.month % 12 + 1, 1)
        else:
            at += timedelta(days=7 if interval == WEEK else 1)
    return periods
