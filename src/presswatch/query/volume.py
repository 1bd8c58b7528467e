"""Volume over time: how many articles or statements a search (or a filtered listing) holds per
day, week or month, by outlet. The web draws it; the API answers it as JSON (`/api/volume`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from presswatch.errors import QueryError
from presswatch.store import Store
from presswatch.store.search import AUTO, KINDS, TEXT, SearchFilters, daily_counts, search

DAY, WEEK, MONTH = "day", "week", "month"
INTERVALS = (AUTO, DAY, WEEK, MONTH)
# Matches by meaning are counted from the search's hits, up to this many (the answer says when it
# stopped there); matches by words and listings are counted in SQL, however many there are.
SEARCH_COUNT_LIMIT = 10_000
# What "auto" picks: days for a span of up to two months, weeks up to two years, else months, so a
# chart has at most about a hundred bars.
AUTO_DAYS, AUTO_WEEKS = 62, 731
UNKNOWN_OUTLET = "(unknown outlet)"
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
    filters: SearchFilters = SearchFilters(),
    interval: str = AUTO,
) -> Volume:
    """Articles or statements per period and outlet: a search's matches when `query` is given (any
    `mode` of `presswatch.store.search.search`), else every item that passes the filters.
    Raises QueryError for an unknown kind or interval, or what the search raises."""
    if kind not in KINDS:
        raise QueryError(f"unknown kind {kind!r}; choose from: {', '.join(KINDS)}")
    if interval not in INTERVALS:
        raise QueryError(f"unknown interval {interval!r}; choose from: {', '.join(INTERVALS)}")
    capped = False
    query = query.strip() if query else None
    if query and mode != TEXT:
        # The mode "auto" resolves to (words only, when no vectors are stored) comes with the search.
        mode = search(store, query, mode=mode, kinds=(kind,), filters=filters, limit=1).mode
    if query and mode != TEXT:  # matches by meaning: only the search knows them, ranked
        hits = search(store, query, mode=mode, kinds=(kind,), filters=filters, limit=SEARCH_COUNT_LIMIT + 1).hits
        capped = len(hits) > SEARCH_COUNT_LIMIT
        counted = Counter((h.date, h.outlet) for h in hits[:SEARCH_COUNT_LIMIT])
        rows = [(day, outlet, count) for (day, outlet), count in counted.items()]
    else:
        rows = daily_counts(store, kind, filters, query=query)
    dated = [(_calendar_day(day), outlet or UNKNOWN_OUTLET, count) for day, outlet, count in rows]
    dated = [(day, outlet, count) for day, outlet, count in dated if day]
    total = sum(count for _, _, count in rows)
    if not dated:
        return Volume(kind, DAY if interval == AUTO else interval, (), (), total, total, capped)
    first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    if interval == AUTO:
        span = (last - first).days
        interval = DAY if span <= AUTO_DAYS else WEEK if span <= AUTO_WEEKS else MONTH
    periods = _periods(_start(first, interval), last, interval)
    index = {period: i for i, period in enumerate(periods)}
    per_outlet: dict[str, list[int]] = {}
    for day, outlet, count in dated:
        per_outlet.setdefault(outlet, [0] * len(periods))[index[_start(day, interval)]] += count
    outlets = sorted((OutletVolume(o, tuple(c), sum(c)) for o, c in per_outlet.items()),
                     key=lambda v: (-v.total, v.outlet))
    dated_total = sum(v.total for v in outlets)
    return Volume(kind, interval, tuple(p.isoformat() for p in periods), tuple(outlets), total,
                  total - dated_total, capped)


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
