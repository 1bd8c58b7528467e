"""Document frequencies kept as things are clustered, per kind ('claims', 'stories'), so an update
weighs its new items' terms by everything clustered before without reading it again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from presswatch.store.database import Store, in_list_parts

CLAIMS = "claims"
STORIES = "stories"


def kind_documents(store: Store, kind: str) -> int:
    """How many items of a kind were counted."""
    return store.conn.execute("SELECT documents FROM kind_documents WHERE kind = ?", (kind,)).fetchone()[0]


def term_documents(store: Store, kind: str, terms: Iterable[tuple[str, str]]) -> tuple[int, dict[tuple[str, str], int]]:
    """How many items of a kind were counted, and how many of them hold each (channel, term)."""
    total = kind_documents(store, kind)
    found: dict[tuple[str, str], int] = {}
    by_channel: dict[str, list[str]] = {}
    for channel, term in set(terms):
        by_channel.setdefault(channel, []).append(term)
    for channel, words in by_channel.items():
        for part in in_list_parts(sorted(words)):
            for term, documents in store.conn.execute(
                f"SELECT term, documents FROM term_documents WHERE kind = ? AND channel = ? AND term IN"
                f" ({','.join('?' * len(part))})",
                (kind, channel, *part),
            ):
                found[(channel, term)] = documents
    return total, found


def add_term_documents(conn: sqlite3.Connection, kind: str, counts: Mapping[tuple[str, str], int], documents: int) -> None:
    """Count `documents` more items of a kind, holding the terms `counts` says (inside the caller's transaction)."""
    conn.executemany(
        "INSERT INTO term_documents (kind, channel, term, documents) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (kind, channel, term) DO UPDATE SET documents = documents + excluded.documents",
        [(kind, channel, term, n) for (channel, term), n in counts.items()],
    )
    conn.execute("UPDATE kind_documents SET documents = documents + ? WHERE kind = ?", (documents, kind))


def forget_term_documents(conn: sqlite3.Connection, kind: str) -> None:
    conn.execute("DELETE FROM term_documents WHERE kind = ?", (kind,))
    conn.execute("UPDATE kind_documents SET documents = 0 WHERE kind = ?", (kind,))
