"""Cost of the statements stage beside the parse it rides on.

    .venv/bin/python bench/statements.py ../shared/eval/attribution/dev.jsonl [--limit N] [--repeat 2]

Times, in one run over the same articles, bare `nlp.pipe` and `extract_statements_batch` (the
parse plus cue scoring, roles, mentions and speaker resolution) and prints one JSON object with
articles per second of each and their ratio. The acceptance bar is a ratio of at least 0.8: the
parse is the cost, the rest must be nearly free. Each side is run `--repeat` times, alternating,
and its best time kept, so a neighbour's load on the machine skews both alike.
"""

from __future__ import annotations

import argparse
import json
import time

from presswatch.evaluate.attribution import polnear_article, read_polnear
from presswatch.nlp import extract_statements_batch, load_nlp
from presswatch.nlp.statements import ATTRIBUTIONS


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="PolNeAR-format JSONL (the dev half)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args(argv)

    rows = read_polnear(args.path)
    articles = [polnear_article(r) for r in (rows[: args.limit] if args.limit else rows)]
    nlp = load_nlp()
    extract_statements_batch(articles[:2], nlp=nlp)  # load the model and the cue weights first

    bare = full = float("inf")
    found = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        for _doc in nlp.pipe((a.body for a in articles), batch_size=args.batch_size):
            pass
        bare = min(bare, time.perf_counter() - t)
        t = time.perf_counter()
        result = extract_statements_batch(articles, nlp=nlp, batch_size=args.batch_size, scope=ATTRIBUTIONS)
        full = min(full, time.perf_counter() - t)
        found = sum(len(r) for r in result)
    n = len(articles)
    print(
        json.dumps(
            {
                "articles": n,
                "statements": found,
                "parse_articles_per_s": round(n / bare, 2),
                "statements_articles_per_s": round(n / full, 2),
                "ratio": round(bare / full, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
