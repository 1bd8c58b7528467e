"""Read endpoints: articles, statements, entities, stories, narratives, search and briefings.

Every list is paged with `limit` (1-200) and `offset`, and answers its `total` and `next_offset`
(null on the last page). Every list is answered by `presswatch.query.listings`, as the CLI's and
the web UI's are. Detail routes take an id or a unique id prefix, as the CLI does.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import AfterValidator
from starlette.routing import NoMatchFound

from presswatch.api.deps import get_store
from presswatch.api.models import (
    ArticleBrief,
    ArticleDetail,
    ItemsPage,
    NarrativeView,
    NearDuplicate,
    SearchPage,
    StoryDetail,
)
from presswatch.errors import QueryError
from presswatch.query import build_briefing, listings, summarize_story
from presswatch.records import ENTITY_TYPES, Evidence, LinkedStatement, Source, Story
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.database import ISO_DATE_PATTERN, iso_date
from presswatch.store.entities import EntityDetail, EntitySummary
from presswatch.store.search import (
    KIND_SPELLINGS,
    MAX_QUERY_CHARS,
    MODES,
    SORTS,
    SearchFilters,
    kinds_spelled,
    statement_by_id,
)
from presswatch.summarize import Briefing, StorySummary
from presswatch.summarize.briefing import DEFAULT_LIMIT
from presswatch.summarize.pdf import briefing_pdf
from presswatch.summarize.render import (
    briefing_html,
    briefing_markdown,
    summary_html,
    summary_markdown,
)
from presswatch.summarize.story import DEFAULT_SENTENCES

router = APIRouter()

MAX_LIMIT = 200
MAX_SUMMARY_SENTENCES = 20
MAX_BRIEFING_STATEMENTS = 2000

def _calendar_date(value: str | None) -> str | None:
    """The pattern admits 2025-02-30; the store's one check of dates does not (422 then)."""
    try:
        return iso_date(value)
    except QueryError as exc:
        raise ValueError(str(exc)) from None


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=listings.MAX_OFFSET, description="Items to skip.")]
# A day, a month or a year, optionally with a time: the forms the store compares as text.
Day = Annotated[
    str | None, Query(pattern=ISO_DATE_PATTERN, description="ISO date."),
    AfterValidator(_calendar_date),
]
Name = Annotated[str | None, Query(min_length=1, max_length=300)]
Format = Literal["json", "md", "html"]
TEXT_FORMATS = {200: {"content": {"application/json": {}, "text/markdown": {}, "text/html": {}}}}
# A briefing also comes as PDF (the pdf extra).
BriefingFormat = Literal["json", "md", "html", "pdf"]
BRIEFING_FORMATS = {200: {"content": {**TEXT_FORMATS[200]["content"], "application/pdf": {}}}}


def _filters(
    outlet: Name = None, speaker: Name = None, entity: Name = None, narrative: Name = None, since: Day = None,
    until: Day = None, language: Annotated[str | None, Query(max_length=20)] = None,
) -> SearchFilters:
    """The filters listings and search share, read from the query string."""
    return SearchFilters(outlet=outlet, speaker=speaker, entity=entity, narrative=narrative, since=since,
                         until=until, language=language)


Filters = Annotated[SearchFilters, Depends(_filters)]


def article_href(request: Request):
    """Links to the web UI's article page where it is mounted, else to this API's article."""
    return _page_href(request, ("article", "article_id"), ("get_article", "article_id"))


def entity_href(request: Request):
    """Links to the web UI's entity page where it is mounted, else to this API's entity."""
    return _page_href(request, ("entity", "entity_id"), ("get_entity", "entity"))


def absolute(request: Request, href):
    """`href` (id -> path) giving absolute URLs, for links that must work outside the site."""
    base = str(request.base_url).rstrip("/")
    return lambda value: base + href(value)


def _page_href(request: Request, web: tuple[str, str], api: tuple[str, str]):
    """id -> path of the web UI's route `web` (name, parameter) where it is mounted, else the API's `api`."""
    # Asked of the router rather than read from app.routes: included routers need not be listed there.
    try:
        request.app.url_path_for(web[0], **{web[1]: "x"})
        name, parameter = web
    except NoMatchFound:
        name, parameter = api
    return lambda value: request.app.url_path_for(name, **{parameter: value})


