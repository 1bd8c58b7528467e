"""The engine on a Dask cluster: the per-page side on the workers, the corpus-wide side here.

The input is split into partitions on the client (a directory's or glob's files, a WARC or JSONL
file on its own, storage URLs through fsspec); each worker reads its partition's pages and runs the
same stage functions as a local run (engine/pages.py): extract, fingerprint, parse, statements,
mentions. The client then writes the store in input order, through the same functions as a local
run (de-duplication in engine/local.py, the analysis pass and the corpus-wide side in
engine/analyse.py), so the stored result does not depend on how the input was partitioned or how
many workers ran. Into a store that has pages already (a re-run), the workers first only read and
hash their partitions; the client looks the pages up in the store as a local run does
(local.already_stored), and only partitions with new pages are read again, their new pages alone
extracted and parsed. With `out`, workers write their results as a Parquet dataset instead
(engine/parquet.py) and no store is opened; `load_dataset` merges it later.

dask.distributed is imported only here and only when a cluster is asked for (the cluster extra).
The client keeps the new articles' analyses until the store has them, so its memory follows the
run's new articles, not the store; for runs too large for that, write a dataset with `out` and
load it in parts.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from presswatch.engine.local import (
    IngestReport,
    already_stored,
    extract_or_reject,
    index_old_fingerprints,
    save_result,
)
from presswatch.engine.pages import (
    PARSE_BATCH,
    analyse_articles,
    is_readable,
    skipped_analysis,
)
from presswatch.engine.parquet import (
    Outcome,
    read_outcomes,
    write_manifest,
    write_partition,
)
from presswatch.engine.workers import default_workers
from presswatch.errors import PresswatchError
from presswatch.ingest import read_sources, source_files
from presswatch.ingest.sniff import JSONL, WARC, form_from_name
from presswatch.records import Article, ArticleAnalysis, ExtractedPage, Page, Rejection, SkippedRecords
from presswatch.store import Store

# Files read per partition: small enough that a few thousand pages spread over the workers,
# large enough that the scheduler's cost per task (a few ms) stays small against the parse.
FILES_PER_PARTITION = 8
# Partitions queued per worker: each worker has the next one ready while the client writes.
IN_FLIGHT_PER_WORKER = 2
# The prefix of every task key, so the dashboard groups and names them.
TASK_NAME = "presswatch-read-extract-parse"

Entry = str | Rejection  # a file or URL to read, or a source that named none


@dataclass
class DatasetReport:
    pages: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[SkippedRecords] = field(default_factory=list)


@dataclass(frozen=True)
class ReadPage:
    """A page a worker read, as the client needs it to tell whether the store has it already."""

    source: str
    page_id: str


def partitions(entries: Iterable[Entry], files_per_partition: int = FILES_PER_PARTITION) -> list[list[Entry]]:
    """Consecutive entries in groups; a WARC or JSONL file, a container of many pages, is one alone."""
    groups: list[list[Entry]] = []
    current: list[Entry] = []
    for entry in entries:
        container = isinstance(entry, str) and form_from_name(entry) in (WARC, JSONL)
        if current and (container or len(current) >= files_per_partition):
            groups.append(current)
            current = []
        current.append(entry)
        if container:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _read_partition(entries: Sequence[Entry], read_options: dict) -> Iterator[Page | Rejection]:
    for entry in entries:
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from read_sources([entry], storage=True, **read_options)


def partition_pages(entries: Sequence[Entry], read_options: dict) -> list[ReadPage | Rejection]:
    """What a partition holds, read and hashed by a worker, without the pages' content."""
    return [ReadPage(item.source, item.id) if isinstance(item, Page) else item
            for item in _read_partition(entries, read_options)]


def partition_outcomes(entries: Sequence[Entry], read_options: dict, analyse: bool,
                       stored: frozenset[str] = frozenset()) -> list[tuple[ExtractedPage | Rejection | ReadPage,
                                                                            ArticleAnalysis | None]]:
    """The per-page side over one partition, as a worker runs it: read, extract, and (when
    `analyse`) parse the readable articles in full batches; outcomes in input order. The pages
    whose ids are in `stored` (the store has them) come back as ReadPage, neither extracted nor parsed."""
    results: list[ExtractedPage | Rejection | ReadPage] = [
        ReadPage(item.source, item.id) if isinstance(item, Page) and item.id in stored else extract_or_reject(item)
        for item in _read_partition(entries, read_options)
    ]
    articles = [r.article for r in results if isinstance(r, ExtractedPage) and r.article is not None]
    found: dict[str, ArticleAnalysis] = {}
    if analyse:
        readable = [a for a in articles if is_readable(a)]
        found = {a.id: skipped_analysis(a) for a in articles if not is_readable(a)}
        for start in range(0, len(readable), PARSE_BATCH):
            batch = readable[start:start + PARSE_BATCH]
            found.update(zip((a.id for a in batch), analyse_articles(batch)))
    return [(r, found.get(r.article.id) if isinstance(r, ExtractedPage) and r.article else None) for r in results]


