"""The record the mention rules pass among themselves, and what more than one of them reads.

`Span` is a name being cleaned, typed and linked; `mentions`, `name_types`, `roles` and
`name_links` all work on it. Apart so that those modules import it, and these few shared word
lists and helpers, rather than each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from presswatch.extract.dates import MONTH_NAMES, WEEKDAY_NAMES
from presswatch.names import name_key
from presswatch.nlp.pipeline import doc_text, load_nlp

DETERMINERS = frozenset({"the", "a", "an"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
DEMONYM_SHAPE = re.compile(r"(?:an|ian|ese|ish|i)$")
# Days, months, holidays and seasons: capitalised, and read by the model as names (or dates) it
# may run into a place's ("in May"), never a place or a body.
CALENDAR_WORDS = frozenset(
    [*MONTH_NAMES, "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", *WEEKDAY_NAMES, "christmas", "easter", "ramadan", "eid", "passover", "hanukkah", "diwali", "advent", "lent", "spring", "summer", "autumn", "fall", "winter"]
)


@dataclass
class Span:
    """A name being cleaned: token range, its type, and what the rules learned about it."""

    start: int  # token index
    end: int
    type: str
    role: str | None = None
    refers_to: str | None = None
    link_reason: str | None = None
    known: bool = False  # typed by the gazetteer
    # What in the text or the data gave the name its type ("'in Vyshtal'", "the head noun 'Strait'");
    # None: the model's type alone. Shown on the entity's page and weighed in the corpus's type vote.
    type_evidence: str | None = None

    def typed(self, type_: str, evidence: str | None) -> None:
        self.type, self.type_evidence = type_, evidence


def tokens_of_lines(doc, test) -> set[int]:
    """The token indices of the body's lines (split at every newline) that pass `test`."""
    found: set[int] = set()
    start = 0
    for line in doc_text(doc).split("\n"):
        if test(line):
            span = doc.char_span(start, start + len(line), alignment_mode="expand")
            if span is not None:
                found.update(range(span.start, span.end))
        start += len(line) + 1
    return found


DATE_LIKE = re.compile(r"^\d{4}-\d\d-\d\d$|^\d{1,2}[:.]\d\d$")


def text_key(doc, span: Span) -> str:
    return name_key(doc[span.start : span.end].text)


def quoted(doc, start: int, end: int, name_from: int | None = None) -> str:
    """Words of the text as evidence is shown: "'in Vyshtal'"; the words before `name_from` (the
    name's first token) in lower case, so that "In Vyshtal" opening a sentence reads the same."""
    words = [t.lower_ if name_from is not None and t.i < name_from else t.text for t in doc[start:end] if not t.is_space]
    return "'" + " ".join(words) + "'"


@lru_cache(maxsize=1)
def _english_nouns() -> frozenset[str]:
    """The common nouns of the parsing model's lemmatizer (its WordNet noun index)."""
    return frozenset(load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"])


def is_common_noun(word: str) -> bool:
    """Whether a lower-cased word is an English common noun, or the plural of one ("fisheries")."""
    nouns = _english_nouns()
    return word in nouns or word.endswith("ies") and word[:-3] + "y" in nouns or word.endswith("s") and word[:-1] in nouns
