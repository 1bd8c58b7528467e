"""Mentions: the people, organisations, places and nationalities an article names.

The pipeline of one article's names (`mentions_from_doc`, `extract_mentions`): the small spaCy
model's names, found and cleaned here, then typed (`name_types`), given roles (`roles`) and linked
to their fuller forms (`name_links`). The model finds most names but makes a few errors often
enough to matter, and each is corrected by a general rule rather than by listing names. Here, where
a span starts and ends:
- a title swallowed into a person ("President Oskar Vellin") is cut off (`roles` reads it back),
  as is a title's object run into its holder's name ("Mayor of Fenwick Delphine Arkwright": the
  office's place a place, a portfolio nothing); a known given name the model stopped at runs on
  to the surname it left untagged ("Mayor Delphine Arkwright"); a named storm ("Storm Hettie")
  and a title alone ("Thank you, Councillor") are no names, nor is a sentence's opening adverb
  run into the name after it ("Later Varn");
- an organisation or role phrase swallowing the person after it ("Deputy Head of the Presidential
  Office Pavel Sorin") is split, and a name ending in an organisation word ("Kestrel News Agency")
  is an organisation, as is one ending in a media or a service word whatever the model typed
  ("Lerin Coast Online", "Nordvik Line");
- a name the model cut at "of" or a possessive ("Free City" + "of" + "Caldrun") is joined, and
  names it tends to miss are added: outlets named by their web address, acronyms heading a body's
  noun, a lone word after "in"/"at", a person after a role word or after a title's portfolio
  ("Minister for the Environment Arne Dahl") or set off beside a role or a trade ("Orlov, the
  harbour engineer,"), a service's name ("Lerin Link");
- site furniture left in a body (cookie and subscription notices, breadcrumbs, a wire story's
  credits: "(Reporting by X; editing by Y)") and section names ("Politics") give no mention.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import pairwise

from presswatch.names import (
    HONORIFICS,
    MEDIA_WORDS,
    NAMED_WEATHER,
    ORG_HEADS,
    PLACE_HEADS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    SERVICE_WORDS,
    TITLE_WORDS,
    is_acronym,
    is_demonym,
    is_given_name,
)
from presswatch.nlp.cues import SUBJECT_DEPS
from presswatch.nlp.furniture import is_credit_line
from presswatch.nlp.name_gazetteer import gazetteer_pass
from presswatch.nlp.name_links import add_acronyms, link_bodies_and_places, link_people
from presswatch.nlp.name_spans import (
    CALENDAR_WORDS,
    DATE_LIKE,
    DEMONYM_SHAPE,
    DETERMINERS,
    POSSESSIVE,
    Span,
    is_common_noun,
    quoted,
    tokens_of_lines,
)
from presswatch.nlp.name_types import (
    DESCRIBED_EVIDENCE,
    PLACE_OFFICES,
    a_full_name_speaking,
    acting_in_a_reported_clause,
    acts_in_a_reported_clause,
    add_surnames,
    described_as_a_person,
    opening_a_title,
    people_joined_to_people,
    placing_words,
    person_evidence,
    retype,
    role_evidence,
    type_the_outlet,
)
from presswatch.nlp.pipeline import PARSE_BATCH, doc_text
from presswatch.nlp.roles import apposition_role, in_apposition_to_a_role, opens_a_title, person_tokens, role
from presswatch.records import (
    NATIONALITY,
    ORGANIZATION,
    PERSON,
    PLACE,
    Article,
    Mention,
)

_LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "NORP": NATIONALITY}
# A publication named by its web address ("Lerinpost.net", "SKELBY.info"), not inside a URL or email.
_DOMAIN_NAME = re.compile(r"(?<![\w@/.:-])[A-Z][A-Za-z0-9-]*\.(?:com|net|org|info|news|[a-z]{2})(?![\w/.-]*\w)")
_DASHES = frozenset({"-", "–", "—"})
# Sections of a news site: capitalised in menus, breadcrumbs and tags, never a name on their own.
SECTION_NAMES = frozenset(
    ["news", "politics", "world", "business", "economy", "sport", "sports", "opinion", "culture", "society", "science", "technology", "tech", "health", "lifestyle", "entertainment", "video", "videos", "analysis", "home", "region", "regions", "latest", "local", "national", "international", "features", "comment", "editorial", "multimedia", "photos", "markets", "finance"]
)
# Lines that are a site's notices, not the article: cookie consent, subscription and sign-up
# prompts, copyright lines. Names in them ("Cookie Policy", "Privacy Policy") are never entities.
_NOTICE = re.compile(
    r"\b(?:(?:uses?|accept|enable|disable|manage) (?:all )?cookies|cookie (?:policy|settings|preferences|notice)"
    r"|privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)|subscribe (?:to|now)"
    r"|sign (?:up|in) (?:for|to)|all rights reserved|newsletter)\b|©",
    re.IGNORECASE,
)
# A breadcrumb or tag line: three or more short items with at least one separator mark.
_CRUMBS = re.compile(r"^\W*(?:[^\W\d][\w'’.-]*(?: [\w'’.-]+){0,3}\s*[|›»>•/,]\s*){2,}[\w'’. -]*$")
_CRUMB_MARK = re.compile(r"[|›»>•]")


def mentions_from_doc(doc, article: Article) -> list[Mention]:
    """The mentions of one article from its spaCy parse (parsed once, shared with statements)."""
    if doc_text(doc) != article.body:
        raise ValueError(f"the parse given for article {article.id} is not of its body")
    spans = [Span(e.start, e.end, _LABELS[e.label_]) for e in doc.ents if e.label_ in _LABELS]
    spans = [s for span in spans for s in _clean(doc, span)]
    spans = [s for s in spans if s.type == PERSON or _cut_before_a_title(doc, s)]
    spans = _join_of_phrases(doc, spans)
    spans = gazetteer_pass(doc, spans)
    spans = _add_untagged_bodies(doc, spans)
    acting_in_a_reported_clause(doc, spans)
    spans = retype(doc, spans)
    people_joined_to_people(doc, spans)
    spans = type_the_outlet(doc, spans, article.outlet)
    a_full_name_speaking(doc, spans)
    opening_a_title(doc, spans)
    spans = add_acronyms(doc, spans)
    spans = person_evidence(doc, spans)
    spans = add_surnames(doc, spans)
    people = person_tokens(spans)
    named = {i: (s.type, s.start) for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.type == PERSON and span.role is None:
            span.role = role(doc, span, people, named)
        if span.type == PERSON and span.type_evidence is None:  # what confirms the model's person
            span.type_evidence = (role_evidence(span.role) if span.role
                                  else DESCRIBED_EVIDENCE if described_as_a_person(doc[span.end - 1]) else None)
    link_people(doc, spans)
    link_bodies_and_places(doc, spans)
    mentions = []
    chrome = tokens_of_lines(doc, _is_chrome)
    for span in _without_overlaps(spans):
        if span.start in chrome or not _may_be_name(doc, span):
            continue
        text = doc[span.start : span.end].text
        start = doc[span.start].idx
        mentions.append(
            Mention(
                article_id=article.id,
                start=start,
                end=start + len(text),
                text=text,
                type=span.type,
                refers_to=span.refers_to or text,
                link_reason=span.link_reason if span.refers_to and span.refers_to != text else None,
                role=span.role,
                type_evidence=span.type_evidence,
            )
        )
    return mentions


def _is_chrome(line: str) -> bool:
    """Site furniture left in a body: a notice, a breadcrumb, a wire story's credits."""
    return bool(_NOTICE.search(line) or (_CRUMBS.match(line.strip()) and _CRUMB_MARK.search(line))
                or is_credit_line(line))


