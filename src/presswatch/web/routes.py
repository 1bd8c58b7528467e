"""The pages: search, article, entity profile, story, narrative and briefing, rendered on the
server from the store with Jinja2 (autoescaped), one store connection per request, only read."""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from presswatch.errors import PresswatchError, QueryError, UnknownRecord
from presswatch.extract.language import unanalysed_note
from presswatch.exports import records_csv
from presswatch.query import (
    briefing_example,
    build_briefing,
    co_mentions,
    listings,
    summarize_story,
    wire_groups,
)
from presswatch.records import (
    ENTITY_TYPES,
    PERSON,
    UNKNOWN_OUTLET,
    ResultPage,
    SpeakerLink,
    Statement,
    dated_to_month,
    opponents,
    outlet_named,
    role_beside,
)
from presswatch.store import Store, request_store
from presswatch.store.search import (
    ARTICLE,
    AUTO,
    BOTH,
    KINDS,
    MODES,
    RELEVANCE,
    STATEMENT,
    SearchFilters,
    kinds_spelled,
    opening_words,
    statements_by_ids,
)
from presswatch.store.sources import ERROR
from presswatch.store.statements import article_statements
from presswatch.summarize.pdf import briefing_pdf
from presswatch.summarize.render import (
    PEOPLE_HEADING,
    PEOPLE_NOTE,
    briefing_html,
    briefing_markdown,
    counted,
    group_count_phrase,
    person_facts,
    short_id,
    shown_speakers,
    tally_phrase,
    venue_phrase,
    where_phrase,
)
from presswatch.web import queries
from presswatch.web.charts import (
    TYPE_COLOURS,
    co_mention_graph,
    coverage_by_outlet,
    per_month_bars,
)
from presswatch.web.highlight import marked_paragraphs
from presswatch.web.views import result_rows, search_views

HERE = Path(__file__).parent

# Pages run no inline script; inline styles are allowed for the <style> pygal puts in its SVG.
# Nothing is loaded from elsewhere: the policy the API gives its own HTML answers, so under `serve`,
# where a page carries only its own, it is as strict as the API's.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
        " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

RESULTS_SHOWN = 50
# The most rows one download (a list's ?format=csv or json) holds; its `total` says when there are more.
DOWNLOAD_LIMIT = 1000
DOWNLOADS = ("csv", "json")
PageLimit = Annotated[int, Query(ge=1, le=DOWNLOAD_LIMIT)]
PageOffset = Annotated[int, Query(ge=0, le=listings.MAX_OFFSET)]
# Charts are drawn at the width they are shown at, so their text is the page's size: the main
# column's width for a chart across the page, the column beside an aside otherwise.
FULL_WIDTH, COLUMN_WIDTH = 1100, 760
# What the briefing form's focus names: `build_briefing`'s keyword for it, and its label.
# The search form's filters, in the order the page lists them when set.
SEARCH_FILTERS = ("speaker", "entity", "outlet", "language", "narrative", "since", "until")
# A briefing's downloads: format -> what the page calls it.
BRIEFING_DOWNLOADS = {"md": "Markdown", "html": "HTML", "pdf": "PDF"}
BRIEFING_FOCUS = {"query": "words said", "speaker": "said by", "entity": "naming or by"}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["outlet"] = outlet_named
    env.filters["day"] = lambda value: (value or "")[:10]
    env.filters["moment"] = lambda value: (value or "")[:16].replace("T", " ")
    env.filters["refine"] = lambda form, **changes: urlencode({k: v for k, v in {**form, **changes}.items() if v})
    env.filters["venue_phrase"] = venue_phrase
    # A briefing's counts in the words of its Markdown, HTML and PDF.
    env.filters["group_count"] = group_count_phrase
    env.filters["tally"] = tally_phrase
    env.filters["where_phrase"] = where_phrase
    env.filters["person_facts"] = person_facts
    env.filters["counted"] = counted
    env.filters["short"] = short_id
    # The items of a briefing's tallies and a group's outlets shown before the rest is folded away.
    env.globals["LISTED_INLINE"] = 8
    env.globals["shown_speakers"] = shown_speakers
    env.globals["people_heading"], env.globals["people_note"] = PEOPLE_HEADING, PEOPLE_NOTE
    # A narrative's counts and opponents, defined once in records.py for every face.
    env.globals["opponents"] = opponents
    env.globals["role_beside"] = role_beside
    env.globals["SOURCE_ERROR"] = ERROR
    return env


