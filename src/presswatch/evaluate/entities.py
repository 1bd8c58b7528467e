"""Entities against the seed gold: same-entity pairs, people, roles, organisations and places.

- same_entity: pairwise precision and recall over the names of the gold `same_entity` groups that
  occur in the pages. Each name is read as presswatch reads it in the pages that use it (the
  entity most of its uses resolve to); two names are merged when they get the same entity.
- people / organizations / places: a gold name is found when it resolves, in its page, to an
  entity of that type.
- roles: a gold role is matched when the person's entity was given, in that page, a role with the
  same words, ignoring case, articles, possessive endings, punctuation and word order.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

from presswatch.names import fold
from presswatch.records import TEXT, Article, Page
from presswatch.store import Store
from presswatch.engine.analyse import analyse
from presswatch.store.entities import resolve_name

_ARTICLES = frozenset({"a", "an", "the"})


def score_seed_entities(gold: dict, articles: dict[str, Article], *, nlp=None, details: bool = False) -> dict:
    """Score entity resolution over `articles` (doc id -> Article) against the seed `gold`."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "entities.db") as store:
        for doc_id, article in articles.items():
            store.add_page(Page(id=article.page_id, source=doc_id, kind=TEXT, content=article.body), article)
        analyse(store)
        return _score(store, gold, articles, details)


def _score(store: Store, gold: dict, articles: dict[str, Article], details: bool) -> dict:
    result: dict = {"same_entity": _pairwise(store, gold, articles)}
    missed: dict[str, list] = {"people": [], "roles": [], "organizations": [], "places": []}
    kinds = {"people": "person", "organizations": "organization", "places": "place"}
    counts = {k: {"found": 0, "n": 0} for k in kinds}
    roles = {"correct": 0, "n": 0}
    for doc in gold["documents"]:
        article = articles.get(doc["id"])
        for kind, type_ in kinds.items():
            names = doc.get(kind) or {}
            for name in names:
                counts[kind]["n"] += 1
                entity = resolve_name(name, store, article.id) if article else None
                if entity is not None and _entity_type(store, entity) == type_:
                    counts[kind]["found"] += 1
                else:
                    missed[kind].append(f"{doc['id']}: {name}")
        for name, role in (doc.get("people") or {}).items():
            if not role:
                continue
            roles["n"] += 1
            entity = resolve_name(name, store, article.id) if article else None
            given = _roles_given(store, entity, article.id) if entity else []
            if any(_role_words(r) == _role_words(role) for r in given):
                roles["correct"] += 1
            else:
                missed["roles"].append(f"{doc['id']}: {name}: gold {role!r}, found {given}")
    result.update({"people": counts["people"], "roles": roles, "organizations": counts["organizations"], "places": counts["places"]})
    result["same_entity"], pairs_missed = result["same_entity"]
    if details:
        result["missed"] = {**missed, "same_entity": pairs_missed}
    return result


def _pairwise(store: Store, gold: dict, articles: dict[str, Article]):
    groups = [g for g in (gold.get("same_entity") or []) if g]
    for doc in gold["documents"]:
        groups += [g for g in (doc.get("same_entity") or []) if g]
    names: dict[str, int] = {}
    for number, group in enumerate(groups):
        for name in group:
            if any(_occurs(name, a.body) for a in articles.values()):
                names.setdefault(name, number)
    entity = {name: _reading(store, name, articles) for name in names}
    tp = fp = fn = 0
    wrong: list[str] = []
    for a, b in combinations(sorted(names), 2):
        same_gold = names[a] == names[b]
        same_pred = entity[a] is not None and entity[a] == entity[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
        if same_gold != same_pred:
            wrong.append(f"{'merged' if same_pred else 'apart'}: {a} / {b}")
    if len(names) < 2:
        # No pair of gold names occurs in the pages (e.g. extraction found no text): undefined.
        return {"precision": None, "recall": None, "names": len(names), "pairs": 0}, wrong
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "names": len(names), "pairs": tp + fn}, wrong


def _reading(store: Store, name: str, articles: dict[str, Article]) -> str | None:
    votes = Counter(
        resolve_name(name, store, a.id) for a in articles.values() if _occurs(name, a.body)
    )
    votes.pop(None, None)
    return votes.most_common(1)[0][0] if votes else None


def _occurs(name: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def _entity_type(store: Store, entity_id: str) -> str | None:
    row = store.conn.execute("SELECT type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return row[0] if row else None


def _roles_given(store: Store, entity_id: str, article_id: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT r.role FROM entity_roles r JOIN entity_names n ON n.id = r.name_id"
        " WHERE n.entity_id = ? AND r.article_id = ?",
        (entity_id, article_id),
    )
    return [r[0] for r in rows]


def _role_words(role: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", fold(role).lower())
    words = [re.sub(r"'s?$", "", w) for w in words]
    return tuple(sorted(w for w in words if w and w not in _ARTICLES))