def _may_be_name(doc, span: Span) -> bool:
    """Whether a span can stand as a name at all: not a section of the site ("Politics"), and a
    nationality only if it is one ("Harbour" of "Harbour Master" is not)."""
    words = doc[span.start : span.end]
    if len(words) == 1 and words[0].lower_ in SECTION_NAMES:
        return False
    if span.type == NATIONALITY and not span.known:
        word = words[-1].text
        return bool(DEMONYM_SHAPE.search(word.lower()) or is_demonym(word))
    return True


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Spans in text order; where two rules claimed the same words, the longer span stays."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def extract_mentions(articles: Iterable[Article], nlp=None, batch_size: int = PARSE_BATCH) -> Iterator[tuple[Article, list[Mention]]]:
    """Parse articles with `nlp.pipe` and yield each with its mentions, in input order."""
    if nlp is None:
        from presswatch.nlp.pipeline import load_nlp

        nlp = load_nlp()
    pending = iter(articles)
    buffer: deque[Article] = deque()  # articles handed to spaCy, awaiting their parse

    def bodies():
        for article in pending:
            buffer.append(article)
            yield article.body

    for doc in nlp.pipe(bodies(), batch_size=batch_size):
        article = buffer.popleft()
        yield article, mentions_from_doc(doc, article)


