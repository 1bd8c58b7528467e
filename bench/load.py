"""Load on the HTTP API over loopback: latency percentiles, errors and 5xx answers, as JSON.

    .venv/bin/python bench/load.py [--requests 2000] [--threads 8] [--db /tmp/presswatch-bench-load.db]

Builds a small store (the bundled example pages, ingested and analysed), starts `presswatch serve`
on a free 127.0.0.1 port in a child process, and sends a bounded number of GET requests from
several threads over a fixed mix of API endpoints and web pages (lists, details, search, briefing,
the docs page). Every request is timed from send to last byte; a request that raises (connection
refused, timeout) counts as an error, an answer of 500 or more as a 5xx. Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT = 30.0
START_TIMEOUT = 60.0


def build_store(path: Path) -> None:
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest
    from presswatch.store import Store

    with Store(path) as store:
        ingest([str(ROOT / "examples")], store)
        analyse(store)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from presswatch.cli import main; main()", "serve", "--db", str(db),
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"presswatch serve exited with status {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1, trust_env=False).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"presswatch serve did not answer within {START_TIMEOUT:g} s")


def request_mix(db: Path) -> list[str]:
    """Paths over what the store holds: an id of each kind, a word of a title, a speaker."""
    from presswatch.store import Store

    with Store(db) as store:
        article = store.conn.execute("SELECT id, title FROM articles ORDER BY id LIMIT 1").fetchone()
        story = store.conn.execute("SELECT id FROM stories ORDER BY id LIMIT 1").fetchone()
        speaker = store.conn.execute("SELECT speaker_name FROM statements WHERE speaker_name IS NOT NULL LIMIT 1").fetchone()
    word = max((article["title"] or "news").split(), key=len)
    paths = [
        "/api/health", "/api/articles?limit=20", "/api/statements?limit=20", "/api/entities",
        "/api/stories", "/api/narratives", f"/api/search?q={word}", f"/api/articles/{article['id']}",
        "/api/briefing?since=2020", "/", f"/search?q={word}", f"/articles/{article['id']}", "/docs",
    ]
    if story:
        paths += [f"/api/stories/{story['id']}", f"/stories/{story['id']}"]
    if speaker:
        paths.append(f"/api/statements?speaker={speaker['speaker_name']}")
    return paths


def run_load(base: str, paths: list[str], requests: int, threads: int) -> dict:
    order = itertools.islice(itertools.cycle(paths), requests)
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {path: [] for path in paths}
    statuses: Counter = Counter()
    errors: Counter = Counter()

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, trust_env=False) as client:
            while True:
                with lock:
                    path = next(order, None)
                if path is None:
                    return
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as exc:
                    with lock:
                        errors[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[path].append(elapsed)
                    statuses[status] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    every = sorted(t for times in latencies.values() for t in times)
    return {
        "requests": requests, "threads": threads, "seconds": round(seconds, 2),
        "requests_per_second": round(len(every) / seconds, 1),
        "p50_ms": round(1000 * _percentile(every, 50), 1), "p95_ms": round(1000 * _percentile(every, 95), 1),
        "max_ms": round(1000 * every[-1], 1) if every else None,
        "errors": sum(errors.values()), "error_kinds": dict(errors),
        "status_5xx": sum(n for status, n in statuses.items() if status >= 500),
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "p95_ms_by_path": {path: round(1000 * _percentile(sorted(times), 95), 1) for path, times in latencies.items() if times},
    }


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(percent) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="Requests in all (bounded).")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", type=Path, default=None, help="Where to build the store (default: a temporary folder).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presswatch-load-") as folder:
        db = args.db or Path(folder) / "load.db"
        if not db.exists():
            build_store(db)
        port = free_port()
        server = start_server(db, port)
        try:
            result = run_load(f"http://127.0.0.1:{port}", request_mix(db), args.requests, args.threads)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
