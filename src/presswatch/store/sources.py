"""Sources collected on a schedule: their settings, validators and health, and the items each listed.

An item (an article URL a listing named) is recorded when first listed and marked with what came
of it once fetched, so it is fetched and ingested once however many times it is listed, and an
item listed by a run that died before fetching it is fetched by the next.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from presswatch.errors import QueryError
from presswatch.records import SOURCE_KINDS, Source, now_iso
from presswatch.store.database import Store

# What came of a listed item once fetched. REJECTED and REFUSED items are given up: not fetched again;
# a REFUSED one's address was refused by the run's settings (a loopback or private address), the one
# failure no retry with the same settings mends and a run allowing such addresses does
# (`reopen_refused_items`). Either's reason is its URL's row of `rejections`.
STORED, DUPLICATE, REJECTED, REFUSED = "stored", "duplicate", "rejected", "refused"
_GIVEN_UP = f"i.outcome IN ('{REJECTED}', '{REFUSED}')"
# What came of a source's last fetch (its health).
NEW_ITEMS, NO_NEW_ITEMS, NOT_MODIFIED, ERROR = "new items", "no new items", "not modified", "error"

# Items listed and not fetched yet (or to be tried again), in SQL over `source_items i`.
_WAITING = "i.outcome IS NULL"

_COLUMNS = (
    "s.id, s.url, s.name, s.kind, s.every_seconds, s.added_at, s.next_due_at, s.etag, s.last_modified,"
    " s.last_fetch_at, s.last_status, s.last_error, s.errors_in_row, s.new_items_last, s.fetches, s.not_modified,"
    " s.item_fetched_at,"
    " (SELECT count(*) FROM source_items i WHERE i.source_id = s.id) AS items_seen,"
    f" (SELECT count(*) FROM source_items i WHERE i.source_id = s.id AND i.outcome = '{STORED}') AS items_stored,"
    f" (SELECT count(*) FROM source_items i WHERE i.source_id = s.id AND {_WAITING}) AS items_waiting,"
    " (SELECT count(*) FROM source_sitemaps m WHERE m.source_id = s.id AND m.plan_rank IS NOT NULL)"
    " AS sitemaps_waiting,"
    f" (SELECT count(*) FROM source_items i WHERE i.source_id = s.id AND {_GIVEN_UP}) AS items_given_up,"
    " (SELECT i.item_url || ': ' || r.reason FROM source_items i JOIN rejections r ON r.source = i.item_url"
    f" WHERE i.source_id = s.id AND {_GIVEN_UP} ORDER BY r.at DESC, r.rowid DESC LIMIT 1) AS last_given_up"
)


def _source(row: sqlite3.Row) -> Source:
    return Source(**{key: row[key] for key in row.keys()})


def add_source(store: Store, url: str, *, name: str | None, kind: str, every_seconds: int) -> Source:
    """A new source, due at once; QueryError when the URL or the name is taken or the kind unknown."""
    if kind not in SOURCE_KINDS:
        raise QueryError(f"unknown source kind {kind!r}; choose one of: {', '.join(SOURCE_KINDS)}")
    if every_seconds < 1:
        raise QueryError("a source's interval must be at least one second")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM sources WHERE url = ?", (url,)).fetchone():
            raise QueryError(f"{url} is already a source (`presswatch sources list` shows it)")
        if name and conn.execute("SELECT 1 FROM sources WHERE name = ?", (name,)).fetchone():
            raise QueryError(f"a source is already named {name!r}; give another --name")
        now = now_iso()
        cursor = conn.execute(
            "INSERT INTO sources (url, name, kind, every_seconds, added_at, next_due_at) VALUES (?, ?, ?, ?, ?, ?)",
            (url, name, kind, every_seconds, now, now),
        )
    return _source(store.conn.execute(f"SELECT {_COLUMNS} FROM sources s WHERE s.id = ?", (cursor.lastrowid,)).fetchone())


def list_sources(store: Store, *, limit: int = -1, offset: int = 0) -> list[Source]:
    """Sources in the order they were added (a page of them with `limit`; -1: all)."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM sources s ORDER BY s.id LIMIT ? OFFSET ?", (limit, offset))
    return [_source(row) for row in rows]


