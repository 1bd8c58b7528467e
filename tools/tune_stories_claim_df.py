"""Learn the document frequencies of claim words that narratives weigh by, from PolNeAR train.

    .venv/bin/python tools/tune_stories_claim_df.py [--train PATH] [--min-df 3]

Each attribution's content (what was said) is one document, featured exactly as narratives feature
a statement (stemmed content words). Only stems in at least `--min-df` contents are kept: the table
is a frequency list of common claim vocabulary, not text. Writes src/presswatch/stories/claim_df.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from presswatch.stories.features import WORDS
from presswatch.stories.narratives import BACKGROUND, claim_features

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "attribution"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=SHARED / "train.jsonl")
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args()
    counts: Counter = Counter()
    documents = 0
    for line in args.train.read_text(encoding="utf-8").splitlines():
        for attribution in json.loads(line)["attributions"]:
            text = " ".join(span["text"] for span in attribution["content"] + attribution.get("content2", []))
            if text.strip():
                documents += 1
                counts.update(claim_features(text)[WORDS].keys())
    kept = {stem: n for stem, n in sorted(counts.items()) if n >= args.min_df}
    BACKGROUND.write_text(json.dumps({"documents": documents, WORDS: kept}, separators=(",", ":")), encoding="utf-8")
    print(f"{documents} claim contents, {len(counts)} stems, {len(kept)} kept (df >= {args.min_df}) -> {BACKGROUND}")


if __name__ == "__main__":
    main()
