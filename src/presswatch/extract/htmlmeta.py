"""The title, author and outlet of an HTML page, chosen the way the page shows them to a reader.

trafilatura reads the candidates from meta tags and JSON-LD (`page_metadata`); the choices here
prefer what the page shows (headings, bylines, logos) because trafilatura prefers meta tags: a
`<title>` carries the site name ("Headline | Site"), a headline its kicker, and its author
normalisation rewrites names ("Marwan H. Adwan" → "Marwan H Adwan", "A, B" → "A; B"). Figures and
how the rules were chosen: html.py. The page-reading helpers at the top (text, keys, meta tags,
the headline's surroundings) are shared with the date readers (htmldates.py).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from html import unescape
from itertools import chain
from urllib.parse import urlsplit

from lxml.etree import Element, XPath
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
)
from trafilatura.settings import Document

from presswatch.extract.byline import find_byline
from presswatch.extract.dates import find_date as find_written_date
from presswatch.extract.dates import looks_like_date
from presswatch.extract.hosts import page_host, site_label
from presswatch.extract.slug import (
    SLUG_MIN_SHARE,
    address_segments,
    slug_share,
    slug_words,
)
from presswatch.extract.textmeta import (
    copyright_holder,
    dated_byline,
    expanded_acronym,
    is_bare_address,
    published_by,
    without_role,
    written_byline,
)

LOGGER = logging.getLogger(__name__)

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


def squeezed(text: str) -> str:
    """`text` with its white space squeezed to single spaces and stripped: `_SPACE.sub(" ", text).strip()`
    in a third of the time (`split()` and `\\s` know the same white space)."""
    return " ".join(text.split())


def element_text(element: HtmlElement) -> str:
    return squeezed(" ".join(element.itertext()))


_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def match_key(text: str | None) -> str:
    """Comparison key: letters and digits only, case-folded."""
    return _NOT_LETTERS_OR_DIGITS.sub("", (text or "").casefold())


def json_ld_objects(tree: HtmlElement) -> list[dict]:
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


def meta_tags(tree: HtmlElement) -> MetaTags:
    """Read once per page: the title, author and outlet choices each look up a few names, and each
    search through the page's elements cost as much as reading them all."""
    found = []
    for meta in tree.iterfind(".//meta[@content]"):
        if content := squeezed(meta.get("content") or ""):
            found.append(((meta.get("property") or meta.get("name") or "").lower(), content))
    return found


def meta_contents(metas: MetaTags, *names: str) -> list[str]:
    return [content for key, content in metas if key in names]


_MIN_SHORTENED_WORDS = 4
_WORD = re.compile(r"\w+")


def _similarity(candidate: str, reference: str) -> float:
    """How much of a visible heading the meta title confirms (1.0 = contained in it)."""
    a, b = match_key(candidate), match_key(reference)
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


def home_link_names(tree: HtmlElement, host: str | None) -> list[str]:
    """What the links to the home page say (their text, or their logo's alt text): the site's name."""
    names = []
    for link in _home_link_candidates(tree):
        if not _is_home_link(link.get("href") or "", host):
            continue
        text = element_text(link) or " ".join(img.get("alt") or "" for img in link.iterfind(".//img")).strip()
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
    kept = [p for p in parts if not any(k and (k in match_key(p) and len(match_key(p)) <= len(k) + 8) for k in site_keys)]
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
    if not links or element_text(heading) != " ".join(element_text(a) for a in links).strip():
        return False
    return all(
        urlsplit(a.get("href") or "").path in ("", "/") and not urlsplit(a.get("href") or "").query for a in links
    )


def _headings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    found = []
    for heading in tree.iter("h1"):
        if _is_logo(heading) or _is_hidden(heading):
            continue
        text = _headline_text(heading) or element_text(heading)
        if text and len(text) <= 300 and match_key(text) not in site_keys:
            found.append(text)
    return found


def _subheadings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    """<h2> headings, on pages with no <h1> at all: older and hand-made pages head the article with one."""
    if tree.find(".//h1") is not None:
        return []
    return [text for heading in tree.iter("h2") if (text := _headline_text(heading) or element_text(heading))
            and len(text) <= 300 and match_key(text) not in site_keys]


