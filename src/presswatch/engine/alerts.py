"""Alerts: each watch with a webhook is sent the items that arrived since its last delivery.

`run_alerts(store)` is the one call collection makes after a round (and `presswatch alerts
--deliver` makes by hand). Delivery goes through the ingest fetcher, so a webhook gets the same
private-address protection as any fetch: the operator allows loopback or private targets
explicitly. A failed delivery keeps the watch's mark where it was, so the next run sends the
items again with whatever arrived since; one failing webhook never stops the others.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from presswatch.engine.locks import run_lock
from presswatch.errors import PresswatchError
from presswatch.ingest.web import Fetcher
from presswatch.store import Store
from presswatch.store.watchlists import (
    alerts_payload,
    count_matches,
    latest_arrival,
    mark_notified,
    watch_matches,
    watches,
)

# Items one delivery carries; a watch with more new items says so (`more`) and the receiver can read
# the rest from /api/watchlists/NAME.
MAX_DELIVERY_ITEMS = 200
WEBHOOK_TIMEOUT = 10.0
WEBHOOK_RESPONSE_BYTES = 100_000
# What a second delivery run is told while one runs (it sends nothing; the one under way sends it all).
DELIVERY_BUSY = "webhooks not sent by this run: another delivery is going on {path} (pid {pid}), which sends what has arrived"


@dataclass(frozen=True)
class Delivery:
    """One webhook call: the watch, how many items it carried, and why it failed (None when it did not)."""

    watch: str
    items: int
    error: str | None = None


def run_alerts(store: Store, *, allow_private: bool | None = None, fetcher: Fetcher | None = None) -> list[Delivery]:
    """POST each webhook watch's items that arrived since its last delivery; record each delivery.

    A watch with nothing new is not called. `allow_private` lets webhooks reach loopback and private
    addresses (None: as PRESSWATCH_ALLOW_PRIVATE_ADDRESSES says); `fetcher` reuses a caller's client.
    One run delivers at a time: a second (a cron `collect` beside a `watch`, `alerts --deliver` by
    hand) would read the same marks and send the same items again, so it sends nothing and raises
    BusyError, saying so; the run under way sends what has arrived.
    """
    with run_lock(store, "alerts", DELIVERY_BUSY):
        return _deliver(store, allow_private, fetcher)


def _deliver(store: Store, allow_private: bool | None, fetcher: Fetcher | None) -> list[Delivery]:
    through = latest_arrival(store)
    due = [w for w in watches(store) if w.webhook and w.notified_through < through]
    deliveries: list[Delivery] = []
    if not due:
        return deliveries
    opened = Fetcher(timeout=WEBHOOK_TIMEOUT, max_bytes=WEBHOOK_RESPONSE_BYTES, allow_private=allow_private)
    with nullcontext(fetcher) if fetcher else opened as client:
        for watch in due:
            sent = []
            try:  # a watch whose narrative or entity is gone fails alone, as a webhook that fails does
                sent = watch_matches(store, watch, after=watch.notified_through, through=through,
                                     limit=MAX_DELIVERY_ITEMS)
                if not sent:
                    mark_notified(store, watch.name, through)
                    continue
                new = len(sent) if len(sent) < MAX_DELIVERY_ITEMS else count_matches(
                    store, watch, after=watch.notified_through, through=through)
                client.post_json(watch.webhook, alerts_payload(watch, sent, through, new))
            except PresswatchError as exc:
                mark_notified(store, watch.name, None, error=str(exc))
                deliveries.append(Delivery(watch.name, len(sent), str(exc)))
                continue
            mark_notified(store, watch.name, through)
            deliveries.append(Delivery(watch.name, len(sent)))
    return deliveries