def count_sources(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM sources").fetchone()[0]


def source(store: Store, ref: str) -> Source:
    """The source `ref` names: its id, its URL or its name. QueryError when it is one source's id (or
    URL) and another's name: `sources remove 2` must not remove the source named "2" when 2 was meant."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM sources s WHERE CAST(s.id AS TEXT) = ? OR s.url = ? OR s.name = ?"
        " ORDER BY s.id LIMIT 2",
        (ref, ref, ref),
    ).fetchall()
    if not rows:
        raise QueryError(f"no source {ref!r}: give its id, URL or name (`presswatch sources list`)")
    if len(rows) > 1:
        raise QueryError(f"{ref!r} names two sources (sources {rows[0]['id']} and {rows[1]['id']}): give the one"
                         " you mean by its URL")
    return _source(rows[0])


def remove_source(store: Store, ref: str) -> Source:
    """Stop collecting from a source; what it brought in stays in the database."""
    found = source(store, ref)
    with store.transaction() as conn:
        conn.execute("DELETE FROM source_items WHERE source_id = ?", (found.id,))
        conn.execute("DELETE FROM source_sitemaps WHERE source_id = ?", (found.id,))
        conn.execute("DELETE FROM sources WHERE id = ?", (found.id,))
    return found


def due_sources(store: Store, now: str) -> list[Source]:
    """Sources whose next fetch is due at `now` (ISO, UTC), the longest overdue first."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM sources s WHERE s.next_due_at <= ? ORDER BY s.next_due_at, s.id", (now,)
    )
    return [_source(row) for row in rows]


@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch of a source's listing came to, as its health shows it."""

    status: str  # NEW_ITEMS, NO_NEW_ITEMS, NOT_MODIFIED or ERROR
    next_due_at: str
    errors_in_row: int
    error: str | None = None
    new_items: int = 0
    kind: str | None = None  # what the listing turned out to be, when it was read
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def record_fetch(store: Store, source_id: int, outcome: FetchOutcome) -> None:
    """Keep a fetch's outcome; validators and kind only when the listing was read (else the old ones).
    A source due at once (its items waiting) is due at its fetch, not at its round's start, which is
    before it: next due is never before the last fetch."""
    read = outcome.kind is not None
    fetched_at = now_iso()
    store.conn.execute(
        "UPDATE sources SET last_fetch_at = ?, last_status = ?, last_error = ?, errors_in_row = ?, next_due_at = max(?, ?),"
        " new_items_last = ?, fetches = fetches + 1, not_modified = not_modified + ?,"
        " kind = CASE WHEN ? THEN ? ELSE kind END, etag = CASE WHEN ? THEN ? ELSE etag END,"
        " last_modified = CASE WHEN ? THEN ? ELSE last_modified END WHERE id = ?",
        (fetched_at, outcome.status, outcome.error, outcome.errors_in_row, outcome.next_due_at, fetched_at,
         outcome.new_items,
         int(outcome.not_modified), read, outcome.kind, read, outcome.etag, read, outcome.last_modified, source_id),
    )


def set_next_due(store: Store, source_id: int, next_due_at: str, *, item_fetched_at: str | None = None) -> None:
    """When the source is next to be fetched, once its items are (its listing's fetch recorded before);
    never before now, as in record_fetch. `item_fetched_at`: when the last of its items asked for
    just now was."""
    store.conn.execute(
        "UPDATE sources SET next_due_at = max(?, ?), item_fetched_at = coalesce(?, item_fetched_at) WHERE id = ?",
        (next_due_at, now_iso(), item_fetched_at, source_id),
    )


