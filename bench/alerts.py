"""Watchlist costs on generated articles: recording arrivals, a watch's new items, its feed, the overview.

    .venv/bin/python bench/alerts.py [--articles 100000] [--new 1000] [--db /tmp/presswatch-bench-alerts.db] [--reuse]

The archive is bench/search.py's (`build`: invented topics, one statement an article); every row
goes through the arrival triggers as ingest's would. Then watches are saved (the words queries of
bench/search.py, one filtered by outlet, one that matches almost nothing), `--new` articles arrive
(copies of random ones under new ids, each with its statement), and for each watch are timed: its
new items (`watch_alerts`, the search over the arrivals after its mark), its feed's latest 50
matches by arrival (`feed_items`, which walks back through the archive for a rare watch), and the
overview of every watch. Arrival cost: the same batch of new articles stored with the triggers and,
on a copy, without them. Times are wall and CPU milliseconds (CPU is what counts on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import (  # bench/search.py's archive and summary
    WORD_QUERIES,
    build,
    percentiles,
)

from presswatch.query.watchlists import feed_items, watch_alerts, watchlist_overview
from presswatch.store import Store
from presswatch.store.search import SearchFilters
from presswatch.store.watchlists import add_watch

RARE_QUERY = "kalovenus"  # an invented word in no topic: the feed walks the whole archive back


def arrive(store: Store, count: int, tag: str, seed: int) -> tuple[float, float]:
    """Store `count` copies of random articles (and their statements) under new ids; (wall, CPU) s."""
    total = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    picks = np.random.default_rng(seed).choice(total, size=count, replace=False)
    wall, cpu = time.perf_counter(), time.process_time()
    with store.transaction() as conn:
        for n, rowid in enumerate(picks.tolist(), start=1):
            new = f"{tag}{n:015d}"
            conn.execute("INSERT INTO pages (id, source, kind, ingested_at, content, article_id)"
                         " VALUES (?, ?, 'text', '2026-01-01', '', ?)", (new, f"new/{new}", new))
            conn.execute(
                "INSERT INTO articles (id, page_id, url, title, body, paragraphs, outlet, published, author,"
                " credited_source, language, language_flag, body_hash) SELECT ?, ?, url, title, body, paragraphs,"
                " outlet, published, author, credited_source, language, language_flag, ? FROM articles WHERE rowid = ?",
                (new, new, new, rowid + 1))
            conn.execute(
                "INSERT INTO statements (id, article_id, speaker, speaker_name, speaker_role, speaker_kind, cue, content,"
                " mode, cue_start, cue_end, speaker_start, speaker_end, content_spans, venue, addressee, date, confidence)"
                " SELECT ? || ':0-4', ?, speaker, speaker_name, speaker_role, speaker_kind, cue, content, mode, cue_start,"
                " cue_end, speaker_start, speaker_end, content_spans, venue, addressee, date, confidence FROM statements"
                " WHERE article_id = (SELECT id FROM articles WHERE rowid = ?)", (new, new, rowid + 1))
    return time.perf_counter() - wall, time.process_time() - cpu


def timed(calls, repeat: int) -> dict:
    """p50/p95 (wall and CPU ms) of each call, `repeat` times over."""
    times = []
    for _ in range(repeat):
        for call in calls:
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return percentiles(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/presswatch-bench-alerts.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Use the archive a previous run built.")
    args = parser.parse_args()
    results: dict = {"articles": args.articles, "new": args.new, "load_average_before": os.getloadavg()[0]}
    archive = args.db.with_suffix(".archive.db")
    if not args.reuse or not archive.exists():
        archive.unlink(missing_ok=True)
        started = time.perf_counter()
        build(archive, args.articles)
        results["build_s"] = round(time.perf_counter() - started, 1)
    shutil.copy(archive, args.db)

    # Arrival cost: one batch stored with the triggers, the same size on a copy without them.
    bare = args.db.with_suffix(".bare.db")
    shutil.copy(archive, bare)
    with Store(bare) as store:
        store.conn.execute("DROP TRIGGER articles_arrival")
        store.conn.execute("DROP TRIGGER statements_arrival")
        without = arrive(store, args.new, "b", seed=3)
    bare.unlink()

    with Store(args.db) as store:
        watches = [f"w{n}" for n in range(len(WORD_QUERIES))]
        for name, query in zip(watches, WORD_QUERIES):
            add_watch(store, name, query, mode="text")
        add_watch(store, "outlet", "harbour", mode="text", filters=SearchFilters(outlet="Outlet 0"))
        add_watch(store, "rare", RARE_QUERY, mode="text")
        watches += ["outlet", "rare"]
        with_triggers = arrive(store, args.new, "n", seed=3)
        results["store_new_articles"] = {
            "with_arrivals_cpu_s": round(with_triggers[1], 3), "without_arrivals_cpu_s": round(without[1], 3),
            "with_arrivals_wall_s": round(with_triggers[0], 3), "without_arrivals_wall_s": round(without[0], 3)}
        results["new_items"] = {name: len(watch_alerts(store, name, limit=200).items) for name in watches}
        results["alerts"] = timed([lambda n=n: watch_alerts(store, n) for n in watches], args.repeat)
        results["feed"] = timed([lambda n=n: feed_items(store, n) for n in watches[:-1]], args.repeat)
        results["feed_rare"] = timed([lambda: feed_items(store, "rare")], args.repeat)
        results["overview_all_watches"] = timed([lambda: watchlist_overview(store)], args.repeat)
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