def _paths(request: Request) -> dict:
    return {"path": lambda name, **params: request.app.url_path_for(name, **params), "here": request.url.path,
            "download_limit": DOWNLOAD_LIMIT, "page_limit": RESULTS_SHOWN}


templates = Jinja2Templates(env=_environment(), context_processors=[_paths])


def page(request: Request, name: str, *, status: int = 200, **context) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


# What an error page is headed, by its status; other statuses of the 400s are the reader's request.
ERROR_HEADINGS = {404: "Not found", 500: "Something went wrong", 503: "The database cannot be read"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A page that says what went wrong, in the site's frame, with the status the API would answer."""
    heading = ERROR_HEADINGS.get(status, "Cannot show that" if status < 500 else "Something went wrong")
    return page(request, "error.html", status=status, heading=heading, message=message)


def not_found(request: Request, message: str) -> HTMLResponse:
    return error_page(request, 404, message)


def lookup_error(request: Request, exc: QueryError) -> HTMLResponse:
    """A record that is not stored is not found; an id that cannot be read (a prefix that names
    several) is a request to mend, as the API answers them."""
    return error_page(request, 404 if isinstance(exc, UnknownRecord) else 400, error_text(exc))


def error_text(exc: QueryError) -> str:
    """The error as a page says it: a record not stored points at the page that lists them."""
    if isinstance(exc, UnknownRecord) and exc.listing:
        return f"{exc}; the {exc.listing.capitalize()} page (/{exc.listing}) lists them"
    return str(exc)


def listing(request: Request, name: str, result: ResultPage, format: str, download: str, *, status: int = 200,
            **context) -> Response:
    """A list page, or its download: `format` csv or json gives the page's records (the JSON is the
    page as `presswatch.query.listings.page_json` shapes it for the CLI too), under `download`.csv/json."""
    if format == "json":
        return Response(json.dumps(listings.page_json(result), ensure_ascii=False, indent=1),
                        media_type="application/json", headers=_attachment(download, "json"))
    if format == "csv":
        return Response(records_csv(result.items), media_type="text/csv; charset=utf-8",
                        headers=_attachment(download, "csv"))
    if format:
        return error_page(request, 400, f"no download format {format!r}; choose one of: {', '.join(DOWNLOADS)}")
    return page(request, name, status=status, result=result, **context)


def _attachment(name: str, extension: str) -> dict:
    return {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="presswatch-{name}.{extension}"'}


router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
def _store(request: Request) -> Iterator[Store]:
    yield from request_store(request)


StoreDep = Annotated[Store, Depends(_store)]


@router.get("/", name="home")
def home(request: Request, store: StoreDep):
    return page(
        request, "home.html",
        counts=store.counts(),
        stories=listings.stories(store, limit=8).items,
        narratives=listings.narratives(store, min_outlets=2, limit=6).items,
        people=listings.entities(store, type=PERSON, limit=10).items,
        facets=queries.facet_values(store),
    )


@router.get("/search", name="search")
def search_page(
    request: Request,
    store: StoreDep,
    q: str = "",
    kind: str = ARTICLE,
    mode: str = AUTO,
    outlet: str = "",
    speaker: str = "",
    entity: str = "",
    narrative: str = "",
    since: str = "",
    until: str = "",
    language: str = "",
    sort: str = RELEVANCE,
    interval: str = "",
    offset: PageOffset = 0,
    limit: PageLimit = RESULTS_SHOWN,
    format: str = "",
):
    form = {"q": q, "kind": kind, "mode": mode, "outlet": outlet, "speaker": speaker, "entity": entity,
            "narrative": narrative, "since": since, "until": until, "language": language, "sort": sort,
            "interval": interval}
    error, found, rows, tabs, views = None, ResultPage((), 0, offset, limit), [], [], None
    notes: list[str] = []
    try:
        filters = _search_filters(form, notes)  # first: it settles the form's kind
        found, counted = _find(store, form, filters, limit=limit, offset=offset)
        if not format:
            tabs = _kind_tabs(store, form, filters, counted)
            rows = result_rows(store, _shown(store, form["kind"], found))
            if form["kind"] != BOTH:  # facets and volume count one kind's results
                views = search_views(store, form, filters, chart_width=FULL_WIDTH)
    except QueryError as exc:
        error = error_text(exc)
    if error and format:
        return error_page(request, 400, error)
    return listing(
        request, "search.html", found, format, "search", status=400 if error else 200, form=form, error=error,
        notes=[*notes, *getattr(found, "notes", ())], rows=rows, tabs=tabs, modes=MODES,
        facets=queries.facet_values(store), views=views, active=_active_filters(store, form),
    )


@router.get("/articles/{article_id}", name="article")
def article(request: Request, article_id: str, store: StoreDep):
    try:
        found = store.article(article_id)
    except QueryError as exc:
        return lookup_error(request, exc)
    said = article_statements(store, found.id)
    speakers = queries.statement_speakers(store, said)
    paragraphs = marked_paragraphs(
        found, said,
        lambda s: [(start, end, request.app.url_path_for("entity", entity_id=entity_id))
                   for start, end, entity_id in _named_speakers(found.body, s, speakers[s.id])],
    )
    named = defaultdict(list)
    for entity_id, name, type_, count in queries.article_entities(store, found.id):
        named[type_].append((entity_id, name, count))
    return page(
        request, "article.html", article=found, paragraphs=paragraphs, statements=said, speakers=speakers,
        language_note=unanalysed_note(found.language_flag),
        named=[(type_, named[type_]) for type_ in ENTITY_TYPES if named[type_]], story=queries.story_of(store, found.id),
        narratives=queries.narratives_of(store, found.id), sources=store.sources_of(found.id),
        near=[(queries.article_refs(store, [i]).get(i), sim) for i, sim in store.near_duplicates(found.id)],
    )


@router.get("/entities", name="entities")
def entities(request: Request, store: StoreDep, type: str = "", offset: PageOffset = 0,
             limit: PageLimit = RESULTS_SHOWN, format: str = ""):
    if type and type not in ENTITY_TYPES:
        return not_found(request, f"no entity type {type!r}; the types are {', '.join(ENTITY_TYPES)}")
    found = listings.entities(store, type=type or None, limit=limit, offset=offset)
    return listing(request, "entities.html", found, format, "entities", form={"type": type}, type=type,
                   types=ENTITY_TYPES)


@router.get("/entities/{entity_id}", name="entity")
def entity(request: Request, entity_id: str, store: StoreDep, offset: PageOffset = 0,
           limit: PageLimit = RESULTS_SHOWN, format: str = ""):
    if not queries.entity_exists(store, entity_id):
        return not_found(request, f"no entity with id {entity_id!r}")
    profile = listings.entity_profile(store, entity_id, limit=limit, offset=offset)
    detail, found = profile.detail, profile.statements
    if format:
        return listing(request, "entity.html", found, format, f"entity-{entity_id}-statements")
    said = queries.said_by(store, list(found.items))
    by_article: dict[str, list[queries.SaidBy]] = {}
    for item in said:
        by_article.setdefault(item.article.id, []).append(item)
    named_with = co_mentions(store, entity_id)
    return listing(
        request, "entity.html", found, format, "", form={}, detail=detail, roles=_role_history(detail.entity.roles),
        said=said, undated=sum(d is None for d in profile.reported),
        named_with=named_with, type_colours=TYPE_COLOURS,
        graph=co_mention_graph(named_with, lambda other: request.app.url_path_for("entity", entity_id=other),
                               width=COLUMN_WIDTH),
        by_article=[(items[0].article, items) for items in by_article.values()],
        chart=per_month_bars(queries.per_month(profile.reported), what="statements", width=COLUMN_WIDTH),
    )


@router.get("/sources", name="sources")
def sources(request: Request, store: StoreDep, offset: PageOffset = 0, limit: PageLimit = RESULTS_SHOWN,
            format: str = ""):
    found = listings.sources(store, limit=limit, offset=offset)
    return listing(request, "sources.html", found, format, "sources", form={})


@router.get("/stories", name="stories")
def stories(request: Request, store: StoreDep, offset: PageOffset = 0, limit: PageLimit = RESULTS_SHOWN,
            format: str = ""):
    found = listings.stories(store, limit=limit, offset=offset)
    return listing(request, "stories.html", found, format, "stories", form={})


@router.get("/stories/{story_id}", name="story")
def story(request: Request, story_id: str, store: StoreDep):
    try:
        found = listings.story(store, story_id)
    except QueryError as exc:
        return lookup_error(request, exc)
    refs = queries.article_refs(store, list(found.article_ids))
    articles = [refs[i] for i in found.article_ids if i in refs]
    by_day = defaultdict(list)  # day -> (article, its wire copies in the story) for the timeline
    for group in wire_groups(store, [a.id for a in articles]):
        lead = refs[group.lead]
        by_day[(lead.published or "")[:10] or "undated"].append((lead, [refs[i] for i in group.article_ids[1:]]))
    return page(
        request, "story.html", story=found, articles=articles, by_day=sorted(by_day.items()),
        outlets=Counter(a.outlet or UNKNOWN_OUTLET for a in articles).most_common(),
        undated=sum(not a.published for a in articles),
        chart=coverage_by_outlet(((a.outlet, a.published) for a in articles), what="articles", width=FULL_WIDTH),
        summary=summarize_story(store, found.id),
    )


@router.get("/narratives", name="narratives")
def narratives(request: Request, store: StoreDep, offset: PageOffset = 0, limit: PageLimit = RESULTS_SHOWN,
               format: str = ""):
    found = listings.narratives(store, limit=limit, offset=offset)
    return listing(request, "narratives.html", found, format, "narratives", form={})


@router.get("/narratives/{narrative_id}", name="narrative")
def narrative(request: Request, narrative_id: str, store: StoreDep, offset: PageOffset = 0,
              limit: PageLimit = RESULTS_SHOWN, format: str = ""):
    try:
        found, evidence = listings.narrative_evidence(store, narrative_id, limit=limit, offset=offset)
    except QueryError as exc:
        return lookup_error(request, exc)
    if format:
        return listing(request, "narrative.html", evidence, format, f"narrative-{found.id}-evidence")
    claim = found
    if found.counter_of:  # a counter-narrative is shown beside the claim it opposes
        try:
            claim = listings.narrative(store, found.counter_of)
        except QueryError:
            claim = None
    opposing = [e for counter in found.counters for e in counter.evidence]
    refs = queries.article_refs(store, sorted({e.article_id for e in (*found.evidence, *opposing)}))
    speakers = _evidence_speakers(store, [*evidence.items, *opposing])
    # A statement's own date can be a bare month ("January"); its article's date places it then.
    when = {e.statement_id: dated_to_month(e.date) or refs[e.article_id].published
            for e in (*found.evidence, *opposing)}
    by_year = defaultdict(list)
    for e in evidence.items:
        by_year[(when[e.statement_id] or "")[:4] or "undated"].append(e)
    return listing(
        request, "narrative.html", evidence, format, "", form={}, narrative=found, claim=claim, refs=refs,
        speakers=speakers, by_year=sorted(by_year.items()), undated=sum(not when[e.statement_id] for e in found.evidence),
        opposed=opponents(claim) if claim else [],
        chart=coverage_by_outlet(((e.outlet, when[e.statement_id]) for e in found.evidence), what="statements",
                                 width=FULL_WIDTH),
    )


def _briefing_form(since: str = "", until: str = "", focus: str = "", about: str = "query", narrative: str = "",
                   match: str = AUTO) -> dict:
    """The briefing form's fields as the query string gives them (the page and its downloads)."""
    return {"since": since, "until": until, "focus": focus, "about": about, "narrative": narrative, "match": match}


BriefingForm = Annotated[dict, Depends(_briefing_form)]
BRIEFING_FIELDS = tuple(inspect.signature(_briefing_form).parameters)


@router.get("/briefing", name="briefing")
def briefing(request: Request, store: StoreDep, form: BriefingForm):
    if "format" in request.query_params:  # the download's parameter given to the page: the download it asks for
        return RedirectResponse(f"{request.url_for('briefing_download')}?{request.query_params}", status_code=307)
    unknown = [name for name in request.query_params if name not in BRIEFING_FIELDS]
    # A first visit (nothing the form takes given): the form filled with a briefing from the user's
    # own store, and its result.
    example = not any(name in BRIEFING_FIELDS for name in request.query_params) and briefing_example(store)
    if example:
        form.update(since=example["since"], until=example["until"], about="speaker", focus=example.get("speaker", ""))
    made, error = None, None
    try:
        made = _briefing_from(store, form)
    except QueryError as exc:
        error = error_text(exc)
    status = 400 if error else 200
    if unknown and not error:  # said rather than silently dropped: a misspelt field would brief something else
        error = (f"ignored {', '.join(map(repr, unknown))}: the briefing takes {', '.join(BRIEFING_FIELDS)}, "
                 f"and format={'|'.join(BRIEFING_DOWNLOADS)} for a download")
    return page(request, "briefing.html", status=status, form=form, briefing=made, error=error,
                focus_kinds=BRIEFING_FOCUS, example=bool(example), downloads=BRIEFING_DOWNLOADS)


@router.get("/briefing/download", name="briefing_download")
def briefing_download(request: Request, store: StoreDep, format: str, form: BriefingForm):
    """The briefing the form describes as a file: Markdown, a standalone HTML page, or PDF."""
    try:
        if format not in BRIEFING_DOWNLOADS:
            raise QueryError(f"unknown format {format!r}; choose one of: {', '.join(BRIEFING_DOWNLOADS)}")
        made = _briefing_from(store, form) or build_briefing(store, mode=form["match"])

        # absolute, so the links work in the file outside the site
        links = {"article_href": lambda article_id: str(request.url_for("article", article_id=article_id)),
                 "entity_href": lambda entity_id: str(request.url_for("entity", entity_id=entity_id))}
        if format == "md":
            body, media = briefing_markdown(made, **links).encode(), "text/markdown; charset=utf-8"
        elif format == "html":
            body, media = briefing_html(made, **links).encode(), "text/html; charset=utf-8"
        else:
            body, media = briefing_pdf(made, **links), "application/pdf"
    except PresswatchError as exc:
        return page(request, "briefing.html", status=400, form=form, briefing=None, error=str(exc),
                    focus_kinds=BRIEFING_FOCUS, example=False, downloads=BRIEFING_DOWNLOADS)
    name = "-".join(["briefing", *(part for part in (form["since"], form["until"]) if part)])
    return Response(body, media_type=media, headers={
        **SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{_file_name(name)}.{format}"'})


def _briefing_from(store: Store, form: dict):
    """The briefing a filled form asks for; None for an empty form. Raises QueryError for a bad one."""
    if form["about"] not in BRIEFING_FOCUS:
        raise QueryError(f"unknown focus {form['about']!r}")
    if not any(form[k].strip() for k in ("since", "until", "focus", "narrative")):
        return None
    focus_given = {form["about"]: form["focus"].strip()} if form["focus"].strip() else {}
    return build_briefing(store, since=form["since"] or None, until=form["until"] or None,
                          narrative=form["narrative"].strip() or None, mode=form["match"], **focus_given)


def _file_name(name: str) -> str:
    """A download's name from what the user typed, with only characters every file system takes."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]


def _search_filters(form: dict, notes: list[str]) -> SearchFilters:
    """The form's filters, its kind settled to one of KINDS or BOTH in every face's spelling
    ("articles" as the CLI has it too, "all" as the API). Both kinds are listed together for words
    only, ranked as `presswatch search` and /api/search rank them; a list without words is of one
    kind, newest first (`notes` says so when both were asked)."""
    kinds = kinds_spelled(form["kind"])
    form["kind"] = kinds[0] if len(kinds) == 1 else BOTH
    if form["kind"] == BOTH and not form["q"].strip():
        form["kind"] = ARTICLE
        notes.append("Without words, articles and statements are listed apart, newest first: "
                     "the tabs give each kind's count.")
    return SearchFilters(**{k: form[k].strip() or None for k in SEARCH_FILTERS})


# What the search page's tabs call each kind it lists.
KIND_TABS = {ARTICLE: "Articles", STATEMENT: "Statements", BOTH: "Both"}


def _kind_tabs(store: Store, form: dict, filters: SearchFilters, counted: dict[str, int]) -> list[tuple[str, str, int]]:
    """(kind, label, total) for each kind the form's search (or list) can show: what each kind's tab
    offers, counted as the CLI and the API count them (`listings.every_kind_total`: only the kinds
    the page's own search did not count, `counted`), and, for words, both together (their sum, as
    `presswatch search` and /api/search total them by default)."""
    totals = listings.every_kind_total(store, form["q"], counted, mode=form["mode"], filters=filters)
    tabs = [(kind, KIND_TABS[kind], total) for kind, total in totals.items()]
    if form["q"].strip():
        tabs.append((BOTH, KIND_TABS[BOTH], sum(totals.values())))
    return tabs


def _active_filters(store: Store, form: dict) -> list[tuple[str, str, str]]:
    """(filter, value, what to show) for each filter the form sets, entities and narratives by name."""
    active = []
    for name in SEARCH_FILTERS:
        value = form[name].strip()
        if value:
            shown = value
            if name in ("speaker", "entity"):
                shown = queries.entity_name(store, value) or value
            elif name == "narrative":
                shown = queries.narrative_label(store, value) or value
            active.append((name, value, shown))
    return active


def _find(store: Store, form: dict, filters: SearchFilters, *, limit: int, offset: int
          ) -> tuple[ResultPage, dict[str, int]]:
    """A page of the search form's answer and each kind's total counted on the way: one kind's
    (`listings.search_or_list`, as the API's lists answer), or for BOTH the search over every kind
    (`listings.search_with_totals`, as /api/search answers)."""
    if form["kind"] == BOTH:
        return listings.search_with_totals(store, form["q"], mode=form["mode"], kinds=KINDS, filters=filters,
                                           sort=form["sort"], limit=limit, offset=offset)
    found = listings.search_or_list(store, form["q"], kind=form["kind"], mode=form["mode"], filters=filters,
                                    sort=form["sort"], limit=limit, offset=offset)
    return found, {form["kind"]: found.total}


def _shown(store: Store, kind: str, found: ResultPage) -> list:
    """A page's items as the search page shows them, in its order: articles with a snippet,
    statements with their article and speaker's entity (a search of both kinds mixes them)."""
    if not isinstance(found, listings.SearchPage):  # a list without words, of one kind
        if kind == ARTICLE:
            return [queries.ArticleHit(queries.ref_of(a), escape(opening_words(a.body))) for a in found.items]
        return [queries.StatementHit(said, None) for said in queries.said_by(store, list(found.items))]
    hits = found.items
    refs = queries.article_refs(store, [h.article_id for h in hits if h.kind == ARTICLE])
    said = {s.statement.id: s for s in queries.said_by(
        store, statements_by_ids(store, [h.id for h in hits if h.kind == STATEMENT]))}
    shown = []
    for h in hits:
        if h.kind == ARTICLE:
            shown.append(queries.ArticleHit(refs[h.article_id], _marked(h.snippet, h.highlights), h.similarity))
        elif h.id in said:  # a statement analysed again since is gone
            shown.append(queries.StatementHit(said[h.id], _marked(h.snippet, h.highlights), h.similarity))
    return shown


def _marked(text: str, highlights: tuple[tuple[int, int], ...]) -> Markup:
    """A snippet escaped, with the words the query matched marked."""
    html, at = [], 0
    for start, end in highlights:
        html += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    html.append(escape(text[at:]))
    return Markup("").join(html)


def _role_history(roles) -> list[tuple[str, str | None, str | None, int, str]]:
    """(role, first date, last date, articles, an article id) per distinct role, earliest first."""
    seen: dict[str, list] = {}
    for role, date, article_id in roles:
        entry = seen.setdefault(role, [role, date, date, 0, article_id])
        entry[2] = date or entry[2]
        entry[3] += 1
    return [tuple(e) for e in seen.values()]


def _named_speakers(body: str, statement: Statement, speakers: tuple[SpeakerLink, ...]) -> list[tuple[int, int, str]]:
    """Where the article's text names each linked speaker of a statement, with their entity: a
    lone speaker's words whole, or each person's name as found in turn among the words of people
    who spoke together ("Mayor Anna Kask and Harbour Master Bengt Oyen")."""
    start, end = statement.speaker_span or (0, 0)
    if len(speakers) == 1:
        return [(start, end, speakers[0].entity_id)] if speakers[0].entity_id else []
    named, at = [], start
    for link in speakers:
        found = body.find(link.name, at, end)
        if found >= 0:
            at = found + len(link.name)
            if link.entity_id:
                named.append((found, at, link.entity_id))
    return named


def _evidence_speakers(store: Store, evidence) -> dict[str, tuple[SpeakerLink, ...]]:
    """Statement id -> its speaker's links (`queries.statement_speakers`), for linking a narrative's
    evidence; evidence whose statement is gone (re-analysed since) keeps an unlinked speaker."""
    return queries.statement_speakers(store, statements_by_ids(store, [e.statement_id for e in evidence]))


def answer_page_errors_in_html(app: FastAPI, api_paths: Sequence[str]) -> None:
    """Errors on the pages come as pages: each of the app's error handlers (the API's, which answer
    JSON) is wrapped so that a request outside `api_paths` gets the same status and message as an
    error page ("/stories?offset=-1", an unknown path), while the API's clients keep their JSON."""
    for key, json_handler in list(app.exception_handlers.items()):
        app.exception_handlers[key] = _html_outside(json_handler, tuple(api_paths))


def _html_outside(json_handler, api_paths: tuple[str, ...]):
    async def handler(request: Request, exc: Exception) -> Response:
        if isinstance(exc, UnknownRecord) and not request.url.path.startswith(api_paths):
            return lookup_error(request, exc)  # pointing at the page that lists them, not the API route
        answer = json_handler(request, exc)
        if inspect.isawaitable(answer):
            answer = await answer
        if request.url.path.startswith(api_paths) or answer.media_type != "application/json":
            return answer
        message = json.loads(answer.body).get("error", "")
        return error_page(request, answer.status_code, message)

    return handler


def mount_web(app: FastAPI, db_path: str | Path) -> None:
    """Serve the pages and their stylesheet from an app (the API's, or a test's). The pages open
    the store as the API's routes do (`presswatch.store.request_store`), from `app.state.db_path`."""
    app.state.db_path = str(db_path)
    from presswatch.web.watchlists import (
        router as watchlists_router,  # it builds on this module's page helpers
    )

    app.include_router(router)
    app.include_router(watchlists_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
