"""Fetching URLs, against a loopback HTTP server the tests run themselves (no other network)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from presswatch.ingest import read_sources
from presswatch.ingest.web import USER_AGENT
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
            for _ in range(60):
                if self.release.wait(0.05):
                    break
                try:
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    break
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
        else:
            self.send(404, b"<p>not found</p>")


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.release.clear()
    Handler.seen_agents.clear()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


def fetch(*urls, **options):
    return list(read_sources(urls, **options))


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
    assert page.source == f"{server}/feed#entry-1" and page.hints["title"] == "Entry 1"
    assert isinstance(rejection, Rejection) and rejection.source == f"{server}/feed#entry-2"
    assert rejection.reason == f"its link {server}/missing: HTTP 404 Not Found"
