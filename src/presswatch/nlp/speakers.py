"""Who a source mention denotes, within one article.

Names come from `presswatch.nlp.mentions` (NER with its fixes, short forms linked to the fullest
form: "Galuzin" -> "Mikhail Galuzin", roles read off titles and appositions). On top of that, a
small coreference step over the parse: "He" is the most recent compatible named person, preferring
one that was a clause subject or had just spoken; "the minister" is the most recent person the text
gave that role word; "the ministry" the most recent body with that word in its name. Hand-written
because the coreference models for spaCy 3.8 need hub downloads; this needs only the parse.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from presswatch.names import ORG_HEADS, TITLE_WORDS, joint_name
from presswatch.nlp.name_spans import DETERMINERS
from presswatch.nlp.name_types import described_as_a_person
from presswatch.nlp.roles import names_a_person
from presswatch.nlp.spans import SpanIndex
from presswatch.records import GROUP, ORGANIZATION, PERSON, PLACE, UNKNOWN_SPEAKER

_MALE = {"he", "him", "his", "himself"}
_FEMALE = {"she", "her", "hers", "herself"}
_PLURAL = {"they", "them", "their", "we", "us"}
_NEUTER = {"it", "its"}
_TITLES_MALE = {"mr", "mr.", "sir", "lord"}
_TITLES_FEMALE = {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "dame"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Plural nouns that stand for institutions rather than an anonymous crowd.
_ORGANISATION_PLURALS = {"authorities", "police", "forces", "services"}
# Plural nouns for people that do not end like agent nouns.
_PEOPLE_PLURALS = {"officials", "people", "sources", "experts", "leaders", "staff", "members", "critics",
                   "governments", "countries", "states", "nations", "parties", "allies", "media", "outlets"}
_AGENT_ENDINGS = ("ists", "ysts", "ers", "ors", "ans", "ants", "ents", "ees", "ives", "ats", "ites")


def is_people_plural(word: str) -> bool:
    """"analysts", "observers", "residents" — but not "statements" or "assessments"."""
    if word in _PEOPLE_PLURALS:
        return True
    return word.endswith(_AGENT_ENDINGS) and not word.endswith("ments")


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None


@dataclass
class ArticleEntities:
    """People and bodies one article names, in text order, with what the text says of them.

    Each speaker looks back from its own offset, so the mention lists are kept sorted and
    bisected, and the mentions are also filed by the words of a person's role and of a body's
    name (`recent_by_word`): scanning every mention per statement grew with the square of a long
    article's length."""

    people: dict[str, _Person] = field(default_factory=dict)  # by resolved name
    person_mentions: list[tuple[int, str, bool]] = field(default_factory=list)  # (offset, name, is subject), sorted
    org_mentions: list[tuple[int, str]] = field(default_factory=list)  # (offset, resolved name), by offset
    by_offset: dict[int, tuple[str, str]] = field(default_factory=dict)  # token offset -> (type, name)
    # person_mentions and org_mentions filed by each word of the person's role or the body's name
    people_by_role_word: dict[str, list[tuple[int, str, bool]]] = field(default_factory=dict)
    orgs_by_word: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def from_mentions(cls, doc, mentions) -> "ArticleEntities":
        out = cls()
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                out.by_offset[token.idx] = (m.type, m.refers_to)
            if m.type == PERSON:
                person = out.people.get(m.refers_to)
                if person is None:
                    person = out.people[m.refers_to] = _Person(m.refers_to)
                person.role = person.role or m.role
                if person.gender is None and span.start > 0:
                    title = doc[span.start - 1].lower_
                    person.gender = "m" if title in _TITLES_MALE else "f" if title in _TITLES_FEMALE else None
                is_subject = any(t.dep_ in _SUBJECT_DEPS or t.head.dep_ in _SUBJECT_DEPS for t in span)
                out.person_mentions.append((m.start, m.refers_to, is_subject))
            elif m.type in (ORGANIZATION, PLACE):
                out.org_mentions.append((m.start, m.refers_to))
        out.person_mentions.sort()
        out.org_mentions.sort(key=lambda m: m[0])
        for offset, name in out.org_mentions:
            for word in set(name.lower().split()):
                out.orgs_by_word.setdefault(word, []).append((offset, name))
        out._file_people_by_role_word()
        return out

    def _file_people_by_role_word(self) -> None:
        self.people_by_role_word = {}
        for mention in self.person_mentions:
            for word in self._role_words(mention[1]):
                self.people_by_role_word.setdefault(word, []).append(mention)

    def _role_words(self, name: str) -> set[str]:
        role = self.people[name].role
        return set(role.lower().split()) if role else set()

    def exclude_within(self, spans: list[tuple[int, int]]) -> None:
        """Names inside what someone said are not who says the next thing ("He" after
        "…warned that Yerevan is trying…" is the speaker, not Yerevan)."""
        said = SpanIndex((s, e, None) for s, e in spans)
        self.person_mentions = [m for m in self.person_mentions if not said.containing(m[0])]
        self._file_people_by_role_word()

    def note_speaker(self, offset: int, name: str) -> None:
        """A resolved speaker is the likeliest antecedent of the next "he"/"she"."""
        if name in self.people:
            mention = (offset, name, True)
            bisect.insort(self.person_mentions, mention)
            for word in self._role_words(name):
                bisect.insort(self.people_by_role_word.setdefault(word, []), mention)

    def recent_person(self, before: int, gender: str | None) -> _Person | None:
        fallback = None
        for k in range(bisect.bisect_left(self.person_mentions, (before,)) - 1, -1, -1):
            _, name, is_subject = self.person_mentions[k]
            person = self.people[name]
            if gender is not None and person.gender not in (None, gender):
                continue
            if is_subject:
                return person
            fallback = fallback or person
        return fallback

    def recent_by_word(self, before: int, word: str) -> tuple[str, str, str | None] | None:
        """The latest person whose role, or body whose name, contains `word`; of two at one
        offset the first in text order, and a person before a body."""
        best: tuple[int, str, str, str | None] | None = None
        people = self.people_by_role_word.get(word, [])
        k = bisect.bisect_left(people, (before,))
        if k:
            offset, name, _ = people[bisect.bisect_left(people, (people[k - 1][0],))]
            best = (offset, PERSON, name, self.people[name].role)
        orgs = self.orgs_by_word.get(word, [])
        k = bisect.bisect_left(orgs, before, key=lambda m: m[0])
        if k:
            offset, name = orgs[bisect.bisect_left(orgs, orgs[k - 1][0], key=lambda m: m[0])]
            if best is None or offset > best[0]:
                best = (offset, ORGANIZATION, name, None)
        return best[1:] if best else None

    def recent_org(self, before: int) -> str | None:
        k = bisect.bisect_left(self.org_mentions, before, key=lambda m: m[0])
        return self.org_mentions[k - 1][1] if k else None


