"""The name gazetteer: the names learned from the CoNLL train half (tools/train_ner_gazetteer.py,
stored as ner_gazetteer.json) and the first reading of an article's names by them.

A name the gazetteer knows takes its type, and known names the model missed are added
(`gazetteer_pass`); in lines written in capitals only known names count, a known given name or an
initial before capitalised words is a person, and in results tables a town names its team. The
context rules of `name_types` come after, and read the given names and the table and capitals
lines from here (`given_names`, `is_table`, `is_shouted`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from presswatch.names import ORG_HEADS, TITLE_WORDS, country_code
from presswatch.nlp.name_spans import (
    DATE_LIKE,
    DEMONYM_SHAPE,
    Span,
    quoted,
    tokens_of_lines,
)
from presswatch.records import NATIONALITY, ORGANIZATION, PERSON, PLACE

# CoNLL types in the gazetteer's order, as mention types; MISC (events, works, nationalities) is None.
_GAZETTEER_TYPES = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": PLACE, "MISC": None}
# A string is read as a name where it was an entity in at least this share of its train uses, and
# typed so where at least this share of those uses agree (tools/train_ner_gazetteer.py, CoNLL train;
# chosen on CoNLL dev with `presswatch eval entities`).
NAME_SHARE = 0.5
TYPE_SHARE = 0.6


_GAZETTEER_EVIDENCE = "a name the gazetteer knows (CoNLL train)"


@dataclass(frozen=True)
class _Known:
    type: str | None  # None: a name of no presswatch type (an event, a title, a nationality)
    named: bool  # an entity in most of its uses, so finding it is enough to read it as a name


@lru_cache(maxsize=1)
def _gazetteer_table() -> dict:
    return json.loads(resources.files("presswatch.nlp").joinpath("ner_gazetteer.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(_gazetteer_table()["given_names"])


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, _Known], dict[str, int]]:
    """Names learned from the CoNLL train half: nearly every sports club, national team and
    many companies are names the small model misses or mistypes (tools/train_ner_gazetteer.py).
    Also, for each word that opens a known name, the most words such a name has, so the scan
    looks up only where a name can start."""
    table = _gazetteer_table()
    types = [_GAZETTEER_TYPES[t] for t in table["types"]]
    known = {}
    longest: dict[str, int] = {}
    for key, counts in table["names"].items():
        *by_type, seen = counts
        labelled = sum(by_type)
        best = max(range(len(types)), key=by_type.__getitem__)
        if by_type[best] >= TYPE_SHARE * labelled:
            known[key] = _Known(types[best], labelled >= NAME_SHARE * seen)
            words = key.split(" ")
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return known, longest


def gazetteer_pass(doc, spans: list[Span]) -> list[Span]:
    """Type the model's names the gazetteer knows, and add the known names it missed.

    A known name overrides the model's type (and a name of no presswatch type is dropped); the
    longest known name starting at a capitalised word is added where no span covers it, or
    replaces the shorter spans it contains ("Hansa Rostock" over the model's "Rostock").
    """
    known, longest = _gazetteer()
    words = [t.text.casefold() for t in doc]
    shouting = tokens_of_lines(doc, is_shouted)
    kept = []
    for span in spans:
        entry = known.get(" ".join(words[span.start : span.end]))
        if entry is None and span.start in shouting:
            continue  # the model reads every word of an all-capitals line as a name
        if entry is not None and entry.type is None:
            if span.type == NATIONALITY or span.end - span.start == 1 and DEMONYM_SHAPE.search(doc[span.start].lower_):
                span.typed(NATIONALITY, _GAZETTEER_EVIDENCE)  # "Russian" (CoNLL files nationalities under MISC)
                span.known = True
                kept.append(span)
            continue  # an event, a title, a law: none of presswatch's types
        if entry is not None and not (span.type == ORGANIZATION and entry.type == PLACE and _after_article(doc, span)):
            # A body named by "the" + a place stays a body: "the Kremlin said" names the
            # government, as presswatch reads it, where CoNLL files the building (LOC).
            span.typed(entry.type, _GAZETTEER_EVIDENCE)
            span.known = True
        kept.append(span)
    owner = {i: s for s in kept for i in range(s.start, s.end)}
    added = []
    i = 0
    while i < len(doc):
        if words[i] not in longest or not doc[i].text[:1].isupper():
            i += 1
            continue
        for end in range(min(i + longest[words[i]], len(doc)), i, -1):
            entry = known.get(" ".join(words[i:end]))
            if entry is None or not entry.named or entry.type is None:
                continue
            inside = {id(owner[j]): owner[j] for j in range(i, end) if j in owner}
            # Spans exactly on the known name were typed above; only shorter ones give way.
            if all(s.start >= i and s.end <= end and s.end - s.start < end - i and not s.known for s in inside.values()):
                kept = [s for s in kept if id(s) not in inside]
                added.append(Span(i, end, entry.type, known=True, type_evidence=_GAZETTEER_EVIDENCE))
                i = end - 1
            break
        i += 1
    return _teams_in_tables(doc, _people_by_shape(doc, kept + added))


# A results or standings line: capitalised names, scores and table figures, "v"/"at" between
# teams, nothing else ("Grimsby 0 Portsmouth 1", "HOUSTON AT PITTSBURGH", "Hamilton 3 1 1 1 3 2 4").
_TABLE_WORD = re.compile(r"^(?:[A-Z][\w.'&-]*|\(|\)|v|vs\.?|AT|at|[\d.:/-]+|-)$")


def is_table(line: str) -> bool:
    words = line.split()
    # the word shapes first: a line of prose fails at its first lower-case word, where counting
    # its numbers read every word of a paragraph (four passes over each line of an article)
    if not words or not words[0][0].isupper() or not all(_TABLE_WORD.match(w) for w in words):
        return False
    numbers = sum((w[0].isdigit() or w.startswith(".")) and not DATE_LIKE.match(w) for w in words)
    return numbers >= 2 or any(w.lower() in ("v", "vs", "vs.", "at") for w in words)


_TABLE_EVIDENCE = "a town in a results table, naming its team"
COUNTRY_EVIDENCE = "a country (pycountry, countryinfo)"


def _teams_in_tables(doc, spans: list[Span]) -> list[Span]:
    """In a results table a town names its team ("Grimsby 0 Portsmouth 1"): a place there that is
    not a country (national sides are filed under their country) is an organisation."""
    table = tokens_of_lines(doc, is_table)
    if not table:
        return spans
    for span in spans:
        if span.type == PLACE and span.start in table and not country_code(doc[span.start : span.end].text):
            span.typed(ORGANIZATION, _TABLE_EVIDENCE)
    covered = {i for s in spans for i in range(s.start, s.end)}
    i = 0
    while i < len(doc):
        end = i
        while end in table and end not in covered and end - i < 4 and doc[end].text[:1].isupper() and doc[end].is_alpha and doc[end].text not in ("AT", "V"):
            end += 1
        if end > i and (end == len(doc) or doc[end].like_num or doc[end].is_space or doc[end].lower_ in ("v", "vs", "at")):
            text = doc[i:end].text
            spans.append(Span(i, end, PLACE, type_evidence=COUNTRY_EVIDENCE) if country_code(text)
                         else Span(i, end, ORGANIZATION, type_evidence=_TABLE_EVIDENCE))
        i = max(end, i + 1)
    return spans


def _after_article(doc, span: Span) -> bool:
    return span.start > 0 and doc[span.start - 1].lower_ == "the"


def is_shouted(line: str) -> bool:
    """A line written in capitals ("SOCCER - IRELAND BEAT LIECHTENSTEIN 5-0"): at least three
    words of two or more letters, none of them in lower case."""
    words = 0
    for word in _WORD.finditer(line):  # a line of prose fails at its first word, not after listing all
        if not word.group().isupper():
            return False
        words += 1
    return words >= 3


_WORD = re.compile(r"[^\W\d_]{2,}")
_INITIAL = re.compile(r"^[A-Z]\.$")


def _people_by_shape(doc, spans: list[Span]) -> list[Span]:
    """People the model missed or mistyped, known by shape: a known given name or an initial
    before one or two capitalised words ("Cosmin Contra", "H. Morris")."""
    given = given_names()
    by_start = {s.start: s for s in spans}
    covered = {i for s in spans for i in range(s.start, s.end)}
    for token in doc[:-1]:
        if not (token.text in given or _INITIAL.match(token.text)):
            continue
        end = token.i + 1
        while end < len(doc) and end - token.i <= 2 and doc[end].is_title and doc[end].is_alpha and doc[end].lower_ not in ORG_HEADS | TITLE_WORDS:
            end += 1
        if end == token.i + 1:
            continue
        existing = by_start.get(token.i)
        evidence = f"a known given name {quoted(doc, token.i, token.i + 1)}" if token.text in given else "an initial"
        if existing is not None and existing.end == end and not existing.known:
            existing.typed(PERSON, evidence)
        elif not covered.intersection(range(token.i, end)):
            spans.append(Span(token.i, end, PERSON, type_evidence=evidence))
            covered.update(range(token.i, end))
    return spans
