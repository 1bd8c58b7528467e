"""Roles: the title or office the text gives a person ("Selvan Foreign Minister Oskar Vellin",
"Hanne Orlov, the envoy,").

A role is a run of title words before the name (cut where a venue put before the clause ends) or a
phrase headed by a role word set off by commas after or before it. Apart because three readers
ask it: the mentions pipeline (a person's role), name typing (a name given a role is a person)
and the statements stage (where a speaker's words begin, `role_start_after_venue`, and the
prepositions that lead to a speaker, `introduces_a_speaker`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from functools import lru_cache
from importlib import resources

from presswatch.names import (
    BUSINESS_NOUNS,
    ORG_HEADS,
    PLACE_HEADS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    TITLE_WORDS,
    is_demonym,
)
from presswatch.nlp.name_spans import DEMONYM_SHAPE, DETERMINERS, POSSESSIVE, Span
from presswatch.records import PERSON, PLACE

# Words that open a role phrase without being part of the role ("its ambassador in Skelby").
_ROLE_OPENERS = DETERMINERS | {"its", "his", "her", "their", "our", "whose"}
_ROLE_JOINERS = frozenset({"of", "for", "the", "and", "on", "to"})
# The joiners that, after a common noun, lead into a venue's words: "a visit to", "a meeting of",
# "a rally for"; after a role word they are a title's ("a spokesperson for Mayor X").
_VENUE_JOINERS = frozenset({"of", "to", "for"})
# The joiners between a title's role word and its portfolio: "Minister of Fisheries", "Minister for
# Harbours". A portfolio has at most three capitalised words ("Minister for Foreign Affairs and
# Trade" loses its last two): set by hand, not tuned on any data; a longer run is more likely a
# venue's name than a portfolio.
_PORTFOLIO_JOINERS = frozenset({"of", "for"})
_MAX_PORTFOLIO_WORDS = 3
_ROLE_STOP = frozenset({",", ".", ";", ":", "(", ")", "[", "]", "—", "–", '"', "“", "”", "‘"})
MAX_ROLE_TOKENS = 16


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    table = json.loads(resources.files("presswatch.nlp").joinpath("person_nouns.json").read_text(encoding="utf-8"))
    return frozenset(table["nouns"]) - ORG_HEADS - BUSINESS_NOUNS  # "Herald", "Guard" end a body's name


def names_a_person(word: str) -> bool:
    """Whether a lower-cased noun says what a person is: a title's role word (`names.ROLE_HEADS`)
    or a noun whose first sense is a person ("engineer", "fisherman", "witness": WordNet's
    noun.person, `tools/person_nouns.py`), so that a name set off beside it is a person's
    ("Orlov, the harbour engineer,") and a speaker known only by it is one ("a fisherman said")."""
    return word in ROLE_HEADS or word in _person_nouns()


def person_tokens(spans: list[Span]) -> set[int]:
    """The token indices of the person names among `spans`."""
    return {i for s in spans if s.type == PERSON for i in range(s.start, s.end)}


def role(doc, span: Span, people: set[int], named: dict[int, tuple]) -> str | None:
    """The role the text gives a name; `people` holds the tokens of every person name, `named`
    those of every name (where a fronted venue's words end, `role_start_after_venue`). A title
    stops at another person's name, and is read only before the span, so the span's own tokens
    in `people` never matter: one set serves every span (a set of the others' tokens made per
    span grew with the square of a long article's names)."""
    return apposition_role(doc, span) or _premodifier_role(doc, span, people, named)


def _premodifier_role(doc, span: Span, other_people: set[int], named: dict[int, tuple]) -> str | None:
    """A title in front of the name: "Selvan Foreign Minister X", "Ministry spokesperson X"; not the
    words of a venue fronted without a comma ("At a rally in Port Aldane Councillor X said")."""
    words = _title_before(doc, span.start, other_people, named)
    if words and _after_fronted_venue(doc, words[0].i, span):
        start = role_start_after_venue(doc, words[0].i, span.start, named)
        words = [w for w in words if w.i >= start]
    if not any(w.lower_ in ROLE_HEADS for w in words):
        return None
    return _phrase(doc, words)


# Prepositions whose object is the speaker of a cue: "according to X", "was announced by X".
_SPEAKER_PREPOSITIONS = frozenset({"to", "by", "from"})


def opens_a_venue(preposition) -> bool:
    """Whether a joiner leads into a venue's words: one of `_VENUE_JOINERS` after a common noun
    that is no role word ("a rally for Skelby", not "a spokesperson for Mayor X")."""
    head = preposition.head
    return preposition.lower_ in _VENUE_JOINERS and head.pos_ == "NOUN" and head.lower_ not in ROLE_HEADS


def introduces_a_speaker(preposition) -> bool:
    """Whether a preposition's object may be a cue's speaker: one of _SPEAKER_PREPOSITIONS after a
    verb ("according to", "announced by"); after a noun it opens a venue's words ("a visit to")."""
    return preposition.lower_ in _SPEAKER_PREPOSITIONS and preposition.head.pos_ != "NOUN"


def opens_a_title(token) -> bool:
    """An acronym or a demonym, which may open a title ("US Under Secretary", "Varnian Foreign
    Minister") and then names whose official the person is."""
    return token.is_upper and token.is_alpha and len(token) >= 2 or is_demonym(token.text) or bool(
        token.is_title and DEMONYM_SHAPE.search(token.lower_))


def _after_fronted_venue(doc, first: int, span: Span) -> bool:
    """Whether the title words from token `first` follow a venue put before the clause without a
    comma, so the parser may have run its last words into the title: a preposition just before
    them (past an article) and the name the subject of the verb after it, where that verb has no
    subject of its own ("In an interview with the Harbour Gazette Mayor Anna Kask said"). Not a
    name that is the preposition's own object in a clause with its subject ("In talks with US
    Under Secretary Ann Lee the envoy said"), nor one after "according to"; "to" or "of" after a
    noun ("During a visit to Skelby US Under Secretary Ann Lee said", "At a meeting of the Tarsby
    NMA Councillor Eva Lund said", "At a rally for Skelby Mayor Anna Kask said") opens a venue's
    words, where a title's own joiners do not."""
    before = first - 1
    while before >= 0 and doc[before].pos_ == "DET":
        before -= 1
    if before < 0 or doc[before].pos_ != "ADP" or introduces_a_speaker(doc[before]):
        return False
    preposition = doc[before]
    if preposition.lower_ in _ROLE_JOINERS and not opens_a_venue(preposition):
        return False
    name = doc[span.start : span.end].root
    verb = next((t for t in name.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.i < name.i:
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return all(s.i == name.i for s in subjects)


def role_start_after_venue(doc, first: int, person: int, named: dict[int, tuple]) -> int:
    """Where a person's title starts among the words from token `first` to the name at `person`,
    when the words before it are a fronted venue's: back from the name over title words, a
    portfolio ("Minister of Fisheries", `_portfolio_start`) and a body's word before a role
    ("Harbour Master", "Police Chief"), but not a named body's or place's ("Harbour Gazette
    Mayor", "Port Aldane Councillor") nor one in lower case before a capitalised role, which ends
    the venue ("a meeting of the Tarsby council Councillor Eva Lund"); then over an acronym or
    demonym opening the title when a place name ends the venue before it ("a visit to Skelby US
    Under Secretary"): the venue has its place, and the country is the title's. `named` maps the
    tokens of the names to their (type, name), so two names side by side are told apart. The
    statements stage cuts a speaker's words at the same place."""
    start = person
    while True:
        while start - 1 >= first and (
            doc[start - 1].lower_ in TITLE_WORDS
            or doc[start].lower_ in ROLE_HEADS and doc[start - 1].lower_ in ORG_HEADS | PLACE_HEADS
            and start - 1 not in named and not (doc[start - 1].is_lower and doc[start].is_title)
        ):
            start -= 1
        role_word = _portfolio_start(doc, first, start)
        if role_word == start:
            break
        start = role_word
    if (
        first <= start - 2 and start < person and opens_a_title(doc[start - 1])
        and named.get(start - 2, ("",))[0] == PLACE and named.get(start - 1) != named[start - 2]
    ):
        start -= 1
    return start


def _portfolio_start(doc, first: int, end: int) -> int:
    """The role word of a title whose portfolio ends just before token `end`: "Minister" of
    "Minister of Fisheries", "Minister for Harbours", "Secretary of State" (the role word, "of" or
    "for", up to `_MAX_PORTFOLIO_WORDS` capitalised words); `end` where there is none. A venue's
    "of" follows a common noun ("a meeting of the Tarsby NMA"), a title's a role word."""
    i = end
    while i - 1 >= first and end - i < _MAX_PORTFOLIO_WORDS and doc[i - 1].is_title:
        i -= 1
    if i < end and i - 2 >= first and doc[i - 1].lower_ in _PORTFOLIO_JOINERS and doc[i - 2].lower_ in ROLE_HEADS:
        return i - 2
    return end


def _title_before(doc, end: int, other_people: set[int] = frozenset(), named: Collection[int] = ()) -> list:
    """The run of title words ending just before token `end` ("US Under Secretary of State"); a
    joiner inside one of the `named` tokens' names is the name's ("Council of Tarsby Mayor"), so
    a body's name before a title is taken whole, as one without a joiner is."""
    i = end
    while i > 0 and end - i < MAX_ROLE_TOKENS:
        token = doc[i - 1]
        if token.text in _ROLE_STOP or token.text.count("\n") > 1 or token.i in other_people:
            break  # a paragraph break ends a title; a wrapped line does not
        if token.lower_ in _ROLE_JOINERS and token.i not in named and any(
            w.lower_ in ROLE_HEADS - ROLE_MODIFIERS for w in doc[i:end]
        ):
            break  # "a spokesperson for Mayor X": X is the mayor; the spokesperson is someone else
        if token.is_space or token.lower_ in POSSESSIVE or token.lower_ in TITLE_WORDS or token.is_title or token.is_upper or _joins_a_compound(doc, token) or token.lower_ in _ROLE_JOINERS and i - 1 > 0 and (
            doc[i - 2].is_title or doc[i - 2].lower_ in TITLE_WORDS | _ROLE_JOINERS
        ):
            i -= 1
        else:
            break
    words = list(doc[i:end])
    # Drop what leads in without being part of the title: dates, joiners, sentence adverbs.
    while words and (
        words[0].lower_ in _ROLE_JOINERS | POSSESSIVE or words[0].ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL")
        or (words[0].pos_ not in ("PROPN", "ADJ", "NOUN") and words[0].lower_ not in TITLE_WORDS)
    ):
        words.pop(0)
    return words


def _joins_a_compound(doc, token) -> bool:
    """The hyphen inside a hyphenated word ("Anti-Corruption Bureau chief"), which spaCy splits off."""
    return token.text in ("-", "‐") and not token.whitespace_ and token.i > 0 and not doc[token.i - 1].whitespace_


def apposition_role(doc, span: Span) -> str | None:
    """A role set off by commas: "X, deputy minister of …," or "the alliance's chief, X,"."""
    after = span.end
    if after < len(doc) and doc[after].text == ",":
        words = []
        for token in doc[after + 1 : after + 1 + MAX_ROLE_TOKENS + 1]:
            if token.text in _ROLE_STOP or "\n" in token.text:
                break
            words.append(token)
        else:
            words = []
        while words and words[0].lower_ in _ROLE_OPENERS:
            words.pop(0)
        if (
            words and (any(w.lower_ in ROLE_HEADS for w in words) or _phrase_names_a_person(words, span))
            and not any(w.tag_ in ("VBD", "VBZ", "VBP", "MD") or w.lower_ in ("who", "which", "that") for w in words)
            and words[0].pos_ not in ("PRON", "VERB", "AUX", "CCONJ", "ADP", "SCONJ")
            and not any(w.lower_ in ("than", "not", "instead") for w in words)  # "X, rather than a minister,"
        ):
            return _phrase(doc, words)
    # "its ambassador in Skelby, Oleg Tamarin,": the phrase before the comma is headed by a role.
    if span.start >= 2 and doc[span.start - 1].text == ",":
        last = doc[span.start - 2]
        for head in (last, *last.ancestors):
            if head.i > last.i or head.pos_ in ("VERB", "AUX") or head.i in range(span.start, span.end):
                break
            if head.lower_ in ROLE_HEADS and head.tag_ in ("NN", "NNP", "NNS") or head.tag_ in ("NN", "NNS") and names_a_person(head.lower_):
                start = head.left_edge.i
                words = _title_before(doc, start) + list(doc[start : last.i + 1])
                while words and words[0].lower_ in _ROLE_OPENERS:
                    words.pop(0)
                if words and len(words) <= MAX_ROLE_TOKENS and not any(t.text in _ROLE_STOP for t in words):
                    return _phrase(doc, words)
                break
    return None


def in_apposition_to_a_role(name) -> bool:
    """Whether the parse hangs a word and the role word of the phrase set off beside it one off
    the other: "Orlov, the harbour engineer," (the engineer off Orlov), "the harbour engineer,
    Orlov," (Orlov off the engineer), as an apposition or, misread, as a modifier. What a lone word
    set off beside a role phrase needs to be the role's holder: a town is set off beside a phrase
    with a role word in it too ("Tarsby, the mayor's home town,", where the role word hangs off
    "town")."""
    return (name.head.i != name.i and names_a_person(name.head.lower_)
            or any(names_a_person(c.lower_) for c in name.children))


def _phrase_names_a_person(words, span: Span) -> bool:
    """Whether a phrase set off after a name is headed by a noun that says what a person is and
    that the parse hangs off the name ("Orlov, the harbour engineer,", "Varn, a fisherman from
    Tarsby,"), where any title word in it makes it a role ("X, deputy minister of …"): a noun of
    a person elsewhere in it ("a town of fishermen") does not, nor one the parse gives another
    name ("in Tarsby, Kask's running mate, Eva Lund,")."""
    inside = {w.i for w in words}
    return any(w.head.i not in inside and span.start <= w.head.i < span.end and w.is_lower and names_a_person(w.lower_)
               for w in words)


def _phrase(doc, words) -> str | None:
    if not words:
        return None
    text = doc[words[0].i : words[-1].i + 1].text
    return re.sub(r"\s+", " ", text).strip() or None
