"""What the search page shows around its results: rows with wire copies collapsed, facets over
the results, and the volume of the search over time (the query layer computes each; this module
shapes them for the templates)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from presswatch.query import FacetValue, Volume, search_facets, volume, wire_groups
from presswatch.records import UNKNOWN_OUTLET
from presswatch.store import Store
from presswatch.store.search import SearchFilters
from presswatch.web.charts import volume_bars
from presswatch.web.queries import ArticleHit, StatementHit

Hit = ArticleHit | StatementHit


@dataclass(frozen=True)
class ResultRow:
    """One line of the results: a hit, and the wire copies of it that the results also hold (for
    statements: the same words quoted in copies of one article)."""

    hit: Hit
    copies: tuple[Hit, ...] = ()
    ranks: tuple[int, ...] = ()  # the hit's and each copy's position in the page as the search ranked them

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.article.outlet or UNKNOWN_OUTLET for h in (self.hit, *self.copies)))


@dataclass(frozen=True)
class SearchViews:
    facets: dict[str, list[FacetValue]]
    facets_over: int  # the results the facets count: the search's first ones
    volume: Volume
    chart: Markup | None


def search_views(store: Store, form: dict, filters: SearchFilters, *, chart_width: int) -> SearchViews:
    """The views of a search of one kind the form ran: facets over its first results (as
    /api/facets counts them, in the order the form sorts), and its volume over every match (as
    `presswatch.query.volume` counts them)."""
    kind, query = form["kind"], form["q"].strip() or None
    found = volume(store, kind=kind, query=query, mode=form["mode"], filters=filters, interval=form["interval"] or "auto")
    facets = search_facets(store, query, kind=kind, mode=form["mode"], filters=filters, sort=form["sort"])
    return SearchViews(facets=facets.values, facets_over=facets.over, volume=found,
                       chart=volume_bars(found, width=chart_width))


def result_rows(store: Store, results: list[Hit]) -> list[ResultRow]:
    """The results in their order, a wire copy folded into the row of the first copy listed (a
    statement into the row of the same words quoted in another copy)."""
    groups = wire_groups(store, [hit.article.id for hit in results])
    group_of = {article_id: group.lead for group in groups for article_id in group.article_ids}
    rows: dict[tuple, list[int]] = {}
    for rank, hit in enumerate(results):
        key = (group_of[hit.article.id],)
        if isinstance(hit, StatementHit):
            key += (" ".join(hit.said.statement.content.casefold().split()),)
        rows.setdefault(key, []).append(rank)
    return [ResultRow(results[ranks[0]], tuple(results[r] for r in ranks[1:]), tuple(ranks)) for ranks in rows.values()]
