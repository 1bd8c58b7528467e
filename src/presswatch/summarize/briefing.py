"""Briefings: what was said in a time window about a focus, by whom and where, grouped by narrative.

The records of a briefing; `presswatch.query.briefing` builds one from the store. A briefing is
made of stored statements only, each line carrying its statement id and article id,
so every line can be checked against its evidence. The focus is any mix of a speaker, an entity, a
narrative and a search query; with none, the window's statements are briefed.
"""

from __future__ import annotations

from dataclasses import dataclass

from presswatch.records import SpeakerLink


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
        return tuple(dict.fromkeys(line.outlet for line in self.lines if line.outlet))

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.speaker for line in self.lines))


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