# -- cleaning -----------------------------------------------------------------------------------


def _clean(doc, span: Span) -> list[Span]:
    """Trim a span to the name itself; may split it in two or drop it."""
    start, end = span.start, span.end
    # A name never runs over a line break; the model sometimes joins a heading to the next line.
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            end = i + 1 if doc[i].text.strip() and "\n" not in doc[i].text else i
            break
    while start < end and (
        doc[start].lower_ in DETERMINERS or doc[start].is_punct or not doc[start].text.strip()
        or (doc[start].lower_.rstrip(".") in HONORIFICS)
        or (span.type == PERSON and doc[start].lower_ in TITLE_WORDS and end - start > 1)
        or _opening_adverb(doc[start], end)
    ):
        start += 1
    while end > start and (doc[end - 1].lower_ in POSSESSIVE or doc[end - 1].is_punct or not doc[end - 1].text.strip()):
        end -= 1
    if end - start == 2 and doc[start].lower_ in NAMED_WEATHER and doc[start].is_title:
        return []  # a named storm ("Storm Hettie") is an event, neither a person nor a body
    if span.type == PERSON and end - start == 1 and doc[start].lower_ in TITLE_WORDS and not _a_persons_surname(doc, start):
        return []  # a title alone ("Thank you, Councillor") names nobody; "Major" after "John Major" does
    if span.type == PERSON and end - start == 1 and _surname_run_on(doc, start):
        end += 1  # "Mayor Delphine Arkwright": the model's person stopped at the given name
    if _title_object_run_into_a_name(doc, span.type, start, end):
        # "Mayor of Fenwick Delphine Arkwright": the model ran the title's place into the name
        return [*_office_place(doc, start, start + 1), Span(start + 1, end, PERSON)]
    if span.type == PERSON and end - start > 1 and end < len(doc) and doc[end].lower_ in TITLE_WORDS and opens_a_title(doc[end - 1]):
        end -= 1  # "a visit to Skelby US Under Secretary X": the model ran a place into the title's "US"
    if end <= start or not any(c.isupper() for c in doc[start:end].text):
        return []
    if span.type == PERSON and (
        any(t.like_num for t in doc[start:end])
        or (doc[end - 1].lower_ in ROLE_MODIFIERS and end < len(doc) and doc[end].lower_ in TITLE_WORDS)
    ):
        return []  # a date, or the start of a title ("Selvan Defence" of "Selvan Defence Minister X")
    if end < len(doc) and doc[end].lower_ in TITLE_WORDS and all(t.lower_ in ROLE_MODIFIERS for t in doc[start:end]):
        return []  # a title's first words typed a body ("Defence" of "Defence Minister X")
    if end - start == 1 and end < len(doc) and doc[end].lower_ in _PORTFOLIO_HEADS and is_common_noun(doc[start].lower_):
        return []  # a portfolio typed a body ("Transport" of "Transport Minister X")
    if (doc[end - 1].lower_ in ORG_HEADS and (span.type == PERSON or doc[end - 1].ent_type_ == "FAC")
            or doc[end - 1].lower_ in MEDIA_WORDS or doc[end - 1].lower_ in SERVICE_WORDS and end - start >= 2):
        # "Kestrel News Agency" typed a person, "Port Aldane Rovers" a facility, "Lerin Coast
        # Online" and "Nordvik Line" a place; a place the model typed a country or region
        # ("Soviet Union") stays one.
        span.typed(ORGANIZATION, f"its organisation word {quoted(doc, end - 1, end)}")
    while span.type != PERSON and end - start > 1 and (
        doc[end - 1].is_digit and not _numbered_station(doc, start, end) or DATE_LIKE.match(doc[end - 1].text)
    ):
        end -= 1  # "Bristol City 0", "Bosnia 1996-08-31": a score or a date after a name
    dashes = [i for i in range(start + 1, end - 1) if doc[i].text == "," or doc[i].text in _DASHES and doc[i - 1].whitespace_]
    if dashes:  # "Slovakia - Lubomir Moravcik", "Grace Road, Leicestershire": two names
        cuts = [start - 1, *dashes, end]
        return [p for a, b in pairwise(cuts) for p in _clean(doc, Span(a + 1, b, span.type))]
    if span.type != PERSON and end - start >= 3:
        if _venue_run_into_a_subject(doc, start, end):
            # "At a rally in Tarsby Eva Lund said": the venue's name, then the speaker's
            return [Span(start, end - 2, span.type), Span(end - 2, end, PERSON)]
        person = _trailing_person(doc, start, end)
        if person is not None:
            if any(doc[i].lower_ in ORG_HEADS for i in range(start, person)):
                return [Span(start, person, span.type), Span(person, end, PERSON)]
            return [*_office_place(doc, start, person), Span(person, end, PERSON)]
    return [Span(start, end, span.type, type_evidence=span.type_evidence)]


