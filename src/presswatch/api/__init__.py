"""The HTTP API (FastAPI): read endpoints, search and the views around it, briefings, watchlists and
their feeds, and the token-guarded writes (ingest, watchlists).

`presswatch.api.app.create_app(db_path, token)` builds it; `presswatch serve` runs it with uvicorn,
the web UI mounted beside it (`presswatch.server`).
"""
