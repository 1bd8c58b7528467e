"""The article's address as evidence of its headline: sites build the last part of the address (the
slug) from the headline's words, so the line or heading sharing most of them is the headline."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from urllib.parse import unquote, urlsplit

# Words of an address that say nothing of the article: file endings and script names.
_ADDRESS_WORDS = frozenset({"html", "htm", "php", "aspx", "asp", "shtml", "index", "www", "http", "https"})
# A line is the headline the address spells when it shares at least this many words with the slug and
# these shares of both its own words and the slug's (chosen on half A of the metadata dev set, split by
# md5 of the page id, with tools/metadata_halves.py: 0.35, 0.5, 0.65, 0.8 tried, 3 words tried).
SLUG_MIN_WORDS = 2
SLUG_MIN_SHARE = 0.65
_NON_WORD = re.compile(r"[^a-z0-9]+")
_UMLAUT = re.compile("[äöüß]")


def _umlauts_written_out(lowered: str) -> str:
    """German slugs write umlauts out ("rueckkehr"); dropping accents alone would give "ruckkehr".
    (str.replace: str.translate with a table took ten times as long on a page.)"""
    return lowered.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _ascii(text: str) -> str:
    """Accents dropped ("é" → "e"), as slugs write them: unicodedata's decomposition, in C (unidecode's
    full transliteration cost milliseconds a line here, and slugs are Latin script)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug_words(url: str | None) -> frozenset[str]:
    """The words of the address's article slug ("/2024/ferry-strike-ends.html" → ferry, strike, ends):
    its last path segment with several words. Sites make it from the headline."""
    return next(address_segments(url), frozenset())


def address_segments(url: str | None) -> Iterator[frozenset[str]]:
    """The words of each path segment of the address with several words, the last first: the slug, then
    the segments above it ("/iphone-se-in-india/not-a-flagship/slideshow/": a page of a gallery)."""
    if not url:
        return
    path = urlsplit(url.rsplit("http", 1)[-1] if "web.archive.org" in url else url).path
    for segment in reversed([seg for seg in path.split("/") if seg]):
        words = [w for w in _NON_WORD.split(_ascii(_umlauts_written_out(unquote(segment).lower())))
                 if len(w) >= 3 and w not in _ADDRESS_WORDS and not w.isdigit()]
        if len(words) >= 2:
            yield frozenset(words)


def _words(folded: str) -> set[str]:
    return {w for w in _NON_WORD.split(folded) if len(w) >= 3}


def _spellings(lowered: str) -> list[str]:
    """A lower-cased text as its words are compared with a slug's: accents dropped, and where it has
    umlauts, also with them written out (that second spelling only then: it doubles the cost)."""
    plain = _ascii(lowered)
    return [plain, _ascii(_umlauts_written_out(lowered))] if _UMLAUT.search(lowered) else [plain]


def slug_share(text: str, slug: frozenset[str]) -> float:
    """How well a line and the address's slug cover each other: the smaller of the two shares of shared
    words (0 when they share fewer than SLUG_MIN_WORDS)."""
    plain, *written_out = _spellings(text.lower())
    own_words = _words(plain)
    words = own_words.union(*map(_words, written_out))
    shared = len(slug & words)
    if shared < SLUG_MIN_WORDS or not words:
        return 0.0
    # each variant of a word counts once: the line's own count is of its words as written
    return min(shared / len(slug), min(shared / (len(own_words) or 1), 1.0))


def mentioned_slug_words(text: str, slug: frozenset[str]) -> set[str]:
    """The slug's words written in `text` as slug_share reads it, also inside longer words: a superset of
    the words slug_share finds shared, from one search instead of splitting the text into its words."""
    pattern = _slug_pattern(slug)
    return set(chain.from_iterable(map(pattern.findall, _spellings(text.lower()))))


@lru_cache(maxsize=16)
def _slug_pattern(slug: frozenset[str]) -> re.Pattern:
    # slug words are [a-z0-9] only; the longest first, so that a word holding another is found whole
    return re.compile("|".join(sorted(slug, key=len, reverse=True)))
