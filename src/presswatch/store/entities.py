"""Entity tables: name nodes, mentions, roles, entities, aliases, merge reasons, user decisions.

Mentions are written with their article's statements and analysis progress, in the engine's
transaction; the entity tables are replaced from the name nodes in one transaction, so a reader
never sees half an answer. Aggregates (aliases, counts, first and last seen) are computed by
SQLite, so rebuilding needs memory for the distinct names only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from presswatch.errors import QueryError, UnknownRecord
from presswatch.names import (
    PersonKey,
    given_compatible,
    joint_speakers,
    name_key,
    org_bag,
    org_head,
    tokens,
)
from presswatch.records import (
    ENTITY_TYPES,
    ORGANIZATION,
    PERSON,
    UNKNOWN_OUTLET,
    Article,
    Entity,
    Mention,
    SpeakerLink,
    Statement,
    now_iso,
)
from presswatch.store.database import Store, date_window, in_list_parts

# A name node as stored: (id, type, own_key, link_key, name, link_name, mentions, evidenced).
NameRow = tuple[int, str, str, str, str, str, int, int]


# -- writing mentions -----------------------------------------------------------------------------


def write_mentions(conn: sqlite3.Connection, article: Article, mentions: Sequence[Mention]) -> None:
    """Replace one article's mentions and roles, inside the caller's transaction (the engine's,
    which writes the article's statements and analysis progress in the same one)."""
    forget_mentions(conn, article.id)
    for mention in mentions:
        name_id = _name_id(conn, mention)
        conn.execute(
            "INSERT INTO name_spellings (name_id, text, mentions) VALUES (?, ?, 1)"
            " ON CONFLICT (name_id, text) DO UPDATE SET mentions = mentions + 1",
            (name_id, mention.text),
        )
        conn.execute("INSERT OR IGNORE INTO touched_names (name_id) VALUES (?)", (name_id,))
        conn.execute(
            "INSERT OR REPLACE INTO entity_mentions (article_id, start, end, text, type, refers_to, link_reason,"
            " role, name_id, type_evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, mention.start, mention.end, mention.text, mention.type, mention.refers_to,
             mention.link_reason, mention.role, name_id, mention.type_evidence),
        )
        if mention.role:
            conn.execute(
                "INSERT OR IGNORE INTO entity_roles (name_id, role, article_id, date) VALUES (?, ?, ?, ?)",
                (name_id, mention.role, article.id, (article.published or "")[:10] or None),
            )


def forget_mentions(conn: sqlite3.Connection, article_id: str) -> None:
    """Take an article's mentions and roles out of the name nodes' counts, inside the caller's
    transaction: it is analysed again, or its text was replaced by a new version. Its names are
    touched, and the article marked `again`, so the next resolution counts their entities afresh."""
    replaced = conn.execute(
        "DELETE FROM entity_mentions WHERE article_id = ? RETURNING name_id, text, type_evidence IS NOT NULL", (article_id,)
    ).fetchall()
    for name_id, text, evidenced in replaced:
        conn.execute("UPDATE entity_names SET mentions = mentions - 1, evidenced = evidenced - ? WHERE id = ?", (evidenced, name_id))
        conn.execute("UPDATE name_spellings SET mentions = mentions - 1 WHERE name_id = ? AND text = ?", (name_id, text))
        conn.execute("INSERT OR IGNORE INTO touched_names (name_id) VALUES (?)", (name_id,))
    # The roles it gave go with it: a role its new text still gives is given again.
    conn.execute("DELETE FROM entity_roles WHERE article_id = ?", (article_id,))
    conn.execute(
        "INSERT INTO touched_articles (article_id, again) VALUES (?, ?)"
        " ON CONFLICT (article_id) DO UPDATE SET again = max(again, excluded.again)",
        (article_id, int(bool(replaced))),
    )


def _name_id(conn: sqlite3.Connection, mention: Mention) -> int:
    own, link = name_key(mention.text), name_key(mention.refers_to)
    evidenced = int(mention.type_evidence is not None)
    row = conn.execute(
        "UPDATE entity_names SET mentions = mentions + 1, evidenced = evidenced + ?"
        " WHERE type = ? AND own_key = ? AND link_key = ? RETURNING id",
        (evidenced, mention.type, own, link),
    ).fetchone()
    if row:
        return row[0]
    return conn.execute(
        "INSERT INTO entity_names (type, own_key, link_key, name, link_name, mentions, evidenced)"
        " VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id",
        (mention.type, own, link, mention.text, mention.refers_to, evidenced),
    ).fetchone()[0]