def _opening_adverb(token, end: int) -> bool:
    """A sentence's opening adverb the model ran into the name after it ("Later Varn insisted",
    typed one body): capitalised only by its place, it modifies the verb, not the name."""
    return token.is_sent_start and token.pos_ == "ADV" and token.dep_ == "advmod" and token.i + 1 < end and not token.i < token.head.i < end


def _a_persons_surname(doc, i: int) -> bool:
    """Whether the word at `i` ends a longer person's name the model found in the article ("John Major")."""
    return any(e.label_ == "PERSON" and len(e) > 1 and e[-1].lower_ == doc[i].lower_ for e in doc.ents)


def _office_place(doc, start: int, end: int) -> list[Span]:
    """The place of an office held for one ("Fenwick" of "Mayor of Fenwick Delphine Arkwright"),
    cut off the holder's name the model ran it into; a portfolio ("Minister for Waterways") is none."""
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in PLACE_OFFICES and end - start == 1 \
            and not is_common_noun(doc[start].lower_):
        return [Span(start, end, PLACE, type_evidence=f"the place of the office {quoted(doc, start - 2, end)}")]
    return []


def _surname_run_on(doc, i: int) -> bool:
    """Whether a lone known given name the model typed a person runs on into a surname it left
    untagged ("Mayor Delphine Arkwright ordered", tagged "Delphine"): the next word is the proper
    noun the given name modifies, capitalised, in no name of the model's and no title's or body's word."""
    after = i + 1
    return (after < len(doc) and is_given_name(doc[i].text) and doc[i].dep_ == "compound" and doc[i].head.i == after
            and doc[i].whitespace_ == " " and doc[after].pos_ == "PROPN" and doc[after].is_title and doc[after].is_alpha
            and doc[after].ent_type_ == "" and doc[after].lower_ not in TITLE_WORDS | ORG_HEADS | PLACE_HEADS)


