"""Article body and metadata from an HTML page.

trafilatura finds the body (fast mode first, its full readability/justext cascade and recall mode
for short results) and the metadata candidates; presswatch then chooses among candidates the way
the page shows them to a reader, because trafilatura prefers meta tags: a `<title>` carries the site
name ("Headline | Site"), a headline its kicker, and its author normalisation rewrites names
("Marwan H. Adwan" → "Marwan H Adwan", "A, B" → "A; B"). Measured with `bench/extract.py quality`
on the dev halves (trafilatura 2.3.1 alone in brackets): article-extraction F1 0.970 (0.955),
trafilatura-evaluation F 0.932 (0.922), title 0.873 (0.581), author 0.712 (0.550), date 0.929
(0.883: microdata's datePublished a reader can see, else the same htmldate call, then the date the
page shows by its headline, or the publication date it labels there, or a dateline opening the
article's text where no metadata states the date found, or the day shown in the month its address
names). Rules added since 0.852/0.675/0.891 were chosen on half A of the metadata set, whose misses
`tools/metadata_halves.py --errors FIELD` lists; half B, whose pages are never looked at, went from
0.878/0.671/0.889 to 0.878/0.671/0.894 (title/author/date), to 0.899 with the next round (half A
0.929 -> 0.941: the labelled date searched by the headline only, hidden dates left out), to 0.904
with the dateline (half A 0.947) and to 0.878/0.678/0.914 with bylines and date lines looked for in
the <article> holding the headline (half A 0.867/0.750/0.947). An update the page shows before its
publication date, taken as the date, was right on 3 of 3 such pages of half A and lost 2 of half B:
left out. Searching the labelled date in the page's whole visible text cost 1.1 ms a page, which put
`bench/extract.py`'s HTML ratio under its 0.8 bar; by the headline it costs nothing measurable.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from html import unescape
from itertools import chain
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from lxml.etree import Element, ElementDefaultClassLookup, ParserError, XPath, iterwalk
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
    fromstring,
)
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
)
from trafilatura.settings import Document
from trafilatura.utils import DOCTYPE_TAG, is_dubious_html, repair_faulty_html

from presswatch.errors import InputError
from presswatch.extract.assemble import assemble_article
from presswatch.extract.byline import find_byline
from presswatch.extract.dates import dateline, looks_like_date
from presswatch.extract.dates import find_date as find_written_date, hinted_date
from presswatch.extract.slug import (
    SLUG_MIN_SHARE,
    address_segments,
    slug_share,
    slug_words,
)
from presswatch.extract.textmeta import (
    copyright_holder,
    credited_source_from_body,
    dated_byline,
    expanded_acronym,
    is_bare_address,
    published_by,
    without_role,
    written_byline,
)
from presswatch.records import Article, Page

LOGGER = logging.getLogger(__name__)

# htmldate settings: "original" (first published, not last modified) with the extensive text
# search measured best on the trafilatura evaluation set (0.878 vs 0.842 without extensive search).
DATE_PARAMS = {"original_date": True, "extensive_search": True}
# Below this many characters of body, trafilatura's balanced extraction is retried in recall mode.
MIN_BODY_CHARS = 250
# trafilatura's fast mode (its own extractor, without the readability/justext comparison) is as
# good or better on full articles and a quarter cheaper; the comparison pays off on short or
# unusual pages, so it runs when fast mode finds less than this many characters. Measured on the
# dev halves (bench/extract.py quality): extraction F1 0.966 (full cascade 0.959), trafilatura
# evaluation F 0.928 (0.927), with the full cascade run on 7 of 90 news pages.
FULL_CASCADE_BELOW = 1000

_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+(?:--|[|–—•·»›:~-])\s+|\s*[|»›]\s*")
# Labels sites put before a name: "By", "View all posts by", "Artikel von:", "~".
_BYLINE_PREFIX = re.compile(
    r"^[~|•·–—-]?\s*(?:(?i:(?:view|see|show)\s+all\s+(?:posts|articles|stories)\s+by|(?:zeige\s+)?alle\s+(?:beiträge|artikel)\s+von|"
    r"(?:artikel|beitrag|text|ein\s+beitrag)\s+von|zum\s+profil\s+von|more\s+(?:from|by)|(?:posted|written)\s+by|"
    r"by|von|vom|par|por|di|door|autor(?:in)?|author|text)\b)?\s*:?\s*(?=\S)"
)
# Interface labels a byline search picks up instead of a name.
_NOT_NAMES = frozenset({"name", "follow", "posted", "admin", "wordpressadmin", "human", "author", "autor", "share"})
# ...and what a comment's or a form's label adds to a name ("Ann sagt:", "Name (erforderlich)").
_NOT_NAME_WORDS = re.compile(r"(?i)\b(?:updated|modified|published|geändert|aktualisiert|veröffentlicht|edited|"
                             r"sagt|said|says|schreibt|erforderlich|required|pflichtfeld)\b")
# More names than a byline holds, or longer ones than a name has: a tag list or a blurb.
_MAX_NAMES, _MAX_NAME_WORDS = 4, 5
# A byline element's text is taken as it stands only when it is one name (a list of several is a tag list).
_ONE_NAME_WORDS = 3
_AUTHOR_PARTS = re.compile(r"\s*(?:;|,|&|/|\band\b|\bund\b|\by\b|\bet\b)\s*")


def _squeezed(text: str) -> str:
    """`text` with its white space squeezed to single spaces and stripped: `_SPACE.sub(" ", text).strip()`
    in a third of the time (`split()` and `\\s` know the same white space)."""
    return " ".join(text.split())


def _text(element: HtmlElement) -> str:
    return _squeezed(" ".join(element.itertext()))


_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def _key(text: str | None) -> str:
    """Comparison key: letters and digits only, case-folded."""
    return _NOT_LETTERS_OR_DIGITS.sub("", (text or "").casefold())


def _json_ld_objects(tree: HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
            elif isinstance(item, list):
                stack.extend(item)
    return objects


# A page's <meta> tags as (property or name, lowercased; content, spaces squeezed), in page order.
MetaTags = list[tuple[str, str]]


def _meta_tags(tree: HtmlElement) -> MetaTags:
    """Read once per page: the title, author and outlet choices each look up a few names, and each
    search through the page's elements cost as much as reading them all."""
    found = []
    for meta in tree.iterfind(".//meta[@content]"):
        if content := _squeezed(meta.get("content") or ""):
            found.append(((meta.get("property") or meta.get("name") or "").lower(), content))
    return found


def _meta_contents(metas: MetaTags, *names: str) -> list[str]:
    return [content for key, content in metas if key in names]


_MIN_SHORTENED_WORDS = 4
_WORD = re.compile(r"\w+")


