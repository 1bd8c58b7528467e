"""Facets of a result set: how many of the results each outlet, language, speaker, entity and
narrative accounts for, with the value that narrows a search to it (`SearchFilters` reads each
value back: speakers and entities by entity id, narratives by id, so a facet's count and the
narrowed search agree, whatever spelling the name was written in)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from presswatch.errors import QueryError
from presswatch.query.listings import NO_FILTERS, search_or_list
from presswatch.records import UNKNOWN_OUTLET
from presswatch.store import Store
from presswatch.store.entities import speakers_links
from presswatch.store.search import AUTO, KINDS, RELEVANCE, SearchFilters
from presswatch.store.vectors import ARTICLE

FACET_VALUES_SHOWN = 10
UNKNOWN_LANGUAGE = "(unknown language)"
# The results of a search its facets are counted over: its first ones, the same number on the web's
# search page and in /api/facets, so both answer alike.
FACET_CANDIDATES = 500


@dataclass(frozen=True)
class FacetValue:
    """One line of a facet: `value` is what the filter of the same name takes, `label` what a
    person reads, `count` the results (articles or statements) it accounts for."""

    value: str | None  # None for the results that have none (no outlet, no language): nothing to filter by
    label: str
    count: int


@dataclass(frozen=True)
class SearchFacets:
    """The facets of a search (or of a list without words) and how many of its first results they
    count (at most FACET_CANDIDATES)."""

    values: dict[str, list[FacetValue]]
    over: int


def search_facets(store: Store, query: str | None, *, kind: str, mode: str = AUTO,
                  filters: SearchFilters = NO_FILTERS, sort: str = RELEVANCE,
                  shown: int = FACET_VALUES_SHOWN) -> SearchFacets:
    """The facets over the first FACET_CANDIDATES results of `listings.search_or_list`, for every
    face (/api/facets, the web's search page). `sort` chooses which results come first."""
    first = search_or_list(store, query, kind=kind, mode=mode, filters=filters, sort=sort, limit=FACET_CANDIDATES,
                           shown=False)
    ids = [item.id for item in first.items]
    return SearchFacets(result_facets(store, kind, ids, shown=shown), len(ids))


def result_facets(store: Store, kind: str, ids: list[str], *, shown: int = FACET_VALUES_SHOWN) -> dict[str, list[FacetValue]]:
    """Facet name -> its `shown` most frequent values over the results `ids` (article ids for kind
    "article", statement ids for "statement"), most frequent first. Each result counts once per value."""
    if kind not in KINDS:
        raise QueryError(f"unknown kind {kind!r}; choose from: {', '.join(KINDS)}")
    ids_json = json.dumps(list(dict.fromkeys(ids)))
    per_value = {
        "outlet": _plain_counts(store, kind, ids_json, "a.outlet", UNKNOWN_OUTLET),
        "language": _plain_counts(store, kind, ids_json, "a.language", UNKNOWN_LANGUAGE),
        "speaker": _speaker_counts(store, kind, ids_json),
        "entity": _entity_counts(store, kind, ids_json),
        "narrative": _narrative_counts(store, kind, ids_json),
    }
    return {name: _top(values, shown) for name, values in per_value.items()}


def speaker_facet(store: Store, kind: str, ids: list[str], *, shown: int = FACET_VALUES_SHOWN) -> list[FacetValue]:
    """The "speaker" facet of `result_facets` alone (the example briefing's most quoted speaker):
    the others resolve the same speakers again and join the mentions."""
    return _top(_speaker_counts(store, kind, json.dumps(list(dict.fromkeys(ids)))), shown)


def _top(values: list[FacetValue], shown: int) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.value is None, v.label.casefold()))[:shown]


def _rows(kind: str) -> str:
    """The results as rows `r` (their id) joined to their article `a`."""
    if kind == ARTICLE:
        return "articles a JOIN json_each(?) r ON r.value = a.id"
    return "statements s JOIN json_each(?) r ON r.value = s.id JOIN articles a ON a.id = s.article_id"


def _plain_counts(store: Store, kind: str, ids_json: str, column: str, missing: str) -> list[FacetValue]:
    """Counts per value of an article column; the results without one are labelled `missing`."""
    rows = store.conn.execute(f"SELECT {column}, count(*) FROM {_rows(kind)} GROUP BY 1", (ids_json,))
    return [FacetValue(value, value or missing, count) for value, count in rows]