def _title_headings(tree: HtmlElement, site_keys: set[str]) -> list[str]:
    """Headings marked up as the entry's title (blogs often keep <h1> for the blog's name)."""
    found = []
    # lxml picks the headings by tag in C; an XPath testing every element of the page cost 3.5 times more
    for heading in tree.getroottree().getroot().iter("h1", "h2", "h3"):  # the document's, as "//" was
        if "title" not in (cls := heading.get("class") or "") and "headline" not in cls:
            continue
        text = _headline_text(heading) or element_text(heading)
        if text and len(text) <= 300 and match_key(text) not in site_keys:
            found.append(text)
    return found


def site_name_keys(sitename: str | None, host: str | None, home_names: list[str]) -> set[str]:
    """The names the site goes by, as keys: its declared name, its address, what its home-page links say."""
    named = (match_key(sitename), match_key(site_label(host)), *map(match_key, home_names))
    return {k for k in named if k}


def _choose_title(
    tree: HtmlElement, metas: MetaTags, meta_title: str | None, ld: list[dict], site_keys: set[str],
    home_names: list[str],
) -> str | None:
    """The headline as the page shows it: the <h1> (or title-classed heading) that the page's
    meta titles confirm; else the meta title without the site's name (`site_keys`, see site_name_keys)."""
    home_keys = {k for k in map(match_key, home_names) if k}
    references = meta_contents(metas, "og:title", "twitter:title")
    references += [o["headline"] for o in ld if isinstance(o.get("headline"), str)]
    head_title = tree.find(".//head/title")
    if head_title is not None and (text := element_text(head_title)):
        references.append(text)
    if meta_title:
        references.append(meta_title)
    # a reference that is only what the home-page link says is the site's name, not a headline (the
    # declared site name is often the headline itself, so it does not count here)
    # ...nor is a hidden heading, which trafilatura takes for the title when it is the page's first <h1>
    hidden = {match_key(element_text(h)) for h in tree.iter("h1") if _is_hidden(h)}
    references = [r for r in (_strip_site_from_title(r, site_keys) for r in references)
                  if match_key(r) not in home_keys and match_key(r) not in hidden]
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
            and any(match_key(r) != match_key(other) and match_key(r) in match_key(other) for other in references)]
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
    declared = meta_contents(metas, "og:title", "twitter:title")
    head_title = tree.find(".//head/title")
    if head_title is not None:
        declared.append(element_text(head_title))
    candidates = [_headline_text(h) or element_text(h) for h in _SLUG_HEADINGS(tree)]
    candidates += [part for text in declared
                   for part in (_strip_site_from_title(text, site_keys), *_TITLE_SEPARATORS.split(text))
                   if match_key(part) not in site_keys]
    best, best_share = title, SLUG_MIN_SHARE - 1e-9
    for candidate in candidates:
        if candidate and len(candidate) <= 300 and (share := slug_share(candidate, slug)) > best_share:
            best, best_share = candidate.strip(), share
    return best


def page_title(tree: HtmlElement, metas: MetaTags, meta_title: str | None, ld: list[dict], site_keys: set[str],
               home_names: list[str], url: str | None) -> str | None:
    """The headline: the heading the meta titles confirm (or the declared title), unless the page's
    address spells another heading or declared title (see _choose_title and _slug_title)."""
    return _slug_title(tree, metas, _choose_title(tree, metas, meta_title, ld, site_keys, home_names), url, site_keys)


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
        raw = meta_contents(metas, "author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")
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
        scope = byline_scope(tree)
        yield from _byline_texts(scope if scope is not None else tree)

    sources = (from_page, from_metadata) if visible_first else (from_metadata, from_page)
    for source in sources:
        yield from source()


_BYLINE_ELEMENTS = XPath(
    './/*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")]')


def _byline_texts(root: HtmlElement) -> Iterator[str]:
    """What the byline elements under `root` say, labels ("By", "Von") removed."""
    for element in _BYLINE_ELEMENTS(root):
        text = element_text(element)
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
    text = squeezed(" ".join(parts))
    return text if len(text) <= limit else None


def _is_site_name(name: str, site_keys: set[str]) -> bool:
    key = match_key(name)
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
        and match_key(n) not in _NOT_NAMES
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
    wanted = {match_key(n) for n in names}
    for display in _display_authors(tree, metas, ld, visible_first=len(names) > 1):
        parts = [p for p in _AUTHOR_PARTS.split(display) if p.strip()]
        if {match_key(p) for p in parts} == wanted:
            return display
        kept = [p for p in parts if match_key(p) in wanted]
        if {match_key(p) for p in kept} == wanted and len(kept) == len(names):
            return ", ".join(kept)
    return ", ".join(names)


