"""Who appears with whom: the entities named in the same articles as one entity, and how often
those neighbours appear with each other (the entity page draws it; `/api/entities/{id}/co-mentions`
answers it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations

from presswatch.errors import QueryError
from presswatch.store import Store
from presswatch.store.entities import EntitySummary, entity_named

NEIGHBOURS_SHOWN = 12


@dataclass(frozen=True)
class CoMentioned:
    entity: EntitySummary
    articles: int  # articles that name both it and the centre


@dataclass(frozen=True)
class CoMentionLink:
    """Two neighbours named together in `articles` of the centre's articles."""

    source: str
    target: str
    articles: int


@dataclass(frozen=True)
class CoMentions:
    centre: EntitySummary
    articles: int  # articles that name the centre
    neighbours: tuple[CoMentioned, ...]  # most shared articles first
    links: tuple[CoMentionLink, ...]  # between neighbours, within the centre's articles


def co_mentions(store: Store, entity: str, *, limit: int = NEIGHBOURS_SHOWN, types: tuple[str, ...] = ()) -> CoMentions:
    """The `limit` entities (of `types`, any when empty) most often named in the articles that name
    `entity` (an id or a name, as `find_entities` reads it), with the links
    among them. Raises QueryError for an unknown or ambiguous entity or a limit below 1."""
    if limit < 1:
        raise QueryError("limit must be at least 1")
    centre_id = entity_named(store, entity)
    # (article, entity) once each, for the articles that name the centre.
    pairs = store.conn.execute(
        "SELECT DISTINCT m.article_id, n.entity_id FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id"
        " WHERE n.entity_id IS NOT NULL AND m.article_id IN (SELECT m2.article_id FROM entity_mentions m2"
        " JOIN entity_names n2 ON n2.id = m2.name_id WHERE n2.entity_id = ?)",
        (centre_id,),
    ).fetchall()
    by_article: dict[str, set[str]] = {}
    for article_id, entity_id in pairs:
        by_article.setdefault(article_id, set()).add(entity_id)
    summaries = _summaries(store, {entity_id for _, entity_id in pairs} | {centre_id})
    shared: dict[str, int] = {}
    for named in by_article.values():
        for entity_id in named - {centre_id}:
            if entity_id in summaries and (not types or summaries[entity_id].type in types):
                shared[entity_id] = shared.get(entity_id, 0) + 1
    top = sorted(shared, key=lambda e: (-shared[e], summaries[e].name.casefold(), e))[:limit]
    together: dict[tuple[str, str], int] = {}
    for named in by_article.values():
        for pair in combinations(sorted(named.intersection(top)), 2):
            together[pair] = together.get(pair, 0) + 1
    return CoMentions(
        centre=summaries[centre_id],
        articles=len(by_article),
        neighbours=tuple(CoMentioned(summaries[e], shared[e]) for e in top),
        links=tuple(CoMentionLink(a, b, n) for (a, b), n in sorted(together.items(), key=lambda x: (-x[1], x[0]))),
    )


def _summaries(store: Store, entity_ids: set[str]) -> dict[str, EntitySummary]:
    rows = store.conn.execute(
        "SELECT id, type, name, mentions, articles, first_seen, last_seen FROM entities"
        " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(entity_ids)),))
    return {r[0]: EntitySummary(*r) for r in rows}