# -- reading for resolution -------------------------------------------------------------------


def name_rows(store: Store, ids: Sequence[int] | None = None) -> list[NameRow]:
    """Every stored name node with a key (a name of only honorifics has none), or those of `ids`;
    in id order either way, so a part of the nodes is resolved in the order the whole is."""
    # A node's name is its most used spelling (then the first in sort order), not the first one
    # stored, so the entity names do not depend on the order pages arrived in.
    sql = ("SELECT n.id, n.type, n.own_key, n.link_key,"
           " coalesce((SELECT s.text FROM name_spellings s WHERE s.name_id = n.id AND s.mentions > 0"
           "           ORDER BY s.mentions DESC, s.text LIMIT 1), n.name),"
           " n.link_name, n.mentions, n.evidenced FROM entity_names n")
    if ids is None:
        rows = [tuple(r) for r in store.conn.execute(sql + " ORDER BY n.id")]
    else:
        rows = sorted(tuple(r) for part in in_list_parts(sorted(ids)) for r in store.conn.execute(
            sql + f" WHERE n.id IN ({','.join('?' * len(part))})", part))
    return [r for r in rows if r[2]]


def touched_name_ids(store: Store) -> list[int]:
    """Name nodes with mentions since the last resolution."""
    return [r[0] for r in store.conn.execute("SELECT name_id FROM touched_names")]


def corpus_outlets(store: Store) -> list[str]:
    """The names of the outlets the stored articles come from (off the outlet index)."""
    return [r[0] for r in store.conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND outlet != ''")]


def touched_outlets(store: Store) -> list[str]:
    """The outlets of the articles analysed since the last resolution: one may be new to the
    corpus, or newly share a short form with another, and so change what its names stand for."""
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT a.outlet FROM touched_articles t CROSS JOIN articles a ON a.id = t.article_id"
        " WHERE a.outlet IS NOT NULL AND a.outlet != ''")]


def names_with_blocks(store: Store, keys: Sequence[str]) -> list[int]:
    """The name nodes that have any of these block keys."""
    found: set[int] = set()
    for part in in_list_parts(sorted(set(keys))):
        found.update(r[0] for r in store.conn.execute(
            f"SELECT name_id FROM name_blocks WHERE key IN ({','.join('?' * len(part))})", part))
    return sorted(found)


def link_siblings(store: Store, ids: Sequence[int]) -> list[int]:
    """The nodes that share a link key with any of `ids` (themselves included)."""
    found: set[int] = set()
    for part in in_list_parts(list(ids)):
        found.update(r[0] for r in store.conn.execute(
            "SELECT o.id FROM entity_names n JOIN entity_names o ON o.link_key = n.link_key"
            f" WHERE n.id IN ({','.join('?' * len(part))})", part))
    return sorted(found)


def write_name_blocks(store: Store, blocks: dict[int, frozenset[str]], *, everything: bool = False) -> None:
    """Replace the block keys of these nodes (of all nodes, when `everything`)."""
    with store.transaction() as conn:
        if everything:
            conn.execute("DELETE FROM name_blocks")
        else:
            conn.executemany("DELETE FROM name_blocks WHERE name_id = ?", [(i,) for i in blocks])
        conn.executemany("INSERT OR IGNORE INTO name_blocks (key, name_id) VALUES (?, ?)",
                         [(key, i) for i, keys in blocks.items() for key in keys])


def blocked_closure(store: Store, seeds: Sequence[int], cap: int) -> list[int] | None:
    """The nodes reached from `seeds` through shared block keys, again and again until no more
    are; None as soon as they are more than `cap` (resolving them all is then as cheap)."""
    seen, frontier = set(seeds), set(seeds)
    while frontier:
        reached: set[int] = set()
        for part in in_list_parts(sorted(frontier)):
            reached.update(r[0] for r in store.conn.execute(
                "SELECT DISTINCT o.name_id FROM name_blocks b JOIN name_blocks o ON o.key = b.key"
                f" WHERE b.name_id IN ({','.join('?' * len(part))})", part))
        frontier = reached - seen
        seen |= frontier
        if len(seen) > cap:
            return None
    return sorted(seen)


