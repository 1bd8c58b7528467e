"""Stories and narratives in the store: written inside the engine's transaction, replacing the stored
ones they absorbed; a narrative's evidence rows are written only where they changed (added alone, for
a large narrative that only grew: `add_evidence`). A timeline is read in the order its evidence's
own columns give (`_TIMELINE`, off the narrative_evidence_timeline index), so evidence joins it at
any date without the rows after it written again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from presswatch.errors import QueryError, UnknownRecord
from presswatch.records import UNKNOWN_OUTLET, Evidence, Narrative, Story, story_outlets
from presswatch.store.database import Store, dense_blob, dense_from_blob, in_list_parts, iso_date


def rename_outlet(store: Store, article_ids: Sequence[str], outlet: str) -> None:
    """Store `outlet` as the outlet of these articles and of every copy of it, in one transaction:
    the narrative evidence of their statements, the outlet count of each narrative that holds
    some and the outlet list of their story (the triggers keep the facet counts). Their copies
    are renamed rather than the stories and narratives made again: nothing else of them changes,
    and the engine has no queue that would make an unchanged story again."""
    ids = json.dumps(list(dict.fromkeys(article_ids)))
    with store.transaction() as conn:
        conn.execute("UPDATE articles SET outlet = ? WHERE id IN (SELECT value FROM json_each(?))", (outlet, ids))
        said = "SELECT id FROM statements WHERE article_id IN (SELECT value FROM json_each(?))"
        narratives = [row[0] for row in conn.execute(
            f"SELECT DISTINCT narrative_id FROM narrative_evidence WHERE statement_id IN ({said})", (ids,))]
        conn.execute(f"UPDATE narrative_evidence SET outlet = ? WHERE statement_id IN ({said})", (outlet, ids))
        conn.executemany(  # records.outlets_of's count: an empty outlet is the one unknown outlet
            "UPDATE narratives SET outlets = (SELECT count(DISTINCT coalesce(nullif(outlet, ''), ?))"
            " FROM narrative_evidence WHERE narrative_id = narratives.id) WHERE id = ?",
            [(UNKNOWN_OUTLET, narrative_id) for narrative_id in narratives])
        stories = [row[0] for row in conn.execute(
            "SELECT DISTINCT story_id FROM story_articles WHERE article_id IN (SELECT value FROM json_each(?))", (ids,))]
        for story_id in stories:
            members = conn.execute(  # in publication order, the outlets from the covering index
                "SELECT a.outlet FROM story_articles s JOIN articles a INDEXED BY articles_published_by_id"
                " ON a.id = s.article_id WHERE s.story_id = ? ORDER BY s.position", (story_id,))
            conn.execute("UPDATE stories SET outlets = ? WHERE id = ?",
                         (json.dumps(list(story_outlets(row[0] for row in members)), ensure_ascii=False), story_id))


def delete_stories(store: Store) -> None:
    """Drop every story, so the next update assigns every article afresh."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM story_articles")
        conn.execute("DELETE FROM story_sums")
        conn.execute("DELETE FROM stories")


def delete_narratives(store: Store) -> None:
    """Drop every narrative, so the next update clusters every statement afresh."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM narrative_evidence")
        conn.execute("DELETE FROM narratives")


# -- stories -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorySums:
    """A story's clustering state (stories/cluster.py): what an update needs to bring it back."""

    sums: dict[str, dict[str, float]]
    dense: np.ndarray | None
    first_day: float | None
    last_day: float | None
    weighed_at: int  # how many articles the document frequencies counted when its oldest weights were taken


def save_stories(store: Store, stories: Sequence[Story], *, replacing: Iterable[str] = ()) -> None:
    with store.transaction() as conn:
        write_stories(conn, stories, replacing=replacing)