def _similarity(candidate: str, reference: str) -> float:
    """How much of a visible heading the meta title confirms (1.0 = contained in it)."""
    a, b = _key(candidate), _key(reference)
    if not a or not b:
        return 0.0
    # a meta title may also be the headline cut short ("Quay café toasts rescue centre")
    if b in a and len(reference.split()) >= _MIN_SHORTENED_WORDS:
        return 1.0
    # a heading inside a meta title confirms it as far as it covers it: "detail" or a section name
    # in "Site - Section - Headline" confirms less than the headline does
    if a in b:
        return 1.0 if len(a) >= len(b) / 2 else 0.6 + 0.4 * len(a) / len(b)
    words_a = set(_WORD.findall(candidate.casefold()))
    words_b = set(_WORD.findall(reference.casefold()))
    return len(words_a & words_b) / len(words_a) if words_a else 0.0


def _is_home_link(href: str, host: str | None) -> bool:
    """A link to this site's home page: "/", or the page's own host with no path."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if parts.query or parts.fragment:
        return False
    if not parts.netloc:
        return parts.path == "/"
    return parts.path in ("", "/") and host is not None and (parts.hostname or "").removeprefix("www.") == host


def _home_link_candidates(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The page's links whose address ends at a host or a bare "/", so that _is_home_link parses a
    handful of a page's hundreds of addresses. Tested with string methods: the XPath doing it
    (`substring-after(@href, "://")`, …) took half as long again on the extraction dev pages."""
    for link in tree.getroottree().getroot().iter("a"):  # the document's, as "//" was
        href = link.get("href")
        if href == "/" or (href and "://" in href and ("/" not in (rest := href.partition("://")[2])
                                                         or not rest.partition("/")[2])):
            yield link


def _home_link_names(tree: HtmlElement, host: str | None) -> list[str]:
    """What the links to the home page say (their text, or their logo's alt text): the site's name."""
    names = []
    for link in _home_link_candidates(tree):
        if not _is_home_link(link.get("href") or "", host):
            continue
        text = _text(link) or " ".join(img.get("alt") or "" for img in link.iterfind(".//img")).strip()
        if text and len(text.split()) <= 6 and text.casefold() not in _HOME_WORDS:
            names.append(text)
    return names


# What a home link says when it does not give the site's name.
_HOME_WORDS = frozenset({"home", "homepage", "home page", "front page", "start", "startseite", "accueil", "inicio", "logo"})


def _strip_site_from_title(title: str, site_keys: set[str]) -> str:
    """'Headline | Site' → 'Headline', when one part names the site (or is clearly the shorter tail)."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    kept = [p for p in parts if not any(k and (k in _key(p) and len(_key(p)) <= len(k) + 8) for k in site_keys)]
    if kept and len(kept) < len(parts):
        return max(kept, key=len) if len(kept) > 1 else kept[0]
    return title


# Parts of a headline element that are not the headline: kickers, section labels, hidden separators.
_KICKER_CLASS = re.compile(
    r"kicker|topline|overline|eyebrow|subtitle|subheadline|topic|label|section|rubric|category|dachzeile|"
    r"visually-hidden|sr-only|screen-reader|colon",
    re.IGNORECASE,
)


def _headline_text(heading: HtmlElement) -> str:
    """A heading's text without its kicker ("Klimaschutz: | Bohren, bis es heiß wird")."""
    text = heading.text or ""
    for child in heading:
        if isinstance(child.tag, str) and not _KICKER_CLASS.search(child.get("class") or ""):
            text = _glued(text, _headline_text(child))
        text = _glued(text, child.tail or "")
    return _SPACE.sub(" ", text).strip(" :|-–—")


def _glued(text: str, following: str) -> str:
    """Two pieces of a heading's text either side of an element's edge: a space between them, unless
    the second goes on with punctuation ("Frauen im <abbr>THW</abbr>: Vergangenheit" is not "THW :")."""
    if following[:1] in _CLOSING_PUNCTUATION and text[-1:] and not text[-1:].isspace():
        return text + following
    return f"{text} {following}"


_CLOSING_PUNCTUATION = frozenset(":;,.!?)")
# Headings for screen readers and skip links ("Navigation und Service", "Hauptnavigation"): classes
# that hide an element, as a whole word ("overflow-hidden" hides only what overflows).
_HIDDEN_HEADING = re.compile(
    r"(?<![\w-])(?:nav-?skip|skip-?link|aural|sr-only|visually-?hidden|screen-?reader(?:-text)?|element-invisible|"
    r"hidden|offscreen)(?![\w-])",
    re.IGNORECASE,
)


def _is_hidden(heading: HtmlElement) -> bool:
    return bool(_HIDDEN_HEADING.search(f'{heading.get("class") or ""} {heading.get("id") or ""}'))


def _is_logo(heading: HtmlElement) -> bool:
    """A heading that is only a link to the site's home page is the site's logo, not a headline."""
    links = heading.findall(".//a")
    if not links or _text(heading) != " ".join(_text(a) for a in links).strip():
        return False
    return all(
        urlsplit(a.get("href") or "").path in ("", "/") and not urlsplit(a.get("href") or "").query for a in links
    )


def _headings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    found = []
    for heading in tree.iter("h1"):
        if _is_logo(heading) or _is_hidden(heading):
            continue
        text = _headline_text(heading) or _text(heading)
        if text and len(text) <= 300 and _key(text) not in site_keys:
            found.append(text)
    return found


def _subheadings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    """<h2> headings, on pages with no <h1> at all: older and hand-made pages head the article with one."""
    if tree.find(".//h1") is not None:
        return []
    return [text for heading in tree.iter("h2") if (text := _headline_text(heading) or _text(heading))
            and len(text) <= 300 and _key(text) not in site_keys]


def _title_headings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    """Headings marked up as the entry's title (blogs often keep <h1> for the blog's name)."""
    found = []
    # lxml picks the headings by tag in C; an XPath testing every element of the page cost 3.5 times more
    for heading in tree.getroottree().getroot().iter("h1", "h2", "h3"):  # the document's, as "//" was
        if "title" not in (cls := heading.get("class") or "") and "headline" not in cls:
            continue
        text = _headline_text(heading) or _text(heading)
        if text and len(text) <= 300 and _key(text) not in site_keys:
            found.append(text)
    return found


def _site_keys(sitename: str | None, host: str | None, home_names: list[str]) -> set[str]:
    """The names the site goes by, as keys: its declared name, its address, what its home-page links say."""
    named = (_key(sitename), _key(host.split(".")[-2] if host and "." in host else host), *map(_key, home_names))
    return {k for k in named if k}


