"""What the search page's views cost at scale: facets over a search's 500 candidates, its volume over
time, and wire-copy folding, on the generated articles of bench/search.py.

    .venv/bin/python bench/views.py [--articles 100000] [--db /tmp/presswatch-bench-views.db] [--reuse]

The generated store holds one statement per article and no entities, narratives or near-duplicate
links, so the entity and narrative facets and the folding find nothing to count: what is timed for
them is the cost of looking. Times are (wall, CPU) milliseconds; on this machine's shared cores the
CPU time is what a view costs on an idle one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from search import WORD_QUERIES, build, percentiles

from presswatch.query import result_facets, volume, wire_groups
from presswatch.store import Store
from presswatch.store.search import SearchFilters, search

CANDIDATES = 500  # as the search page (presswatch.web.routes.CANDIDATES)


def _timed(work, rounds: int) -> list[tuple[float, float]]:
    times = []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return times


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
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
