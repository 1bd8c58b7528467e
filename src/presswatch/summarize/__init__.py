"""Summarize: extractive story summaries and briefings, every sentence and line cited to its source.

Functions over records: `summarize_articles(articles)`, the briefing records, and the renderers in
`presswatch.summarize.render` (Markdown, HTML, dict). The store-reading entry points the faces call
are in `presswatch.query` (`summarize_story`, `build_briefing`).
"""

from presswatch.summarize.briefing import Briefing, BriefingGroup, BriefingLine, BriefingPerson
from presswatch.summarize.story import CitedSentence, StorySummary, summarize_articles

__all__ = ["Briefing", "BriefingGroup", "BriefingLine", "BriefingPerson", "CitedSentence", "StorySummary", "summarize_articles"]
