"""`presswatch eval seeds DIR`: the founding pages against their hand gold (DIR/gold.json).

The rules are those of the seeds README: body by token P/R/F1 against `body_text` (mean over
pages), metadata fields compared ignoring case and spacing, where a value against a null gold is
wrong. Later stages add their parts (statements, entities, stories) to the same scorecard.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from presswatch.errors import DataFormatError, PresswatchError
from presswatch.evaluate.metrics import collapse_ws, token_prf
from presswatch.extract import extract
from presswatch.records import TEXT, Article, Page
from presswatch.semantic import Embedder

FIELDS = ("title", "outlet", "published", "author", "credited_source")
_TIME_TAIL = re.compile(r"^(:00)?(\.0+)?(z|[+-]\d\d:?\d\d)?$")


def load_gold(directory: Path) -> dict:
    path = directory / "gold.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFormatError(
            f"cannot read {path}: {exc.strerror}; give a folder holding gold.json and its pages/*.txt"
        ) from exc
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("documents"), list):
        raise DataFormatError(f"{path}: expected an object with a `documents` list")
    fault = _shape_fault(gold)
    if fault:
        raise DataFormatError(f"{path}: {fault}")
    return gold


def _shape_fault(gold: dict) -> str | None:
    """What the scoring needs and the gold lacks (the seeds README's format), before any page is
    read, or None: a fault found mid-score would be a traceback after minutes of parsing."""
    for number, doc in enumerate(gold["documents"], 1):
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            return f"document {number} has no `id` (the name of its page in pages/)"
        statements = doc.get("statements")
        if not isinstance(statements, list) or not all(
            isinstance(st, dict) and isinstance(st.get("speaker"), str) and isinstance(st.get("content_anchor"), str)
            for st in statements
        ):
            return f"document {doc['id']}: `statements` must be a list of objects with `speaker` and `content_anchor`"
    stories = gold.get("stories")
    if not isinstance(stories, dict) or not isinstance(stories.get("groups"), list) or not all(
        isinstance(group, list) for group in stories["groups"]
    ):
        return "`stories` must be an object whose `groups` lists the documents of each story"
    return None


def read_seed_pages(directory: Path, gold: dict) -> dict[str, Page]:
    pages = {}
    for doc in gold["documents"]:
        path = directory / "pages" / f"{doc['id']}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFormatError(f"gold names {doc['id']} but {path} cannot be read: {exc.strerror}") from exc
        pages[doc["id"]] = Page.make(str(path), TEXT, text)
    return pages


def field_matches(field: str, predicted: str | None, gold: str | None) -> bool:
    pred, true = collapse_ws(predicted or "").lower(), collapse_ws(gold or "").lower()
    if not true:
        return not pred
    if field == "published":
        # "2021-10-14T15:20:00+00:00" says no more than gold's "2021-10-14T15:20".
        return pred.startswith(true) and bool(_TIME_TAIL.match(pred[len(true):]))
    return pred == true


def evaluate_seeds(directory: Path, embed: Embedder | None = None) -> dict:
    gold = load_gold(directory)
    pages = read_seed_pages(directory, gold)
    articles: dict[str, Article | None] = {}
    for doc_id, page in pages.items():
        try:
            articles[doc_id] = extract(page)
        except PresswatchError:
            articles[doc_id] = None
    body = {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    fields = {f: {"correct": 0, "n": 0} for f in FIELDS}
    for doc in gold["documents"]:
        article = articles[doc["id"]]
        scores = token_prf(article.body if article else "", doc.get("body_text", ""))
        for key in body:
            body[key] += scores[key] / len(gold["documents"])
        for field in FIELDS:
            fields[field]["n"] += 1
            fields[field]["correct"] += field_matches(field, getattr(article, field, None), doc.get(field))
    from presswatch.evaluate.attribution import score_seed_statements
    from presswatch.evaluate.entities import score_seed_entities
    from presswatch.nlp.statements import extract_statements_batch

    found = {doc_id: a for doc_id, a in articles.items() if a is not None}
    said = dict(zip(found, extract_statements_batch(found.values())))
    statements = score_seed_statements(gold, said)
    result = {"pages": len(pages), "body": body, "fields": fields}
    result["statements"] = {k: v for k, v in statements.items() if k != "venues"}
    result["venues"] = statements["venues"]
    result["entities"] = score_seed_entities(gold, found)
    from presswatch.evaluate.stories import score_seed_stories

    result.update(score_seed_stories(gold, found, said, embed=embed))
    return result
