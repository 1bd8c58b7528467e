"""Name types: whether a name is a person, an organisation, a place or a nationality.

Apart from finding names (`mentions`) because a type is decided on evidence from the whole
article and beyond it (the gazetteer, results tables, where the text puts a name, what it says of
it, how its other mentions were typed), where finding trims one span at a time:
- a name the gazetteer learned from the CoNLL train half knows takes its type, and known names the
  model missed are added; in lines written in capitals only known names count, and in results
  tables a town names its team (`name_gazetteer`, read first);
- a demonym used as a modifier ("the Selvan envoy") is a nationality, not an organisation;
- a name the text puts somewhere ("talks in Vyshtal", "residents of Harnvik", "the ferry to
  Kellsund", "the bridge between Skelby and Dunmarsh", or at one end of a route whose other end
  is a place) or whose head says so ("Mirren Bay") is a place, and a capital or a country is a
  place, a country's demonym a nationality (pycountry, countryinfo);
- a carrier's or service's name the text calls a work ("the Lerin Link, an undersea power
  cable") is that facility, a place, not the body its service word makes it (`mentions`);
- a name with a state's form ("Selvan Federation") the text gives a state's organ ("its Foreign
  Ministry", "the capital of") is a country, a place;
- a lone name the model took for a person that names a facility, a body or a stretch of land or
  water by its common noun ("the Ringsund shipyard", "the Thorvik bank", "the Harl valley") is that
  place or body, one before a settlement's noun ("Harlbridge town council") a place, and one the
  text calls a business ("Brennan Mills, the largest employer") a body;
- the page's own outlet is a body, and its short form ("told the Gazette") stands for its name;
- a name the text gives a role or a trade ("Hanne Orlov, the envoy", a lone word where the parse
  hangs the two together: "the harbour engineer, Orlov,"), describes with "who" or credits is a
  person, and so are later bare uses of a person's surname, whatever the model typed (a people
  too, when no demonym: "Brask"), and a full
  name the model took for a body saying something in its own name ("Bengt Oyen said"); a lone
  "person" opening a mayor's or governor's title before a name ("Skelby Mayor Anna Kask") is the place;
- one name typed two ways in one article takes its majority type; a tie goes to a place or body
  for a lone word, to a person for a full name opening with a given name (`names.is_given_name`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from presswatch.names import (
    BODY_NOUNS,
    BUSINESS_NOUNS,
    MEDIA_WORDS,
    ORG_HEADS,
    PLACE_HEADS,
    SERVICE_WORDS,
    TITLE_WORDS,
    country_code,
    demonym_stem,
    initials,
    is_acronym,
    is_capital,
    is_demonym,
    name_key,
    opens_with_a_given_name,
    outlet_parts,
    outlet_tails,
    token_key,
)
from presswatch.nlp import roles
from presswatch.nlp.cues import REPORTING_WORDS, SUBJECT_DEPS, cue_word
from presswatch.nlp.furniture import dateline_spans
from presswatch.nlp.name_gazetteer import (
    COUNTRY_EVIDENCE,
    given_names,
    is_shouted,
    is_table,
)
from presswatch.nlp.name_spans import (
    CALENDAR_WORDS,
    DEMONYM_SHAPE,
    Span,
    is_common_noun,
    quoted,
    text_key,
    tokens_of_lines,
)
from presswatch.nlp.pipeline import doc_text
from presswatch.nlp.roles import apposition_role, person_tokens
from presswatch.records import NATIONALITY, ORGANIZATION, PERSON, PLACE

_COMPASS = frozenset(["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "upper", "lower", "greater"])
# "(Reporting by X; editing by Y)": the credits of a wire story name people.
_CREDIT_WORDS = frozenset(["reporting", "editing", "writing", "compiled", "photo", "photos", "photograph", "additional"])


# How a clause hangs off the reporting verb that reports it: "said Brennick would fund" (ccomp),
# "Varnholm will pay ..., Lena Stroem said" (the parser hangs "said" off "pay" as parataxis).
_REPORTED_DEPS = frozenset(["ccomp", "parataxis"])


def acting_in_a_reported_clause(doc, spans: list[Span]) -> None:
    """A one-word name the model typed a person only for doing something in a clause someone
    reports ("Varnholm will pay half the cost, Lena Stroem said", "Stroem said Brennick would fund
    the ferry") is a body: the model's guess for a subject that acts, which a town, a company or
    a person can be alike, and it types most such words an organisation. Kept a person: a name
    the gazetteer knows, a known given name, the surname of a person named in full, a name after
    an honorific or title, given a role ("Brennick, the envoy,") or described with "who",
    and the subject of a reporting verb (saying is the speaker's, and the statements stage reads
    the speaker). Later rules can make it a place ("talks in Varnholm")."""
    surnames = _surnames(doc, spans)
    given = given_names()
    for span in spans:
        token = doc[span.start]
        if (span.type != PERSON or span.end - span.start != 1 or span.known or token.lower_ in surnames
                or token.text in given or span.start and doc[span.start - 1].lower_ in TITLE_WORDS
                or token.dep_ not in SUBJECT_DEPS or apposition_role(doc, span) or described_as_a_person(token)):
            continue
        if acts_in_a_reported_clause(token):
            span.typed(ORGANIZATION, None)  # a guess, as the model's is


def acts_in_a_reported_clause(subject) -> bool:
    """Whether a subject's verb is no reporting verb but is in a clause one reports."""
    verb = subject.head
    if cue_word(verb) in REPORTING_WORDS:
        return False
    return verb.dep_ in _REPORTED_DEPS and cue_word(verb.head) in REPORTING_WORDS or any(
        child.dep_ in _REPORTED_DEPS and cue_word(child) in REPORTING_WORDS for child in verb.children)


def retype(doc, spans: list[Span]) -> list[Span]:
    tables = lru_cache(maxsize=1)(lambda: tokens_of_lines(doc, is_table))  # read only where asked
    for span in spans:
        token = doc[span.start]
        if (
            span.end - span.start == 1 and span.type != NATIONALITY
            and token.dep_ in ("compound", "amod") and token.head.i >= span.end
            and token.head.ent_type_ in ("", "NORP") and token.head.pos_ in ("NOUN", "PROPN")
            and DEMONYM_SHAPE.search(token.lower_)
        ):
            span.typed(NATIONALITY, f"a demonym modifying a noun, {quoted(doc, span.start, token.head.i + 1)}")  # "the Selvan envoy"
    demonyms = {
        demonym_stem(token_key(doc[s.start].text)): token_key(doc[s.start].text)
        for s in spans if s.type == NATIONALITY and s.end - s.start == 1
    }
    demonym_words = {demonym_stem(token_key(doc[s.start].text)): doc[s.start].text
                     for s in spans if s.type == NATIONALITY and s.end - s.start == 1}
    spans = _add_demonym_places(doc, spans, demonyms, demonym_words)
    placed, placed_names = _placed_by_context(doc, spans)
    # A service's name the text calls a work ("the Lerin Link, an undersea power cable") is that
    # facility, a place as spaCy's FAC is, in all its article's mentions: what the text calls it
    # outweighs its service word.
    works = {text_key(doc, s): f"called a {noun}" for s in spans
             if s.type == ORGANIZATION and not s.known and doc[s.end - 1].lower_ in SERVICE_WORDS
             and (noun := _called_one_of(doc[s.end - 1], _FACILITY_NOUNS | _CROSSINGS))}
    # A name the model alone typed a person that the text calls a business ("Brennan Mills, the
    # largest employer in the valley") is that body, in all its article's mentions.
    businesses = {text_key(doc, s): f"called {'an' if noun[0] in 'aeiou' else 'a'} {noun}" for s in spans
                  if s.type == PERSON and s.type_evidence is None and not s.known
                  and (noun := _called_one_of(doc[s.end - 1], BUSINESS_NOUNS))}
    for span in spans:
        words = doc[span.start : span.end]
        key = token_key(words[0].text)
        # A place the model typed so is only given the evidence that confirms it, by the same tests.
        retypable = span.type in (ORGANIZATION, PERSON) or span.type == PLACE and span.type_evidence is None
        if retypable and len(words) == 1 and demonym_stem(key) in demonyms and demonyms[demonym_stem(key)] != key:
            span.typed(PLACE, f"the demonym '{demonym_words[demonym_stem(key)]}' in its article")  # "Tarsenia" typed ORG where the text also says "Tarsenian"
        elif (retypable or span.type == NATIONALITY and not span.known and not _demonym_like(words[0])) and len(words) == 1 and (
            span.start in placed or not span.known and text_key(doc, span) in placed_names and span.start not in tables()
        ):
            evidence = placed[span.start] if span.start in placed else placed_names[text_key(doc, span)]
            # "talks in Vyshtal": a capital the model took for its government, and so is every
            # other "Vyshtal" of the article ("Vyshtal would never accept"): where the text puts
            # a name outweighs any count of the model's types.
            span.typed(PLACE, evidence)
        elif (span.type == ORGANIZATION or retypable and span.type == PLACE) and len(words) > 1 and words[0].lower_ in _COMPASS and not any(
            w.lower_ in ORG_HEADS for w in words
        ):
            span.typed(PLACE, f"the compass word {quoted(doc, span.start, span.start + 1)}")  # "North Lerin", "Central Varnia"
        elif retypable and _named_as_place(words, span) and span.start not in tables():
            span.typed(PLACE, f"its place word {quoted(doc, *_place_word(words))}")  # "Mirren Bay", "Port Elsby" (in a results table, a team)
        elif span.type == PERSON and span.type_evidence is None and (where := _placed_by_its_common_head(doc, span)):
            span.typed(PLACE, where)  # "lived on Greyscar Lane"
        elif span.type == ORGANIZATION and not span.known and text_key(doc, span) in works:
            span.typed(PLACE, works[text_key(doc, span)])
        elif span.type == PERSON and span.type_evidence is None and text_key(doc, span) in businesses:
            span.typed(ORGANIZATION, businesses[text_key(doc, span)])
    surnames = _surnames(doc, spans)
    _type_modifiers_of_common_nouns(doc, spans)
    _type_states_by_their_organs(doc, spans)
    places_of = _places_after_of(doc, spans)
    for span in spans:
        text = doc[span.start : span.end].text
        if span.known or span.type not in (PERSON, ORGANIZATION, PLACE) or span.type_evidence and span.type == PLACE or doc[span.end - 1].lower_ in surnames:
            continue
        if country_code(text):
            span.typed(PLACE, COUNTRY_EVIDENCE)
        elif span.type in (PERSON, PLACE) and is_capital(text):
            span.typed(PLACE, "a capital city (countryinfo)")  # "assist Yerevan"
        elif span.type == PERSON and span.end - span.start == 1 and is_demonym(text):
            span.typed(NATIONALITY, "a demonym (countryinfo)")  # "Azerbaijani" read as a person
        elif span.end - span.start == 1 and doc[span.start].lower_ in places_of:
            # "Caldrun hosts": the place the text calls "the Free City of Caldrun"
            span.typed(PLACE, f"'{places_of[doc[span.start].lower_]}' in its article")
    org_openers = Counter(doc[s.start].lower_ for s in spans if s.type == ORGANIZATION and s.end - s.start >= 2)
    org_names = {doc[s.start].lower_: doc[s.start : s.end].text for s in spans if s.type == ORGANIZATION and s.end - s.start >= 2}
    for span in spans:
        word = doc[span.start].lower_
        if span.type == PERSON and span.end - span.start == 1 and word not in surnames and org_openers[word] == 1:
            span.typed(ORGANIZATION, f"'{org_names[word]}' in its article")  # "Kestrel" after "Kestrel News Agency"
    votes: dict[str, Counter] = defaultdict(Counter)
    evidence_of: dict[str, dict[str, str]] = defaultdict(dict)
    for span in spans:
        votes[text_key(doc, span)][span.type] += 1
        if span.type_evidence:
            evidence_of[text_key(doc, span)].setdefault(span.type, span.type_evidence)
    for span in spans:
        key = text_key(doc, span)
        if span.type in (ORGANIZATION, PLACE) and span.end - span.start == 1 and doc[span.start].lower_ in surnames:
            span.typed(PERSON, _surname_evidence(doc, spans, span))  # "Korhel" typed ORG after "Anneli Korhel"
            continue
        ranked = votes[key].most_common()
        if len(ranked) > 1 and span.type != NATIONALITY:
            best, count = ranked[0]
            tied = [t for t, c in ranked if c == count]
            if len(tied) > 1 and PERSON in tied and span.end - span.start == 1 and doc[span.start].lower_ not in surnames:
                tied.remove(PERSON)  # a lone word is more often a place or body than a person
            elif len(tied) > 1 and PERSON in tied and opens_with_a_given_name(doc[span.start : span.end].text):
                tied = [PERSON]  # "Dagny Holt" typed a person once and a body once
            if best != NATIONALITY and span.type not in tied:
                span.typed(tied[0], evidence_of[key].get(tied[0]))  # what typed the others, if anything did
    return spans


# Common nouns a name modifies as the name of what they are or where it is, never as a person's:
# "the Ringsund shipyard", "at the Orvik plant" name a facility, a place here as spaCy's FAC is;
# "the Halsted company", "a Varrow club spokesman" name a body. Not the nouns a person's name
# modifies as often ("the Kask government", "the Orlov administration", "the Ferrow family",
# "the Brisk side"), which are left out.
_FACILITY_NOUNS = frozenset(["shipyard", "dockyard", "yard", "port", "harbour", "harbor", "airport", "terminal", "plant", "factory", "refinery", "mill", "mine", "smelter"])
# Common nouns of land and water a name modifies as the place's own name ("the Harl valley", "the
# Fenwick river"), never a person's.
_GEOGRAPHIC_NOUNS = frozenset(["valley", "river", "coast", "estuary", "delta", "basin", "plain", "plains", "hills", "moor", "moors", "dale", "gorge", "headland", "peninsula", "lake", "bay"])


def _type_modifiers_of_common_nouns(doc, spans: list[Span]) -> None:
    """A name the model alone typed a person that modifies a facility's, a body's or a stretch of
    land's or water's common noun ("delivered by the Ringsund shipyard", "the Harl valley") is
    that place or body, and a name the model alone typed a person or a body before a settlement's
    noun ("Harlbridge town council", "the Orvik city hall") a place, in all its mentions in the
    article where nothing else typed them. Not a name opening with a known given name; a surname
    of a person named in full there ("the Korhel company" after "Anneli Korhel") is made a person
    again by the article's surnames (`retype`)."""
    found: dict[str, tuple[str, str]] = {}
    for span in spans:
        last = doc[span.end - 1]
        head = last.head
        if (span.type not in (PERSON, ORGANIZATION) or span.type_evidence is not None or span.known
                or last.dep_ != "compound" or head.i < span.end or head.pos_ != "NOUN"
                or doc[span.start].text in given_names()
                or doc[span.start].is_sent_start and is_common_noun(doc[span.start].lower_)  # "Flour mills sold"
                or any(not t.is_lower for t in doc[span.end : head.i + 1])):
            continue
        noun = head.lemma_.lower()
        if doc[span.end].lower_ in _SETTLEMENTS:
            found.setdefault(text_key(doc, span), (PLACE, f"the name of the {doc[span.end].lower_}, {quoted(doc, span.start, head.i + 1)}"))
        elif span.type == PERSON and (type_ := PLACE if noun in _FACILITY_NOUNS | _GEOGRAPHIC_NOUNS else ORGANIZATION if noun in BODY_NOUNS else None):
            found.setdefault(text_key(doc, span), (type_, f"the name of the {noun}, {quoted(doc, span.start, head.i + 1)}"))
    for span in spans:
        key = text_key(doc, span)
        if key in found and span.type in (PERSON, ORGANIZATION) and span.type_evidence is None:
            span.typed(*found[key])


# Words that name a state by its form ("Selvan Federation", "Principality of Orne"); those that
# also head a place's name ("republic", "kingdom") are places already (`_named_as_place`).
_STATE_FORMS = frozenset(["federation", "confederation", "principality", "emirate", "sultanate", "commonwealth", "duchy", "republic", "kingdom"])
# What only a state has, said as its own ("X's capital", "the government of X"); not a president
# or a spokesman, which a sports federation has as well.
_STATE_ORGANS = frozenset(["capital", "government", "ministry", "minister", "embassy", "ambassador", "parliament"])


def _type_states_by_their_organs(doc, spans: list[Span]) -> None:
    """A name with a state's form ("Selvan Federation") that the text gives a state's organ, as
    its own ("the Selvan Federation's Foreign Ministry", "its capital") or by "of" ("the Foreign
    Ministry of the Selvan Federation", also inside a longer name the model took whole), is a
    country, a place as the country data's countries are, in all its mentions in the article.
    Not a name the gazetteer or the country data knows, which type it already."""
    candidates = {text_key(doc, s): [t.lower_ for t in doc[s.start : s.end]] for s in spans
                  if s.type in (ORGANIZATION, PLACE) and not s.known and s.type_evidence is None
                  and any(t.lower_ in _STATE_FORMS for t in doc[s.start : s.end])}
    evidence = {}
    for key, words in candidates.items():
        for i in range(len(doc) - len(words) + 1):
            if [t.lower_ for t in doc[i : i + len(words)]] == words:
                found = _state_organ_at(doc, i, i + len(words))
                if found:
                    evidence[key] = f"a state's organ, '{' '.join(doc[found[0] : found[1]].text.split())}'"  # "Federation's", not quoted's "Federation 's"
                    break
    for span in spans:
        key = text_key(doc, span)
        if key in evidence and not span.known and span.type_evidence is None and span.type in (ORGANIZATION, PLACE):
            span.typed(PLACE, evidence[key])


def _state_organ_at(doc, start: int, end: int) -> tuple[int, int] | None:
    """The token range of "X's Foreign Ministry" or "the government of (the) X" around the name
    at `start`-`end`, if the text says either."""
    if end < len(doc) and doc[end].text in ("'s", "’s"):
        for token in doc[end + 1 : end + 4]:
            if token.is_punct:
                break
            if token.lemma_.lower() in _STATE_ORGANS:
                return start, token.i + 1
    before = start - 1 if start and doc[start - 1].lower_ == "the" else start
    if before >= 2 and doc[before - 1].lower_ == "of" and doc[before - 2].lemma_.lower() in _STATE_ORGANS:
        return before - 2, end
    return None


# The place of a dateline: its words before the date, the agency or the dash.
_DATELINE_PLACE = re.compile(r"\s*([^,(\n–—]*?)\s*(?:,|\(|--?\s|[–—])")
# Words after which "to" or "from" leads to a place: a journey ("her visit to Vyshtal", "on his
# return from Skelby") or the way one makes it ("the ferry to Kellsund", "the road from Orsby").
# Not "link" ("links to the NMA" are ties).
_JOURNEYS = frozenset(["visit", "return", "trip", "journey", "travel", "fly", "flight", "move", "arrive", "drive", "sail",
                       "ferry", "boat", "bus", "train", "road", "route", "crossing", "sailing"])
# Nouns that a place's name stands in apposition to ("the capital, Vyshtal", "Brenmouth, a fishing
# town,") or is called by a copula ("Brenmouth is a fishing town"), and that name it after "of"
# ("the town of Orsby", "the Varnian port of Saltreach").
_SETTLEMENTS = frozenset(["capital", "city", "town", "village", "port"])
# The people of a place, who name it after "of" ("residents of Harnvik").
_INHABITANTS = frozenset(["resident", "inhabitant", "villager", "islander", "townspeople", "townsfolk", "citizen"])
# Words that join two places as the ends of a route or a border: "between Skelby and Dunmarsh",
# "from Valmora to Brenstad".
_ROUTE_ENDS = {"between": "and", "from": "to"}
# What runs between two places, and so puts both ends of its "between" somewhere ("the bridge
# between Skelby and Dunmarsh", "a power cable between"); not a "link" or a "line" (ties, fronts).
_CROSSINGS = frozenset(["bridge", "border", "frontier", "cable", "pipeline", "tunnel", "canal", "causeway", "service"])


def _placed_by_context(doc, spans: list[Span]) -> tuple[dict[int, str], dict[str, str]]:
    """The lone words among `spans` that the text puts somewhere (their start tokens), and the
    keys of those and of the place a dateline names, each with the words that place it: after "in" or "at" ("talks in Vyshtal"),
    after "to" or "from" on a journey ("her visit to Vyshtal"), in apposition to a settlement
    ("the capital, Vyshtal", "Brenmouth, a fishing town,") or called one ("Brenmouth is a fishing
    town"); a dateline's place ("VYSHTAL, March 11 (Kestrel) - ") counts also
    where the model found no name in it, if it gives a date or an agency ("CRICKET - " is a slug).
    Not an acronym ("talks at the LBC"), nor an organisation word. A word placed in a results table
    or a line in capitals is a place there ("TEXAS AT MINNESOTA") but tells nothing of its other
    mentions (the teams of "BALTIMORE 67 58"), and only "in" and "at" place it there ("RETURN TO
    WARWICKSHIRE" is the county's cricket team)."""
    names = {}
    text = doc_text(doc)  # `doc.text` joins every token anew on each access
    for start, end in dateline_spans(text):
        if re.search(r"[,(]", text[start:end]):  # with a date or an agency: "CRICKET - " is a slug
            place = _DATELINE_PLACE.match(text[start:end]).group(1)
            names.setdefault(name_key(place), f"the dateline '{' '.join(text[start:end].split())}'")
    placed: dict[int, str] = {}
    aside = tokens_of_lines(doc, lambda line: is_table(line) or is_shouted(line))  # "SEATTLE AT BALTIMORE"
    for span in spans:
        if span.end - span.start != 1:
            continue
        token = doc[span.start]
        if token.lower_ in ORG_HEADS or is_acronym(token.text):
            continue
        before = doc[span.start - 1] if span.start >= 1 else None
        two_before = doc[span.start - 2] if span.start >= 2 else None
        if before is not None and before.lower_ in ("in", "at"):
            placed[span.start] = quoted(doc, span.start - 1, span.end, span.start)  # also in a table or a headline in capitals: "In Bergen :", "TEXAS AT MINNESOTA"
        elif span.start in aside:
            continue
        elif two_before is not None and placing_words(before, two_before):
            placed[span.start] = quoted(doc, span.start - 2, span.end, span.start)
        elif settlement := _called_one_of(token, _SETTLEMENTS):
            placed[span.start] = f"called a {settlement}"
        if span.start in placed and span.start not in aside:
            names.setdefault(text_key(doc, span), placed[span.start])
    names.pop("", None)
    _place_route_ends(doc, spans, placed, names, aside)
    return placed, names


def _may_end_a_route(doc, i: int, by_start: dict[int, Span]) -> bool:
    """Whether the words at `i` can be a place at a route's end: a name, or a settlement named by
    its noun ("the Varnian port of Saltreach"); not a common noun ("a bridge between Kask and the
    unions" is none)."""
    token = doc[i]
    return (i in by_start or token.is_title and token.pos_ == "PROPN"
            or token.lower_ == "the" and any(t.lemma_.lower() in _SETTLEMENTS for t in doc[i + 1 : i + 4]))


def _demonym_like(token) -> bool:
    """Whether a word the model took for a nationality can be one ("Varnian", "Thai"), not a
    town's name it misread so ("the ferry to Kellsund")."""
    return bool(DEMONYM_SHAPE.search(token.lower_)) or is_demonym(token.text)


def placing_words(before, two_before) -> bool:
    """Whether the two words before a name put it somewhere: a journey or its way and "to" or
    "from" ("her visit to", "the ferry to"), a settlement and a comma ("the capital,"), or a
    settlement, its people or an office held for it and "of" ("the town of", "residents of",
    "the mayor of")."""
    lemma = two_before.lemma_.lower()
    return (before.lower_ in ("to", "from") and lemma in _JOURNEYS
            or before.text == "," and two_before.lower_ in _SETTLEMENTS
            or before.lower_ == "of" and lemma in _SETTLEMENTS | _INHABITANTS | PLACE_OFFICES)


def _place_route_ends(doc, spans: list[Span], placed: dict[int, str], names: dict[str, str], aside: set[int]) -> None:
    """The lone names at the ends of a route or a border (`_ROUTE_ENDS`: "between Skelby and
    Dunmarsh", "from Valmora to Brenstad") are places where the route is one ("the bridge between",
    "sailings between", "moved from": a journey or its way, or a crossing) or where the other end
    is a place (the model's, or one the text or the data placed). Where the model missed such a
    name, or took it for a date or a title ("Skelby and Dunmarsh" a work of art), it is added.
    Not an acronym, an organisation word, a calendar word or a common noun ("from Rags to Riches",
    where the model took "Rags" for a place), nor in a results table or a line in capitals."""
    by_start = {s.start: s for s in spans}
    covered = {i for s in spans for i in range(s.start, s.end)}

    def a_place(i: int) -> bool:
        span = by_start.get(i)
        if span is None and token_key(doc[i].text) in names:  # a placed name the model missed here
            span = lone_name(i)
        return span is not None and (span.type == PLACE or i in placed or text_key(doc, span) in names)

    def lone_name(i: int) -> Span | None:
        token = doc[i]
        if i in aside or is_acronym(token.text) or token.lower_ in ORG_HEADS | CALENDAR_WORDS or is_common_noun(token.lower_):
            return None
        span = by_start.get(i)
        if span is not None:
            return span if span.end == i + 1 and not span.known and span.type != NATIONALITY else None
        if (i in covered or not token.is_title or not token.is_alpha or token.pos_ != "PROPN"
                or i + 1 < len(doc) and doc[i + 1].is_title):
            return None
        span = by_start[i] = Span(i, i + 1, PLACE)
        spans.append(span)
        covered.add(i)
        return span

    for opener in doc[:-3]:
        closer = _ROUTE_ENDS.get(opener.lower_)
        first = opener.i + 1
        if closer is None or first in aside:
            continue
        # The first end: a name, or a settlement named by its noun ("the Tarsenian capital").
        named = by_start[first].end if first in by_start else first + 1
        said = next((t.i + 1 for t in doc[first : first + 4] if t.lemma_.lower() in _SETTLEMENTS), None) if doc[first].lower_ == "the" else None
        second = (said or named) + 1
        if second >= len(doc) or doc[second - 1].lower_ != closer:
            continue
        route = opener.head.lemma_.lower() in _JOURNEYS | _CROSSINGS and opener.head.i < opener.i
        quote_from = opener.head.i if route and opener.head.i == opener.i - 1 else opener.i
        for here, there in ((first, second), (second, first)):
            if here in placed or here == first and said or not (
                    a_place(there) or there == first and said or route and _may_end_a_route(doc, there, by_start)):
                continue
            name = lone_name(here)
            if name is not None:  # quoted to the second end if it is a name, else to this one
                last = by_start[second].end if second in by_start else here + 1
                placed[here] = quoted(doc, quote_from, last, opener.i + 1)
                names.setdefault(text_key(doc, name), placed[here])


def _called_one_of(token, nouns: frozenset[str]) -> str | None:
    """The noun of `nouns` the text calls a name by, if any: one in apposition ("Brenmouth, a
    fishing town of 4,000 people,", "the Lerin Link, an undersea power cable") or the attribute of
    "is" with the name its subject ("Brenmouth is a fishing town")."""
    for child in token.children:
        if child.dep_ == "appos" and child.lemma_.lower() in nouns:
            return child.lemma_.lower()
    if token.dep_ == "nsubj" and token.head.lemma_ == "be":
        for child in token.head.children:
            if child.dep_ == "attr" and child.lemma_.lower() in nouns:
                return child.lemma_.lower()
    return None


def type_the_outlet(doc, spans: list[Span], outlet: str | None) -> list[Span]:
    """The page's own outlet named in its text ("told Goalmouth", "Lerin Coast Online reported") is
    an organisation, whatever the model or the place and person rules made of its words; so is
    either part of a name such as "SPT - Selvan Public Television", and the acronym its words
    spell ("SPT" of "Selvan Public Television"); where the model missed it ("in an interview with
    SPT") it is added, capitalised as a name is."""
    parts = outlet_parts(outlet)
    names = {name_key(part).removeprefix("the ") for part in parts} - {""}
    acronyms = {initials(part) for part in parts if len(name_key(part).removeprefix("the ").split()) >= 2}
    if not names:
        return spans
    tails = outlet_tails(parts)
    for span in spans:
        text = doc[span.start : span.end].text
        key = text_key(doc, span).removeprefix("the ")
        if span.type != NATIONALITY and (key in names or key in tails or text.isupper() and text_key(doc, span) in acronyms):
            span.typed(ORGANIZATION, _OUTLET_EVIDENCE)
        if span.type == ORGANIZATION and key in tails:
            span.refers_to = tails[key]
            span.link_reason = f"short form of the page's own outlet, {tails[key]}"
    covered = {i for s in spans for i in range(s.start, s.end)}
    for words in (name.split() for name in names):
        for i in range(len(doc) - len(words) + 1):
            if (doc[i].text[:1].isupper() and covered.isdisjoint(range(i, i + len(words)))
                    and [token_key(t.text) for t in doc[i : i + len(words)]] == words):
                spans.append(Span(i, i + len(words), ORGANIZATION, type_evidence=_OUTLET_EVIDENCE))
                covered.update(range(i, i + len(words)))
    for token in doc:
        if token.i not in covered and token.is_upper and is_acronym(token.text) and token_key(token.text) in acronyms:
            spans.append(Span(token.i, token.i + 1, ORGANIZATION, type_evidence=_OUTLET_EVIDENCE))
    return spans


_OUTLET_EVIDENCE = "the page's own outlet"


def people_joined_to_people(doc, spans: list[Span]) -> None:
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
            span.typed(PERSON, f"joined by 'and' to a person, saying {quoted(doc, first.head.i, first.head.i + 1)} together")


def a_full_name_speaking(doc, spans: list[Span]) -> None:
    """A name of two capitalised words the model alone typed a body, saying something in its own
    name ("Bengt Oyen said the quay would reopen"), is a person: the small model types given names
    it never saw (Nordic, Baltic, invented) as a body's name. Not a name with a body's, place's or
    medium's word in it ("Harbour Authority said", "Radio Skelby reported") or a people's ("Exiled
    Bosnians said"), two English nouns ("White House"), an acronym, a body the
    gazetteer knows, or one anything else typed (the page's own outlet)."""
    for span in spans:
        words = doc[span.start : span.end]
        if (span.type != ORGANIZATION or span.known or span.type_evidence is not None or len(words) != 2
                or any(w.pos_ != "PROPN" or not w.is_title or not w.is_alpha or w.lower_ in ORG_HEADS | PLACE_HEADS | MEDIA_WORDS
                       or is_demonym(w.text.removesuffix("s")) for w in words)  # "Exiled Bosnians said"
                or all(is_common_noun(w.lower_) for w in words)):  # "White House said": a body's building
            continue
        root = words.root
        if root.dep_ == "nsubj" and cue_word(root.head) in REPORTING_WORDS:
            span.typed(PERSON, f"a full name saying {quoted(doc, root.head.i, root.head.i + 1)}")


# Offices held for a place: the name a title of one of them opens is that place ("Skelby Mayor").
PLACE_OFFICES = frozenset(["mayor", "governor", "premier", "prefect", "councillor", "councilor"])


def opening_a_title(doc, spans: list[Span]) -> None:
    """A lone name the model alone typed a person that opens the title of an office held for a
    place (`PLACE_OFFICES`) before a person's name ("At a rally for Skelby Mayor Anna Kask said")
    is that place, not a second person. Other titles are left to the model: what opens them may
    be a body or a place ("Kestrel reporter Jon Ekdahl", "Varnia envoy …"). Not a known given
    name, nor a name the text types otherwise. On CoNLL train it changes no prediction."""
    person_starts = {s.start for s in spans if s.type == PERSON and s.end - s.start >= 2}
    for span in spans:
        if (span.type != PERSON or span.end - span.start != 1 or span.known or span.type_evidence is not None
                or span.end + 1 >= len(doc) or doc[span.start].text in given_names()):
            continue
        title = doc[span.end]
        if title.is_title and title.lower_ in PLACE_OFFICES and span.end + 1 in person_starts:
            span.typed(PLACE, f"opens the title {quoted(doc, span.start, span.end + 1)} of a person")


def _joined_by_and(doc, first: int, last: int) -> bool:
    """Whether the words between two conjuncts hold the "and" that joins them."""
    return any(t.lower_ == "and" and t.dep_ == "cc" for t in doc[first + 1 : last])


def _add_demonym_places(doc, spans: list[Span], demonyms: dict[str, str], demonym_words: dict[str, str]) -> list[Span]:
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
        if (stem != key and demonyms.get(stem, key) != key and not DEMONYM_SHAPE.search(token.lower_)
                and not token.lower_.endswith("s")):
            spans.append(Span(token.i, token.i + 1, PLACE, type_evidence=f"the demonym '{demonym_words[stem]}' in its article"))
    return spans


# Words that open a place's name as its head noun does elsewhere ("Port Elsby", "Mount Varn").
_PLACE_OPENERS = frozenset(["port", "mount", "lake", "cape", "fort", "isle", "gulf"])


def _named_as_place(words, span: Span) -> bool:
    """A name whose head noun says it is a place: its last word, or the last before its "of"
    ("Mirren Bay", "North Harbour", "Free City of Caldrun"; not "Commonwealth of … States"), or an
    opening one ("Port Elsby"), with no organisation word in it ("Port Aldane Rovers", "Harbour
    Authority", "Elsby School District"). Not a name the gazetteer knows, nor a person the text
    gives a role or a known given name ("Michael Bay"). In a results table a town names its team
    (`name_gazetteer`), so the caller leaves table lines alone."""
    if span.type == NATIONALITY or span.known or len(words) < 2:
        return False
    lowered = [w.lower_ for w in words]
    head = lowered[lowered.index("of") - 1] if "of" in lowered[1:] else lowered[-1]
    if set(lowered) & ORG_HEADS or span.type == PERSON and (span.role or words[0].text in given_names()):
        return False
    return head in PLACE_HEADS or ("of" not in lowered and lowered[0] in _PLACE_OPENERS and words[-1].is_title)


# Where someone lives, and the words that say so before a street's name: "lived on Greyscar Lane",
# "a house in Penwright Lane", "residents in Tollard Lane" (`_INHABITANTS`); not "turned on Osric
# Venn" or "confidence in Osric Venn", which put a person nowhere.
_DWELLING_PREPOSITIONS = frozenset(["in", "on", "at", "along", "off"])
_DWELLING_WORDS = frozenset(["live", "reside", "house", "home", "flat", "cottage"])


def _placed_by_its_common_head(doc, span: Span) -> str | None:
    """The words that say someone lives at a name of several words the model alone typed a person,
    whose last word is a common noun ("lived on Greyscar Lane", "residents in Tollard Lane"): a
    street's name, as a person is nowhere one lives. The street words that also end surnames ("Lane",
    "Row", "Hill") are not place heads (`names.PLACE_HEADS`: three people in CoNLL's train half end
    with "Lane"), so the text has to put the name somewhere. Not a name opening with a known given
    name, one the gazetteer knows or one the text gives a role; None where nothing places it."""
    words = doc[span.start : span.end]
    before = doc[span.start - 1] if span.start else None
    if (
        len(words) < 2 or span.known or span.role or before is None or before.lower_ not in _DWELLING_PREPOSITIONS
        or not is_common_noun(words[-1].lower_) or opens_with_a_given_name(words.text)
    ):
        return None
    dwelling = before.head
    if dwelling.i != span.start - 2 or dwelling.lemma_.lower() not in _DWELLING_WORDS | _INHABITANTS:
        return None
    return quoted(doc, dwelling.i, span.end, span.start)


def _place_word(words) -> tuple[int, int]:
    """The token range of the word `_named_as_place` read a place by: its head, else its opener."""
    lowered = [w.lower_ for w in words]
    head = lowered.index("of") - 1 if "of" in lowered[1:] else len(words) - 1
    at = words[head if lowered[head] in PLACE_HEADS else 0].i
    return at, at + 1


def _places_after_of(doc, spans: list[Span]) -> dict[str, str]:
    """Words naming the place in "Free City of Caldrun", whether the model took the whole name
    or stopped before "of" (as it does where a wrapped line falls after "of"), each with that name."""
    words = {doc[s.end - 1].lower_: doc[s.start : s.end].text for s in spans
             if s.type == PLACE and s.end - s.start >= 3 and doc[s.end - 2].lower_ == "of"}
    starts = {s.start: s for s in spans}
    for span in spans:
        if span.type != PLACE:
            continue
        after = [t for t in doc[span.end : span.end + 3] if not t.is_space]
        if len(after) >= 2 and after[0].lower_ == "of" and after[1].i in starts and starts[after[1].i].end == after[1].i + 1:
            words.setdefault(after[1].lower_, " ".join(doc[span.start : after[1].i + 1].text.split()))
    return words


_PERSONAL_RELATIVES = {"who", "whom", "whose"}


def described_as_a_person(noun) -> bool:
    """"the harbour pilot, who asked not to be named", "Ilsa Vantorp, whose ministry runs the
    port": a relative clause opened by "who", "whom" or "whose" says the noun it hangs off is a
    person."""
    return any(c.dep_ == "relcl" and c.left_edge.lower_ in _PERSONAL_RELATIVES for c in noun.children)


# What types a person by what the text says of them; an entity's page groups its mentions by these
# words, so the rules here and the role read later (`mentions`) write them alike.
DESCRIBED_EVIDENCE = "described with 'who'"


def role_evidence(role: str) -> str:
    return f"the role '{role}'"


def person_evidence(doc, spans: list[Span]) -> list[Span]:
    """A non-person name that the text gives a role ("Hanne Orlov, the envoy,"), describes with
    "who" ("Ilsa Vantorp, whose ministry …") or credits ("editing by Marit Olse") is a person,
    also where the model took only the surname for a place ("ambassador to Tarsenia, Oleg
    [Tamarin]")."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    people = person_tokens(spans)  # kept up to date as names turn out to be people
    for span in spans:
        if span.type not in (ORGANIZATION, PLACE) or span.known or any(
            doc[i].lower_ in ORG_HEADS | PLACE_HEADS for i in range(span.start, span.end)
        ) or is_acronym(doc[span.start : span.end].text):
            continue
        before = doc[span.start - 1] if span.start else None
        if span.end - span.start == 1 and before is not None and before.i not in covered and before.is_title and before.is_alpha and before.pos_ == "PROPN" and before.lower_ not in TITLE_WORDS:
            wider = Span(span.start - 1, span.end, span.type)
            role = roles.role(doc, wider, people, covered)
            if role:
                span.start, span.role = wider.start, role
                span.typed(PERSON, role_evidence(role))
                covered.add(wider.start)
                people.update(range(span.start, span.end))
            continue
        if described_as_a_person(doc[span.end - 1]):
            span.typed(PERSON, DESCRIBED_EVIDENCE)
            people.update(range(span.start, span.end))
            continue
        if span.end - span.start < 2 and not roles.in_apposition_to_a_role(doc[span.start]):
            continue
        if span.start >= 2 and doc[span.start - 1].lower_ == "by" and doc[span.start - 2].lower_ in _CREDIT_WORDS:
            span.typed(PERSON, f"credited, {quoted(doc, span.start - 2, span.end)}")
            people.update(range(span.start, span.end))
            continue
        # a lone word only by a role set off beside it ("the harbour engineer, Orlov,"): one before
        # it may be a place's office ("Tarsby Mayor" read as "Mayor Tarsby")
        role = roles.apposition_role(doc, span) if span.end - span.start < 2 else roles.role(doc, span, people, covered)
        if role:
            span.role = role
            span.typed(PERSON, role_evidence(role))
            people.update(range(span.start, span.end))
    return spans


def _surnames(doc, spans: list[Span]) -> set[str]:
    return {doc[s.end - 1].lower_ for s in spans if s.type == PERSON and s.end - s.start >= 2}


def _surname_evidence(doc, spans: list[Span], span: Span) -> str:
    """ "the surname of 'Anneli Korhel'": the first person named in full with this word last."""
    word = doc[span.start].lower_
    full = next((s for s in spans if s.type == PERSON and s.end - s.start >= 2 and doc[s.end - 1].lower_ == word), span)
    return f"the surname of {quoted(doc, full.start, full.end)}"


def add_surnames(doc, spans: list[Span]) -> list[Span]:
    """Later bare uses of a surname the model missed ("Lomatsky later denied it") or typed
    otherwise ("According to Tamarin" read as a place)."""
    surnames = _surnames(doc, spans)
    covered = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        # a lone word the model took for a people ("Brask" after "Dagny Brask") only if no demonym
        typed = span.type in (ORGANIZATION, PLACE, PERSON) or span.type == NATIONALITY and not _demonym_like(doc[span.start])
        if span.end - span.start == 1 and typed and not span.known and doc[span.start].lower_ in surnames:
            if span.type != PERSON or span.type_evidence is None:  # a person the model found too is confirmed
                span.typed(PERSON, _surname_evidence(doc, spans, span))
    for token in doc:
        if token.lower_ in surnames and token.i not in covered and token.is_title:
            spans.append(Span(token.i, token.i + 1, PERSON, type_evidence=_surname_evidence(doc, spans, Span(token.i, token.i + 1, PERSON))))
    return spans
