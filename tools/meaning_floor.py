"""Choose the relevance floor of search by meaning (`presswatch.store.search.MEANING_FLOOR`).

    PYTHONPATH=src python tools/meaning_floor.py [tools/data/meaning_floor.jsonl]

The data are invented news sentences: each query comes with sentences about its topic, written
with other words (a paraphrase search by meaning should find); every other topic's sentences are
its unrelated ones (same register, other news), so each query has 3 related and 69 unrelated.
The model embeds queries and sentences as search does, and the floor is the cosine similarity
that best separates related from unrelated pairs by F2, which weighs recall twice: hits are ranked,
so a weak one shown below the good ones costs an analyst a glance, while a match cut off is never
seen (among equal F2, the lowest floor). 24 queries make the figure rough (about +-0.03). Needs
the semantic extra.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from presswatch.semantic import embed_texts

DATA = Path(__file__).parent / "data" / "meaning_floor.jsonl"


def main(path: Path = DATA) -> None:
    topics = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [(number, text) for number, topic in enumerate(topics) for text in topic["related"]]
    queries = embed_texts([topic["query"] for topic in topics])
    vectors = embed_texts([text for _, text in sentences])
    similarity = queries @ vectors.T
    related = np.array([[owner == number for owner, _ in sentences] for number in range(len(topics))])
    scores, labels = similarity.ravel(), related.ravel()
    rows = []
    for floor in np.arange(0.05, 0.61, 0.01):
        kept = scores >= floor
        true = int((kept & labels).sum())
        precision = true / max(int(kept.sum()), 1)
        recall = true / int(labels.sum())
        f2 = 5 * precision * recall / max(4 * precision + recall, 1e-9)
        rows.append((round(float(floor), 2), precision, recall, f2))
    best = max(rows, key=lambda row: (round(row[3], 4), -row[0]))
    print(f"{len(topics)} queries, {int(labels.sum())} related and {int((~labels).sum())} unrelated pairs")
    print(f"related similarity: min {scores[labels].min():.3f} median {np.median(scores[labels]):.3f}; "
          f"unrelated: median {np.median(scores[~labels]):.3f} max {scores[~labels].max():.3f}")
    print("floor precision recall f2")
    for row in rows:
        print(f"{row[0]:.2f}  {row[1]:.3f}  {row[2]:.3f}  {row[3]:.3f}" + ("  <- chosen" if row == best else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
