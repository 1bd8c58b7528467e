"""One function per question the faces ask (articles, statements, entities, stories, narratives,
search), each answering one page with its total. The CLI, the HTTP API and the web UI all call
these, so the same question with the same filters gets the same answer everywhere
(`tests/test_parity.py` runs a table of queries through the three faces and compares them).

Filters are `SearchFilters` (store/search.py) for articles, statements and search: speaker and
entity in any spelling (resolved through the entity aliases), outlet by name, ISO dates checked
once, narrative by id prefix, language. Briefings are `presswatch.query.briefing.build_briefing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace

from presswatch.errors import QueryError
from presswatch.records import (
    Article,
    Evidence,
    LinkedStatement,
    Narrative,
    ResultPage,
    Source,
    Statement,
    Story,
    dated_to_month,
    sorted_voices,
)
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.entities import (
    EntityDetail,
    EntitySummary,
    count_entities,
    entity_detail,
    entity_named,
    canonical_speakers,
    entity_names_of,
    list_entities,
    speaker_statement_ids,
    statements_speaker_links,
)
from presswatch.store.sources import count_sources, list_sources
from presswatch.store.statements import listed_dates
from presswatch.store.search import (
    ARTICLE,
    AUTO,
    KINDS,
    RELEVANCE,
    TEXT,
    Hit,
    SearchFilters,
    article_page,
    checked_options,
    listed_totals,
    match_totals,
    statement_page,
    statements_by_ids,
)
from presswatch.store.search import search as search_store

# Items a page holds unless the caller says otherwise: a list's, and a search's (the CLI and the API).
DEFAULT_LIMIT = 50
SEARCH_LIMIT = 20
# The furthest a page may start, for every face: far past any list a person pages through, and a
# bound on what reaches SQLite, which fails on a number its integers cannot hold.
MAX_OFFSET = 1_000_000
SQLITE_MAX_INTEGER = 2**63 - 1
NO_FILTERS = SearchFilters()


@dataclass(frozen=True)
class SearchPage(ResultPage[Hit]):
    """A page of search hits, with how the search ran."""

    mode: str = TEXT  # the mode that ran: "text", "meaning" or "hybrid" ("auto" resolved)
    sort: str = RELEVANCE
    notes: tuple[str, ...] = ()  # e.g. why "auto" fell back to words only


def page_json(page: ResultPage) -> dict:
    """A page as JSON-ready data, the shape of the HTTP API's lists: items, total, limit, offset,
    next_offset (and a search's mode, sort and notes). The CLI's `--format json` and the web UI's
    JSON downloads print this."""
    return {**asdict(page), "next_offset": page.next_offset}


def _checked(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise QueryError("limit must be at least 1 and offset at least 0")
    if offset > MAX_OFFSET:
        raise QueryError(f"offset {offset} is past the furthest a page may start ({MAX_OFFSET})")
    if limit > SQLITE_MAX_INTEGER:
        raise QueryError(f"limit {limit} is more than any list holds: give at most {SQLITE_MAX_INTEGER}")


def articles(store: Store, filters: SearchFilters = NO_FILTERS, *, limit: int = DEFAULT_LIMIT,
             offset: int = 0) -> ResultPage[Article]:
    """Articles that pass the filters, newest first (undated last)."""
    _checked(limit, offset)
    found, total = article_page(store, filters, limit=limit, offset=offset)
    return ResultPage(tuple(found), total, offset, limit)


def statements(store: Store, filters: SearchFilters = NO_FILTERS, *, limit: int = DEFAULT_LIMIT,
               offset: int = 0, linked: bool = True) -> ResultPage[LinkedStatement] | ResultPage[Statement]:
    """Statements that pass the filters, newest first, in reading order within an article, each
    with its speaker's links (`linked_statements`; `linked=False`: without, for a view that only
    counts them: the search page's facets over 500 statements)."""
    _checked(limit, offset)
    found, total = statement_page(store, filters, limit=limit, offset=offset)
    return ResultPage(tuple(linked_statements(store, found) if linked else found), total, offset, limit)


def linked_statements(store: Store, statements: Sequence[Statement]) -> list[LinkedStatement]:
    """Statements with their speaker's links (`store.entities.speakers_links`: each person of a
    joint speaker apart) and each person's canonical name (`store.entities.canonical_speakers`),
    all resolved at once: the lists of statements and the statements export."""
    links = statements_speaker_links(store, statements)
    return [LinkedStatement(**{f.name: getattr(statement, f.name) for f in fields(statement)},
                            speaker_links=linked, speaker_canonical=canonical)
            for statement, linked, canonical in zip(statements, links, canonical_speakers(store, links))]


def entities(store: Store, *, type: str | None = None, limit: int = DEFAULT_LIMIT,
             offset: int = 0) -> ResultPage[EntitySummary]:
    """Entities (of one type: person, organization, place, nationality), most mentioned first."""
    _checked(limit, offset)
    found = list_entities(store, type, limit, offset)
    return ResultPage(tuple(found), count_entities(store, type), offset, limit)


def entity(store: Store, name: str) -> EntityDetail:
    """One entity by id or any of its names (QueryError when none or several match). Its
    `statements` count is the total of `entity_statements`."""
    return entity_detail(store, name)


def entity_statements(store: Store, name: str, *, limit: int = DEFAULT_LIMIT,
                      offset: int = 0) -> ResultPage[LinkedStatement]:
    """What an entity said, newest first, as `statements` gives them: the statements whose speaker
    is the entity (`speaker_statement_ids`, which its detail counts). Its id is all it needs of the
    entity: its detail would count them once more (0.2 s CPU for an entity named in 3,600 articles)."""
    _checked(limit, offset)
    return _said_page(store, listed_dates(store, speaker_statement_ids(store, entity_named(store, name))), limit, offset)


@dataclass(frozen=True)
class EntityProfile:
    """An entity's detail, a page of what it said, and when each of its statements was reported (its
    article's date, else the month its own date gives; None when neither is known): what its page shows."""

    detail: EntityDetail
    statements: ResultPage[LinkedStatement]
    reported: tuple[str | None, ...]


def entity_profile(store: Store, name: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> EntityProfile:
    """`entity` and a page of `entity_statements` with every statement's date, its statements
    found once for all three (bench/listings.py's 100k store, an entity named in 3,600 articles:
    they were read three times, each walking every statement for a speaker written as its id)."""
    _checked(limit, offset)
    entity_id = entity_named(store, name)
    said = speaker_statement_ids(store, entity_id)
    dated = listed_dates(store, said)
    return EntityProfile(entity_detail(store, entity_id, statement_ids=said), _said_page(store, dated, limit, offset),
                         tuple(published or dated_to_month(date) for _, date, published in dated))


def _said_page(store: Store, dated: Sequence[tuple[str, str | None, str | None]], limit: int,
               offset: int) -> ResultPage[LinkedStatement]:
    """A page of statements listed by `listed_dates`, read whole and linked."""
    shown = statements_by_ids(store, [statement_id for statement_id, _, _ in dated[offset:offset + limit]])
    return ResultPage(tuple(linked_statements(store, shown)), len(dated), offset, limit)


def stories(store: Store, *, since: str | None = None, limit: int = DEFAULT_LIMIT,
            offset: int = 0) -> ResultPage[Story]:
    """Stories (articles about one event), most recently seen first; `since`: seen on or after."""
    _checked(limit, offset)
    found = story_store.stories(store, since=since, limit=limit, offset=offset)
    return ResultPage(tuple(found), story_store.count_stories(store, since=since), offset, limit)


def sources(store: Store, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> ResultPage[Source]:
    """The sources collection fetches, in the order they were added, with their health."""
    _checked(limit, offset)
    return ResultPage(tuple(list_sources(store, limit=limit, offset=offset)), count_sources(store), offset, limit)


def story(store: Store, story_id: str) -> Story:
    """One story (a unique id prefix is enough; QueryError when none or several match)."""
    return story_store.story(store, story_id)


# Statements of each narrative's timeline a listing carries (`Narrative.statements` and `outlets`
# count them all; `narrative_evidence` pages through the whole trail). Uncapped, one page of the
# API's narratives was 1.67 MB at 10k articles.
LISTED_EVIDENCE = 5


def narratives(store: Store, *, min_outlets: int = 1, limit: int = DEFAULT_LIMIT,
               offset: int = 0) -> ResultPage[Narrative]:
    """Narratives (claims repeated across articles), most widely carried first, each with the
    start of its evidence trail and the count of all of it."""
    _checked(limit, offset)
    found = story_store.narratives(store, min_outlets=min_outlets, limit=limit, offset=offset,
                                   evidence_limit=LISTED_EVIDENCE)
    return ResultPage(tuple(_voices_named(store, n) for n in found),
                      story_store.count_narratives(store, min_outlets=min_outlets), offset, limit)


def narrative(store: Store, narrative_id: str) -> Narrative:
    """One narrative with its counter-narratives (a unique id prefix is enough; QueryError when
    none or several match)."""
    return _voices_named(store, story_store.narrative(store, narrative_id))


def _voices_named(store: Store, narrative: Narrative) -> Narrative:
    """The narrative with who opposes it (its counter-narratives' voices) named as the entities
    they are, so "denied by" lists the alliance once, not as "NMA" and "Northern Maritime
    Alliance"; the evidence keeps each speaker as its article wrote it. Only the counters' voices
    are resolved: they are what the faces name, and a claim repeated by hundreds of speakers
    would cost a look-up each (0.5 s a listing page on bench/listings.py's 100k store)."""
    speakers = [speaker for c in narrative.counters for _, speaker in c.voices if speaker]
    if not speakers:
        return narrative
    canonical = entity_names_of(store, speakers)
    counters = tuple(
        replace(c, voices=sorted_voices((stance, canonical.get(speaker, speaker)) for stance, speaker in c.voices))
        for c in narrative.counters
    )
    return replace(narrative, counters=counters)


def narrative_evidence(store: Store, narrative_id: str, *, limit: int = DEFAULT_LIMIT,
                       offset: int = 0) -> tuple[Narrative, ResultPage[Evidence]]:
    """A narrative (a unique id prefix is enough) and a page of its evidence trail, in date order."""
    _checked(limit, offset)
    found = narrative(store, narrative_id)
    return found, ResultPage(found.evidence[offset:offset + limit], len(found.evidence), offset, limit)


def search(store: Store, query: str, *, mode: str = AUTO, kinds: Sequence[str] = KINDS,
           filters: SearchFilters = NO_FILTERS, sort: str = RELEVANCE, limit: int = SEARCH_LIMIT,
           offset: int = 0, snippets: bool = True) -> SearchPage:
    """Articles and statements for a query, best (or newest) first; see store/search.py `search`."""
    return _searched(store, query, mode=mode, kinds=kinds, filters=filters, sort=sort, limit=limit, offset=offset,
                     snippets=snippets)[0]


def search_with_totals(store: Store, query: str, *, mode: str = AUTO, kinds: Sequence[str] = KINDS,
                       filters: SearchFilters = NO_FILTERS, sort: str = RELEVANCE, limit: int = SEARCH_LIMIT,
                       offset: int = 0) -> tuple[SearchPage, dict[str, int]]:
    """`search`'s page and `kind_totals` over every kind, as /api/search answers: the kinds searched
    are counted once, by the search itself, and only the others besides. Counting them all again
    cost a meaning search over both kinds 77% more CPU than the search (bench/search.py --tabs-only,
    100k articles)."""
    page, counted = _searched(store, query, mode=mode, kinds=kinds, filters=filters, sort=sort, limit=limit,
                              offset=offset)
    return page, every_kind_total(store, query, counted, mode=mode, filters=filters)


def _searched(store: Store, query: str, *, mode: str, kinds: Sequence[str], filters: SearchFilters, sort: str,
              limit: int, offset: int, snippets: bool = True) -> tuple[SearchPage, dict[str, int]]:
    """A page of `search` and each kind searched -> its matches."""
    _checked(limit, offset)
    found = search_store(store, query, mode=mode, kinds=kinds, filters=filters, limit=limit, offset=offset, sort=sort,
                         snippets=snippets)
    page = SearchPage(found.hits, found.total, offset, limit, mode=found.mode, sort=found.sort, notes=found.notes)
    return page, found.totals_by_kind


def search_or_list(store: Store, query: str | None, *, kind: str, mode: str = AUTO, filters: SearchFilters = NO_FILTERS,
                   sort: str = RELEVANCE, limit: int = DEFAULT_LIMIT, offset: int = 0, shown: bool = True) -> ResultPage:
    """One kind's answer to a search form: for words, `search` (best or newest first, as `sort`
    says); without (None or blank), `articles` or `statements`, newest first. The kind, mode and
    sort are checked either way, so a wrong one sent without words does not pass unnoticed.
    `shown=False` is for a view that only counts the items (facets): hits come without snippets and
    statements without their speakers' links."""
    if query and query.strip():
        return search(store, query, mode=mode, kinds=(kind,), filters=filters, sort=sort, limit=limit, offset=offset,
                      snippets=shown)
    checked_options((kind,), mode, sort)
    if kind == ARTICLE:
        return articles(store, filters, limit=limit, offset=offset)
    return statements(store, filters, limit=limit, offset=offset, linked=shown)


def kind_totals(store: Store, query: str | None, *, kinds: Sequence[str] = KINDS, mode: str = AUTO,
                filters: SearchFilters = NO_FILTERS) -> dict[str, int]:
    """Kind -> the total `search_or_list` answers for it: for words, what `search` counts of that
    kind (its sum over the kinds is the total of a search over them all, as the CLI's `search` and
    /api/search answer by default); without, how many pass the filters. The web's search page
    shows one per kind, so a search's matches of every kind are counted whichever kind it lists."""
    if query and query.strip():
        return match_totals(store, query, mode=mode, kinds=kinds, filters=filters)
    return listed_totals(store, filters, checked_options(kinds, mode, RELEVANCE))


def every_kind_total(store: Store, query: str | None, counted: dict[str, int], *, mode: str = AUTO,
                     filters: SearchFilters = NO_FILTERS) -> dict[str, int]:
    """Every kind -> its total, in KINDS order: `counted` (the kinds a page's own search or list has
    counted already) completed by `kind_totals` for the others only."""
    missing = [kind for kind in KINDS if kind not in counted]
    totals = {**counted, **(kind_totals(store, query, kinds=missing, mode=mode, filters=filters) if missing else {})}
    return {kind: totals[kind] for kind in KINDS}
