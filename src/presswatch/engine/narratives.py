"""Narratives kept up to date incrementally: each new statement's claim is clustered once, against
the stored clusters its terms propose, and only the narratives it touches are written again.

The clusterer (stories/cluster.py) is the one the batch evaluation uses; here it holds only a
neighbourhood of the stored state: the clusters that the postings of the new claims' heaviest
terms propose, brought back from their stored sums, plus (one hop further) the clusters those
propose for consolidation. New claims join or found clusters, the consolidation pass merges within
the neighbourhood, and what changed is written back in one transaction with the narratives made
from it. The cost follows the new statements and the clusters they touch, not the corpus.

How it differs from clustering everything at once (`--rebuild narratives` does that in chunks):
a claim is weighed with the document frequencies of the claims clustered before it and itself,
not of all claims, and consolidation only reconsiders pairs that hold a cluster the new claims
joined or founded (the stored clusters brought back for them are not paired among themselves
again: the update that stored them did). A stored cluster brought back once the store has grown
past REWEIGH_GROWTH since its weights were taken (engine/frequencies.py, as stale stories are) is
not restored but clustered again, its members' claims weighed as of now among the new ones: a
store of a few claims weighs a word they share far above what the batch does, and what that
joined would otherwise stay joined (merges never split). A test bounds the difference on the
bundled examples; the figures are in MEASUREMENTS.md ("Narratives built page by page").
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import astuple
from functools import partial

from presswatch.engine.frequencies import stored_frequencies, weighed_long_ago
from presswatch.records import Article, Narrative, Statement
from presswatch.semantic import unit_rows
from presswatch.store import Store
from presswatch.store import claims as claim_store
from presswatch.store.frequencies import CLAIMS, kind_documents
from presswatch.store.stories import add_evidence, claim_holding, drop_evidence, outlets_held, write_narratives
from presswatch.stories.cluster import ClusterParams, OnlineClusterer, heaviest
from presswatch.stories.narratives import (
    DEFAULT_NARRATIVE_PARAMS,
    background_frequencies,
    claim_features,
    grow_narrative,
    make_narrative,
    timeline_key,
)
from presswatch.stories.stance import DEFAULT_STANCE_PARAMS, GroupPolarity, Signals, polarity, signals
from presswatch.stories.word_vectors import embed_words

# Statements clustered per step (and per transaction): bounds memory for a rebuild or a backlog.
STEP = 2000
# A narrative of at least so many statements grows by adding the evidence new statements bring, at
# any date of its timeline (_grow), its stances read among its latest STANCE_CONTEXT statements and its claim's polarity
# counted over all of it; a smaller one is made again whole, which costs about a quarter of a
# millisecond a statement (17 of the 19 s an update took to re-make bench/update.py's 74,783-
# statement narrative at 100k articles, 2026-12-05). tests/test_engine.py bounds the difference.
GROW_FROM = 1000
STANCE_CONTEXT = 500
# A stored cluster of at least so many members comes back with its first member and its latest
# member_sample ones (what assignment and consolidation read of it): reading every member of a
# long-running narrative grew with the archive (0.2 s of an update at 64k articles in
# bench/archive.py). Made again whole, it reads them all then.
HOLD_WHOLE_BELOW = GROW_FROM
# Clusters read from one term's posting list at most, where the parameters set no common-term cut;
# a term in more clusters is too common to decide anything and weighs little (idf).
POSTINGS_PER_TERM = 200


def update_narratives(store: Store, *, params: ClusterParams | None = None) -> list[Narrative]:
    """Cluster every statement not clustered yet; returns the narratives created or changed.

    Claims are read through the static word vectors: with sentence embeddings
    (`presswatch eval narratives --semantic`) the clusterer joined fewer restatements on the
    stance sets (pairs F1 0.19 against 0.31-0.33 on train10 and train11, 2026-12-07), so the stored
    narratives do not use them."""
    params = params or DEFAULT_NARRATIVE_PARAMS
    changed: dict[str, Narrative] = {}
    while new := claim_store.unclustered_statements(store, STEP):
        for narrative in _step(store, new, params):
            changed[narrative.id] = narrative
    return list(changed.values())


def retract_claims(store: Store, statement_ids: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    """Take the claims of statements that are gone (their article's text was replaced by a new
    version) out of the narratives: read now, written by the function returned, inside the caller's
    transaction (the one that replaces the text). Each cluster holding some loses their weights from
    its sums (as kept: terms the clusterer cut stay cut) and is deleted when none is left; the
    evidence goes from every timeline, and the narratives of the clusters under GROW_FROM members
    are made again whole from what they keep. A larger one keeps its label and stances (its counts
    and dates are counted again) until it is next made whole. The cost follows the clusters the
    statements were in."""
    cluster_of = claim_store.clusters_holding(store, statement_ids)
    claims = {c.statement_id: c for c in claim_store.claims(store, list(cluster_of))}
    stored = claim_store.clusters(store, set(cluster_of.values()), whole_below=HOLD_WHOLE_BELOW)
    changed, emptied, remade = [], [], []
    for cluster in stored:
        leaving = [i for i, c in cluster_of.items() if c == cluster.id]
        size = cluster.size - len(leaving)
        if size <= 0:
            emptied.append(cluster.id)
            continue
        sums = {channel: dict(bag) for channel, bag in cluster.sums.items()}
        dense = None if cluster.dense is None else cluster.dense.copy()
        for claim in (claims[i] for i in leaving):
            for channel, bag in claim.vector.items():
                kept = sums.get(channel, {})
                for term, weight in bag.items():
                    if term in kept and (left := kept[term] - weight) > SUM_FLOOR:
                        kept[term] = left
                    else:
                        kept.pop(term, None)
            if dense is not None and claim.dense is not None:
                dense -= claim.dense
        # A large cluster comes back with some of its members: one made whole reads them all.
        held = cluster.members if cluster.size < HOLD_WHOLE_BELOW or size >= GROW_FROM else claim_store.member_ids(store, cluster.id)
        members = tuple(m for m in held if m not in cluster_of)
        smaller = claim_store.StoredCluster(cluster.id, members, sums, dense, size, cluster.weighed_at)
        changed.append(smaller)
        if size < GROW_FROM:
            remade.append((smaller, list(members)))
    narratives = _narratives(store, remade, {}, {})
    replacing = claim_store.narratives_holding(store, [m for _, members in remade for m in members])

    def write(conn: sqlite3.Connection) -> None:
        claim_store.drop_claims(conn, list(cluster_of), changed=changed, emptied=emptied,
                                stored_sums={c.id: c.sums for c in stored})
        drop_evidence(conn, statement_ids)
        write_narratives(conn, narratives, replacing=replacing)

    return write


# A summed weight left this small once a claim's weight is taken off is rounding: the term goes.
SUM_FLOOR = 1e-9


def _candidates(store: Store, vectors: dict, params: ClusterParams, lists: dict) -> set[str]:
    """Stored clusters that share the most weight with the claims' heaviest terms (as the
    in-memory index would propose them), per claim. `lists` holds the posting lists read so far in
    this step, (channel, term) -> [(cluster id, summed weight, size)]: the store does not change
    within a step, and the one-hop lookup asks again for most of the new claims' terms."""
    wanted: dict[str, set[str]] = {}
    for bags in vectors.values():
        for channel, bag in bags.items():
            if params.weights.get(channel):
                wanted.setdefault(channel, set()).update(
                    t for t in heaviest(bag, params.query_terms) if (channel, t) not in lists)
    # As in the in-memory index (ClusterParams.common_clusters), a term held by more stored clusters
    # than the cut proposes none.
    for channel, terms in wanted.items():
        found: dict[str, list[tuple[str, float, int]]] = {term: [] for term in terms}
        for term, cluster_id, weight, size in claim_store.postings(
                store, channel, sorted(terms), POSTINGS_PER_TERM, params.common_clusters):
            found[term].append((cluster_id, weight, size))
        for term, clusters in found.items():
            lists[(channel, term)] = clusters
    found_ids: set[str] = set()
    for bags in vectors.values():
        partial: dict[str, float] = {}
        for channel, bag in bags.items():
            weight = params.weights.get(channel, 0.0)
            for term in heaviest(bag, params.query_terms) if weight else ():
                value = weight * bag[term]  # hoisted: (weight * bag[term]) * summed / size, as before
                for cluster_id, summed, size in lists[(channel, term)]:
                    partial[cluster_id] = partial.get(cluster_id, 0.0) + value * summed / size
        found_ids.update(heaviest(partial, params.candidates))
    return found_ids


