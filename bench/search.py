"""Search latency on generated articles: p50 and p95 for words (FTS5) and meaning (vectors) queries.

    .venv/bin/python bench/search.py [--articles 100000] [--db /tmp/presswatch-bench-search.db] [--reuse] [--tabs-only]

Articles are generated from a fictional vocabulary: each belongs to one of a few news topics
(readable English sentences with invented places and people), padded with invented words that
follow a Zipf law, and carries one statement. Words queries run `presswatch.store.search.search`
in text mode over articles and statements, fused, with snippets, as the API does: by relevance, by
date (newest first), filtered (an outlet and a date window), and as people type them (possessives,
hyphens, colons, question marks).

Vectors: embedding 100k articles with the sentence model would take hours on this machine's two
shared cores, so the model embeds each topic's text once (and a sample of real articles, to time
indexing), and every article and statement gets its topic's vector plus noise (an article's
headline, its topic headline's). A meaning query costs the same whatever the vectors hold (the model
embeds the query, then one product over all vectors: two over the articles', their openings' and
their headlines'), so its latency is measured as it is; its ranking is only as meaningful as the topics.
Without the semantic extra only words queries run.

`--tabs-only` times what the search faces count besides their page (`kind_tabs` below): the web
search page's kind tabs and /api/search's `totals_by_kind`. At 100k articles (2026-12-07, load 3.3-5.1,
`--reuse --tabs-only --repeat 5`), CPU p50/p95 ms: the tabs' count of statements beside the page's
article search, words 0.2/10 against 13/41 for the search, meaning 16-19/21-36 against 46-65/60-120, the
whole page 87-103/306-384 (words) and 626-697/956-1137 (meaning); /api/search counted both kinds again
after its search (words 2.2/13 beside 15/43, meaning 38/65 beside 49/68) until a search handed out
its per-kind totals (`listings.search_with_totals`): its whole answer went from 116/178 to 58/68 for
meaning. Figures and conditions in MEASUREMENTS.md ("Search totals across the faces").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from presswatch.store import Store
from presswatch.store.search import SearchFilters, search

SYLLABLES = ["ka", "lo", "ri", "ven", "sa", "tor", "mi", "dal", "ne", "us", "bra", "ol", "fen", "ti", "gar", "quo"]

# Each topic: a headline and sentences with slots for an invented place and person.
TOPICS = {
    "storm": ("Storm closes the port of {place}", [
        "A storm closed the port of {place} on Monday and kept the fishing fleet in harbour.",
        "Waves damaged the breakwater near {place}, and engineers will inspect it this week.",
        "{person} said the harbour would reopen once the wind dropped.",
        "Ferries to the islands were cancelled for a second day."]),
    "election": ("{person} leads as {place} votes for a new council", [
        "Voters in {place} chose a new council on Sunday after a short campaign.",
        "{person} of the harbour party was ahead with most ballots counted.",
        "Turnout was lower than at the last election, the electoral office said.",
        "The count will be completed by Tuesday morning."]),
    "budget": ("{place} council approves budget after long debate", [
        "The council of {place} approved next year's budget after a debate that lasted into the night.",
        "{person} said spending on schools would rise while road repairs would wait.",
        "Opposition members voted against the plan, calling it a budget of promises.",
        "Taxes on harbour businesses will stay as they are."]),
    "strike": ("Ferry crews strike over pay in {place}", [
        "Ferry crews in {place} walked out on Friday in a dispute over pay and rosters.",
        "{person}, who speaks for the crews' union, said the strike would last until an offer was made.",
        "Passengers were moved to buses, and queues formed at the terminal.",
        "The ferry company said it regretted the disruption."]),
    "cable": ("Ministers back power cable to {place}", [
        "Ministers agreed to build an undersea power cable linking {place} to the mainland grid.",
        "{person} said the cable would end the island's dependence on diesel generators.",
        "Work on the cable is due to start next spring and take three years.",
        "Environmental groups asked for a study of the seabed first."]),
    "football": ("{place} Rovers win the derby late", [
        "{place} Rovers won the derby with a goal in the last minute on Saturday.",
        "{person} scored the winner after coming on as a substitute.",
        "The result lifts the club to third place in the league.",
        "Fans celebrated in the streets around the stadium until late."]),
    "museum": ("New maritime museum opens in {place}", [
        "A maritime museum opened in an old net loft in {place} this weekend.",
        "{person}, the curator, said the collection tells the story of the herring fleet.",
        "Retired fishermen gave the museum boats, nets and photographs.",
        "Entry will be free for the first month."]),
    "drills": ("Naval drills near {place} draw protest", [
        "Warships held two days of exercises in international waters west of {place}.",
        "{person} called the drills a provocation and summoned the envoy.",
        "The alliance said the exercises had been planned for more than a year.",
        "Fishing boats were asked to keep clear of the area."]),
}
TOPIC_QUERIES = {
    "storm": "bad weather keeps boats in port", "election": "who won the local vote",
    "budget": "council spending plans for schools", "strike": "transport workers stop work over wages",
    "cable": "electricity link to the island", "football": "late goal wins the match",
    "museum": "exhibition about fishing history", "drills": "military exercises at sea",
}
WORD_QUERIES = ["harbour", "ferry", "council", "budget OR strike", '"power cable"', '"last minute"', "elect*",
                "fish*", "warships AND drills"]
TYPED_QUERIES = ["crews' union", "island's dependence", "undersea power-cable", "harbour: ferries?", "who won the vote?",
                 "net-loft museum", "(storm OR gale) AND port", "budget NOT schools"]
# A query about none of the topics: search by meaning should stop at its floor, not list everything.
UNRELATED_QUERY = "recipe for a chocolate birthday cake"


def _words(rng: np.random.Generator, count: int, low: int, high: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES, size=rng.integers(low, high + 1))) for _ in range(count)]


def build(path: Path, count: int, seed: int = 11) -> dict:
    """Write `count` generated articles with one statement each; returns names the queries use."""
    rng = np.random.default_rng(seed)
    places = [w.capitalize() for w in _words(rng, 400, 2, 3)]
    people = [f"{a.capitalize()} {b.capitalize()}" for a, b in zip(_words(rng, 2000, 2, 2), _words(rng, 2000, 2, 4))]
    filler = np.array(_words(rng, 30000, 2, 4))
    zipf = 1.0 / np.arange(1, len(filler) + 1)
    zipf /= zipf.sum()
    padding_words = filler[rng.choice(len(filler), size=(count, 6, 14), p=zipf)]
    topics = list(TOPICS)
    start = date(2020, 1, 1)
    with Store(path) as store:
        conn = store.conn
        conn.execute("BEGIN")
        for i in range(count):
            topic = topics[i % len(topics)]
            headline, sentences = TOPICS[topic]
            place, person = places[rng.integers(len(places))], people[rng.integers(len(people))]
            said = [s.format(place=place, person=person) for s in sentences]
            padding = [" ".join(words).capitalize() + "." for words in padding_words[i]]
            paragraphs = [said[0], " ".join(padding[:3]), said[1], said[2], " ".join(padding[3:]), said[3]]
            body = "\n\n".join(paragraphs)
            article_id = f"{i:016x}"
            published = (start + timedelta(days=int(i * 2000 / count))).isoformat()
            conn.execute("INSERT INTO pages (id, source, kind, url, encoding, ingested_at, content, article_id)"
                         " VALUES (?, ?, 'text', NULL, 'utf-8', '2025-01-01', '', ?)", (article_id, f"gen/{i}", article_id))
            conn.execute(
                "INSERT INTO articles (id, page_id, url, title, body, paragraphs, outlet, published, author,"
                " credited_source, language, language_flag, body_hash) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL,"
                " 'en', NULL, ?)",
                (article_id, article_id, headline.format(place=place, person=person), body, json.dumps(paragraphs),
                 f"Outlet {i % 40}", published, article_id),
            )
            quote = said[2 if topic in ("election", "football") else 1]
            conn.execute(
                "INSERT INTO statements (id, article_id, speaker, speaker_name, speaker_role, speaker_kind, cue,"
                " content, mode, cue_start, cue_end, speaker_start, speaker_end, content_spans, venue, addressee,"
                " date, confidence) VALUES (?, ?, ?, ?, NULL, 'person', 'said', ?, 'indirect', 0, 4, NULL, NULL,"
                " '[[5, 20]]', NULL, NULL, ?, 0.9)",
                (f"{article_id}:0-4", article_id, person, person, quote, published),
            )
            if i % 5000 == 4999:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
        conn.execute("COMMIT")
    return {"person": people[0].split()[1], "place": places[0]}


def add_vectors(path: Path, count: int, seed: int = 12) -> dict:
    """Topic vectors plus noise for every article (its opening's and its headline's) and statement;
    the real model times a sample of openings and of headlines."""
    from presswatch.store.vectors import MODEL
    from presswatch.semantic import embed_texts

    report = {}
    started = time.perf_counter()
    embed_texts(["warm up"])
    report["model_load_s"] = round(time.perf_counter() - started, 2)
    with Store(path) as store:
        sample = store.conn.execute("SELECT title, body FROM articles LIMIT 64").fetchall()
        for name, texts in (("embed_articles_per_s", [f"{r[0]}\n{r[1][:2000]}" for r in sample]),
                            ("embed_headlines_per_s", [r[0] for r in sample])):
            started = time.perf_counter()
            embed_texts(texts)
            report[name] = round(len(texts) / (time.perf_counter() - started), 1)
        topic_vectors = embed_texts([" ".join(sentences).format(place="the town", person="the mayor")
                                     for _, sentences in TOPICS.values()])
        headline_vectors = embed_texts([headline.format(place="the town", person="the mayor")
                                        for headline, _ in TOPICS.values()])
        rng = np.random.default_rng(seed)
        topics = len(TOPICS)
        for kind, ids, vectors in (("article", "SELECT id FROM articles ORDER BY rowid", topic_vectors),
                                   ("title", "SELECT id FROM articles ORDER BY rowid", headline_vectors),
                                   ("statement", "SELECT id FROM statements ORDER BY rowid", topic_vectors)):
            rows = [r[0] for r in store.conn.execute(ids)]
            store.conn.execute("BEGIN")
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                base = vectors[[(start + j) % topics for j in range(len(chunk))]]
                noisy = base + rng.normal(0, 0.02, size=base.shape).astype(np.float32)
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                store.conn.executemany("INSERT OR REPLACE INTO vectors (kind, item_id, model, vector) VALUES (?, ?, ?, ?)",
                                       [(kind, item, MODEL, v.astype(np.float32).tobytes()) for item, v in zip(chunk, noisy)])
            store.conn.execute("COMMIT")
    return report


def clocked(call: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call. On this machine's two cores shared by many jobs the wall
    time is mostly waiting for a core; the process's CPU time is what the call costs on an idle one."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def timed(store: Store, queries: list[tuple[str, str, SearchFilters]], repeat: int,
          sort: str = "relevance") -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds per query."""
    return [clocked(lambda: search(store, query, mode=mode, filters=filters, limit=20, sort=sort))
            for _ in range(repeat) for query, mode, filters in queries]


