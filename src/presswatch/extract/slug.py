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
_NON_WORD = re.compile(r"[^a-z0-9]+")
_UMLAUT = re.compile("[äöüß]")


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
        words = [w for w in _NON_WORD.split(_ascii(unquote(segment).lower().translate(UMLAUTS)))
                 if len(w) >= 3 and w not in _ADDRESS_WORDS and not w.isdigit()]
        if len(words) >= 2:
            return frozenset(words)
    return frozenset()


def _words(folded: str) -> set[str]:
    return {w for w in _NON_WORD.split(folded) if len(w) >= 3}


def slug_share(text: str, slug: frozenset[str]) -> float:
    """How well a line and the address's slug cover each other: the smaller of the two shares of shared
    words (0 when they share fewer than SLUG_MIN_WORDS)."""
    lowered = text.lower()
    own_words = _words(_ascii(lowered))
    # a German line's words also with their umlauts written out, as slugs spell them (the second
    # folding only where there is an umlaut: it doubles the cost of every line)
    words = own_words | _words(_ascii(lowered.translate(UMLAUTS))) if _UMLAUT.search(lowered) else own_words
    shared = len(slug & words)
    if shared < SLUG_MIN_WORDS or not words:
        return 0.0
    # each variant of a word counts once: the line's own count is of its words as written
    return min(shared / len(slug), min(shared / (len(own_words) or 1), 1.0))
