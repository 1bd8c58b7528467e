"""Listings: what a source's URL lists, be it a feed, a (news) sitemap or a front page.

A listing is read for the article URLs it names (each with what the listing says of it: title,
date, author), never for content: collection (engine/collect.py) fetches each new URL itself, so an
item is read the same way whichever kind of listing named it.
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urlsplit

import courlan
import feedparser
from courlan.filters import extension_filter
from lxml import etree

from presswatch.errors import InputError
from presswatch.ingest.decode import decode_html
from presswatch.ingest.feed import entry_hints, feed_outlet, is_web_url
from presswatch.ingest.sniff import FEED, sniff_form
from presswatch.records import AUTO_KIND, FEED_KIND, FRONT_KIND, HTML, SITEMAP_KIND

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Never fetch entities or DTDs a sitemap names (XXE); a sitemap is at most 50 MB by its protocol.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# The moment of an item or child sitemap whose listing gives none (or none that can be read).
UNDATED = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ListedItem:
    url: str
    hints: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # A sitemap's <lastmod> for it (else its news publication date), UTC; UNDATED when it gives neither.
    modified: datetime = field(default=UNDATED, compare=False)


@dataclass(frozen=True)
class Listing:
    kind: str  # feed, sitemap or front
    items: tuple[ListedItem, ...]  # a sitemap's newest first (newest_first), the others in their own order
    sitemaps: tuple[str, ...] = ()  # the child sitemaps a sitemap index names, most recently modified first


def read_listing(url: str, data: bytes, *, content_type: str | None = None, kind: str = AUTO_KIND) -> Listing:
    """The items `data` (fetched from `url`) lists, read as `kind` (told from the content when auto).

    InputError when it is none of the three kinds or lists nothing a reader could follow.
    """
    data = _gunzipped(data)
    if kind == AUTO_KIND:
        kind = listing_kind(data)
    if kind == SITEMAP_KIND:
        return _read_sitemap(data)
    if kind == FEED_KIND:
        return _read_feed(url, data)
    return Listing(FRONT_KIND, tuple(ListedItem(link) for link in article_links(url, data, content_type)))


# The sitemap protocol's own cap on a sitemap, uncompressed; also what a .xml.gz may inflate to.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


def _gunzipped(data: bytes) -> bytes:
    """Sitemaps are often served gzipped as files (.xml.gz), not as a Content-Encoding httpx undoes."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        inflated = inflater.decompress(data, MAX_SITEMAP_BYTES)
    except zlib.error as exc:
        raise InputError(f"a broken gzip file ({exc})") from None
    if inflater.unconsumed_tail:
        raise InputError(f"inflates to more than {MAX_SITEMAP_BYTES // (1024 * 1024)} MB, the sitemap limit")
    return inflated


def listing_kind(data: bytes) -> str:
    """Feed, sitemap or front page, from the content (a server's media type is often generic XML)."""
    if _sitemap_root(data) is not None:
        return SITEMAP_KIND
    form = sniff_form(data)
    if form == FEED:
        return FEED_KIND
    if form == HTML:
        return FRONT_KIND
    raise InputError("neither a feed, a sitemap nor an HTML page")


# The name of a document's first element (past the XML declaration, doctype and comments).
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*(?::[\w.-]+)?)")


def _sitemap_root(data: bytes) -> etree._Element | None:
    """The sitemap's root element; None when `data` does not look like a sitemap, InputError when it
    does but is not well-formed XML (a cut download, a CMS's broken escaping): said as such, and not
    as "neither a feed, a sitemap nor an HTML page", which sends the user looking at the wrong thing.

    A byte order mark or blank lines before the XML declaration (a stray one in a WordPress theme
    or plugin puts them before every page it serves) are passed over, as feed readers pass them
    over; to an XML parser the declaration must come first."""
    data = data.removeprefix(codecs.BOM_UTF8).lstrip()
    head = data[:2048]
    if not head.startswith(b"<") or (b"urlset" not in head and b"sitemapindex" not in head):
        return None
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        first = _FIRST_ELEMENT.search(head)
        if first and first.group(1).rsplit(b":", 1)[-1] in (b"urlset", b"sitemapindex"):
            raise InputError(f"a sitemap that is not well-formed XML ({exc}); nothing of it was read") from None
        return None  # a page or feed that names a sitemap in its first lines
    return root if etree.QName(root).localname in ("urlset", "sitemapindex") else None


