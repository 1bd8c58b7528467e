"""Metadata and body accuracy on the two halves of a dev set, split by the md5 of each page's id.

    PYTHONPATH=src .venv/bin/python tools/metadata_halves.py ../shared/eval/extraction-metadata/dev.jsonl [--input text]
    ... [--errors title|date|author|body ...]   # half A's misses of those fields, one JSON line each, to stderr
    PYTHONPATH=src .venv/bin/python tools/metadata_halves.py ../shared/eval/extraction/dev.jsonl --input text

The sets have no train half: extraction rules and thresholds are chosen on half A (md5 even) and
half B is reported beside it as the held-apart check (issue 14). Scores use the same field
normalisation and body metric as `presswatch eval extraction`: on rows with `gold_article_body`
the body is the benchmark's shingle F1 of the mean per-page precision and recall, and a body
"miss" listed with --errors body is a page under 0.9 F1, with its lines missed and added.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from presswatch.evaluate.extraction import METADATA_FIELDS, _norm_meta, page_of
from presswatch.evaluate.jsonl import read_jsonl
from presswatch.evaluate.metrics import f1, shingle_page_scores, shingles
from presswatch.extract import extract
from presswatch.records import HTML, TEXT

BODY = "body"
HALVES = ("A", "B", "all")


def half_of(row_id: str) -> str:
    return "A" if int(hashlib.md5(row_id.encode()).hexdigest(), 16) % 2 == 0 else "B"


def body_line_errors(found: str, gold: str) -> dict:
    """The found lines that share no 4-gram with the gold body, and the gold lines none of whose 4-grams were found."""
    found_grams, gold_grams = shingles(found), shingles(gold)
    return {"extra": [line for line in found.splitlines() if shingles(line) and not shingles(line) & gold_grams],
            "missed": [line for line in gold.splitlines() if shingles(line) and not shingles(line) & found_grams]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--input", choices=(HTML, TEXT), default=HTML)
    parser.add_argument("--errors", choices=(*METADATA_FIELDS, BODY), action="append", default=[],
                        help="list half A's misses of this field (never B's); may be repeated")
    args = parser.parse_args()
    counts = {h: {f: [0, 0] for f in METADATA_FIELDS} for h in HALVES}
    bodies: dict[str, list[tuple[float, float]]] = {h: [] for h in HALVES}
    for row in read_jsonl(args.path):
        gold = row.get("gold_metadata") or {}
        half = half_of(str(row.get("id") or row.get("url")))
        try:
            article = extract(page_of(row, args.input))
            found = {"title": article.title, "date": article.published, "author": article.author, BODY: article.body}
        except Exception:  # noqa: BLE001 - a page the extractor refuses scores as empty, as in the eval
            found = {}
        if "gold_article_body" in row:
            precision, recall = shingle_page_scores(found.get(BODY) or "", row["gold_article_body"])
            for key in (half, "all"):
                bodies[key].append((precision, recall))
            if half == "A" and BODY in args.errors and f1(precision, recall) < 0.9:
                print(json.dumps({"field": BODY, "id": row.get("id"), "precision": round(precision, 3),
                                  "recall": round(recall, 3),
                                  **body_line_errors(found.get(BODY) or "", row["gold_article_body"])},
                                 ensure_ascii=False), file=sys.stderr)
        for key in (half, "all"):
            for field in METADATA_FIELDS:
                if gold.get(field):
                    right = _norm_meta(field, found.get(field)) == _norm_meta(field, gold[field])
                    counts[key][field][0] += right
                    counts[key][field][1] += 1
                    if key == "A" and field in args.errors and not right:
                        print(json.dumps({"field": field, "id": row.get("id"), "url": row.get("url"), "gold": gold[field],
                                          "found": found.get(field)}, ensure_ascii=False), file=sys.stderr)
    report = {}
    for key in HALVES:
        report[key] = {f: {"n": n, "accuracy": round(c / n, 3) if n else None}
                       for f, (c, n) in counts[key].items() if n}
        if bodies[key]:
            precision = sum(p for p, _ in bodies[key]) / len(bodies[key])
            recall = sum(r for _, r in bodies[key]) / len(bodies[key])
            report[key][BODY] = {"n": len(bodies[key]), "precision": round(precision, 4), "recall": round(recall, 4),
                                 "f1": round(f1(precision, recall), 4)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