def page_author(tree: HtmlElement, metas: MetaTags, ld: list[dict], metadata: Document, host: str | None,
            paragraphs: tuple[str, ...]) -> str | None:
    """The person who wrote the article: from meta tags and JSON-LD, else (or when those only name
    the site) from the byline on the page; the site's own name only when no person is named."""
    site_keys = {k for k in (match_key(metadata.sitename), match_key(site_label(host))) if k}

    def sources() -> Iterator[str | None]:
        yield metadata.author
        scope = byline_scope(tree)
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
    for text in chain(texts, (sitename, element_text(head_title) if head_title is not None else None)):
        for match in following.finditer(text or ""):
            surname = match.group(1)
            if surname[0].isupper() and not surname.isupper() and match_key(surname) not in _NOT_NAMES \
                    and not _NOT_NAME_WORDS.search(surname) and not looks_like_date(surname):
                return f"{first} {surname}"
    return first


def page_metadata(tree: HtmlElement) -> Document:
    """Title, author and site name candidates from meta tags and JSON-LD, as trafilatura reads them.

    This is the part of `trafilatura.metadata.extract_metadata` presswatch uses; the rest of it
    (categories, tags, licence, a deep copy of the page for the byline search) cost a third of the
    extraction time and feed nothing here. The date (htmldates.py) and the byline search
    (`page_author`) come after.
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


def byline_scope(tree: HtmlElement) -> HtmlElement | None:
    """The part of the page around the headline, where bylines and date lines stand: the <article>
    holding the headline, else the headline's container a few levels up; the first <article> on a
    page whose headings are all the banner's or the logo. An <article> beside the headline is a
    teaser or a box (on half A of the metadata dev set, tools/metadata_halves.py, the first
    <article> found the byline of 2 pages fewer and no more dates). Bylines there are preferred over
    the comment and sidebar bylines of other people (measured: author accuracy 0.583 against 0.579
    page-wide)."""
    # headings with text that are not the logo: an empty or logo <h1> often stands in the site's
    # header (a hidden one, "Details" for screen readers, still stands by the article)
    headings = [h for h in tree.iter("h1") if element_text(h) and not _is_logo(h)]
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


_COMPANY_FORM = re.compile(r"\b(?:GmbH|AG|Inc|Ltd|LLC|S\.A|S\.p\.A|Corp|Corporation)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


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
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(element_text(head_title)) if p.strip()]
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
    if not 2 <= len(name) <= 60 or match_key(name) in handles or match_key(name) == match_key(title):
        return False
    lowered = name.lower()
    if "http" in lowered or "©" in name or "copyright" in lowered or "_" in name:
        return False
    if _NOT_A_NAME.search(name) or len(name.split()) > 6:
        return False
    return not (find_written_date(name) or _NUMERIC_DATE.search(name) or _COMPANY_FORM.search(name))


def page_outlet(
    tree: HtmlElement, metas: MetaTags, ld: list[dict], hinted: str | None, found: str | None, title: str | None, url: str | None,
    home_names: list[str],
) -> str | None:
    """The site's own name: what the page declares (og:site_name, JSON-LD WebSite/publisher names,
    the application name), then the name its feed gives (`hinted`), trafilatura's pick (other meta
    tags, the title's tail), then what the page shows (logo, copyright line, <title>); for a page
    with no address, what its home-page links say (measured on the dev pages, which all have
    addresses, those links often say "Logo", "Zur Startseite" or an author's name). Never the
    address itself: a page that does not name itself has no outlet rather than a host name."""
    handles = {match_key(h) for h in meta_contents(metas, "twitter:site", "twitter:creator")}
    candidates = meta_contents(metas, "og:site_name")
    for obj in ld:
        kind = obj.get("@type")
        if kind == "WebSite" or (isinstance(kind, list) and "WebSite" in kind):
            candidates.append(obj.get("name"))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            candidates.append(publisher.get("name"))
    candidates += meta_contents(metas, "application-name", "apple-mobile-web-app-title")
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
    host = page_host(url)
    return bool(is_bare_address(name) or (host and match_key(name) == match_key(host)))
