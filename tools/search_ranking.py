"""How well search ranks articles by meaning and hybrid: MRR and recall@5 over labelled queries.

    .venv/bin/python tools/search_ranking.py [tests/data/search_queries.jsonl]

The queries (`tests/data/search_queries.jsonl`) are invented, as a reader of the bundled examples
and of `tests/data/analyst` would type them, each with the headlines of the articles that should
come first (every article of that headline counts: copies, a page and its text dump). The pages
are ingested into a throwaway store, embedded as `presswatch index` embeds them, and each query is
searched for articles by meaning and hybrid, twice: with the articles' headline vectors, and with
only their openings (a store indexed before headlines had vectors, as search ranked before them).

MRR: the mean over queries of 1 / the rank of the first article that should come first (0 when
none is found); recall@5: the share of those articles among the first five (of at most five).
The floor line counts the (query, article) pairs at or above MEANING_FLOOR, related and not: what
the headlines change in what the floor lets through. Needs the semantic extra; about a minute.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from presswatch.engine.corpus import index_vectors
from presswatch.engine.local import ingest
from presswatch.store import Store
from presswatch.store.search import MEANING_FLOOR, search
from presswatch.store.vectors import ARTICLE, TITLE, similarities

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "search_queries.jsonl"
PAGES = [ROOT / "examples", ROOT / "tests" / "data" / "analyst"]
DEPTH = 50


def ranking(store: Store, queries: list[dict], mode: str) -> tuple[float, float]:
    """(MRR, recall@5) of `mode`'s article ranking over the queries."""
    titles = dict(store.conn.execute("SELECT id, title FROM articles").fetchall())
    reciprocal, recall = [], []
    for query in queries:
        wanted = {item for item, title in titles.items() if title in query["relevant"]}
        if not wanted:
            raise SystemExit(f"no stored article has a headline of {query['relevant']} ({query['query']!r})")
        ranked = [h.id for h in search(store, query["query"], mode=mode, kinds=[ARTICLE], limit=DEPTH).hits]
        first = next((rank for rank, item in enumerate(ranked, 1) if item in wanted), None)
        reciprocal.append(1 / first if first else 0.0)
        recall.append(len(wanted & set(ranked[:5])) / min(len(wanted), 5))
    return float(np.mean(reciprocal)), float(np.mean(recall))


def pairs_above_floor(store: Store, queries: list[dict]) -> tuple[int, int, int, int]:
    """(related at or above the floor, related, unrelated at or above it, unrelated) over (query, article)."""
    from presswatch.semantic import embed_texts

    titles = dict(store.conn.execute("SELECT id, title FROM articles").fetchall())
    counts = np.zeros(4, dtype=int)
    for query, vector in zip(queries, embed_texts([q["query"] for q in queries])):
        matrix, scores = similarities(store, ARTICLE, vector)
        related = np.array([titles[item] in query["relevant"] for item in matrix.ids])
        above = scores >= MEANING_FLOOR
        counts += [int((above & related).sum()), int(related.sum()), int((above & ~related).sum()), int((~related).sum())]
    return tuple(int(c) for c in counts)


def main(path: Path = DATA) -> None:
    queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "ranking.db") as store:
        report = ingest([str(p) for p in PAGES], store)
        if report.rejected:
            raise SystemExit(f"pages rejected: {report.rejected}")
        index_vectors(store)  # loads the model, so each kind is timed below without it
        embedded = {}
        for kind in (ARTICLE, TITLE):
            with store.transaction() as conn:
                conn.execute("DELETE FROM vectors WHERE kind = ?", (kind,))
            started = time.perf_counter()
            embedded[kind] = (index_vectors(store), time.perf_counter() - started)
        articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        print(f"{len(queries)} queries over {articles} articles; embedding: " + ", ".join(
            f"{kind} {count} in {seconds:.2f} s" for kind, (count, seconds) in embedded.items()))
        print("vectors          meaning MRR  R@5 | hybrid MRR  R@5 | pairs >= floor: related, unrelated")
        for name in ("opening and headline", "opening alone"):
            if name == "opening alone":
                with store.transaction() as conn:
                    conn.execute("DELETE FROM vectors WHERE kind = ?", (TITLE,))
            meaning, hybrid = ranking(store, queries, "meaning"), ranking(store, queries, "hybrid")
            related, all_related, unrelated, all_unrelated = pairs_above_floor(store, queries)
            print(f"{name:20} {meaning[0]:.3f} {meaning[1]:.3f} | {hybrid[0]:.3f} {hybrid[1]:.3f} | "
                  f"{related}/{all_related}, {unrelated}/{all_unrelated}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
