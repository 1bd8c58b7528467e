"""Entities: the stored name nodes resolved into one entry per real person, organisation and place.

Resolution (nlp/resolve.py) is a function over name nodes; this runs it over the store's nodes,
replays the user's merges and splits, and writes the result in one transaction that also marks
the entities up to date. It needs memory for the distinct names only, not the mentions.

An update resolves only the nodes its mentions touched and the nodes they can be compared with,
again and again (their closure under shared block keys, found through the `name_blocks` index):
every rule compares only nodes that share a key, so the closure resolves alone exactly as within
all nodes, and the others keep their entities. All nodes are resolved when forced, when the user
has made decisions (they name nodes by key, outside any block), when the stored keys are not
complete yet, or when the closure is most of the nodes anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from presswatch.names import name_key, outlet_parts
from presswatch.nlp.resolve import Decision, NameNode, block_keys, resolve
from presswatch.store import Store
from presswatch.store.analysis import ENTITIES, NAME_BLOCKS, is_stale, mark_fresh
from presswatch.store.entities import (
    blocked_closure,
    corpus_outlets,
    decision_rows,
    link_siblings,
    name_count,
    name_rows,
    names_with_blocks,
    node_context,
    touched_name_ids,
    touched_outlets,
    write_name_blocks,
    write_resolution,
)

# Contexts of name nodes kept while resolving; a node's context is read at most once per run.
CONTEXT_CACHE = 10_000


def update_entities(store: Store, *, force: bool = False) -> int | None:
    """Resolve the names into entities when mentions changed since the last resolution (or when
    forced); returns how many entities were written again, None when nothing needed doing."""
    if not force and not is_stale(store, ENTITIES):
        return None
    decisions = [Decision(*row) for row in decision_rows(store)]
    region = None
    if not force and not decisions and not is_stale(store, NAME_BLOCKS):
        region = touched_region(store)
    nodes = [NameNode(*row) for row in name_rows(store, region)]
    if region is None:
        _store_blocks(store, nodes, everything=True)  # before resolving, which retypes nodes
    context = lru_cache(maxsize=CONTEXT_CACHE)(lambda node_id: node_context(store, node_id))
    resolution = resolve(nodes, decisions, context=context, outlets=corpus_outlets(store))
    names = {n.id: n.name for n in nodes}
    merges = [(resolution.entity_of[j.a], names[j.a], names[j.b], j.reason, j.by) for j in resolution.joins]
    written = write_resolution(store, resolution.entity_of, resolution.entities, merges, everything=force)
    if region is None:
        mark_fresh(store, NAME_BLOCKS)
    return written


def touched_region(store: Store) -> list[int] | None:
    """The ids of the touched nodes' closure under shared block keys, or None when it holds more
    than half of all nodes. The keys of the touched nodes, and of the nodes sharing their link key
    (whose possible types a new node can change), are computed afresh first. The closure also
    starts from the names closing in the last word of a touched article's outlet: an outlet new
    to the corpus, or one newly sharing a short form, changes what they stand for (`resolve`'s
    `_link_outlets`)."""
    touched = touched_name_ids(store)
    _store_blocks(store, [NameNode(*row) for row in name_rows(store, link_siblings(store, touched))])
    outlet_words = {"word:" + words[-1] for outlet in touched_outlets(store) for part in outlet_parts(outlet)
                    if (words := name_key(part).split())}
    seeds = sorted(set(touched) | set(names_with_blocks(store, sorted(outlet_words))))
    return blocked_closure(store, seeds, cap=name_count(store) // 2)


def _store_blocks(store: Store, nodes: Sequence[NameNode], *, everything: bool = False) -> None:
    """Store the block keys of `nodes`, which hold every node of each of their link keys."""
    link_types: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        link_types[node.link_key].add(node.type)
    write_name_blocks(store, {n.id: block_keys(n, link_types[n.link_key]) for n in nodes}, everything=everything)