def _step(store: Store, new: list[Statement], params: ClusterParams) -> list[Narrative]:
    counted = kind_documents(store, CLAIMS) + len(new)
    new_features = [claim_features(s.claim_text) for s in new]
    frequencies, term_counts = stored_frequencies(store, CLAIMS, new_features, background=background_frequencies())
    vectors = {s.id: frequencies.weigh(f) for s, f in zip(new, new_features)}
    dense = dict(zip((s.id for s in new), unit_rows(embed_words([s.claim_text for s in new]))))
    clusterer = OnlineClusterer(params)
    restored: dict[int, claim_store.StoredCluster] = {}  # in-memory cluster -> the stored one it was brought back from
    restored_version: dict[int, int] = {}  # its version as brought back: a later one means it changed
    stale: dict[str, claim_store.StoredCluster] = {}  # stored clusters weighed long ago, their members clustered again
    regrouped: dict[str, Statement] = {}  # their members

    def bring_back(ids: set[str]) -> list[Statement]:
        """Restore the stored clusters `ids` not brought back yet, but those weighed long ago
        (engine/frequencies.weighed_long_ago) and smaller than GROW_FROM: their members are returned, in the
        order a batch clusters them, their claims weighed as of now, to be clustered again."""
        ids -= {c.id for c in restored.values()} | set(stale)
        found = claim_store.clusters(store, ids, whole_below=HOLD_WHOLE_BELOW, latest=params.member_sample)
        # A large one is not: it grows by appending (_grow) and comes back in part, so that an update
        # reads none of its old members, which clustering them again would.
        again = [c for c in found if c.size < GROW_FROM and weighed_long_ago(c.weighed_at, counted)]
        stale.update((c.id, c) for c in again)
        found = [c for c in found if c.id not in stale]
        # The recent members' claims of every cluster brought back, read at once: one query per
        # cluster made 28k queries, 1.6 of the step's 34 profiled CPU s at 6k articles in
        # bench/archive.py.
        # A cluster of one claim holds that claim's vectors as its sums: nothing more to read.
        best_member = params.member_margin is not None
        sample = [m for c in found if len(c.members) > 1 for m in c.members[-params.member_sample:]] if best_member else []
        recent = {c.statement_id: (c.vector, c.dense) for c in claim_store.claims(store, sample)}
        for cluster in found:
            if best_member and len(cluster.members) == 1:
                recent[cluster.members[0]] = (cluster.sums, cluster.dense)
            key = clusterer.restore(cluster.members, cluster.sums, cluster.dense,
                                    {m: recent[m] for m in cluster.members[-params.member_sample:] if m in recent},
                                    size=cluster.size)
            restored[key], restored_version[key] = cluster, clusterer.clusters[key].version
        members = claim_store.member_statements(store, [
            m for c in again for m in (c.members if len(c.members) == c.size else claim_store.member_ids(store, c.id))])
        if members:
            features = [claim_features(s.claim_text) for s in members]
            # The new claims count as they did above, so both are weighed alike.
            weights, _ = stored_frequencies(store, CLAIMS, new_features, also=features, background=background_frequencies())
            vectors.update((s.id, weights.weigh(f)) for s, f in zip(members, features))
            dense.update(zip((s.id for s in members), unit_rows(embed_words([s.claim_text for s in members]))))
            regrouped.update((s.id, s) for s in members)
        return sorted(members, key=_clustering_order)

    lists: dict = {}
    placed = sorted([*new, *bring_back(_candidates(store, {s.id: vectors[s.id] for s in new}, params, lists))],
                    key=_clustering_order)
    for s in placed:
        clusterer.add(s.id, vectors[s.id], dense[s.id])
    touched = {clusterer.cluster_of[s.id] for s in placed}
    # One hop further: what the touched clusters' own heaviest terms propose may now merge with them.
    # A new claim alone in its cluster would propose what it proposed above, all brought back.
    grown = {k: clusterer.clusters[k].sums for k in touched if clusterer.clusters[k].size > 1}
    for s in bring_back(_candidates(store, grown, params, lists)):
        touched.add(clusterer.add(s.id, vectors[s.id], dense[s.id]))
    clusterer.consolidate(around=touched)

    name = _cluster_names(store, clusterer, restored, stale)
    # A stored cluster merged into another, or clustered again, is found through its first member.
    gone = {old.id: name[clusterer.cluster_of[old.members[0]]]
            for key, old in (*restored.items(), *((None, c) for c in stale.values()))
            if key not in clusterer.clusters and old.id not in name.values()}
    changed = [
        c for key, c in clusterer.clusters.items() if key not in restored_version or c.version != restored_version[key]
    ]
    # A cluster's weights are as old as the oldest of the stored clusters it holds brought back as stored.
    weighed_at = {old.members[0]: old.weighed_at for old in restored.values()}

    def stored(claims: list[Statement]) -> list[claim_store.StoredClaim]:
        return [claim_store.StoredClaim(s.id, vectors[s.id], dense[s.id], signals(s.cue, s.content, DEFAULT_STANCE_PARAMS).bits())
                for s in claims]

    new_claims, weighed_again = stored(new), stored(sorted(regrouped.values(), key=_clustering_order))
    by_id = {c.statement_id: c for c in (*new_claims, *weighed_again)}
    new_by_id = {s.id: s for s in new}
    placed_by_id = {**regrouped, **new_by_id}

    def all_members(cluster) -> list[str]:
        """A cluster's members, those of the stored clusters it holds read back where they were not."""
        if not cluster.unheld:
            return cluster.members
        parts = {old.id for old in restored.values() if clusterer.cluster_of[old.members[0]] == cluster.id}
        return [*(m for cluster_id in sorted(parts) for m in claim_store.member_ids(store, cluster_id)),
                *(m for m in cluster.members if m in placed_by_id)]

    # Clustered again alike (a stale cluster's members, and only them, under its name): only its weights are new.
    alike = {c.id for c in changed if name[c.id] in stale and set(stale[name[c.id]].members) == set(c.members)}
    remade, growths = [], []
    for cluster in (c for c in changed if c.id not in alike):
        old_size = restored[cluster.id].size if cluster.id in restored else 0
        # Grown by new statements alone (it absorbed no other stored cluster) and large: grown in place.
        growth = None
        if old_size >= GROW_FROM and cluster.size == old_size + sum(m in new_by_id for m in cluster.members):
            growth = _grow(store, cluster, name[cluster.id], by_id, new_by_id)
        if growth is None:
            remade.append((cluster, all_members(cluster)))
        else:
            growths.append((name[cluster.id], *growth))
    narratives = _narratives(store, remade, by_id, placed_by_id)
    members = [m for _, member_ids in remade for m in member_ids]
    with store.transaction() as conn:
        claim_store.write_clusters(
            conn, new_claims=new_claims, weighed_again=weighed_again,
            cluster_of={i: name[clusterer.cluster_of[i]] for i in placed_by_id},
            changed=[claim_store.StoredCluster(name[c.id], tuple(c.members), c.sums, c.dense, c.size,
                                               min((weighed_at[m] for m in c.members if m in weighed_at), default=counted))
                     for c in changed],
            gone=gone, stored_sums={c.id: c.sums for c in (*restored.values(), *stale.values())}, term_counts=term_counts,
        )
        write_narratives(conn, narratives, replacing=claim_store.narratives_holding(store, members))
        for cluster_id, grown, derived, counts in growths:
            claim_store.keep_signals(conn, derived)
            claim_store.keep_polarity(conn, cluster_id, counts)
            for narrative, added in grown:
                add_evidence(conn, narrative, added)
    return narratives + [narrative for _, grown, _, _ in growths for narrative, _ in grown]


