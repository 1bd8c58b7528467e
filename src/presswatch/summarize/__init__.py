"""Summarize: extractive story summaries and briefings, every sentence and line cited to its source.

Library entry points for the faces (CLI, HTTP API, web UI):
`summarize_story(store, story_id)`, `build_briefing(store, since=..., speaker=..., ...)`, and the
renderers in `presswatch.summarize.render` (Markdown, HTML, dict).
"""

from presswatch.summarize.briefing import (
    Briefing,
    BriefingGroup,
    BriefingLine,
    build_briefing,
)
from presswatch.summarize.story import CitedSentence, StorySummary, summarize_story

__all__ = [
    "Briefing", "BriefingGroup", "BriefingLine", "CitedSentence", "StorySummary", "build_briefing", "summarize_story",
]
