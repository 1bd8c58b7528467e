"""The article's own address: one for every address a reader reaches it by.

The same article comes with tracking parameters (`?utm_source=newsletter`), a fragment
(`#comments`), over http or https, as an AMP copy or a crawl's redirect target. The page names its
own address in `<link rel="canonical">` (or `og:url`); that address is kept when it is on the
page's own site, since a syndicated copy names its original on another outlet's site, and that
outlet did not publish this copy. A page read from a file, with no address of its own, takes the
one it names. Whatever address is kept loses its trackers and fragment (courlan, which trafilatura
reads addresses with).
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from courlan import normalize_url

from presswatch.extract.hosts import registrable_domain


def article_address(page_url: str | None, named: str | None) -> str | None:
    """The address to store for a page fetched from `page_url` that names itself `named` (its
    canonical link or og:url, as written: relative addresses are read against `page_url`)."""
    own = urljoin(page_url, named) if page_url and named else named
    if own and _is_web_address(own) and not _is_front_page(own) and (page_url is None or _site(own) == _site(page_url)):
        return without_trackers(own)
    return without_trackers(page_url) if page_url else None


def without_trackers(url: str) -> str:
    """The address without its fragment and tracking parameters (utm_*, fbclid, …); one that is not
    a plain web address (a crawl archive's, which holds another address in its path) as it is but
    for the fragment."""
    url = urldefrag(url).url
    if not _is_web_address(url) or "://" in urlsplit(url).path:
        return url
    try:
        return normalize_url(url)
    except ValueError:  # a malformed port or query: the address as written is still the best one
        return url


def _is_front_page(url: str) -> bool:
    """Whether the address is a site's front page, which some sites' templates give every article
    as its canonical link: it names no article."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _is_web_address(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def _site(url: str) -> str | None:
    """The site an address is on, by registrable domain: www., amp. and m. of one site are that site."""
    return registrable_domain(urlsplit(url).hostname)
