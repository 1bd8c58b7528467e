"""Acceptance run of continuous collection: `presswatch watch` for N minutes against loopback news
sites that keep publishing, then a check of what it collected.

Three fictional sites (tests/feedsite.py) serve an RSS feed, a front page, an Atom feed and a news
sitemap; the same site's feed and front page list the same articles, and its front page also links
pages its robots.txt disallows. While `presswatch watch` runs as a subprocess, the sites publish
new articles at random moments (seeded) until a few minutes before the end, so the last ones are
still due for collection. Then it checks, and prints as JSON:

- every published article was stored once (one article per URL), and its page was fetched once
  across all the sources that list it;
- no page robots.txt disallows was fetched; no duplicate article;
- conditional GETs were used (the sites' 304 answers), and every stored article was analysed.

    python tools/watch_run.py --minutes 30 [--db run.db]   # exit 0 when every check holds
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from feedsite import FeedSite  # noqa: E402

OUTLETS = ("The Almsby Courier", "Greyhaven Evening Post", "Karsk Valley Herald")
QUIET_END = 4 * 60  # seconds before the end with nothing new published, so the last items are collected


def presswatch(*args: str, **kwargs) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("presswatch")
    return subprocess.run([str(script), *args], check=True, capture_output=True, text=True, **kwargs)


def publish_over_time(sites: list[FeedSite], until: float, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.wait(rng.uniform(20, 120)) and time.monotonic() < until:
        site = rng.choice(sites)
        site.publish(rng.randint(1, 3))
        if site is sites[0] and rng.random() < 0.3:
            site.publish(1, private=True)


def check(db: str, sites: list[FeedSite]) -> dict:
    conn = sqlite3.connect(db)
    stored_urls = [url for (url,) in conn.execute("SELECT p.url FROM pages p JOIN articles a ON a.page_id = p.id")]
    published, fetched_more_than_once, missing, private_fetched = 0, [], [], 0
    for site in sites:
        for story in site.public_stories():
            published += 1
            url = site.url(story.path)
            if stored_urls.count(url) != 1:
                missing.append(url)
            if site.count(story.path, 200) != 1:
                fetched_more_than_once.append((url, site.count(story.path, 200)))
        private_fetched += sum(site.count(story.path) for story in site.stories if story.private)
    duplicate_titles = conn.execute(
        "SELECT count(*) FROM (SELECT title, outlet FROM articles GROUP BY title, outlet, body HAVING count(*) > 1)"
    ).fetchone()[0]
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    analysed = conn.execute(
        "SELECT count(*) FROM articles a WHERE EXISTS (SELECT 1 FROM analysis_progress p WHERE p.article_id = a.id)"
    ).fetchone()[0]
    sources = json.loads(presswatch("sources", "list", "--db", db, "--format", "json").stdout)
    listing_requests = sum(n for site in sites for (path, _), n in site.requests.items() if not path.startswith(("/news/", "/private/")))
    not_modified = sum(n for site in sites for (_, status), n in site.requests.items() if status == 304)
    result = {
        "published": published,
        "articles_stored": articles,
        "stored_once": published - len(missing),
        "missing_or_repeated": missing,
        "article_pages_fetched_more_than_once": fetched_more_than_once,
        "duplicate_articles": duplicate_titles,
        "private_pages_published": sum(story.private for site in sites for story in site.stories),
        "private_pages_fetched": private_fetched,
        "listing_requests": listing_requests,
        "conditional_requests": sum(sum(site.conditional.values()) for site in sites),
        "answered_304": not_modified,
        "robots_requests": sum(site.count("/robots.txt") for site in sites),
        "analysed": analysed,
        "sources": [{key: s[key] for key in ("url", "kind", "fetches", "not_modified", "items_seen", "items_stored",
                                             "last_status", "errors_in_row")} for s in sources],
        "source_errors": sum(1 for s in sources if s["last_status"] == "error"),
    }
    result["ok"] = bool(
        published and not missing and not fetched_more_than_once and not duplicate_titles and not private_fetched
        and articles == published and not_modified > 0 and analysed == articles
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--db", help="database to collect into (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--log", help="file for the watch's output (default: beside the database)")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp(prefix="watch-run-")) / "run.db")
    log_path = Path(args.log or f"{db}.watch.log")
    duration = args.minutes * 60

    sites = [FeedSite(outlet) for outlet in OUTLETS]
    for site in sites:
        site.__enter__()
        site.publish(3)
    sites[0].publish(1, private=True)
    almsby, greyhaven, karsk = sites
    for url, every in ((almsby.url("/feed.xml"), "1m"), (almsby.url("/"), "2m"), (greyhaven.url("/atom.xml"), "1m"),
                       (karsk.url("/news-sitemap.xml"), "90s"), (karsk.url("/sitemap.xml"), "3m")):
        presswatch("sources", "add", url, "--every", every, "--db", db)

    stop = threading.Event()
    publisher = threading.Thread(target=publish_over_time, args=(sites, time.monotonic() + duration - min(QUIET_END, duration / 4), stop,
                                                                 args.seed), daemon=True)
    started = time.time()
    with open(log_path, "w", encoding="utf-8") as log:
        watcher = subprocess.Popen(
            [str(Path(sys.executable).with_name("presswatch")), "watch", "--db", db, "--check-every", "20s",
             "--rate", "1s", "--allow-private-addresses", "--stop-after", f"{int(duration)}s"],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"},
        )
        publisher.start()
        try:
            code = watcher.wait(timeout=duration + 300)
        finally:
            stop.set()
            if watcher.poll() is None:
                watcher.terminate()
    result = check(db, sites)
    result.update(watch_exit=code, seconds=round(time.time() - started), db=db, log=str(log_path))
    for site in sites:
        site.__exit__(None, None, None)
    print(json.dumps(result, indent=1))
    return 0 if result["ok"] and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
