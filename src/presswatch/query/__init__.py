"""The query layer: answers the faces (CLI, HTTP API, web UI) share, read from the store and shaped
by the stages' pure functions (summaries, briefings). `listings` answers every list and search."""

from presswatch.query import listings
from presswatch.query.briefing import build_briefing
from presswatch.query.summaries import summarize_story

__all__ = ["build_briefing", "listings", "summarize_story"]