def _choose_title(
    tree: HtmlElement, metas: MetaTags, meta_title: str | None, ld: list[dict], site_keys: set[str],
    home_names: list[str],
) -> str | None:
    """The headline as the page shows it: the <h1> (or title-classed heading) that the page's
    meta titles confirm; else the meta title without the site's name (`site_keys`, see _site_keys)."""
    home_keys = {k for k in map(_key, home_names) if k}
    references = _meta_contents(metas, "og:title", "twitter:title")
    references += [o["headline"] for o in ld if isinstance(o.get("headline"), str)]
    head_title = tree.find(".//head/title")
    if head_title is not None and (text := _text(head_title)):
        references.append(text)
    if meta_title:
        references.append(meta_title)
    # a reference that is only what the home-page link says is the site's name, not a headline (the
    # declared site name is often the headline itself, so it does not count here)
    # ...nor is a hidden heading, which trafilatura takes for the title when it is the page's first <h1>
    hidden = {_key(_text(h)) for h in tree.iter("h1") if _is_hidden(h)}
    references = [r for r in (_strip_site_from_title(r, site_keys) for r in references)
                  if _key(r) not in home_keys and _key(r) not in hidden]
    for headings in (_headings(tree, site_keys), _title_headings(tree, site_keys), _subheadings(tree, site_keys)):
        if headings and references:
            scored = [(max(_similarity(h, r) for r in references), -i, h) for i, h in enumerate(headings)]
            best, _, heading = max(scored)
            if best >= 0.6:
                return heading
        elif len(headings) == 1:
            return headings[0]
    # with no heading to confirm, a declared title that another one holds with more around it is the
    # headline without the extras ("Ferry fares up again?" beside "Ferry fares up again? | Transport | Forum")
    held = [r for r in references if len(r.split()) >= _MIN_SHORTENED_WORDS
            and any(_key(r) != _key(other) and _key(r) in _key(other) for other in references)]
    return (held or references)[-1] if references else None


# Where the address's slug is looked for when the chosen title does not spell it: headings and the
# titles the page declares (whole, and their parts between separators).
_SLUG_HEADINGS = XPath("//h1|//h2|//h3|//*[contains(@class, 'title') or contains(@class, 'headline')]")


def _slug_title(tree: HtmlElement, metas: MetaTags, title: str | None, url: str | None,
                site_keys: set[str]) -> str | None:
    """The heading or declared title that the page's address spells out, when the chosen title shares
    no more than a word with it (a section name in the <h1>, a site name): see extract/slug.py. A
    title sharing several words is kept: headings confirmed by the meta titles rarely miss, and an
    address often holds a shorter, older or rewritten headline; so is one sharing them with a segment
    above the slug (an article's gallery or sub-page: "/ferry-fares-up-again/the-new-timetable/"). The
    declared titles are read without the site's name, which the address often spells too
    ("hr-innovation.org/hr-innovation-…")."""
    slug = slug_words(url)
    if not slug or (title and any(slug_share(title, words) > 0 for words in address_segments(url))):
        return title
    declared = _meta_contents(metas, "og:title", "twitter:title")
    head_title = tree.find(".//head/title")
    if head_title is not None:
        declared.append(_text(head_title))
    candidates = [_headline_text(h) or _text(h) for h in _SLUG_HEADINGS(tree)]
    candidates += [part for text in declared
                   for part in (_strip_site_from_title(text, site_keys), *_TITLE_SEPARATORS.split(text))
                   if _key(part) not in site_keys]
    best, best_share = title, SLUG_MIN_SHARE - 1e-9
    for candidate in candidates:
        if candidate and len(candidate) <= 300 and (share := slug_share(candidate, slug)) > best_share:
            best, best_share = candidate.strip(), share
    return best


_SPACE_BEFORE_COMMA = re.compile(r"\s+,")
# A name written twice in a row ("jesusfreak jesusfreak": a handle and its display name).
_REPEATED_NAME = re.compile(r"^(\S+(?:\s\S+)?)\s+\1$", re.IGNORECASE)


def _clean_author(text: str) -> str:
    text = _BYLINE_PREFIX.sub("", unescape(_SPACE.sub(" ", text)).strip())
    text = _SPACE_BEFORE_COMMA.sub(",", text).strip(" ,;|\"'“”„«»")
    return _REPEATED_NAME.sub(r"\1", text)


def _display_authors(tree: HtmlElement, metas: MetaTags, ld: list[dict], visible_first: bool) -> Iterator[str]:
    """Author strings as the page writes them, unnormalised: meta and JSON-LD values, and byline
    elements near the headline (an XPath over the page, so asked for last unless the way several
    names are joined matters: only the visible byline shows that)."""

    def from_metadata() -> Iterator[str]:
        raw = _meta_contents(metas, "author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")
        for obj in ld:
            author = obj.get("author")
            names = [
                a.get("name") if isinstance(a, dict) else a for a in (author if isinstance(author, list) else [author])
            ]
            names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
            if names:
                raw.append(", ".join(names))
        yield from (_clean_author(r) for r in raw if not r.lower().startswith("http"))

    def from_page() -> Iterator[str]:
        scope = _byline_scope(tree)
        yield from _byline_texts(scope if scope is not None else tree)

    sources = (from_page, from_metadata) if visible_first else (from_metadata, from_page)
    for source in sources:
        yield from source()


_BYLINE_ELEMENTS = XPath(
    './/*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")]')


def _byline_texts(root: HtmlElement) -> Iterator[str]:
    """What the byline elements under `root` say, labels ("By", "Von") removed."""
    for element in _BYLINE_ELEMENTS(root):
        text = _text(element)
        if 2 < len(text) < 120:
            yield _clean_author(text)


# Elements a written byline ("Von Ann Lee", "Text: Ann Lee") stands in on its own.
_BYLINE_LINE_TAGS = ("p", "div", "span", "em", "i", "b", "strong", "small", "address", "li", "h4", "h5", "h6", "td")


def _written_byline(root: HtmlElement, paragraphs: tuple[str, ...]) -> str | None:
    """A byline written as a line of text, with no markup saying so: among the article's paragraphs
    (body extraction often keeps it), else an element near the headline."""
    for paragraph in paragraphs[:3] + paragraphs[-3:]:
        if name := written_byline(paragraph) or dated_byline(paragraph):
            return without_role(name)
    for element in root.iter(*_BYLINE_LINE_TAGS):
        text = _short_text(element, 100)
        if text and (name := written_byline(text) or dated_byline(text)):
            return without_role(name)
    return None


def _short_text(element: HtmlElement, limit: int) -> str | None:
    """The element's text when it is at most `limit` characters long, else None, without reading
    past the limit (a page's outer elements hold all of its text)."""
    parts, length = [], 0
    for part in element.itertext():
        length += len(part)
        if length > 2 * limit:  # before squeezing spaces
            return None
        parts.append(part)
    text = _squeezed(" ".join(parts))
    return text if len(text) <= limit else None


def _is_site_name(name: str, site_keys: set[str]) -> bool:
    key = _key(name)
    return any(key == k or (len(k) >= 5 and k in key) for k in site_keys)


