"""Entities: the stored name nodes resolved into one entry per real person, organisation and place.

Resolution (nlp/resolve.py) is a function over name nodes; this runs it over the store's nodes,
replays the user's merges and splits, and writes the result in one transaction that also marks
the entities up to date. It needs memory for the distinct names only, not the mentions.
"""

from __future__ import annotations

from functools import lru_cache

from presswatch.nlp.resolve import Decision, NameNode, resolve
from presswatch.store import Store
from presswatch.store.analysis import ENTITIES, is_stale
from presswatch.store.entities import decision_rows, name_rows, node_context, write_resolution

# Contexts of name nodes kept while resolving; a node's context is read at most once per run.
CONTEXT_CACHE = 10_000


def update_entities(store: Store, *, force: bool = False) -> int | None:
    """Resolve the names into entities when mentions changed since the last resolution (or when
    forced); returns how many entities there are, None when nothing needed doing."""
    if not force and not is_stale(store, ENTITIES):
        return None
    nodes = [NameNode(*row) for row in name_rows(store)]
    decisions = [Decision(*row) for row in decision_rows(store)]
    context = lru_cache(maxsize=CONTEXT_CACHE)(lambda node_id: node_context(store, node_id))
    resolution = resolve(nodes, decisions, context=context)
    names = {n.id: n.name for n in nodes}
    merges = [(resolution.entity_of[j.a], names[j.a], names[j.b], j.reason, j.by) for j in resolution.joins]
    write_resolution(store, resolution.entity_of, resolution.entities, merges, everything=force)
    return len(resolution.entities)