def least_recently_read(store: Store, source_id: int, sitemaps: list[str]) -> list[str]:
    """A sitemap index's child sitemaps in the order to read them: those the source never read, in
    the index's order, then the others, the least recently read first."""
    read_at = dict(store.conn.execute(
        "SELECT sitemap_url, read_at FROM source_sitemaps WHERE source_id = ? AND read_at IS NOT NULL",
        (source_id,)).fetchall())
    return sorted(dict.fromkeys(sitemaps), key=lambda url: (url in read_at, read_at.get(url, "")))


def plan_sitemaps(store: Store, source_id: int, sitemaps: list[str], *, anew: bool, at_most: int) -> None:
    """Keep `sitemaps` as children of the source's index to read, in this order, after those planned
    already (`anew`: instead of them, as the index's fetch does), and up to `at_most` planned since the
    index's fetch; a child planned since (a nested index naming one) is not planned twice."""
    with store.transaction() as conn:
        if anew:
            conn.execute("UPDATE source_sitemaps SET planned = 0, plan_rank = NULL WHERE source_id = ?", (source_id,))
        planned = {url for (url,) in conn.execute(
            "SELECT sitemap_url FROM source_sitemaps WHERE source_id = ? AND planned", (source_id,))}
        last_rank = conn.execute("SELECT coalesce(max(plan_rank), -1) FROM source_sitemaps WHERE source_id = ?",
                                 (source_id,)).fetchone()[0]
        new = [url for url in dict.fromkeys(sitemaps) if url not in planned][:max(0, at_most - len(planned))]
        conn.executemany(
            "INSERT INTO source_sitemaps (source_id, sitemap_url, planned, plan_rank) SELECT id, ?, 1, ? FROM sources"
            " WHERE id = ? ON CONFLICT (source_id, sitemap_url) DO UPDATE SET planned = 1, plan_rank = excluded.plan_rank",
            [(url, last_rank + 1 + offset, source_id) for offset, url in enumerate(new)],
        )


def sitemaps_to_read(store: Store, source_id: int) -> list[str]:
    """The children of the source's index planned and not read since its last fetch, in their order."""
    rows = store.conn.execute("SELECT sitemap_url FROM source_sitemaps WHERE source_id = ? AND plan_rank IS NOT NULL"
                              " ORDER BY plan_rank", (source_id,))
    return [url for (url,) in rows]


def last_sitemap_read_at(store: Store, source_id: int) -> str | None:
    """When a child sitemap of the source's index was last read (None: never)."""
    return store.conn.execute("SELECT max(read_at) FROM source_sitemaps WHERE source_id = ?",
                              (source_id,)).fetchone()[0]


def add_items(store: Store, source_id: int, items: list[tuple[str, dict[str, str]]], *,
              sitemaps_read: dict[str, str] | None = None) -> int:
    """Record the listed (url, hints) a source had not listed before, in the order they are to be
    fetched (a listing's newest first); how many were new (none once the source was removed, as
    `sources remove` may do while its listing is being fetched). `sitemaps_read`: the children of
    its index that listed them (url -> when each was read), marked read in the same transaction, so
    a run killed between the two neither loses their items nor reads them twice."""
    now = now_iso()
    with store.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO source_items (source_id, item_url, seen_at, hints, listed_rank)"
            " SELECT id, ?, ?, ?, ? FROM sources WHERE id = ?",
            [(url, now, json.dumps(hints, ensure_ascii=False), rank, source_id)
             for rank, (url, hints) in enumerate(items)],
        )
        added = conn.total_changes - before
        conn.executemany(
            "INSERT INTO source_sitemaps (source_id, sitemap_url, read_at) SELECT id, ?, ? FROM sources WHERE id = ?"
            " ON CONFLICT (source_id, sitemap_url) DO UPDATE SET read_at = excluded.read_at, plan_rank = NULL",
            [(url, read_at, source_id) for url, read_at in (sitemaps_read or {}).items()],
        )
        return added