def _choose_author(found: str, tree: HtmlElement, metas: MetaTags, ld: list[dict], site_keys: set[str]) -> tuple[str | None, str | None]:
    """trafilatura's author, written as the page writes it, without parts that are the site's name.

    A byline like "Rob Picheta, CNN" credits the outlet next to the writer: the outlet is kept in
    `outlet`, the author field keeps the person. Returns (person, site_signature): a byline that is
    only the site's name is returned second, to use when no person is found anywhere.
    """
    names = [
        n
        for n in (_clean_author(s) for s in found.split(";"))
        if n
        and _key(n) not in _NOT_NAMES
        and len(n.split()) <= _MAX_NAME_WORDS
        and not _NOT_NAME_WORDS.search(n)
        and not looks_like_date(n)
    ]
    if len(names) > _MAX_NAMES:
        return None, None
    if not names:
        return None, None
    people = [n for n in names if not _is_site_name(n, site_keys)]
    written = _as_written(people or names, tree, metas, ld)
    return (written, None) if people else (None, written)


def _as_written(names: list[str], tree: HtmlElement, metas: MetaTags, ld: list[dict]) -> str:
    """The names as the page writes them (spelling, initials, how several are joined)."""
    wanted = {_key(n) for n in names}
    for display in _display_authors(tree, metas, ld, visible_first=len(names) > 1):
        parts = [p for p in _AUTHOR_PARTS.split(display) if p.strip()]
        if {_key(p) for p in parts} == wanted:
            return display
        kept = [p for p in parts if _key(p) in wanted]
        if {_key(p) for p in kept} == wanted and len(kept) == len(names):
            return ", ".join(kept)
    return ", ".join(names)


def _author(tree: HtmlElement, metas: MetaTags, ld: list[dict], metadata: Document, host: str | None,
            paragraphs: tuple[str, ...]) -> str | None:
    """The person who wrote the article: from meta tags and JSON-LD, else (or when those only name
    the site) from the byline on the page; the site's own name only when no person is named."""
    site_keys = {k for k in (_key(metadata.sitename), _key(host.split(".")[-2] if host and "." in host else host)) if k}

    def sources() -> Iterator[str | None]:
        yield metadata.author
        scope = _byline_scope(tree)
        yield find_byline(tree, scope)  # costly: only when metadata gave no person
        yield _written_byline(scope if scope is not None else tree, paragraphs)
        if scope is not None:  # a byline element holding one name, which trafilatura takes for a handle
            yield next((text for text in _byline_texts(scope) if 0 < len(text.split()) <= _ONE_NAME_WORDS
                        and not _AUTHOR_PARTS.search(text)), None)

    signature = None
    for found in sources():
        if found:
            person, site_signature = _choose_author(found, tree, metas, ld, site_keys)
            if person:
                return _full_name(person, tree, metadata.sitename) if _is_first_name(person) else person
            signature = signature or site_signature
    return signature



def _is_first_name(name: str) -> bool:
    """One capitalised word of letters ("Todd"): a handle is written in lower case or with digits."""
    return name.isalpha() and name[:1].isupper() and not name.isupper()


# Where a page writes its author's whole name beside a byline that gives the first name only: author
# boxes ("Stefanus Stahl - Maschinenbauer…"), name fields ("full-name"), a personal site's own name.
_AUTHOR_BOXES = XPath('//*[@rel="author" or contains(@class, "author") or contains(@class, "name") '
                      'or contains(@class, "byline")]')


def _full_name(first: str, tree: HtmlElement, sitename: str | None) -> str:
    """A first name completed with the surname the page writes after it, where it does; else as it is."""
    # the name ends there: at the text's end or at a separator ("Stefanus Stahl - Maschinenbauer"), not
    # in a sentence ("Kathrin Hallo Tina, …": a reply to a comment)
    following = re.compile(rf"(?<!\w){re.escape(first)}\s+([^\W\d_][\w'’-]+)(?=\s*$|\s*[-–—,|•·(/])")
    head_title = tree.find(".//head/title")
    texts = (_short_text(e, 200) for e in _AUTHOR_BOXES(tree) if "comment" not in (e.get("class") or ""))
    for text in chain(texts, (sitename, _text(head_title) if head_title is not None else None)):
        for match in following.finditer(text or ""):
            surname = match.group(1)
            if surname[0].isupper() and not surname.isupper() and _key(surname) not in _NOT_NAMES \
                    and not _NOT_NAME_WORDS.search(surname) and not looks_like_date(surname):
                return f"{first} {surname}"
    return first


def _page_metadata(tree: HtmlElement) -> Document:
    """Title, author and site name candidates from meta tags and JSON-LD, as trafilatura reads them.

    This is the part of `trafilatura.metadata.extract_metadata` presswatch uses; the rest of it
    (categories, tags, licence, a deep copy of the page for the byline search) cost a third of the
    extraction time and feed nothing here. The date and the byline search follow in `extract_html`.
    """
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:  # trafilatura's guard against handles
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001 - trafilatura's JSON-LD reader trips on malformed data
        LOGGER.debug("JSON-LD metadata unreadable, meta tags kept: %s", exc)
    metadata.title = metadata.title or extract_title(tree)
    metadata.sitename = (metadata.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return metadata


# HTML's sectioning elements: a <header> inside none of them is the page's banner (the site's name,
# its search bar, a section title), not the article's header.
_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})


def _in_banner(element: HtmlElement) -> bool:
    """Whether the element stands in the page's banner: a <header> outside every sectioning element."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _SECTIONING:
            return False
        if ancestor.tag == "header":
            return not any(outer.tag in _SECTIONING for outer in ancestor.iterancestors())
    return False


def _byline_scope(tree: HtmlElement) -> HtmlElement | None:
    """The part of the page around the headline, where bylines and date lines stand: the <article>
    holding the headline, else the headline's container a few levels up; the first <article> on a
    page whose headings are all the banner's or the logo. An <article> beside the headline is a
    teaser or a box (on half A of the metadata dev set, tools/metadata_halves.py, the first
    <article> found the byline of 2 pages fewer and no more dates). Bylines there are preferred over
    the comment and sidebar bylines of other people (measured: author accuracy 0.583 against 0.579
    page-wide)."""
    # headings with text that are not the logo: an empty or logo <h1> often stands in the site's
    # header (a hidden one, "Details" for screen readers, still stands by the article)
    headings = [h for h in tree.iter("h1") if _text(h) and not _is_logo(h)]
    headlines = [h for h in headings if not _in_banner(h)]
    for headline in headlines:
        if (article := next(headline.iterancestors("article"), None)) is not None:
            return article
    if not headlines and (article := tree.find(".//article")) is not None:
        return article
    if not headings:
        return None
    scope = (headlines or headings)[0]
    for _ in range(3):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    return scope


# A crawl archive's address wraps the page's own: https://web.archive.org/web/2016…/http://site/…
_ARCHIVED_URL = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(?P<url>.+)$")
_COMPANY_FORM = re.compile(r"\b(?:GmbH|AG|Inc|Ltd|LLC|S\.A|S\.p\.A|Corp|Corporation)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


def _host(url: str | None) -> str | None:
    if not url:
        return None
    archived = _ARCHIVED_URL.match(url)
    if archived:
        url = archived.group("url")
        url = url if "://" in url else f"http://{url}"
    host = urlsplit(url).hostname if "://" in url else None
    return host.removeprefix("www.") if host else None


# "Site.de", "example.com": a part of a name that ends like a domain.
_DOMAIN_ENDING = re.compile(r"\w\.[a-z]{2,4}\b")


def _site_name_part(name: str) -> str:
    """'Site.de » Blog Archiv' → 'Site.de': of a name with separators, the part naming the site;
    'SPT - Selvan Public Television' → 'Selvan Public Television': an acronym's expansion."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(name) if p.strip()]
    first = name.split()[0] if name.split() else name
    if (expansion := expanded_acronym(first, name[len(first):])) and len(parts) <= 2:
        return expansion
    if len(parts) < 2:
        return name
    return next((p for p in parts if _DOMAIN_ENDING.search(p)), parts[0])


