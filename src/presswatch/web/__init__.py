"""The web face: pages over the store (search, articles, entities, stories, narratives,
briefings, sources, watchlists), rendered on the server and served by the API's process."""

from presswatch.web.routes import answer_page_errors_in_html, mount_web, router

__all__ = ["answer_page_errors_in_html", "mount_web", "router"]
