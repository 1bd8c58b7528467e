"""Online clustering over an inverted index, with an average-link consolidation pass.

Stories and narratives are both "group these items, as they arrive, with the ones that say the same
thing", so both use this one clusterer with their own features and parameters.

Why it is shaped this way:
- Each item is a set of unit-length sparse vectors, one per channel (words, names, ...), and maybe a
  dense embedding. The similarity of an item to a cluster is the weighted mean over channels of the
  item's dot product with the cluster's *summed* vectors divided by the cluster size: exactly the
  average-link similarity of agglomerative clustering, but computable from one running sum.
- Candidates come from an inverted index from term to the clusters whose summed vector holds it,
  queried with the item's heaviest terms only, never from all pairs. The dense embedding rescores
  the candidates the terms propose; it proposes none itself (reports of one event share names). Cluster sums keep only their
  heaviest terms, so memory per cluster is bounded.
- With dates, a cluster that has not grown for `window_days` is closed: it leaves the index and
  drops its sums, so memory is bounded by the clusters active within one window, and a story of the
  same kind a year later starts afresh.
- Online assignment depends on arrival order and splits what it meets early; the consolidation pass
  merges clusters greedily by average-link similarity (highest first), which is agglomerative
  clustering started from the online clusters and restricted to the pairs the index proposes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from presswatch.stories.features import Bag

DENSE = "semantic"


@dataclass(frozen=True)
class ClusterParams:
    """Every knob of the clusterer; the defaults of each caller are chosen by a documented search."""

    weights: Mapping[str, float]  # channel -> weight; DENSE weighs the embedding
    join: float  # an item joins its most similar cluster at or above this similarity
    merge: float  # consolidation merges two clusters at or above this average-link similarity
    attach: float  # ... or this one, for a cluster of at most `small` items beside a larger one
    pair: float  # ... or this one, when both are that small: few items make a noisy average
    small: int = 1
    window_days: float | None = None  # None: time never separates clusters
    query_terms: int = 20  # heaviest terms per channel of an item looked up in the index
    candidates: int = 10  # clusters scored in full, the best by the index's partial score
    kept_terms: int = 400  # heaviest terms per channel a cluster sum keeps
    # A query term held by more active clusters than this proposes none of them: it is too common
    # to tell them apart, and reading its list would make every search cost what the window holds
    # (bench/archive.py: 80% of the stories step at 6k articles). None: every term is read.
    common_clusters: int | None = None
    # Best-member link (narratives): a restatement resembles one earlier statement more than the
    # average of a trail that has grown broad. When set, a group scores max(average link, its most
    # similar pair of members - member_margin), the second only where the average reaches member_floor.
    member_margin: float | None = None
    member_floor: float = 0.0
    member_sample: int = 32  # the most recent members of each side compared, so cost stays bounded
    # Channels every link must share (stories: words): channel -> the least average-link similarity
    # on that weighted channel, below which two groups are not linked whatever the others say.
    floors: Mapping[str, float] = field(default_factory=dict)
    # Channels on which two established groups (both over `small` items) must be about the same
    # thing (stories: names): channel -> a penalty, times how far neither group's heaviest term
    # stands in the other: 1 - (its weight there / the other's heaviest weight) / conflict_agree,
    # the greater of the two ways, at least 0. Two events of one kind share their vocabulary and
    # many names (a city, a team) but not the person or place each report is chiefly about. Two
    # small groups are spared: one report's heaviest name is as often a side name (but see
    # piece_conflict).
    conflicts: Mapping[str, float] = field(default_factory=dict)
    conflict_agree: float = 1.0
    # The share of those penalties a small group (a piece of a few reports) bears beside an
    # established one: its heaviest name is as often a side name, so the penalty is lighter, enough
    # to keep apart a piece that shares little else with the story (a deputy killed in another town
    # and year) and too little to turn away a piece that shares much.
    piece_conflict: float = 0.0
    # Small pieces find each other first: before the consolidation proper, two small clusters whose
    # union is still small merge at this lower similarity when each is at least as similar to the
    # other as to any established cluster. Early reports of a topic's second event otherwise attach
    # (at `attach`) to the first event's established cluster, since two small pieces need `pair`.
    # None: no such first pass.
    pair_rival: float | None = None


@dataclass
class Cluster:
    id: int
    members: list[str] = field(default_factory=list)
    sums: dict[str, dict[str, float]] = field(default_factory=dict)
    dense: np.ndarray | None = None
    first_day: float | None = None
    last_day: float | None = None
    version: int = 0
    active: bool = True
    summary: dict[str, list[str]] = field(default_factory=dict)  # heaviest terms, kept once sums go
    unheld: int = 0  # members of a restored cluster not brought back with it (restore's `size`)

    @property
    def size(self) -> int:
        return len(self.members) + self.unheld


class OnlineClusterer:
    def __init__(self, params: ClusterParams):
        self.params = params
        self.clusters: dict[int, Cluster] = {}
        self.cluster_of: dict[str, int] = {}
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._ids = itertools.count()
        self._swept_to: float | None = None
        self._items: dict[str, tuple[Mapping[str, Bag], np.ndarray | None]] = {}  # best-member link only
        # Active cluster -> its version when a full consolidation last left it (or it was restored
        # from the store, where the update that stored it had consolidated it): see consolidate.
        self._settled: dict[int, int] = {}

    # -- assignment ------------------------------------------------------------------------------

    def add(
        self,
        item_id: str,
        vectors: Mapping[str, Bag],
        dense: np.ndarray | None = None,
        day: float | None = None,
        linked: Iterable[str] = (),
    ) -> int:
        """Put one item in the most similar active cluster, or a new one; returns the cluster id.

        `linked` names items that must share this item's cluster (near-duplicates): the item joins
        the cluster of the first one already placed, whatever the similarity.
        """
        if day is not None:
            self._sweep(day)
        target = next((self.cluster_of[i] for i in linked if i in self.cluster_of), None)
        if target is not None and not self.clusters[target].active:
            target = None
        if target is None:
            best = self._best(vectors, dense, day)
            if best is not None and best[0] >= self.params.join:
                target = best[1]
        cluster = self.clusters[target] if target is not None else self._new_cluster()
        self._remember(item_id, vectors, dense)
        self._absorb(cluster, [item_id], vectors, dense, day, day)
        return cluster.id

    def add_group(self, items: Iterable[tuple[str, Mapping[str, Bag], np.ndarray | None, float | None]]) -> int:
        """Re-create a known cluster (a stored story or narrative) from its members, as it was."""
        cluster = self._new_cluster()
        for item_id, vectors, dense, day in items:
            self._remember(item_id, vectors, dense)
            self._absorb(cluster, [item_id], vectors, dense, day, day)
        return cluster.id

    def restore(
        self,
        members: Sequence[str],
        sums: Mapping[str, Bag],
        dense: np.ndarray | None,
        recent: Mapping[str, tuple[Mapping[str, Bag], np.ndarray | None]] = {},
        days: tuple[float | None, float | None] = (None, None),
        size: int | None = None,
    ) -> int:
        """Re-create a stored cluster from its stored sums, without re-adding its members, so a
        cluster of any size costs the same to bring back. `recent` holds the vectors of its most
        recent members, which the best-member link compares; `days` its first and last day.
        `members` may hold only the first and the latest `member_sample` of a large cluster (all
        that assignment and consolidation read of them), with `size` counting them all."""
        cluster = self._new_cluster()
        for item_id, (vectors, item_dense) in recent.items():
            self._remember(item_id, vectors, item_dense)
        self._absorb(cluster, list(members), sums, dense, *days)
        cluster.unheld = 0 if size is None else size - len(members)
        self._settled[cluster.id] = cluster.version
        return cluster.id

    def _remember(self, item_id: str, vectors: Mapping[str, Bag], dense: np.ndarray | None) -> None:
        if self.params.member_margin is not None:
            self._items[item_id] = (vectors, dense)

    def _best(self, vectors, dense, day) -> tuple[float, int] | None:
        scored = [
            (self._link(vectors, dense, 1, self.clusters[cid], (vectors, dense)), cid)
            for cid in self._candidates(vectors)
            if self._in_window(self.clusters[cid], day, day)
        ]
        return max(scored, default=None)

    def _candidates(self, vectors: Mapping[str, Bag], exclude: int | None = None) -> list[int]:
        """The clusters sharing the most weight with the item's heaviest terms, from the index."""
        partial: dict[int, float] = {}
        weights, common, clusters = self.params.weights, self.params.common_clusters, self.clusters
        for channel, bag in vectors.items():
            weight = weights.get(channel, 0.0)
            if not weight:
                continue
            for term in heaviest(bag, self.params.query_terms):
                posting = self._postings.get((channel, term), {})
                if common is not None and len(posting) > common:
                    continue
                value = weight * bag[term]
                for cid, summed in posting.items():
                    partial[cid] = partial.get(cid, 0.0) + value * summed / clusters[cid].size
        partial.pop(exclude, None)
        return heaviest(partial, self.params.candidates)

    def _link(self, vectors, dense, size: int, cluster: Cluster, item=None, members=()) -> float:
        """How strongly a group joins a cluster: average link, or best-member link where enabled.

        The group is given by its summed vectors and either one new `item` (vectors, dense) or the
        ids of its `members`.
        """
        average = self._similarity(vectors, dense, size, cluster.sums, cluster.dense, cluster.size)
        margin = self.params.member_margin
        if margin is None or average < self.params.member_floor:
            return average
        recent = self.params.member_sample
        ours = [item] if item is not None else [self._items[i] for i in members[-recent:]]
        theirs = [self._items[i] for i in cluster.members[-recent:]]
        best = max(self._similarity(a[0], a[1], 1, b[0], b[1], 1) for a in ours for b in theirs)
        return max(average, best - margin)

    def _similarity(self, vectors, dense, size: int, sums, summed_dense, other_size: int) -> float:
        """Average-link similarity between two groups of `size` and `other_size` items, given by sums."""
        total = 0.0
        weights, floors = self.params.weights, self.params.floors
        if any(channel not in vectors or channel not in sums for channel in floors):
            return 0.0
        for channel, bag in vectors.items():
            weight = weights.get(channel, 0.0)
            theirs = sums.get(channel)
            if not weight or not theirs:
                continue
            if len(bag) > len(theirs):
                bag, theirs = theirs, bag
            # Only shared terms count; skipping the others (not adding 0.0) gives the same sum, 3x
            # faster: this line was 13% of bench/archive.py's steady-state batch (profiled, issue 12).
            shared = sum(v * theirs[t] for t, v in bag.items() if t in theirs)
            if shared < floors.get(channel, 0.0) * size * other_size:
                return 0.0
            total += weight * shared
        if dense is not None and summed_dense is not None and weights.get(DENSE):
            total += weights[DENSE] * float(dense @ summed_dense)
        score = total / (size * other_size * self._weight_sum)
        if max(size, other_size) <= self.params.small:
            return score
        scale = 1.0 if min(size, other_size) > self.params.small else self.params.piece_conflict
        for channel, penalty in self.params.conflicts.items():
            ours, theirs = vectors.get(channel), sums.get(channel)
            if ours and theirs:
                score -= scale * penalty * _conflict(ours, theirs, self.params.conflict_agree)
        return score

    @property
    def _weight_sum(self) -> float:
        return sum(self.params.weights.values()) or 1.0

    def _in_window(self, cluster: Cluster, first: float | None, last: float | None) -> bool:
        window = self.params.window_days
        if window is None or first is None or cluster.first_day is None:
            return True
        return first - window <= cluster.last_day and cluster.first_day <= last + window

    # -- cluster bookkeeping -----------------------------------------------------------------------

    def _new_cluster(self) -> Cluster:
        cluster = Cluster(next(self._ids))
        self.clusters[cluster.id] = cluster
        return cluster

    def _absorb(self, cluster: Cluster, members, vectors, dense, first, last) -> None:
        cluster.members.extend(members)
        for item in members:
            self.cluster_of[item] = cluster.id
        for channel, bag in vectors.items():
            sums = cluster.sums.setdefault(channel, {})
            for term, value in bag.items():
                sums[term] = sums.get(term, 0.0) + value
                self._postings.setdefault((channel, term), {})[cluster.id] = sums[term]
            if len(sums) > 2 * self.params.kept_terms:
                kept = set(heaviest(sums, self.params.kept_terms))
                for term in [t for t in sums if t not in kept]:
                    del sums[term]
                    self._unpost(channel, term, cluster.id)
        if dense is not None:
            cluster.dense = dense.copy() if cluster.dense is None else cluster.dense + dense
        if first is not None:
            cluster.first_day = first if cluster.first_day is None else min(cluster.first_day, first)
            cluster.last_day = last if cluster.last_day is None else max(cluster.last_day, last)
        cluster.version += 1

    def _unpost(self, channel: str, term: str, cluster_id: int) -> None:
        posting = self._postings.get((channel, term))
        if posting is not None:
            posting.pop(cluster_id, None)
            if not posting:
                del self._postings[(channel, term)]

    def _retire(self, cluster: Cluster) -> None:
        """Take a cluster out of the index and free its sums; its members stay recorded."""
        for channel, sums in cluster.sums.items():
            for term in sums:
                self._unpost(channel, term, cluster.id)
        cluster.summary = self.top_terms(cluster)
        cluster.sums, cluster.dense, cluster.active = {}, None, False
        self._settled.pop(cluster.id, None)

    def _merge(self, keep: Cluster, gone: Cluster) -> None:
        keep.unheld += gone.unheld
        self._absorb(keep, gone.members, gone.sums, gone.dense, gone.first_day, gone.last_day)
        self._retire(gone)
        del self.clusters[gone.id]

    def _sweep(self, day: float) -> None:
        """Consolidate and close the clusters that fell out of the time window (items in date order)."""
        window = self.params.window_days
        if window is None:
            return
        if self._swept_to is None:
            self._swept_to = day
        if day - self._swept_to < window / 2:
            return
        self._swept_to = day
        self.consolidate()
        for cluster in list(self.clusters.values()):
            if cluster.active and cluster.last_day is not None and cluster.last_day < day - window:
                self._retire(cluster)

    # -- consolidation ---------------------------------------------------------------------------

    def consolidate(self, around: Iterable[int] | None = None) -> None:
        """Merge active clusters greedily, most similar pair first, while a pair passes its threshold.

        A pair whose cluster changed since it was scored is scored again with the cluster it is now
        part of, so a candidate proposed before a merge is not lost by it. With `around`, only
        pairs that hold one of those clusters (or what they merge into) are considered: an update
        that brought stored clusters back to meet its new items leaves the pairs among the stored
        ones as the runs that stored them left them, so its cost follows what it touched. Without
        it, the pairs that hold a cluster changed since the last full consolidation (or not
        restored as stored): two clusters that have not changed since were scored then, so the
        sweeps of a long run, and an update among the open stories it brought back, cost what
        changed since (bench/archive.py: over half of a steady batch's stories step went to scoring
        them again).
        """
        settled = self._settled
        full = around is None
        around = (
            [c.id for c in self.clusters.values() if c.active and settled.get(c.id) != c.version] if full else list(around)
        )
        if self.params.pair_rival is not None:
            around = self._consolidate(around, self._rivals_threshold())
        self._consolidate(around, lambda a, b, similarity: self._threshold(a.size, b.size))
        if full:
            settled.clear()
            settled.update((c.id, c.version) for c in self.clusters.values() if c.active)

    def _consolidate(self, around: list[int], threshold) -> list[int]:
        """One greedy pass of `consolidate`, merging a pair that reaches `threshold(a, b, similarity)`;
        returns what the `around` clusters are now part of."""
        heap: list[tuple[float, int, int, int, int]] = []
        merged_into: dict[int, int] = {}

        def push(cluster: Cluster, other: Cluster) -> None:
            if not self._in_window(other, cluster.first_day, cluster.last_day):
                return
            similarity = self._link(cluster.sums, cluster.dense, cluster.size, other, members=cluster.members)
            if similarity >= threshold(cluster, other, similarity):
                heapq.heappush(heap, (-similarity, cluster.id, cluster.version, other.id, other.version))

        def current(cluster_id: int) -> int:
            while cluster_id in merged_into:
                cluster_id = merged_into[cluster_id]
            return cluster_id

        for cluster in [c for c in map(self.clusters.get, around) if c.active]:
            for other_id in self._candidates(cluster.sums, exclude=cluster.id):
                push(cluster, self.clusters[other_id])
        while heap:
            _, a, version_a, b, version_b = heapq.heappop(heap)
            first, second = self.clusters[current(a)], self.clusters[current(b)]
            if first is second:
                continue
            if (first.id, first.version, second.id, second.version) != (a, version_a, b, version_b):
                push(first, second)
                continue
            keep, gone = (first, second) if first.size >= second.size else (second, first)
            self._merge(keep, gone)
            merged_into[gone.id] = keep.id
            for other_id in self._candidates(keep.sums, exclude=keep.id):
                push(keep, self.clusters[other_id])
        return list(dict.fromkeys(current(i) for i in around))

    def _rivals_threshold(self):
        """The first pass's threshold: `pair_rival` for two small clusters whose union stays small and
        that each prefer the other to every established cluster the index proposes; else no merge.

        The first pass merges only small clusters into small ones, so an established cluster does not
        change during it and each small cluster's best link to one is kept per version."""
        small, rival_threshold = self.params.small, self.params.pair_rival
        best_established: dict[tuple[int, int], float] = {}

        def established_link(side: Cluster) -> float:
            key = (side.id, side.version)
            if key not in best_established:
                best_established[key] = max(
                    (
                        self._link(side.sums, side.dense, side.size, rival, members=side.members)
                        for rival in map(self.clusters.get, self._candidates(side.sums, exclude=side.id))
                        if rival.size > small and self._in_window(rival, side.first_day, side.last_day)
                    ),
                    default=0.0,
                )
            return best_established[key]

        def threshold(cluster: Cluster, other: Cluster, similarity: float) -> float:
            if cluster.size + other.size > small or similarity < rival_threshold:
                return float("inf")
            if any(established_link(side) > similarity for side in (cluster, other)):
                return float("inf")
            return rival_threshold

        return threshold

    def _threshold(self, size: int, other_size: int) -> float:
        small = self.params.small
        if max(size, other_size) <= small:
            return self.params.pair
        # A small cluster beside an established one is likely a piece of it that arrived early.
        return self.params.attach if min(size, other_size) <= small else self.params.merge

    def top_terms(self, cluster: Cluster, count: int = 10) -> dict[str, list[str]]:
        """Each channel's heaviest terms: what labels and describes a cluster, open or closed."""
        if not cluster.active:
            return cluster.summary
        return {channel: heaviest(sums, count, ordered=True) for channel, sums in cluster.sums.items()}


def _conflict(a: Mapping[str, float], b: Mapping[str, float], agree: float) -> float:
    """How far two summed vectors are about different things (see ClusterParams.conflicts)."""
    top_a, top_b = max(a, key=a.get), max(b, key=b.get)
    shared = max(b.get(top_a, 0.0) / b[top_b], a.get(top_b, 0.0) / a[top_a])
    return max(0.0, 1.0 - shared / agree)


def heaviest(bag: Mapping[str, float], count: int, ordered: bool = False) -> list[str]:
    """The `count` heaviest terms of a bag (ties by term, so the choice is stable); the index's
    queries and a stored cluster's candidates (engine/narratives.py) both pick terms this way."""
    if len(bag) <= count and not ordered:
        return list(bag)
    # (weight, term) pairs compared as the key (bag[t], t) would be, without a call per term.
    return [term for _, term in heapq.nlargest(count, zip(bag.values(), bag))]
