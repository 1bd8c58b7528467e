"""The engine's bookkeeping in the store: which articles are analysed, which corpus-wide outputs
are stale.

An article's statements, mentions and its analysis progress row are written in one transaction,
so an article is either analysed whole or not at all; the same transaction marks the entities
stale, and only the transaction that writes new entities clears the mark. A run interrupted
anywhere therefore leaves a state that the next plain run completes.
"""

from __future__ import annotations

from collections.abc import Sequence

from presswatch.records import Article, ArticleAnalysis, now_iso
from presswatch.store.database import Store
from presswatch.store.entities import forget_mentions, write_mentions
from presswatch.store.statements import write_statements

ENTITIES = "entities"
NAME_BLOCKS = "name_blocks"  # stale: the stored block keys are incomplete; the next resolution is a full one
FINGERPRINT_BANDS = "fingerprint_bands"


def pending_article_ids(store: Store, limit: int = 1024, after: str | None = None) -> list[str]:
    """Up to `limit` stored articles not analysed yet, by id, after the id `after` (a page of them)."""
    rows = store.conn.execute(
        "SELECT article_id FROM unanalysed_articles WHERE article_id > ? ORDER BY article_id LIMIT ?",
        (after or "", limit),
    )
    return [r[0] for r in rows]


def save_analyses(store: Store, found: Sequence[tuple[Article, ArticleAnalysis]]) -> None:
    """Write a batch of articles' statements, mentions and progress in one transaction."""
    with store.transaction() as conn:
        for article, analysis in found:
            write_statements(conn, article.id, analysis.statements)
            write_mentions(conn, article, analysis.mentions)
            conn.execute(
                "INSERT OR REPLACE INTO analysis_progress (article_id, analysed_at, statements, mentions, skipped)"
                " VALUES (?, ?, ?, ?, ?)",
                (article.id, now_iso(), len(analysis.statements), len(analysis.mentions), analysis.skipped),
            )
        if any(analysis.mentions for _, analysis in found):
            conn.execute("INSERT OR IGNORE INTO stale_outputs (output) VALUES (?)", (ENTITIES,))


def forget_article_analysis(conn, article_id: str) -> list[str]:
    """Drop what the analysis found in an article whose text was replaced (a new version), inside
    the caller's transaction, and queue it to be analysed again (the trigger on analysis_progress);
    returns the ids of the statements dropped, whose claims and evidence the engine takes out of the
    narratives in the same transaction. Their full-text rows, facet counts and vectors go by
    trigger; its mentions leave their names' counts and mark the entities stale; its own vectors go."""
    dropped = [r[0] for r in conn.execute("SELECT id FROM statements WHERE article_id = ?", (article_id,))]
    conn.execute("DELETE FROM unclustered_statements WHERE statement_id IN"
                 " (SELECT id FROM statements WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM statements WHERE article_id = ?", (article_id,))
    forget_mentions(conn, article_id)
    conn.execute("DELETE FROM analysis_progress WHERE article_id = ?", (article_id,))
    # both of the article's vectors, its opening's and its headline's, as migration 35's trigger
    # drops them with the article
    conn.execute("DELETE FROM vectors WHERE kind IN ('article', 'title') AND item_id = ?", (article_id,))
    conn.execute("INSERT OR IGNORE INTO stale_outputs (output) VALUES (?)", (ENTITIES,))
    return dropped


def is_stale(store: Store, output: str) -> bool:
    return store.conn.execute("SELECT 1 FROM stale_outputs WHERE output = ?", (output,)).fetchone() is not None


def mark_fresh(store: Store, output: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM stale_outputs WHERE output = ?", (output,))


def forget_analyses(store: Store) -> None:
    """Drop every analysis result, so the next run parses every article again (`--rebuild all`)."""
    with store.transaction() as conn:
        for table in ("entity_merges", "entity_aliases", "entities",
                      "entity_roles", "entity_mentions", "name_spellings", "name_blocks", "entity_names",
                      "touched_names", "touched_articles", "unclustered_statements", "statements", "analysis_progress"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT OR IGNORE INTO stale_outputs (output) VALUES (?)", [(ENTITIES,), (NAME_BLOCKS,)])