def _title_object_run_into_a_name(doc, type_: str, start: int, end: int) -> bool:
    """Whether a person of three or four words opens with the object of a title's "of"/"for" run
    into the holder's full name ("Mayor of Fenwick Delphine Arkwright"): the first word no known
    given name, the second one (`names.is_given_name`). A body's or place's span is
    `_trailing_person`'s ("Minister for Waterways Henrietta Sallow", typed a body)."""
    return (type_ == PERSON and 3 <= end - start <= 4 and start >= 2 and doc[start - 1].lower_ in ("of", "for")
            and doc[start - 2].lower_ in ROLE_HEADS and doc[start].is_title
            and not is_given_name(doc[start].text) and is_given_name(doc[start + 1].text))


# A body's or place's head word that may open a title before a role word ("Harbour Master",
# "Police Chief", as `roles.role_start_after_venue` reads one); an outlet's word ends its name
# ("the Harbour Gazette Mayor").
_TITLE_STARTS = (ORG_HEADS - MEDIA_WORDS) | PLACE_HEADS


def _cut_before_a_title(doc, span: Span) -> bool:
    """Cut off a body's or place's name the title after it that the model ran into it ("the
    Council of Tarsby Mayor" of "… Mayor Eva Lund", "the Tarsby Ferry Trust Harbour" of "… Harbour
    Master Bengt Oyen"): `roles` reads the title, which a venue's or body's name never ends in.
    Whether anything of the name is left."""
    start, end = span.start, span.end
    if end >= len(doc) or not doc[end].is_title:
        return True
    cut = end
    if doc[end - 1].lower_ in ROLE_HEADS:
        while cut > start and doc[cut - 1].lower_ in TITLE_WORDS:
            cut -= 1
    if (
        doc[cut].lower_ in ROLE_HEADS and cut - 2 >= start
        and doc[cut - 1].lower_ in _TITLE_STARTS and _ends_a_name(doc[cut - 2])
    ):
        cut -= 1  # "Harbour Master" after a name already ended ("… Ferry Trust", "… NMA"); not "Gazette Mayor"
    span.end = cut
    # a body's word alone before a title is the title's first word ("Harbour" of "Harbour Master")
    return cut > start and not (cut - start == 1 and doc[start].lower_ in _TITLE_STARTS and doc[cut].lower_ in ROLE_HEADS)


def _ends_a_name(token) -> bool:
    """Whether a word may end a body's or place's name: its head word ("Trust") or an acronym ("NMA")."""
    return token.lower_ in ORG_HEADS | PLACE_HEADS or token.is_upper and token.is_alpha and len(token) >= 2


# Words a broadcaster's name opens with; its channel number is part of the name ("Radio Valmora 1").
_BROADCASTER_WORDS = frozenset(["radio", "tv", "television", "channel", "kanal"])


def _numbered_station(doc, start: int, end: int) -> bool:
    """Whether the span's last token is the number of a station it names ("Radio Valmora 1", "TV
    Skelby 2"): a short number right after a broadcaster's name, not a score in a results line."""
    return doc[start].lower_ in _BROADCASTER_WORDS and len(doc[end - 1].text) <= 2 and end - start >= 3


def _venue_run_into_a_subject(doc, start: int, end: int) -> bool:
    """Whether a name ending in two capitalised words is a fronted venue's last words run into
    the name of the subject its verb lacks ("At a rally in Tarsby Eva Lund said", "At a meeting
    of the Tarsby NMA Eva Lund said", typed one body): the object of a preposition after a common
    noun ("a rally in"), right before a verb with no subject of its own. A name ending in a
    body's word ("the Tarsby Council Eva Lund") is `_trailing_person`'s."""
    root = doc[start:end].root
    preposition = root.head
    if root.dep_ != "pobj" or preposition.pos_ != "ADP" or preposition.head.pos_ != "NOUN" or end >= len(doc):
        return False
    verb = doc[end]
    return (
        verb.pos_ in ("VERB", "AUX") and verb.is_ancestor(root)
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
        and all(t.is_title and t.is_alpha and t.lower_ not in ORG_HEADS | TITLE_WORDS for t in doc[end - 2 : end])
    )


