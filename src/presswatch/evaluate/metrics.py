"""Metrics shared by the evaluation tasks, written to the letter of each corpus's definition."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def pairs_of(members: set) -> set[tuple]:
    """Every unordered pair of members, each once in sorted order: the unit of pairwise scores."""
    ordered = sorted(members)
    return {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]}


def groups_of(assignments: Iterable[tuple[Hashable, Hashable]]) -> list[set]:
    """The members of each group, from (group, member) pairs (a store's story_articles rows, say)."""
    groups: dict = {}
    for group, member in assignments:
        groups.setdefault(group, set()).add(member)
    return list(groups.values())


def pairwise_agreement(a: Iterable[Iterable], b: Iterable[Iterable]) -> float:
    """Pairwise F1 of two groupings of the same items, each given as its groups' members: 1.0 when
    they put the same pairs together (and when neither puts any). How far a grouping built page by
    page strays from the batch build of the same pages."""
    pairs_a = {pair for group in a for pair in pairs_of(set(group))}
    pairs_b = {pair for group in b for pair in pairs_of(set(group))}
    if not pairs_a and not pairs_b:
        return 1.0
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def shingle_page_scores(predicted: str, gold: str) -> tuple[float, float]:
    """Precision and recall of one page, as the article-extraction-benchmark defines them.

    A page where nothing was predicted and nothing was expected scores 1 for both.
    """
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def collapse_ws(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def token_prf(predicted: str, gold: str) -> dict[str, float]:
    """Bag-of-token precision/recall/F1, used for the seed pages' body score."""
    pred, true = Counter(t.lower() for t in _TOKEN.findall(predicted or "")), Counter(
        t.lower() for t in _TOKEN.findall(gold or "")
    )
    tp = sum((pred & true).values())
    return prf(tp, sum(pred.values()) - tp, sum(true.values()) - tp)
