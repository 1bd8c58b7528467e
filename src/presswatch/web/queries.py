"""Reads the pages need that the store modules do not offer as such: joins between articles,
statements and entities, shaped for display (small lists, counts for facets)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from presswatch.errors import QueryError
from presswatch.records import (
    ORGANIZATION,
    PERSON,
    Article,
    LinkedStatement,
    SpeakerLink,
    Statement,
)
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.entities import find_entities, statements_speaker_links
from presswatch.store.search import ARTICLE, STATEMENT, facet_counts


@dataclass(frozen=True)
class ArticleRef:
    """What a list needs to show and link an article, without its body."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None


@dataclass(frozen=True)
class ArticleHit:
    """A search result: the article and the text to show under its title."""

    kind: ClassVar[str] = ARTICLE  # a list of both kinds shows each hit as its kind
    article: ArticleRef
    snippet: Markup  # escaped, with the matched terms marked
    similarity: float | None = None  # to the query, for a match found by meaning


@dataclass(frozen=True)
class SaidBy:
    """A statement with the article it appears in and the entities its speaker denotes there."""

    statement: Statement
    article: ArticleRef
    speakers: tuple[SpeakerLink, ...]  # none where the text names no source


@dataclass(frozen=True)
class StatementHit:
    """A statement found by a search, with the matched words marked where a query matched words."""

    kind: ClassVar[str] = STATEMENT
    said: SaidBy
    snippet: Markup | None
    similarity: float | None = None  # to the query, for a match found by meaning

    @property
    def article(self) -> ArticleRef:
        return self.said.article


def article_refs(store: Store, ids: list[str]) -> dict[str, ArticleRef]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(
        f"SELECT id, title, outlet, published, language FROM articles WHERE id IN ({marks})", list(ids)
    )
    return {r["id"]: ArticleRef(*r) for r in rows}


def ref_of(article: Article) -> ArticleRef:
    return ArticleRef(article.id, article.title, article.outlet, article.published, article.language)


# The speaker and entity names the search form suggests: the most quoted or mentioned few hundred.
# Every name made the home page 316 KB at 50k articles (5,800 speakers); the inputs still take any
# name, and the filter reads any spelling.
NAMES_SUGGESTED = 300


def facet_values(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Every outlet and language in the store, and the NAMES_SUGGESTED most frequent speakers and
    entities, with how often each occurs, for the search form's choices."""
    conn = store.conn
    return {
        "outlet": facet_counts(store, "outlet"),
        "language": facet_counts(store, "language"),
        "speaker": facet_counts(store, "speaker", NAMES_SUGGESTED),
        "entity": [(r[0], r[1]) for r in conn.execute(
            "SELECT name, mentions FROM entities WHERE type IN (?, ?)"
            " ORDER BY mentions DESC, name LIMIT ?", (PERSON, ORGANIZATION, NAMES_SUGGESTED))],
    }


def statement_speakers(store: Store, statements: list[Statement]) -> dict[str, tuple[SpeakerLink, ...]]:
    """Statement id -> its speaker's links (`store.entities.speakers_links`: each person of a
    joint speaker apart), the reading the entity profile and the speaker filter use; read once,
    so a listing's statements (LinkedStatement) bring theirs, and the others are resolved at once."""
    unlinked = [s for s in statements if not isinstance(s, LinkedStatement)]
    found = dict(zip((s.id for s in unlinked), statements_speaker_links(store, unlinked)))
    return {s.id: s.speaker_links if isinstance(s, LinkedStatement) else found[s.id] for s in statements}


def said_by(store: Store, statements: list[Statement]) -> list[SaidBy]:
    refs = article_refs(store, sorted({s.article_id for s in statements}))
    speakers = statement_speakers(store, statements)
    return [SaidBy(s, refs[s.article_id], speakers[s.id]) for s in statements]


def per_month(dates: list[str | None]) -> Counter:
    return Counter(d[:7] for d in dates if d)


def article_entities(store: Store, article_id: str) -> list[tuple[str, str, str, int]]:
    """(entity id, name, type, mentions here) for the entities an article names, most named first."""
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.type, count(*) FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id"
        " JOIN entities e ON e.id = n.entity_id WHERE m.article_id = ? GROUP BY e.id ORDER BY 4 DESC, e.name",
        (article_id,),
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def story_of(store: Store, article_id: str) -> tuple[str, str] | None:
    row = store.conn.execute(
        "SELECT s.id, s.label FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE sa.article_id = ?",
        (article_id,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def narratives_of(store: Store, article_id: str) -> list[tuple[str, str]]:
    # Narratives first seen the same day in the order their evidence was stored (as the evidence's
    # scan gave them before its index by article, migration 33, read them by narrative id).
    rows = store.conn.execute(
        "SELECT n.id, n.label FROM narrative_evidence e JOIN narratives n ON n.id = e.narrative_id"
        " WHERE e.article_id = ? GROUP BY n.id ORDER BY n.first_seen, min(e.rowid)",
        (article_id,),
    )
    return [(r[0], r[1]) for r in rows]


def entity_exists(store: Store, entity_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None


def entity_name(store: Store, entity: str) -> str | None:
    """The name of the entity a filter value denotes (an id or a name), None when it is not one entity."""
    found = find_entities(store, entity)
    if len(found) != 1:
        return None
    row = store.conn.execute("SELECT name FROM entities WHERE id = ?", (found[0],)).fetchone()
    return row[0] if row else None


def narrative_label(store: Store, narrative: str) -> str | None:
    try:
        return story_store.narrative(store, narrative).label
    except QueryError:
        return None
