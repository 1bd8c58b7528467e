"""Story clustering at scale on generated articles: time, peak memory, and how they grow.

    .venv/bin/python bench/stories.py [--sizes 10000 100000] [--per-day 300]

Articles are generated, not real: each event has a kind (shared vocabulary, as two earthquakes
share theirs), its own names and figures, and lasts a few days; background words follow a Zipf
law. The archive grows at a fixed number of articles a day, so ten times the articles is ten times
the days, as a growing archive is. Each size runs in a fresh process so its peak memory (max RSS)
is its own. Near-linear growth means a time ratio near the size ratio.

Measured 2026-11-24 on the shared 2-core machine under load (load average about 6), default
parameters, without embeddings:
    10000 articles:  832 stories,  52.3 s, peak RSS 431 MB
    100000 articles: 8308 stories, 522.7 s, peak RSS 691 MB (generated: 833 and 8333 events)
    x10 articles: time x10.0, peak memory x1.6 (the input articles themselves are in that peak)
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

from presswatch.records import Article

SYLLABLES = ["ka", "lo", "ri", "ven", "sa", "tor", "mi", "dal", "ne", "us", "bra", "ol", "fen", "ti", "gar", "quo"]


def _words(rng: np.random.Generator, count: int, low: int, high: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES, size=rng.integers(low, high + 1))) for _ in range(count)]


def generate(count: int, per_day: int, seed: int = 7) -> list[Article]:
    rng = np.random.default_rng(seed)
    background = _words(rng, 20000, 2, 4)
    zipf = 1.0 / np.arange(1, len(background) + 1)
    zipf /= zipf.sum()
    kinds = [_words(rng, 40, 3, 4) for _ in range(60)]
    start = date(2020, 1, 1)
    days = max(count // per_day, 1)
    events = []
    for _ in range(max(count // 12, 1)):  # about a dozen articles per event
        events.append({
            "kind": kinds[rng.integers(len(kinds))],
            "names": [n.capitalize() for n in _words(rng, 6, 2, 3)],
            "figures": [str(v) for v in rng.integers(10, 5000, size=3)],
            "day": int(rng.integers(days)),
        })
    articles = []
    for i in range(count):
        event = events[rng.integers(len(events))]
        words = list(rng.choice(background, size=120, p=zipf))
        words += list(rng.choice(event["kind"], size=25))
        words += list(rng.choice(event["names"], size=12)) + list(rng.choice(event["figures"], size=3))
        rng.shuffle(words)
        sentences = [" ".join(words[j : j + 15]) for j in range(0, len(words), 15)]
        body = ". ".join(s[:1].upper() + s[1:] for s in sentences) + "."
        published = (start + timedelta(days=event["day"] + int(rng.integers(0, 4)))).isoformat()
        articles.append(Article(id=f"a{i}", page_id=f"a{i}", url=None, title=None, body=body, paragraphs=(),
                                outlet=f"outlet {i % 50}", published=published))
    return articles


def measure(count: int, per_day: int) -> dict:
    from presswatch.stories.stories import cluster_stories

    articles = generate(count, per_day)
    started = time.perf_counter()
    stories = cluster_stories(articles)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": count, "stories": len(stories), "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measuring one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.per_day)))
        return
    results = []
    for size in args.sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--per-day", str(args.per_day)],
            capture_output=True, text=True, check=True,
        )
        results.append(json.loads(child.stdout))
        print(json.dumps(results[-1]), flush=True)
    for small, large in itertools.pairwise(results):
        print(f"{small['articles']} -> {large['articles']} articles (x{large['articles'] / small['articles']:.0f}):"
              f" time x{large['seconds'] / small['seconds']:.1f}, peak memory x{large['peak_rss_mb'] / small['peak_rss_mb']:.1f}")


if __name__ == "__main__":
    main()