def name_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM entity_names").fetchone()[0]


def decision_rows(store: Store) -> list[tuple[str, str, str | None]]:
    """The user's merges and splits, (action, name, other), in the order they were made."""
    return [tuple(r) for r in store.conn.execute("SELECT action, name, other FROM entity_decisions ORDER BY id")]


def add_decision(store: Store, action: str, name: str, other: str | None = None) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO entity_decisions (action, name, other, at) VALUES (?, ?, ?, ?)", (action, name, other, now_iso())
        )


# Context is capped per node so a name in ten thousand articles costs no more than one in fifty.
CONTEXT_ARTICLES = 50


def node_context(store: Store, node_id: int) -> frozenset[str]:
    """What surrounds a name: the other people and organisations of its articles (by the names
    they stood for) and the words of the roles it was given."""
    articles = [
        r[0] for r in store.conn.execute(
            "SELECT DISTINCT article_id FROM entity_mentions WHERE name_id = ? LIMIT ?", (node_id, CONTEXT_ARTICLES)
        )
    ]
    features: set[str] = set()
    if articles:
        marks = ",".join("?" * len(articles))
        own = store.conn.execute("SELECT link_key FROM entity_names WHERE id = ?", (node_id,)).fetchone()[0]
        # CROSS JOIN keeps SQLite from scanning all names of a type instead of these articles.
        for key, type_ in store.conn.execute(
            f"SELECT DISTINCT n.link_key, n.type FROM entity_mentions m CROSS JOIN entity_names n ON n.id = m.name_id"
            f" WHERE m.article_id IN ({marks})",
            articles,
        ):
            if type_ in (PERSON, ORGANIZATION) and key != own:
                features.add(key)
    for (role,) in store.conn.execute("SELECT role FROM entity_roles WHERE name_id = ? LIMIT 200", (node_id,)):
        features.update("role:" + w.lower() for w in tokens(role) if len(w) > 3)
    return frozenset(features)


# -- writing entities -------------------------------------------------------------------------


