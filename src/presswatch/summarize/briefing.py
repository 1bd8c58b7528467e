"""Briefings: what was said in a time window about a focus, by whom and where, grouped by narrative.

The records of a briefing; `presswatch.query.briefing` builds one from the store. A briefing is
made of stored statements only, each line carrying its statement id and article id,
so every line can be checked against its evidence. The focus is any mix of a speaker, an entity, a
narrative and a search query; with none, the window's statements are briefed.
"""

from __future__ import annotations

from dataclasses import dataclass

from presswatch.records import UNKNOWN_OUTLET, SpeakerLink


DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class BriefingLine:
    """One statement: who said what, how, when, and the article it is in."""

    statement_id: str
    article_id: str
    date: str | None  # ISO: when it was said where the text says so, else when its article was published
    speaker: str  # as the article names the speaker
    # each person or body the speaker names, with the entity it resolves to: one for a lone speaker,
    # one per person for people who spoke together; none for an unnamed source
    speaker_links: tuple[SpeakerLink, ...]
    speaker_role: str | None
    speaker_kind: str
    cue: str
    quote: str
    mode: str  # "direct" | "indirect" | "mixed" | "according_to"
    venue: str | None
    addressee: str | None
    outlet: str | None
    title: str | None
    url: str | None
    # how the statement stands to its group's claim (records.STANCES: asserts, reports, denies,
    # disputes); None for a statement in no narrative
    stance: str | None = None


@dataclass(frozen=True)
class BriefingPerson:
    """A person or body the briefing quotes that resolves to one entity: the entity's canonical
    name, with each spelling the briefed articles gave it, so two spellings read as one person."""

    entity_id: str
    name: str  # the entity's canonical name
    type: str  # records.ENTITY_TYPES
    statements: int  # the briefed statements it made, alone or with others
    spellings: tuple[tuple[str, int], ...]  # (the articles' spelling, statements), most first
    roles: tuple[str, ...]  # the roles the articles gave it, most used first


@dataclass(frozen=True)
class BriefingGroup:
    """The lines that carry one narrative (`narrative_id` None: statements in no narrative)."""

    narrative_id: str | None
    label: str | None
    lines: tuple[BriefingLine, ...]  # by date
    # the narrative's statements in all, in and out of the briefing's focus and window; None for
    # the statements in no narrative
    narrative_statements: int | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets of its lines, an article naming none as UNKNOWN_OUTLET (as the Where tally
        and a narrative's outlets count it)."""
        return tuple(dict.fromkeys(line.outlet or UNKNOWN_OUTLET for line in self.lines))


@dataclass(frozen=True)
class Briefing:
    focus: str  # the focus in words, e.g. 'speaker "Yevgeny Lomatsky"'
    since: str | None
    until: str | None
    groups: tuple[BriefingGroup, ...]  # narratives most carried first, then statements in none
    # (speaker, statements), most first; an entity's spellings count as one, and people who spoke
    # together each count the statement
    speakers: tuple[tuple[str, int], ...]
    outlets: tuple[tuple[str, int], ...]  # (outlet, statements), most first
    statements: int
    truncated: bool  # more matched than the limit: the oldest (or, for a query, the weakest) are left out
    # the speakers that resolve to an entity, most quoted first: the "People quoted" every format
    # ends with, and the canonical name each line shows for them
    people: tuple[BriefingPerson, ...] = ()

    def canonical_names(self) -> dict[str, str]:
        """Entity id -> canonical name, for the people quoted."""
        return {person.entity_id: person.name for person in self.people}
