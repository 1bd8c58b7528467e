"""Fuzz targets for the readers and parsers, with the hypothesis strategies that feed them.

Shared by the bounded property tests (test_robustness.py) and the longer on-demand run
(bench/fuzz.py). A target may refuse its input with a PresswatchError; any other exception, or a
result of the wrong shape, is a failure.
"""

from __future__ import annotations

import io
import json
from datetime import date

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswatch.extract import extract
from presswatch.extract.dates import find_date, looks_like_date
from presswatch.ingest.feed import read_feed
from presswatch.ingest.jsonl import read_jsonl
from presswatch.ingest.warc import read_warc
from presswatch.records import HTML, TEXT, Article, Page, Rejection, SkippedRecords

MAX_BYTES = 200_000

# --- strategies ----------------------------------------------------------------------------------

WORDS = st.sampled_from("the council said on monday that harbour plan would cost more Ann Lee By März 12 2024 "  # noqa: SIM905
                        "Président déclaré 東京都 * • - | © ... : ; [1] (BUTTON) ____".split())
ANY_TEXT = st.text(max_size=120)
SENTENCE = st.lists(WORDS, min_size=1, max_size=30).map(" ".join)
LONG_TOKEN = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", min_size=60, max_size=600)
DUMP_LINE = st.one_of(
    st.just(""), SENTENCE, LONG_TOKEN, ANY_TEXT,
    st.tuples(st.sampled_from(["", "   ", "     * ", "  1. ", "\t"]), SENTENCE).map("".join),
)
DUMPS = st.lists(DUMP_LINE, max_size=80).map("\n".join)

MONTHS = st.sampled_from(["Jan", "March", "mars", "März", "dicembre", "Sept.", "Mai", "13", "00", "0"])
DATE_TEXTS = st.one_of(
    ANY_TEXT,
    st.tuples(st.integers(-5, 99999), st.sampled_from([".", "/", "-", " ", ", "]), MONTHS,
              st.sampled_from([".", "/", "-", " ", ", "]), st.integers(-5, 99999), ANY_TEXT)
    .map(lambda t: "".join(map(str, t))),
    st.lists(st.one_of(WORDS, MONTHS, st.integers(0, 3000).map(str)), max_size=12).map(" ".join),
)

XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
ESCAPED = XML_TEXT.map(lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


@st.composite
def feeds(draw) -> bytes:
    """RSS or Atom around drawn text (escaped or raw), or raw bytes with a feed's opening."""
    text = st.one_of(ESCAPED, XML_TEXT, SENTENCE, st.just("&lt;p&gt;One paragraph.&lt;/p&gt;"))
    items = draw(st.lists(st.tuples(text, text, text, DATE_TEXTS.map(lambda s: s.replace("<", " "))), max_size=5))
    if draw(st.booleans()):
        entries = "".join(f"<item><title>{t}</title><link>http://example.org/{i}</link><description>{d}</description>"
                          f"<author>{a}</author><pubDate>{p}</pubDate></item>" for i, (t, d, a, p) in enumerate(items))
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{draw(text)}</title>{entries}</channel></rss>'
    else:
        entries = "".join(f"<entry><title>{t}</title><content type='html'>{d}</content><updated>{p}</updated></entry>"
                          for t, d, _, p in items)
        doc = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(text)}</title>{entries}</feed>'
    data = doc.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), "replace")
    if draw(st.integers(0, 3)) == 0:  # a quarter of the feeds damaged
        data = data[:draw(st.integers(0, len(data)))] + draw(st.binary(max_size=40))
    return data


