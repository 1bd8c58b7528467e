"""Building a briefing from the store: the statements that match a focus, with their articles,
speakers' entities and narratives (the records and their meaning are in summarize/briefing.py)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from presswatch.errors import QueryError
from presswatch.names import name_key
from presswatch.query.facets import speaker_facet
from presswatch.records import (
    UNKNOWN_OUTLET,
    UNNAMED_SOURCE,
    SpeakerLink,
    Statement,
    dated_to_month,
)
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.entities import statements_speaker_links
from presswatch.store.search import (
    TEXT,
    SearchFilters,
    list_statements,
    search,
    statements_by_ids,
)
from presswatch.store.statements import latest_statement_day
from presswatch.store.vectors import STATEMENT
from presswatch.summarize.briefing import (
    DEFAULT_LIMIT,
    Briefing,
    BriefingGroup,
    BriefingLine,
    BriefingPerson,
)


def build_briefing(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    speaker: str | None = None,
    entity: str | None = None,
    narrative: str | None = None,
    query: str | None = None,
    mode: str = TEXT,
    limit: int = DEFAULT_LIMIT,
) -> Briefing:
    """Brief the statements that match every focus given, within [since, until].

    `query` is a search over what was said (`mode` as in `presswatch.store.search.search`); its
    best `limit` matches are briefed. Without a query the newest `limit` statements are. Raises
    QueryError for an unknown entity or narrative, a malformed query or a limit below 1.
    """
    if limit < 1:
        raise QueryError("a briefing's limit must be at least 1")
    filters = SearchFilters(speaker=speaker, entity=entity, since=since, until=until, narrative=narrative)
    if query:
        results = search(store, query, mode=mode, kinds=(STATEMENT,), filters=filters, limit=limit + 1)
        found = statements_by_ids(store, [hit.id for hit in results.hits])
    else:
        found = list_statements(store, filters, limit=limit + 1)
    truncated = len(found) > limit
    lines = _lines(store, found[:limit])
    groups = _groups(store, lines)
    people = _people(store, lines)
    return Briefing(
        focus=_focus_words(store, speaker=speaker, entity=entity, narrative=narrative, query=query),
        since=since,
        until=until,
        groups=groups,
        speakers=_speaker_tally(people, lines),
        outlets=tuple(Counter(line.outlet or UNKNOWN_OUTLET for line in lines).most_common()),
        statements=len(lines),
        truncated=truncated,
        people=people,
    )


def _lines(store: Store, statements: list[Statement]) -> list[BriefingLine]:
    ids = sorted({s.article_id for s in statements})
    articles = {
        r["id"]: r for r in store.conn.execute(
            "SELECT id, outlet, title, url, published FROM articles WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        )
    }
    lines = []
    for s, links in zip(statements, statements_speaker_links(store, statements)):
        article = articles[s.article_id]
        who = s.speaker_name or s.speaker
        lines.append(BriefingLine(
            statement_id=s.id, article_id=s.article_id,
            date=dated_to_month(s.date) or (article["published"] or "")[:10] or None,
            speaker=who or UNNAMED_SOURCE, speaker_links=links,
            speaker_role=s.speaker_role, speaker_kind=s.speaker_kind, cue=s.cue, quote=s.content, mode=s.mode,
            venue=s.venue, addressee=s.addressee, outlet=article["outlet"], title=article["title"], url=article["url"],
        ))
    return lines


def _people(store: Store, lines: list[BriefingLine]) -> tuple[BriefingPerson, ...]:
    """The entities the lines' speakers resolve to, each with its canonical name, the spellings the
    articles gave it and the roles they gave a lone speaker (who of a joint speaker holds a role
    the text does not say); most quoted first."""
    spellings: dict[str, Counter] = {}
    roles: dict[str, Counter] = {}
    for line in lines:
        for link in line.speaker_links:
            if link.entity_id:
                spellings.setdefault(link.entity_id, Counter())[link.name] += 1
                if line.speaker_role and len(line.speaker_links) == 1:
                    roles.setdefault(link.entity_id, Counter())[line.speaker_role] += 1
    rows = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(spellings)),),
    ).fetchall()
    people = [
        BriefingPerson(entity_id=r["id"], name=r["name"], type=r["type"], statements=sum(spellings[r["id"]].values()),
                       spellings=tuple(spellings[r["id"]].most_common()),
                       roles=tuple(role for role, _ in roles.get(r["id"], Counter()).most_common()))
        for r in rows
    ]
    return tuple(sorted(people, key=lambda p: (-p.statements, p.name, p.entity_id)))


def _speaker_tally(people: tuple[BriefingPerson, ...], lines: list[BriefingLine]) -> tuple[tuple[str, int], ...]:
    """(speaker, statements), most first: an entity under its canonical name, whatever the
    spelling, counted as its "People quoted" entry counts it; a speaker resolving to none under its
    first spelling, spellings that differ only in case, apostrophes or transliteration
    (`names.name_key`) counted as one."""
    shown = {person.entity_id: person.name for person in people}
    tally: Counter = Counter()
    for line in lines:
        for link in line.speaker_links or (SpeakerLink(line.speaker, None),):
            key = link.entity_id if link.entity_id in shown else f"name:{name_key(link.name) or link.name}"
            shown.setdefault(key, link.name)
            tally[key] += 1
    return tuple((shown[key], count) for key, count in tally.most_common())


def _groups(store: Store, lines: list[BriefingLine]) -> tuple[BriefingGroup, ...]:
    ids = json.dumps([line.statement_id for line in lines])
    # A counter-narrative's group says which claim it opposes.
    narrative_of = {}
    stance_of: dict[str, str] = {}
    statements_of: dict[str, int] = {}
    for r in store.conn.execute(
        "SELECT e.statement_id, e.narrative_id, e.stance, n.label, n.statements, c.label AS claim FROM narrative_evidence e"
        " JOIN narratives n ON n.id = e.narrative_id LEFT JOIN narratives c ON c.id = n.counter_of"
        " WHERE e.statement_id IN (SELECT value FROM json_each(?))", (ids,)
    ):
        narrative_of[r["statement_id"]] = (r["narrative_id"], f"{r['label']} (against: {r['claim']})" if r["claim"] else r["label"])
        stance_of[r["statement_id"]] = r["stance"]
        statements_of[r["narrative_id"]] = r["statements"]
    grouped: dict[tuple[str | None, str | None], list[BriefingLine]] = {}
    for line in lines:
        grouped.setdefault(narrative_of.get(line.statement_id, (None, None)), []).append(
            replace(line, stance=stance_of.get(line.statement_id)))
    groups = [
        BriefingGroup(narrative_id, label, tuple(sorted(members, key=_date_order)),
                      statements_of[narrative_id] if narrative_id else None)
        for (narrative_id, label), members in grouped.items()
    ]
    groups.sort(key=lambda g: (g.narrative_id is None, -len(g.lines), _date_order(g.lines[0]), g.narrative_id or ""))
    return tuple(groups)


def _date_order(line: BriefingLine) -> tuple:
    return (line.date is None, line.date or "", line.article_id, line.statement_id)


def _focus_words(store: Store, *, speaker, entity, narrative, query) -> str:

    parts = []
    if speaker:
        parts.append(f"speaker “{speaker}”")
    if entity:
        parts.append(f"entity “{entity}”")
    if narrative:
        parts.append(f"narrative “{story_store.narrative(store, narrative).label}”")
    if query:
        parts.append(f"search “{query}”")
    return ", ".join(parts) or "all statements"


# The example briefing's window: the last days of the store's statements, and how many of its
# statements are read to find its most quoted speaker.
EXAMPLE_DAYS, EXAMPLE_STATEMENTS = 30, 2000


def briefing_example(store: Store) -> dict[str, str] | None:
    """A briefing worth showing a new user, read from their own store: what the most quoted speaker
    said in the last EXAMPLE_DAYS days that have statements. Keys are `build_briefing`'s (since,
    until, speaker); None for a store without dated statements."""
    latest = latest_statement_day(store)
    try:
        until = date.fromisoformat(latest) if latest else None
    except ValueError:
        until = None
    if until is None:
        return None
    since = (until - timedelta(days=EXAMPLE_DAYS - 1)).isoformat()
    window = SearchFilters(since=since, until=until.isoformat())
    ids = [s.id for s in list_statements(store, window, limit=EXAMPLE_STATEMENTS)]
    speakers = speaker_facet(store, STATEMENT, ids, shown=1)
    example = {"since": since, "until": until.isoformat()}
    if speakers:
        example["speaker"] = speakers[0].label
    return example