# Where a page shows its own name: the logo, the brand or masthead element; and its footer, where
# the copyright line stands. Class or id naming them, class alone naming the others.
_BRAND_OR_FOOTER_CLASS_OR_ID = re.compile(r"logo|site-title|foot")
_BRAND_OR_FOOTER_CLASS = re.compile(r"brand|masthead|site-name|copyright")
_BRAND = re.compile(r"logo|brand|masthead|site-title|site-name")


def _brands_and_footers(tree: HtmlElement) -> list[HtmlElement]:
    """Brand and footer elements in document order, in one walk: an XPath of seven `contains()`
    tests on every element took 2.7 times as long on the extraction dev pages."""
    found = []
    for element in tree.getroottree().getroot().iter(Element):  # the document's, as "//" was
        cls = element.get("class") or ""
        if (element.tag == "footer" or _BRAND_OR_FOOTER_CLASS_OR_ID.search(f'{cls} {element.get("id") or ""}')
                or _BRAND_OR_FOOTER_CLASS.search(cls)):
            found.append(element)
    return found


def _shown_site_names(tree: HtmlElement, title: str | None) -> list[str]:
    """The names the page shows for itself, in order of trust: its logo or brand element (text, or
    the logo image's alt text), the holder of its copyright line, the part of its <title> that is
    not the headline."""
    names, holders, tails = [], [], []
    found = _brands_and_footers(tree)
    brands = [e for e in found if e.tag != "footer" and _BRAND.search(f'{e.get("class") or ""} {e.get("id") or ""}')]
    for element in brands[:5]:
        text = _short_text(element, 60) or " ".join(img.get("alt") or "" for img in element.iter("img")).strip()
        if text and text.casefold() not in _HOME_WORDS:
            names.append(text)
    for element in [e for e in found if e not in brands][:5]:
        if (text := _short_text(element, 400)) and (holder := copyright_holder(text)):
            holders.append(holder)
            break
    head_title = tree.find(".//head/title")
    if head_title is not None and title:
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(_text(head_title)) if p.strip()]
        rest = [p for p in parts if _similarity(p, title) < 0.6]
        if 0 < len(rest) < len(parts):
            tails.append(rest[-1] if parts[-1] in rest else rest[0])
    # A publisher named after its publication ("Kestrel Publishing" of "The Kestrel") gives way to
    # the publication's own name, wherever the page shows it.
    holders = [h for h in holders if not any(published_by(n, h) for n in names + tails)]
    return names + holders + tails


# What a name does not hold: a question or exclamation, a sentence's full stop, a number, a numbering.
_NOT_A_NAME = re.compile(r"[?!]|[^\W\d_]{3}\.\s|\d{3}|^\d+\.|\d\.$")


def _plausible_site_name(name: str, title: str | None, handles: set[str]) -> bool:
    """Site-name metadata is often something else: a Twitter handle, a copyright notice, a date,
    a sentence from the article or its title, or the publishing company."""
    if not 2 <= len(name) <= 60 or _key(name) in handles or _key(name) == _key(title):
        return False
    lowered = name.lower()
    if "http" in lowered or "©" in name or "copyright" in lowered or "_" in name:
        return False
    if _NOT_A_NAME.search(name) or len(name.split()) > 6:
        return False
    return not (find_written_date(name) or _NUMERIC_DATE.search(name) or _COMPANY_FORM.search(name))


def _choose_outlet(
    tree: HtmlElement, metas: MetaTags, ld: list[dict], hinted: str | None, found: str | None, title: str | None, url: str | None,
    home_names: list[str],
) -> str | None:
    """The site's own name: what the page declares (og:site_name, JSON-LD WebSite/publisher names,
    the application name), then the name its feed gives (`hinted`), trafilatura's pick (other meta
    tags, the title's tail), then what the page shows (logo, copyright line, <title>); for a page
    with no address, what its home-page links say (measured on the dev pages, which all have
    addresses, those links often say "Logo", "Zur Startseite" or an author's name). Never the
    address itself: a page that does not name itself has no outlet rather than a host name."""
    handles = {_key(h) for h in _meta_contents(metas, "twitter:site", "twitter:creator")}
    candidates = _meta_contents(metas, "og:site_name")
    for obj in ld:
        kind = obj.get("@type")
        if kind == "WebSite" or (isinstance(kind, list) and "WebSite" in kind):
            candidates.append(obj.get("name"))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            candidates.append(publisher.get("name"))
    candidates += _meta_contents(metas, "application-name", "apple-mobile-web-app-title")
    candidates += [hinted, found]

    def shown() -> Iterator[str]:  # searched only when nothing declared names the site
        yield from _shown_site_names(tree, title)
        if url is None:  # with no address to name the site, what its home-page link says has to do
            yield from home_names

    for candidate in chain(candidates, shown()):
        if isinstance(candidate, str) and candidate.strip():
            name = _site_name_part(_SPACE.sub(" ", candidate).strip())
            if _plausible_site_name(name, title, handles) and not _is_address(name, url):
                return name
    return None


def _is_address(name: str, url: str | None) -> bool:
    """An address is not a publication's name: the page's own host ("radioskelby.example") or an IP."""
    host = _host(url)
    return bool(is_bare_address(name) or (host and _key(name) == _key(host)))


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (_squeezed(line) for line in (text or "").split("\n")) if p)


def _chars(paragraphs: tuple[str, ...]) -> int:
    return sum(len(p) for p in paragraphs)


# What only a layout table holds: a data table's cells carry values, not headings and paragraphs.
_LAYOUT_CONTENT = ("h1", "h2", "h3", "p")
_LAYOUT_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    """Pages laid out with tables (menu in one cell, article in the next) become divisions, which
    trafilatura reads as blocks; left as a table, it renders the whole page as one table row,
    menu and advertisements included."""
    for table in list(tree.iter("table")):
        cells = [cell for cell in table.iter("td", "th") if _owning_table(cell) is table]
        if any(child.tag in _LAYOUT_CONTENT for cell in cells for child in cell):
            for element in [table, *(e for e in table.iter() if e.tag in _LAYOUT_TAGS and _owning_table(e) is table)]:
                element.tag = "div"


def _owning_table(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors("table"), None)