# Prepositions that say where the speaker sits: "the defence ministry in Skelby" is the ministry,
# not the town, where "the government of Varnia" speaks for Varnia.
_LOCATIVE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "on"}


def _placed_by(token, root) -> bool:
    """Whether the place `token` only says where the phrase's head is (under a locative preposition
    between it and `root`)."""
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ == "prep" and token.lower_ in _LOCATIVE_PREPOSITIONS:
            return True
        token = token.head
    return False


def _modifiers_fit(span, root, found: tuple[str, str, str | None]) -> bool:
    """Whether the words before the role noun fit the person found by it: "the defence minister"
    is the last person the text called "Defence Minister", but "Saltreach coach" is another club's
    coach than the last one named, "Coach Mateo Brisk"."""
    kind, _, role = found
    if kind != PERSON:
        return True
    words = set((role or "").lower().split())
    return all(t.lower_ in words for t in span if t.i < root.i and t.pos_ in ("PROPN", "NOUN", "ADJ"))


def _role_of_unnamed(span, root):
    """An unnamed speaker's role: its phrase without a leading article or "one" ("one resident"),
    and up to a clause that says more of the one speaking ("a fisherman who asked not to be named",
    "a resident living on the quay" are fishermen and residents)."""
    doc = span.doc
    start = span.start + 1 if len(span) > 1 and span[0].lower_ in DETERMINERS | {"one"} else span.start
    end = min((c.left_edge.i for c in root.children if c.dep_ in ("relcl", "acl") and c.i > root.i), default=span.end)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:max(end, start + 1)]


def _spoken_for(token, root, entities: ArticleEntities) -> bool:
    """Whether the person `token` names is the one a role speaks for: "a spokesperson for Mayor
    Anna Kask", "an aide to Kask", "Kask's spokesman" are not Kask. ("Kask's office" speaks as Kask,
    as a press office does.)"""
    if not names_a_person(root.lower_) or _holds_the_title(token, root, entities):
        return False
    doc = token.doc
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ == "appos" or token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == ",":
            # "its envoy in Kestrel, Jorund Hale": the role's holder set beside it (the parser
            # may hang the name off the place, as a conjunct)
            return False
        if token.dep_ in ("prep", "poss"):
            return True
        token = token.head
    return False


