"""Where, to whom and when a statement was made, read off the phrases around its cue."""

from __future__ import annotations

import re
from datetime import date, timedelta

from presswatch.extract.dates import MONTH_NAMES, WEEKDAY_NAMES

# Nouns that name an occasion for speaking; a prepositional phrase headed by one of them and
# attached to the cue (or to the verb governing it) is the statement's venue.
VENUE_NOUNS = {
    "interview", "conference", "briefing", "meeting", "speech", "address", "summit", "forum",
    "hearing", "session", "rally", "event", "broadcast", "programme", "program", "show", "podcast",
    "post", "tweet", "op-ed", "article", "column", "letter", "call", "talk", "talks", "appearance",
    "ceremony", "congress", "debate", "discussion", "panel", "roundtable", "symposium", "gathering",
    "convention", "statement", "remarks", "visit", "lecture", "meetings", "assembly", "council",
}
_VENUE_PREPS = {"in", "at", "during", "on", "to", "for", "with"}
# Verbs whose object is the person addressed ("told reporters", "assured Nuland").
_ADDRESS_VERBS = {"tell", "assure", "inform", "remind", "warn", "urge", "ask", "brief", "caution"}
_ADDRESS_PREP_VERBS = {"say", "explain", "speak", "write", "complain", "declare", "announce", "note", "tell"}

_MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
_MONTH_DAY = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"(?:early |late |mid-?)?([a-z]+)\.?(?:,?\s+(\d{4}))?")
_YEAR = re.compile(r"(?:early |late |mid-?)?(\d{4})")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?(?:,?\s+(\d{4}))?\b")


def _governors(head):
    """The cue and the verbs it hangs from inside its sentence, nearest first.

    A conjoined verb with a subject of its own is a clause of its own ("X withdrew in 2019, and
    officials denied ..."): what hangs from the first clause is not said of the second."""
    token = head
    seen = [token]
    while (
        token.head.i != token.i
        and token.dep_ != "ccomp"
        and not (token.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children))
        and len(seen) < 4
    ):
        token = token.head
        seen.append(token)
    return seen


def _venue_text(obj, exclude: set[int], speaker_start: int | None) -> str:
    """The venue phrase of the object `obj`: its subtree, but cut where a speaker after it starts
    ("At a rally in Port Aldane Councillor Aksel Hume said": the parser may hang the name off the
    venue), and running up to that speaker over words the speaker was cut from ("in the Harbour
    Gazette" of "In an interview with the Harbour Gazette Mayor Anna Kask said")."""
    doc = obj.doc
    start, end = obj.left_edge.i, obj.right_edge.i + 1
    if speaker_start is not None and start < speaker_start:
        between = doc[end:speaker_start]
        if end >= speaker_start or not any(t.is_punct or t.i in exclude for t in between):
            end = speaker_start
    return doc[start:end].text.strip(" ,")


def venue_and_addressee(
    head, exclude: set[int], speaker_start: int | None = None, said: set[int] = frozenset()
) -> tuple[str | None, str | None]:
    """The occasion ("an interview with Izvestia") and the person addressed ("reporters", "the
    meeting": its determiner kept, as every face writes it after "to");
    `speaker_start` is the speaker's first token, which no venue runs into. A noun among `said`,
    the words of what was said, is none ("called on the council to focus on shipping": the
    council is who was called on, not where)."""
    venue = addressee = None
    tokens = _governors(head) if head.lower_ != "according" else [head]
    tokens += [c for t in tokens for c in t.children if c.dep_ == "advcl" and c.lemma_.lower() in ("speak", "address", "talk")]
    for token in tokens:
        if venue is None and token.dep_ == "relcl":
            # "… an interview with the Gazette, where he argued …": the clause hangs off the venue
            # or off a noun inside its phrase
            noun = token.head
            while noun.lemma_.lower() not in VENUE_NOUNS and noun.dep_ in ("pobj", "prep") and noun.head.i != noun.i:
                noun = noun.head
            if noun.lemma_.lower() in VENUE_NOUNS:
                venue = noun.doc[noun.left_edge.i : token.left_edge.i].text.strip(" ,")
        for child in token.children:
            if child.i in exclude and child.dep_ != "prep":
                continue
            if child.dep_ == "prep" and child.lower_ in _VENUE_PREPS:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    if venue is None and obj.lemma_.lower() in VENUE_NOUNS and obj.i not in said:
                        venue = _venue_text(obj, exclude, speaker_start)
                    elif (
                        addressee is None
                        and child.lower_ == "to"
                        and token.lemma_.lower() in _ADDRESS_PREP_VERBS
                        and obj.pos_ in ("PROPN", "NOUN", "PRON")
                    ):
                        addressee = obj.doc[obj.left_edge.i : obj.right_edge.i + 1].text
            elif (
                addressee is None
                and child.dep_ in ("dobj", "dative")
                and token.lemma_.lower() in _ADDRESS_VERBS
                and child.pos_ in ("PROPN", "NOUN", "PRON")
            ):
                addressee = child.doc[child.left_edge.i : child.right_edge.i + 1].text
    return venue, addressee