def _trailing_person(doc, start: int, end: int) -> int | None:
    """Where a person begins at the end of a non-person span, if one does.

    "the Presidential Office Pavel Sorin", "State Marta Ilves" (after "Secretary of"): the tail is
    two or three capitalised words after an organisation word or after the object of "of", and
    a role word stands in or just before the span.
    """
    tail = end
    while tail > start and doc[tail - 1].is_title and doc[tail - 1].is_alpha and doc[tail - 1].lower_ not in ORG_HEADS | TITLE_WORDS:
        tail -= 1
    if tail == start and start > 0 and doc[start - 1].lower_ in ("of", "for"):
        tail += 1  # "Secretary of State Marta Ilves": State is the object of "of"
    if not 2 <= end - tail <= 3 or tail == start:
        return None
    window = doc[max(start - 4, 0) : tail]
    if any(t.lower_ in ROLE_HEADS for t in window) or doc[tail - 1].lower_ in ORG_HEADS:
        return tail
    return None


def _join_of_phrases(doc, spans: list[Span]) -> list[Span]:
    """One name the model cut in two at "of" ("Free City" + "of" + "Caldrun", "Foreign Ministry"
    + "of" + "Varnia") or at a possessive ("Varnia" + "'s" + "Foreign Ministry")."""
    spans.sort(key=lambda s: s.start)
    joined: list[Span] = []
    for span in spans:
        if joined:
            last = joined[-1]
            between = [t.lower_ for t in doc[last.end : span.start]]
            if (
                last.type in (ORGANIZATION, PLACE) and span.type in (PLACE, ORGANIZATION)
                and (span.type == PLACE or last.type == PLACE) and between in (["of"], ["of", "the"])
                and doc[last.end - 1].is_title
            ):
                last.end = span.end
                continue
            if (
                last.type == PLACE and span.type == ORGANIZATION and len(between) == 1 and between[0] in POSSESSIVE
                and doc[span.end - 1].lower_ in ORG_HEADS
            ):
                last.end = span.end  # "Varnia's Foreign Ministry"
                last.typed(ORGANIZATION, f"its organisation word {quoted(doc, span.end - 1, span.end)}")
                continue
        joined.append(span)
    return joined


