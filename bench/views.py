"""What the search page's views cost at scale: facets over a search's 500 candidates, its volume over
time, and wire-copy folding, on the generated articles of bench/search.py.

    .venv/bin/python bench/views.py [--articles 100000] [--db /tmp/presswatch-bench-views.db] [--reuse]

The generated store holds one statement per article and no entities, narratives or near-duplicate
links, so the entity and narrative facets and the folding find nothing to count: what is timed for
them is the cost of looking. Times are (wall, CPU) milliseconds; on this machine's shared cores the
CPU time is what a view costs on an idle one.

With the semantic extra and the store's vectors (bench/search.py's store: `--db
/tmp/presswatch-bench-search.db --reuse`), the views of a search by meaning and a hybrid one (the
web's default) are timed too, against the page's own search (50 articles) in the same rounds:
`volume_meaning_over_search` and `facets_meaning_over_search` (and `_hybrid_`) are ratios of CPU
medians. On bench/search.py's store of 2,000 articles with its vectors (2026-12-07, load 7-9,
`--repeat 2`), before hits were ranked without snippets (main 96c1ecf) and after: volume over a
meaning search 0.81 -> 0.39 of the search, facets 0.79 -> 0.53; hybrid volume 3.24 -> 1.54, facets
2.68 -> 1.47. Not yet run at 100k (MEASUREMENTS.md, "Pages at 100k articles").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from search import TOPIC_QUERIES, WORD_QUERIES, build, percentiles

from presswatch.query import result_facets, search_facets, volume, wire_groups
from presswatch.semantic import semantic_available
from presswatch.store import Store
from presswatch.store.search import SearchFilters, search
from presswatch.store.vectors import has_vectors
from presswatch.web.routes import RESULTS_SHOWN

CANDIDATES = 500  # as the search page (presswatch.web.routes.CANDIDATES)


def _timed(work, rounds: int) -> list[tuple[float, float]]:
    times = []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return times


def _meaning_views(store: Store, repeat: int) -> dict:
    """The search page's views of a search by meaning and a hybrid one (volume over every match, up
    to SEARCH_COUNT_LIMIT; facets over the first 500), beside the page's own search of 50 articles:
    each query runs the three in turn, with a round number so its embedding is computed afresh."""
    found: dict = {}
    for mode in ("meaning", "hybrid"):
        timings: dict[str, list] = {"search": [], "volume": [], "facets": []}
        for n in range(repeat):
            for query in TOPIC_QUERIES.values():
                query = f"{query} v{n}"
                timings["search"] += _timed(
                    lambda: search(store, query, mode=mode, kinds=("article",), limit=RESULTS_SHOWN), 1)
                timings["volume"] += _timed(lambda: volume(store, kind="article", query=query, mode=mode), 1)
                timings["facets"] += _timed(lambda: search_facets(store, query, kind="article", mode=mode), 1)
        for step, times in timings.items():
            found[f"{step}_{mode}"] = percentiles(times)
        for step in ("volume", "facets"):
            found[f"{step}_{mode}_over_search"] = round(
                found[f"{step}_{mode}"]["cpu_p50_ms"] / max(found[f"search_{mode}"]["cpu_p50_ms"], 0.1), 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/presswatch-bench-views.db"))
    parser.add_argument("--reuse", action="store_true", help="Use the database a previous run built.")
    parser.add_argument("--repeat", type=int, default=3, help="Rounds over the query set.")
    args = parser.parse_args()
    results: dict = {"articles": args.articles, "load_average_before": os.getloadavg()[0]}
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        build(args.db, args.articles)
    filtered = SearchFilters(outlet="Outlet 3", since="2022-01-01", until="2023-06-30")
    with Store(args.db) as store:
        timings: dict[str, list] = {"facets_articles": [], "facets_statements": [], "volume_text": [],
                                    "volume_text_filtered": [], "wire_groups": []}
        matches = {}
        for query in WORD_QUERIES:
            articles = [h.id for h in search(store, query, mode="text", kinds=("article",), limit=CANDIDATES).hits]
            statements = [h.id for h in search(store, query, mode="text", kinds=("statement",), limit=CANDIDATES).hits]
            timings["facets_articles"] += _timed(lambda ids=articles: result_facets(store, "article", ids), args.repeat)
            timings["facets_statements"] += _timed(lambda ids=statements: result_facets(store, "statement", ids), args.repeat)
            timings["wire_groups"] += _timed(lambda ids=articles: wire_groups(store, ids), args.repeat)
            timings["volume_text"] += _timed(
                lambda q=query: volume(store, kind="article", query=q, mode="text"), args.repeat)
            timings["volume_text_filtered"] += _timed(
                lambda q=query: volume(store, kind="article", query=q, mode="text", filters=filtered), args.repeat)
            found = volume(store, kind="article", query=query, mode="text")
            matches[query] = {"counted": found.total, "capped": found.capped}
        results.update({name: percentiles(times) for name, times in timings.items()})
        results["volume_text_matches"] = matches
        for kind in ("article", "statement"):
            results[f"volume_all_{kind}s"] = percentiles(_timed(lambda k=kind: volume(store, kind=k), args.repeat))
            results[f"volume_filtered_{kind}s"] = percentiles(
                _timed(lambda k=kind: volume(store, kind=k, filters=filtered), args.repeat))
        if semantic_available() and has_vectors(store):
            results.update(_meaning_views(store, args.repeat))
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
