"""Metadata accuracy on the two halves of the metadata dev set, split by the md5 of each page's id.

    PYTHONPATH=src .venv/bin/python tools/metadata_halves.py ../shared/eval/extraction-metadata/dev.jsonl [--input text]
    ... [--errors title|date|author ...]   # half A's misses of those fields, one JSON line each, to stderr

The set has no train half: extraction rules and thresholds are chosen on half A (md5 even) and
half B is reported beside it as the held-apart check (issue 14). Scores use the same field
normalisation as `presswatch eval extraction`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from presswatch.evaluate.extraction import METADATA_FIELDS, _norm_meta, page_of
from presswatch.evaluate.jsonl import read_jsonl
from presswatch.extract import extract
from presswatch.records import HTML, TEXT


def half_of(row_id: str) -> str:
    return "A" if int(hashlib.md5(row_id.encode()).hexdigest(), 16) % 2 == 0 else "B"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--input", choices=(HTML, TEXT), default=HTML)
    parser.add_argument("--errors", choices=METADATA_FIELDS, action="append", default=[],
                        help="list half A's misses of this field (never B's); may be repeated")
    args = parser.parse_args()
    counts = {h: {f: [0, 0] for f in METADATA_FIELDS} for h in ("A", "B", "all")}
    for row in read_jsonl(args.path):
        gold = row.get("gold_metadata") or {}
        try:
            article = extract(page_of(row, args.input))
            found = {"title": article.title, "date": article.published, "author": article.author}
        except Exception:  # noqa: BLE001 - a page the extractor refuses scores as empty, as in the eval
            found = {}
        for half in (half_of(str(row.get("id") or row.get("url"))), "all"):
            for field in METADATA_FIELDS:
                if gold.get(field):
                    right = _norm_meta(field, found.get(field)) == _norm_meta(field, gold[field])
                    counts[half][field][0] += right
                    counts[half][field][1] += 1
                    if half == "A" and field in args.errors and not right:
                        print(json.dumps({"field": field, "id": row.get("id"), "url": row.get("url"), "gold": gold[field],
                                          "found": found.get(field)}, ensure_ascii=False), file=sys.stderr)
    print(json.dumps({half: {f: {"n": n, "accuracy": round(c / n, 3) if n else None} for f, (c, n) in fields.items()}
                      for half, fields in counts.items()}, indent=1))


if __name__ == "__main__":
    main()
