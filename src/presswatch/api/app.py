"""The HTTP API: `create_app(db_path, token)` gives the FastAPI application that `presswatch serve` runs.

Every error is JSON `{"error": "..."}` with a status that says whose fault it is: 400 a malformed
query, 401/403 the token, 404 no such record (also one a filter names), 409 an analysis already running on
the database (another process's), 413 a body over the limit, 422 a bad parameter.

The API's paths are under /api (/api/articles, /api/statements, /api/entities, /api/stories,
/api/narratives, /api/search, /api/briefing, /api/watchlists, /api/ingest, /api/health; /api itself lists them),
with its OpenAPI docs at /docs; the rest of the path space belongs to the web UI (`presswatch.web`),
which `presswatch.server` mounts beside the API (the two faces do not import each other). `app.state.db_path` and
`app.state.token` hold the configuration; `presswatch.api.deps.get_store` opens the request's store.

Only requests whose Host header names the server as configured are answered (400 otherwise): a web
page elsewhere could point its own domain at 127.0.0.1 (DNS rebinding) and read the API as if it
were the same site. Every HTML answer carries a Content-Security-Policy that allows nothing but the
server's own scripts, so text from a stored page can never run as a script in the reader's browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Match

from presswatch import __version__
from presswatch.api.models import ErrorResponse
from presswatch.errors import BusyError, InputError, PresswatchError, QueryError, StoreError, UnknownRecord
from presswatch.store.database import Store, store_failure

API_PREFIX = "/api"
MAX_BODY_BYTES = 20_000_000  # as for files and downloads: far above a page, far below a memory problem
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
DOCS_URL = "/docs"
# Styles may be inline: the web UI's charts are SVG drawn by pygal with a <style> of their own.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

log = logging.getLogger("presswatch.api")

# What the parameters that carry a pattern must be, in words (pydantic would quote the pattern).
PATTERN_MEANINGS = dict.fromkeys(("since", "until"), "expected an ISO date: YYYY, YYYY-MM or YYYY-MM-DD (a time may follow)")

_ERROR_RESPONSES = {
    400: {"model": ErrorResponse, "description": "Malformed query or input"},
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token"},
    403: {"model": ErrorResponse, "description": "Writes (ingest, watchlists) disabled: no token configured"},
    404: {"model": ErrorResponse, "description": "No such record"},
    409: {"model": ErrorResponse, "description": "Another process is analysing the database; try again when it ends"},
    413: {"model": ErrorResponse, "description": "Request body over the limit"},
    422: {"model": ErrorResponse, "description": "Bad parameter"},
}


def create_app(db_path: str, token: str | None = None, *, allowed_hosts: Sequence[str] = LOOPBACK_HOSTS) -> FastAPI:
    """The API over one database. `token` enables `POST /api/ingest` for callers that send it;
    `allowed_hosts` are the Host names it answers to (an IPv6 address in brackets)."""
    from presswatch.api.ingest import router as ingest_router
    from presswatch.api.routes import router as read_router
    from presswatch.api.views import router as views_router
    from presswatch.api.watchlists import router as watchlists_router

    # FastAPIOffline serves the docs page's scripts from the package, not a CDN: the tool works offline.
    # Only the Swagger page: ReDoc's bundle needs blob: workers and more the policy would have to allow.
    app = FastAPIOffline(
        docs_url=DOCS_URL,
        redoc_url=None,
        title="presswatch",
        version=__version__,
        description="Clean articles, who said what, entities, stories and narratives from news pages.",
        responses=_ERROR_RESPONSES,
    )
    app.state.db_path = str(db_path)
    app.state.token = token or None
    if app.state.token:
        # An API that may ingest creates its database up front, as `ingest` would; requests never
        # create one (`request_store`), so a database deleted while it serves is refused, not remade.
        Store(db_path).close()
    app.state.write_lock = threading.Lock()
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(ContentSecurityPolicy)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    _add_error_handlers(app)

    @app.get(f"{API_PREFIX}/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Whether the server answers, and its version."""
        return {"status": "ok", "version": __version__}

    @app.get(API_PREFIX, tags=["meta"])
    def index() -> dict:
        """The API's endpoints (path, methods, what each answers) and where its docs are."""
        return {"name": "presswatch", "version": __version__, "docs": "/docs", "openapi": app.openapi_url,
                "endpoints": api_endpoints(app)}

    app.include_router(read_router, prefix=API_PREFIX)
    app.include_router(ingest_router, prefix=API_PREFIX)
    app.include_router(views_router, prefix=API_PREFIX)
    app.include_router(watchlists_router, prefix=API_PREFIX)
    return app


