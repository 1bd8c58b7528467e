"""A fictional news site on loopback that publishes over time, for the collection tests and
tools/watch_run.py: an RSS feed, an Atom feed, a news sitemap (through a sitemap index), a front
page, article pages, and a robots.txt that keeps /private/ out.

Listings carry an ETag and a Last-Modified and answer a matching conditional GET with 304. Every
request is counted by path and status, so a test can tell what a collector asked for. Everything
here (outlets, people, places, events) is invented.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PLACES = ["Port Almsby", "Greyhaven", "Dunmere", "Karsk Valley", "Lowmarsh", "Tolvik", "Brennock", "Saltcombe"]
PEOPLE = [("Mara Quellton", "harbour commissioner"), ("Osric Venn", "mayor"), ("Ilse Marrow", "transport minister"),
          ("Tobin Achterberg", "union spokesman"), ("Petra Lindqvale", "chief engineer"),
          ("Rafe Dunstable", "council leader"), ("Anwen Corry", "health director"), ("Jory Halloran", "police chief")]
SUBJECTS = ["ferry timetable", "flood barrier", "hospital wing", "rail bridge", "fishing quota", "school budget",
            "wind farm", "harbour dredging", "water tariff", "tram extension", "grain silo", "coastal path"]
EVENTS = ["was delayed", "was approved", "was put on hold", "went over budget", "drew protests", "was reopened",
          "was inspected", "was cut back"]
DETAILS = ["residents packed the hall until late in the evening", "the figures were published on the council website",
           "contractors said the work could resume within weeks", "the opposition called for an independent review",
           "local traders warned of lost income over the summer", "engineers found cracks in two supporting piers",
           "the regional assembly will debate the matter next month", "insurers have asked for a fresh survey",
           "volunteers handed out leaflets at the quayside", "a petition gathered several thousand signatures"]


@dataclass(frozen=True)
class Story:
    number: int
    slug: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    private: bool = False

    @property
    def path(self) -> str:
        day = self.published.strftime("%Y/%m/%d")
        return f"/private/{self.slug}" if self.private else f"/news/{day}/{self.slug}.html"


def make_story(outlet: str, number: int, published: datetime, *, private: bool = False) -> Story:
    """A fictional article, different in words from every other number's (seeded by outlet and number)."""
    rng = random.Random(f"{outlet}/{number}")
    place, subject, event = rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(EVENTS)
    (speaker, role), (other, other_role) = rng.sample(PEOPLE, 2)
    title = f"{place} {subject} {event}"
    details = rng.sample(DETAILS, 4)
    paragraphs = (
        f"The {subject} in {place} {event} on {published:%A}, item {number} of a long-running dispute that "
        f"{outlet} has followed since the spring. {details[0].capitalize()}.",
        f"\u201cWe cannot keep asking people in {place} to wait,\u201d said {speaker}, the {role}. "
        f"\u201cEvery week of delay costs the town {rng.randint(12, 480)} thousand crowns.\u201d",
        f"{other}, the {other_role}, said the plan had been reviewed {rng.randint(2, 9)} times and that "
        f"{details[1]}. She added that a decision on the {subject} would follow by {rng.choice(['June', 'July', 'autumn'])}.",
        f"According to figures seen by {outlet}, {rng.randint(40, 900)} households are affected. {details[2].capitalize()}, "
        f"and {details[3]}.",
        f"The next public meeting on the {subject} is set for {published + timedelta(days=rng.randint(3, 30)):%d %B}.",
    )
    slug = "-".join(title.lower().split()) + f"-{number}"
    return Story(number, slug, title, published, paragraphs, private)


def article_html(outlet: str, story: Story) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(story.title)} | {escape(outlet)}</title>"
        f"<meta property='og:site_name' content='{escape(outlet)}'>"
        f"<meta property='article:published_time' content='{story.published.isoformat()}'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world/'>World</a> <a href='/about'>About us</a></nav>"
        f"<article><h1>{escape(story.title)}</h1><p class='byline'>By Staff Reporter</p>{body}</article>"
        f"<footer>&copy; {escape(outlet)}. All rights reserved. <a href='/contact'>Contact</a></footer></body></html>"
    )


