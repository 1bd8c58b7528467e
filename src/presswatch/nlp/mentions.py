"""Mentions: the people, organisations, places and nationalities an article names.

The small spaCy model finds most names but makes a few errors often enough to matter, and each is
corrected here by a general rule rather than by listing names:
- a title swallowed into a person ("President Oskar Vellin") is cut off and kept as a role;
- an organisation or role phrase swallowing the person after it ("Deputy Head of the Presidential
  Office Pavel Sorin") is split;
- a name ending in an organisation word ("Selvan Federation") is an organisation, and a name the
  text gives a role ("Hanne Orlov, the envoy") is a person, whatever the model typed;
- a demonym used as a modifier ("the Selvan envoy") is a nationality, not an organisation;
- one name typed two ways in one article takes its majority type;
- a name the gazetteer learned from the CoNLL train half knows takes its type, and known names the
  model missed are added; in lines written in capitals only known names count, and in results
  tables a town names its team;
- a capital or a country is a place, a country's demonym a nationality (pycountry, countryinfo);
- site furniture left in a body (cookie and subscription notices, breadcrumbs, a wire story's
  credits: "(Reporting by X; editing by Y)") and section names ("Politics") give no mention.
Short forms are then linked to the fullest form of the same name in the article, and acronyms the
text defines ("Lerin Basin Council (LBC)") to their expansion, also where the model missed them.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from presswatch.extract.dates import MONTH_NAMES, WEEKDAY_NAMES
from presswatch.names import (
    HONORIFICS,
    MEDIA_WORDS,
    ORG_HEADS,
    PLACE_HEADS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    TITLE_WORDS,
    PersonKey,
    acronym_fits,
    country_code,
    demonym_stem,
    given_compatible,
    is_acronym,
    is_capital,
    is_demonym,
    name_key,
    org_bag,
    org_head,
    token_key,
    truncates,
)
from presswatch.nlp.cues import REPORTING_WORDS, SUBJECT_DEPS, cue_word
from presswatch.nlp.furniture import dateline_spans, is_credit_line
from presswatch.nlp.pipeline import PARSE_BATCH, doc_text
from presswatch.records import NATIONALITY, ORGANIZATION, PERSON, PLACE, Article, Mention

_LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "NORP": NATIONALITY}

_DETERMINERS = frozenset({"the", "a", "an"})
# Words that open a role phrase without being part of the role ("its ambassador in Skelby").
_ROLE_OPENERS = _DETERMINERS | {"its", "his", "her", "their", "our", "whose"}
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_ROLE_JOINERS = frozenset({"of", "for", "the", "and", "on", "to"})
_ROLE_STOP = frozenset({",", ".", ";", ":", "(", ")", "[", "]", "—", "–", '"', "“", "”", "‘"})
_DEMONYM_SHAPE = re.compile(r"(?:an|ian|ese|ish|i)$")
# A publication named by its web address ("Lerinpost.net", "SKELBY.info"), not inside a URL or email.
_DOMAIN_NAME = re.compile(r"(?<![\w@/.:-])[A-Z][A-Za-z0-9-]*\.(?:com|net|org|info|news|[a-z]{2})(?![\w/.-]*\w)")
_CALENDAR = frozenset(
    [*MONTH_NAMES, "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", *WEEKDAY_NAMES, "christmas", "easter", "ramadan", "eid", "passover", "hanukkah", "diwali", "advent", "lent", "spring", "summer", "autumn", "fall", "winter"]
)
_COMPASS = frozenset(["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "upper", "lower", "greater"])
_ACRONYM_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z.&\-]{1,9})\s*\)")
_SENTENCE_BREAK = re.compile(r"[.!?;:\n()\"“”]")
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
# "(Reporting by X; editing by Y)": the credits of a wire story name people.
_CREDIT_WORDS = frozenset(["reporting", "editing", "writing", "compiled", "photo", "photos", "photograph", "additional"])
MAX_ROLE_TOKENS = 16


@dataclass
class _Span:
    """A name being cleaned: token range, its type, and what the rules learned about it."""

    start: int  # token index
    end: int
    type: str
    role: str | None = None
    refers_to: str | None = None
    link_reason: str | None = None
    known: bool = False  # typed by the gazetteer


def mentions_from_doc(doc, article: Article) -> list[Mention]:
    """The mentions of one article from its spaCy parse (parsed once, shared with statements)."""
    if doc_text(doc) != article.body:
        raise ValueError(f"the parse given for article {article.id} is not of its body")
    spans = [_Span(e.start, e.end, _LABELS[e.label_]) for e in doc.ents if e.label_ in _LABELS]
    spans = [s for span in spans for s in _clean(doc, span)]
    spans = _join_of_phrases(doc, spans)
    spans = _gazetteer_pass(doc, spans)
    spans = _add_untagged_bodies(doc, spans)
    _acting_in_a_reported_clause(doc, spans)
    spans = _retype(doc, spans)
    _people_joined_to_people(doc, spans)
    _type_the_outlet(doc, spans, article.outlet)
    spans = _add_acronyms(doc, spans)
    spans = _person_evidence(doc, spans)
    spans = _add_surnames(doc, spans)
    people = _person_tokens(spans)
    named = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.type == PERSON and span.role is None:
            span.role = _role(doc, span, people, named)
    _link_people(doc, spans)
    _link_bodies_and_places(doc, spans)
    mentions = []
    chrome = _tokens_of_lines(doc, _is_chrome)
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
            )
        )
    return mentions


def _tokens_of_lines(doc, test) -> set[int]:
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


def _is_chrome(line: str) -> bool:
    """Site furniture left in a body: a notice, a breadcrumb, a wire story's credits."""
    return bool(_NOTICE.search(line) or (_CRUMBS.match(line.strip()) and _CRUMB_MARK.search(line))
                or is_credit_line(line))


