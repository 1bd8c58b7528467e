"""Measure the text-dump extractor on the reported sets (dev halves and seed pages); never trains.

    .venv/bin/python tools/textdump_eval.py [--model PATH]

Prints: extraction/dev.jsonl benchmark F1 (page_text input), extraction-metadata/dev.jsonl F and
title/date/author accuracy, seed body token F1 and titles, and pages per second on one core.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from presswatch.evaluate.extraction import page_of, score_rows
from presswatch.evaluate.jsonl import read_jsonl
from presswatch.evaluate.metrics import token_prf
from presswatch.extract import extract, textdump
from presswatch.records import TEXT, Page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    if args.model:
        textdump.MODEL_PATH = args.model
    eval_dir = args.shared / "eval"
    rows = list(read_jsonl(eval_dir / "extraction" / "dev.jsonl"))
    print("extraction dev:", json.dumps(score_rows(rows, extract, source=TEXT)))
    meta_rows = list(read_jsonl(eval_dir / "extraction-metadata" / "dev.jsonl"))
    for row in meta_rows:  # one gold author is a list of names, which score_rows cannot compare yet
        meta = row.get("gold_metadata") or {}
        for field, value in meta.items():
            if isinstance(value, list):
                meta[field] = ", ".join(value)
    print("metadata dev:", json.dumps(score_rows(meta_rows, extract, source=TEXT)))

    gold = json.loads((args.shared / "seeds" / "gold.json").read_text(encoding="utf-8"))["documents"]
    f1s, titles = [], 0
    squash = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()
    for doc in gold:
        text = (args.shared / "seeds" / "pages" / f"{doc['id']}.txt").read_text(encoding="utf-8")
        article = extract(Page.make(doc["id"], TEXT, text))
        score = token_prf(article.body, doc["body_text"])
        f1s.append(score["f1"])
        titles += squash(article.title) == squash(doc["title"])
        print(f"seed {doc['id']}: body P {score['precision']:.3f} R {score['recall']:.3f} F1 {score['f1']:.3f}; "
              f"title {'ok' if squash(article.title) == squash(doc['title']) else repr(article.title)}")
    print(f"seeds: mean body token F1 {sum(f1s) / len(f1s):.4f}, titles {titles}/{len(gold)}")

    pages = [page_of(r, TEXT) for r in rows]
    textdump.extract_textdump(pages[0])
    for label, run in (("whole extract_textdump", textdump.extract_textdump), ("body and title only", body_and_title)):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(3):
            for page in pages:
                run(page)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"speed, {label}: {3 * len(pages) / cpu:.0f} pages/s of CPU time on one core "
              f"({3 * len(pages) / wall:.0f} pages/s wall clock) over the {len(pages)} extraction dev pages")


def body_and_title(page: Page) -> None:
    """The extractor's own work, without the metadata rules and language detection it calls."""
    textdump.locate_article(textdump.split_dump(page.content), textdump.load_model())


if __name__ == "__main__":
    main()