@st.composite
def warcs(draw) -> bytes:
    """WARC archives of drawn records (response, request, odd statuses and types), whole, cut short,
    or followed by stray bytes; gzipped or not."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=draw(st.booleans()))
    for number in range(draw(st.integers(0, 4))):
        payload = draw(st.one_of(st.binary(max_size=300), SENTENCE.map(lambda s: f"<html><body><p>{s}</p></body></html>".encode())))
        status = draw(st.sampled_from(["200 OK", "404 Not Found", "200", "abc"]))
        media = draw(st.sampled_from(["text/html", "text/html; charset=latin-1", "image/png", "", "text/html; charset=bogus"]))
        headers = StatusAndHeaders(status, [("Content-Type", media)] if media else [], protocol="HTTP/1.1")
        kind = draw(st.sampled_from(["response", "request", "resource"]))
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>", "WARC-Date": "2024-03-05T09:00:00Z"}
        writer.write_record(writer.create_warc_record(
            draw(st.sampled_from(["http://example.org/a", "", "not-a-url"])) or "urn:x", kind, payload=io.BytesIO(payload),
            http_headers=headers, warc_headers_dict=fixed))  # fixed: the same draws make the same bytes
    data = out.getvalue() or b"WARC/1.0\r\n"
    if draw(st.integers(0, 3)) == 0:  # a quarter of the archives damaged: cut short, stray bytes after
        data = data[:draw(st.integers(0, len(data)))] + draw(st.binary(max_size=30))
    return data


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=10)
JSONL_ROWS = st.one_of(
    st.fixed_dictionaries({}, optional={"html": st.one_of(ANY_TEXT, SENTENCE.map(lambda s: f"<p>{s}</p>")), "text": DUMPS,
                                        "url": JSON_VALUES, "title": JSON_VALUES, "published": DATE_TEXTS,
                                        "author": JSON_VALUES}).map(lambda row: json.dumps(row).encode()),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=100).filter(lambda b: b"\n" not in b),
    st.just(b'{"text": "\\ud800 lone surrogate in an escape, then words of an article"}'),
)
JSONLS = st.lists(JSONL_ROWS, max_size=6).map(b"\n".join)

# --- targets -------------------------------------------------------------------------------------


def _extracted(page: Page) -> None:
    """Extract a page a reader gave: an Article or a PresswatchError, nothing else."""
    article = extract(page)
    assert isinstance(article, Article) and article.body.strip()
    article.body.encode("utf-8")  # storable: no lone surrogates


def _read_items(items) -> None:
    for item in items:
        assert isinstance(item, (Page, Rejection, SkippedRecords)), item
        if isinstance(item, Rejection):
            assert item.reason
        elif isinstance(item, SkippedRecords):
            assert item.total > 0 and all(why for why, _ in item.counts)
        else:
            item.source.encode("utf-8")
            item.content.encode("utf-8")


def textdump_target(text: str) -> None:
    _extracted(Page.make("fuzz.txt", TEXT, text))


def html_target(text: str) -> None:
    _extracted(Page.make("fuzz.html", HTML, text))


def dates_target(text: str) -> None:
    found = find_date(text)
    assert found is None or date.fromisoformat(found[:10]), found
    assert isinstance(looks_like_date(text), bool)


def feed_target(data: bytes) -> None:
    _read_items(read_feed("fuzz.xml", data))


def warc_target(data: bytes) -> None:
    _read_items(read_warc("fuzz.warc", io.BytesIO(data), max_bytes=MAX_BYTES))


def jsonl_target(data: bytes) -> None:
    _read_items(read_jsonl("fuzz.jsonl", io.BytesIO(data), max_bytes=MAX_BYTES))


HTML_TEXTS = st.one_of(ANY_TEXT, st.lists(st.one_of(SENTENCE, st.sampled_from(
    ["<p>", "</p>", "<nav>", "</nav>", "<div>", "</div>", "<a href='/'>", "</a>", "<h1>", "</h1>", "<br>", "<table><tr><td>",
     "<!--", "-->", "<script>", "</script>", "&amp;", "&#0;", "&#xD800;", "<html><body>", "<?xml version='1.0' encoding='utf-8'?>"])),
    max_size=40).map("".join))

# One ordinary input per target, run before any timing: models, language data and lazy imports load
# on the first call (dateparser's on the first date without a year).
WARMUP = {
    "textdump": "Harbour plan\n\n   The council said on Monday that the plan would cost more.\n",
    "html": "<html><body><p>The council said on Monday that the plan would cost more.</p></body></html>",
    "dates": "Published March 5 at 10:00, 12.3.",
    "feed": b'<rss version="2.0"><channel><item><description>Text.</description><pubDate>Tue, 05 Mar 2024 09:00:00 GMT'
            b"</pubDate></item></channel></rss>",
    "warc": b"WARC/1.0\r\n",
    "jsonl": b'{"text": "The council said on Monday that the plan would cost more."}',
}

# name -> (target, strategy)
TARGETS = {
    "textdump": (textdump_target, DUMPS),
    "html": (html_target, HTML_TEXTS),
    "dates": (dates_target, DATE_TEXTS),
    "feed": (feed_target, feeds()),
    "warc": (warc_target, warcs()),
    "jsonl": (jsonl_target, JSONLS),
}
