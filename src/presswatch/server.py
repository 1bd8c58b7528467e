"""What `presswatch serve` runs: the HTTP API with the web UI mounted beside it.

The two faces are built apart (neither imports the other, an import contract checks it); this
module puts them in one application, the API's paths under /api and /docs, the web UI's pages on
every other path.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from presswatch.api.app import API_PREFIX, DOCS_URL, LOOPBACK_HOSTS, create_app
from presswatch.web import answer_page_errors_in_html, mount_web


def create_server(db_path: str, token: str | None = None, *, allowed_hosts: Sequence[str] = LOOPBACK_HOSTS) -> FastAPI:
    """The API over one database with the web UI mounted; `token` enables `POST /api/ingest`;
    only requests for `allowed_hosts` are answered."""
    app = create_app(db_path, token=token, allowed_hosts=allowed_hosts)
    mount_web(app, db_path)
    answer_page_errors_in_html(app, (API_PREFIX, DOCS_URL, app.openapi_url))
    return app