def _add_untagged_bodies(doc, spans: list[Span]) -> list[Span]:
    """Organisations the model tends to miss: web outlets named by their domain ("Lerinpost.net")
    and acronyms heading a common noun of the organisation kind ("the NMA secretariat")."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    for match in _DOMAIN_NAME.finditer(doc_text(doc)):
        found = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if found is not None:
            spans = [s for s in spans if s.end <= found.start or s.start >= found.end]
            spans.append(Span(found.start, found.end, ORGANIZATION, type_evidence="a web address"))
            covered.update(range(found.start, found.end))
    spans = _add_titled_people(doc, spans, covered)
    spans = _add_holders_after_a_portfolio(doc, spans, covered)
    spans = _add_located_places(doc, spans, covered)
    spans = _add_reported_subjects(doc, spans, covered)
    spans = _add_services(doc, spans, covered)
    for token in doc[:-1]:
        after = doc[token.i + 1]
        if (
            token.i not in covered and token.is_upper and token.is_alpha and len(token) >= 2
            and is_acronym(token.text) and after.is_lower and after.lower_ in ORG_HEADS - SERVICE_WORDS  # "KV lines" are power lines
        ):
            spans.append(Span(token.i, token.i + 1, ORGANIZATION, type_evidence=f"an acronym before {quoted(doc, after.i, after.i + 1)}"))
    return spans


def _add_services(doc, spans: list[Span], covered: set[int]) -> list[Span]:
    """A carrier or a transport service the model missed ("the Lerin Link ferry service", "Lerin
    Link said"): two or three capitalised proper nouns closed by a service word (`SERVICE_WORDS`),
    a name on its own (no capitalised word runs on after it, as in a headline's "Link Power Cable")."""
    for token in doc[1:]:
        end = token.i + 1
        if token.lower_ not in SERVICE_WORDS or token.i in covered or end < len(doc) and doc[end].is_title:
            continue
        start = token.i
        while start > 0 and token.i - start < 2 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and doc[start - 1].is_alpha and doc[start - 1].i not in covered:
            start -= 1
        if start < token.i and token.is_title and (start == 0 or not (doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN")):
            spans.append(Span(start, end, ORGANIZATION, type_evidence=f"its organisation word {quoted(doc, token.i, end)}"))
            covered.update(range(start, end))
    return spans


def _add_reported_subjects(doc, spans: list[Span], covered: set[int]) -> list[Span]:
    """A one-word name the model missed as the subject of a clause someone reports ("Varnby will
    cover half the cost, Transport Minister Lena Stroem said"): the small model leaves an unfamiliar
    name opening a sentence untagged. Only a word the tagger reads as a proper noun and that is no
    common noun ("Fares will rise"); a body, as `name_types.acting_in_a_reported_clause` types such names."""
    for token in doc:
        if (
            token.i not in covered and token.pos_ == "PROPN" and token.is_title and token.is_alpha
            and token.dep_ in SUBJECT_DEPS and not any(c.dep_ == "compound" for c in token.children)
            and token.lower_ not in TITLE_WORDS | ORG_HEADS | CALENDAR_WORDS and not is_common_noun(token.lower_)
            and acts_in_a_reported_clause(token)
        ):
            spans.append(Span(token.i, token.i + 1, ORGANIZATION))
            covered.add(token.i)
    return spans


def _given_name_read_as_a_word(doc, i: int) -> bool:
    """A capitalised word right after a role word written in lower case, which the tagger read as
    a common word, before a proper noun: a given name that is also an English word ("coach Per
    Ulmstad"). Not where the role word is capitalised too (a headline in title case: "Coach In
    Trouble"), nor a word opening a sentence, nor before a day or month ("spokesman On Monday")."""
    return (doc[i - 1].is_lower and not doc[i].is_sent_start and i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN"
            and doc[i + 1].is_title and doc[i + 1].lower_ not in CALENDAR_WORDS | TITLE_WORDS | ORG_HEADS)


# Titles named by a portfolio before them ("Transport Minister", "Fisheries Secretary"): a common
# noun there is the portfolio, not a body (a company's "Apple CEO" keeps its name).
_PORTFOLIO_HEADS = frozenset(["minister", "secretary", "commissioner"])


def _add_located_places(doc, spans: list[Span], covered: set[int]) -> list[Span]:
    """A lone capitalised word after "in"/"at", or after other words that put it somewhere ("the
    mayor of Skelby", "the ferry to Kellsund": `name_types.placing_words`; there no common noun:
    "The Road to Recovery"), that the model missed, or took for a date, is a place ("the meeting
    in Skelby"): the small model tags unfamiliar names as DATE."""
    not_places = CALENDAR_WORDS | ORG_HEADS | TITLE_WORDS
    for token in doc[1:-1]:
        # the token's own tests first: the words around it are read only for the few that pass
        # (each `doc[i]` makes a Token object, most of this pass's cost on every word of a page)
        if (token.i in covered or not token.is_title or not token.is_alpha or token.pos_ != "PROPN"
                or token.ent_type_ not in ("", "DATE") or token.lower_ in not_places):
            continue
        before, after = doc[token.i - 1], doc[token.i + 1]
        at = token.i - 1 if before.lower_ in ("in", "at") else token.i - 2
        if (
            (at == token.i - 1 or at >= 0 and placing_words(before, doc[at]) and not is_common_noun(token.lower_))
            and not after.is_title
            and (token.ent_type_ == "" or token.ent_iob_ == "B" and after.ent_iob_ != "I")
        ):
            spans.append(Span(token.i, token.i + 1, PLACE, type_evidence=quoted(doc, at, token.i + 1, token.i)))
            covered.add(token.i)
    return spans


def _add_holders_after_a_portfolio(doc, spans: list[Span], covered: set[int]) -> list[Span]:
    """The holder of a title the model missed after the title's portfolio or place ("Minister for
    the Environment Arne Dahl said", "Mayor of Brenmouth Ingrid Falk"): after a role word and
    "for"/"of" (and "the"), a run of capitalised proper nouns in no name yet whose last two or three
    words open with a known given name (`names.is_given_name`) and the words before it with none."""
    for token in doc[1:-2]:
        if token.lower_ not in ("for", "of") or not _ends_a_title(doc, token.i):
            continue
        start = token.i + 1 + (doc[token.i + 1].lower_ == "the")
        end = start
        while end < len(doc) and end - start < 5 and doc[end].is_title and doc[end].is_alpha and doc[end].pos_ == "PROPN" \
                and end not in covered and doc[end].lower_ not in TITLE_WORDS:
            end += 1
        if end < len(doc) and doc[end].is_title and doc[end].is_alpha:
            continue
        holder = next((k for k in range(start + 1, end - 1) if end - k <= 3 and is_given_name(doc[k].text)
                       and not any(is_given_name(doc[j].text) for j in range(start, k))), None)
        if holder is not None:
            spans.append(Span(holder, end, PERSON, type_evidence=f"after the title {quoted(doc, token.i - 1, holder)}"))
            covered.update(range(holder, end))
    return spans


def _ends_a_title(doc, i: int) -> bool:
    """Whether the words before doc[i] end a capitalised title: a role word ("Minister"), or a role
    word with its own "of" phrase ("Secretary of State", before "for Fisheries")."""
    last = doc[i - 1]
    if last.lower_ in ROLE_HEADS:
        return last.is_title
    return (i >= 3 and last.is_title and doc[i - 2].lower_ == "of"
            and doc[i - 3].lower_ in ROLE_HEADS and doc[i - 3].is_title)


def _add_titled_people(doc, spans: list[Span], covered: set[int]) -> list[Span]:
    """Two or three capitalised words right after a role word are a person ("spokesperson Tobias
    Renning", "coach Per Ulmstad"), whether the model missed them or typed them otherwise; so is a
    name of one to three the model missed that the text sets off beside a role phrase ("its
    ambassador to Tarsenia, Oleg Tamarin", "Pavel Orlov, the harbour engineer, said", "the harbour
    engineer, Orlov, said"), a lone word only where the parse makes one the other's apposition
    (a town is set off beside a phrase with a role word in it too: "Tarsby, the mayor's home town")."""
    by_start = {s.start: s for s in spans}
    for start in range(len(doc) - 1):
        word = doc[start]
        if not word.is_title or not word.is_alpha:
            continue
        before = doc[start - 1] if start else None
        after_role = before is not None and before.lower_ in ROLE_HEADS
        if not after_role and (start in covered or word.pos_ != "PROPN" or before is not None and before.is_title and before.is_alpha):
            continue  # only a run's first word, where the model found no name
        end = start
        while end < len(doc) and end - start < 4 and doc[end].is_title and doc[end].is_alpha and doc[end].lower_ not in TITLE_WORDS | ORG_HEADS and (
                doc[end].pos_ == "PROPN" or after_role and end == start and _given_name_read_as_a_word(doc, end)):
            end += 1
        if not (2 if after_role else 1) <= end - start <= 3 or (end < len(doc) and doc[end].is_title and doc[end].is_alpha):
            continue
        if after_role:
            evidence = f"after the role word {quoted(doc, before.i, start)}"
        else:
            given = apposition_role(doc, Span(start, end, PERSON))
            if not given or covered.intersection(range(start, end)) or end - start == 1 and not in_apposition_to_a_role(word):
                continue
            evidence = role_evidence(given)
        existing = by_start.get(start)
        surname = by_start.get(start + 1) if existing is None and doc[start].pos_ != "PROPN" else None
        if surname is not None and surname.end == end and not surname.known:
            # the model found the surname alone, the given name before it read as a word ("Per")
            del by_start[surname.start]
            surname.start = by_start[start] = start
            surname.typed(PERSON, evidence)
            covered.add(start)
        elif existing is not None and existing.end == end and existing.type in (ORGANIZATION, PLACE):
            existing.typed(PERSON, evidence)
        elif not covered.intersection(range(start, end)):
            spans.append(Span(start, end, PERSON, type_evidence=evidence))
            covered.update(range(start, end))
    return spans