def _body_text(tree: HtmlElement, url: str | None) -> tuple[str, ...]:
    # trafilatura works on its own copy of the tree: copying is four times faster than re-parsing
    def run(**options) -> tuple[str, ...]:
        document = trafilatura.bare_extraction(tree, url=url, include_comments=False, **options)
        return _paragraphs(document.text if document else None)

    paragraphs = run(fast=True)
    if _chars(paragraphs) < FULL_CASCADE_BELOW:
        paragraphs = run()
    if _chars(paragraphs) < MIN_BODY_CHARS:
        retried = run(favor_recall=True)
        if _chars(retried) > _chars(paragraphs):
            paragraphs = retried
    return paragraphs


def _without_headline(paragraphs: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    """The body without the headline trafilatura keeps at its top: the title has its own field."""
    first, headline = (_key(paragraphs[0]), _key(title)) if title and paragraphs else ("", "")
    # the headline element may carry a kicker the title leaves out: "Klimaschutz: Bohren, bis…"
    if headline and headline in first and len(first) <= 1.5 * len(headline) + 20:
        return paragraphs[1:]
    return paragraphs


# What a class, id or itemprop says of an element holding an article's date line, matched with
# case as written here (as the XPath that selected these elements before did).
_DATE_HOLDER = re.compile(r"date|Date|time|Time|datum|publish|posted|meta|info|byline|fecha")
# A date line is the date and a few words around it (a label, the author, a time); a longer text
# that merely contains a date is a teaser or a comment. 40 and 60 scored alike on the metadata dev
# set (`presswatch eval extraction ../shared/eval/extraction-metadata/dev.jsonl`).
_DATE_LINE_EXTRA_CHARS = 40
_UPDATED_WORDS = re.compile(r"(?i)\b(?:updated|aktualisiert|actualizado|mis à jour|aggiornato)\b")


def _date_line(element: HtmlElement) -> str | None:
    """The date an element's text shows, when the element is a date line (see _DATE_LINE_EXTRA_CHARS)."""
    text = _text(element)
    found = find_written_date(text) if len(text) <= 120 else None
    if found is None and element.tag == "time":
        found = find_written_date(element.get("datetime") or "")
    if found and (_UPDATED_WORDS.search(text) or len(text) - len(found) <= _DATE_LINE_EXTRA_CHARS
                  or written_byline(text)):  # "05.02.2020 - Redaktion: Ann Lee (Pressesprecherin)"
        return found
    return None


_TIME_STAMPS = XPath(".//time/@datetime", smart_strings=False)


def _visible_date(tree: HtmlElement, metadata_date: str | None) -> str | None:
    """The date the page shows a reader by the headline, where it differs from the metadata's.

    htmldate reads meta tags and JSON-LD first; pages often show another date under the headline (the
    day of the last update, or of the print edition) and that shown date is what readers and the
    metadata dev set take as the article's. The metadata date is kept whenever the headline's
    surroundings show it anywhere (measured on the metadata dev set, bench/extract.py quality).
    With no date line there, a publication date the surroundings label as such is taken.
    """
    scope = _byline_scope(tree)
    if scope is None:
        return None
    first = None
    for element in _date_holders(scope):
        if not any("comment" in (a.get("class") or a.get("id") or "") for a in element.iterancestors()) \
                and not _hidden_from_reader(element):
            first = _date_line(element)
            if first is not None:
                break
    if first is None:
        return _labelled_date(_shown_text(scope))
    if metadata_date is None:
        return first
    # the dates the headline's surroundings show anywhere: in their text and in <time> stamps
    shown = _days_shown(scope)
    shown |= {found[:10] for stamp in _TIME_STAMPS(scope) if (found := find_written_date(stamp))}
    return None if metadata_date[:10] in shown else first


# An inline style that hides an element and all it holds
_HIDING_STYLE = re.compile(r"display:\s*none|visibility:\s*hidden")


def _hidden_from_reader(element: HtmlElement) -> bool:
    """Whether the element or one of its ancestors is hidden by an inline style or the `hidden`
    attribute: a date there is markup for machines (a template's copy of the metadata), not the
    date line a reader sees."""
    return any(a.get("hidden") is not None or _HIDING_STYLE.search(a.get("style") or "")
               for a in chain((element,), element.iterancestors()))


# A publication date the page labels as such: "Erschienen am: 13.10.2021", "Published on 3 May 2020",
# "Publié le …". The date follows the label in the same text or in the next text node (a label and
# its value are often two elements). A word followed by a quote or "=" is no label.
_PUBLISHED_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:erschienen|veröffentlicht|publiziert|published|posted|gepostet|publié|publicado|pubblicato|gepubliceerd|datum|date|dated)"
    r"(?:\s+(?:am|on|le|el|il|op))?\s*:?(?![\w-]|\s*[\"'=])")
_LABELLED_DATE_CHARS = 40
_BLANK_LINES = re.compile(r"\n[\s\n]*\n")


def _labelled_date(text: str) -> str | None:
    """The one publication day `text` (a page part's shown text) labels as such, or None (none, or
    several: a listing). Searched only around the headline and only where no date line stands
    there: the page's whole text cost 1.1 ms a page (bench/extract.py speed), too much."""
    text = _BLANK_LINES.sub("\n", text)
    found = set()
    for label in _PUBLISHED_LABEL.finditer(text):
        rest = text[label.end():label.end() + 2 * _LABELLED_DATE_CHARS].lstrip(" \t")
        rest = (rest.lstrip("\n") if rest.startswith("\n") else rest).split("\n", 1)[0][:_LABELLED_DATE_CHARS]
        if _YEAR.search(rest) and (date := find_written_date(rest, other_languages=False)):
            found.add(date)
    return min(found) if len({date[:10] for date in found}) == 1 else None


def _date_holders(scope: HtmlElement) -> Iterator[HtmlElement]:
    """The elements under `scope` that may hold the date line, in document order: <time>, or a
    class, id or itemprop naming a date. Walked lazily, because the first date line found is the
    one taken and it stands near the headline: an XPath selecting them all read every element of
    the article (on the metadata dev pages, 0.60 s against 0.24 s for the date lines found so)."""
    for element in scope.iterdescendants(Element):
        get = element.get
        if element.tag == "time" or _DATE_HOLDER.search(f'{get("class") or ""} {get("id") or ""} {get("itemprop") or ""}'):
            yield element


_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\b\d\d\.\d\d\.\d\d\b")


_TEXT_NODES = XPath(".//text()")
_UNSHOWN = frozenset({"script", "style"})


def _shown_text(element: HtmlElement) -> str:
    """The text a reader sees in an element, a line for each text node (scripts and styles left out:
    the parser keeps their content as their own text, so a test of the node's parent suffices, and
    costs three quarters of an ancestor test: the same 59,928 text nodes of the extraction dev pages'
    bodies). The parent is tested here rather than in the XPath, where libxml2 evaluated the step for
    every node: a third of the time on the extraction dev pages' bodies (0.37 against 1.15 ms a page).
    A text node lxml reports as an element's tail stands in that element's parent."""
    shown = []
    for text in _TEXT_NODES(element):
        holder = text.getparent()
        if text.is_tail:
            holder = holder.getparent()
        if holder.tag not in _UNSHOWN:
            shown.append(text)
    return "\n".join(shown)


