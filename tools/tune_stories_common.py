"""What the story clusterer's `common_clusters` cut costs on ECB+ train.

    .venv/bin/python tools/tune_stories_common.py [--seeds 1]

A query term held by more active clusters than the cut proposes none of them (ClusterParams). The cut
is about cost (bench/archive.py); this prints the sub-topic B-cubed F1 on train (dev-sized folds
and all train, clustered as tools/tune_stories.py does, with the default parameters) at each cut of
a grid, and the smallest within 0.001 of reading every term. Dev is not read. The committed cut and
why are beside DEFAULT_PARAMS (stories/stories.py).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from tune_stories import SHARED, folds, pooled_f1, prepared, topic_sums  # noqa: E402

from presswatch.evaluate.stories import load_ecb
from presswatch.stories.stories import DEFAULT_PARAMS

GRID = (None, 200, 100, 50, 30, 20, 10, 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default=SHARED / "train.jsonl")
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args()
    docs = load_ecb(args.train)
    runs = [r for group in [*folds(docs, 3), docs] for r in prepared(group, range(args.seeds))]
    scores = {}
    for cut in GRID:
        sums = topic_sums(replace(DEFAULT_PARAMS, common_clusters=cut), runs)
        scores[cut] = pooled_f1(list(sums.values()))
        print(f"common_clusters {cut}: train sub-topic B3 F1 {scores[cut]:.4f}", flush=True)
    fine = [c for c in GRID if c is not None and scores[c] >= scores[None] - 0.001]
    print(f"chosen: {min(fine) if fine else None}")


if __name__ == "__main__":
    main()
