"""How long the listings take on a large store: every one should answer in under a second.

    .venv/bin/python bench/listings.py --articles 100000 --format json

The store holds bench/update.py's generated articles, statements and mentions with entities
resolved by the engine; its stories and narratives are filled directly from generated records
(stories of consecutive articles, one narrative per recurring claim), because clustering 100k
articles takes longer than a bench should. It is built once and cached under /work/bench-cache/.
Each listing is timed as a user meets it: the query layer the CLI commands call (query/listings.py)
(`narratives`, `stories`, `entities`, `articles`, `statements`, `search`), and the web home page,
/api/narratives and /api/stories, the search page for a common word, the statements list, an
entity's page and /api/facets through the HTTP application in process (FastAPI's TestClient, no
network). Each is run `--repeat` times on a fresh copy of the store opened once; the slowest
run counts (the first meets a cold page cache), and CPU time is given beside wall time because the
machine may be shared. Prints one JSON object: per listing {"wall_s", "cpu_s", "bytes"} (bytes
for HTTP answers only), and "slowest_s".
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from update import (  # one generator for every bench
    CACHE,
    CLAIMS,
    _vocabulary,
    copy_store,
    fill,
)

STORY_ARTICLES = 8  # consecutive articles per generated story

LOCAL = "http://127.0.0.1"


def listing_store(count: int, seed: int = 4) -> tuple[Path, dict]:
    """The N-article listing store, cached under CACHE (keyed by the generator's source)."""
    source = inspect.getsource(fill) + inspect.getsource(_fill_stories_and_narratives)
    path = CACHE / f"listings-{count}-s{seed}-{hashlib.sha1(source.encode()).hexdigest()[:10]}.db"
    info = path.with_suffix(".json")
    if path.exists() and info.exists():
        return path, json.loads(info.read_text())
    from presswatch.engine.entities import update_entities
    from presswatch.store import Store

    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with Store(partial) as store:
        fill(store, random.Random(seed), _vocabulary(), range(count), count)
        update_entities(store)
        _fill_stories_and_narratives(store)
    partial.rename(path)
    built = {"articles": count, "build_s": round(time.perf_counter() - started, 1)}
    info.write_text(json.dumps(built))
    return path, built


def _fill_stories_and_narratives(store) -> None:
    from presswatch.records import Evidence, Narrative, Story
    from presswatch.store.stories import save_narratives, save_stories

    rows = store.conn.execute("SELECT id, published, outlet, title FROM articles ORDER BY published, id").fetchall()
    stories = []
    for start in range(0, len(rows), STORY_ARTICLES):
        part = rows[start:start + STORY_ARTICLES]
        stories.append(Story(id="S" + part[0][0], article_ids=tuple(r[0] for r in part), first_seen=part[0][1],
                             last_seen=part[-1][1], outlets=tuple(sorted({r[2] for r in part})), key_entities=(),
                             label=part[0][3]))
    save_stories(store, stories)
    recurring = set(CLAIMS)
    trails: dict[str, list] = {}
    for statement_id, article_id, speaker, content, date, outlet in store.conn.execute(
        "SELECT s.id, s.article_id, s.speaker, s.content, s.date, a.outlet FROM statements s"
        " JOIN articles a ON a.id = s.article_id ORDER BY s.date, s.id"
    ):
        if content in recurring:
            trails.setdefault(content, []).append(Evidence(statement_id, article_id, speaker, outlet, date, content))
    save_narratives(store, [Narrative(id="N" + hashlib.sha1(claim.encode()).hexdigest()[:15], label=claim,
                                      evidence=tuple(trail), first_seen=trail[0].date, last_seen=trail[-1].date)
                            for claim, trail in trails.items()])


def _article_count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def on_a_copy(store_file: Path | None, articles: int, measure) -> tuple[dict, dict]:
    """`measure(db)` run on a fresh copy of a store: the one given (`--db`), else the generated
    N-article one. Returns what it found and how the store was built."""
    if store_file:
        source, built = store_file, {"articles": _article_count(store_file), "build_s": None}
    else:
        source, built = listing_store(articles)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        copy_store(source, db)
        found = measure(db)
        shutil.rmtree(tmp, ignore_errors=True)
    return found, built


def _timed(run, repeat: int) -> dict:
    worst_wall = worst_cpu = 0.0
    size = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = run()
        worst_wall = max(worst_wall, time.perf_counter() - wall)
        worst_cpu = max(worst_cpu, time.process_time() - cpu)
        if hasattr(answer, "content"):
            assert answer.status_code == 200, answer.text[:300]
            size = len(answer.content)
    found = {"wall_s": round(worst_wall, 3), "cpu_s": round(worst_cpu, 3)}
    if size is not None:
        found["bytes"] = size
    return found


def listings(db: Path, repeat: int) -> dict:
    from fastapi.testclient import TestClient

    from presswatch.query import listings as query
    from presswatch.server import create_server
    from presswatch.store import Store

    results = {}
    with Store(db) as store:
        calls = {
            "narratives": lambda: query.narratives(store, limit=50),
            "stories": lambda: query.stories(store, limit=50),
            "entities": lambda: query.entities(store, limit=50),
            "articles": lambda: query.articles(store, limit=50),
            "statements": lambda: query.statements(store, limit=50),
            "search": lambda: query.search(store, "harbour council", limit=20),
        }
        for name, call in calls.items():
            results[name] = _timed(call, repeat)
        # Pages whose cost grows with the store: the entity named most, a word most articles hold,
        # every statement (their volume and facets).
        top = store.conn.execute("SELECT id FROM entities ORDER BY mentions DESC, id LIMIT 1").fetchone()
    pages = [("web_home", "/"), ("api_narratives", "/api/narratives"), ("api_stories", "/api/stories"),
             ("web_narratives", "/narratives"), ("web_search", "/search?q=harbour&mode=text"),
             ("web_statements", "/search?kind=statement"), ("api_facets", "/api/facets?q=harbour&mode=text")]
    if top:
        pages.append(("web_entity", f"/entities/{top[0]}"))
    with TestClient(create_server(str(db)), base_url=LOCAL) as client:
        for name, path in pages:
            results[name] = _timed(lambda path=path: client.get(path), repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument("--db", type=Path, help="time a store built elsewhere (copied first; for example bench/update.py's,"
                        " whose stories and narratives the engine made) instead of the generated one")
    args = parser.parse_args()
    found, built = on_a_copy(args.db, args.articles, lambda db: listings(db, args.repeat))
    result = {"store_articles": built["articles"], **found, "slowest_s": max(v["wall_s"] for v in found.values()), "build": built}
    print(json.dumps(result) if args.format == "json" else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
