"""The analysis pass over stored articles: statements and entities, then stories and narratives.

One spaCy parse per article feeds both the statements stage and the entity mentions, since the
parse is nearly all of the cost. Articles are taken in batches and each batch is written before
the next is parsed, so an interruption keeps the finished batches and a re-run goes on from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from presswatch.records import Article, Statement
from presswatch.store import Store

# The models read English; an article whose language could not be told is given a try.
READABLE_LANGUAGES = (None, "en")


@dataclass
class AnalysisReport:
    articles: int = 0
    skipped_language: int = 0
    statements: int = 0
    mentions: int = 0
    entities: int = 0
    stories_changed: int = 0
    narratives_changed: int = 0
    vectors: int = 0  # articles and statements embedded for search by meaning (semantic extra only)


def dated(statements: list[Statement], article: Article) -> list[Statement]:
    """A statement the text gives no date for is dated by its article."""
    fallback = (article.published or "")[:10] or None
    return [s if s.date else replace(s, date=fallback) for s in statements]


def analyse(
    store: Store,
    *,
    batch_size: int = 32,
    on_article: Callable[[Article], None] | None = None,
) -> AnalysisReport:
    from presswatch.nlp.cues import load_cue_model
    from presswatch.nlp.mentions import mentions_from_doc
    from presswatch.nlp.pipeline import load_nlp
    from presswatch.nlp.statements import statements_from_doc
    from presswatch.store.entities import pending_article_ids, rebuild_entities, save_mentions
    from presswatch.store.statements import replace_statements
    from presswatch.store.vectors import index_vectors
    from presswatch.stories.update import update_narratives, update_stories

    report = AnalysisReport()
    # `entity_articles` marks an article as parsed; statements are written in the same pass.
    pending = list(pending_article_ids(store))
    nlp = model = None
    for start in range(0, len(pending), batch_size):
        batch = [store.article(article_id) for article_id in pending[start : start + batch_size]]
        readable = [a for a in batch if a.language in READABLE_LANGUAGES]
        for article in batch:
            if article.language not in READABLE_LANGUAGES:
                report.skipped_language += 1
                replace_statements(store, article.id, [])
                save_mentions(store, [(article, [])])
        if not readable:
            continue
        if nlp is None:
            nlp, model = load_nlp(), load_cue_model()
        found = []
        for article, doc in zip(readable, nlp.pipe((a.body for a in readable), batch_size=batch_size)):
            said = dated(statements_from_doc(article, doc, model), article)
            replace_statements(store, article.id, said)
            report.statements += len(said)
            found.append((article, mentions_from_doc(doc, article)))
            report.articles += 1
            if on_article:
                on_article(article)
        report.mentions += save_mentions(store, found)
    if pending:
        report.entities = rebuild_entities(store)
    report.stories_changed = len(update_stories(store))
    report.narratives_changed = len(update_narratives(store))
    report.vectors = index_vectors(store)
    return report