def write_stories(
    conn: sqlite3.Connection, stories: Sequence[Story], *, replacing: Iterable[str] = (),
    sums: Mapping[str, StorySums] | None = None,
) -> None:
    """Write stories (new or grown), with their clustering state where `sums` gives it, and drop the
    stored ones named in `replacing` that they absorbed, inside the caller's transaction. A story
    written without a state loses the one it had, which no longer matches its articles."""
    kept = {s.id for s in stories}
    for gone in set(replacing) - kept:
        conn.execute("DELETE FROM story_articles WHERE story_id = ?", (gone,))
        conn.execute("DELETE FROM story_sums WHERE story_id = ?", (gone,))
        conn.execute("DELETE FROM stories WHERE id = ?", (gone,))
    conn.executemany("DELETE FROM story_sums WHERE story_id = ?", [(s.id,) for s in stories if s.id not in (sums or {})])
    conn.executemany(
        "INSERT OR REPLACE INTO story_sums (story_id, sums, dense, first_day, last_day, weighed_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(story_id, json.dumps(state.sums, ensure_ascii=False), dense_blob(state.dense),
          state.first_day, state.last_day, state.weighed_at) for story_id, state in (sums or {}).items()],
    )
    for story in stories:
        # Updated in place, not replaced: a replaced row takes its story_articles rows with it (ON DELETE CASCADE).
        conn.execute(
            "INSERT INTO stories (id, label, first_seen, last_seen, outlets, key_entities, articles)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen, outlets = excluded.outlets,"
            " key_entities = excluded.key_entities, articles = excluded.articles",
            (story.id, story.label, story.first_seen, story.last_seen,
             json.dumps(list(story.outlets), ensure_ascii=False),
             json.dumps(list(story.key_entities), ensure_ascii=False), len(story.article_ids)),
        )
        # Only the rows that differ are written: a story that grows mostly gains rows at the end of its
        # timeline, and deleting and inserting every row, each through the unassigned queue's triggers,
        # cost what it holds (one report added to 2,000: 25 of the update's 70 ms, /tmp script).
        rows = {(article_id, i) for i, article_id in enumerate(story.article_ids)}
        members = set(story.article_ids)
        stored = set(map(tuple, conn.execute("SELECT article_id, position FROM story_articles WHERE story_id = ?", (story.id,))))
        conn.executemany("DELETE FROM story_articles WHERE article_id = ?",
                         [(article_id,) for article_id, _ in stored - rows if article_id not in members])
        conn.executemany(
            "INSERT OR REPLACE INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?)",
            [(article_id, story.id, i) for article_id, i in sorted(rows - stored, key=lambda row: row[1])],
        )


def _story(store: Store, row: sqlite3.Row) -> Story:
    members = store.conn.execute(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position", (row["id"],)
    )
    return Story(
        id=row["id"], article_ids=tuple(r["article_id"] for r in members), first_seen=row["first_seen"],
        last_seen=row["last_seen"], outlets=tuple(json.loads(row["outlets"])),
        key_entities=tuple(json.loads(row["key_entities"])), label=row["label"],
    )


def stories(store: Store, *, since: str | None = None, limit: int | None = None, offset: int = 0) -> list[Story]:
    """Stored stories, most recently seen first; `since` keeps the dated ones seen on or after an ISO date."""
    where, params = _seen_since(since)
    # The order of the stories_rank index (SQLite sorts NULL lowest, so undated stories come last),
    # so a page is read off it rather than sorting every story.
    sql = f"SELECT * FROM stories {where} ORDER BY last_seen DESC, articles DESC, id LIMIT ? OFFSET ?"
    rows = store.conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return [_story(store, r) for r in rows]


def stories_seen_within(store: Store, spans: Sequence[tuple[str, str]]) -> list[Story]:
    """The stories seen within one of the `spans` (ISO dates [start, end): a story whose first day is
    before the end and whose last is on or after the start), and those seen on no known date (an
    undated story may be any age), in the order of `stories`: the grouping step's open stories."""
    if not spans:
        return []
    # Two branches, so the dated one is read off the index from the earliest start (one query with
    # OR scanned every story: 82 ms against 1.6 ms for a month's span in bench/update.py's 100k store).
    sql = (
        "SELECT * FROM stories WHERE last_seen >= ? AND EXISTS (SELECT 1 FROM json_each(?) span"
        " WHERE stories.last_seen >= json_extract(span.value, '$[0]') AND stories.first_seen < json_extract(span.value, '$[1]'))"
        " UNION ALL SELECT * FROM stories WHERE last_seen IS NULL ORDER BY last_seen DESC, articles DESC, id"
    )
    rows = store.conn.execute(sql, (min(start for start, _ in spans), json.dumps(list(spans)))).fetchall()
    return [_story(store, r) for r in rows]


def count_stories(store: Store, *, since: str | None = None) -> int:
    """How many stories `stories` lists with the same `since`."""
    where, params = _seen_since(since)
    return store.conn.execute(f"SELECT count(*) FROM stories {where}", params).fetchone()[0]


