"""A narrative's label: its claim as a readable clause with its subject.

What a statement holds is often not a sentence: the object of "denied" ("any plan to redeploy"),
of "accused ... of" or "warned of" is a noun phrase, and a reported clause can open with a pronoun
("she would put it to the council again"). The label is the most central statement whose parse has a
finite verb with a subject that is not a pronoun; failing that, one whose "he"/"she" subject is
replaced by the speaker's name; failing that, the most central statement as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from presswatch.nlp.pipeline import load_nlp
from presswatch.records import Statement

# The central statements tried as labels: the parse costs, and a claim's best wording is central.
CANDIDATES = 5
# The label reads the parse and the coarse tags only; neither depends on these components (the
# parser and NER each read the shared tok2vec), and leaving them out makes the parse, the larger
# part of labelling an update's narratives, about twice as fast: 1.9 against 4.1 CPU seconds on
# bench/update.py's 1,500 generated claims, with identical tags, heads and sentences.
UNUSED_BY_LABELS = ("ner", "lemmatizer")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
_PERSONAL = {"he", "she"}
_QUOTE_MARKS = "\"“”'‘’«»„"
_OPENING = re.compile(r"^\s*(that\s+)?", re.IGNORECASE)
_CLOSING = re.compile(r"[\s,;:…]+$")


def clean_claim(text: str) -> str:
    """The words of a claim without the reporting frame's leftovers: an opening "that", the quote
    marks around one whole quote, a comma before its closing mark. Quotes inside stay quoted."""
    text = _OPENING.sub("", text, count=1)
    inner = text.strip(_QUOTE_MARKS + " ,;:…")
    if text[:1] in _QUOTE_MARKS and not any(mark in inner for mark in _QUOTE_MARKS):
        text = inner
    text = _CLOSING.sub("", text)
    return text[:1].upper() + text[1:]


def claim_label(central: Sequence[Statement]) -> str:
    """The label from statements ordered most central first (at least one)."""
    candidates = list(central[:CANDIDATES])
    texts = [clean_claim(s.claim_text) or s.claim_text for s in candidates]
    fallback = None
    for statement, text in zip(candidates, texts):
        subject = _subject_of(text)
        if subject is None:
            continue
        if not subject.pronoun:
            return text
        name = statement.speaker_name
        if fallback is None and name and subject.lower in _PERSONAL and subject.first:
            fallback = name + text[subject.length:]
    return fallback or texts[0]


@dataclass(frozen=True)
class _Subject:
    """What a label needs of a text's subject (see _subject)."""

    pronoun: bool
    lower: str
    first: bool  # the text's first token
    length: int  # in characters


# Kept for the most recent texts: an update labels again every narrative it grows, and a recurring
# claim's central statements are mostly the same texts from one update to the next, so the parse
# (most of a label's cost) is not done again for them.
@lru_cache(maxsize=20_000)
def _subject_of(text: str) -> _Subject | None:
    subject = _subject(load_nlp()(text, disable=UNUSED_BY_LABELS))
    return None if subject is None else _Subject(subject.pos_ == "PRON", subject.lower_, subject.i == 0, len(subject.text))


def _subject(doc):
    """The subject of the first sentence's main verb, or None when it has none (a noun phrase)."""
    root = next(iter(doc.sents)).root if len(doc) else None
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    return next((child for child in root.children if child.dep_ in _SUBJECTS), None)
