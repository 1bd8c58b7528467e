"""Narrative grouping at scale on generated statements: time, peak memory, and how they grow.

    .venv/bin/python bench/narratives.py [--sizes 10000 50000]

Statements are generated from the English words the static vectors know: a fifth of them restate
one of many recurring claims (the claim's words, some swapped for others), the rest are one-off
claims of random words. Each size runs in a fresh process so its peak memory is its own. The
reference, measured in the same process, is the featurisation alone (stemmed words, names and the
static vector of every statement); the ratio says what clustering costs on top of reading the claims.

Measured 2026-11-24 on the shared 2-core machine under load, default parameters, before the
warm-up above was added (the 10k reference then included loading the vectors):
    10000 statements:  443 narratives, 13.1 s, peak RSS 353 MB
    50000 statements: 2209 narratives, 81.1 s, peak RSS 549 MB
    x5 statements: time x6.2, peak memory x1.6
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from presswatch.records import Article, Statement, content_id


def generate(count: int, seed: int = 7) -> tuple[list[Statement], dict[str, Article]]:
    from presswatch.stories.word_vectors import VECTORS

    with np.load(VECTORS, allow_pickle=False) as data:
        vocabulary = data["words"][200:20000]  # skip the commonest words, as claims' content words do
    rng = np.random.default_rng(seed)
    claims = [list(rng.choice(vocabulary, size=8)) for _ in range(max(1, count // 50))]
    statements, articles = [], {}
    for i in range(count):
        if rng.random() < 0.2:
            words = list(claims[rng.integers(len(claims))])
            for position in rng.choice(len(words), size=3, replace=False):
                words[position] = rng.choice(vocabulary)
        else:
            words = list(rng.choice(vocabulary, size=8))
        text = "that " + " ".join(words)
        day = f"20{20 + i * 6 // count:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        article_id = content_id(f"bench-article:{i}")
        articles[article_id] = Article(id=article_id, page_id=article_id, url=None, title=None, body=text,
                                       paragraphs=(text,), published=day)
        statements.append(Statement(
            id=content_id(f"bench-statement:{i}"), article_id=article_id, speaker=None, speaker_name=None,
            speaker_role=None, speaker_kind="unknown", cue="said", content=text, mode="indirect",
            cue_span=(0, 0), speaker_span=None, content_spans=((0, len(text)),), date=day,
        ))
    return statements, articles


def measure(count: int) -> dict:
    from presswatch.stories.narratives import claim_frequencies, cluster_narratives
    from presswatch.stories.word_vectors import embed_words

    statements, articles = generate(count)
    embed_words(["warm"])  # the vectors load once per process, outside either timing
    claim_frequencies([])
    start = time.perf_counter()
    claim_frequencies(statements)
    embed_words([s.content for s in statements])
    reference = time.perf_counter() - start
    start = time.perf_counter()
    narratives = cluster_narratives(statements, articles)
    seconds = time.perf_counter() - start
    return {
        "statements": count,
        "narratives": len(narratives),
        "seconds": round(seconds, 1),
        "statements_per_s": round(count / seconds, 1),
        "featurisation_per_s": round(count / reference, 1),
        "ratio": round(reference / seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = []
    for size in args.sizes:
        run = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True)
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(json.dumps({
            "size_ratio": last["statements"] / first["statements"],
            "time_ratio": round(last["seconds"] / first["seconds"], 2),
            "memory_ratio": round(last["peak_rss_mb"] / first["peak_rss_mb"], 2),
        }))


if __name__ == "__main__":
    main()