def _clustering_order(statement: Statement) -> tuple:
    """Where a statement comes in the order claims are clustered (claim_store.unclustered_statements):
    its timeline's order."""
    return timeline_key(statement.date, statement.article_id, statement.id)


def _cluster_names(store: Store, clusterer: OnlineClusterer, restored: dict, stale: dict) -> dict[int, str]:
    """The stored id of each in-memory cluster: a restored one keeps its own; another takes the
    name of a stale cluster whose statement it holds ("c" and a statement id: a cluster is named so
    when founded and keeps its name as it grows), so a narrative clustered again alike keeps its
    stored id; else "c" and its first member whose name is free. A name can be held by a cluster
    without its statement (taken out with its article's old version, retract_claims, and come back
    with the new one), so names are looked up, and the first member's with a count after it is the
    last resort. The narratives users see are named by their evidence
    (stories/narratives.py), not by these."""
    name = {key: old.id for key, old in restored.items() if key in clusterer.clusters}
    others = [c for key, c in clusterer.clusters.items() if key not in name]
    # A stale cluster's name is free: its row is written again or dropped here.
    taken = set(name.values()) | (claim_store.taken_cluster_ids(store, [f"c{m}" for c in others for m in c.members]) - set(stale))
    for cluster in others:
        held = [f"c{m}" for m in cluster.members]
        choice = next((n for n in [*(n for n in held if n in stale), *held] if n not in taken), None)
        made = (f"{held[0]}~{count}" for count in itertools.count(1))
        while choice is None or choice in taken:  # every name it could take is held: one is made
            choice = next(made)
            taken |= claim_store.taken_cluster_ids(store, [choice])
        name[cluster.id] = choice
        taken.add(choice)
    return name


