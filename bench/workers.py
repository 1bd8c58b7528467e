"""Workers benchmark, run on demand (not part of the test suite).

    python bench/workers.py [--pages 60] [--html ../shared/eval/extraction/dev.jsonl]

Pages/s of ingest + analyse on the same real pages (the `html` of a JSONL file's rows, read at
bench time and written to a temporary folder, never into the project) with 1 and 2 local worker
processes (`workers=` of engine.local.ingest and engine.analyse.analyse) and on a 2-worker Dask
LocalCluster (`ingest --cluster local:2`'s path), against the one-core ceiling: bare
`trafilatura.extract` plus a bare `nlp.pipe` of presswatch's spaCy pipeline over the same pages,
in the same run. Each run starts from an empty store and includes starting its worker processes
(which load the models), as a user's run does; the cluster's start is reported on its own.

Goals (issue 12): 2 workers >= 1.7x one worker on a quiet 2-core machine; one worker >= 0.8x the
ceiling. The load average is printed with the figures, since a busy machine moves them all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "extraction" / "dev.jsonl"


def write_pages(source: Path, count: int, folder: Path) -> int:
    """Up to `count` distinct pages of the JSONL file as HTML files; returns how many."""
    written = 0
    with source.open(encoding="utf-8") as rows:
        for line in rows:
            html = json.loads(line).get("html")
            if not html:
                continue
            (folder / f"page-{written:05d}.html").write_text(html, encoding="utf-8")
            written += 1
            if written == count:
                break
    return written


def ceiling(folder: Path) -> float:
    """Seconds for bare trafilatura and a bare nlp.pipe over the pages, in this one process."""
    import trafilatura

    from presswatch.nlp.pipeline import load_nlp

    nlp = load_nlp()
    pages = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
    nlp("warm up")
    start = time.perf_counter()
    bodies = [trafilatura.extract(html) or "" for html in pages]
    list(nlp.pipe(bodies, batch_size=32))
    return time.perf_counter() - start


def local_run(folder: Path, db: Path, workers: int) -> float:
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest
    from presswatch.store import Store

    start = time.perf_counter()
    with Store(db) as store:
        ingest([str(folder)], store, workers=workers)
        analyse(store, workers=workers)
    return time.perf_counter() - start


def cluster_run(folder: Path, db: Path, workers: int) -> tuple[float, float]:
    """(seconds to start the cluster, seconds for ingest + analyse on it)."""
    from presswatch.engine.analyse import analyse
    from presswatch.engine.cluster import connect, ingest_cluster, precomputed
    from presswatch.store import Store

    start = time.perf_counter()
    with connect(f"local:{workers}", dashboard_address=None) as client:
        started = time.perf_counter()
        with Store(db) as store:
            _, analyses = ingest_cluster([str(folder)], store, client)
            analyse(store, parse=precomputed(analyses))
        done = time.perf_counter()
    return started - start, done - started


@contextmanager
def bench_pages(description: str) -> Iterator[tuple[Path, Path, int]]:
    """Reads --pages and --html (shared with bench/workers_cpu.py) and writes the pages to a temporary
    folder; yields (the temporary folder, the pages' folder in it, how many pages)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--html", type=Path, default=DEV, help="JSONL with an `html` field per row")
    args = parser.parse_args()
    if not args.html.exists():
        sys.exit(f"{args.html} not found: give --html a JSONL file of pages")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        yield Path(tmp), folder, write_pages(args.html, args.pages, folder)


def main() -> None:
    with bench_pages(__doc__.split("\n\n")[0]) as (tmp, folder, pages):
        ceiling_s = ceiling(folder)
        one = local_run(folder, tmp / "one.db", 1)
        two = local_run(folder, tmp / "two.db", 2)
        cluster_start, cluster = cluster_run(folder, tmp / "cluster.db", 2)
    print(json.dumps({
        "pages": pages,
        "cores": len(os.sched_getaffinity(0)),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "ceiling_pages_s": round(pages / ceiling_s, 2),
        "workers_1_pages_s": round(pages / one, 2),
        "workers_2_pages_s": round(pages / two, 2),
        "cluster_2_pages_s": round(pages / cluster, 2),
        "cluster_start_s": round(cluster_start, 2),
        "speedup_2_vs_1": round(one / two, 3),
        "one_worker_vs_ceiling": round(ceiling_s / one, 3),
    }, indent=1))


if __name__ == "__main__":
    main()