def _may_be_name(doc, span: _Span) -> bool:
    """Whether a span can stand as a name at all: not a section of the site ("Politics"), and a
    nationality only if it is one ("Harbour" of "Harbour Master" is not)."""
    words = doc[span.start : span.end]
    if len(words) == 1 and words[0].lower_ in SECTION_NAMES:
        return False
    if span.type == NATIONALITY and not span.known:
        word = words[-1].text
        return bool(_DEMONYM_SHAPE.search(word.lower()) or is_demonym(word))
    return True


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    """Spans in text order; where two rules claimed the same words, the longer span stays."""
    kept: list[_Span] = []
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


def _clean(doc, span: _Span) -> list[_Span]:
    """Trim a span to the name itself; may split it in two or drop it."""
    start, end = span.start, span.end
    # A name never runs over a line break; the model sometimes joins a heading to the next line.
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            end = i + 1 if doc[i].text.strip() and "\n" not in doc[i].text else i
            break
    while start < end and (
        doc[start].lower_ in _DETERMINERS or doc[start].is_punct or not doc[start].text.strip()
        or (doc[start].lower_.rstrip(".") in HONORIFICS)
        or (span.type == PERSON and doc[start].lower_ in TITLE_WORDS and end - start > 1)
    ):
        start += 1
    while end > start and (doc[end - 1].lower_ in _POSSESSIVE or doc[end - 1].is_punct or not doc[end - 1].text.strip()):
        end -= 1
    if end <= start or not any(c.isupper() for c in doc[start:end].text):
        return []
    if span.type == PERSON and (
        any(t.like_num for t in doc[start:end])
        or (doc[end - 1].lower_ in ROLE_MODIFIERS and end < len(doc) and doc[end].lower_ in TITLE_WORDS)
    ):
        return []  # a date, or the start of a title ("Selvan Defence" of "Selvan Defence Minister X")
    if end < len(doc) and doc[end].lower_ in TITLE_WORDS and all(t.lower_ in ROLE_MODIFIERS for t in doc[start:end]):
        return []  # a title's first words typed a body ("Defence" of "Defence Minister X")
    if doc[end - 1].lower_ in ORG_HEADS and (span.type == PERSON or doc[end - 1].ent_type_ == "FAC") or doc[end - 1].lower_ in MEDIA_WORDS:
        # "Kestrel News Agency" typed a person, "Port Aldane Rovers" a facility, "Lerin Coast
        # Online" a place; a place the model typed a country or region ("Soviet Union") stays one.
        span.type = ORGANIZATION
    if span.type != PERSON and doc[end - 1].lower_ in ROLE_HEADS and end < len(doc) and doc[end].is_title:
        return []  # a title before a name ("Harbour Master Bengt Oyen")
    while span.type != PERSON and end - start > 1 and (
        doc[end - 1].is_digit and not _numbered_station(doc, start, end) or _DATE_LIKE.match(doc[end - 1].text)
    ):
        end -= 1  # "Bristol City 0", "Bosnia 1996-08-31": a score or a date after a name
    dashes = [i for i in range(start + 1, end - 1) if doc[i].text == "," or doc[i].text in _DASHES and doc[i - 1].whitespace_]
    if dashes:  # "Slovakia - Lubomir Moravcik", "Grace Road, Leicestershire": two names
        cuts = [start - 1, *dashes, end]
        return [p for a, b in pairwise(cuts) for p in _clean(doc, _Span(a + 1, b, span.type))]
    if span.type != PERSON and end - start >= 3:
        person = _trailing_person(doc, start, end)
        if person is not None:
            parts = [_Span(person, end, PERSON)]
            if any(doc[i].lower_ in ORG_HEADS for i in range(start, person)):
                parts.insert(0, _Span(start, person, span.type))
            return parts
    return [_Span(start, end, span.type)]


# Words a broadcaster's name opens with; its channel number is part of the name ("Radio Valmora 1").
_BROADCASTER_WORDS = frozenset(["radio", "tv", "television", "channel", "kanal"])


def _numbered_station(doc, start: int, end: int) -> bool:
    """Whether the span's last token is the number of a station it names ("Radio Valmora 1", "TV
    Skelby 2"): a short number right after a broadcaster's name, not a score in a results line."""
    return doc[start].lower_ in _BROADCASTER_WORDS and len(doc[end - 1].text) <= 2 and end - start >= 3


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


def _join_of_phrases(doc, spans: list[_Span]) -> list[_Span]:
    """One name the model cut in two at "of" ("Free City" + "of" + "Caldrun", "Foreign Ministry"
    + "of" + "Varnia") or at a possessive ("Varnia" + "'s" + "Foreign Ministry")."""
    spans.sort(key=lambda s: s.start)
    joined: list[_Span] = []
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
                last.type == PLACE and span.type == ORGANIZATION and len(between) == 1 and between[0] in _POSSESSIVE
                and doc[span.end - 1].lower_ in ORG_HEADS
            ):
                last.end, last.type = span.end, ORGANIZATION  # "Varnia's Foreign Ministry"
                continue
        joined.append(span)
    return joined


