"""Extraction benchmark, run on demand (not part of the test suite).

    python bench/extract.py speed ../shared/eval/extraction/dev.jsonl [--rounds 3]
    python bench/extract.py quality ../shared/eval/extraction/dev.jsonl ../shared/eval/extraction-metadata/dev.jsonl

`speed` times presswatch's HTML extraction and bare `trafilatura.extract(html)` page by page,
alternating the two so a busy shared machine slows both alike, keeps each page's fastest round,
and reports pages/s, their ratio, the text-dump extractor's pages/s on `page_text` (wall clock, and
on the process's CPU time, which a busy shared machine disturbs less), and peak RSS.
`quality` scores presswatch and bare trafilatura (extract + extract_metadata) with the same scorer
in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import time
from pathlib import Path

import trafilatura

from presswatch.evaluate.extraction import score_rows
from presswatch.evaluate.jsonl import read_jsonl
from presswatch.extract import extract
from presswatch.records import HTML, TEXT, Article, Page

WARMUP_PAGES = 10


def bare_trafilatura(page: Page) -> Article:
    """trafilatura as shipped: default extraction plus its metadata, no presswatch choices."""
    body = trafilatura.extract(page.content) or ""
    meta = trafilatura.extract_metadata(page.content)
    return Article(
        id=page.id,
        page_id=page.id,
        url=page.url,
        title=meta.title if meta else None,
        body=body,
        paragraphs=tuple(body.split("\n")),
        published=meta.date if meta else None,
        author=meta.author if meta else None,
    )


def _timed(fn, arg, failures: list[str], clock=time.perf_counter) -> float:
    """Seconds `fn(arg)` took; a page an extractor refuses or fails on still took its time, and is
    counted so a fast-failing extractor cannot pass for a fast one."""
    start = clock()
    try:
        fn(arg)
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not fatal to the benchmark
        failures.append(f"{type(exc).__name__}: {exc}")
    return clock() - start


def _pages(rows: list[dict], kind: str) -> list[Page]:
    field = "html" if kind == HTML else "page_text"
    return [Page.make(str(r.get("id") or r.get("url")), kind, r[field], url=r.get("url")) for r in rows if r.get(field)]


def speed(path: Path, rounds: int) -> dict:
    rows = list(read_jsonl(path))
    html_pages = _pages(rows, HTML)
    ignored: list[str] = []
    for page in html_pages[:WARMUP_PAGES]:
        _timed(extract, page, ignored)
        _timed(trafilatura.extract, page.content, ignored)
    best_ours = [float("inf")] * len(html_pages)
    best_bare = [float("inf")] * len(html_pages)
    failures: dict[str, list[str]] = {"presswatch": [], "trafilatura": []}
    for round_number in range(rounds):
        for i, page in enumerate(html_pages):
            pair = [
                (best_ours, extract, page, failures["presswatch"]),
                (best_bare, trafilatura.extract, page.content, failures["trafilatura"]),
            ]
            for best, fn, arg, failed in pair if (i + round_number) % 2 == 0 else pair[::-1]:
                best[i] = min(best[i], _timed(fn, arg, failed))
    result = {
        "pages": len(html_pages),
        "rounds": rounds,
        "presswatch_html_pages_per_s": len(html_pages) / sum(best_ours),
        "trafilatura_extract_pages_per_s": len(html_pages) / sum(best_bare),
        "failed_calls": {name: len(failed) for name, failed in failures.items()},
    }
    result["ratio"] = result["presswatch_html_pages_per_s"] / result["trafilatura_extract_pages_per_s"]
    if importlib.util.find_spec("presswatch.extract.textdump") is None:  # written in parallel
        result["text_pages_per_s"] = None
    else:
        text_pages = _pages(rows, TEXT)
        for page in text_pages[:WARMUP_PAGES]:
            _timed(extract, page, ignored)
        text_failed: list[str] = []
        best_text = [float("inf")] * len(text_pages)
        best_cpu = [float("inf")] * len(text_pages)
        # rounds go over all pages in turn, as for HTML, so a slow spell of a shared machine costs a
        # page one of its rounds, not all of them; the second clock is this process's CPU time, which
        # other jobs on the machine disturb less than the wall clock
        for _ in range(rounds):
            for i, page in enumerate(text_pages):
                best_text[i] = min(best_text[i], _timed(extract, page, text_failed))
                best_cpu[i] = min(best_cpu[i], _timed(extract, page, [], time.process_time))
        result["text_pages"] = len(text_pages)
        result["text_pages_per_s"] = len(text_pages) / sum(best_text)
        result["text_cpu_pages_per_s"] = len(text_pages) / sum(best_cpu)
        result["failed_calls"]["presswatch_text"] = len(text_failed)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def quality(paths: list[Path]) -> dict:
    report = {}
    for path in paths:
        rows = list(read_jsonl(path))
        report[str(path)] = {
            "presswatch": score_rows(rows, extract, HTML),
            "trafilatura": score_rows(rows, bare_trafilatura, HTML),
        }
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    speed_cmd = sub.add_parser("speed")
    speed_cmd.add_argument("path", type=Path)
    speed_cmd.add_argument("--rounds", type=int, default=3)
    quality_cmd = sub.add_parser("quality")
    quality_cmd.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args(argv)
    result = speed(args.path, args.rounds) if args.command == "speed" else quality(args.paths)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
