"""A narrative's label: its claim as a readable clause with its subject.

What a statement holds is often not a sentence: the object of "denied" ("any plan to redeploy"),
of "accused ... of" or "warned of" is a noun phrase, and a reported clause can open with a pronoun
("she would put it to the council again"), its subject by a possessive ("her government would raise
it") or a demonstrative ("this centre will save lives"). The label is the most central statement
whose parse has a finite verb with a noun phrase as subject, its leading possessive read as the
speaker's ("Sigrun Maelstad's government") and its demonstrative as "the" and the thing pointed at
as the statement's article last named it before the statement ("This centre will save lives" after
"... to open a joint search-and-rescue centre in the Varnian port of Saltreach" is "The joint
search-and-rescue centre in the Varnian port of Saltreach will save lives"; "the centre" where the
article names it no more fully); failing that, one whose pronoun subject is
replaced by the speaker's name; failing that, the most central statement as it is. A label is one
clause: a statement of several sentences gives its first ("The men carried the strait in their memory
for sixty years", not "... years. We only had to listen"), and a second reported clause conjoined with
"and that" is left to the trail ("his team had trained all summer and that 'the sea ...'").

Who a pronoun is: the speaker, as the statements stage resolved it (`Statement.speaker_name`: "He
stressed ..." is the person last named), when the pronoun is the speaker's in that voice. Reported
speech speaks of the speaker in the third person ("Maelstad said her government ...", "the ministry
said it ..."), a quotation in the first ("'My office will ...,' Korhel said"), so "her" in a quotation
is someone else, and "I" or "my" outside one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from presswatch.names import joint_speakers
from presswatch.nlp.pipeline import load_nlp
from presswatch.nlp.statements import DIRECT
from presswatch.records import ORGANIZATION, PERSON, Article, Statement

# The central statements tried as labels: the parse costs, and a claim's best wording is central.
CANDIDATES = 5
# The label reads the parse and the coarse tags only; neither depends on these components (the
# parser and NER each read the shared tok2vec), and leaving them out makes the parse, the larger
# part of labelling an update's narratives, about twice as fast: 1.9 against 4.1 CPU seconds on
# bench/update.py's 1,500 generated claims, with identical tags, heads and sentences.
UNUSED_BY_LABELS = ("ner", "lemmatizer")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
# The pronouns that stand for the speaker, by the speaker's kind, in reported speech and in a
# quotation: subjects, then possessives. "we" and "our" from a person are a group the text does not
# name; "they" from people who spoke together is all of them ("Kask and Oyen said they would ...").
_REPORTED_SUBJECTS = {PERSON: {"he", "she"}, ORGANIZATION: {"it"}}
_QUOTED_SUBJECTS = {PERSON: {"i"}, ORGANIZATION: {"we"}}
_JOINT_SUBJECTS = {"they"}
_REPORTED_POSSESSIVES = {PERSON: {"his", "her"}, ORGANIZATION: {"its"}}
_QUOTED_POSSESSIVES = {PERSON: {"my"}, ORGANIZATION: {"our"}}
# A name put for "I" or "we" keeps the verb right only where its form is the same for every person
# ("I would" → "Korhel would", but not "I am", "we have").
_PERSON_FREE_TAGS = ("MD", "VBD")
_PERSON_BOUND = {"were", "was"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
# What of an earlier mention names the thing a demonstrative points at: the words before its noun
# ("joint search-and-rescue", "Varnia's"), and a prepositional phrase that names a place or body
# ("in the Varnian port of Saltreach"); not a relative clause or an apposition, which say more about
# it than which one it is.
_NAMING_MODIFIERS = ("amod", "compound", "nmod", "nummod", "poss")
# An article by its id, where the caller has it (None: the demonstrative is read as "the" only).
ArticleOf = Callable[[str], Article | None]
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


def claim_label(central: Sequence[Statement], article_of: ArticleOf | None = None) -> str:
    """The label from statements ordered most central first (at least one); `article_of` gives a
    statement's article, where a demonstrative's noun is looked for (see the module's docstring)."""
    candidates = list(central[:CANDIDATES])
    texts = [clean_claim(s.claim_text) or s.claim_text for s in candidates]
    fallback = None
    for statement, text in zip(candidates, texts):
        subject = _subject_of(text)
        if subject is None:
            continue
        text = text[:subject.clause_end]
        if not subject.pronoun:
            if subject.opener is None:
                return text
            if subject.opener in _DEMONSTRATIVES:
                named = _named_before(statement, subject.lower, article_of)
                if named:
                    return "The " + named + text[subject.end:]
                return "The" + text[subject.opener_length:]
            name = _speaker_for(statement, subject.opener, possessive=True)
            if name:
                return name + "'s" + text[subject.opener_length:]
        elif fallback is None and subject.first and _verb_fits(subject):
            name = _speaker_for(statement, subject.lower, possessive=False)
            if name:
                fallback = name + text[subject.length:]
    return fallback or texts[0]


def _speaker_for(statement: Statement, pronoun: str, *, possessive: bool) -> str | None:
    """The speaker's name where `pronoun`, opening what `statement` says, stands for the speaker
    (see the module's docstring), else None."""
    name, kind = statement.speaker_name, statement.speaker_kind
    if not name:
        return None
    quoted = statement.mode == DIRECT or statement.claim_text.lstrip()[:1] in _QUOTE_MARKS
    if kind == PERSON and len(joint_speakers(name)) > 1:
        return name if not possessive and not quoted and pronoun in _JOINT_SUBJECTS else None
    if possessive:
        table = _QUOTED_POSSESSIVES if quoted else _REPORTED_POSSESSIVES
    else:
        table = _QUOTED_SUBJECTS if quoted else _REPORTED_SUBJECTS
    return name if pronoun in table.get(kind, ()) else None


def _verb_fits(subject: _Subject) -> bool:
    """Whether a name can take the place of the subject without changing its verb, and the subject
    stands for someone: "it" before a copula or a clause ("it is unclear whether", "it seems that")
    is no body."""
    if subject.lower == "it":
        return not subject.impersonal
    if subject.lower not in ("i", "we"):
        return True
    return subject.verb_tag in _PERSON_FREE_TAGS and subject.verb not in _PERSON_BOUND


@dataclass(frozen=True)
class _Subject:
    """What a label needs of a text's subject (see _subject)."""

    pronoun: bool
    lower: str
    first: bool  # the text's first token
    length: int  # in characters
    end: int  # where the subject's head word ends, in characters
    # The possessive or demonstrative determiner a noun subject opens the text with ("her", "this"),
    # lower case, and its length in characters; None where it opens with none.
    opener: str | None
    opener_length: int
    verb: str  # the first word of the subject's verb ("would" of "would raise"), lower case
    verb_tag: str
    impersonal: bool  # the verb is a copula or takes a clause: the shape of "it is clear that"
    clause_end: int  # in characters: the end of the first sentence, before a conjoined "and that" clause


# Kept for the most recent texts: an update labels again every narrative it grows, and a recurring
# claim's central statements are mostly the same texts from one update to the next, so the parse
# (most of a label's cost) is not done again for them.
@lru_cache(maxsize=20_000)
def _subject_of(text: str) -> _Subject | None:
    subject = _subject(load_nlp()(text, disable=UNUSED_BY_LABELS))
    if subject is None:
        return None
    opener = subject.doc[0] if subject.i > 0 and subject.left_edge.i == 0 else None
    if opener is not None and not (
        opener.head.i == subject.i
        and (opener.dep_ == "poss" and opener.pos_ == "PRON" or opener.dep_ == "det" and opener.lower_ in _DEMONSTRATIVES)
    ):
        opener = None
    verb = next((t for t in subject.head.children if t.dep_ in ("aux", "auxpass") and t.i > subject.i), subject.head)
    return _Subject(
        pronoun=subject.pos_ == "PRON",
        lower=subject.lower_,
        first=subject.i == 0,
        length=len(subject.text),
        end=subject.idx + len(subject.text),
        opener=opener.lower_ if opener is not None else None,
        opener_length=len(opener.text) if opener is not None else 0,
        verb=verb.lower_,
        verb_tag=verb.tag_,
        impersonal=subject.head.pos_ == "AUX" or any(t.dep_ == "ccomp" for t in subject.head.children),
        clause_end=_clause_end(subject.head),
    )


def _named_before(statement: Statement, noun: str, article_of: ArticleOf | None) -> str | None:
    """The thing `noun` (a noun a demonstrative points at, lower case) stands for, as the
    statement's article last named it before the statement (title, then body), with the words that
    say which one it is (`_NAMING_MODIFIERS`) and without its determiner; None where the article is
    not at hand or never names it by more than the noun."""
    article = article_of(statement.article_id) if article_of else None
    if article is None:
        return None
    start = min((begin for begin, _ in statement.content_spans), default=len(article.body))
    return _last_naming(f"{article.title or ''}\n\n{article.body[:start]}", noun)


@lru_cache(maxsize=256)
def _last_naming(text: str, noun: str) -> str | None:
    doc = load_nlp()(text, disable=UNUSED_BY_LABELS)
    for token in reversed(doc):
        if token.lower_ != noun or token.pos_ not in ("NOUN", "PROPN") or token.dep_ == "compound":
            continue
        kept = [token]
        for child in token.children:
            if child.i < token.i and child.dep_ in _NAMING_MODIFIERS:
                kept += child.subtree
            elif child.i > token.i and child.dep_ == "prep" and any(t.pos_ == "PROPN" for t in child.subtree):
                kept += child.subtree
        if len(kept) > 1:
            return "".join(t.text_with_ws for t in sorted(kept, key=lambda t: t.i)).strip()
    return None


def _clause_end(root) -> int:
    """Where the clause of `root` (its sentence's main verb) ends, in characters: its sentence's end
    less the closing punctuation, or the conjunction before a second reported clause of its own
    ("... all summer and that the sea ...": a verb conjoined to it and opened by "that")."""
    sentence = root.sent
    end = sentence[-1]
    while end.i > root.i and end.is_punct and end.text not in _QUOTE_MARKS:
        end = end.nbor(-1)
    cut = end.idx + len(end.text)
    for conj in root.children:
        if conj.dep_ == "conj" and any(t.dep_ == "mark" and t.lower_ == "that" for t in conj.children):
            joint = [t for t in root.children if t.dep_ == "cc" and root.i < t.i < conj.left_edge.i]
            if joint:
                cut = min(cut, joint[-1].idx)
    return len(root.doc.text[:cut].rstrip(" ,;"))


def _subject(doc):
    """The subject of the first sentence's main verb, or None when it has none (a noun phrase)."""
    root = next(iter(doc.sents)).root if len(doc) else None
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    return next((child for child in root.children if child.dep_ in _SUBJECTS), None)
