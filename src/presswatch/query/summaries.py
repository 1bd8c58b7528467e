"""A stored story's summary: its articles read from the store (a sample of a large story), then
summarised by the stage in summarize/story.py."""

from __future__ import annotations

from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.summarize.story import (
    DEFAULT_SENTENCES,
    MAX_ARTICLES,
    StorySummary,
    summarize_articles,
)


def summarize_story(store: Store, story_id: str, *, sentences: int = DEFAULT_SENTENCES) -> StorySummary:
    """The summary of a stored story (a unique id prefix is enough; QueryError if none matches)."""
    story = story_store.story(store, story_id)
    ids = story.article_ids
    if len(ids) > MAX_ARTICLES:
        ids = [ids[round(i * (len(ids) - 1) / (MAX_ARTICLES - 1))] for i in range(MAX_ARTICLES)]
    articles = [store.article(article_id) for article_id in ids]
    return StorySummary(story, tuple(summarize_articles(articles, sentences=sentences)), len(story.article_ids))
