"""Entities against labelled data: CoNLL-style recognition and typing, and the seed gold.

CoNLL (`score_conll`, the `ner/` section of `shared/eval/README.md`): the sentences of one
`doc_id`, in file order, make one article (tokens joined by spaces, one sentence a line, so every
gold token has known character offsets); presswatch reads it as it reads any article, and each
mention is scored by exact span and type (conlleval convention), PER = person, ORG =
organization, LOC = place. MISC is not scored: a gold MISC span is not to be found, and a
nationality mention ("German") is presswatch's reading of most MISC spans, so it is neither a
hit nor a false alarm; a person, organisation or place mention on a MISC span is a false alarm.

Seed gold (`score_seed_entities`): same-entity pairs, people, roles, organisations and places.

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

from presswatch.engine.analyse import analyse
from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import numbered_rows
from presswatch.evaluate.metrics import prf
from presswatch.names import fold
from presswatch.nlp.mentions import extract_mentions
from presswatch.records import ORGANIZATION, PERSON, PLACE, TEXT, Article, Page
from presswatch.store import Store
from presswatch.store.entities import resolve_name

_ARTICLES = frozenset({"a", "an", "the"})
# The scored CoNLL types and the presswatch type each stands for (the data README's mapping).
CONLL_TYPES = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": PLACE}
_CONLL_OF = {v: k for k, v in CONLL_TYPES.items()}


def conll_documents(path: Path) -> list[tuple[Article, list[tuple[int, int, str]], int]]:
    """Each document of a CoNLL-style file as an article, its scored gold spans (character start,
    end, CoNLL type) and its number of sentences."""
    docs: dict[str, list[tuple[int, dict]]] = {}
    for number, row in numbered_rows(path):
        if not isinstance(row.get("tokens"), list) or not isinstance(row.get("entities"), list):
            raise DataFormatError(f"{path}:{number}: expected `tokens` and `entities` lists (CoNLL-style row)")
        docs.setdefault(str(row.get("doc_id", row.get("id", number))), []).append((number, row))
    out = []
    for doc_id, rows in docs.items():
        lines, gold, offset = [], [], 0
        for number, row in rows:
            starts, pieces, at = [], [], offset
            for token in row["tokens"]:
                starts.append(at)
                pieces.append(str(token))
                at += len(str(token)) + 1
            for entity in row["entities"]:
                try:
                    start, end, type_ = int(entity["start"]), int(entity["end"]), entity["type"]
                    span = (starts[start], starts[end - 1] + len(pieces[end - 1]))
                except (KeyError, TypeError, ValueError, IndexError) as exc:
                    raise DataFormatError(f"{path}:{number}: entity {entity!r} does not fit the tokens") from exc
                if type_ in CONLL_TYPES:
                    gold.append((*span, type_))
            lines.append(" ".join(pieces))
            offset += len(lines[-1]) + 1
        body = "\n".join(lines)
        article = Article(id=doc_id, page_id=doc_id, url=None, title=None, body=body, paragraphs=tuple(lines), language="en")
        out.append((article, gold, len(rows)))
    return out


def score_conll(path: Path, *, nlp=None) -> dict:
    """Exact-span precision, recall and F1 per CoNLL type and micro-averaged over PER, ORG, LOC."""
    documents = conll_documents(path)
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in CONLL_TYPES}
    found = extract_mentions((a for a, _, _ in documents), nlp=nlp)
    for (article, gold, _), (_, mentions) in zip(documents, found, strict=True):
        predicted = {(m.start, m.end, _CONLL_OF[m.type]) for m in mentions if m.type in _CONLL_OF}
        truth = set(gold)
        for start, end, type_ in predicted:
            counts[type_]["tp" if (start, end, type_) in truth else "fp"] += 1
        for span in truth - predicted:
            counts[span[2]]["fn"] += 1
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    return {
        "sentences": sum(n for _, _, n in documents),
        "micro": prf(total["tp"], total["fp"], total["fn"]),
        "per_type": {t: prf(c["tp"], c["fp"], c["fn"]) for t, c in counts.items()},
    }


def score_seed_entities(gold: dict, articles: dict[str, Article]) -> dict:
    """Score entity resolution over `articles` (doc id -> Article) against the seed `gold`."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "entities.db") as store:
        for doc_id, article in articles.items():
            store.add_page(Page(id=article.page_id, source=doc_id, kind=TEXT, content=article.body), article)
        analyse(store)
        return _score(store, gold, articles)


def _score(store: Store, gold: dict, articles: dict[str, Article]) -> dict:
    result: dict = {"same_entity": _pairwise(store, gold, articles)}
    kinds = {"people": PERSON, "organizations": ORGANIZATION, "places": PLACE}
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
        for name, role in (doc.get("people") or {}).items():
            if not role:
                continue
            roles["n"] += 1
            entity = resolve_name(name, store, article.id) if article else None
            given = _roles_given(store, entity, article.id) if entity else []
            if any(_role_words(r) == _role_words(role) for r in given):
                roles["correct"] += 1
    result.update({"people": counts["people"], "roles": roles, "organizations": counts["organizations"], "places": counts["places"]})
    return result


def _pairwise(store: Store, gold: dict, articles: dict[str, Article]) -> dict:
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
    for a, b in combinations(sorted(names), 2):
        same_gold = names[a] == names[b]
        same_pred = entity[a] is not None and entity[a] == entity[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    if len(names) < 2:
        # No pair of gold names occurs in the pages (e.g. extraction found no text): undefined.
        return {"precision": None, "recall": None, "names": len(names), "pairs": 0}
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "names": len(names), "pairs": tp + fn}


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
