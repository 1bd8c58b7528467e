"""How long the listings take on a large store: every one should answer in under a second.

    .venv/bin/python bench/listings.py --articles 100000 --format json

The store is bench/update.py's generated one (built once and cached under /work/bench-cache/).
Each listing is timed as a user meets it: the library functions the CLI commands call
(`narratives`, `stories`, `entities`, `articles`, `statements`, `search`), and the web home page,
/api/narratives and /api/stories through the HTTP application in process (FastAPI's TestClient,
no network). Each is run `--repeat` times on a fresh copy of the store opened once; the slowest
run counts (the first meets a cold page cache), and CPU time is given beside wall time because the
machine may be shared. Prints one JSON object: per listing {"wall_s", "cpu_s", "bytes"} (bytes
for HTTP answers only), and "slowest_s".
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from update import cached_store, copy_store  # noqa: E402  (the generator and the cached store, shared)

LOCAL = "http://127.0.0.1"


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

    from presswatch.server import create_server
    from presswatch.store import Store
    from presswatch.store import stories as story_store
    from presswatch.store.entities import list_entities
    from presswatch.store.search import list_articles, list_statements, search

    results = {}
    with Store(db) as store:
        calls = {
            "narratives": lambda: story_store.narratives(store, limit=50),
            "stories": lambda: story_store.stories(store, limit=50),
            "entities": lambda: list_entities(store, top=50),
            "articles": lambda: list_articles(store, limit=50),
            "statements": lambda: list_statements(store, limit=50),
            "search": lambda: search(store, "harbour council", limit=20),
        }
        for name, call in calls.items():
            results[name] = _timed(call, repeat)
    with TestClient(create_server(str(db)), base_url=LOCAL) as client:
        for name, path in (("web_home", "/"), ("api_narratives", "/api/narratives"), ("api_stories", "/api/stories"),
                           ("web_narratives", "/narratives")):
            results[name] = _timed(lambda: client.get(path), repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("json", "text"), default="text")
    args = parser.parse_args()
    source, built = cached_store(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "listings.db"
        copy_store(source, db)
        found = listings(db, args.repeat)
        shutil.rmtree(tmp, ignore_errors=True)
    result = {"articles": args.articles, **found, "slowest_s": max(v["wall_s"] for v in found.values()), "build": built}
    print(json.dumps(result) if args.format == "json" else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