def waiting_items(store: Store, source_id: int) -> int:
    """How many of the source's listed items are still to fetch (Source.items_waiting, for one source)."""
    return store.conn.execute(f"SELECT count(*) FROM source_items i WHERE i.source_id = ? AND {_WAITING}",
                              (source_id,)).fetchone()[0]


def pending_items(store: Store, source_id: int, limit: int) -> list[tuple[str, dict[str, str]]]:
    """Listed items not fetched yet (or whose fetches failed, to try again), the newest first: those
    of the latest listing that named new ones first, in that listing's order, then the earlier ones'."""
    rows = store.conn.execute(
        "SELECT item_url, hints FROM source_items WHERE source_id = ? AND outcome IS NULL"
        " ORDER BY seen_at DESC, listed_rank, item_url LIMIT ?",
        (source_id, limit),
    )
    return [(row["item_url"], json.loads(row["hints"])) for row in rows]


def item_page(store: Store, url: str) -> str | None:
    """The page stored for `url` when some source (another one, listing the same article) fetched it."""
    row = store.conn.execute(
        f"SELECT page_id FROM source_items WHERE item_url = ? AND outcome IN ('{STORED}', '{DUPLICATE}')"
        " AND page_id IS NOT NULL LIMIT 1",
        (url,),
    ).fetchone()
    return row["page_id"] if row else None


def finish_item(store: Store, source_id: int, url: str, outcome: str, page_id: str | None = None) -> None:
    store.conn.execute(
        "UPDATE source_items SET outcome = ?, page_id = ? WHERE source_id = ? AND item_url = ?",
        (outcome, page_id, source_id, url),
    )


def fail_item(store: Store, source_id: int, url: str, *, give_up_after: int) -> bool:
    """Count a failed fetch of an item; after `give_up_after` of them it is rejected. Whether it was."""
    store.conn.execute(
        "UPDATE source_items SET attempts = attempts + 1,"
        f" outcome = CASE WHEN attempts + 1 >= ? THEN '{REJECTED}' ELSE outcome END"
        " WHERE source_id = ? AND item_url = ?",
        (give_up_after, source_id, url),
    )
    row = store.conn.execute(
        "SELECT outcome FROM source_items WHERE source_id = ? AND item_url = ?", (source_id, url)
    ).fetchone()
    return row is not None and row["outcome"] == REJECTED


def reopen_refused_items(store: Store) -> None:
    """Make the items given up because the settings refused their address to fetch again, their
    sources due at once (as a source refused for its address is): a run that allows private
    addresses does this."""
    with store.transaction() as conn:
        conn.execute("UPDATE sources SET next_due_at = min(next_due_at, ?) WHERE id IN"
                     f" (SELECT source_id FROM source_items WHERE outcome = '{REFUSED}')", (now_iso(),))
        conn.execute(f"UPDATE source_items SET outcome = NULL WHERE outcome = '{REFUSED}'")


def change_host_turn(store: Store, host: str,
                     change: Callable[[tuple[float, float] | None], tuple[float, float] | None], *, now: float) -> None:
    """Replace the host's last request booked by any run, (its moment, in seconds since the epoch;
    the pace in seconds the next request to it keeps after it) or None, by change(it), unless that
    is None, in one write transaction: two runs collecting at once book a host's turns one after the
    other, each seeing the other's, and a run killed outright (SIGKILL) has lost none of its own.
    Hosts whose next turn has come by `now` are forgotten: they bind no run any more, and without
    pruning the table would keep every host ever asked."""
    with store.transaction() as conn:
        row = conn.execute("SELECT requested_at, pace FROM host_requests WHERE host = ?", (host,)).fetchone()
        changed = change((row["requested_at"], row["pace"]) if row else None)
        if changed is None:
            return
        conn.execute("DELETE FROM host_requests WHERE requested_at + pace < ? AND host != ?", (now, host))
        conn.execute("INSERT INTO host_requests (host, requested_at, pace) VALUES (?, ?, ?) ON CONFLICT (host)"
                     " DO UPDATE SET requested_at = excluded.requested_at, pace = excluded.pace", (host, *changed))