def _grow(store: Store, cluster, stored_id: str, new_claims: dict, new_statements: dict):
    """A large stored narrative grown by new statements alone, without reading its old evidence
    (stories/narratives.grow_narrative says what differs from making it whole): ([(narrative as it
    now stands, evidence it gains)], stance signals derived for old members stored without them,
    its polarity counts now), or None when it must be made whole.

    Its polarity counts come from the store where the last growth kept them, so only its latest
    STANCE_CONTEXT members are read; else (the first growth since its row was written) from every
    member's signals once."""
    stored = claim_holding(store, cluster.members[0])
    if stored is None:
        return None
    kept = claim_store.cluster_polarity(store, stored_id)
    if kept is not None and kept[0] != cluster.size - sum(m in new_statements for m in cluster.members):
        kept = None  # counted over other members than it now holds: count again
    rows = claim_store.member_signals(store, stored_id, None if kept is None else STANCE_CONTEXT)
    missing = [i for i, bits, _ in rows if bits is None]
    derived = {s.id: signals(s.cue, s.content, DEFAULT_STANCE_PARAMS).bits()
               for s in claim_store.member_statements(store, missing)}
    old_signals = [Signals.from_bits(derived[i] if bits is None else bits) for i, bits, _ in rows]
    new = [new_statements[m] for m in cluster.members if m in new_statements]
    new_signals = [Signals.from_bits(new_claims[s.id].signals) for s in new]
    before = GroupPolarity(*kept) if kept is not None else polarity(old_signals, [date for _, _, date in rows])
    after = before.grown(new_signals, [s.date for s in new])
    context_ids = [i for i, _, _ in rows[-STANCE_CONTEXT:]]
    order = {i: n for n, i in enumerate(context_ids)}
    context = sorted(claim_store.member_statements(store, context_ids), key=lambda s: order[s.id])
    known = {i: found for (i, _, _), found in zip(rows[-STANCE_CONTEXT:], old_signals[-STANCE_CONTEXT:])}
    known.update((s.id, found) for s, found in zip(new, new_signals))
    articles = store.article_origins(s.article_id for s in new)
    outlets = [articles[s.article_id].outlet if s.article_id in articles else None for s in new]
    claim, counter = stored
    grown = grow_narrative(
        claim, counter, new, context, (before, after), articles, {s.id: new_claims[s.id].vector for s in new},
        cluster.sums, {n.id: outlets_held(store, n.id, outlets) for n in stored if n is not None}, signals=known,
        article_of=partial(_article, store),
    )
    return None if grown is None else (grown, derived, astuple(after))