def write_partition_outcomes(
    entries: Sequence[Entry], read_options: dict, analyse: bool, out: str, index: int
) -> DatasetReport:
    """A partition's outcomes written to the dataset at `out`; only a summary goes back."""
    outcomes = partition_outcomes(entries, read_options, analyse)
    write_partition(out, index, outcomes)
    rejected = [r for r, _ in outcomes if isinstance(r, Rejection)]
    skipped = [r for r, _ in outcomes if isinstance(r, SkippedRecords)]
    return DatasetReport(pages=len(outcomes) - len(rejected) - len(skipped), rejected=rejected, skipped=skipped)


@contextlib.contextmanager
def connect(spec: str, *, processes: bool = True, dashboard_address: str | None = "127.0.0.1:8787"):
    """A Dask client for `spec`: "tcp://HOST:PORT" (a running scheduler), or "local" / "local:N"
    (a LocalCluster of N single-threaded worker processes on this machine, N the cores by default).

    A LocalCluster's dashboard listens on this machine only; a scheduler started by hand serves
    its own (`dask scheduler` prints where).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PresswatchError("--cluster needs dask.distributed: pip install 'presswatch[cluster]'") from None
    if spec == "local" or spec.startswith("local:"):
        count = spec.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise PresswatchError(f"--cluster {spec!r}: after local: give a number of workers, e.g. local:4")
        # Worker processes talk over loopback TCP; threads in this process need no network at all.
        loopback = {"host": "127.0.0.1"} if processes else {}
        with LocalCluster(
            n_workers=int(count) if count else default_workers(), threads_per_worker=1, processes=processes,
            dashboard_address=dashboard_address, silence_logs=logging.ERROR, **loopback,
        ) as cluster, Client(cluster) as client:
            yield client
        return
    if not spec.startswith(("tcp://", "tls://")):
        raise PresswatchError(f"--cluster {spec!r}: give a scheduler address (tcp://HOST:8786) or local[:N]")
    try:
        client = Client(spec, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise PresswatchError(f"cannot reach the Dask scheduler at {spec} ({exc}); is `dask scheduler` running?") from None
    with client:
        yield client


def run_partitions(client, fn: Callable, calls: Sequence[tuple], on_done: Callable[[int], None] | None = None) -> Iterator:
    """fn(*arguments) for each call: on the cluster when `client` is given, else in this process;
    `on_done` hears each call's index as it finishes.

    Results come back in input order whatever order the workers finish in, and only a few
    partitions per worker are in flight, so the client's memory does not follow the input's size.
    """
    if client is None:
        for index, arguments in enumerate(calls):
            result = fn(*arguments)
            if on_done:
                on_done(index)
            yield result
        return
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    window = max(1, len(client.scheduler_info().get("workers", {}))) * (1 + IN_FLIGHT_PER_WORKER)
    index_of, finished = {}, {}
    pending = as_completed()
    queued = iter(enumerate(calls))

    def submit() -> None:
        for index, arguments in queued:
            future = client.submit(fn, *arguments, key=f"{TASK_NAME}-{run}-{index}", pure=False)
            index_of[future.key] = index
            pending.add(future)
            return

    for _ in range(window):
        submit()
    following = 0
    for future in pending:
        index = index_of.pop(future.key)
        finished[index] = future.result()  # a worker's error is raised here, as it would be locally
        future.release()
        if on_done:
            on_done(index)
        submit()
        while following in finished:
            yield finished.pop(following)
            following += 1


def _planned(sources: Iterable[str], files_per_partition: int, on_total: Callable[[int], None] | None) -> list[list[Entry]]:
    groups = partitions(source_files(sources, storage=True), files_per_partition)
    if on_total:
        on_total(sum(map(len, groups)))
    return groups


def merge(outcomes: Iterable[Outcome | tuple[ReadPage, None]],
          store: Store) -> tuple[IngestReport, dict[str, ArticleAnalysis]]:
    """Store outcomes in input order, as a local run stores its pages; returns the report and the
    analyses of the articles that were stored (a duplicate's analysis is dropped with it)."""
    report = IngestReport()
    index_old_fingerprints(store)
    analyses: dict[str, ArticleAnalysis] = {}
    for result, analysis in outcomes:
        if isinstance(result, ReadPage):  # found in the store before it was sent for extraction
            already_stored(result.source, result.page_id, store, report)
            continue
        stored = len(report.stored)
        save_result(result, store, report)
        if analysis is not None and len(report.stored) > stored:
            analyses[analysis.article_id] = analysis
    return report, analyses


def precomputed(known: dict[str, ArticleAnalysis]) -> Callable[[Sequence[Article]], list[ArticleAnalysis]]:
    """The analysis pass's parse step answered from the workers' results; articles they did not
    analyse (pending from an earlier run) are parsed here."""

    def parse(articles: Sequence[Article]) -> list[ArticleAnalysis]:
        missing = [a for a in articles if a.id not in known]
        parsed = dict(zip((a.id for a in missing), analyse_articles(missing))) if missing else {}
        return [known.pop(a.id) if a.id in known else parsed[a.id] for a in articles]

    return parse


def ingest_cluster(
    sources: Iterable[str], store: Store, client, *, analyse: bool = True,
    files_per_partition: int = FILES_PER_PARTITION, on_total: Callable[[int], None] | None = None,
    on_done: Callable[[int], None] | None = None, **read_options,
) -> tuple[IngestReport, dict[str, ArticleAnalysis]]:
    """Read and extract (and parse, with `analyse`) the sources on the cluster, store the pages
    here in input order; returns the report and the stored articles' analyses for `precomputed`.

    `on_total` hears how many files and URLs there are to read, `on_done` how many of them one
    finished partition held."""
    groups = _planned(sources, files_per_partition, on_total)
    held = _held_pages(client, groups, read_options, store)
    stored = [frozenset(item.page_id for item in items if isinstance(item, ReadPage) and store.has_page(item.page_id))
              for items in held]
    # Partitions read before and holding nothing new are not sent again: what they hold is known.
    again = [index for index, items in enumerate(held)
             if not items or any(isinstance(item, ReadPage) and item.page_id not in stored[index] for item in items)]
    calls = [(groups[index], read_options, analyse, stored[index]) for index in again]
    results = run_partitions(client, partition_outcomes, calls, on_done and (lambda i: on_done(len(groups[again[i]]))))

    def outcomes() -> Iterator[Outcome | tuple[ReadPage, None]]:
        sent = set(again)
        for index, items in enumerate(held):
            if index in sent:
                yield from next(results)
                continue
            yield from ((item, None) for item in items)
            if on_done:
                on_done(len(groups[index]))

    return merge(outcomes(), store)


def _held_pages(client, groups: list[list[Entry]], read_options: dict, store: Store) -> list[list[ReadPage | Rejection]]:
    """What each partition holds, when the store has pages a re-run may read again; empty lists
    when it has none (a first run reads and extracts in one go)."""
    if not store.counts()["pages"]:
        return [[] for _ in groups]
    return list(run_partitions(client, partition_pages, [(group, read_options) for group in groups]))


def write_dataset(
    sources: Iterable[str], out: str, client, *, analyse: bool = True,
    files_per_partition: int = FILES_PER_PARTITION, on_total: Callable[[int], None] | None = None,
    on_done: Callable[[int], None] | None = None, **read_options,
) -> DatasetReport:
    """The per-page results of the sources as a Parquet dataset at `out` (engine/parquet.py)."""
    groups = _planned(sources, files_per_partition, on_total)
    calls = [(group, read_options, analyse, out, index) for index, group in enumerate(groups)]
    report = DatasetReport()
    for part in run_partitions(client, write_partition_outcomes, calls, on_done and (lambda i: on_done(len(groups[i])))):
        report.pages += part.pages
        report.rejected.extend(part.rejected)
        report.skipped.extend(part.skipped)
    write_manifest(out, len(groups))
    return report


def load_dataset(out: str, store: Store) -> tuple[IngestReport, dict[str, ArticleAnalysis]]:
    """Merge a dataset written with `out` into the store, in the input order it was written in."""
    return merge(read_outcomes(out), store)
