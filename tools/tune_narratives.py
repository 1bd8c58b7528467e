"""Choose the narrative clusterer's parameters on data made for it, print the search.

    .venv/bin/python tools/tune_narratives.py [--semantic] [--top 15]

Two labelled sets, neither of them reported elsewhere as a result:
- `tools/data/narrative_claims.jsonl`: hand-written fictional claims, 17 recurring ones restated in
  other words by other outlets and years, beside one-off claims about the same places and bodies
  (format in presswatch/evaluate/narratives.py); scored pairwise over claims.
- the fictional `examples/` pages against `tests/data/examples_gold.json`: presswatch's own
  statements from the pipeline, scored pairwise over documents as the seeds are.
A candidate's score is the mean of the two pairwise F1s. The grid is small on purpose: two labelled
sets of this size can rank a few shapes of the clusterer, not fit many knobs.

Last runs (2026-11-24, code as committed with them): see DEFAULT_NARRATIVE_PARAMS and
SEMANTIC_NARRATIVE_PARAMS in presswatch/stories/narratives.py, which quote them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from presswatch.engine.local import ingest
from presswatch.evaluate.metrics import pairs_of, prf
from presswatch.evaluate.narratives import load_claims, score_claims
from presswatch.nlp import extract_statements_batch
from presswatch.store import Store
from presswatch.stories.cluster import DENSE
from presswatch.stories.narratives import cluster_narratives, default_narrative_params

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "tools" / "data" / "narrative_claims.jsonl"
GOLD = ROOT / "tests" / "data" / "examples_gold.json"

GRID = {
    DENSE: [0.0, 0.5, 1.0, 2.0],
    "names": [0.25, 0.5],
    "join": [0.4, 0.45, 0.55],  # a statement joins a narrative as it arrives
    "pair": [0.3, 0.35, 0.45],  # two lone statements become one narrative (consolidation)
    "merge": [0.35, 0.4, 0.45],  # a statement or narrative joins a larger one (consolidation)
    "member_margin": [None, 0.1, 0.15],
}
# Sentence embeddings put any two claims of one domain near 0.5, so their thresholds sit higher.
SEMANTIC_GRID = {
    **GRID,
    "join": [0.55, 0.65, 0.75],
    "pair": [0.45, 0.55, 0.65],
    "merge": [0.45, 0.5, 0.55],
    "member_margin": [None, 0.1],
}


def example_statements():
    """The examples' articles by gold document name, and presswatch's statements of them."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "examples.db") as store:
        ingest([str(ROOT / "examples")], store)
        articles = store.articles()
        # Only the annotated pages are scored: feed, HTML and WARC copies carry no gold document id.
        annotated = {Path(d["file"]).resolve(): d["id"] for d in gold["documents"]}
        name_of = {}
        for article in articles:
            for source in store.sources_of(article.id):
                if Path(source).resolve() in annotated:
                    name_of[article.id] = annotated[Path(source).resolve()]
    statements = [s for group in extract_statements_batch(articles) for s in group]
    expected = set()
    for narrative in gold["narratives"]:
        expected |= pairs_of(set(narrative["documents"]))
    return statements, {a.id: a for a in articles}, name_of, expected


def score_examples(examples, params, embed) -> dict:
    statements, articles, name_of, expected = examples
    predicted = set()
    for narrative in cluster_narratives(statements, articles, params=params, embed=embed):
        predicted |= pairs_of({name_of[e.article_id] for e in narrative.evidence if e.article_id in name_of})
    hits = len(predicted & expected)
    return prf(hits, len(predicted) - hits, len(expected) - hits)


def candidates(base, grid):
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        choice = dict(zip(keys, values))
        weights = {**base.weights, "names": choice["names"], DENSE: choice[DENSE]}
        params = replace(
            base,
            weights=weights,
            join=choice["join"],
            pair=choice["pair"],
            merge=choice["merge"],
            attach=choice["merge"],
            small=1,
            member_margin=choice["member_margin"],
            member_floor=0.1,
        )
        yield choice, params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--semantic", action="store_true", help="sentence embeddings (semantic extra) instead of static word vectors"
    )
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    embed = None
    if args.semantic:
        from presswatch.semantic import embed_texts

        embed = _cached(embed_texts)
    claims = load_claims(CLAIMS)
    examples = example_statements()
    results = []
    for choice, params in candidates(default_narrative_params(args.semantic), SEMANTIC_GRID if args.semantic else GRID):
        on_claims = score_claims(claims, params=params, embed=embed)["pairs"]
        on_examples = score_examples(examples, params, embed)
        mean = (on_claims["f1"] + on_examples["f1"]) / 2
        results.append((mean, choice, on_claims, on_examples))
    results.sort(key=lambda r: -r[0])
    for mean, choice, on_claims, on_examples in results[: args.top]:
        print(
            f"{mean:.3f}  claims P {on_claims['precision']:.2f} R {on_claims['recall']:.2f} F {on_claims['f1']:.3f}  "
            f"examples P {on_examples['precision']:.2f} R {on_examples['recall']:.2f} F {on_examples['f1']:.3f}  {choice}"
        )


def _cached(embed):
    """Embed each text once across the whole search."""
    memory = {}

    def cached(texts):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in memory]
        if missing:
            memory.update(zip(missing, embed(missing)))
        return np.stack([memory[t] for t in texts]) if texts else embed(texts)

    return cached


if __name__ == "__main__":
    main()
