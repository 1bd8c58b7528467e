"""The analyst's views as JSON: volume over time, facets of a search, who is named with whom. The
web UI draws the same answers (presswatch.query computes them once for both)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from presswatch.api.routes import Filters, StoreDep
from presswatch.query import (
    CoMentions,
    FacetValue,
    Volume,
    co_mentions,
    search_facets,
    volume,
)
from presswatch.query.comentions import NEIGHBOURS_SHOWN
from presswatch.query.facets import FACET_VALUES_SHOWN
from presswatch.query.volume import INTERVALS
from presswatch.records import ENTITY_TYPES
from presswatch.store.search import KINDS, MAX_QUERY_CHARS, MODES, SORTS
from presswatch.store.vectors import ARTICLE

router = APIRouter()

EntityType = Literal[ENTITY_TYPES]
# Blank as well as absent: the web's search form sends `q=` when left empty, and its page then lists
# every item; the same parameters sent here answer for that list, not with a 422.
Text = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS, description=(
    "A search query (as /api/search reads it); none or blank: every item that passes the filters."))]


@router.get("/volume", response_model=Volume, tags=["search"])
def get_volume(
    store: StoreDep,
    filters: Filters,
    q: Text = None,
    kind: Annotated[Literal[KINDS], Query()] = ARTICLE,
    mode: Annotated[Literal[MODES], Query()] = "auto",
    interval: Annotated[Literal[INTERVALS], Query(description="auto: days up to two months, weeks up to two years, else months.")] = "auto",
):
    """Articles or statements per day, week or month, by outlet, for a search or a filtered listing;
    every period from the first to the last is listed, quiet ones as zeros."""
    return volume(store, kind=kind, query=q, mode=mode, filters=filters, interval=interval)


@router.get("/facets", response_model=dict[str, list[FacetValue]], tags=["search"])
def get_facets(
    store: StoreDep,
    filters: Filters,
    q: Text = None,
    kind: Annotated[Literal[KINDS], Query()] = ARTICLE,
    mode: Annotated[Literal[MODES], Query()] = "auto",
    sort: Annotated[Literal[SORTS], Query(description="Which results of a search come first: relevance (best) or date (newest).")] = "relevance",
    top: Annotated[int, Query(ge=1, le=100, description="Values per facet.")] = FACET_VALUES_SHOWN,
):
    """Speakers, entities, outlets, languages and narratives over the first 500 results of a search
    (or listing), each value with the filter value that narrows to it and its count."""
    return search_facets(store, q, kind=kind, mode=mode, filters=filters, sort=sort, shown=top).values


@router.get("/entities/{entity}/co-mentions", response_model=CoMentions, tags=["entities"])
def get_co_mentions(
    store: StoreDep,
    entity: str,
    limit: Annotated[int, Query(ge=1, le=100)] = NEIGHBOURS_SHOWN,
    type: Annotated[list[EntityType] | None, Query(description="Only neighbours of these types.")] = None,
):
    """The entities most often named in the same articles as this one (by id or name), with how many
    articles each shares with it, and the links between them (articles naming both)."""
    return co_mentions(store, entity, limit=limit, types=tuple(type or ()))
