"""`presswatch eval stories DATA.jsonl`: story clustering against ECB+ (see shared/eval/README.md).

Only what an article would carry reaches the clusterer: the text, less the crawl URL that opens
every `ecbplus` document (a leak of the story label). Ids, `corpus_part` and the gold mentions are
read for scoring only. Documents are taken in a seeded random order since ECB+ has no dates.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import numbered_rows
from presswatch.evaluate.metrics import pairs_of
from presswatch.records import Article, Statement, content_id
from presswatch.stories.narratives import cluster_narratives
from presswatch.semantic import Embedder
from presswatch.stories.stories import cluster_stories

LEVELS = ("subtopic", "topic")
_URL_LINE = re.compile(r"^\s*https?\s*:\s*/")
# ECB+ text is tokenised, the `ecbplus` half more finely than the `ecb` half ("6 . 1", "10 : 53" and
# "120 , 000", "2009 - 04 - 28" against "5.6", "17:06", "2,000", "2008-12-14"): figures are joined again as the articles wrote
# them, so a figure reads the same in both halves and the tokenisation (which tells the halves
# apart, hence half the label) says nothing.
_SPLIT_FIGURE = re.compile(r"(?<=\d) ([.:/-]|,(?= \d{3}(?!\d))) (?=\d)")


def load_ecb(path: Path) -> list[dict]:
    docs = []
    for number, row in numbered_rows(path):
        try:
            docs.append({"text": row["text"], "subtopic": row["subtopic"], "topic": row["topic"]})
        except KeyError as exc:
            raise DataFormatError(f"{path}:{number}: expected an object with text, subtopic, topic ({exc})") from exc
        if not isinstance(row["text"], str):
            raise DataFormatError(f"{path}:{number}: `text` must be a string")
    return docs


def clean_text(text: str) -> str:
    lines = text.split("\n")
    if lines and _URL_LINE.match(lines[0]):
        lines = lines[1:]
    return _SPLIT_FIGURE.sub(r"\1", "\n".join(lines))


def as_articles(docs: Sequence[dict], seed: int) -> tuple[list[Article], dict[str, dict]]:
    """Shuffle, and give each document an opaque id that tells nothing about its labels."""
    shuffled = list(docs)
    random.Random(seed).shuffle(shuffled)
    articles, gold = [], {}
    for position, doc in enumerate(shuffled):
        body = clean_text(doc["text"])
        article_id = content_id(f"{position}:{body}")
        articles.append(Article(id=article_id, page_id=article_id, url=None, title=None, body=body, paragraphs=()))
        gold[article_id] = doc
    return articles, gold


def bcubed(predicted: Sequence, gold: Sequence) -> dict[str, float]:
    members_pred, members_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold)):
        members_pred[p].add(i)
        members_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold):
        shared = len(members_pred[p] & members_gold[g])
        precision += shared / len(members_pred[p])
        recall += shared / len(members_gold[g])
    n = len(predicted) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def adjusted_rand(predicted: Sequence, gold: Sequence) -> float:
    """Hubert and Arabie's adjusted Rand index, from the contingency table."""

    def pairs(count: int) -> float:
        return count * (count - 1) / 2

    n = len(predicted)
    joint = sum(pairs(c) for c in Counter(zip(predicted, gold)).values())
    rows = sum(pairs(c) for c in Counter(predicted).values())
    cols = sum(pairs(c) for c in Counter(gold).values())
    expected = rows * cols / pairs(n) if n > 1 else 0.0
    maximum = (rows + cols) / 2
    return (joint - expected) / (maximum - expected) if maximum != expected else 1.0


def score_clusters(predicted: Sequence, gold: Sequence) -> dict:
    return {
        "docs": len(gold),
        "clusters": len(set(predicted)),
        "gold_clusters": len(set(gold)),
        "b3": bcubed(predicted, gold),
        "ari": adjusted_rand(predicted, gold),
    }


def predict(docs: Sequence[dict], seed: int, embed: Embedder | None = None):
    """Cluster the documents; returns (predicted story per doc, the docs in that same order)."""
    articles, gold = as_articles(docs, seed)
    story_of = {}
    for story in cluster_stories(articles, embed=embed):
        for article_id in story.article_ids:
            story_of[article_id] = story.id
    return [story_of[a.id] for a in articles], [gold[a.id] for a in articles]


def evaluate_stories(
    path: Path,
    level: str = "subtopic",
    *,
    seed: int = 0,
    embed: Embedder | None = None,
) -> dict:
    if level not in LEVELS:
        raise DataFormatError(f"unknown level {level!r}; choose one of: {', '.join(LEVELS)}")
    predicted, docs = predict(load_ecb(path), seed, embed)
    return score_clusters(predicted, [d[level] for d in docs])


def score_seed_stories(
    gold: dict,
    articles: dict[str, Article | None],
    statements: dict[str, Sequence[Statement]] | None = None,
    embed: Embedder | None = None,
) -> dict:
    """The seeds' story and narrative parts (seeds README): pairs of seed documents, counted.

    Stories: pairs of documents put in one story that gold keeps apart. Narratives: two documents
    are together when one narrative holds statements of both; precision and recall over such pairs
    against gold `narratives`. `statements` defaults to presswatch's own extraction; `embed` adds
    sentence embeddings to both clusterings.
    """
    present = {doc_id: a for doc_id, a in articles.items() if a is not None}
    doc_of = {a.id: doc_id for doc_id, a in present.items()}
    gold_story = {d: i for i, group in enumerate(gold["stories"]["groups"]) for d in group}
    story_pairs = set()
    for story in cluster_stories(present.values(), embed=embed):
        story_pairs |= pairs_of({doc_of[i] for i in story.article_ids})
    if statements is None:
        from presswatch.nlp import extract_statements_batch

        docs = list(present)
        statements = dict(zip(docs, extract_statements_batch([present[d] for d in docs])))
    everything = [s for d in present for s in statements.get(d, ())]
    predicted = set()
    for narrative in cluster_narratives(everything, {a.id: a for a in present.values()}, embed=embed):
        predicted |= pairs_of({doc_of[e.article_id] for e in narrative.evidence if e.article_id in doc_of})
    expected = set()
    for group in gold.get("narratives", []):
        expected |= pairs_of(set(group["documents"]))
    hits = len(predicted & expected)
    return {
        "stories": {
            "pairs_merged_wrongly": sum(gold_story.get(a) != gold_story.get(b) for a, b in story_pairs),
            "pairs_gold": sum(len(pairs_of(set(g))) for g in gold["stories"]["groups"]),
        },
        "narratives": {
            "precision": hits / len(predicted) if predicted else 0.0,
            "recall": hits / len(expected) if expected else 0.0,
            "pairs_predicted": len(predicted),
            "pairs_gold": len(expected),
        },
    }

