"""In-article links: which fuller name of the same article a short form refers to.

Short forms are linked to the fullest form of the same name in the article ("Korhel" to "Anneli
Korhel", "Foreign Ministry" to "Selvan Foreign Ministry"), and acronyms the text defines ("Lerin
Basin Council (LBC)") to their expansion, also where the model missed them. Apart because linking
sets what a typed name refers to, not whether it is a name or its type; linking across articles
is `resolve`'s.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from presswatch.names import (
    PersonKey,
    acronym_fits,
    given_compatible,
    is_acronym,
    org_bag,
    org_head,
    truncates,
)
from presswatch.nlp.name_spans import DEMONYM_SHAPE, Span, text_key
from presswatch.nlp.pipeline import doc_text
from presswatch.records import ORGANIZATION, PERSON, PLACE

_ACRONYM_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z.&\-]{1,9})\s*\)")
_SENTENCE_BREAK = re.compile(r"[.!?;:\n()\"“”]")


# -- acronyms -----------------------------------------------------------------------------------


def add_acronyms(doc, spans: list[Span]) -> list[Span]:
    """Link acronyms the text defines to their expansion, adding mentions the model missed."""
    text = doc_text(doc)
    definitions: dict[str, Span] = {}
    for match in _ACRONYM_DEFINITION.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        expansion = _expansion_before(doc, spans, match.start())
        if expansion is not None:
            definitions.setdefault(acronym, expansion)
    if not definitions:
        return spans
    for token in doc:
        expansion = definitions.get(token.text)
        if expansion is None:
            continue
        existing = next((s for s in spans if s.start <= token.i < s.end), None)
        if existing is not None and existing.end - existing.start != 1:
            continue
        if existing is None:
            existing = Span(token.i, token.i + 1, expansion.type)
            spans.append(existing)
        existing.typed(expansion.type, expansion.type_evidence)
        existing.refers_to = doc[expansion.start : expansion.end].text
        existing.link_reason = f"acronym defined in the text as {existing.refers_to}"
    return spans


def _expansion_before(doc, spans: list[Span], paren_char: int) -> Span | None:
    """The name right before "(ACR)" whose words spell the acronym; a new span if NER missed it."""
    acronym = doc_text(doc)[paren_char:].split(")", 1)[0].strip("( ")
    end_token = doc.char_span(paren_char, paren_char + 1, alignment_mode="expand")
    if end_token is None:
        return None
    end = end_token.start
    for span in spans:
        if span.end == end and span.type != PERSON and acronym_fits(acronym, doc[span.start : span.end].text):
            return span
    # Not (or wrongly) recognised: the shortest run of words before the parenthesis that fits.
    for start in range(end - 1, max(end - 2 * len(acronym) - 4, -1), -1):
        if _SENTENCE_BREAK.search(doc[start].text) or "\n" in doc[start].whitespace_:
            break
        if not doc[start].is_title:
            continue
        if acronym_fits(acronym, doc[start:end].text):
            for span in list(spans):
                if span.start < end and span.end > start:
                    spans.remove(span)
            new = Span(start, end, ORGANIZATION)
            spans.append(new)
            return new
    return None


# -- in-article links ---------------------------------------------------------------------------


def link_people(doc, spans: list[Span]) -> None:
    """Short forms ("Korhel", "A. Korhel") refer to the one full name they fit, if only one."""
    people = [s for s in spans if s.type == PERSON]
    full_forms: dict[str, Counter] = defaultdict(Counter)
    for span in people:
        key = text_key(doc, span)
        if len(key.split()) >= 2:
            full_forms[key][doc[span.start : span.end].text] += 1
    # Full forms parsed once and filed by surname: only one with the short form's surname can be
    # `given_compatible` with it (comparing every full form per mention grew with the square of
    # a long article's names); the order among them is kept, which `_fullest` breaks ties by.
    by_surname: dict[str, list[tuple[str, PersonKey]]] = defaultdict(list)
    for k in full_forms:
        full = PersonKey.parse(k)
        by_surname[full.surname].append((k, full))
    for span in people:
        key = PersonKey.parse(text_key(doc, span))
        if not key.surname:
            continue
        candidates = [
            k for k, full in by_surname.get(key.surname, ())
            if k != " ".join((*key.given, key.surname)) and given_compatible(key, full) and _more_complete(full, key)
        ]
        fullest = _fullest(candidates)
        if fullest is not None:
            span.refers_to = full_forms[fullest].most_common(1)[0][0]
            span.link_reason = f"short form of {span.refers_to} in the same article"


def _more_complete(full: PersonKey, short: PersonKey) -> bool:
    return len(full.given) > len(short.given) or any(
        len(a) > len(b) for a, b in zip(full.given, short.given)
    )


def _fullest(candidates: list[str]) -> str | None:
    """The candidate every other one is a short form of; None when they name different people."""
    if not candidates:
        return None
    best = max(candidates, key=lambda k: (len(k.split()), len(k)))
    best_key = PersonKey.parse(best)
    if all(given_compatible(PersonKey.parse(k), best_key) for k in candidates):
        return best
    return None


def link_bodies_and_places(doc, spans: list[Span]) -> None:
    for type_ in (ORGANIZATION, PLACE):
        _link_short_forms(doc, [s for s in spans if s.type == type_ and not s.refers_to])


def _link_short_forms(doc, orgs: list[Span]) -> None:
    """A shorter name of an organisation or place ("Foreign Ministry", "Caldrun") refers to its
    one fuller form in the article ("Selvan Foreign Ministry", "Free City of Caldrun")."""
    orgs = [s for s in orgs if not is_acronym(doc[s.start : s.end].text)]
    bags: dict[frozenset, Counter] = defaultdict(Counter)
    for span in orgs:
        bags[org_bag(doc[span.start : span.end].text)][doc[span.start : span.end].text] += 1
    heads = {bag: org_head(names.most_common(1)[0][0]) for bag, names in bags.items()}
    # Each span is compared only with the bags that can be wider: those holding a word of its bag
    # (a wider bag holds them all), or for a lone word those with a name it opens or closes.
    # Comparing every bag per span grew with the square of a long article's names.
    by_word: dict[str, list[frozenset]] = defaultdict(list)
    by_edge_word: dict[str, dict[frozenset, None]] = defaultdict(dict)
    for b, names in bags.items():
        for word in b:
            by_word[word].append(b)
        for words in filter(None, (n.split() for n in names)):
            by_edge_word[words[0]][b] = by_edge_word[words[-1]][b] = None
    for span in orgs:
        text = doc[span.start : span.end].text
        bag, head = org_bag(text), org_head(text)
        if head is None and span.end - span.start == 1:
            # A lone word that opens or closes exactly one longer name ("Kestrel" after "Kestrel
            # News Agency", "Caldrun" after "Free City of Caldrun"); not a demonym ("Selvan").
            wider = [
                b for b in by_edge_word.get(text, ())
                if len(b) > 1 and not DEMONYM_SHAPE.search(text.lower())
            ]
        else:
            candidates = by_word.get(min(bag), ()) if bag else bags
            wider = [b for b in candidates if bag < b and (heads[b] == head or any(truncates(text, n) for n in bags[b]))]
        widest = [b for b in wider if not any(b < other for other in wider)]
        if len(widest) == 1:
            span.refers_to = bags[widest[0]].most_common(1)[0][0]
            span.link_reason = f"short form of {span.refers_to} in the same article"