# -- articles and statements ----------------------------------------------------------------------


@router.get("/articles", response_model=ItemsPage[ArticleBrief], tags=["articles"])
def get_articles(store: StoreDep, filters: Filters, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0):
    """Articles, newest first, with the same filters as search."""
    return ItemsPage[ArticleBrief].of(listings.articles(store, filters, limit=limit, offset=offset), ArticleBrief.of)


@router.get("/articles/{article_id}", response_model=ArticleDetail, tags=["articles"])
def get_article(store: StoreDep, article_id: str):
    """One article with its text, statements, sources and near-duplicates."""
    from presswatch.store.statements import article_statements

    article = store.article(article_id)
    return ArticleDetail(
        article=article, statements=article_statements(store, article.id), sources=store.sources_of(article.id),
        near_duplicates=[NearDuplicate(article_id=i, similarity=s) for i, s in store.near_duplicates(article.id)],
    )


@router.get("/statements", response_model=ItemsPage[LinkedStatement], tags=["statements"])
def get_statements(store: StoreDep, filters: Filters, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0):
    """Statements (who said what), newest first."""
    return ItemsPage[LinkedStatement].of(listings.statements(store, filters, limit=limit, offset=offset))


@router.get("/statements/{statement_id}", response_model=LinkedStatement, tags=["statements"])
def get_statement(store: StoreDep, statement_id: str):
    """One statement: who said what, how, where and when, with its spans in the article and its
    speaker's links, as the list of statements gives it."""
    return listings.linked_statements(store, [statement_by_id(store, statement_id)])[0]


# -- entities ---------------------------------------------------------------------------------------


@router.get("/entities", response_model=ItemsPage[EntitySummary], tags=["entities"])
def get_entities(
    store: StoreDep, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0,
    type: Annotated[Literal[ENTITY_TYPES] | None, Query()] = None,
):
    """Entities, most mentioned first."""
    return ItemsPage[EntitySummary].of(listings.entities(store, type=type, limit=limit, offset=offset))


@router.get("/entities/{entity}", response_model=EntityDetail, tags=["entities"])
def get_entity(store: StoreDep, entity: str):
    """One entity by id or name: aliases, roles over time, outlets, and why its names were joined."""
    return listings.entity(store, entity)


@router.get("/entities/{entity}/statements", response_model=ItemsPage[LinkedStatement], tags=["entities"])
def get_entity_statements(store: StoreDep, entity: str, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0):
    """What one entity (by id or name) said, newest first; `total` is its detail's `statements`."""
    return ItemsPage[LinkedStatement].of(listings.entity_statements(store, entity, limit=limit, offset=offset))


# -- sources --------------------------------------------------------------------------------------


@router.get("/sources", response_model=ItemsPage[Source], tags=["sources"])
def get_sources(store: StoreDep, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0):
    """The feeds, sitemaps and front pages `presswatch collect` and `watch` fetch, in the order
    they were added, with the health of their last fetch (outcome, error, new items, 304s, next due)."""
    return ItemsPage[Source].of(listings.sources(store, limit=limit, offset=offset))


# -- stories and narratives -----------------------------------------------------------------------


@router.get("/stories", response_model=ItemsPage[Story], tags=["stories"])
def get_stories(store: StoreDep, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0, since: Day = None):
    """Stories (articles about one event), most recently seen first."""
    return ItemsPage[Story].of(listings.stories(store, since=since, limit=limit, offset=offset))


@router.get("/stories/{story_id}", response_model=StoryDetail, tags=["stories"])
def get_story(store: StoreDep, story_id: str):
    """One story with its articles."""
    story = story_store.story(store, story_id)
    return StoryDetail(story=story, articles=[ArticleBrief.of(store.article(i)) for i in story.article_ids])