def _seen_since(since: str | None) -> tuple[str, list]:
    if not iso_date(since, "since"):
        return "", []
    return "WHERE last_seen >= ?", [since]


def story(store: Store, prefix: str) -> Story:
    return _story(store, _by_prefix(store, "stories", prefix, "story"))


def story_sums(store: Store, story_ids: Iterable[str]) -> dict[str, StorySums]:
    """The clustering state of stored stories; a story saved without one is not in the result."""
    found = {}
    for part in in_list_parts(list(dict.fromkeys(story_ids))):
        for story_id, sums, dense, first_day, last_day, weighed_at in store.conn.execute(
            "SELECT story_id, sums, dense, first_day, last_day, weighed_at FROM story_sums"
            f" WHERE story_id IN ({','.join('?' * len(part))})", part,
        ):
            found[story_id] = StorySums(json.loads(sums), dense_from_blob(dense), first_day, last_day, weighed_at)
    return found


def newest_last_seen(store: Store) -> str | None:
    return store.conn.execute("SELECT max(last_seen) FROM stories").fetchone()[0]


def unassigned_article_ids(store: Store) -> list[str]:
    rows = store.conn.execute("SELECT article_id FROM unassigned_articles ORDER BY article_id")
    return [r[0] for r in rows]


def near_duplicate_pairs(store: Store, article_ids: Sequence[str]) -> list[tuple[str, str]]:
    """The near-duplicate links of some articles (each pair once)."""
    pairs = set()
    for part in in_list_parts(list(article_ids)):
        for a, b in store.conn.execute(
            f"SELECT article_id, other_id FROM article_links WHERE kind = 'near_duplicate'"
            f" AND article_id IN ({','.join('?' * len(part))})", part
        ):
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


# -- narratives ----------------------------------------------------------------------------------


def save_narratives(store: Store, narratives: Sequence[Narrative], *, replacing: Iterable[str] = ()) -> None:
    with store.transaction() as conn:
        write_narratives(conn, narratives, replacing=replacing)


_EVIDENCE = "statement_id, narrative_id, article_id, speaker, outlet, date, quote, stance"
# A timeline's order, as stories/narratives._in_timeline sorts evidence: undated last, then by date,
# article and statement (the narrative_evidence_timeline index, migration 37).
_TIMELINE = "date IS NULL, date, article_id, statement_id"