def write_resolution(
    store: Store,
    entity_of: dict[int, str],
    entities: dict[str, tuple[str, str]],
    merges: Sequence[tuple[str, str, str, str, str]],
    *,
    everything: bool = False,
) -> int:
    """Write a new resolution in one transaction, which also marks the entities up to date with the
    mentions; returns how many entities were written.

    `entity_of` maps name node ids to entity ids, `entities` entity ids to (type, name), and
    `merges` holds (entity id, name, name, reason, decided by) for each join that built one. Only
    the entities that changed are written again: those that gained or lost a name node, or whose
    names have mentions since the last resolution (`touched_names`); `everything` rewrites all
    (a rebuild, a user's decision).

    An entity that kept its names, touched only by articles analysed for the first time, adds
    those articles' mentions to its counts, dates and aliases (none of them was counted before);
    any other is counted again over all of its mentions by SQLite. So the cost follows the new
    mentions and the entities whose names changed, not the corpus."""
    with store.transaction() as conn:
        if everything:
            old = dict(conn.execute("SELECT id, entity_id FROM entity_names"))
        else:  # the resolved nodes only: an update resolves a part of them
            old = {}
            for part in in_list_parts(list(entity_of)):
                old.update(conn.execute(
                    f"SELECT id, entity_id FROM entity_names WHERE id IN ({','.join('?' * len(part))})", part))
        moved: set[str | None] = set()  # the entities on either side of a node that changed entity
        for node, entity_id in entity_of.items():
            if old.get(node) != entity_id:
                moved.update((entity_id, old.get(node)))
        if everything:
            affected = set(entities) | set(old.values())
        else:
            touched = {r[0] for r in conn.execute("SELECT name_id FROM touched_names")}
            affected = moved | {e for node, e in entity_of.items() if node in touched}
        affected.discard(None)
        added_to: set[str] = set()  # entities whose stored counts the new mentions are added to
        if not everything and not conn.execute("SELECT 1 FROM touched_articles WHERE again LIMIT 1").fetchone():
            for part in in_list_parts(sorted(affected - moved)):
                added_to.update(r[0] for r in conn.execute(
                    f"SELECT id FROM entities WHERE id IN ({','.join('?' * len(part))})", part))
        conn.executemany(
            "UPDATE entity_names SET entity_id = ? WHERE id = ?",
            [(e, n) for n, e in entity_of.items() if old.get(n) != e],
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS affected_entities (id TEXT PRIMARY KEY, counted_anew INTEGER)")
        conn.execute("DELETE FROM temp.affected_entities")
        conn.executemany("INSERT INTO temp.affected_entities (id, counted_anew) VALUES (?, ?)",
                         [(e, e not in added_to) for e in affected])
        _write_counted_anew(conn, [(eid, *entities[eid]) for eid in sorted(affected - added_to) if eid in entities])
        _add_new_mentions(conn, [(*entities[eid], eid) for eid in sorted(added_to)])
        conn.execute("DELETE FROM entity_merges WHERE entity_id IN (SELECT id FROM temp.affected_entities)")
        conn.executemany(
            "INSERT INTO entity_merges (entity_id, name_a, name_b, reason, decided_by) VALUES (?, ?, ?, ?, ?)",
            [m for m in merges if m[0] in affected],
        )
        conn.execute("DELETE FROM touched_names")
        conn.execute("DELETE FROM touched_articles")
        conn.execute("DELETE FROM stale_outputs WHERE output = 'entities'")
    return len(affected)


def _write_counted_anew(conn: sqlite3.Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """Replace the entities marked `counted_anew` (those gone with them), each counted over all of
    its mentions; `rows` holds (id, type, name) of those that remain."""
    for table, column in (("entity_aliases", "entity_id"), ("entities", "id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM temp.affected_entities WHERE counted_anew)")
    conn.executemany("INSERT INTO entities (id, type, name, mentions, articles) VALUES (?, ?, ?, 0, 0)", rows)
    conn.execute(
        """UPDATE entities SET (mentions, articles, first_seen, last_seen) = (
               SELECT count(*), count(DISTINCT m.article_id), min(a.published), max(a.published)
               FROM entity_names n JOIN entity_mentions m ON m.name_id = n.id
               -- each article's date from the index, not its row with the body (schema migration 15)
               JOIN articles a INDEXED BY articles_published_by_id ON a.id = m.article_id
               WHERE n.entity_id = entities.id)
           WHERE id IN (SELECT id FROM temp.affected_entities WHERE counted_anew)"""
    )
    conn.execute(
        """INSERT INTO entity_aliases (entity_id, alias, key, mentions)
           SELECT n.entity_id, m.text, n.own_key, count(*) FROM entity_names n JOIN entity_mentions m ON m.name_id = n.id
           WHERE n.entity_id IN (SELECT id FROM temp.affected_entities WHERE counted_anew)
           GROUP BY n.entity_id, m.text"""
    )


def _add_new_mentions(conn: sqlite3.Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """Add the mentions of the articles analysed since the last resolution (`touched_articles`,
    none analysed before) to the stored counts, dates and aliases of the entities not marked
    `counted_anew`; `rows` holds their (type, name, id) as resolved now."""
    conn.executemany("UPDATE entities SET type = ?, name = ? WHERE id = ?", rows)
    # The new mentions are joined to their names and dates once, for the counts and the aliases.
    conn.execute("DROP TABLE IF EXISTS temp.new_mentions")
    conn.execute(
        """CREATE TEMP TABLE new_mentions AS
           SELECT n.entity_id AS entity_id, m.article_id AS article_id, m.text AS text,
               n.own_key AS own_key, a.published AS published
           FROM touched_articles t CROSS JOIN entity_mentions m ON m.article_id = t.article_id
           JOIN entity_names n ON n.id = m.name_id
           JOIN articles a INDEXED BY articles_published_by_id ON a.id = m.article_id
           WHERE n.entity_id IN (SELECT id FROM temp.affected_entities WHERE NOT counted_anew)"""
    )
    conn.execute(
        """UPDATE entities SET mentions = entities.mentions + new.mentions, articles = entities.articles + new.articles,
               -- a date is NULL where no article had one: min() and max() of two take the other then
               first_seen = coalesce(min(entities.first_seen, new.first_seen), entities.first_seen, new.first_seen),
               last_seen = coalesce(max(entities.last_seen, new.last_seen), entities.last_seen, new.last_seen)
           FROM (SELECT entity_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                        min(published) AS first_seen, max(published) AS last_seen
                 FROM temp.new_mentions GROUP BY entity_id) AS new
           WHERE entities.id = new.entity_id"""
    )
    conn.execute(
        """INSERT INTO entity_aliases (entity_id, alias, key, mentions)
           SELECT entity_id, text, own_key, count(*) FROM temp.new_mentions WHERE true GROUP BY entity_id, text
           ON CONFLICT (entity_id, alias) DO UPDATE SET mentions = mentions + excluded.mentions"""
    )
    conn.execute("DROP TABLE temp.new_mentions")


# -- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySummary:
    id: str
    type: str
    name: str
    mentions: int
    articles: int
    first_seen: str | None
    last_seen: str | None


@dataclass(frozen=True)
class EntityDetail:
    entity: Entity
    summary: EntitySummary
    outlets: tuple[tuple[str, int], ...]
    statements: int
    merges: tuple[tuple[str, str, str, str], ...]  # (name, name, reason, decided by)
    # Why its mentions were typed as they were: (type, evidence, mentions, articles, an article),
    # the entity's own type first; evidence "" is the model's type alone. At most
    # TYPE_EVIDENCE_SHOWN kinds of evidence for each type, most mentions first.
    type_evidence: tuple[tuple[str, str, int, int, str], ...] = ()


# How many kinds of evidence for one type an entity's page lists (a person has a role per office).
TYPE_EVIDENCE_SHOWN = 8


def _type_clause(type_: str | None) -> tuple[str, list]:
    if type_ is not None and type_ not in ENTITY_TYPES:
        raise QueryError(f"unknown entity type {type_!r}; choose one of: {', '.join(ENTITY_TYPES)}")
    return ("WHERE type = ?", [type_]) if type_ else ("", [])


def list_entities(store: Store, type_: str | None = None, top: int = 50, offset: int = 0) -> list[EntitySummary]:
    """Entities (of one type, when given), most mentioned first."""
    where, params = _type_clause(type_)
    rows = store.conn.execute(
        f"SELECT id, type, name, mentions, articles, first_seen, last_seen FROM entities {where}"
        " ORDER BY mentions DESC, name, id LIMIT ? OFFSET ?",
        (*params, top, offset),
    )
    return [EntitySummary(*r) for r in rows]


def count_entities(store: Store, type_: str | None = None) -> int:
    where, params = _type_clause(type_)
    return store.conn.execute(f"SELECT count(*) FROM entities {where}", params).fetchone()[0]


def find_entities(store: Store, name: str) -> list[str]:
    """Entity ids a name can denote: by id, by exact alias, then by name key; most mentioned first.
    A name no article writes, only stands for ("The Caldrun Gazette" of "told the Gazette" on its
    own page), is found by what the names stand for, or as the entity's own name (an outlet's,
    which resolution gave "the Courier" of another outlet's page)."""
    if store.conn.execute("SELECT 1 FROM entities WHERE id = ?", (name,)).fetchone():
        return [name]
    key = name_key(name)
    rows = store.conn.execute(
        "SELECT a.entity_id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.key = ?"
        " GROUP BY a.entity_id ORDER BY sum(a.mentions) DESC",
        (key,),
    ).fetchall() or store.conn.execute(
        "SELECT entity_id FROM entity_names WHERE link_key = ? AND entity_id IS NOT NULL"
        " GROUP BY entity_id ORDER BY sum(mentions) DESC",
        (key,),
    ).fetchall() or store.conn.execute("SELECT id FROM entities WHERE name = ? ORDER BY mentions DESC", (name,)).fetchall()
    return [r[0] for r in rows]


def entities_named(store: Store, name: str) -> list[str]:
    """`find_entities`, with UnknownRecord (saying where names are listed) when there is none."""
    found = find_entities(store, name)
    if not found:
        raise UnknownRecord(f"no entity named {name!r}", listing="entities")
    return found


def entity_named(store: Store, name: str) -> str:
    """The one entity a name (or id) denotes; UnknownRecord for none, QueryError naming the
    candidates for several."""
    found = entities_named(store, name)
    if len(found) > 1:
        options = ", ".join(f"{r[0]} ({r[1]})" for r in store.conn.execute(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(found))})", found))
        raise QueryError(f"{name!r} names several entities: {options}; give one of the ids")
    return found[0]


def entity_detail(store: Store, name: str, *, statement_ids: Sequence[str] | None = None) -> EntityDetail:
    """The entity a name (or id) denotes, with what it said counted (`speaker_statement_ids`, most
    of this cost: a caller listing the statements too passes those it read)."""
    entity_id = entity_named(store, name)
    if statement_ids is None:
        statement_ids = speaker_statement_ids(store, entity_id)
    conn = store.conn
    summary = EntitySummary(*conn.execute(
        "SELECT id, type, name, mentions, articles, first_seen, last_seen FROM entities WHERE id = ?", (entity_id,)
    ).fetchone())
    aliases = tuple(r[0] for r in conn.execute(
        "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY mentions DESC, alias", (entity_id,)))
    roles = tuple((r[0], r[1], r[2]) for r in conn.execute(
        "SELECT r.role, r.date, r.article_id FROM entity_roles r JOIN entity_names n ON n.id = r.name_id"
        " WHERE n.entity_id = ? ORDER BY r.date IS NULL, r.date, r.role", (entity_id,)))
    outlets = tuple((r[0], r[1]) for r in conn.execute(
        "SELECT coalesce(nullif(a.outlet, ''), ?), count(DISTINCT a.id) FROM entity_mentions m"
        " JOIN entity_names n ON n.id = m.name_id JOIN articles a ON a.id = m.article_id"
        " WHERE n.entity_id = ? GROUP BY 1 ORDER BY 2 DESC, 1", (UNKNOWN_OUTLET, entity_id)))
    merges = tuple((r[0], r[1], r[2], r[3]) for r in conn.execute(
        "SELECT name_a, name_b, reason, decided_by FROM entity_merges WHERE entity_id = ?", (entity_id,)))
    # Spellings that share a key were one name node from the start; say so too.
    spellings: dict[str, list[str]] = {}
    for alias, key in conn.execute("SELECT alias, key FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,)):
        spellings.setdefault(key, []).append(alias)
    merges += tuple(
        (same[0], other, f"spellings of one name (key {key!r})", "rule")
        for key, same in spellings.items() for other in same[1:]
    )
    entity = Entity(id=entity_id, type=summary.type, name=summary.name, aliases=aliases, roles=roles)
    return EntityDetail(entity, summary, outlets, len(statement_ids), merges,
                        _type_evidence(store, entity_id, summary.type))


def _type_evidence(store: Store, entity_id: str, type_: str) -> tuple[tuple[str, str, int, int, str], ...]:
    """What typed the entity's mentions, grouped by type and evidence (see EntityDetail)."""
    rows = store.conn.execute(
        "SELECT type, evidence, mentions, articles, article FROM ("
        "  SELECT m.type, coalesce(m.type_evidence, '') AS evidence, count(*) AS mentions,"
        "   count(DISTINCT m.article_id) AS articles, min(m.article_id) AS article,"
        "   row_number() OVER (PARTITION BY m.type ORDER BY m.type_evidence IS NULL, count(*) DESC, m.type_evidence) AS rank"
        "  FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id WHERE n.entity_id = ?"
        "  GROUP BY m.type, m.type_evidence)"
        " WHERE rank <= ? OR evidence = '' ORDER BY type != ?, type, rank", (entity_id, TYPE_EVIDENCE_SHOWN, type_))
    return tuple(tuple(r) for r in rows)


def speaker_statement_ids(store: Store, entity_id: str, *, since: str | None = None,
                          until: str | None = None) -> list[str]:
    """Statements whose speaker, read in its own article, is this entity: the one reading behind an
    entity's statement count, its statement list and the speaker filter of every listing.

    Only articles that mention the entity can hold one, so only their statements are resolved.
    With `since` or `until` (as the filters give them), only those made, or reported in an article
    published, within that window: every one a windowed listing of statements or articles can pass
    (bench/listings.py's 100k store, the example briefing's month of a speaker quoted 3,500 times
    in all: 200 ms CPU resolving every one).
    """
    made, made_params = date_window("s.day", since, until)
    published, published_params = date_window("a.published", since, until)
    # each article's date from the index, not its row with the body
    window = (" JOIN articles a INDEXED BY articles_published_by_id ON a.id = s.article_id"
              f" AND (({' AND '.join(made)}) OR ({' AND '.join(published)}))") if made else ""
    rows = store.conn.execute(
        f"SELECT s.id, coalesce(s.speaker_name, s.speaker) AS who, s.article_id FROM statements s{window}"
        " WHERE coalesce(s.speaker_name, s.speaker) IS NOT NULL AND s.article_id IN ("
        " SELECT DISTINCT m.article_id FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id"
        " WHERE n.entity_id = ?)",
        (*made_params, *published_params, entity_id),
    ).fetchall()
    found = []
    for part in in_list_parts(rows, SPEAKERS_AT_ONCE):
        links = speakers_links(store, [(r["who"], r["article_id"]) for r in part])
        found += [r["id"] for r, linked in zip(part, links) if any(link.entity_id == entity_id for link in linked)]
    return found


# Speakers resolved together (`speakers_links`): one read of their articles' mentions and one of the
# corpus's names for them. The export streams statements in parts of this size.
SPEAKERS_AT_ONCE = 1000


def speakers_links(store: Store, said: Sequence[tuple[str | None, str]]) -> list[tuple[SpeakerLink, ...]]:
    """Each statement's speaker (as its article names it, with the article's id) as the faces link
    it: the whole name with the entity it resolves to in its article, or, where the whole resolves
    to none, each of the people a joint speaker names ("Anna Kask and Bengt Oyen",
    `names.joint_speakers`) with the entity each resolves to; none for an unnamed speaker (None).

    All are resolved at once (`_NameReading`), so a page or an export's part costs a few queries,
    not a few per statement."""
    reading = _NameReading(store, {article_id for who, article_id in said if who})
    whole = reading.resolved([(who, article_id) for who, article_id in said if who])
    parts = {(part, article_id) for (who, article_id) in said if who and whole[(who, article_id)] is None
             for part in joint_speakers(who) if part != who}
    each = reading.resolved(sorted(parts))
    found = []
    for who, article_id in said:
        entity_id = whole.get((who, article_id)) if who else None
        names = joint_speakers(who) if who and entity_id is None else [who]
        if not who:
            found.append(())
        elif len(names) < 2:
            found.append((SpeakerLink(who, entity_id),))
        else:
            found.append(tuple(SpeakerLink(part, each[(part, article_id)]) for part in names))
    return found


def statements_speaker_links(store: Store, statements: Sequence[Statement]) -> list[tuple[SpeakerLink, ...]]:
    """Each statement's speaker as the faces link it (`speakers_links`), read in its own article."""
    return speakers_links(store, [(s.speaker_name or s.speaker, s.article_id) for s in statements])


def canonical_speakers(store: Store, links: Sequence[tuple[SpeakerLink, ...]]) -> list[tuple[str, ...]]:
    """Per speaker, per person its links name, the entity's canonical name, else the name as the
    article gives it: the `speaker_canonical` of the lists of statements, the statements export and
    a narrative's evidence in the narratives export, so two spellings of one person group as one."""
    names = _entity_names(store, [link.entity_id for linked in links for link in linked if link.entity_id])
    return [tuple(names.get(link.entity_id, link.name) for link in linked) for linked in links]


def resolve_name(name: str, store: Store, article_id: str | None = None) -> str | None:
    """The entity a name denotes: a statement's speaker read in its article (search, facets,
    briefings, the web's speaker links), or a name a user typed (a search's speaker filter).

    With the article, the name is read as that article uses it: an exact name first, else the one
    fuller name it is a short form of there ("Lomatsky" for "Yevgeny Lomatsky", "Foreign Ministry"
    for "Selvan Foreign Ministry"). Without the article, or when the article does not help,
    the name must point to one entity across the corpus; an ambiguous name ("Korhel" of two people) gives None.
    """
    reading = _NameReading(store, {article_id} if article_id is not None else set())
    return reading.resolved([(name, article_id)])[(name, article_id)]


class _NameReading:
    """What resolving many names needs, read once: the resolved names each of the articles mentions
    (one query a part of IN_LIST_PART articles), and, for the names their articles do not settle,
    the entities their keys name across the corpus (one query for all keys, one more for lone
    surnames). `resolve_name` is this for one name."""

    def __init__(self, store: Store, article_ids: set[str]) -> None:
        self.store = store
        self.mentioned: dict[str, list[tuple[str, str, str, str]]] = {}  # article -> (entity, type, name, key)
        for part in in_list_parts(sorted(article_ids)):
            for article_id, entity_id, type_, refers_to in store.conn.execute(
                "SELECT DISTINCT m.article_id, n.entity_id, n.type, m.refers_to FROM entity_mentions m"
                f" JOIN entity_names n ON n.id = m.name_id WHERE m.article_id IN ({','.join('?' * len(part))})"
                " AND n.entity_id IS NOT NULL", part):
                self.mentioned.setdefault(article_id, []).append((entity_id, type_, refers_to, _key_of(refers_to)))

    def resolved(self, asked: Sequence[tuple[str, str | None]]) -> dict[tuple[str, str | None], str | None]:
        """(name, article id or None) -> the entity it denotes (`resolve_name`), for each asked."""
        found: dict[tuple[str, str | None], str | None] = {}
        corpus_wide: dict[str, list[tuple[str, str | None]]] = {}
        for name, article_id in asked:
            key = _key_of(name)
            found[(name, article_id)] = None
            if not key:
                continue
            if article_id is not None:
                mentioned = self.mentioned.get(article_id, ())
                exact = {entity_id for entity_id, _, _, its_key in mentioned if its_key == key}
                if not exact:
                    exact = {entity_id for entity_id, type_, full, _ in mentioned if _short_form_of(name, key, full, type_)}
                if len(exact) == 1:
                    found[(name, article_id)] = exact.pop()
                    continue
                if exact:
                    continue
            corpus_wide.setdefault(key, []).append((name, article_id))
        for key, entity_id in self._corpus_entities(sorted(corpus_wide)).items():
            for asked_name in corpus_wide[key]:
                found[asked_name] = entity_id
        return found

    def _corpus_entities(self, keys: list[str]) -> dict[str, str]:
        """Key -> the one entity a name of that key (own or link key) denotes across the corpus;
        a lone word no name uses bare, the one person whose surname it is. Keys naming none or
        several are left out."""
        named: dict[str, set[str]] = {}
        conn = self.store.conn
        for part in in_list_parts(keys):
            marks = ",".join("?" * len(part))
            for own_key, link_key, entity_id in conn.execute(
                f"SELECT own_key, link_key, entity_id FROM entity_names WHERE (own_key IN ({marks})"
                f" OR link_key IN ({marks})) AND entity_id IS NOT NULL", [*part, *part]):
                for key in {own_key, link_key}:
                    named.setdefault(key, set()).add(entity_id)
        surnames = [key for key in keys if key not in named and " " not in key]
        if surnames:
            for surname, entity_id in conn.execute(
                "SELECT DISTINCT k.value, n.entity_id FROM json_each(?) k JOIN entity_names n ON n.type = ?"
                " AND n.link_key LIKE '% ' || k.value AND n.entity_id IS NOT NULL", (json.dumps(surnames), PERSON)):
                named.setdefault(surname, set()).add(entity_id)
        return {key: next(iter(named[key])) for key in keys if len(named.get(key, ())) == 1}


def entity_names_of(store: Store, names: Sequence[str]) -> dict[str, str]:
    """The canonical name of the entity each name denotes across the corpus, for the names that
    point to one ("NMA" -> "Northern Maritime Alliance"); names that point to none or to several
    are left out."""
    resolved = _NameReading(store, set()).resolved([(name, None) for name in set(names)])
    canonical = _entity_names(store, [entity_id for entity_id in resolved.values() if entity_id])
    return {name: canonical[entity_id] for (name, _), entity_id in resolved.items() if entity_id in canonical}


def _entity_names(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """Entity id -> its canonical name, for the ids given."""
    names: dict[str, str] = {}
    for part in in_list_parts(sorted(set(ids))):
        names.update(store.conn.execute(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(part))})", part))
    return names


def _short_form_of(name: str, key: str, full: str, type_: str) -> bool:
    if type_ == PERSON:
        short, long_ = PersonKey.parse(key), PersonKey.parse(_key_of(full))
        return given_compatible(short, long_) and len(long_.given) >= len(short.given)
    bag, full_bag = _bag_of(name), _bag_of(full)
    if not bag or not bag < full_bag:
        return False
    head = _head_of(name)
    return _head_of(full) == head if head else " " not in key and key in (_key_of(full).split()[0], _key_of(full).split()[-1])


# A speaker is compared with each name its article mentions, and the same names recur from one
# statement and one article to the next: their keys and organisation words are read once each (a
# third of an export's time went to reading them again; bench/exports.py).
_key_of = lru_cache(maxsize=1 << 16)(name_key)
_bag_of = lru_cache(maxsize=1 << 16)(org_bag)
_head_of = lru_cache(maxsize=1 << 16)(org_head)
