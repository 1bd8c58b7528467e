"""Extractive story summaries: a few sentences taken verbatim from the story's articles, each cited.

Nothing is generated, so nothing can be invented: every sentence is a sentence of an article, with
the article's id, outlet and date beside it. Sentences are scored by centrality (how close their
terms are to what the story's articles share), position (news puts the gist first), and chosen one
by one with maximal marginal relevance, so a wire copy reprinted by five outlets counts once and
the summary spreads over outlets.

Hand-written rather than taken from a summarisation library: the ones on PyPI (sumy, pytextrank)
need NLTK data downloads or drop the sentence-to-article link this needs for citations.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from presswatch.nlp.furniture import dateline_spans
from presswatch.records import Article, Story
from presswatch.stories.features import WORDS, text_features

DEFAULT_SENTENCES = 4
MIN_WORDS, MAX_WORDS = 6, 70  # shorter is a caption or a dateline, longer a run-on list
CENTRALITY_WEIGHT = 0.7  # the rest is position
REDUNDANCY_WEIGHT = 0.5  # maximal marginal relevance: how much likeness to a chosen sentence costs
SAME_ARTICLE_COST = 0.1  # a small push towards other articles, hence other outlets
DUPLICATE_SIMILARITY = 0.7  # at or above this a sentence repeats a chosen one and is never taken
# A large story is read through a sample: articles spread evenly over its coverage, and each one's
# opening sentences (where news puts the gist), so memory and time stay bounded.
MAX_ARTICLES = 60
MAX_SENTENCES_PER_ARTICLE = 12
DANGLING_COST = 0.15  # a sentence opening on a pronoun ("He said ...") reads badly out of its article
_DANGLING = re.compile(r"(?:he|she|they|it|this|these|those|his|her|their)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CitedSentence:
    """A sentence as an article has it, with the citation that lets a reader check it."""

    text: str
    article_id: str
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    position: int  # the sentence's place in its article, from 0


@dataclass(frozen=True)
class StorySummary:
    story: Story
    sentences: tuple[CitedSentence, ...]  # in the order of the coverage: by date, then position
    articles: int


def summarize_articles(articles: list[Article], *, sentences: int = DEFAULT_SENTENCES) -> list[CitedSentence]:
    """Up to `sentences` sentences from the articles, in coverage order."""
    candidates = [c for article in articles for c in _sentences(article)]
    if not candidates or sentences < 1:
        return []
    vectors = _tfidf([c.text for c in candidates])
    by_article: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_article.setdefault(c.article_id, []).append(i)
    # Each article counts once in the centre, so a long article does not pull it towards itself.
    centre = np.mean([vectors[rows].mean(axis=0) for rows in by_article.values()], axis=0)
    centrality = vectors @ (centre / max(float(np.linalg.norm(centre)), 1e-12))
    centrality = centrality / max(float(centrality.max()), 1e-12)
    position = np.array([1.0 / math.sqrt(1 + c.position) for c in candidates])
    relevance = CENTRALITY_WEIGHT * centrality + (1 - CENTRALITY_WEIGHT) * position
    relevance -= np.array([DANGLING_COST if _DANGLING.match(c.text) else 0.0 for c in candidates])
    chosen: list[int] = []
    while len(chosen) < sentences:
        best, best_value = None, -math.inf
        used_articles = {candidates[j].article_id for j in chosen}
        for i in range(len(candidates)):
            if i in chosen:
                continue
            likeness = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if likeness >= DUPLICATE_SIMILARITY:
                continue
            value = relevance[i] - REDUNDANCY_WEIGHT * likeness
            value -= SAME_ARTICLE_COST if candidates[i].article_id in used_articles else 0.0
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
    return sorted((candidates[i] for i in chosen), key=lambda c: (c.published is None, c.published or "",
                                                                 c.article_id, c.position))


def _sentences(article: Article) -> list[CitedSentence]:
    found = []
    for text in split_sentences(article.paragraphs or (article.body,)):
        words = len(text.split())
        if len(found) == MAX_SENTENCES_PER_ARTICLE:
            break
        if MIN_WORDS <= words <= MAX_WORDS:
            found.append(CitedSentence(text, article.id, article.outlet, article.published, article.title,
                                       article.url, len(found)))
    return found


_OPENING_QUOTE = re.compile(r'\s+["“‘«„]$')


def split_sentences(paragraphs) -> list[str]:
    """Sentences of paragraphs, with spaCy's rule-based sentencizer (its tokenizer knows "Mr." and
    "U.S." are not sentence ends). The sentencizer leaves a quote's opening mark on the sentence
    before; it is moved back to the sentence it opens. A paragraph's dateline is left out. A
    quotation of several sentences stays in one piece ('"We argued for years. Now we build," she
    said.'): a summary that quoted half of it would put words in the speaker's mouth, or start
    mid-quote."""
    nlp = _sentencizer()
    sentences = []
    for doc in nlp.pipe(_without_dateline(p) for p in paragraphs if p.strip()):
        carried = ""
        pending = ""  # a sentence whose quotation is still open
        for span in doc.sents:
            text = carried + span.text.strip()
            carried = ""
            opening = _OPENING_QUOTE.search(text)
            if opening:
                carried = opening.group().strip()
                text = text[: opening.start()]
            if not text.strip():
                continue
            pending = f"{pending} {text}" if pending else text
            if not _quotation_open(pending):
                sentences.append(" ".join(pending.split()))
                pending = ""
        if pending:
            sentences.append(" ".join(pending.split()))
    return sentences


def _without_dateline(paragraph: str) -> str:
    """The paragraph without the dateline it opens with ("SKELBY, March 3 (Kestrel) - "): where
    the report was filed is no part of the sentence a summary quotes."""
    datelines = dateline_spans(paragraph)
    return paragraph[datelines[0][1]:] if datelines and datelines[0][0] == 0 else paragraph


def _quotation_open(text: str) -> bool:
    """Whether a quotation opened in `text` is not closed in it."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”") or text.count("«") > text.count("»")


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _tfidf(texts: list[str]) -> np.ndarray:
    """Unit-length TF-IDF rows over the content words of the texts, with the texts as documents."""
    bags = [text_features(t)[WORDS] for t in texts]
    frequency = Counter(term for bag in bags for term in bag)
    vocabulary = {term: i for i, term in enumerate(sorted(frequency))}
    matrix = np.zeros((len(texts), max(len(vocabulary), 1)), dtype=np.float64)
    for row, bag in enumerate(bags):
        for term, count in bag.items():
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * math.log((1 + len(texts)) / (1 + frequency[term]))
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
