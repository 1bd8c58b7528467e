"""Fetching the http(s) URLs a user names; presswatch never goes online on its own."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx

from presswatch import __version__
from presswatch.errors import InputError
from presswatch.ingest.limits import over_limit

MAX_REDIRECTS = 5
USER_AGENT = f"presswatch/{__version__} (offline-first news reader; fetches only the URLs its user gives it)"

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_url(source: str) -> bool:
    """Whether the user meant a URL rather than a path (any `scheme://`, supported or not)."""
    return "://" in source and _SCHEME.match(source) is not None


@dataclass(frozen=True)
class Fetched:
    url: str  # where the content came from, after redirects
    data: bytes
    content_type: str | None


class Fetcher:
    """One HTTP client for a whole run, opened at the first URL; use it as a context manager."""

    def __init__(self, *, timeout: float, max_bytes: int) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, url: str) -> Fetched:
        """The body of a 2xx answer, at most max_bytes; InputError with the reason otherwise."""
        scheme = _SCHEME.match(url)
        if scheme is None or scheme.group(1).lower() not in ("http", "https"):
            raise InputError("unsupported URL: only http:// and https:// URLs are fetched")
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
            )
        try:
            return self._download(self._client, url)
        except httpx.TooManyRedirects:
            raise InputError(f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.TimeoutException:
            raise InputError(f"timed out after {self.timeout:g} s") from None
        except httpx.InvalidURL as exc:
            raise InputError(f"not a valid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise InputError(f"could not fetch it: {exc or type(exc).__name__}") from None

    def _download(self, client: httpx.Client, url: str) -> Fetched:
        # httpx's timeout bounds each network wait; the deadline also bounds a server that drips.
        deadline = time.monotonic() + self.timeout
        with client.stream("GET", url) as response:
            if not response.is_success:
                raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise InputError(over_limit(int(declared), self.max_bytes))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise InputError(over_limit(None, self.max_bytes))
                if time.monotonic() > deadline:
                    raise InputError(f"timed out after {self.timeout:g} s")
            return Fetched(str(response.url), bytes(body), response.headers.get("Content-Type"))