def _days_shown(element: HtmlElement) -> set[str]:
    """The days (ISO) a reader sees written in an element's text."""
    return _days_in(_shown_text(element))


def _days_in(text: str) -> set[str]:
    """The days (ISO) written in a shown text: the lines holding a year (one pass over the text in
    C), then a date search on those few lines."""
    return {found[:10] for line in text.split("\n")
            if _YEAR.search(line) and (found := find_written_date(line, other_languages=False))}


def _page_body(tree: HtmlElement) -> HtmlElement | None:
    return next(tree.getroottree().getroot().iter("body"), None)


# A date in the page address's path: "/2010/05/", "/2012/08/22/".
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([01]\d)/")


def _url_month_date(tree: HtmlElement, url: str | None, published: str | None) -> str | None:
    """The day the page shows within the month its address dates it to, when the date found lies
    outside that month and the page shows exactly one such day: a blog's address is written when the
    post is published, while metadata found elsewhere may be an archive's or a template's (on half A
    of the metadata dev set, the date found fell in the address's month on 36 of 38 pages so dated)."""
    months = _URL_MONTH.findall(url or "")
    if not months or (published or "")[:7] == "-".join(months[-1]):
        return None
    body = _page_body(tree)
    month = "-".join(months[-1])
    days = {day for day in _days_shown(body) if day.startswith(month)} if body is not None else set()
    return days.pop() if len(days) == 1 else None


# Microdata's publication date: `itemprop="datePublished"` on a <time>, <meta> or any element.
_MICRODATA_PUBLISHED = XPath('//*[@itemprop="datePublished"]')


def _writes_microdata_published(html: str) -> bool:
    """Whether a page's source writes `itemprop="datePublished"` (or `itemprop = 'datePublished'`,
    `itemprop=datePublished`): looked for in the source first, as most pages have none and the
    XPath walks every element. Each "datePublished" is read backwards from the word, found by a
    substring search: most pages write it in their JSON-LD only, and a regular expression over the
    whole source took two and a half times as long on the extraction dev pages."""
    at = html.find("datePublished")
    while at >= 0:
        end = _space_starts(html, at - 1 if at and html[at - 1] in "\"'" else at)
        if end and html[end - 1] == "=" and html.endswith("itemprop", 0, _space_starts(html, end - 1)):
            return True
        at = html.find("datePublished", at + 1)
    return False


def _space_starts(text: str, end: int) -> int:
    """Where the white space that ends at `end` in `text` starts (`end` when there is none)."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def _microdata_date(tree: HtmlElement, html: str | None = None) -> str | None:
    """The publication date the article's microdata states, when it states one day (a listing's
    teasers state several). htmldate asks generic meta tags ("date", "DC.date": often the day the
    page was last built) before microdata on a page's elements. `html`, the page's source, when given,
    rules a page without such markup out at once."""
    if html is not None and not _writes_microdata_published(html):
        return None
    found = {date for element in _MICRODATA_PUBLISHED(tree) if not _hidden_from_reader(element)
             and (date := find_written_date(element.get("content") or element.get("datetime") or _text(element)))}
    days = {date[:10] for date in found}
    return min(found) if len(days) == 1 else None


def _shown_update(tree: HtmlElement, metas: MetaTags, ld: list[dict], published: str | None) -> str | None:
    """The metadata's date of the last update, when the page shows a reader that date and never the
    metadata's publication date (`published`): the page then presents itself as of the update
    (on half A of the metadata dev set, tools/metadata_halves.py, the shown update was the gold date
    on all 4 such pages; where both or neither are shown the publication date is, 22 of 26)."""
    first_published = _meta_contents(metas, "article:published_time")
    first_published += [o["datePublished"] for o in ld if isinstance(o.get("datePublished"), str)]
    modified = _meta_contents(metas, "article:modified_time", "og:updated_time")
    modified += [o["dateModified"] for o in ld if isinstance(o.get("dateModified"), str)]
    if not (published and first_published and modified):
        return None
    update, stated = find_written_date(modified[0]), find_written_date(first_published[0])
    if update is None or update[:10] == published[:10] or (stated or "")[:10] != published[:10]:
        return None
    body = _page_body(tree)
    shown = _days_shown(body) if body is not None else set()
    return update if update[:10] in shown and published[:10] not in shown else None


# How many of the body's first paragraphs a dateline may open (the first ones are often a kicker,
# a repeated headline or the byline): chosen on half A of the metadata dev set, where the datelines
# of the first three paragraphs (none further down) were the gold date on 6 of 7 pages, the seventh's
# gold date written nowhere on its page (tools/metadata_halves.py).
_DATELINE_PARAGRAPHS = 3


def _body_dateline(paragraphs: tuple[str, ...], published: str | None, metas: MetaTags, ld: list[dict]) -> str | None:
    """The date the article's text opens with ("Karlsruhe, (12.11.2021). …", see dates.dateline),
    where the date found is none the page's metadata states: htmldate's search through the text
    then took a date from a listing or a sidebar, while the dateline is the writer's own."""
    found = next((day for paragraph in paragraphs[:_DATELINE_PARAGRAPHS] if (day := dateline(paragraph))), None)
    if found is None or (published or "")[:10] == found[:10]:
        return None
    return None if published and published[:10] in _stated_days(metas, ld) else found


# Meta tag names and JSON-LD keys that carry a date: "article:published_time", "DC.date.issued",
# "og:updated_time", "datePublished", "uploadDate".
_DATE_KEY = re.compile(r"(?i)date|time|publish|modified|created|issued|updated")


def _stated_days(metas: MetaTags, ld: list[dict]) -> set[str]:
    """The days (ISO) the page's meta tags and JSON-LD state under any date-naming key."""
    values = [content for key, content in metas if _DATE_KEY.search(key)]
    values += [value for o in ld for key, value in o.items() if isinstance(value, str) and _DATE_KEY.search(key)]
    return {found[:10] for value in values if (found := find_written_date(value[:60]))}


# trafilatura's parser settings (trafilatura.utils.HTML_PARSER), with the element classes chosen in
# C: lxml.html's own choice (a special class for form elements, which nothing here uses) is a Python
# call for every element the code below, trafilatura and htmldate touch, in this tree and in every
# copy trafilatura makes of it (copies keep their parser). Measured on the extraction dev pages
# (bench/extract.py speed): a tenth of the HTML path's time. tests/test_html_extract.py checks
# that the trees are the ones trafilatura's loader makes. Shared by the API's worker threads as
# trafilatura's own module-level parser is (4 threads gave the serial run's articles on the dev pages).
_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True)