def _speaker_counts(store: Store, kind: str, ids_json: str) -> list[FacetValue]:
    """Speakers by the entity their name denotes in its own article (the speaker filter's reading),
    else by the name as written; statements without a named speaker are left out."""
    if kind == ARTICLE:
        sql = ("SELECT DISTINCT s.article_id, s.article_id, coalesce(s.speaker_name, s.speaker) FROM statements s"
               " JOIN json_each(?) r ON r.value = s.article_id WHERE s.speaker_name IS NOT NULL")
    else:
        sql = ("SELECT s.id, s.article_id, coalesce(s.speaker_name, s.speaker) FROM statements s"
               " JOIN json_each(?) r ON r.value = s.id WHERE s.speaker_name IS NOT NULL")
    results: dict[str, set[str]] = defaultdict(set)
    entity_ids = set()
    for (result_id, _, who), said_by in _said_by(store, store.conn.execute(sql, (ids_json,)).fetchall()):
        for key in said_by or {who}:
            results[key].add(result_id)
        entity_ids |= said_by
    names = _entity_names(store, sorted(entity_ids))
    return [FacetValue(key, names.get(key, key), len(found)) for key, found in results.items()]


def _said_by(store: Store, rows: list) -> list[tuple[tuple, set[str]]]:
    """Each (result id, article id, speaker) row with the entities its speaker denotes in its
    article (`store.entities.speakers_links`), so each person of a joint speaker is credited with
    what they said together; all resolved at once."""
    links = speakers_links(store, [(who, article_id) for _, article_id, who in rows])
    return [(row, {link.entity_id for link in linked if link.entity_id}) for row, linked in zip(rows, links)]


def _entity_counts(store: Store, kind: str, ids_json: str) -> list[FacetValue]:
    """Entities an article names; for a statement, the ones its words name and the one that said it
    (as the entity filter reads statements)."""
    if kind == ARTICLE:
        rows = store.conn.execute(
            "SELECT n.entity_id, count(DISTINCT m.article_id) FROM entity_mentions m JOIN json_each(?) r"
            " ON r.value = m.article_id JOIN entity_names n ON n.id = m.name_id WHERE n.entity_id IS NOT NULL"
            " GROUP BY n.entity_id", (ids_json,))
        counts = dict(rows.fetchall())
    else:
        found: dict[str, set[str]] = defaultdict(set)
        for statement_id, entity_id in store.conn.execute(
            "SELECT DISTINCT s.id, n.entity_id FROM statements s JOIN json_each(?) r ON r.value = s.id"
            " JOIN entity_mentions m ON m.article_id = s.article_id"
            " AND m.start >= json_extract(s.content_spans, '$[0][0]') AND m.end <= json_extract(s.content_spans, '$[#-1][1]')"
            " JOIN entity_names n ON n.id = m.name_id WHERE n.entity_id IS NOT NULL", (ids_json,)):
            found[entity_id].add(statement_id)
        for (statement_id, _, _), said_by in _said_by(store, store.conn.execute(
            "SELECT s.id, s.article_id, coalesce(s.speaker_name, s.speaker) FROM statements s JOIN json_each(?) r"
            " ON r.value = s.id WHERE coalesce(s.speaker_name, s.speaker) IS NOT NULL", (ids_json,)).fetchall()):
            for entity_id in said_by:
                found[entity_id].add(statement_id)
        counts = {entity_id: len(statements) for entity_id, statements in found.items()}
    names = _entity_names(store, list(counts))
    return [FacetValue(entity_id, names.get(entity_id, entity_id), count) for entity_id, count in counts.items()]


def _narrative_counts(store: Store, kind: str, ids_json: str) -> list[FacetValue]:
    column = "article_id" if kind == ARTICLE else "statement_id"
    # IN, not a join with json_each: joined, SQLite scanned every narrative's evidence and the ids for
    # each row (bench/listings.py's 100k store, 75k pieces of evidence, 500 articles: 2,760 ms against 28).
    rows = store.conn.execute(
        f"SELECT n.id, n.label, count(DISTINCT e.{column}) FROM narrative_evidence e JOIN narratives n"
        f" ON n.id = e.narrative_id WHERE e.{column} IN (SELECT value FROM json_each(?)) GROUP BY n.id", (ids_json,))
    return [FacetValue(narrative_id, label, count) for narrative_id, label, count in rows]


def _entity_names(store: Store, entity_ids: list[str]) -> dict[str, str]:
    return dict(store.conn.execute(
        "SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(entity_ids),)
    ).fetchall())