def _holds_the_title(token, root, entities: ArticleEntities) -> bool:
    """Whether the person `token` names holds the capitalised title before it, the parser having
    hung the name off the title's "of"/"for" with its object ("Minister for Waterways Henrietta
    Sallow", "Minister for the Environment Arne Dahl"): between the preposition (and "the") and
    the name only capitalised words of no title ("a spokesperson for Mayor Anna Kask" speaks for Kask)."""
    doc = token.doc
    start = token.i
    while start > 0 and entities.by_offset.get(doc[start - 1].idx) == entities.by_offset.get(token.idx):
        start -= 1  # the name's first word
    preposition = next((t for t in reversed(doc[root.i + 1 : start]) if t.lower_ in ("of", "for")), None)
    if not root.is_title or preposition is None or preposition.i == start - 1:
        return False
    between = doc[preposition.i + 1 + (doc[preposition.i + 1].lower_ == "the") : start]
    return len(between) > 0 and all(t.is_title and t.is_alpha and t.lower_ not in TITLE_WORDS for t in between)


def _joined_people(span, root, entities: ArticleEntities) -> list[str]:
    """The people a source names side by side as one speaker ("Mayor Anna Kask and Harbour
    Master Bengt Oyen said"): every conjunct of the phrase's head a person's name, joined by "and"
    (not "or"), two people or more; else none."""
    heads = [root, *(c for c in root.conjuncts if span.start <= c.i < span.end)]
    if len(heads) < 2 or not any(t.dep_ == "cc" and t.lower_ == "and" for h in heads for t in h.children):
        return []
    names: list[str] = []
    for head in heads:
        found = entities.by_offset.get(head.idx)
        if found is None or found[0] != PERSON or _spoken_for(head, root, entities):
            return []
        if found[1] not in names:
            names.append(found[1])
    return names if len(names) > 1 else []


def resolve_speaker(doc, start: int, end: int, entities: ArticleEntities) -> tuple[str | None, str | None, str]:
    """(speaker_name, speaker_role, speaker_kind) for the source tokens doc[start:end]."""
    span = doc[start:end]
    root = span.root
    joined = _joined_people(span, root, entities)
    if joined:
        return joint_name(joined), None, PERSON
    named = [(t, entities.by_offset[t.idx]) for t in span if t.idx in entities.by_offset]
    # The name on the phrase's head wins ("Galuzin" in "Russian Deputy Foreign Minister Galuzin");
    # otherwise the first person named in it, then the first body.
    on_root = [n for t, n in named if t.i == root.i]
    people = [n for t, n in named if n[0] == PERSON and not _spoken_for(t, root, entities)]
    bodies = [n for t, n in named if n[0] == ORGANIZATION or n[0] == PLACE and not _placed_by(t, root)]
    chosen = on_root[0] if on_root else (people[0] if people else None)
    if chosen is None and bodies and root.tag_ not in ("NNS", "NNPS") and not names_a_person(root.lower_):
        chosen = bodies[0]
    if chosen is not None and chosen[0] == PERSON:
        person = entities.people.get(chosen[1])
        return chosen[1], person.role if person else None, PERSON
    if chosen is not None and chosen[0] in (ORGANIZATION, PLACE):
        return chosen[1], None, ORGANIZATION
    word = root.lower_
    if root.pos_ == "PRON":
        if word in _MALE or word in _FEMALE:
            gender = "m" if word in _MALE else "f"
            person = entities.recent_person(span.start_char, gender)
            if person is None:
                return None, None, PERSON
            person.gender = person.gender or gender
            return person.name, person.role, PERSON
        if word in _NEUTER:
            return entities.recent_org(span.start_char), None, ORGANIZATION
        return None, None, GROUP if word in _PLURAL else UNKNOWN_SPEAKER
    if root.tag_ in ("NNS", "NNPS") and word not in _ORGANISATION_PLURALS:
        # "analysts", "Russian officials": anonymous, flagged as a group and never given a name
        return None, None, GROUP if is_people_plural(word) else UNKNOWN_SPEAKER
    if root.pos_ in ("NOUN", "PROPN"):
        found = entities.recent_by_word(span.start_char, word)
        if found is not None and _modifiers_fit(span, root, found):
            kind, name, role = found
            return name, role, kind
        if word in ORG_HEADS or word in _ORGANISATION_PLURALS:
            return None, None, ORGANIZATION
        if names_a_person(word) or described_as_a_person(root):
            # "A spokesman for the Port Authority said", "Tarsenia's interior minister said", "a
            # fisherman said": an unnamed speaker known by a role (`_role_of_unnamed`)
            return None, _role_of_unnamed(span, root).text, PERSON
    if chosen is not None:  # a nationality alone ("the Russians")
        return None, None, GROUP
    return None, None, UNKNOWN_SPEAKER