def _read_sitemap(data: bytes) -> Listing:
    root = _sitemap_root(data)
    if root is None:
        raise InputError("not a readable sitemap (no urlset or sitemapindex element)")
    locations = []
    for entry in root:
        if not isinstance(entry.tag, str):  # comments, processing instructions
            continue
        location = _text(entry, "loc")
        if location and is_web_url(location):
            locations.append((location, entry))
    if etree.QName(root).localname == "sitemapindex":
        # Collection reads the first few children of an index; CMSs list them oldest first
        # (post-sitemap1.xml, post-sitemap2.xml, ...), so the order the index gives would keep a
        # large site's new sitemap out for good. Those without a <lastmod> keep their order, last.
        newest = sorted(locations, key=lambda found: _modified(_text(found[1], "lastmod")), reverse=True)
        return Listing(SITEMAP_KIND, (), tuple(location for location, _ in newest))
    items = []
    for location, entry in locations:
        hints = {"url": location}
        news = entry.find(f"{{{_NEWS_NS}}}news")
        if news is not None:
            hints["title"] = _text(news, "title", _NEWS_NS)
            hints["published"] = _text(news, "publication_date", _NEWS_NS)
            hints["outlet"] = _text(news.find(f"{{{_NEWS_NS}}}publication"), "name", _NEWS_NS)
        modified = _modified(_text(entry, "lastmod"), hints.get("published", ""))
        items.append(ListedItem(location, {k: v for k, v in hints.items() if v}, modified))
    return Listing(SITEMAP_KIND, newest_first(items))


def newest_first(items: Iterable[ListedItem]) -> tuple[ListedItem, ...]:
    """Sitemap items by their date, newest first; those without one keep their order, last.

    Collection fetches a few items per pass in this order, and sitemaps, like their indexes, are
    mostly written oldest first: in the sitemap's order a new source with 50,000 URLs would reach
    this week's articles only after hundreds of passes."""
    return tuple(sorted(items, key=lambda item: item.modified, reverse=True))  # sorted is stable, reversed too


# W3C datetime's coarser forms, a year or a year and month (fromisoformat reads the finer ones).
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _modified(*dates: str) -> datetime:
    """The first of `dates` (a sitemap's <lastmod>, then its news publication date) that can be read,
    with its zone (UTC when it gives none); UNDATED when none can. Read: W3C datetime in any of its
    forms (a year, a month, a day, a time with its zone), and the RFC 822 dates of RSS that some
    sites write there instead: an item whose date is not read goes last, and a sitemap whose dates
    are all unread is fetched in its own order, oldest first for most."""
    for text in dates:
        moment = _moment(text.strip())
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return UNDATED


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    coarse = _YEAR_MONTH.fullmatch(text)
    try:
        if coarse:
            return datetime(int(coarse[1]), int(coarse[2] or 1), 1)
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):  # month 13, year 0, or no date at all
        return None


def _text(parent: etree._Element | None, name: str, namespace: str = _SITEMAP_NS) -> str:
    if parent is None:
        return ""
    found = parent.find(f"{{{namespace}}}{name}")
    if found is None:  # sitemaps written without the namespace
        found = parent.find(name)
    return (found.text or "").strip() if found is not None else ""


def _read_feed(url: str, data: bytes) -> Listing:
    # A stream, never the bytes themselves: feedparser treats a string argument as a URL or a path.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    if not parsed.entries and not parsed.get("version"):
        # feedparser's own reason for an HTML page is about a Content-Type it was not given.
        why = "it is an HTML page" if sniff_form(data) == HTML else parsed.get("bozo_exception")
        raise InputError(f"not a readable RSS/Atom feed ({why or 'no channel or feed element'})")
    outlet = feed_outlet(parsed.get("feed") or {})
    items = []
    for entry in parsed.entries:
        hints = entry_hints(entry)
        link = hints.get("url", "")
        if not is_web_url(link):
            continue  # an entry with no link to follow lists no page
        if outlet:
            hints["outlet"] = outlet
        items.append(ListedItem(urldefrag(link).url, hints))
    return Listing(FEED_KIND, tuple(items))


# An article's address ends in a slug of several words or in a number of several digits
# (/2026/12/05/ferry-strike-ends.html, /news/council-vote-42, /story/184467); section, tag, login and
# paging links do not. Hand-written because courlan, which finds the links and knows navigation
# pages and file types, has no test for an article page (and refuses IP-address hosts outright).
_ARTICLE_SEGMENT = re.compile(r"(?:[^/-]+-){2,}[^/]+|\d{4,}")


def article_links(url: str, data: bytes, content_type: str | None = None) -> list[str]:
    """The links of a front page that lead to articles on its own host, in the page's order."""
    page = decode_html(data, content_type).text
    host = urlsplit(url).netloc.lower()
    found = []
    for link in courlan.extract_links(page, url=url, no_filter=True, external_bool=False):
        link = urldefrag(link).url
        parts = urlsplit(link)
        if parts.netloc.lower() != host or link.rstrip("/") == url.rstrip("/"):
            continue
        if courlan.is_navigation_page(link) or courlan.is_not_crawlable(link) or not extension_filter(parts.path):
            continue
        segments = [segment for segment in parts.path.split("/") if segment]
        if segments and _ARTICLE_SEGMENT.fullmatch(segments[-1].rsplit(".", 1)[0]):
            found.append(link)
    order = {link: page.find(urlsplit(link).path) for link in found}
    return sorted(set(found), key=lambda link: (order[link], link))

