"""Fetching the http(s) URLs a user names; presswatch never goes online on its own.

URLs come from people and from feeds nobody vetted, and what is fetched becomes readable through the
API, so a fetch must not become a way into the machine's own network: by default every connection
goes only to public addresses (see `refusal`), unless the operator allows private ones.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass

import httpcore
import httpx

from presswatch import __version__
from presswatch.errors import AddressRefused, HTTPStatusError, InputError
from presswatch.ingest.limits import over_limit

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0  # seconds one fetch may take, redirects and all, unless the user says otherwise
USER_AGENT = f"presswatch/{__version__} (offline-first news reader; fetches only the URLs its user gives it)"
ALLOW_PRIVATE_ENV = "PRESSWATCH_ALLOW_PRIVATE_ADDRESSES"
ALLOW_PRIVATE_HOW = f"--allow-private-addresses or {ALLOW_PRIVATE_ENV}=1 allows them"

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")

# Cloud instance-metadata services (AWS/GCP/Azure, AWS ECS, AWS IPv6, Alibaba, Oracle). Most lie in
# ranges refused anyway; 192.0.0.192 is "global" to Python's ipaddress, so the list names them all.
METADATA_ADDRESSES = frozenset(map(ipaddress.ip_address, (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192",
)))
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not private to ipaddress, not global either
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that carry an IPv4 one in their last 32 bits


def is_url(source: str) -> bool:
    """Whether the user meant a URL rather than a path (any `scheme://`, supported or not)."""
    return "://" in source and _SCHEME.match(source) is not None


def private_addresses_allowed(allow: bool | None = None) -> bool:
    """The operator's choice: `allow` when given, else the environment variable (off by default)."""
    if allow is not None:
        return allow
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def refusal(address: str) -> str | None:
    """What kind of non-public address `address` (numeric, as resolved) is, or None for a public one.

    An IPv4-mapped or NAT64 IPv6 address is the IPv4 address it carries (on an IPv6-only network
    DNS64 answers every IPv4 host so), and is judged as that; 6to4 and Teredo ones by both.
    """
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and (ip.ipv4_mapped or ip in _NAT64):
        return _kind(ip.ipv4_mapped or ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    embedded = [ip.sixtofour, ip.teredo[1] if ip.teredo else None] if ip.version == 6 else []
    return next(filter(None, map(_kind, [v4 for v4 in embedded if v4 is not None] + [ip])), None)


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    checks = (
        (ip in METADATA_ADDRESSES, "a cloud metadata address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.version == 4 and ip in _SHARED, "a shared (carrier-grade NAT) address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    return next((kind for hit, kind in checks if hit), None)


NOT_MODIFIED = 304


@dataclass(frozen=True)
class Fetched:
    url: str  # where the content came from, after redirects
    data: bytes  # empty for a 304
    content_type: str | None
    status: int = 200
    etag: str | None = None  # the answer's validators, for the next conditional GET
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said the content is unchanged since the validators sent (HTTP 304)."""
        return self.status == NOT_MODIFIED


class _Deadline:
    """The end of the fetch under way: every connect, read and write of it waits at most until then."""

    def __init__(self) -> None:
        self.at = math.inf

    def left(self, timeout: float | None, expired: type[Exception]) -> float:
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise expired("the fetch's deadline passed")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every wait is cut to what is left of the fetch's total time.

    httpx's timeouts bound each wait on its own, so a server that sends a byte of its headers every
    few seconds would hold a fetch for ever; bounding each wait by the deadline bounds them together.
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's sockets, opened only to addresses that were checked, within the fetch's deadline.

    The check lives here, where the TCP connection is made, rather than on the URL: the host name is
    resolved once, every address it resolves to is checked, and the socket connects to one of those
    very addresses, so DNS rebinding cannot swap in another between check and connect, no spelling of
    an IP (decimal 2130706433, hex, octal, short 127.1, IPv4-mapped IPv6) escapes the resolver's
    numeric answer, and every redirect hop is checked because each new host is a new connection. TLS
    still verifies the certificate against the URL's host name (httpcore passes it to start_tls).
    """

    def __init__(self, deadline: _Deadline, allow_private: bool) -> None:
        self._deadline = deadline
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        addresses = self._resolved(host, port, self._deadline.left(timeout, httpcore.ConnectTimeout))
        if not self._allow_private:
            self._check(host, addresses)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, self._deadline.left(timeout, httpcore.ConnectTimeout),
                                             local_address, socket_options)
                return _DeadlineStream(stream, self._deadline)
            except httpcore.ConnectError as exc:  # the next address of the host may answer
                error = exc
        raise error if error else httpcore.ConnectError(f"{host} has no address")

    @staticmethod
    def _resolved(host: str, port: int, seconds: float) -> list[str]:
        """The host's addresses, or ConnectTimeout when the lookup outlasts what is left of the fetch.

        getaddrinfo takes no timeout (the system resolver's own, from resolv.conf, can add up to
        minutes over retries and search domains), so it runs in a daemon thread and the fetch waits
        for it only until its deadline; a lookup left behind ends on its own and is dropped.
        """
        answer: dict[str, object] = {}
        done = threading.Event()

        def lookup() -> None:
            try:
                answer["infos"] = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                answer["error"] = exc
            done.set()

        threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
        if not done.wait(seconds):
            raise httpcore.ConnectTimeout(f"resolving {host} outlasted the fetch's deadline")
        if "error" in answer:
            raise httpcore.ConnectError(f"cannot resolve {host}: {answer['error']}") from answer["error"]
        return list(dict.fromkeys(info[4][0] for info in answer["infos"]))

    @staticmethod
    def _check(host: str, addresses: list[str]) -> None:
        for address in addresses:
            kind = refusal(address)
            if kind:
                shown = host if host == address else f"{host} ({address})"
                raise AddressRefused(f"refused to connect to {shown}: {kind} ({ALLOW_PRIVATE_HOW})")


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over `_GuardedBackend`. httpx takes no network backend of its own, so the
    connection pool it builds is replaced by an equal one that has it (httpcore's public API)."""

    def __init__(self, backend: _GuardedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                             network_backend=backend)


class Fetcher:
    """One HTTP client for a whole run, opened at the first URL; use it as a context manager.

    `allow_private` lets fetches reach loopback, private and other non-public addresses (None: as
    the environment variable says). Proxies from the environment are not used (httpx ignores them
    beside an explicit transport): a proxy would connect on presswatch's behalf where no check sees.
    """

    def __init__(self, *, timeout: float, max_bytes: int, allow_private: bool | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = private_addresses_allowed(allow_private)
        self._deadline = _Deadline()
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The body of a 2xx answer, at most max_bytes; InputError with the reason otherwise
        (HTTPStatusError for an error status).

        With `etag` or `last_modified` (validators of an earlier answer) the GET is conditional: an
        unchanged resource comes back as a Fetched with `not_modified` and no data.
        """
        conditions = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        headers = {name: value for name, value in conditions.items() if value}
        return self._guarded(url, lambda client, target: self._download(client, target, headers))

    def post_json(self, url: str, payload: object) -> int:
        """POST `payload` as JSON (a webhook the operator configured) and return the 2xx status;
        InputError with the reason otherwise. Redirects are not followed: a webhook that moves the
        request elsewhere is a failed delivery, not a reason to send the payload to another host."""
        def post(client: httpx.Client, target: str) -> int:
            # Streamed and closed unread: whatever the receiver answers with is not presswatch's to hold.
            with client.stream("POST", target, json=payload, follow_redirects=False) as response:
                if not response.is_success:
                    raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
                return response.status_code

        return self._guarded(url, post)

    def _guarded(self, url: str, request):
        """`request(client, url)` on the one client, within one deadline, with httpx's errors in words."""
        scheme = _SCHEME.match(url)
        if scheme is None or scheme.group(1).lower() not in ("http", "https"):
            raise InputError("unsupported URL: only http:// and https:// URLs are fetched")
        if self._client is None:
            self._client = httpx.Client(
                transport=_GuardedTransport(_GuardedBackend(self._deadline, self.allow_private)),
                timeout=self.timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT}, trust_env=False,
            )
        self._deadline.at = time.monotonic() + self.timeout
        try:
            return request(self._client, url)
        except httpx.TooManyRedirects:
            raise InputError(f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.TimeoutException:
            raise InputError(f"timed out after {self.timeout:g} s") from None
        except httpx.InvalidURL as exc:
            raise InputError(f"not a valid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise InputError(f"could not fetch it: {exc or type(exc).__name__}") from None
        finally:
            self._deadline.at = math.inf

    def _download(self, client: httpx.Client, url: str, headers: dict[str, str]) -> Fetched:
        with client.stream("GET", url, headers=headers) as response:
            validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
            if response.status_code == NOT_MODIFIED and headers:
                return Fetched(str(response.url), b"", response.headers.get("Content-Type"), NOT_MODIFIED, **validators)
            if not response.is_success:
                raise HTTPStatusError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                                      response.status_code)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise InputError(over_limit(int(declared), self.max_bytes))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise InputError(over_limit(None, self.max_bytes))
            return Fetched(str(response.url), bytes(body), response.headers.get("Content-Type"), response.status_code,
                           **validators)
