"""The analysis pass: the per-article side (one spaCy parse feeds statements and mentions), then
the corpus-wide side (entities, stories, narratives, vectors) for what the new articles touch.

Articles are filtered by language first, so each parse batch is full, and parsed in `workers`
processes; this process writes each batch's statements, mentions and progress in one transaction
before the next, so an interruption keeps the finished batches and a re-run goes on from there.
The corpus-wide outputs are then brought up to date; each is written in its own transaction and
knows what it still has to do (stale entities, unassigned articles and statements), so a run that
dies between two of them is completed by the next plain run.

One pass runs per database at a time: a second would parse the same pending articles again and
count their mentions twice, so it is refused with a message instead (`locks.run_lock`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from presswatch.engine.locks import run_lock
from presswatch.engine.pages import PARSE_BATCH, analyse_articles, is_readable, skipped_analysis, warm_up
from presswatch.engine.workers import ordered_map
from presswatch.errors import QueryError
from presswatch.records import Article, ArticleAnalysis
from presswatch.store import Store
from presswatch.store.analysis import forget_analyses, pending_article_ids, save_analyses

# Derived outputs `--rebuild` can recompute from their inputs.
REBUILDABLE = ("entities", "stories", "narratives", "all")
# Pending article ids read per query, so a huge backlog is never held whole in memory.
PENDING_PAGE = 1024
# Articles per parse task when several processes parse. bench/workers.py's 60 pages hold 55
# readable articles: in tasks of 32 (PARSE_BATCH) two processes got 32 and 23, one idle for a
# sixth of the parse; and when the input runs out, this process waits for the tasks the helpers
# still hold (up to two each), so the smaller the task the shorter that tail. A spaCy small
# pipeline costs no more CPU an article in batches of 4 than of 32 (those 55 articles in one
# process: 8.3-10.6 s in 4s, 8.7-9.4 s in 8s, 9.7-11.6 s in 32s, timing analyse_articles on a
# loaded machine for issue 12 item 3).
SHARED_PARSE_BATCH = 4


@dataclass
class AnalysisReport:
    articles: int = 0
    # Articles in a language the models do not read: (id, language). Stored and searchable, not parsed.
    skipped_language: list[tuple[str, str]] = field(default_factory=list)
    statements: int = 0
    mentions: int = 0
    entities: int = 0
    stories_changed: int = 0
    narratives_changed: int = 0
    # Vectors made for search by meaning: articles' openings and headlines, statements (semantic extra only).
    vectors: int = 0
    # Readable articles the parse could not take (too long, or a stage raised on them): (id, why).
    unparsed: list[tuple[str, str]] = field(default_factory=list)


def _save_and_count(store: Store, found: Sequence[tuple[Article, ArticleAnalysis]], report: AnalysisReport) -> None:
    """Store a batch's analyses (one transaction) and add them to the report's counts."""
    save_analyses(store, found)
    for article, analysis in found:
        if analysis.skipped and is_readable(article):
            report.unparsed.append((article.id, analysis.skipped))
        elif analysis.skipped:
            report.skipped_language.append((article.id, article.language or article.language_flag or "unknown"))
        else:
            report.articles += 1
        report.statements += len(analysis.statements)
        report.mentions += len(analysis.mentions)


def _pending_batches(store: Store, report: AnalysisReport, batch_size: int) -> Iterator[list[Article]]:
    """Readable pending articles in full parse batches; unreadable ones are recorded at once."""
    batch: list[Article] = []
    after = None
    while ids := pending_article_ids(store, limit=PENDING_PAGE, after=after):
        after = ids[-1]
        for article_id in ids:
            article = store.article(article_id)
            if not is_readable(article):
                _save_and_count(store, [(article, skipped_analysis(article))], report)
                continue
            batch.append(article)
            if len(batch) == batch_size:
                yield batch
                batch = []
    if batch:
        yield batch


# What a second analysis is told while one runs.
ANALYSIS_BUSY = ("another analysis is running on {path} (pid {pid}); it will analyse these articles too, "
                 "or run again when it ends")


def analyse(
    store: Store,
    *,
    workers: int = 1,
    batch_size: int | None = None,
    rebuild: str | None = None,
    on_article: Callable[[Article], None] | None = None,
    parse: Callable[[Sequence[Article]], list[ArticleAnalysis]] = analyse_articles,
) -> AnalysisReport:
    """Analyse what is pending and bring the corpus-wide outputs up to date.

    `rebuild` recomputes one derived output from its inputs first ("entities", "stories",
    "narratives"), or every analysis result ("all": statements and mentions too). `parse` is the
    per-article side; a cluster run passes one that returns what its workers already found
    (with more than one worker it must be a module-level function).
    """
    if rebuild is not None and rebuild not in REBUILDABLE:
        raise QueryError(f"cannot rebuild {rebuild!r}; choose one of: {', '.join(REBUILDABLE)}")
    if batch_size is None:
        batch_size = PARSE_BATCH if workers <= 1 else SHARED_PARSE_BATCH
    with run_lock(store, "analyse", ANALYSIS_BUSY):
        return _analyse(store, workers=workers, batch_size=batch_size, rebuild=rebuild, on_article=on_article,
                        parse=parse)


def _analyse(store: Store, *, workers, batch_size, rebuild, on_article, parse) -> AnalysisReport:
    from presswatch.engine.corpus import forget_narratives, forget_stories, index_vectors, update_stories
    from presswatch.engine.narratives import update_narratives
    from presswatch.engine.entities import update_entities

    if rebuild in ("narratives", "all"):
        forget_narratives(store)
    if rebuild in ("stories", "all"):
        forget_stories(store)
    if rebuild == "all":
        forget_analyses(store)
    report = AnalysisReport()
    batches = _pending_batches(store, report, batch_size)
    for articles, found in zip_batches(batches, workers, parse):
        _save_and_count(store, list(zip(articles, found)), report)
        if on_article:
            for article in articles:
                on_article(article)
    entities = update_entities(store, force=rebuild in ("entities", "all"))
    report.entities = entities or 0
    report.stories_changed = len(update_stories(store))
    report.narratives_changed = len(update_narratives(store))
    report.vectors = index_vectors(store)
    return report


def zip_batches(
    batches: Iterator[list[Article]], workers: int, parse: Callable[[Sequence[Article]], list[ArticleAnalysis]]
) -> Iterator[tuple[list[Article], list[ArticleAnalysis]]]:
    """Each batch with its analyses, parsed in worker processes, in batch order."""
    sent: list[list[Article]] = []

    def remembered() -> Iterator[list[Article]]:
        for batch in batches:
            sent.append(batch)
            yield batch

    for found in ordered_map(parse, remembered(), workers, prepare=warm_up):
        yield sent.pop(0), found
