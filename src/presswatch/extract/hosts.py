"""Hosts of pages' addresses: the page's own host, the registrable name a site goes by, and the
platforms a page links to that never name its outlet.

The registrable domain (what a registrant holds: "bbc.co.uk" of news.bbc.co.uk, "smh.com.au" of
www.smh.com.au) is found with the Public Suffix List, as the publicsuffixlist package ships it: its
bundled copy is read offline (the package fetches a newer list only when its updater is run by
hand). A host's next-to-last label is not that name under a country's registry ("co" of bbc.co.uk),
and a host under a suffix the list does not know ("fenwickherald.example") is read by the list's
default rule: its last label is the suffix.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from courlan.settings import BLACKLIST as COURLAN_PLATFORM_NAMES
from publicsuffixlist import PublicSuffixList

# A crawl archive's address wraps the page's own: https://web.archive.org/web/2016…/http://site/…
_ARCHIVED_URL = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(?P<url>.+)$")


def page_host(url: str | None) -> str | None:
    """The host a page's address names, without "www." (a crawl archive's, the archived page's)."""
    if not url:
        return None
    archived = _ARCHIVED_URL.match(url)
    if archived:
        url = archived.group("url")
        url = url if "://" in url else f"http://{url}"
    host = urlsplit(url).hostname if "://" in url else None
    return host.removeprefix("www.") if host else None


@lru_cache(maxsize=1)
def _suffix_list() -> PublicSuffixList:
    return PublicSuffixList()  # the bundled list: about 0.2 s to read, once


@lru_cache(maxsize=4096)
def registrable_domain(host: str | None) -> str | None:
    """The name a host's site was registered under: "bbc.co.uk" of news.bbc.co.uk, "cnn.com" of
    edition.cnn.com; a host of one label is its own ("localhost"); an IP address has none."""
    host = (host or "").lower().rstrip(".")
    if not host or _is_ip_address(host):
        return None
    if "." not in host:
        return host
    return _suffix_list().privatesuffix(host)


def site_label(host: str | None) -> str | None:
    """The name part of a host's registrable domain: "bbc" of news.bbc.co.uk, "fenwickherald" of
    www.fenwickherald.example, "cnn" of edition.cnn.com."""
    domain = registrable_domain(host)
    return domain.split(".", 1)[0] if domain else None


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


# Sites a page links to for what they host, not as its publisher: social networks, video and photo
# hosts, shops, search engines, link shorteners, content networks. The list is courlan's (the URL
# filter trafilatura uses, `courlan.settings.BLACKLIST`: the most visited such sites' names, by
# registrable name part), and with it the share buttons' and short links' services it leaves out,
# written here.
SHARE_SERVICE_NAMES = frozenset({
    "x", "t", "threads", "bsky", "mastodon", "tumblr", "flipboard", "xing", "addtoany", "addthis", "sharethis",
    "disqus", "wa", "fb", "lnkd", "pin", "buff", "ow", "goo", "tinyurl", "wp", "dailymotion", "spotify", "apple",
    "snapchat", "discord", "getpocket",
})
PLATFORM_NAMES = frozenset(COURLAN_PLATFORM_NAMES) | SHARE_SERVICE_NAMES


def is_platform(host: str | None) -> bool:
    """Whether the host belongs to a platform (twitter.com, m.youtube.com, wa.me), not a publisher."""
    return site_label(host) in PLATFORM_NAMES
