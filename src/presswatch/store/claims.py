"""The narratives' clustering state in the store: claims, clusters, postings, term frequencies.

Written by the engine (engine/narratives.py) in one transaction per update, so the state and the
narratives made from it never disagree; read a neighbourhood at a time (the clusters a new claim's
terms propose), so an update costs what is new, not what is stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from presswatch.records import Statement
from presswatch.store.database import Store, dense_blob, dense_from_blob, in_list_parts
from presswatch.store.frequencies import CLAIMS, add_term_documents, forget_term_documents
from presswatch.store.statements import STATEMENT_COLUMNS, statement_from_row

Bag = Mapping[str, float]


@dataclass(frozen=True)
class StoredCluster:
    id: str
    members: tuple[str, ...]  # statement ids, oldest first (of a large one read back, some: see `clusters`)
    sums: dict[str, dict[str, float]]
    dense: np.ndarray | None
    size: int  # how many members it has
    weighed_at: int  # how many claims the store had counted when its oldest weights were taken


@dataclass(frozen=True)
class StoredClaim:
    statement_id: str
    vector: dict[str, dict[str, float]]
    dense: np.ndarray | None
    signals: int | None = None  # the statement's stance signals as bits (stories/stance.Signals)


def unclustered_statements(store: Store, limit: int) -> list[Statement]:
    """Up to `limit` statements whose claim is in no cluster yet, in the order they are clustered:
    by date, then article and id, so the result does not depend on when they arrived.

    CROSS JOIN keeps the (short) queue outermost: with a plain JOIN SQLite walked every statement
    by id to find the queued ones (100 ms of CPU an update on bench/update.py's 100k store)."""
    rows = store.conn.execute(
        f"SELECT {', '.join('s.' + c.strip() for c in STATEMENT_COLUMNS.split(','))} FROM unclustered_statements u"
        " CROSS JOIN statements s ON s.id = u.statement_id"
        " ORDER BY s.date IS NULL, s.date, s.article_id, s.id LIMIT ?",
        (limit,),
    )
    return [statement_from_row(r) for r in rows]


def postings(
    store: Store, channel: str, terms: Sequence[str], per_term: int, common: int | None = None
) -> list[tuple[str, str, float, int]]:
    """(term, cluster id, summed weight, cluster size) for the clusters holding each term, at most
    `per_term` a term, heaviest first: a common term's long list is cut, its weight is small anyway.
    With `common`, a term held by more clusters than that gives none (ClusterParams.common_clusters).

    The lists are read off the postings' key alone and the sizes of the clusters kept are
    read after, once each: joining every row to its cluster cost 3/4 of the time on bench/archive.py's
    45k-article store, where most terms are common and their rows are dropped."""
    read = per_term if common is None else min(per_term, common + 1)
    lists = []
    for term in terms:
        rows = store.conn.execute(
            "SELECT cluster_id, weight FROM claim_postings"  # in key order (schema migration 20)
            " WHERE channel = ? AND term = ? ORDER BY weight DESC, cluster_id LIMIT ?",
            (channel, term, read),
        ).fetchall()
        if common is None or len(rows) <= common:
            lists.append((term, rows))
    sizes: dict[str, int] = {}
    for part in in_list_parts(sorted({cluster_id for _, rows in lists for cluster_id, _ in rows})):
        # the size from the index: the cluster's row holds its term sums (schema migration 15)
        sizes.update(store.conn.execute(
            f"SELECT id, size FROM claim_clusters INDEXED BY claim_clusters_size WHERE id IN ({','.join('?' * len(part))})",
            part,
        ).fetchall())
    return [(term, cluster_id, weight, sizes[cluster_id]) for term, rows in lists for cluster_id, weight in rows]


def clusters(store: Store, ids: Iterable[str], *, whole_below: int | None = None, latest: int = 0) -> list[StoredCluster]:
    """The stored clusters `ids` with their members, oldest first; a cluster of `whole_below`
    members or more with its first member and its `latest` ones only (its size counts them all),
    so that bringing back a long-running narrative does not read every statement it ever held."""
    found = []
    for part in in_list_parts(sorted(set(ids))):
        marks = ",".join("?" * len(part))
        rows = store.conn.execute(
            f"SELECT id, size, sums, dense, weighed_at FROM claim_clusters WHERE id IN ({marks})", part).fetchall()
        large = {cluster_id: size for cluster_id, size, *_ in rows if whole_below is not None and size >= whole_below}
        members: dict[str, list[str]] = {}
        whole = [cluster_id for cluster_id, *_ in rows if cluster_id not in large]
        for cluster_id, statement_id in store.conn.execute(
            f"SELECT cluster_id, statement_id FROM claim_members WHERE cluster_id IN ({','.join('?' * len(whole))})"
            " ORDER BY rowid", whole
        ) if whole else ():
            members.setdefault(cluster_id, []).append(statement_id)
        for cluster_id, size in large.items():
            members[cluster_id] = [*member_ids(store, cluster_id, first=1),
                                   *member_ids(store, cluster_id, last=min(latest, size - 1))]
        for cluster_id, size, sums, dense, weighed_at in rows:
            found.append(StoredCluster(cluster_id, tuple(members.get(cluster_id, ())), json.loads(sums), dense_from_blob(dense),
                                       size, weighed_at))
    return found


def taken_cluster_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of `ids` name a stored cluster."""
    found: set[str] = set()
    for part in in_list_parts(sorted(set(ids))):
        found.update(r[0] for r in store.conn.execute(
            f"SELECT id FROM claim_clusters WHERE id IN ({','.join('?' * len(part))})", part))
    return found


def member_ids(store: Store, cluster_id: str, *, first: int | None = None, last: int | None = None) -> list[str]:
    """The ids of a stored cluster's members, oldest first: all, its `first` ones or its `last` ones."""
    if last is not None:
        return [r[0] for r in store.conn.execute(
            "SELECT statement_id FROM claim_members WHERE cluster_id = ? ORDER BY rowid DESC LIMIT ?",
            (cluster_id, last))][::-1]
    return [r[0] for r in store.conn.execute(
        "SELECT statement_id FROM claim_members WHERE cluster_id = ? ORDER BY rowid LIMIT ?",
        (cluster_id, -1 if first is None else first))]


def claims(store: Store, statement_ids: Iterable[str]) -> list[StoredClaim]:
    found = []
    for part in in_list_parts(list(dict.fromkeys(statement_ids))):
        for statement_id, vector, dense, signals in store.conn.execute(
            f"SELECT statement_id, vector, dense, signals FROM claim_members WHERE statement_id IN ({','.join('?' * len(part))})",
            part,
        ):
            found.append(StoredClaim(statement_id, json.loads(vector), dense_from_blob(dense), signals))
    return found


def member_signals(store: Store, cluster_id: str, latest: int | None = None) -> list[tuple[str, int | None, str | None]]:
    """(statement id, stance signals as bits or None, the statement's date) of every member of a
    cluster (or of its `latest` ones), oldest first: a few bytes each."""
    rows = store.conn.execute(
        "SELECT m.statement_id, m.signals, s.date FROM claim_members m CROSS JOIN statements s ON s.id = m.statement_id"
        " WHERE m.cluster_id = ? ORDER BY m.rowid DESC LIMIT ?", (cluster_id, -1 if latest is None else latest))
    return [tuple(r) for r in rows][::-1]


def cluster_polarity(store: Store, cluster_id: str) -> list | None:
    """A cluster's polarity counts as kept by `keep_polarity`, or None (schema migration 18)."""
    row = store.conn.execute("SELECT polarity FROM claim_clusters WHERE id = ?", (cluster_id,)).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def keep_polarity(conn: sqlite3.Connection, cluster_id: str, counts: Sequence) -> None:
    """Keep a cluster's polarity counts (after `write_clusters` in the same transaction, which
    clears them for every cluster it writes)."""
    conn.execute("UPDATE claim_clusters SET polarity = ? WHERE id = ?", (json.dumps(list(counts)), cluster_id))


def keep_signals(conn: sqlite3.Connection, found: Mapping[str, int]) -> None:
    """Store stance signals derived for claims kept before they were stored (schema migration 16)."""
    conn.executemany("UPDATE claim_members SET signals = ? WHERE statement_id = ?", [(b, i) for i, b in found.items()])


def member_statements(store: Store, statement_ids: Sequence[str]) -> list[Statement]:
    found = []
    for part in in_list_parts(list(statement_ids)):
        found.extend(statement_from_row(r) for r in store.conn.execute(
            f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE id IN ({','.join('?' * len(part))})", part))
    return found


def narratives_holding(store: Store, statement_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in in_list_parts(list(statement_ids)):
        found.update(r[0] for r in store.conn.execute(
            f"SELECT DISTINCT narrative_id FROM narrative_evidence WHERE statement_id IN ({','.join('?' * len(part))})",
            part))
    return found


def write_clusters(
    conn: sqlite3.Connection,
    *,
    new_claims: Sequence[StoredClaim],
    cluster_of: Mapping[str, str],
    changed: Sequence[StoredCluster],
    gone: Mapping[str, str],
    stored_sums: Mapping[str, Mapping[str, Bag]],
    term_counts: Mapping[tuple[str, str], int],
    weighed_again: Sequence[StoredClaim] = (),
) -> None:
    """Write one update inside the caller's transaction: the new claims and where they sit, the
    stored claims `weighed_again` (clustered again: their vectors and where they sit now), the
    clusters that changed (sums anew, postings where a weight changed), the clusters merged away
    (`gone`: id -> the cluster that absorbed it) and the document frequencies of the new claims'
    terms. `stored_sums` holds the sums as stored of every changed or gone cluster that was stored:
    its postings are exactly those, so they are found by their key (schema migration 21)."""
    for old, new in gone.items():
        conn.execute("UPDATE claim_members SET cluster_id = ? WHERE cluster_id = ?", (new, old))
        conn.execute("DELETE FROM claim_clusters WHERE id = ?", (old,))
    conn.executemany(
        "INSERT OR REPLACE INTO claim_members (statement_id, cluster_id, vector, dense, signals) VALUES (?, ?, ?, ?, ?)",
        [(c.statement_id, cluster_of[c.statement_id], json.dumps(c.vector), dense_blob(c.dense), c.signals)
         for c in (*weighed_again, *new_claims)],  # the older first: a cluster's members are read back in this order
    )
    conn.executemany("DELETE FROM unclustered_statements WHERE statement_id = ?", [(c.statement_id,) for c in new_claims])
    _write_changed(conn, changed, gone, stored_sums)
    add_term_documents(conn, CLAIMS, term_counts, len(new_claims))


def _write_changed(conn: sqlite3.Connection, changed: Sequence[StoredCluster], gone: Iterable[str],
                   stored_sums: Mapping[str, Mapping[str, Bag]]) -> None:
    """The rows of the clusters that changed and their postings where a weight moved; the postings
    of the clusters `gone` (their rows are deleted by the caller)."""
    dropped, added = [], []
    for cluster_id in gone:
        dropped.extend(_postings_of(cluster_id, stored_sums[cluster_id]))
    for cluster in changed:
        conn.execute(
            # A replaced row's polarity counts are NULL: a growth that follows keeps them again.
            "INSERT OR REPLACE INTO claim_clusters (id, size, sums, dense, weighed_at) VALUES (?, ?, ?, ?, ?)",
            (cluster.id, cluster.size, json.dumps(cluster.sums), dense_blob(cluster.dense), cluster.weighed_at),
        )
        before = set(_postings_of(cluster.id, stored_sums.get(cluster.id, {})))
        after = set(_postings_of(cluster.id, cluster.sums))
        dropped.extend(before - after)  # a grown cluster rewrites the terms whose weight moved only
        added.extend(after - before)
    conn.executemany("DELETE FROM claim_postings WHERE channel = ? AND term = ? AND weight = ? AND cluster_id = ?", dropped)
    conn.executemany("INSERT INTO claim_postings (channel, term, weight, cluster_id) VALUES (?, ?, ?, ?)", added)


def clusters_holding(store: Store, statement_ids: Sequence[str]) -> dict[str, str]:
    """statement id -> the cluster its claim is in, for those clustered."""
    found: dict[str, str] = {}
    for part in in_list_parts(list(statement_ids)):
        found.update(store.conn.execute(
            f"SELECT statement_id, cluster_id FROM claim_members WHERE statement_id IN ({','.join('?' * len(part))})", part))
    return found


def drop_claims(conn: sqlite3.Connection, statement_ids: Sequence[str], *, changed: Sequence[StoredCluster],
                emptied: Sequence[str], stored_sums: Mapping[str, Mapping[str, Bag]]) -> None:
    """Take claims out of their clusters inside the caller's transaction (their statements went with
    their article's old text): the clusters that keep members as `changed` gives them (their sums
    less the claims'), those left empty (`emptied`) deleted with their postings."""
    conn.executemany("DELETE FROM claim_members WHERE statement_id = ?", [(i,) for i in statement_ids])
    conn.executemany("DELETE FROM claim_clusters WHERE id = ?", [(i,) for i in emptied])
    _write_changed(conn, changed, emptied, stored_sums)


def _postings_of(cluster_id: str, sums: Mapping[str, Bag]) -> list[tuple[str, str, float, str]]:
    return [(channel, term, weight, cluster_id) for channel, bag in sums.items() for term, weight in bag.items()]


def delete_claims(store: Store) -> None:
    """Drop the clustering state, so the next update clusters every statement afresh."""
    with store.transaction() as conn:
        for table in ("claim_members", "claim_clusters", "claim_postings"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT OR IGNORE INTO unclustered_statements SELECT id FROM statements")
        forget_term_documents(conn, CLAIMS)
