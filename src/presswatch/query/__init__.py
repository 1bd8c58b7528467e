"""The query layer: answers the faces (CLI, HTTP API, web UI) share, read from the store and shaped
by the stages' pure functions (summaries, briefings)."""

from presswatch.query.briefing import build_briefing
from presswatch.query.summaries import summarize_story

__all__ = ["build_briefing", "summarize_story"]