# trafilatura's main extractor tests the article it found for paragraph text with
# `subtree.xpath("//p//text()")` (trafilatura 2.3.1, main_extractor.py `_extract`, once per candidate
# body), which libxml2 (2.14) evaluates in time quadratic in the text nodes of all the page's
# paragraphs: each paragraph's text nodes are merged into the result after a duplicate check against
# every node found so far (xpath.c, xmlXPathNodeSetMergeAndClear). `//text()[ancestor::p]` is the same
# node-set, so the same strings in the same document order, found in one walk of the page.
# On bench/limits.py's 4, 8 and 16 MB pages (10,345, 20,825 and 41,609 such text nodes), fastest of
# three under load 5: 0.19, 0.71 and 3.83 CPU s for the first, 0.03, 0.05 and 0.12 s for the second.
_PARAGRAPH_TEXT = "//p//text()"
_PARAGRAPH_TEXT_LINEAR = XPath("//text()[ancestor::p]")


class _PageElement(HtmlElement):
    """An element of a page presswatch parsed, and of each copy trafilatura makes of it (a copy keeps
    its parser, so its element class): it answers trafilatura's paragraph-text XPath in linear time."""

    def xpath(self, _path, *args, **kwargs):
        if _path == _PARAGRAPH_TEXT and not args and not kwargs:
            return _PARAGRAPH_TEXT_LINEAR(self)
        return super().xpath(_path, *args, **kwargs)


_PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=_PageElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


# The characters XML forbids, which trafilatura's repair deletes (trafilatura.utils.INVALID_XML_CHARS).
_INVALID_XML_CHARS = tuple(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def _repaired(html: str, beginning: str) -> str:
    """The page as `trafilatura.utils.repair_faulty_html` repairs it. Its first step deletes the
    characters XML forbids by a regular expression run over the whole page, a third of the time the
    page then takes to parse; most pages hold none, which substring searches tell in half that time
    (on the extraction dev pages, none held any). Such a page needing neither of its two other
    repairs (a doctype on the first line holding a slash, or that line ending the page; a
    self-closed <html/> on one of the first four lines) would come back as it is; any other page is
    left to trafilatura's function."""
    if any(char in html for char in _INVALID_XML_CHARS):
        return repair_faulty_html(html, beginning)
    first_line, newline, _ = html.partition("\n")
    if "doctype" in beginning and (not newline or DOCTYPE_TAG.match(first_line)):
        return repair_faulty_html(html, beginning)
    if any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4]):
        return repair_faulty_html(html, beginning)
    return html


def _loaded(html: str) -> HtmlElement | None:
    """The page as `trafilatura.utils.load_html` parses a string (the same repair, the same bytes
    fallback, the same refusal of a text that is not quite HTML), through `_PARSER`."""
    beginning = html[:50].lower()
    html = _repaired(html, beginning)
    tree, parsed_bytes = None, False
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:  # a string with an encoding declaration: lxml wants its bytes
        tree, parsed_bytes = _loaded_bytes(html), True
    except Exception:  # as trafilatura's loader: an unparsable page has no tree
        LOGGER.debug("lxml could not parse the page as a string", exc_info=True)
    if (tree is None or len(tree) < 1) and not parsed_bytes:
        tree = _loaded_bytes(html)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _loaded_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # as trafilatura's loader
        LOGGER.debug("lxml could not parse the page as bytes", exc_info=True)
        return None


def _page_tree(page: Page) -> HtmlElement:
    """The page parsed; a fragment (a feed entry's paragraph or plain text, an uploaded snippet),
    which trafilatura's loader refuses as not quite HTML, is read as the body of a page."""
    tree = _loaded(page.content)
    if tree is None:
        try:
            tree = document_fromstring(page.content)
        except (ParserError, ValueError):  # nothing to parse, or an XML declaration on a non-page
            raise InputError(f"{page.source}: not a readable HTML page") from None
    return tree


# Where a page's navigation and its invisible parts stand: text only there is no article.
_INVISIBLE = frozenset({"head", "script", "style", "noscript", "template"})
_NAVIGATION = frozenset({"nav", "header", "footer", "aside", "menu", "a"})
# ...unless the navigation holds paragraphs: a menu left unclosed wraps the page after it (8 of the
# 495 metadata dev pages have their article inside a <nav> or <header> so).
_HOLDS_TEXT = XPath("boolean(.//p|.//article|.//main)")


def _has_article_text(tree: HtmlElement) -> bool:
    """Whether the page has text outside navigation, links and invisible parts: trafilatura's
    recall mode turns a page of menus alone into a body ("menu"). One walk, stopping at the first
    such text (the parser caps nesting at 256 levels, so the paragraph look-ups stay linear)."""
    walk = iterwalk(tree, events=("start", "end", "comment"))
    for event, element in walk:
        if event == "start" and (element.tag in _INVISIBLE or element.tag in _NAVIGATION and not _HOLDS_TEXT(element)):
            walk.skip_subtree()
        elif event == "start" and element.text and not element.text.isspace():
            return True
        if event != "start" and element is not tree and element.tail and not element.tail.isspace():
            return True
    return False


def extract_html(page: Page) -> Article:
    tree = _page_tree(page)
    if not _has_article_text(tree):
        raise InputError(f"{page.source}: no article on the page, only navigation, links or markup")
    hints = page.hints or {}
    host = _host(page.url)
    _unwrap_layout_tables(tree)  # in place: no metadata rule below reads table markup
    paragraphs = _body_text(tree, page.url)
    metadata = _page_metadata(tree)
    ld = _json_ld_objects(tree)
    metas = _meta_tags(tree)
    home_names = _home_link_names(tree, host)
    site_keys = _site_keys(metadata.sitename, host, home_names)
    title = hints.get("title") or _slug_title(
        tree, metas, _choose_title(tree, metas, metadata.title, ld, site_keys, home_names), page.url, site_keys)
    title = title.replace("\xad", "") if title else title  # soft hyphens: invisible, but they split words
    paragraphs = _without_headline(paragraphs, title)
    body = "\n\n".join(paragraphs)
    # the tree, not the text: htmldate answers from meta tags and JSON-LD without copying the page,
    # and copies it only for the slower search through the visible text
    published = hinted_date(hints.get("published"))
    if published is None:
        published = _microdata_date(tree, page.content)
    if published is None:
        published = find_date(tree, url=page.url, **DATE_PARAMS)
        published = (_visible_date(tree, published) or _shown_update(tree, metas, ld, published)
                     or _body_dateline(paragraphs, published, metas, ld) or published)
        published = _url_month_date(tree, page.url, published) or published
    author = hints.get("author") or _author(tree, metas, ld, metadata, host, paragraphs)
    return assemble_article(
        page,
        title=title,
        paragraphs=paragraphs,
        outlet=_choose_outlet(tree, metas, ld, hints.get("outlet"), metadata.sitename, title, page.url, home_names),
        published=published,
        author=author,
        credited_source=credited_source_from_body(body),
    )
