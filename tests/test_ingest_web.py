"""Fetching URLs, against a loopback HTTP server the tests run themselves (no other network).

Loopback is a private address, refused by default; the tests that read the server allow it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from presswatch.ingest import read_sources, web
from presswatch.ingest.web import ALLOW_PRIVATE_ENV, USER_AGENT, refusal
from presswatch.records import HTML, TEXT, Page, Rejection

RUSSIAN = "Президент заявил журналистам, что переговоры продолжатся на следующей неделе."
PAGE = f"<!DOCTYPE html><html><head><title>T</title></head><body><p>{RUSSIAN}</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    release = threading.Event()  # set at teardown so slow answers end with the test
    seen_agents: list[str] = []

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", length: bool = True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path == "/page":
            self.send(200, PAGE.encode("cp1251"), "text/html; charset=windows-1251")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/page" if left == 0 else f"/hop/{left - 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big-undeclared":
            self.send(200, b"<p>" + b"x" * 3_000_000, length=False)
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "50000000")
            self.end_headers()
        elif path == "/slow":
            self.release.wait(5)
            self.send(200, PAGE.encode())
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.drip(b"<p>x</p>" for _ in range(60))
        elif path == "/drip-headers":  # a header line every 50 ms: each wait is short, all of them are not
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.drip(b"X-Slow-%d: x\r\n" % n for n in range(80))
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "image/png")
        elif path == "/notes.txt":
            self.send(200, "Plain notes about <b>things</b>.".encode(), "text/plain")
        elif path == "/feed":
            items = "".join(
                f"<item><title>Entry {n}</title><link>{base}/{target}</link><description>Summary {n}</description></item>"
                for n, target in ((1, "page"), (2, "missing"))
            )
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'
            self.send(200, feed.encode(), "application/rss+xml")
        elif path == "/to-ftp":
            self.send_response(301)
            self.send_header("Location", "ftp://127.0.0.1/file")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/feed-to-other-host":
            item = f"<item><title>E</title><link>http://127.0.0.2:{self.server.server_port}/page</link></item>"
            self.send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{item}</channel></rss>'.encode(),
                      "application/rss+xml")
        elif path == "/to-other-host":  # 127.0.0.2 is loopback too; the test makes only it refused
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_port}/page")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send(404, b"<p>not found</p>")

    def drip(self, parts):
        for part in parts:
            if self.release.wait(0.05):
                break
            try:
                self.wfile.write(part)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                break


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.release.clear()
    Handler.seen_agents.clear()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


def fetch(*urls, allow_private_addresses=True, **options):
    return list(read_sources(urls, allow_private_addresses=allow_private_addresses, **options))


def test_a_page_is_fetched_and_decoded_by_its_http_charset(server):
    (page,) = fetch(f"{server}/page")
    assert isinstance(page, Page) and page.kind == HTML and RUSSIAN in page.content
    assert page.encoding == "cp1251" and page.source == page.url == f"{server}/page"
    assert Handler.seen_agents == [USER_AGENT] and USER_AGENT.startswith("presswatch/")


def test_up_to_five_redirects_are_followed(server):
    (page,) = fetch(f"{server}/hop/4")  # 5 redirects in all
    assert isinstance(page, Page) and page.source == f"{server}/hop/4" and page.url == f"{server}/page"
    (rejection,) = fetch(f"{server}/hop/5")  # 6
    assert isinstance(rejection, Rejection) and rejection.reason == "more than 5 redirects"


def test_size_cap_declared_and_streamed(server):
    started = time.perf_counter()
    declared, streamed = fetch(f"{server}/big-declared", f"{server}/big-undeclared", max_bytes=1_000_000)
    assert declared.reason.startswith("50.0 MB, over the 1 MB limit")
    assert streamed.reason.startswith("larger than the 1 MB limit")
    assert time.perf_counter() - started < 5


def test_timeouts_silent_and_dripping_servers(server):
    started = time.perf_counter()
    silent, drip = fetch(f"{server}/slow", f"{server}/drip", timeout=0.5)
    elapsed = time.perf_counter() - started
    assert silent.reason == "timed out after 0.5 s" and drip.reason == "timed out after 0.5 s"
    assert elapsed < 2.5


@pytest.mark.parametrize("allow_private", [True, False])
def test_one_deadline_holds_while_the_name_resolves(server, monkeypatch, allow_private):
    # a resolver that answers after 4 s (a dead DNS server's retries), then with the loopback server
    real = web.socket.getaddrinfo

    def slow(host, *args, **kwargs):
        time.sleep(4)
        return real("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(web.socket, "getaddrinfo", slow)
    monkeypatch.setattr(web, "refusal", lambda address: None)
    started = time.perf_counter()
    (resolving,) = fetch(f"http://slow-dns.test:{server.rsplit(':', 1)[1]}/page", timeout=0.5,
                         allow_private_addresses=allow_private)
    assert resolving.reason == "timed out after 0.5 s"
    assert time.perf_counter() - started < 1.5


def test_one_deadline_holds_while_headers_drip_in(server):
    started = time.perf_counter()
    (dripping,) = fetch(f"{server}/drip-headers", timeout=0.5)  # 80 header lines, 50 ms apart: 4 s
    assert dripping.reason == "timed out after 0.5 s"
    assert time.perf_counter() - started < 1.5


def test_http_errors_and_refused_urls(server):
    missing, image, ftp_redirect, ftp, file_url, invalid = fetch(
        f"{server}/missing", f"{server}/image", f"{server}/to-ftp", "ftp://127.0.0.1/x", "file:///etc/hostname",
        f"{server}/a\x00b")
    assert missing.reason == "HTTP 404 Not Found"
    assert "binary file (looks like PNG" in image.reason
    assert "could not fetch it" in ftp_redirect.reason
    assert ftp.reason == file_url.reason == "unsupported URL: only http:// and https:// URLs are fetched"
    assert invalid.reason.startswith("not a valid URL")


def test_unreachable_server_is_a_rejection(server):
    port = int(server.rsplit(":", 1)[1])
    # Nothing listens on port 9 (discard) on loopback in a test machine; the error must be readable.
    (rejection,) = fetch(f"http://127.0.0.1:{9 if port != 9 else 10}/")
    assert isinstance(rejection, Rejection) and rejection.reason.startswith("could not fetch it")


def test_content_type_decides_the_form(server):
    (notes,) = fetch(f"{server}/notes.txt")
    assert notes.kind == TEXT
    first, second = fetch(f"{server}/feed")
    assert first.source == f"{server}/feed#entry-1" and first.content == "Summary 1"


def test_feed_links_are_fetched_when_asked(server):
    page, rejection = fetch(f"{server}/feed", fetch_feed_links=True)
    assert isinstance(page, Page) and RUSSIAN in page.content and page.url == f"{server}/page"
    # the fetched page shows its own headline: the entry's title is its title only where it shows none
    assert page.source == f"{server}/feed#entry-1" and page.hints["listed_title"] == "Entry 1"
    assert isinstance(rejection, Rejection) and rejection.source == f"{server}/feed#entry-2"
    assert rejection.reason == f"its link {server}/missing: HTTP 404 Not Found"


def test_private_addresses_are_refused_in_every_spelling(server):
    port = server.rsplit(":", 1)[1]
    hosts = ("127.0.0.1", "localhost", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1",
             "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "0")
    found = fetch(*(f"http://{host}:{port}/page" for host in hosts), allow_private_addresses=False)
    assert all(isinstance(item, Rejection) for item in found), found
    assert Handler.seen_agents == []  # not one request reached the server
    refused = [item for item in found if item.reason.startswith("refused to connect to ")]
    # httpx itself turns down the octal spelling as an invalid address; every other one resolves and is refused
    assert len(refused) >= len(hosts) - 1, [item.reason for item in found]
    assert "a loopback address" in refused[0].reason and "--allow-private-addresses" in refused[0].reason


def test_the_environment_variable_allows_them(server, monkeypatch):
    (refused,) = fetch(f"{server}/page", allow_private_addresses=None)
    assert isinstance(refused, Rejection)
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    (page,) = fetch(f"{server}/page", allow_private_addresses=None)
    assert isinstance(page, Page)


def test_every_redirect_hop_is_checked(server, monkeypatch):
    # The first host stands for a public one; the hop it redirects to is refused before connecting.
    monkeypatch.setattr(web, "refusal", lambda address: None if address == "127.0.0.1" else "a loopback address")
    (rejection,) = fetch(f"{server}/to-other-host", allow_private_addresses=False)
    assert rejection.reason.startswith("refused to connect to 127.0.0.2: a loopback address")
    assert Handler.seen_agents == [USER_AGENT]  # the redirect was fetched, the page behind it was not


def test_a_feeds_links_are_checked_as_they_are_fetched(server, monkeypatch):
    monkeypatch.setattr(web, "refusal", lambda address: None if address == "127.0.0.1" else "a loopback address")
    (rejection,) = fetch(f"{server}/feed-to-other-host", fetch_feed_links=True, allow_private_addresses=False)
    assert rejection.source == f"{server}/feed-to-other-host#entry-1"
    assert "refused to connect to 127.0.0.2: a loopback address" in rejection.reason


def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    # DNS rebinding: the name answers a checked address first, an internal one afterwards.
    monkeypatch.setattr(web, "refusal", lambda address: None if address == "127.0.0.1" else "a loopback address")
    real = web.socket.getaddrinfo
    asked = []

    def rebinding(host, *args, **kwargs):
        asked.append(host)
        if host == "news.rebind.test":
            host = "127.0.0.1" if asked.count(host) == 1 else "127.0.0.2"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(web.socket, "getaddrinfo", rebinding)
    (page,) = fetch(f"http://news.rebind.test:{server.rsplit(':', 1)[1]}/page", allow_private_addresses=False)
    assert isinstance(page, Page) and asked.count("news.rebind.test") == 1

    monkeypatch.setattr(web.socket, "getaddrinfo", lambda host, *a, **k: real("127.0.0.1", *a, **k) + real("127.0.0.2", *a, **k))
    (rejection,) = fetch(f"http://mixed.rebind.test:{server.rsplit(':', 1)[1]}/page", allow_private_addresses=False)
    assert "refused to connect to mixed.rebind.test (127.0.0.2)" in rejection.reason  # one bad address is enough


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "a loopback address"), ("10.1.2.3", "a private address"), ("172.16.0.1", "a private address"),
    ("192.168.1.1", "a private address"), ("169.254.169.254", "a cloud metadata address"),
    ("169.254.1.1", "a link-local address"), ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("100.100.100.200", "a cloud metadata address"), ("192.0.0.192", "a cloud metadata address"),
    ("224.0.0.1", "a multicast address"), ("240.0.0.1", "a private address"), ("0.0.0.0", "an unspecified address"),
    ("255.255.255.255", "a private address"), ("198.18.0.1", "a private address"),
    ("::1", "a loopback address"), ("::", "an unspecified address"), ("fe80::1", "a link-local address"),
    ("fd00:ec2::254", "a cloud metadata address"), ("fc00::1", "a private address"), ("ff02::1", "a multicast address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("::ffff:8.8.8.8", None), ("::ffff:a9fe:a9fe", "a cloud metadata address"),
    ("64:ff9b::a9fe:a9fe", "a cloud metadata address"), ("2002:7f00:1::", "a loopback address"),
    ("2002:a00:1::", "a private address"), ("2001:db8::1", "a private address"),
    ("8.8.8.8", None), ("93.184.216.34", None), ("2606:4700::1111", None), ("64:ff9b::808:808", None),
    ("::127.0.0.1", "a reserved address"), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a private address"),
])
def test_address_kinds(address, kind):
    assert refusal(address) == kind


def test_the_api_and_the_cli_refuse_private_addresses_unless_allowed(server, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from presswatch.api.app import create_app
    from presswatch.cli import app as cli

    with TestClient(create_app(str(tmp_path / "api.db"), token="t"), base_url="http://127.0.0.1") as client:
        def post():
            return client.post("/api/ingest", json={"urls": [f"{server}/page"], "analyse": False},
                               headers={"Authorization": "Bearer t"}).json()

        refused = post()
        assert not refused["stored"] and refused["rejected"][0]["reason"].startswith("refused to connect to 127.0.0.1")
        monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")  # what `serve --allow-private-addresses` sets
        assert len(post()["stored"]) == 1
    monkeypatch.delenv(ALLOW_PRIVATE_ENV)

    db = str(tmp_path / "cli.db")
    refused = CliRunner().invoke(cli, ["ingest", f"{server}/page", "--db", db, "--no-analyse"])
    assert refused.exit_code == 1 and "refused to connect to 127.0.0.1" in refused.output
    allowed = CliRunner().invoke(cli, ["ingest", f"{server}/page", "--db", db, "--no-analyse", "--allow-private-addresses"])
    assert allowed.exit_code == 0 and "stored 1" in allowed.output