def percentiles(times: list[tuple[float, float]]) -> dict:
    wall, cpu = [w for w, _ in times], [c for _, c in times]
    return {"n": len(times), "p50_ms": round(statistics.median(wall), 1),
            "p95_ms": round(float(np.percentile(wall, 95)), 1), "max_ms": round(max(wall), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 1)}


def kind_tabs(db: Path, queries: list[tuple[str, str, SearchFilters]]) -> dict:
    """What the web search page's kind tabs and /api/search's `totals_by_kind` cost: per mode, p50/p95
    of the search page's own search (articles, as before the tabs), the tabs' extra count
    (`listings.kind_totals` over statements, the kind not listed), the whole page through the
    application; /api/search's search (both kinds, as before the totals), the same with every kind's
    total (`listings.search_with_totals`), the whole answer. Each query runs every step in turn, so a
    load that comes and goes weighs on all alike; the ratios are of medians (CPU, as the machine is
    shared): the tabs' count over the search it adds to and over the whole page, and the API's search
    with its totals over the search alone."""
    from fastapi.testclient import TestClient

    from presswatch.query import listings
    from presswatch.server import create_server
    from presswatch.web.routes import RESULTS_SHOWN

    def params(query: str, mode: str, filters: SearchFilters) -> dict:
        return {"q": query, "mode": mode, **{k: v for k, v in vars(filters).items() if v}}

    def ok(answer):
        assert answer.status_code == 200, answer.text[:300]

    results: dict = {}
    with Store(db) as store, TestClient(create_server(str(db)), base_url="http://127.0.0.1") as client:
        for mode in sorted({mode for _, mode, _ in queries}):
            steps: dict[str, Callable[[str, str, SearchFilters], object]] = {
                "page_search": lambda q, m, f: listings.search_or_list(store, q, kind="article", mode=m, filters=f,
                                                                       limit=RESULTS_SHOWN),
                "page_counts": lambda q, m, f: listings.kind_totals(store, q, kinds=["statement"], mode=m, filters=f),
                "web_page": lambda q, m, f: ok(client.get("/search", params=params(q, m, f))),
                "api_search": lambda q, m, f: listings.search(store, q, mode=m, filters=f),
                "api_search_with_totals": lambda q, m, f: listings.search_with_totals(store, q, mode=m, filters=f),
                "api": lambda q, m, f: ok(client.get("/api/search", params=params(q, m, f))),
            }
            times: dict[str, list[tuple[float, float]]] = {step: [] for step in steps}
            for query, query_mode, filters in queries:
                if query_mode == mode:
                    for step, run in steps.items():
                        times[step].append(clocked(lambda: run(query, mode, filters)))
            found = {step: percentiles(t) for step, t in times.items()}

            def ratio(part: str, whole: str) -> float:
                return round(found[part]["cpu_p50_ms"] / max(found[whole]["cpu_p50_ms"], 0.1), 3)

            results[mode] = {**found, "page_counts_over_page_search": ratio("page_counts", "page_search"),
                             "page_counts_over_web_page": ratio("page_counts", "web_page"),
                             "api_search_with_totals_over_api_search": ratio("api_search_with_totals", "api_search")}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/presswatch-bench-search.db"))
    parser.add_argument("--reuse", action="store_true", help="Use the database a previous run built.")
    parser.add_argument("--repeat", type=int, default=10, help="Rounds over the query set.")
    parser.add_argument("--tabs-only", action="store_true", help="Time only the search page's kind tabs and"
                        " /api/search's totals by kind.")
    args = parser.parse_args()
    from presswatch.semantic import semantic_available

    results: dict = {"articles": args.articles, "load_average_before": os.getloadavg()[0]}
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        build(args.db, args.articles)
        results["build_s"] = round(time.perf_counter() - started, 1)
        if semantic_available():
            results["vectors"] = add_vectors(args.db, args.articles)
    results["db_mb"] = round(args.db.stat().st_size / 1e6, 1)
    with Store(args.db) as store:
        person = store.conn.execute("SELECT speaker_name FROM statements LIMIT 1").fetchone()[0].split()[1]
        words = [(q, "text", SearchFilters()) for q in WORD_QUERIES + [person]]
        filtered = [(q, "text", SearchFilters(outlet="Outlet 3", since="2022-01-01", until="2023-06-30"))
                    for q in WORD_QUERIES]
        timed(store, words[:3], 1)  # page cache and statement cache warm
        meaning = semantic_available() and store.conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
        tab_queries = (words + filtered) * args.repeat
        if meaning:  # a round number in each, so the query's embedding is not served from the cache
            tab_queries += [(f"{q} t{n}", "meaning", SearchFilters()) for n in range(args.repeat)
                            for q in TOPIC_QUERIES.values()]
        results["kind_tabs"] = kind_tabs(args.db, tab_queries)
        if args.tabs_only:
            print(json.dumps({**results, "load_average_after": os.getloadavg()[0]}, indent=1))
            return
        results["text"] = percentiles(timed(store, words, args.repeat))
        results["text_by_date"] = percentiles(timed(store, words, args.repeat, sort="date"))
        results["text_typed"] = percentiles(timed(store, [(q, "text", SearchFilters()) for q in TYPED_QUERIES],
                                                  args.repeat))
        results["text_filtered"] = percentiles(timed(store, filtered, args.repeat))
        if meaning:
            started = time.perf_counter()
            search(store, "first query reads the vectors", mode="meaning", limit=20)
            results["meaning_cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
            # Each set changes the words (a round number and a tag), so the query's embedding is not
            # served from the cache, except in "meaning_cached", which repeats the first set.
            def fresh(tag: str, mode: str, filters: SearchFilters, sort: str = "relevance") -> list[float]:
                batches = [[(f"{q} {tag}{n}", mode, filters) for q in TOPIC_QUERIES.values()] for n in range(args.repeat)]
                return [t for batch in batches for t in timed(store, batch, 1, sort)]

            results["meaning"] = percentiles(fresh("m", "meaning", SearchFilters()))
            results["meaning_cached"] = percentiles(fresh("m", "meaning", SearchFilters()))
            results["hybrid"] = percentiles(fresh("h", "hybrid", SearchFilters()))
            results["meaning_filtered"] = percentiles(
                fresh("f", "meaning", SearchFilters(outlet="Outlet 3", since="2022-01-01")))
            top = search(store, TOPIC_QUERIES["storm"], mode="meaning", kinds=["article"], limit=10).hits
            results["meaning_storm_query_top10_storm_share"] = sum("Storm" in (h.title or "") for h in top) / 10
            results["meaning_by_date"] = percentiles(fresh("d", "meaning", SearchFilters(), "date"))
            results["meaning_unrelated_query_hits"] = len(search(store, UNRELATED_QUERY, mode="meaning", limit=50).hits)
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