def api_endpoints(app: FastAPI) -> list[dict]:
    """Each path under /api with its methods and the first line of its description, read from the
    OpenAPI schema (the one public list of the routes, whatever routers they come from)."""
    return [
        {"path": path, "methods": sorted(method.upper() for method in operations),
         "summary": " ".join(next(iter(op.get("description") or op.get("summary", "")
                                       for op in operations.values())).split("\n\n")[0].split())}
        for path, operations in sorted(app.openapi()["paths"].items())
        if path.startswith(API_PREFIX)
    ]


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path, asked of the router itself. Starlette's
    405 names only the methods of the first route whose path matched, so a path with a GET route and
    a DELETE route (/api/watchlists/{name}) would be said to allow GET alone."""
    return [method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)]


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# The library's errors by the status they answer with. Starlette takes the handler of the nearest
# class along an exception's hierarchy, so a subclass's entry wins over PresswatchError's.
ERROR_STATUS: dict[type[PresswatchError], int] = {
    UnknownRecord: 404, QueryError: 400, InputError: 400, BusyError: 409, StoreError: 503, PresswatchError: 400,
}


def _answer_with(status: int):
    def handler(request: Request, exc: PresswatchError) -> JSONResponse:
        message = str(exc)
        if isinstance(exc, UnknownRecord) and exc.listing:  # the route that lists them, not a command
            message += f"; GET {API_PREFIX}/{exc.listing} lists them"
        return _error(status, message)

    return handler


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and request.url.path.startswith(API_PREFIX):
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return _error(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body"))
            message = error.get("msg", "invalid")
            if error.get("type") == "json_invalid":  # its loc is a character offset, not a field
                where = "request body"
                message = f"not valid JSON ({error.get('ctx', {}).get('error', message)}, at character {error['loc'][-1]})"
            elif error.get("type") == "string_pattern_mismatch":
                message = PATTERN_MEANINGS.get(where, message)
            elif error.get("type") == "value_error":  # our validators' own words, without pydantic's prefix
                message = str(error.get("ctx", {}).get("error", message))
            problems.append(f"{where or 'request'}: {message}")
        return _error(422, "; ".join(problems) or "invalid request")

    for error_type, status in ERROR_STATUS.items():
        app.add_exception_handler(error_type, _answer_with(status))

    @app.exception_handler(sqlite3.DatabaseError)
    def database_error(request: Request, exc: sqlite3.DatabaseError) -> JSONResponse:
        return _error(ERROR_STATUS[StoreError], str(store_failure(exc)))

    @app.exception_handler(Exception)
    def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(500, f"internal error ({type(exc).__name__}); the server log has the details")


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by declared length and by bytes received.

    A pure ASGI middleware: it counts the body as it streams in, so a client that sends no length
    (chunked) or lies about it is cut off at the limit, not after the whole body is in memory.
    """

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        over = False
        started = False

        async def counting_receive():
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message):
            nonlocal started
            if over:  # whatever the app made of the cut-off body, the answer is 413
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            pass
        if over and not started:
            await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": f"request body over the {self.max_bytes / 1_000_000:g} MB limit"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


class ContentSecurityPolicy:
    """Add CONTENT_SECURITY_POLICY (and nosniff) to every HTML answer that does not carry its own
    (the web UI's pages set theirs; two policies would both be enforced).

    The Swagger page under DOCS_URL (fastapi-offline's, its bundle served from this server) starts
    the bundle with an inline script; that script, and no other, is allowed by its hash. The page is
    built by FastAPI from the app's own settings, never from a request or the store, so hashing what
    it holds trusts nothing a visitor wrote. Other pages get no inline script at all.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] == DOCS_URL or scope["path"].startswith(DOCS_URL + "/")
        held: dict | None = None

        async def send_with_policy(message):
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in present:
                    headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
                if not _is_html(headers) or b"content-security-policy" in present:
                    await send(message)
                elif docs:  # held until the body shows the inline script to allow
                    held = message
                else:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.format(scripts="").encode()))
                    await send(message)
            elif held is not None:
                body = message.get("body", b"")  # FastAPI's HTMLResponse sends its body in one message
                hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
                                 for script in _INLINE_SCRIPT.findall(body))
                held["headers"].append((b"content-security-policy", CONTENT_SECURITY_POLICY.format(scripts=hashes).encode()))
                await send(held)
                held = None
                await send(message)
            else:
                await send(message)

        await self.app(scope, receive, send_with_policy)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.lower().startswith(b"text/html") for name, value in headers)
