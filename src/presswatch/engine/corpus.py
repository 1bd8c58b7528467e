"""Bring stored stories up to date with what was analysed since the last run (narratives:
engine/narratives.py), and embed what has no sentence vector yet (`index_vectors`, semantic extra).

Only the stories still open (seen within the time window of a new article's date) are
brought back in memory, from the clustering state each keeps, so the cost follows the news of the
last weeks, not the size of the archive. Document frequencies come from the counts the store keeps
(engine/frequencies.py), read for the terms an update weighs only, for the same reason.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from presswatch.records import Article, Story
from presswatch.store import Store
from presswatch.engine.frequencies import stored_frequencies, weighed_long_ago
from presswatch.store.claims import delete_claims
from presswatch.store.frequencies import STORIES, add_term_documents, forget_term_documents, kind_documents
from presswatch.store.vectors import EMBEDDED, pending_vector_rows, save_vectors
from presswatch.store import stories as story_store
from presswatch.stories.cluster import ClusterParams
from presswatch.stories.features import text_features
from presswatch.semantic import Embedder, embed_texts, semantic_available
from presswatch.stories.stories import DEFAULT_PARAMS, StoryAssigner, arrival_order, article_text, make_story

# A stored story's sums are weighed by the document frequencies of when its articles were added.
# They are brought back as stored until the store has grown past REWEIGH_GROWTH since the oldest of
# them were weighed (engine/frequencies.weighed_long_ago); past that, the story's articles are
# clustered again, one by one and weighed as of now, beside the new articles, and what they form is
# kept (the same story, or its pieces, or parts of other stories). That is how a story grows apart
# from a batch build and comes back to it: each update's consolidation attaches a new report that
# joined no story to the nearest established one (ClusterParams.attach), before the other reports
# of its own event have arrived, and merges never split; clustering the articles again undoes such
# merges as a batch would. ECB+ train fed one document at a time (tools/stories_incremental.py,
# 2026-12-07, three seeded orders): sub-topic B-cubed F1 0.968-0.978 against the batch's 0.978,
# pairwise agreement with the batch 0.978-0.990 (in groups of 10 and 50, F1 0.952-0.978, agreement
# 0.943-1.0); at 2.0, 0.930-0.948 and 0.888-0.917; before stale stories were clustered again (they
# were made again as one block, at 2.0), 0.789-0.807 and 0.709-0.748. What it costs
# (MEASUREMENTS.md): bench/archive.py to 10k articles, where most batches re-cluster the month's
# stories, the stories step 2.1 CPU s a 1,000-article batch (median) against 1.2 s before, the batch
# 7.7 s against 7.1 s; in the 10k store of bench/update.py, a 1-page update that re-clusters its 105
# open stories 0.33 s of stories step against 0.05 s (0.16 s when they were made again as blocks).


def update_stories(store: Store, *, params: ClusterParams | None = None) -> list[Story]:
    """Assign every article not yet in a story; returns the stories that were created or grew.

    Only the stories still open (seen within the time window of a new article's date) are
    brought back, from the clustering state each keeps in the store, or as their articles, clustered
    again, once the archive has grown past REWEIGH_GROWTH since they were weighed (engine/frequencies.py); words
    are weighed by the document frequencies the store keeps for every article assigned so far, so
    the cost follows the new articles and the stories open beside them, not the archive.

    Stories are grouped by their words, names and figures: the sentence-embedding channel the
    clusterer also has (`presswatch eval stories --semantic`) did not group ECB+ better
    (stories/stories.py SEMANTIC_PARAMS), so the stored stories do not use it.
    """
    params = params or DEFAULT_PARAMS
    unassigned = story_store.unassigned_article_ids(store)
    found = store.articles_by_id(unassigned)
    new = arrival_order(found[i] for i in unassigned)
    if not new:
        return []
    open_stories = _open_stories(store, new, params.window_days)
    counted = kind_documents(store, STORIES) + len(new)
    states = {
        story_id: state for story_id, state in story_store.story_sums(store, [s.id for s in open_stories]).items()
        if not weighed_long_ago(state.weighed_at, counted)
    }
    # Stale stories, and any saved without a state (by hand, not by this function), are clustered again.
    remade = [s for s in open_stories if s.id not in states]
    members = store.articles_by_id(i for s in remade for i in s.article_ids)
    # Each text is read for its terms once: they count towards the frequencies and are then weighed.
    features = {a.id: text_features(article_text(a)) for a in (*members.values(), *new)}
    frequencies, term_counts = stored_frequencies(
        store, STORIES, [features[a.id] for a in new], also=[features[i] for i in members]
    )
    assigner = StoryAssigner(frequencies, params)
    weighed_at: dict[str, int] = {}  # a story's first article -> when the weights it was brought back with were taken
    for story in open_stories:
        if story.id in states:
            state = states[story.id]
            assigner.clusterer.restore(story.article_ids, state.sums, state.dense, days=(state.first_day, state.last_day))
            weighed_at[story.article_ids[0]] = state.weighed_at
    # A stale story's articles are clustered again, one by one, among the new ones (see above),
    # in the order a batch build of them would take (the new ones come in id order).
    regrouped = arrival_order(sorted([*members.values(), *new], key=lambda a: a.id))
    links = story_store.near_duplicate_pairs(store, [a.id for a in regrouped])
    assigner.add(regrouped, links=links, features=features)
    assigner.clusterer.consolidate()
    new_ids = {a.id: a for a in new}
    grown = assigner.clusters_holding([*new_ids, *members])
    read = {**members, **new_ids}
    # A story's record takes only its members' headings: a large story that grew by one report would
    # otherwise have every report read whole (2,000 members: 26 of the update's 70 ms, /tmp script).
    articles = {**store.article_headings(m for c in grown for m in c.members if m not in read), **read}
    stored_as = {s.article_ids: s.id for s in remade}
    changed, sums = [], {}
    for cluster in grown:
        (story,) = assigner.stories(articles, clusters=[cluster])
        if stored_as.get(story.article_ids) == story.id:  # weighed again and clustered alike: only its state is new
            if cluster.active:
                sums[story.id] = _state(cluster, counted)
            continue
        # Resolved entities, where the store has them, name a story better than capitalised words.
        changed.append(replace(story, key_entities=tuple(story_store.top_entities(store, story.article_ids)) or story.key_entities))
        if cluster.active:  # a story the stream closed during this update keeps no state: made again if reopened
            oldest = min((weighed_at[m] for m in cluster.members if m in weighed_at), default=counted)
            sums[story.id] = _state(cluster, oldest)
    with store.transaction() as conn:
        story_store.write_stories(conn, changed, replacing=_absorbed(open_stories, changed), sums=sums)
        add_term_documents(conn, STORIES, term_counts, len(new))
    return changed


def story_without(store: Store, article_id: str) -> Callable[[sqlite3.Connection], None]:
    """Take an article out of its story (its text was replaced by a new version, which the next
    update assigns afresh): read now, written by the function returned inside the caller's
    transaction. The story keeps its other articles, its record made from their headings, and
    loses its clustering state, which held the old text's words: it is clustered again from its
    articles when a new one brings it back (update_stories). A story left with none is deleted."""
    row = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        return lambda conn: None
    old = story_store.story(store, row[0])
    headings = store.article_headings(i for i in old.article_ids if i != article_id)
    kept = [] if not headings else [make_story(list(headings.values()), {})]
    kept = [replace(s, label=s.label or old.label, key_entities=old.key_entities) for s in kept]
    return lambda conn: story_store.write_stories(conn, kept, replacing={old.id})


def _state(cluster, weighed_at: int) -> story_store.StorySums:
    return story_store.StorySums(cluster.sums, cluster.dense, cluster.first_day, cluster.last_day, weighed_at)


def _open_stories(store: Store, new: list[Article], window_days: float | None) -> list[Story]:
    """The stored stories new articles may join: those seen within the window of one of their
    dates, before or after it. An undated article (or one whose date does not read) is taken as of
    the newest stored story: it carries no date to place it by, and reading every story ever stored
    would cost what the archive holds. The window of each date, not everything since the earliest:
    an article dated years back would otherwise bring back the whole archive since then, and
    cluster again every story closed since, though none of it is in any new article's reach."""
    if window_days is None:
        return story_store.stories(store)
    days = {_calendar_day(a.published) for a in new}
    if None in days:
        days.discard(None)
        days.add(_calendar_day(story_store.newest_last_seen(store)))
        days.discard(None)
    if not days:
        return story_store.stories(store)
    window = timedelta(days=window_days)
    spans: list[list[date]] = []
    for day in sorted(days):  # a story is in reach when its days overlap [day - window, day + window]
        start, end = day - window, day + window + timedelta(days=1)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return story_store.stories_seen_within(store, [(start.isoformat(), end.isoformat()) for start, end in spans])


def _calendar_day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _absorbed(previous, changed) -> set[str]:
    """Stored stories whose articles now sit in a changed story, under whatever id it has now."""
    moved = {i for s in changed for i in s.article_ids}
    return {s.id for s in previous if moved.intersection(s.article_ids)}


# Items embedded per model call and per transaction.
VECTOR_BATCH = 64


def index_vectors(store: Store, *, embed: Embedder | None = None) -> int:
    """Embed what has no vector yet (an article's opening and its headline, a statement); returns
    how many vectors were made.

    Without `embed` the semantic extra's model is used, and nothing happens when it is not
    installed, so the analysis pass can always call this. Each batch is its own transaction.
    """
    if embed is None:
        if not semantic_available():
            return 0
        embed = embed_texts
    done = 0
    for kind in EMBEDDED:
        while rows := pending_vector_rows(store, kind, VECTOR_BATCH):
            matrix = np.asarray(embed([text for _, text in rows]), dtype=np.float32)
            save_vectors(store, kind, [item_id for item_id, _ in rows], matrix)
            done += len(rows)
    return done


def forget_stories(store: Store) -> None:
    """Drop the stories and their frequencies: the next update assigns every article afresh."""
    story_store.delete_stories(store)
    with store.transaction() as conn:
        forget_term_documents(conn, STORIES)


def forget_narratives(store: Store) -> None:
    """Drop the narratives and their clustering state: the next update clusters every statement."""
    delete_claims(store)
    story_store.delete_narratives(store)
