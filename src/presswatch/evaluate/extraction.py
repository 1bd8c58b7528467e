"""`presswatch eval extraction`: body (and metadata) extraction against the two public formats.

Rows with `gold_article_body` follow the article-extraction-benchmark metric (4-gram shingles,
per-page P/R averaged over pages); rows with `with`/`without` follow trafilatura's evaluation
(substring hits summed over all pages). Where rows carry `gold_metadata`, title, date and author
accuracy are reported on the pages that have gold for that field (null where none has: a score of
0 would read as every answer wrong).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import read_jsonl
from presswatch.evaluate.metrics import collapse_ws, f1, prf, shingle_page_scores
from presswatch.records import HTML, TEXT, Article, Page

METADATA_FIELDS = ("title", "date", "author")


def page_of(row: dict, source: str) -> Page:
    """The page a row offers for the chosen input form."""
    if source == TEXT:
        text = row.get("page_text")
        if not isinstance(text, str):
            raise DataFormatError("no `page_text` string (rows with `html` are read with --input html)")
        return Page.make(str(row.get("id") or row.get("url") or ""), TEXT, text, url=row.get("url"))
    html = row.get("html")
    if not isinstance(html, str):
        raise DataFormatError("no `html` string (rows with `page_text` are read with --input text)")
    return Page.make(str(row.get("id") or row.get("url") or ""), HTML, html, url=row.get("url"))


# Two gold dates are written year-day-month ("2022-29-11"), which cannot be dates; read them back.
_IMPOSSIBLE_DATE = re.compile(r"^(\d{4})-(1[3-9]|2\d|3[01])-(0\d|1[0-2])$")


def _norm_meta(field: str, value: str | list | None) -> str:
    if isinstance(value, list):  # several gold authors: joined as trafilatura joins them
        value = "; ".join(str(v) for v in value)
    value = collapse_ws(value or "").lower()
    if field == "date":
        return _IMPOSSIBLE_DATE.sub(r"\1-\3-\2", value[:10])
    return value.strip(" .,;:|-–—\"'")


def _check_gold(row: dict, number: int) -> None:
    """The gold fields a row carries, in the shapes scoring reads (a wrong one would fail mid-score)."""
    if not isinstance(row.get("gold_article_body", ""), str):
        raise DataFormatError(f"row {number}: `gold_article_body` must be a string")
    for key in ("with", "without"):
        segments = row.get(key) or []
        if not isinstance(segments, list) or not all(isinstance(segment, str) for segment in segments):
            raise DataFormatError(f"row {number}: `{key}` must be a list of strings")
    if not isinstance(row.get("gold_metadata") or {}, dict):
        raise DataFormatError(f"row {number}: `gold_metadata` must be an object (title, date, author)")


def score_rows(rows: Iterable[dict], extractor: Callable[[Page], Article], source: str = HTML) -> dict:
    shingle_p: list[float] = []
    shingle_r: list[float] = []
    hits = {"tp": 0, "fp": 0, "fn": 0}
    meta = {f: {"n": 0, "correct": 0} for f in METADATA_FIELDS}
    pages = 0
    for number, row in enumerate(rows, 1):
        try:
            page = page_of(row, source)
        except DataFormatError as exc:
            raise DataFormatError(f"row {number}: {exc}") from exc
        _check_gold(row, number)
        try:
            article = extractor(page)
            body, found = article.body, {"title": article.title, "date": article.published, "author": article.author}
        except Exception:  # a page the extractor fails on scores as empty output, like any other miss
            body, found = "", {}
        pages += 1
        if "gold_article_body" in row:
            p, r = shingle_page_scores(body, row["gold_article_body"])
            shingle_p.append(p)
            shingle_r.append(r)
        elif "with" in row or "without" in row:
            text = collapse_ws(body)
            for segment in row.get("with") or []:
                if collapse_ws(segment) in text:
                    hits["tp"] += 1
                else:
                    hits["fn"] += 1
            for segment in row.get("without") or []:
                if collapse_ws(segment) in text:
                    hits["fp"] += 1
        else:
            raise DataFormatError(f"row {number}: neither `gold_article_body` nor `with`/`without`")
        gold_meta = row.get("gold_metadata") or {}
        for field in METADATA_FIELDS:
            gold = gold_meta.get(field)
            if gold:
                meta[field]["n"] += 1
                meta[field]["correct"] += _norm_meta(field, found.get(field)) == _norm_meta(field, gold)
    if shingle_p:
        p, r = sum(shingle_p) / len(shingle_p), sum(shingle_r) / len(shingle_r)
        result = {"pages": pages, "precision": p, "recall": r, "f1": f1(p, r)}
    else:
        result = {"pages": pages, **prf(hits["tp"], hits["fp"], hits["fn"])}
    if any(m["n"] for m in meta.values()):
        result["metadata"] = {
            f: {"n": m["n"], "accuracy": m["correct"] / m["n"] if m["n"] else None} for f, m in meta.items()
        }
    return result


def evaluate_extraction(path: Path, source: str = HTML, extractor: Callable[[Page], Article] | None = None) -> dict:
    if extractor is None:
        from presswatch.extract import extract as extractor
    rows = list(read_jsonl(path))  # read whole first, so a row's fault below is the file's, not the JSON's
    try:
        return score_rows(rows, extractor, source)
    except DataFormatError as exc:
        raise DataFormatError(f"{path}: {exc}") from exc


