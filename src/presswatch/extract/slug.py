"""The article's address as evidence of its headline: sites build the last part of the address (the
slug) from the headline's words, so the line or heading sharing most of them is the headline."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# Words of an address that say nothing of the article: file endings and script names.
_ADDRESS_WORDS = frozenset({"html", "htm", "php", "aspx", "asp", "shtml", "index", "www", "http", "https"})
# German slugs write umlauts out ("rueckkehr"); dropping accents alone would give "ruckkehr".
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# A line is the headline the address spells when it shares at least this many words with the slug and
# these shares of both its own words and the slug's (chosen on half A of the metadata dev set, split by
# md5 of the page id, with tools/metadata_halves.py: 0.35, 0.5, 0.65, 0.8 tried, 3 words tried).
SLUG_MIN_WORDS = 2
SLUG_MIN_SHARE = 0.65


def _ascii(text: str) -> str:
    """Accents dropped ("é" → "e"), as slugs write them: unicodedata's decomposition, in C (unidecode's
    full transliteration cost milliseconds a line here, and slugs are Latin script)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug_words(url: str | None) -> frozenset[str]:
    """The words of the address's article slug ("/2024/ferry-strike-ends.html" → ferry, strike, ends):
    its last path segment with several words. Sites make it from the headline."""
    if not url:
        return frozenset()
    path = urlsplit(url.rsplit("http", 1)[-1] if "web.archive.org" in url else url).path
    for segment in reversed([seg for seg in path.split("/") if seg]):
        words = [w for w in re.split(r"[^a-z0-9]+", _ascii(unquote(segment).lower().translate(UMLAUTS))) if len(w) >= 3]
        words = [w for w in words if w not in _ADDRESS_WORDS and not w.isdigit()]
        if len(words) >= 2:
            return frozenset(words)
    return frozenset()


def _line_words(text: str) -> set[str]:
    lowered = text.lower()
    return {w for variant in (lowered.translate(UMLAUTS), lowered) for w in re.split(r"[^a-z0-9]+", _ascii(variant))
            if len(w) >= 3}


def slug_share(text: str, slug: frozenset[str]) -> float:
    """How well a line and the address's slug cover each other: the smaller of the two shares of shared
    words (0 when they share fewer than SLUG_MIN_WORDS)."""
    words = _line_words(text)
    shared = len(slug & words)
    if shared < SLUG_MIN_WORDS or not words:
        return 0.0
    # each variant of a word counts once: the line's own count is of its words as written
    own = len({w for w in re.split(r"[^a-z0-9]+", _ascii(text.lower())) if len(w) >= 3}) or 1
    return min(shared / len(slug), min(shared / own, 1.0))