@router.get("/stories/{story_id}/summary", response_model=StorySummary, tags=["stories"], responses=TEXT_FORMATS)
def get_story_summary(
    request: Request, store: StoreDep, story_id: str,
    sentences: Annotated[int, Query(ge=1, le=MAX_SUMMARY_SENTENCES)] = DEFAULT_SENTENCES, format: Format = "json",
):
    """A few sentences taken from the story's articles, each cited (article id, outlet, date)."""
    summary = summarize_story(store, story_id, sentences=sentences)
    if format == "md":
        return PlainTextResponse(summary_markdown(summary, article_href=article_href(request)), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(summary_html(summary, article_href=article_href(request)))
    return summary


@router.get("/narratives", response_model=ItemsPage[NarrativeView], tags=["narratives"])
def get_narratives(
    store: StoreDep, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0,
    min_outlets: Annotated[int, Query(ge=1, le=1000, description="Only claims carried by this many outlets.")] = 1,
):
    """Narratives (claims repeated across outlets and time), most widely carried first, each with
    the counter-narratives that deny or dispute it."""
    found = listings.narratives(store, min_outlets=min_outlets, limit=limit, offset=offset)
    return ItemsPage[NarrativeView].of(found, item=NarrativeView.of)


@router.get("/narratives/{narrative_id}", response_model=NarrativeView, tags=["narratives"])
def get_narrative(store: StoreDep, narrative_id: str):
    """One narrative: its claim, the evidence trail (statements across outlets and time) and the
    counter-narratives beside it (or, for a counter-narrative, the claim it opposes in `counter_of`)."""
    return NarrativeView.of(story_store.narrative(store, narrative_id))


@router.get("/narratives/{narrative_id}/evidence", response_model=ItemsPage[Evidence], tags=["narratives"])
def get_narrative_evidence(store: StoreDep, narrative_id: str, limit: Limit = listings.DEFAULT_LIMIT, offset: Offset = 0):
    """One narrative's evidence trail, a page at a time, in date order."""
    _, page = listings.narrative_evidence(store, narrative_id, limit=limit, offset=offset)
    return ItemsPage[Evidence].of(page)


# -- search and briefings ---------------------------------------------------------------------------


@router.get("/search", response_model=SearchPage, tags=["search"])
def get_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description=(
        'Words as written (NATO\'s, U.S., search-and-rescue); "a phrase", prefix*, AND/OR/NOT in capitals,'
        " (groups) and NEAR(a b, 10) for more; plain words for meaning search."))],
    mode: Annotated[Literal[MODES], Query(description="auto: hybrid where vectors exist, else text.")] = "auto",
    kind: Annotated[Literal[*KIND_SPELLINGS], Query(description="article(s), statement(s), or both (also: all).")] = "all",
    sort: Annotated[Literal[SORTS], Query(description="relevance (best first) or date (newest first).")] = "relevance",
    filters: Filters = None,
    limit: Limit = listings.SEARCH_LIMIT, offset: Offset = 0,
):
    """Articles and statements for a query, best (or newest) first; an item found by meaning carries
    its cosine `similarity` to the query (an article's: its headline's or its opening's, the higher).
    400 with a hint in words for a malformed query."""
    page, totals = listings.search_with_totals(store, q, mode=mode, kinds=kinds_spelled(kind), filters=filters,
                                               limit=limit, offset=offset, sort=sort)
    return SearchPage.of(page, mode=page.mode, sort=page.sort, notes=list(page.notes), totals_by_kind=totals)


@router.get("/briefing", response_model=Briefing, tags=["briefings"], responses=BRIEFING_FORMATS)
def get_briefing(
    request: Request, store: StoreDep, since: Day = None, until: Day = None, speaker: Name = None,
    entity: Name = None, narrative: Name = None,
    q: Annotated[str | None, Query(min_length=1, max_length=MAX_QUERY_CHARS,
                                   description="Search over what was said.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_BRIEFING_STATEMENTS)] = DEFAULT_LIMIT, format: BriefingFormat = "json",
):
    """What was said in a window about a focus, by whom and where, grouped by narrative; every line
    carries its statement id and article id."""
    briefing = build_briefing(store, since=since, until=until, speaker=speaker, entity=entity, narrative=narrative,
                              query=q, limit=limit)
    # absolute, as the web UI's downloads give them, so the links work in the file outside the site
    links = {"article_href": absolute(request, article_href(request)),
             "entity_href": absolute(request, entity_href(request))}
    if format == "md":
        return PlainTextResponse(briefing_markdown(briefing, **links), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(briefing_html(briefing, **links))
    if format == "pdf":
        return Response(briefing_pdf(briefing, **links), media_type="application/pdf")
    return briefing