def _add_untagged_bodies(doc, spans: list[_Span]) -> list[_Span]:
    """Organisations the model tends to miss: web outlets named by their domain ("Lerinpost.net")
    and acronyms heading a common noun of the organisation kind ("the NMA secretariat")."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    for match in _DOMAIN_NAME.finditer(doc_text(doc)):
        found = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if found is not None:
            spans = [s for s in spans if s.end <= found.start or s.start >= found.end]
            spans.append(_Span(found.start, found.end, ORGANIZATION))
            covered.update(range(found.start, found.end))
    spans = _add_titled_people(doc, spans, covered)
    spans = _add_located_places(doc, spans, covered)
    for token in doc[:-1]:
        after = doc[token.i + 1]
        if (
            token.i not in covered and token.is_upper and token.is_alpha and len(token) >= 2
            and is_acronym(token.text) and after.is_lower and after.lower_ in ORG_HEADS
        ):
            spans.append(_Span(token.i, token.i + 1, ORGANIZATION))
    return spans


def _add_located_places(doc, spans: list[_Span], covered: set[int]) -> list[_Span]:
    """A lone capitalised word after "in"/"at" that the model missed, or took for a date, is a
    place ("the meeting in Skelby"): the small model tags unfamiliar names as DATE."""
    for token in doc[1:-1]:
        if (
            doc[token.i - 1].lower_ in ("in", "at") and token.i not in covered and token.is_title and token.is_alpha
            and token.pos_ == "PROPN" and token.ent_type_ in ("", "DATE") and token.lower_ not in _CALENDAR
            and not doc[token.i + 1].is_title and token.lower_ not in ORG_HEADS | TITLE_WORDS
            and (token.ent_type_ == "" or token.ent_iob_ == "B" and (token.i + 1 >= len(doc) or doc[token.i + 1].ent_iob_ != "I"))
        ):
            spans.append(_Span(token.i, token.i + 1, PLACE))
            covered.add(token.i)
    return spans


def _add_titled_people(doc, spans: list[_Span], covered: set[int]) -> list[_Span]:
    """Two or three capitalised words right after a role word are a person ("spokesperson Tobias
    Renning", "coach Per Ulmstad"), whether the model missed them or typed them otherwise; so are
    ones set off by a comma after a role phrase ("its ambassador to Tarsenia, Oleg Tamarin")."""
    by_start = {s.start: s for s in spans}
    for token in doc[:-2]:
        after_role = token.lower_ in ROLE_HEADS
        if not after_role and token.text != ",":
            continue
        start = token.i + 1
        end = start
        while end < len(doc) and end - start < 4 and doc[end].is_title and doc[end].is_alpha and doc[end].pos_ == "PROPN" and doc[end].lower_ not in TITLE_WORDS | ORG_HEADS:
            end += 1
        if not 2 <= end - start <= 3 or (end < len(doc) and doc[end].is_title and doc[end].is_alpha):
            continue
        if not after_role and (covered.intersection(range(start, end)) or not _apposition_role(doc, _Span(start, end, PERSON))):
            continue
        existing = by_start.get(start)
        if existing is not None and existing.end == end and existing.type in (ORGANIZATION, PLACE):
            existing.type = PERSON
        elif not covered.intersection(range(start, end)):
            spans.append(_Span(start, end, PERSON))
            covered.update(range(start, end))
    return spans


# -- gazetteer ----------------------------------------------------------------------------------

# CoNLL types in the gazetteer's order, as mention types; MISC (events, works, nationalities) is None.
_GAZETTEER_TYPES = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": PLACE, "MISC": None}
# A string is read as a name where it was an entity in at least this share of its train uses, and
# typed so where at least this share of those uses agree (tools/train_ner_gazetteer.py, CoNLL train;
# chosen on CoNLL dev with `presswatch eval entities`).
NAME_SHARE = 0.5
TYPE_SHARE = 0.6


@dataclass(frozen=True)
class _Known:
    type: str | None  # None: a name of no presswatch type (an event, a title, a nationality)
    named: bool  # an entity in most of its uses, so finding it is enough to read it as a name


@lru_cache(maxsize=1)
def _gazetteer_table() -> dict:
    return json.loads(resources.files("presswatch.nlp").joinpath("ner_gazetteer.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
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


def _gazetteer_pass(doc, spans: list[_Span]) -> list[_Span]:
    """Type the model's names the gazetteer knows, and add the known names it missed.

    A known name overrides the model's type (and a name of no presswatch type is dropped); the
    longest known name starting at a capitalised word is added where no span covers it, or
    replaces the shorter spans it contains ("Hansa Rostock" over the model's "Rostock").
    """
    known, longest = _gazetteer()
    words = [t.text.casefold() for t in doc]
    shouting = _tokens_of_lines(doc, _is_shouted)
    kept = []
    for span in spans:
        entry = known.get(" ".join(words[span.start : span.end]))
        if entry is None and span.start in shouting:
            continue  # the model reads every word of an all-capitals line as a name
        if entry is not None and entry.type is None:
            if span.type == NATIONALITY or span.end - span.start == 1 and _DEMONYM_SHAPE.search(doc[span.start].lower_):
                span.type, span.known = NATIONALITY, True  # "Russian" (CoNLL files nationalities under MISC)
                kept.append(span)
            continue  # an event, a title, a law: none of presswatch's types
        if entry is not None and not (span.type == ORGANIZATION and entry.type == PLACE and _after_article(doc, span)):
            # A body named by "the" + a place stays a body: "the Kremlin said" names the
            # government, as presswatch reads it, where CoNLL files the building (LOC).
            span.type, span.known = entry.type, True
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
                added.append(_Span(i, end, entry.type, known=True))
                i = end - 1
            break
        i += 1
    return _teams_in_tables(doc, _people_by_shape(doc, kept + added))


# A results or standings line: capitalised names, scores and table figures, "v"/"at" between
# teams, nothing else ("Grimsby 0 Portsmouth 1", "HOUSTON AT PITTSBURGH", "Hamilton 3 1 1 1 3 2 4").
_TABLE_WORD = re.compile(r"^(?:[A-Z][\w.'&-]*|\(|\)|v|vs\.?|AT|at|[\d.:/-]+|-)$")


_DATE_LIKE = re.compile(r"^\d{4}-\d\d-\d\d$|^\d{1,2}[:.]\d\d$")


def _is_table(line: str) -> bool:
    words = line.split()
    numbers = sum((w[0].isdigit() or w.startswith(".")) and not _DATE_LIKE.match(w) for w in words)
    versus = any(w.lower() in ("v", "vs", "vs.", "at") for w in words)
    return bool(words) and words[0][0].isupper() and (numbers >= 2 or versus) and all(_TABLE_WORD.match(w) for w in words)


def _teams_in_tables(doc, spans: list[_Span]) -> list[_Span]:
    """In a results table a town names its team ("Grimsby 0 Portsmouth 1"): a place there that is
    not a country (national sides are filed under their country) is an organisation."""
    table = _tokens_of_lines(doc, _is_table)
    if not table:
        return spans
    for span in spans:
        if span.type == PLACE and span.start in table and not country_code(doc[span.start : span.end].text):
            span.type = ORGANIZATION
    covered = {i for s in spans for i in range(s.start, s.end)}
    i = 0
    while i < len(doc):
        end = i
        while end in table and end not in covered and end - i < 4 and doc[end].text[:1].isupper() and doc[end].is_alpha and doc[end].text not in ("AT", "V"):
            end += 1
        if end > i and (end == len(doc) or doc[end].like_num or doc[end].is_space or doc[end].lower_ in ("v", "vs", "at")):
            text = doc[i:end].text
            spans.append(_Span(i, end, PLACE if country_code(text) else ORGANIZATION))
        i = max(end, i + 1)
    return spans


def _after_article(doc, span: _Span) -> bool:
    return span.start > 0 and doc[span.start - 1].lower_ == "the"


def _is_shouted(line: str) -> bool:
    """A line written in capitals ("SOCCER - IRELAND BEAT LIECHTENSTEIN 5-0"): at least three
    words of two or more letters, none of them in lower case."""
    words = _WORD.findall(line)
    return len(words) >= 3 and all(w.isupper() for w in words)


_WORD = re.compile(r"[^\W\d_]{2,}")
_INITIAL = re.compile(r"^[A-Z]\.$")


def _people_by_shape(doc, spans: list[_Span]) -> list[_Span]:
    """People the model missed or mistyped, known by shape: a known given name or an initial
    before one or two capitalised words ("Cosmin Contra", "H. Morris")."""
    given = _given_names()
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
        if existing is not None and existing.end == end and not existing.known:
            existing.type = PERSON
        elif not covered.intersection(range(token.i, end)):
            spans.append(_Span(token.i, end, PERSON))
            covered.update(range(token.i, end))
    return spans


# -- types --------------------------------------------------------------------------------------


# How a clause hangs off the reporting verb that reports it: "said Brennick would fund" (ccomp),
# "Varnholm will pay ..., Lena Stroem said" (the parser hangs "said" off "pay" as parataxis).
_REPORTED_DEPS = frozenset(["ccomp", "parataxis"])


def _acting_in_a_reported_clause(doc, spans: list[_Span]) -> None:
    """A one-word name the model typed a person only for doing something in a clause someone
    reports ("Varnholm will pay half the cost, Lena Stroem said", "Stroem said Brennick would fund
    the ferry") is a body: the model's guess for a subject that acts, which a town, a company or
    a person can be alike, and it types most such words an organisation. Kept a person: a name
    the gazetteer knows, a known given name, the surname of a person named in full, a name after
    an honorific or title, given a role ("Brennick, the envoy,") or described with "who",
    and the subject of a reporting verb (saying is the speaker's, and the statements stage reads
    the speaker). Later rules can make it a place ("talks in Varnholm")."""
    surnames = _surnames(doc, spans)
    given = _given_names()
    for span in spans:
        token = doc[span.start]
        if (span.type != PERSON or span.end - span.start != 1 or span.known or token.lower_ in surnames
                or token.text in given or span.start and doc[span.start - 1].lower_ in TITLE_WORDS
                or token.dep_ not in SUBJECT_DEPS or _apposition_role(doc, span) or described_as_a_person(token)):
            continue
        verb = token.head
        if cue_word(verb) in REPORTING_WORDS:
            continue
        reported = verb.dep_ in _REPORTED_DEPS and cue_word(verb.head) in REPORTING_WORDS or any(
            child.dep_ in _REPORTED_DEPS and cue_word(child) in REPORTING_WORDS for child in verb.children)
        if reported:
            span.type = ORGANIZATION


def _retype(doc, spans: list[_Span]) -> list[_Span]:
    tables = lru_cache(maxsize=1)(lambda: _tokens_of_lines(doc, _is_table))  # read only where asked
    for span in spans:
        token = doc[span.start]
        if (
            span.end - span.start == 1 and span.type != NATIONALITY
            and token.dep_ in ("compound", "amod") and token.head.i >= span.end
            and token.head.ent_type_ in ("", "NORP") and token.head.pos_ in ("NOUN", "PROPN")
            and _DEMONYM_SHAPE.search(token.lower_)
        ):
            span.type = NATIONALITY  # "the Selvan envoy": a demonym modifying a noun
    demonyms = {
        demonym_stem(token_key(doc[s.start].text)): token_key(doc[s.start].text)
        for s in spans if s.type == NATIONALITY and s.end - s.start == 1
    }
    spans = _add_demonym_places(doc, spans, demonyms)
    placed, placed_names = _placed_by_context(doc, spans)
    for span in spans:
        words = doc[span.start : span.end]
        key = token_key(words[0].text)
        if span.type in (ORGANIZATION, PERSON) and len(words) == 1 and demonym_stem(key) in demonyms and demonyms[demonym_stem(key)] != key:
            span.type = PLACE  # "Tarsenia" typed ORG where the text also says "Tarsenian"
        elif span.type in (ORGANIZATION, PERSON) and len(words) == 1 and (
            span.start in placed or not span.known and _text_key(doc, span) in placed_names and span.start not in tables()
        ):
            # "talks in Vyshtal": a capital the model took for its government, and so is every
            # other "Vyshtal" of the article ("Vyshtal would never accept"): where the text puts
            # a name outweighs any count of the model's types.
            span.type = PLACE
        elif span.type == ORGANIZATION and len(words) > 1 and words[0].lower_ in _COMPASS and not any(
            w.lower_ in ORG_HEADS for w in words
        ):
            span.type = PLACE  # "North Lerin", "Central Varnia"
        elif _named_as_place(words, span) and span.start not in tables():
            span.type = PLACE  # "Mirren Bay", "North Harbour", "Port Elsby" (in a results table, a team)
    surnames = _surnames(doc, spans)
    places_of = _places_after_of(doc, spans)
    for span in spans:
        text = doc[span.start : span.end].text
        if span.known or span.type not in (PERSON, ORGANIZATION) or doc[span.end - 1].lower_ in surnames:
            continue
        if country_code(text) or span.type == PERSON and is_capital(text):
            span.type = PLACE  # "assist Yerevan": a capital or a country is a place
        elif span.type == PERSON and span.end - span.start == 1 and is_demonym(text):
            span.type = NATIONALITY  # "Azerbaijani" read as a person
        elif span.end - span.start == 1 and doc[span.start].lower_ in places_of:
            span.type = PLACE  # "Caldrun hosts": the place the text calls "the Free City of Caldrun"
    org_openers = Counter(doc[s.start].lower_ for s in spans if s.type == ORGANIZATION and s.end - s.start >= 2)
    for span in spans:
        word = doc[span.start].lower_
        if span.type == PERSON and span.end - span.start == 1 and word not in surnames and org_openers[word] == 1:
            span.type = ORGANIZATION  # "Kestrel" after "Kestrel News Agency"
    votes: dict[str, Counter] = defaultdict(Counter)
    for span in spans:
        votes[_text_key(doc, span)][span.type] += 1
    for span in spans:
        key = _text_key(doc, span)
        if span.type in (ORGANIZATION, PLACE) and span.end - span.start == 1 and doc[span.start].lower_ in surnames:
            span.type = PERSON  # "Korhel" typed ORG after "Anneli Korhel"
            continue
        ranked = votes[key].most_common()
        if len(ranked) > 1 and span.type != NATIONALITY:
            best, count = ranked[0]
            tied = [t for t, c in ranked if c == count]
            if len(tied) > 1 and PERSON in tied and span.end - span.start == 1 and doc[span.start].lower_ not in surnames:
                tied.remove(PERSON)  # a lone word is more often a place or body than a person
            if best != NATIONALITY:
                span.type = tied[0] if span.type not in tied else span.type
    return spans


# The place of a dateline: its words before the date, the agency or the dash.
_DATELINE_PLACE = re.compile(r"\s*([^,(\n–—]*?)\s*(?:,|\(|--?\s|[–—])")
# Words after which "to" or "from" leads to a place ("her visit to Vyshtal", "on his return from Skelby").
_JOURNEYS = frozenset(["visit", "return", "trip", "journey", "travel", "fly", "flight", "move", "arrive", "drive", "sail"])
# Nouns that a place's name stands in apposition to ("the capital, Vyshtal").
_SETTLEMENTS = frozenset(["capital", "city", "town", "village", "port"])


def _placed_by_context(doc, spans: list[_Span]) -> tuple[set[int], set[str]]:
    """The lone words among `spans` that the text puts somewhere (their start tokens), and the
    keys of those and of the place a dateline names: after "in" or "at" ("talks in Vyshtal"),
    after "to" or "from" on a journey ("her visit to Vyshtal"), in apposition to a settlement
    ("the capital, Vyshtal"); a dateline's place ("VYSHTAL, March 11 (Kestrel) - ") counts also
    where the model found no name in it, if it gives a date or an agency ("CRICKET - " is a slug).
    Not an acronym ("talks at the LBC"), nor an organisation word. A word placed in a results table
    or a line in capitals is a place there ("TEXAS AT MINNESOTA") but tells nothing of its other
    mentions (the teams of "BALTIMORE 67 58"), and only "in" and "at" place it there ("RETURN TO
    WARWICKSHIRE" is the county's cricket team)."""
    names = {name_key(_DATELINE_PLACE.match(doc.text[start:end]).group(1)) for start, end in dateline_spans(doc.text)
             if re.search(r"[,(]", doc.text[start:end])}  # with a date or an agency: "CRICKET - " is a slug
    placed = set()
    aside = _tokens_of_lines(doc, lambda line: _is_table(line) or _is_shouted(line))  # "SEATTLE AT BALTIMORE"
    for span in spans:
        if span.end - span.start != 1 or span.start == 0:
            continue
        token, before = doc[span.start], doc[span.start - 1]
        if token.lower_ in ORG_HEADS or is_acronym(token.text):
            continue
        two_before = doc[span.start - 2] if span.start >= 2 else None
        if before.lower_ in ("in", "at"):
            placed.add(span.start)  # also in a table or a headline in capitals: "In Bergen :", "TEXAS AT MINNESOTA"
        elif span.start in aside:
            continue
        elif (before.lower_ in ("to", "from") and two_before is not None and two_before.lemma_.lower() in _JOURNEYS
              or before.text == "," and two_before is not None and two_before.lower_ in _SETTLEMENTS):
            placed.add(span.start)
        if span.start in placed and span.start not in aside:
            names.add(_text_key(doc, span))
    return placed, names - {""}


def _type_the_outlet(doc, spans: list[_Span], outlet: str | None) -> None:
    """The page's own outlet named in its text ("told Goalmouth", "Lerin Coast Online reported")
    is an organisation, whatever the model or the place and person rules made of its words."""
    key = name_key(outlet or "").removeprefix("the ")
    if not key:
        return
    for span in spans:
        if span.type != NATIONALITY and _text_key(doc, span).removeprefix("the ") == key:
            span.type = ORGANIZATION


def _people_joined_to_people(doc, spans: list[_Span]) -> None:
    """A bare name joined by "and" to a person, the two saying something together, is a person:
    "Kask and Orlov said" names two people, where the model typed "Orlov" a body. Only as the
    subject of a reporting verb: elsewhere a person and a club or a firm are joined as often (on
    CoNLL train, the rule everywhere cost 0.0001 F1). Not a name with a body's or place's word in
    it ("Kask and the Port Authority"), an acronym, or a body the gazetteer knows."""
    person_at = {i for s in spans if s.type == PERSON for i in range(s.start, s.end)}
    for span in spans:
        words = doc[span.start : span.end]
        if span.type != ORGANIZATION or span.known or is_acronym(words.text) or any(
            w.pos_ != "PROPN" or w.lower_ in ORG_HEADS | PLACE_HEADS for w in words
        ):
            continue
        root = words.root
        first = root.head if root.dep_ == "conj" else root
        if first.dep_ != "nsubj" or cue_word(first.head) not in REPORTING_WORDS:
            continue
        partners = [root.head] if root.dep_ == "conj" else []
        partners += [c for c in root.children if c.dep_ == "conj"]
        if any(p.i in person_at and _joined_by_and(doc, min(p.i, root.i), max(p.i, root.i)) for p in partners):
            span.type = PERSON


def _joined_by_and(doc, first: int, last: int) -> bool:
    """Whether the words between two conjuncts hold the "and" that joins them."""
    return any(t.lower_ == "and" and t.dep_ == "cc" for t in doc[first + 1 : last])


def _add_demonym_places(doc, spans: list[_Span], demonyms: dict[str, str]) -> list[_Span]:
    """A capitalised word the model missed whose stem is that of a demonym the article uses is the
    place it names ("Drevany" beside "Drevan officials"): a stem with a place's ending. Not another
    demonym ("Drevans", "Pakistani"), which ends like one, nor a people's name that is the bare
    stem ("Kurd" beside "Kurdish")."""
    if not demonyms:
        return spans
    covered = {i for s in spans for i in range(s.start, s.end)}
    for token in doc:
        if token.i in covered or not token.is_title or not token.is_alpha or token.is_sent_start and token.pos_ != "PROPN":
            continue
        key = token_key(token.text)
        stem = demonym_stem(key)
        if (stem != key and demonyms.get(stem, key) != key and not _DEMONYM_SHAPE.search(token.lower_)
                and not token.lower_.endswith("s")):
            spans.append(_Span(token.i, token.i + 1, PLACE))
    return spans


# Words that open a place's name as its head noun does elsewhere ("Port Elsby", "Mount Varn").
_PLACE_OPENERS = frozenset(["port", "mount", "lake", "cape", "fort", "isle", "gulf"])


def _named_as_place(words, span: _Span) -> bool:
    """A name whose head noun says it is a place: its last word, or the last before its "of"
    ("Mirren Bay", "North Harbour", "Free City of Caldrun"; not "Commonwealth of … States"), or an
    opening one ("Port Elsby"), with no organisation word in it ("Port Aldane Rovers", "Harbour
    Authority", "Elsby School District"). Not a name the gazetteer knows, nor a person the text
    gives a role or a known given name ("Michael Bay"). In a results table a town names its team
    (_teams_in_tables), so the caller leaves table lines alone."""
    if span.type not in (ORGANIZATION, PERSON) or span.known or len(words) < 2:
        return False
    lowered = [w.lower_ for w in words]
    head = lowered[lowered.index("of") - 1] if "of" in lowered[1:] else lowered[-1]
    if set(lowered) & ORG_HEADS or span.type == PERSON and (span.role or words[0].text in _given_names()):
        return False
    return head in PLACE_HEADS or ("of" not in lowered and lowered[0] in _PLACE_OPENERS and words[-1].is_title)


def _places_after_of(doc, spans: list[_Span]) -> set[str]:
    """Words naming the place in "Free City of Caldrun", whether the model took the whole name
    or stopped before "of" (as it does where a wrapped line falls after "of")."""
    words = {doc[s.end - 1].lower_ for s in spans if s.type == PLACE and s.end - s.start >= 3 and doc[s.end - 2].lower_ == "of"}
    starts = {s.start: s for s in spans}
    for span in spans:
        if span.type != PLACE:
            continue
        after = [t for t in doc[span.end : span.end + 3] if not t.is_space]
        if len(after) >= 2 and after[0].lower_ == "of" and after[1].i in starts and starts[after[1].i].end == after[1].i + 1:
            words.add(after[1].lower_)
    return words


_PERSONAL_RELATIVES = {"who", "whom", "whose"}


def described_as_a_person(noun) -> bool:
    """"the harbour pilot, who asked not to be named", "Ilsa Vantorp, whose ministry runs the
    port": a relative clause opened by "who", "whom" or "whose" says the noun it hangs off is a
    person."""
    return any(c.dep_ == "relcl" and c.left_edge.lower_ in _PERSONAL_RELATIVES for c in noun.children)


def _person_evidence(doc, spans: list[_Span]) -> list[_Span]:
    """A non-person name that the text gives a role ("Hanne Orlov, the envoy,"), describes with
    "who" ("Ilsa Vantorp, whose ministry …") or credits ("editing by Marit Olse") is a person,
    also where the model took only the surname for a place ("ambassador to Tarsenia, Oleg
    [Tamarin]")."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    people = _person_tokens(spans)  # kept up to date as names turn out to be people
    for span in spans:
        if span.type not in (ORGANIZATION, PLACE) or span.known or any(
            doc[i].lower_ in ORG_HEADS | PLACE_HEADS for i in range(span.start, span.end)
        ) or is_acronym(doc[span.start : span.end].text):
            continue
        before = doc[span.start - 1] if span.start else None
        if span.end - span.start == 1 and before is not None and before.i not in covered and before.is_title and before.is_alpha and before.pos_ == "PROPN" and before.lower_ not in TITLE_WORDS:
            wider = _Span(span.start - 1, span.end, span.type)
            role = _role(doc, wider, people, covered)
            if role:
                span.start, span.type, span.role = wider.start, PERSON, role
                covered.add(wider.start)
                people.update(range(span.start, span.end))
            continue
        if described_as_a_person(doc[span.end - 1]):
            span.type = PERSON
            people.update(range(span.start, span.end))
            continue
        if span.end - span.start < 2:
            continue
        if span.start >= 2 and doc[span.start - 1].lower_ == "by" and doc[span.start - 2].lower_ in _CREDIT_WORDS:
            span.type = PERSON
            people.update(range(span.start, span.end))
            continue
        role = _role(doc, span, people, covered)
        if role:
            span.type, span.role = PERSON, role
            people.update(range(span.start, span.end))
    return spans


def _text_key(doc, span: _Span) -> str:
    return name_key(doc[span.start : span.end].text)


# -- roles --------------------------------------------------------------------------------------


def _person_tokens(spans: list[_Span]) -> set[int]:
    """The token indices of the person names among `spans`."""
    return {i for s in spans if s.type == PERSON for i in range(s.start, s.end)}


def _role(doc, span: _Span, people: set[int], named: set[int]) -> str | None:
    """The role the text gives a name; `people` holds the tokens of every person name, `named`
    those of every name (where a fronted venue's words end, `role_start_after_venue`). A title
    stops at another person's name, and is read only before the span, so the span's own tokens
    in `people` never matter: one set serves every span (a set of the others' tokens made per
    span grew with the square of a long article's names)."""
    return _apposition_role(doc, span) or _premodifier_role(doc, span, people, named)


def _premodifier_role(doc, span: _Span, other_people: set[int], named: set[int]) -> str | None:
    """A title in front of the name: "Selvan Foreign Minister X", "Ministry spokesperson X"; not the
    words of a venue fronted without a comma ("At a rally in Port Aldane Councillor X said")."""
    words = _title_before(doc, span.start, other_people)
    if words and _after_fronted_venue(doc, words[0].i, span):
        start = role_start_after_venue(doc, words[0].i, span.start, named)
        words = [w for w in words if w.i >= start]
    if not any(w.lower_ in ROLE_HEADS for w in words):
        return None
    return _phrase(doc, words)


# Prepositions whose object is the speaker of a cue: "according to X", "was announced by X".
SPEAKER_PREPOSITIONS = frozenset({"to", "by", "from"})


def _after_fronted_venue(doc, first: int, span: _Span) -> bool:
    """Whether the title words from token `first` follow a venue put before the clause without a
    comma, so the parser may have run its last words into the title: a preposition just before
    them (past an article) and the name the subject of the verb after it, where that verb has no
    subject of its own ("In an interview with the Harbour Gazette Mayor Anna Kask said"). Not a
    name that is the preposition's own object in a clause with its subject ("In talks with US
    Under Secretary Ann Lee the envoy said"), nor one after "according to"."""
    before = first - 1
    while before >= 0 and doc[before].pos_ == "DET":
        before -= 1
    if before < 0 or doc[before].pos_ != "ADP" or doc[before].lower_ in SPEAKER_PREPOSITIONS | _ROLE_JOINERS:
        return False
    name = doc[span.start : span.end].root
    verb = next((t for t in name.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.i < name.i:
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return all(s.i == name.i for s in subjects)


def role_start_after_venue(doc, first: int, person: int, named: set[int]) -> int:
    """Where a person's title starts among the words from token `first` to the name at `person`,
    when the words before it are a fronted venue's: back from the name over title words and a
    body's word before a role ("Harbour Master", "Police Chief"), but not a named body's or place's
    ("Harbour Gazette Mayor", "Port Aldane Councillor"); `named` holds the tokens of the names.
    The statements stage cuts a speaker's words at the same place."""
    start = person
    while start - 1 >= first and (
        doc[start - 1].lower_ in TITLE_WORDS
        or doc[start].lower_ in ROLE_HEADS and doc[start - 1].lower_ in ORG_HEADS | PLACE_HEADS
        and start - 1 not in named
    ):
        start -= 1
    return start


def _title_before(doc, end: int, other_people: set[int] = frozenset()) -> list:
    """The run of title words ending just before token `end` ("US Under Secretary of State")."""
    i = end
    while i > 0 and end - i < MAX_ROLE_TOKENS:
        token = doc[i - 1]
        if token.text in _ROLE_STOP or token.text.count("\n") > 1 or token.i in other_people:
            break  # a paragraph break ends a title; a wrapped line does not
        if token.lower_ in _ROLE_JOINERS and any(w.lower_ in ROLE_HEADS - ROLE_MODIFIERS for w in doc[i:end]):
            break  # "a spokesperson for Mayor X": X is the mayor; the spokesperson is someone else
        if token.is_space or token.lower_ in _POSSESSIVE or token.lower_ in TITLE_WORDS or token.is_title or token.is_upper or _joins_a_compound(doc, token) or token.lower_ in _ROLE_JOINERS and i - 1 > 0 and (
            doc[i - 2].is_title or doc[i - 2].lower_ in TITLE_WORDS | _ROLE_JOINERS
        ):
            i -= 1
        else:
            break
    words = list(doc[i:end])
    # Drop what leads in without being part of the title: dates, joiners, sentence adverbs.
    while words and (
        words[0].lower_ in _ROLE_JOINERS | _POSSESSIVE or words[0].ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL")
        or (words[0].pos_ not in ("PROPN", "ADJ", "NOUN") and words[0].lower_ not in TITLE_WORDS)
    ):
        words.pop(0)
    return words


def _joins_a_compound(doc, token) -> bool:
    """The hyphen inside a hyphenated word ("Anti-Corruption Bureau chief"), which spaCy splits off."""
    return token.text in ("-", "‐") and not token.whitespace_ and token.i > 0 and not doc[token.i - 1].whitespace_


def _apposition_role(doc, span: _Span) -> str | None:
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
            words and any(w.lower_ in ROLE_HEADS for w in words)
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
            if head.lower_ in ROLE_HEADS and head.tag_ in ("NN", "NNP", "NNS"):
                start = head.left_edge.i
                words = _title_before(doc, start) + list(doc[start : last.i + 1])
                while words and words[0].lower_ in _ROLE_OPENERS:
                    words.pop(0)
                if words and len(words) <= MAX_ROLE_TOKENS and not any(t.text in _ROLE_STOP for t in words):
                    return _phrase(doc, words)
                break
    return None


def _phrase(doc, words) -> str | None:
    if not words:
        return None
    text = doc[words[0].i : words[-1].i + 1].text
    return re.sub(r"\s+", " ", text).strip() or None


# -- acronyms -----------------------------------------------------------------------------------


def _add_acronyms(doc, spans: list[_Span]) -> list[_Span]:
    """Link acronyms the text defines to their expansion, adding mentions the model missed."""
    text = doc_text(doc)
    definitions: dict[str, _Span] = {}
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
            existing = _Span(token.i, token.i + 1, expansion.type)
            spans.append(existing)
        existing.type = expansion.type
        existing.refers_to = doc[expansion.start : expansion.end].text
        existing.link_reason = f"acronym defined in the text as {existing.refers_to}"
    return spans


def _expansion_before(doc, spans: list[_Span], paren_char: int) -> _Span | None:
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
            new = _Span(start, end, ORGANIZATION)
            spans.append(new)
            return new
    return None


def _surnames(doc, spans: list[_Span]) -> set[str]:
    return {doc[s.end - 1].lower_ for s in spans if s.type == PERSON and s.end - s.start >= 2}


def _add_surnames(doc, spans: list[_Span]) -> list[_Span]:
    """Later bare uses of a surname the model missed ("Lomatsky later denied it") or typed
    otherwise ("According to Tamarin" read as a place)."""
    surnames = _surnames(doc, spans)
    covered = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.end - span.start == 1 and span.type in (ORGANIZATION, PLACE) and not span.known and doc[span.start].lower_ in surnames:
            span.type = PERSON
    for token in doc:
        if token.lower_ in surnames and token.i not in covered and token.is_title:
            spans.append(_Span(token.i, token.i + 1, PERSON))
    return spans


# -- in-article links ---------------------------------------------------------------------------


def _link_people(doc, spans: list[_Span]) -> None:
    """Short forms ("Korhel", "A. Korhel") refer to the one full name they fit, if only one."""
    people = [s for s in spans if s.type == PERSON]
    full_forms: dict[str, Counter] = defaultdict(Counter)
    for span in people:
        key = _text_key(doc, span)
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
        key = PersonKey.parse(_text_key(doc, span))
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


def _link_bodies_and_places(doc, spans: list[_Span]) -> None:
    for type_ in (ORGANIZATION, PLACE):
        _link_short_forms(doc, [s for s in spans if s.type == type_ and not s.refers_to])


def _link_short_forms(doc, orgs: list[_Span]) -> None:
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
                if len(b) > 1 and not _DEMONYM_SHAPE.search(text.lower())
            ]
        else:
            candidates = by_word.get(min(bag), ()) if bag else bags
            wider = [b for b in candidates if bag < b and (heads[b] == head or any(truncates(text, n) for n in bags[b]))]
        widest = [b for b in wider if not any(b < other for other in wider)]
        if len(widest) == 1:
            span.refers_to = bags[widest[0]].most_common(1)[0][0]
            span.link_reason = f"short form of {span.refers_to} in the same article"
