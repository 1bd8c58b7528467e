"""Wire copies collapsed: a list of articles where near-duplicates of one another (one agency story
carried by several outlets; the store links them in `article_links` at ingest) become one row
"carried by N outlets"."""

from __future__ import annotations

import json
from dataclasses import dataclass

from presswatch.records import UNKNOWN_OUTLET
from presswatch.store import Store


@dataclass(frozen=True)
class WireGroup:
    """Articles of a list that are copies of one another, in the list's order: the first stands
    for the group."""

    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]  # the distinct outlets that carried them, in the list's order

    @property
    def lead(self) -> str:
        return self.article_ids[0]


def wire_groups(store: Store, article_ids: list[str]) -> list[WireGroup]:
    """The list's articles in groups of near-duplicates (linked directly or through other copies in
    the list), ordered by each group's first article; an article with no copy in the list is a group
    of one. Copies outside the list are not brought in: the list's filters chose what it holds."""
    ids = list(dict.fromkeys(article_ids))
    position = {article_id: i for i, article_id in enumerate(ids)}
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    listed = json.dumps(ids)
    for a, b in store.conn.execute(
        "SELECT article_id, other_id FROM article_links WHERE kind = 'near_duplicate'"
        " AND article_id IN (SELECT value FROM json_each(?)) AND other_id IN (SELECT value FROM json_each(?))",
        (listed, listed),
    ):
        ra, rb = root(position[a]), root(position[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the earlier in the list leads
    outlet = dict(store.conn.execute(
        "SELECT id, outlet FROM articles WHERE id IN (SELECT value FROM json_each(?))", (listed,)).fetchall())
    members: dict[int, list[str]] = {}
    for i, article_id in enumerate(ids):
        members.setdefault(root(i), []).append(article_id)
    return [
        WireGroup(tuple(group), tuple(dict.fromkeys(outlet.get(a) or UNKNOWN_OUTLET for a in group)))
        for _, group in sorted(members.items())
    ]
