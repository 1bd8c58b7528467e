"""What every route depends on: a store for the request, and the operator's token for writes."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from presswatch.store import Store, request_store

_bearer = HTTPBearer(auto_error=False, description="The token the operator set (PRESSWATCH_TOKEN or --token).")


def get_store(request: Request) -> Iterator[Store]:
    yield from request_store(request)


def require_token(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    expected = request.app.state.token
    if not expected:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "writing over HTTP (ingest, watchlists) is disabled: the operator has set no token"
            " (PRESSWATCH_TOKEN or presswatch serve --token)",
        )
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid bearer token is required: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