def _article(store: Store, article_id: str) -> Article | None:
    """One article, read only where a label needs its text (a demonstrative's noun: stories/labels)."""
    return store.articles_by_id([article_id]).get(article_id)


def _narratives(store: Store, changed, new_claims: dict, new_statements: dict) -> list[Narrative]:
    """The narratives of the changed clusters, given as (cluster, all its member ids): those whose
    claim comes from two articles or more, each with its counter-narrative (the statements that
    deny or dispute it) and their stances, from the stance signals each claim keeps (with the
    default stance parameters, which make_narrative uses here)."""
    found = []
    for cluster, member_ids in changed:
        if len(member_ids) < 2:
            continue
        stored = [m for m in member_ids if m not in new_statements]
        members = [*claim_store.member_statements(store, stored), *(new_statements[m] for m in member_ids if m in new_statements)]
        if len({s.article_id for s in members}) < 2:
            continue
        claims = {**{c.statement_id: c for c in claim_store.claims(store, stored)}, **new_claims}
        articles = store.article_origins(s.article_id for s in members)
        narrative = make_narrative(
            members, {i: c.vector for i, c in claims.items()}, cluster.sums, articles,
            signals={i: Signals.from_bits(c.signals) for i, c in claims.items() if c.signals is not None},
            article_of=partial(_article, store),
        )
        if narrative is not None:
            found.append(narrative)
    return found