def write_narratives(conn: sqlite3.Connection, narratives: Sequence[Narrative], *, replacing: Iterable[str] = ()) -> None:
    """Write narratives (new or grown) with their counter-narratives, and drop the stored ones
    named in `replacing` (the ones that held any of their statements before) that are not written
    again, inside the caller's transaction."""
    written = [n for narrative in narratives for n in (narrative, *narrative.counters)]
    kept = {n.id for n in written}
    for gone in set(replacing) - kept:
        conn.execute("DELETE FROM narrative_evidence WHERE narrative_id = ?", (gone,))
        conn.execute("DELETE FROM narratives WHERE id = ?", (gone,))
    for narrative in written:
        _write_row(conn, narrative)
        # Only the evidence rows that differ are written: a narrative made again mostly gains rows,
        # and rewriting every row it holds would cost what it holds.
        rows = {_row(narrative.id, e) for e in narrative.evidence}
        stored = set(map(tuple, conn.execute(f"SELECT {_EVIDENCE} FROM narrative_evidence WHERE narrative_id = ?", (narrative.id,))))
        kept = {row[0] for row in rows}
        conn.executemany("DELETE FROM narrative_evidence WHERE statement_id = ?",
                         [(row[0],) for row in stored - rows if row[0] not in kept])
        conn.executemany(f"INSERT OR REPLACE INTO narrative_evidence ({_EVIDENCE}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         sorted(rows - stored, key=lambda row: row[0]))


def _row(narrative_id: str, e: Evidence) -> tuple:
    """A piece of evidence as its narrative_evidence row (the columns of `_EVIDENCE`)."""
    return e.statement_id, narrative_id, e.article_id, e.speaker, e.outlet, e.date, e.quote, e.stance


def drop_evidence(conn: sqlite3.Connection, statement_ids: Sequence[str]) -> None:
    """Take statements out of the timelines holding them, inside the caller's transaction (their
    article's text was replaced): each narrative's counts and dates are counted again over what it
    keeps (outlets as records.outlets_of counts them, dates as its timeline's ends), and a narrative
    left with no evidence is deleted. The engine makes the
    smaller ones whole again in the same transaction; a large one keeps its label."""
    held = {r[0] for part in in_list_parts(list(statement_ids)) for r in conn.execute(
        f"DELETE FROM narrative_evidence WHERE statement_id IN ({','.join('?' * len(part))}) RETURNING narrative_id", part)}
    for narrative_id in sorted(held):
        conn.execute(
            "UPDATE narratives SET (statements, outlets, first_seen, last_seen) = ("
            " SELECT count(*), count(DISTINCT coalesce(nullif(outlet, ''), '')), min(date), max(date)"
            " FROM narrative_evidence WHERE narrative_id = ?) WHERE id = ?", (narrative_id, narrative_id))
    conn.executemany("DELETE FROM narratives WHERE id = ? AND statements = 0", [(i,) for i in held])


def claim_holding(store: Store, statement_id: str) -> tuple[Narrative, Narrative | None] | None:
    """The stored claim whose narrative holds `statement_id` (as evidence or among its denials)
    and its counter-narrative, each with its counts and dates as stored and none of its evidence
    read; None when no narrative holds it (or the claim has several counter-narratives)."""
    row = store.conn.execute(
        "SELECT n.* FROM narrative_evidence e JOIN narratives n ON n.id = e.narrative_id WHERE e.statement_id = ?",
        (statement_id,)).fetchone()
    if row is None:
        return None
    if row["counter_of"]:
        row = store.conn.execute("SELECT * FROM narratives WHERE id = ?", (row["counter_of"],)).fetchone()
        if row is None:
            return None
    counter = store.conn.execute("SELECT * FROM narratives WHERE counter_of = ? ORDER BY id", (row["id"],)).fetchall()
    if len(counter) > 1:
        return None
    return _counted(row), _counted(counter[0]) if counter else None


def _counted(row: sqlite3.Row) -> Narrative:
    """A stored narrative's row alone: its counts and dates, no evidence."""
    return Narrative(
        id=row["id"], label=row["label"], evidence=(), first_seen=row["first_seen"], last_seen=row["last_seen"],
        counter_of=row["counter_of"], statements=row["statements"], outlets=row["outlets"],
    )


def _evidence(row: sqlite3.Row) -> Evidence:
    return Evidence(row["statement_id"], row["article_id"], row["speaker"], row["outlet"], row["date"], row["quote"],
                    row["stance"])


def outlets_held(store: Store, narrative_id: str, outlets: Iterable[str | None]) -> set[str | None]:
    """Which of `outlets` some evidence of the narrative already names (None: no outlet), each
    found off the narrative_evidence_outlet index: a large narrative's evidence is not read."""
    return {
        outlet for outlet in set(outlets)
        if store.conn.execute(
            "SELECT 1 FROM narrative_evidence WHERE narrative_id = ? AND coalesce(nullif(outlet, ''), '') = ? LIMIT 1",
            (narrative_id, outlet or "")).fetchone()
    }


def add_evidence(conn: sqlite3.Connection, narrative: Narrative, added: Sequence[Evidence]) -> None:
    """Write a narrative's row (its counts and dates as given) and add `added` to its timeline,
    each where its date puts it (`_TIMELINE`), inside the caller's transaction: a narrative of many
    thousand statements grows without its stored evidence being read or written again
    (engine/narratives.py)."""
    _write_row(conn, narrative)
    conn.executemany(f"INSERT OR REPLACE INTO narrative_evidence ({_EVIDENCE}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [_row(narrative.id, e) for e in added])


def _write_row(conn: sqlite3.Connection, narrative: Narrative) -> None:
    """A narrative's row, with the listing's rank kept so a listing reads it off the narratives_rank
    index. An upsert, not INSERT OR REPLACE: replacing the row deletes it first, and the delete
    cascades to every evidence row it holds (which then had to be written again, all of them)."""
    conn.execute(
        "INSERT INTO narratives (id, label, first_seen, last_seen, counter_of, outlets, statements)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label,"
        " first_seen = excluded.first_seen, last_seen = excluded.last_seen, counter_of = excluded.counter_of,"
        " outlets = excluded.outlets, statements = excluded.statements",
        (narrative.id, narrative.label, narrative.first_seen, narrative.last_seen, narrative.counter_of,
         narrative.outlets, narrative.statements),
    )


def _narrative(store: Store, row: sqlite3.Row, evidence_limit: int | None = None) -> Narrative:
    """A stored narrative with the first `evidence_limit` statements of its timeline (all when None)
    and, for a claim, its counter-narratives (cut the same way)."""
    evidence = store.conn.execute(
        f"SELECT * FROM narrative_evidence WHERE narrative_id = ? ORDER BY {_TIMELINE} LIMIT ?",
        (row["id"], -1 if evidence_limit is None else evidence_limit),
    )
    counters = () if row["counter_of"] else tuple(
        _narrative(store, r, evidence_limit)
        for r in store.conn.execute("SELECT * FROM narratives WHERE counter_of = ? ORDER BY id",
                                                         (row["id"],))
    )
    # Who speaks in a counter-narrative (who opposes the claim, as the faces list them), read from all
    # its evidence when the evidence above was cut; whole, the Narrative derives its voices itself. A
    # claim's own voices are not read here: no face lists them, and a claim carried by thousands of
    # statements made this read the bulk of a listing (0.04 s a page of bench/listings.py's 100k store).
    voices = None if evidence_limit is None or not row["counter_of"] else tuple((stance, speaker) for stance, speaker in store.conn.execute(
        "SELECT DISTINCT stance, speaker FROM narrative_evidence WHERE narrative_id = ?"
        " ORDER BY stance, coalesce(speaker, '')", (row["id"],)
    ))
    return Narrative(
        id=row["id"], label=row["label"], first_seen=row["first_seen"], last_seen=row["last_seen"],
        evidence=tuple(_evidence(e) for e in evidence),
        counter_of=row["counter_of"],
        counters=counters,
        statements=row["statements"], outlets=row["outlets"],
        voices=voices,
    )


# Claims carried by at least so many outlets, by their stored rank (the narratives_rank index);
# counter-narratives come with the claim they counter.
_CARRIED = "FROM narratives WHERE outlets >= ? AND statements > 0 AND counter_of IS NULL"


def narratives(
    store: Store, *, min_outlets: int = 1, limit: int | None = None, offset: int = 0, evidence_limit: int | None = None
) -> list[Narrative]:
    """Stored claims, most widely carried first (by outlets, then statements), each with its
    counter-narratives and the first `evidence_limit` statements of its timeline (all when None)
    and the count of all."""
    rows = store.conn.execute(
        f"SELECT * {_CARRIED} ORDER BY outlets DESC, statements DESC, last_seen DESC, id LIMIT ? OFFSET ?",
        (min_outlets, -1 if limit is None else limit, offset),
    ).fetchall()
    return [_narrative(store, r, evidence_limit) for r in rows]


def count_narratives(store: Store, *, min_outlets: int = 1) -> int:
    return store.conn.execute(f"SELECT count(*) {_CARRIED}", [min_outlets]).fetchone()[0]


def narrative(store: Store, prefix: str) -> Narrative:
    return _narrative(store, _by_prefix(store, "narratives", prefix, "narrative"))


def _by_prefix(store: Store, table: str, prefix: str, what: str) -> sqlite3.Row:
    """A unique id prefix is enough, as for articles."""
    rows = store.conn.execute(
        f"SELECT * FROM {table} WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "\U0010ffff")
    ).fetchall()
    if not rows:
        raise UnknownRecord(f"no {what} with id {prefix!r}")
    if len(rows) > 1:
        raise QueryError(f"{what} id prefix {prefix!r} is ambiguous; give more characters")
    return rows[0]


def top_entities(store: Store, article_ids: Sequence[str], count: int = 8) -> list[str]:
    """The resolved entities most mentioned across some articles (none before entities are built)."""
    if not article_ids:
        return []
    marks = ", ".join("?" * len(article_ids))
    rows = store.conn.execute(
        "SELECT e.name, count(*) AS mentions FROM entity_mentions m"
        " JOIN entity_names n ON n.id = m.name_id JOIN entities e ON e.id = n.entity_id"
        f" WHERE m.article_id IN ({marks}) GROUP BY e.id ORDER BY mentions DESC, e.name LIMIT ?",
        [*article_ids, count],
    )
    return [r["name"] for r in rows]
