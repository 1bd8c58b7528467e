"""Article body and metadata from an HTML page.

trafilatura finds the body (with its own readability/justext comparison and baseline rescue) and
the metadata candidates; presswatch then chooses among candidates the way the page shows them to a
reader, because trafilatura prefers meta tags: a `<title>` carries the site name ("Headline | Site"),
and its author normalisation rewrites names ("Marwan H. Adwan" → "Marwan H Adwan", "A, B" → "A; B").
Measured on the trafilatura evaluation set (bench/extract.py --quality), these choices raise title
and author accuracy without costing body quality.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from presswatch.errors import InputError
from presswatch.extract.language import detect_language
from presswatch.extract.textmeta import credited_source_from_body, normalised_body_hash
from presswatch.records import Article, Page

# htmldate settings: "original" (first published, not last modified) with the extensive text
# search measured best on the trafilatura evaluation set (0.878 vs 0.842 without extensive search).
DATE_PARAMS = {"original_date": True, "extensive_search": True}
# Below this many characters of body, trafilatura's balanced extraction is retried in recall mode.
MIN_BODY_CHARS = 250

_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·»›:~-]\s+|\s*[|»›]\s*")
_BYLINE_PREFIX = re.compile(r"^(?i:by|von|par|por|di|door|autor(?:in)?|author|written by|text)\s*:?\s+")
_AUTHOR_PARTS = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\by\b|\bet\b)\s*")


def _text(element: HtmlElement) -> str:
    return _SPACE.sub(" ", " ".join(element.itertext())).strip()


def _key(text: str | None) -> str:
    """Comparison key: letters and digits only, case-folded."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


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


def _meta_contents(tree: HtmlElement, *names: str) -> list[str]:
    found = []
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in names and (content := _SPACE.sub(" ", meta.get("content") or "").strip()):
            found.append(content)
    return found


def _similarity(candidate: str, reference: str) -> float:
    """How much of a visible heading the meta title confirms (1.0 = contained in it)."""
    a, b = _key(candidate), _key(reference)
    if not a or not b:
        return 0.0
    if a in b:
        return 1.0
    words_a = set(re.findall(r"\w+", candidate.casefold()))
    words_b = set(re.findall(r"\w+", reference.casefold()))
    return len(words_a & words_b) / len(words_a) if words_a else 0.0


def _strip_site_from_title(title: str, sitename: str | None, host: str | None) -> str:
    """'Headline | Site' → 'Headline', when one part names the site (or is clearly the shorter tail)."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    site_keys = {k for k in (_key(sitename), _key(host.split(".")[-2] if host and "." in host else host)) if k}
    kept = [p for p in parts if not any(k and (k in _key(p) and len(_key(p)) <= len(k) + 8) for k in site_keys)]
    if kept and len(kept) < len(parts):
        return max(kept, key=len) if len(kept) > 1 else kept[0]
    return title


def _choose_title(tree: HtmlElement, meta_title: str | None, ld: list[dict], sitename: str | None, host: str | None) -> str | None:
    references = _meta_contents(tree, "og:title", "twitter:title")
    references += [o["headline"] for o in ld if isinstance(o.get("headline"), str)]
    head_title = tree.find(".//head/title")
    if head_title is not None and (text := _text(head_title)):
        references.append(text)
    if meta_title:
        references.append(meta_title)
    headings = [t for h in tree.iter("h1") if (t := _text(h)) and len(t) <= 300]
    if headings and references:
        scored = [(max(_similarity(h, r) for r in references), -i, h) for i, h in enumerate(headings)]
        best, _, heading = max(scored)
        if best >= 0.6:
            return heading
    elif headings and len(headings) == 1:
        return headings[0]
    if meta_title:
        return _strip_site_from_title(meta_title, sitename, host)
    return None


def _display_authors(tree: HtmlElement, ld: list[dict]) -> list[str]:
    """Author strings as the page writes them (byline text, meta and JSON-LD values), unnormalised."""
    raw = _meta_contents(tree, "author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")
    for obj in ld:
        author = obj.get("author")
        names = [a.get("name") if isinstance(a, dict) else a for a in (author if isinstance(author, list) else [author])]
        names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        if names:
            raw.append(", ".join(names))
    for element in tree.xpath('//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")]'):
        text = _text(element)
        if 2 < len(text) < 120:
            raw.append(text)
    return [_BYLINE_PREFIX.sub("", r).strip(" ,;|") for r in raw if not r.lower().startswith("http")]


def _choose_author(found: str | None, tree: HtmlElement, ld: list[dict], sitename: str | None) -> str | None:
    """trafilatura's author, written as the page writes it, without parts that are the site's name.

    A byline like "Rob Picheta, CNN" credits the outlet next to the writer: the outlet is kept in
    `outlet`, the author field keeps the person. An author that is only the site's name is kept,
    since small sites sign as themselves.
    """
    if not found:
        return None
    names = [n for n in (s.strip() for s in found.split(";")) if n]
    site = _key(sitename)
    people = [n for n in names if not site or _key(n) != site] or names
    wanted = {_key(n) for n in people}
    for display in _display_authors(tree, ld):
        parts = [p for p in _AUTHOR_PARTS.split(display) if p.strip()]
        if {_key(p) for p in parts} == wanted:
            return display
        kept = [p for p in parts if _key(p) in wanted]
        if {_key(p) for p in kept} == wanted and len(kept) == len(people):
            return ", ".join(kept)
    return ", ".join(people)


def _outlet(sitename: str | None, url: str | None) -> str | None:
    if sitename:
        return sitename
    host = urlsplit(url).hostname if url and "://" in url else None
    return host.removeprefix("www.") if host else None


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (_SPACE.sub(" ", line).strip() for line in (text or "").split("\n")) if p)


def _body_text(tree: HtmlElement, url: str | None) -> tuple[str, ...]:
    document = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False)
    paragraphs = _paragraphs(document.text if document else None)
    if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        retry = trafilatura.bare_extraction(tree, url=url, include_comments=False, favor_recall=True)
        retried = _paragraphs(retry.text if retry else None)
        if sum(len(p) for p in retried) > sum(len(p) for p in paragraphs):
            paragraphs = retried
    return paragraphs


def extract_html(page: Page) -> Article:
    tree = load_html(page.content)
    if tree is None:
        raise InputError(f"{page.source}: not a readable HTML page")
    hints = page.hints or {}
    metadata = extract_metadata(tree, default_url=page.url, date_config=dict(DATE_PARAMS))
    ld = _json_ld_objects(tree)
    host = urlsplit(page.url).hostname if page.url and "://" in page.url else None
    paragraphs = _body_text(tree, page.url)
    body = "\n\n".join(paragraphs)
    title = hints.get("title") or _choose_title(tree, metadata.title, ld, metadata.sitename, host)
    language, language_flag = detect_language(body or title or "")
    return Article(
        id=page.id,
        page_id=page.id,
        url=page.url,
        title=title,
        body=body,
        paragraphs=paragraphs,
        outlet=_outlet(metadata.sitename, page.url),
        published=hints.get("published") or metadata.date,
        author=hints.get("author") or _choose_author(metadata.author, tree, ld, metadata.sitename),
        credited_source=credited_source_from_body(body),
        language=language,
        language_flag=language_flag,
        body_hash=normalised_body_hash(body),
    )
