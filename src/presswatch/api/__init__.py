"""The HTTP API (FastAPI): read endpoints, search, briefings and token-guarded ingest.

`presswatch.api.app.create_app(db_path, token)` builds it; `presswatch serve` runs it with uvicorn.
"""
