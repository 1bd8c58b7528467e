"""Document frequencies for weighing what an update clusters, from the counts the store keeps.

An update needs the frequencies of the terms it weighs only: the new items' terms and those of
the stored items it brings back. They come from the store's table of what was clustered before
(plus, where one is given, a background table learned elsewhere) and the new items themselves, so
weighing costs what is new, not what is stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from presswatch.store import Store
from presswatch.store.frequencies import term_documents
from presswatch.stories.features import DocumentFrequencies, Features


def stored_frequencies(
    store: Store,
    kind: str,
    new: Sequence[Features],
    *,
    also: Iterable[Features] = (),
    background: tuple[int, Mapping[str, Mapping[str, int]]] | None = None,
) -> tuple[DocumentFrequencies, Counter]:
    """Frequencies that count the stored items of `kind`, the `new` ones and the background, for
    the terms of `new` and `also`; with the new items' own (channel, term) counts, which the
    caller adds to the store when it writes them."""
    counted = Counter((channel, term) for f in new for channel, bag in f.items() for term in bag)
    wanted = set(counted) | {(channel, term) for f in also for channel, bag in f.items() for term in bag}
    stored_total, stored = term_documents(store, kind, wanted)
    documents, table = background or (0, {})
    frequencies = DocumentFrequencies.from_counts(documents + stored_total + len(new), {})
    for channel, term in wanted:
        frequencies.counts.setdefault(channel, Counter())[term] = (
            table.get(channel, {}).get(term, 0) + stored.get((channel, term), 0) + counted.get((channel, term), 0)
        )
    return frequencies, counted


# What was weighed is weighed again once the store has counted more than this many times the items
# it had counted when the weights were taken: a term's document frequency in a small store is far
# from the one it settles to, and the clusters weighed with it keep what it made them join. Stored
# stories (engine/corpus.py) and narratives (engine/narratives.py) are clustered again from their
# members at that point, so the work is a constant share of the updates (each cluster once per
# growth step). Chosen on ECB+ train page by page for stories (engine/corpus.py has the figures;
# 2.0 kept less of the batch's grouping), and measured, not chosen again, for narratives
# (MEASUREMENTS.md, "Narratives built page by page").
REWEIGH_GROWTH = 1.25


def weighed_long_ago(weighed_at: int, counted: int) -> bool:
    """Whether weights taken when the store had counted `weighed_at` items of a kind are to be taken
    again now that it counts `counted`."""
    return weighed_at * REWEIGH_GROWTH < counted