def statement_date(head, content: set[int], published: str | None) -> str | None:
    """The date a date phrase attached to the cue gives, as ISO at the precision the text allows
    (see `normalise_date`); None when there is none or it cannot be pinned down. The search stops
    at a relative clause's noun: "exercises held in January, which she described as …" dates the
    exercises, not her words."""
    for token in _governors(head):
        for child in token.children:
            if child.i in content:
                continue
            candidates = [child] + [g for g in child.children if child.dep_ == "prep" and g.dep_ == "pobj"]
            for cand in candidates:
                if cand.ent_type_ == "DATE":
                    found = normalise_date(_entity_around(cand).text, published)
                    if found:
                        return found
        if token.dep_ in ("relcl", "acl"):
            break
    return None


def _entity_around(token):
    """The entity span `token` is in, read off the IOB tags around it as `doc.ents` reads them (an
    entity opens on a B tag and runs over the I tags after it): `doc.ents` builds every entity
    of the document on each access, once per statement, which grew with the square of a long
    article's length."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def normalise_date(text: str, published: str | None) -> str | None:
    """An ISO date for a date phrase, relative to the article's publication date, at the
    precision the phrase gives: YYYY-MM-DD for "February 15", "15 February 2022", "Tuesday",
    "yesterday"; YYYY-MM for "January", "March 2024", "last month"; YYYY for "2019", "last year".
    None when it cannot be pinned to a day, month or year ("last spring", "recently") or needs a
    publication date the article lacks. A month or day without a year is the latest one not after
    publication."""
    ref = _parse_iso(published)
    low = " ".join(text.lower().split())
    low = low[3:] if low.startswith(("on ", "in ")) else low
    if ref is not None:
        if low in ("today", "this morning", "this afternoon", "this evening", "tonight"):
            return ref.isoformat()
        if low in ("yesterday", "last night"):
            return (ref - timedelta(days=1)).isoformat()
        for i, day in enumerate(WEEKDAY_NAMES):
            if low in (day, "last " + day):
                back = (ref.weekday() - i) % 7
                return (ref - timedelta(days=back)).isoformat()
        if low in ("this month", "earlier this month"):
            return f"{ref.year:04d}-{ref.month:02d}"
        if low == "last month":
            last = ref.replace(day=1) - timedelta(days=1)
            return f"{last.year:04d}-{last.month:02d}"
        if low in ("this year", "earlier this year"):
            return f"{ref.year:04d}"
        if low == "last year":
            return f"{ref.year - 1:04d}"
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        m = pattern.search(text)
        if m and m.group(month_group).lower() in _MONTHS:
            year = int(m.group(3)) if m.group(3) else (ref.year if ref else None)
            if year is None:
                return None
            try:
                found = date(year, _MONTHS[m.group(month_group).lower()], int(m.group(day_group)))
            except ValueError:
                return None
            if ref is not None and not m.group(3) and found > ref:
                found = found.replace(year=found.year - 1)
            return found.isoformat()
    m = _MONTH_YEAR.fullmatch(low)
    if m and m.group(1) in _MONTHS:
        month = _MONTHS[m.group(1)]
        if m.group(2):
            return f"{int(m.group(2)):04d}-{month:02d}"
        if ref is None:
            return None
        return f"{ref.year - (month > ref.month):04d}-{month:02d}"
    m = _YEAR.fullmatch(low)
    return m.group(1) if m else None


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
