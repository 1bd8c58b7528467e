"""Who a source mention denotes, within one article.

A small coreference step over the parse: "He" becomes the most recent compatible named person,
"the minister" the most recent person whose role the text gave as minister, "the ministry" the most
recent organisation with that word in its name. Hand-written rather than a coreference model
because the only such models for spaCy 3.8 need hub downloads; this one only needs what the
parse already has, and it costs nothing beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON = "person"
ORGANIZATION = "organization"
GROUP = "group"
UNKNOWN = "unknown"

_MALE = {"he", "him", "his", "himself"}
_FEMALE = {"she", "her", "hers", "herself"}
_PLURAL = {"they", "them", "their", "we", "us"}
_NEUTER = {"it", "its"}
_TITLES_MALE = {"mr", "mr.", "sir", "lord"}
_TITLES_FEMALE = {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "dame"}
_ORG_ENTS = {"ORG", "NORP", "GPE", "FAC"}
_ROLE_DEPS = {"compound", "amod", "nmod", "poss", "case", "punct", "det", "prep", "pobj", "cc", "conj"}


def _strip_possessive(text: str) -> str:
    for tail in ("'s", "’s"):
        if text.endswith(tail):
            return text[: -len(tail)]
    return text.rstrip("'’")


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None


@dataclass
class ArticleEntities:
    """The named people and organisations of one parsed article, in text order."""

    people: dict[str, _Person] = field(default_factory=dict)  # by surname
    person_mentions: list[tuple[int, str]] = field(default_factory=list)  # (char offset, surname)
    org_mentions: list[tuple[int, str]] = field(default_factory=list)  # (char offset, name)

    @classmethod
    def from_doc(cls, doc) -> "ArticleEntities":
        out = cls()
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = _strip_possessive(ent.text.strip())
                if not name:
                    continue
                surname = name.split()[-1]
                person = out.people.get(surname)
                if person is None:
                    person = out.people[surname] = _Person(name)
                elif len(name.split()) > len(person.name.split()):
                    person.name = name
                if person.role is None:
                    person.role = _role_of(ent)
                if person.gender is None:
                    person.gender = _title_gender(ent)
                out.person_mentions.append((ent.start_char, surname))
            elif ent.label_ in _ORG_ENTS:
                name = _strip_possessive(ent.text.strip())
                if name.lower().startswith("the "):
                    name = name[4:]
                out.org_mentions.append((ent.start_char, name))
        return out

    def person_for(self, surname: str) -> _Person | None:
        return self.people.get(surname)

    def recent_person(self, before: int, gender: str | None) -> _Person | None:
        for offset, surname in reversed(self.person_mentions):
            if offset >= before:
                continue
            person = self.people[surname]
            if gender is None or person.gender in (None, gender):
                return person
        return None

    def recent_by_role_word(self, before: int, word: str) -> tuple[str, str, str | None] | None:
        """The latest person whose role, or organisation whose name, contains `word`."""
        best: tuple[int, str, str, str | None] | None = None
        for offset, surname in self.person_mentions:
            person = self.people[surname]
            if offset < before and person.role and word in person.role.lower().split():
                if best is None or offset > best[0]:
                    best = (offset, PERSON, person.name, person.role)
        for offset, name in self.org_mentions:
            if offset < before and word in name.lower().split():
                if best is None or offset > best[0]:
                    best = (offset, ORGANIZATION, name, None)
        return best[1:] if best else None

    def recent_org(self, before: int) -> str | None:
        for offset, name in reversed(self.org_mentions):
            if offset < before:
                return name
        return None


def _title_gender(ent) -> str | None:
    if ent.start > 0:
        prev = ent.doc[ent.start - 1].lower_
        if prev in _TITLES_MALE:
            return "m"
        if prev in _TITLES_FEMALE:
            return "f"
    return None


def _role_of(ent) -> str | None:
    """The role the text gives a person: the title before the name or an apposition after it."""
    doc = ent.doc
    root = ent.root
    title = [
        t for t in doc[root.left_edge.i : ent.start] if t.dep_ in _ROLE_DEPS and t.pos_ not in ("DET", "PUNCT")
    ]
    if title and not any(t.ent_type_ == "PERSON" for t in title):
        first = title[0]
        return doc[first.i : ent.start].text.strip(" ,")
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            span = doc[child.left_edge.i : child.right_edge.i + 1]
            words = [t for t in span if not (t.i == span.start and t.pos_ == "DET")]
            if words:
                return doc[words[0].i : span.end].text.strip(" ,")
    return None


def resolve_speaker(doc, start: int, end: int, entities: ArticleEntities) -> tuple[str | None, str | None, str]:
    """(speaker_name, speaker_role, speaker_kind) for the source tokens doc[start:end]."""
    span = doc[start:end]
    root = span.root
    people = [e for e in span.ents if e.label_ == "PERSON"]
    if people:
        surname = _strip_possessive(people[0].text.strip()).split()[-1]
        person = entities.person_for(surname)
        if person is not None:
            return person.name, person.role, PERSON
    first_word = root.lower_
    if root.pos_ == "PRON":
        if first_word in _MALE or first_word in _FEMALE:
            gender = "m" if first_word in _MALE else "f"
            person = entities.recent_person(span.start_char, gender)
            if person is None:
                return None, None, PERSON
            if person.gender is None:
                person.gender = gender
            return person.name, person.role, PERSON
        if first_word in _NEUTER:
            return entities.recent_org(span.start_char), None, ORGANIZATION
        return None, None, GROUP if first_word in _PLURAL else UNKNOWN
    orgs = [e for e in span.ents if e.label_ in _ORG_ENTS]
    if orgs and orgs[0].root.i == root.i or (orgs and root.ent_type_ in _ORG_ENTS):
        name = _strip_possessive(orgs[0].text.strip())
        return (name[4:] if name.lower().startswith("the ") else name), None, ORGANIZATION
    if root.tag_ in ("NNS", "NNPS") and not root.ent_type_:
        return None, None, GROUP
    if root.pos_ in ("NOUN", "PROPN"):
        found = entities.recent_by_role_word(span.start_char, root.lower_)
        if found is not None:
            kind, name, role = found
            return name, role, kind
    return None, None, UNKNOWN
