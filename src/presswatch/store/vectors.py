"""Sentence vectors of articles and statements, for search by meaning.

sqlite-vec would search inside SQLite, but the Python here is built without `enable_load_extension`,
so a vector is a float32 BLOB in the `vectors` table and a query is one matrix product in numpy over
all of a kind's vectors, cached per process: 100k vectors of 384 floats are 150 MB and the product
takes milliseconds. Triggers drop a vector with the article or statement it encodes, so a
re-analysed article's statements are embedded again by the engine's next `index_vectors`.

An article has two vectors: its opening (headline and first ARTICLE_CHARS characters) and its headline
alone (kind TITLE), and its similarity to a query is the higher of the two. A short wire story that
leads on one event and goes on to another reads as neither in its opening's vector: on the examples,
"rescue centre" met the agency's copies at 0.236 and 0.228, below MEANING_FLOOR, while their headlines
alone score 0.327 and 0.304. Over `tests/data/search_queries.jsonl` (31 invented queries over the
examples and `tests/data/analyst`, `tools/search_ranking.py`) the headline lifts meaning search's MRR
from 0.919 to 0.946 and recall@5 from 0.886 to 0.918 (hybrid 0.952 to 0.978, 0.918 to 0.957); the
body cut into pieces of about 500 characters as well, three more vectors an article there, gained
less in hybrid (MRR 0.958) for the cost (MEASUREMENTS.md, "Search by meaning: an article's headline").
A store whose articles have no headline vectors yet (indexed before them) ranks by the opening alone
until `presswatch index` (or the next `analyse`) embeds the headlines.
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
KINDS = (ARTICLE, STATEMENT)  # what search looks for
TITLE = "title"  # an article's headline alone: not a kind searched, a second vector of an article
EMBEDDED = (ARTICLE, TITLE, STATEMENT)  # the kinds of vector stored
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
        TITLE: (
            "SELECT a.id, substr(a.title, 1, ?) FROM articles a WHERE a.title <> ''"
            " AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.kind = 'title' AND v.item_id = a.id)"
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
    # Articles: each one's headline vector, aligned with rows (zeros where it has none yet); None
    # where no item of the kind has one (statements, a store indexed before headlines were).
    titles: np.ndarray | None = None
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
            ids, matrix = _stored(store, kind)
            positions = {item_id: i for i, item_id in enumerate(ids)}
            cached = VectorMatrix(stamp, np.array(ids, dtype=object), matrix, positions,
                                  _aligned(store, TITLE, positions, matrix.shape) if kind == ARTICLE else None)
            _matrices[key] = cached
    return cached


def _stored(store: Store, kind: str) -> tuple[list[str], np.ndarray]:
    """The ids and vectors (one row each) of a kind's stored vectors, in the order they were stored."""
    rows = store.conn.execute("SELECT item_id, vector FROM vectors WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
    return [r[0] for r in rows], matrix.reshape(len(rows), -1) if rows else np.zeros((0, 0), np.float32)


def _aligned(store: Store, kind: str, positions: dict[str, int], shape: tuple[int, int]) -> np.ndarray | None:
    """A kind's vectors put in the rows `positions` gives their ids (zeros for an id without one,
    an id not there left out); None when none is stored. Each is copied into its row as it is read:
    joined first, as `_stored` does, bench/search.py's 100k headlines (154 MB) raised a searching
    process's peak memory by 450 MB; so, by 136 MB."""
    aligned = None
    for item_id, vector in store.conn.execute("SELECT item_id, vector FROM vectors WHERE kind = ?", (kind,)):
        row = positions.get(item_id)
        if row is None:
            continue
        if aligned is None:
            aligned = np.zeros(shape, np.float32)
        if len(vector) != 4 * shape[1]:
            raise _dimensions_differ(shape[1], f"the headlines' have {len(vector) // 4}")
        aligned[row] = np.frombuffer(vector, dtype=np.float32)
    return aligned


def similarities(store: Store, kind: str, query: np.ndarray) -> tuple[VectorMatrix, np.ndarray]:
    """The kind's vectors and the cosine similarity of each to a unit-length query vector (an
    article's: the higher of its opening's and its headline's)."""
    matrix = vector_matrix(store, kind)
    if not len(matrix.ids):
        return matrix, np.zeros(0, np.float32)
    if matrix.rows.shape[1] != query.shape[0]:
        raise _dimensions_differ(matrix.rows.shape[1], f"the model gives {query.shape[0]}")
    key = query.tobytes()
    with _matrices_lock:
        found = matrix.similarities.get(key)
    if found is None:
        found = matrix.rows @ query
        if matrix.titles is not None:  # an article is as near as the nearer of its opening and its headline
            np.maximum(found, matrix.titles @ query, out=found)
        found.setflags(write=False)
        with _matrices_lock:
            while len(matrix.similarities) >= SIMILARITIES_KEPT:
                del matrix.similarities[next(iter(matrix.similarities))]
            matrix.similarities[key] = found
    return matrix, found


def _dimensions_differ(stored: int, other: str) -> QueryError:
    """Vectors of two models met (the model changed between two `presswatch index` runs)."""
    return QueryError(f"the stored vectors have {stored} dimensions but {other};"
                      " delete the vectors (DELETE FROM vectors) and run `presswatch index` again")