class FeedSite:
    """One outlet's site on 127.0.0.1 (or another loopback `host`), on its own port; start it, publish,
    read `requests`."""

    LISTED = 15  # stories a feed or the front page lists (the newest)

    def __init__(self, outlet: str = "The Almsby Courier", *, start: datetime | None = None,
                 host: str = "127.0.0.1") -> None:
        self.outlet = outlet
        self.stories: list[Story] = []
        self.requests: Counter[tuple[str, int]] = Counter()
        self.conditional: Counter[str] = Counter()  # listing paths asked conditionally
        self.failing: set[str] = set()  # paths that answer 503 for now
        self._extra: dict[str, tuple] = {}  # listings served at further paths (publish_at)
        self._clock = start or datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self._server.server_address[0]}:{self._server.server_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> FeedSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def publish(self, count: int = 1, *, private: bool = False) -> list[Story]:
        """New stories, each an hour after the last (the site's own clock, not the machine's)."""
        with self._lock:
            made = []
            for _ in range(count):
                self._clock += timedelta(hours=1)
                made.append(make_story(self.outlet, len(self.stories) + 1, self._clock, private=private))
                self.stories.append(made[-1])
            return made

    def publish_at(self, path: str, render) -> None:
        """Serve a listing (one of the methods below) at another path as well, from now on."""
        self._extra[path] = (render, "application/xml")

    def public_stories(self) -> list[Story]:
        with self._lock:
            return [story for story in self.stories if not story.private]

    def count(self, path: str, status: int | None = None) -> int:
        return sum(n for (p, s), n in self.requests.items() if p == path and (status is None or s == status))

    # -- the listings -------------------------------------------------------------------------

    def _newest(self, *, include_private: bool = False) -> list[Story]:
        with self._lock:
            return [s for s in self.stories if include_private or not s.private][::-1][: self.LISTED]

    def _last_modified(self) -> datetime:
        with self._lock:
            return self.stories[-1].published if self.stories else self._clock

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{escape(s.title)}</title><link>{self.url(s.path)}</link><guid>{self.url(s.path)}</guid>"
            f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate>"
            f"<description>{escape(s.paragraphs[0])}</description></item>"
            for s in self._newest()
        )
        return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(self.outlet)} - "
                f"News</title><link>{self.base}/</link><description>Latest</description>{items}</channel></rss>")

    def atom(self) -> str:
        entries = "".join(
            f"<entry><title>{escape(s.title)}</title><link href='{self.url(s.path)}'/><id>{self.url(s.path)}</id>"
            f"<updated>{s.published.isoformat()}</updated><author><name>Staff Reporter</name></author>"
            f"<summary>{escape(s.paragraphs[0])}</summary></entry>"
            for s in self._newest()
        )
        return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                f"<title>{escape(self.outlet)}</title><id>{self.base}/</id>"
                f"<updated>{self._last_modified().isoformat()}</updated>{entries}</feed>")

    def sitemap_index(self) -> str:
        return ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                f"<sitemap><loc>{self.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>")

    def news_sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.url(s.path)}</loc><news:news><news:publication><news:name>{escape(self.outlet)}"
            f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
            f"{s.published.isoformat()}</news:publication_date><news:title>{escape(s.title)}</news:title>"
            "</news:news></url>"
            for s in self._newest()
        )
        return ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
                f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}</urlset>")

    def front(self) -> str:
        links = "".join(f"<li><a href='{s.path}'>{escape(s.title)}</a></li>" for s in self._newest(include_private=True))
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(self.outlet)}</title></head><body>"
                "<nav><a href='/'>Home</a> <a href='/world/'>World</a> <a href='/tag/harbour'>Harbour</a> "
                "<a href='/page/2'>Older</a> <a href='/about'>About us</a> <a href='/login'>Log in</a></nav>"
                f"<h1>{escape(self.outlet)}</h1><ul>{links}</ul></body></html>")

    ROBOTS = "User-agent: *\nDisallow: /private/\n"

    def _answer(self, path: str) -> tuple[str, str, bool] | None:
        """(body, content type, whether it is a listing with validators) for a path, or None (404)."""
        listings = {
            "/feed.xml": (self.rss, "application/rss+xml"),
            "/atom.xml": (self.atom, "application/atom+xml"),
            "/sitemap.xml": (self.sitemap_index, "application/xml"),
            "/news-sitemap.xml": (self.news_sitemap, "application/xml"),
            "/": (self.front, "text/html; charset=utf-8"),
        }
        listings.update(self._extra)
        if path in listings:
            render, content_type = listings[path]
            return render(), content_type, True
        if path == "/robots.txt":
            return self.ROBOTS, "text/plain", False
        with self._lock:
            story = next((s for s in self.stories if s.path == path), None)
        return (article_html(self.outlet, story), "text/html; charset=utf-8", False) if story else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in site.failing:
                    return self._send(path, 503, b"try later", "text/plain", {})
                answer = site._answer(path)
                if answer is None:
                    return self._send(path, 404, b"not found", "text/plain", {})
                body, content_type, listing = answer
                data = body.encode("utf-8")
                headers = {}
                if listing:
                    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                    modified = site._last_modified()
                    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
                    if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                        site.conditional[path] += 1
                    if _unchanged(self.headers, etag, modified):
                        return self._send(path, 304, b"", content_type, headers)
                self._send(path, 200, data, content_type, headers)

            def _send(self, path: str, status: int, data: bytes, content_type: str, headers: dict) -> None:
                site.requests[(path, status)] += 1
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if data:
                    self.wfile.write(data)

        return Handler


def _unchanged(headers, etag: str, modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; else If-Modified-Since."""
    if headers.get("If-None-Match"):
        return etag in [tag.strip() for tag in headers["If-None-Match"].split(",")]
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
