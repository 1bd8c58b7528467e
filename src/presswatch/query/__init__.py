"""The query layer: answers the faces (CLI, HTTP API, web UI) share, read from the store and shaped
by the stages' pure functions (summaries, briefings). `listings` answers every list and search."""

from presswatch.query import listings
from presswatch.query.briefing import briefing_example, build_briefing
from presswatch.query.comentions import CoMentions, co_mentions
from presswatch.query.facets import (
    FacetValue,
    SearchFacets,
    result_facets,
    search_facets,
)
from presswatch.query.summaries import summarize_story
from presswatch.query.volume import Volume, volume
from presswatch.query.wire import WireGroup, wire_groups

__all__ = [
    "CoMentions", "FacetValue", "SearchFacets", "Volume", "WireGroup", "briefing_example", "build_briefing",
    "co_mentions", "listings", "result_facets", "search_facets", "summarize_story", "volume", "wire_groups",
]
