"""What a text is about, as separate bags of terms ("channels") that clustering weighs apart.

Two events of the same kind share most of their vocabulary ("earthquake", "magnitude", "killed")
and differ in a few specific things: the names of people and places, the year, the figures. Kept in
one bag those few terms drown; kept in their own channels they can be given the weight that tells
the two events apart.

The name channel uses a capitalisation heuristic (a capitalised word that does not open a
sentence) because it costs nothing per article and works for any Latin-script language.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

from spacy.lang.en.stop_words import STOP_WORDS

WORDS = "words"
NAMES = "names"
YEARS = "years"
NUMBERS = "numbers"
CHANNELS = (WORDS, NAMES, YEARS, NUMBERS)

# A figure is read whole, with its decimal point and thousands separators ("5.6", "2,000"), before
# the words: split at the point, a magnitude 5.6 would leave two single digits, which say nothing.
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*(?![^\W_])|[^\W_]+", re.UNICODE)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?:;\"”])\s+|\n+")
# Function words that are capitalised as often as not ("The", "But") cannot mark a name.
_STOP = frozenset(STOP_WORDS) | {"mr", "mrs", "ms", "dr", "st"}
# spaCy's stop words are a topic's: in a claim, when, how often, which way and against whom are part
# of what is claimed ("would raise it again", "wants the strait back", "will never accept"). Kept in
# a claim's words (`text_features(claim=True)`): tools/tune_narratives.py with the parameters in use
# on the seventeen training stance files, claim_df.json rebuilt with them: claims P 0.570 R 0.258
# F 0.356 stance 0.9522 -> P 0.585 R 0.259 F 0.359 stance 0.9528, the examples as before (P 0.94
# R 0.71); "again" alone P 0.573 R 0.258 F 0.356 (2026-12-07, branch h-narr23).
# A figure in words below a hundred is no claim word either, as "30" is none: spaCy's stop words
# hold "sixty" and "fifteen" but not "thirty" or "seventeen", so "the first thing in thirty years"
# met "argued about the strait for thirty years" on "thirty" alone. These are the ones it leaves out
# (of spacy.lang.en.lex_attrs' number words; "thousand" and larger tell figures apart and stay).
# tools/tune_narratives.py --sweep join=0.4, claim_df.json rebuilt: claims P 0.585 R 0.259 F 0.359 ->
# P 0.587 R 0.264 F 0.364, stance 0.9528 and the examples (P 0.94 R 0.71) as before, page-by-page
# agreement 0.973 as before (0.793 before stale narratives were clustered again; 2026-12-08).
_CARDINALS = frozenset({"zero", "seven", "thirteen", "fourteen", "sixteen", "seventeen", "eighteen", "nineteen",
                        "thirty", "seventy", "eighty", "ninety"})
_CLAIM_STOP = _STOP - {"again", "back", "never", "always", "together", "against"} | _CARDINALS

Bag = dict[str, float]
Features = dict[str, Counter]


def text_features(text: str, *, claim: bool = False) -> Features:
    """Term counts per channel: content words, names, years, and other figures of two digits or more.

    `claim` (narratives' claim words, `narratives.claim_features`): a name of several words counts in
    the words by its last only ("alliance" of "the Northern Maritime Alliance", "korhel" of "Anneli
    Korhel"; a run of two or more capitalised words, the first of a sentence too), so a long name
    weighs as a one-word name does; and the stop words a claim turns on count (`_CLAIM_STOP`)."""
    stop = _CLAIM_STOP if claim else _STOP
    words, names, years, numbers = [], [], [], []
    lowercase = set()
    modifiers: Counter = Counter()
    for sentence in _SENTENCE_END.split(text):
        tokens = _TOKEN.findall(sentence)
        shouting = sum(t.isupper() for t in tokens) > len(tokens) / 2  # an all-caps headline
        run: list[str] = []  # the capitalised words of the name being read
        in_names: list[str] = []  # the sentence's names' words but their last
        for position, token in enumerate(tokens):
            lower = token.lower()
            if claim:
                if token[:1].isupper() and token.isalpha() and lower not in _STOP:
                    run.append(lower)
                else:
                    in_names += run[:-1]
                    run = []
            if token[0].isdigit():
                figure = _figure(token)
                if token.isdigit() and _YEAR.fullmatch(token):
                    years.append(token)
                elif figure is not None and len(figure) > 1:
                    numbers.append(figure)
                continue
            if len(token) < 2 or lower in stop or not token.isalpha():
                continue
            words.append(lower)
            if position > 0 and token[0].isupper() and not shouting:
                names.append(lower)
            elif token.islower():
                lowercase.add(lower)
        if not shouting:
            modifiers.update(in_names + run[:-1])
    # A word the text also writes in lower case is a word capitalised in a title or a name's tail
    # ("the Endangered Species Act" beside "endangered species"), not a name.
    names = [n for n in names if n not in lowercase]
    counted = Counter(words)
    if claim:
        counted -= modifiers
    return {WORDS: counted, NAMES: Counter(names), YEARS: Counter(years), NUMBERS: Counter(numbers)}


def _figure(token: str) -> str | None:
    """A figure's term: "2,000" as "2000", a decimal as written; None for a time of day ("17:06",
    the hour a report was filed as often as of the event) and for other separated digits."""
    if token.isdigit() or "." in token and token.replace(".", "", 1).isdigit():
        return token
    if _THOUSANDS.fullmatch(token):
        return token.replace(",", "")
    return None


class DocumentFrequencies:
    """How many documents hold each term, per channel: the basis of the inverse-document weights.

    Counts may come from the articles being clustered (batch), from everything stored
    (incremental), or be learned on another corpus and merged in; rare terms weigh most.
    """

    def __init__(self) -> None:
        self.documents = 0
        self.counts: dict[str, Counter] = {channel: Counter() for channel in CHANNELS}

    @classmethod
    def from_counts(cls, documents: int, counts: Mapping[str, Mapping[str, int]]) -> DocumentFrequencies:
        """Counts learned elsewhere (a shipped table) that a batch then adds to."""
        frequencies = cls()
        frequencies.documents = documents
        for channel, terms in counts.items():
            frequencies.counts[channel] = Counter(terms)
        return frequencies

    def add(self, features: Features) -> None:
        self.documents += 1
        for channel, terms in features.items():
            self.counts.setdefault(channel, Counter()).update(terms.keys())

    def idf(self, channel: str, term: str) -> float:
        # sklearn's smoothed idf: a term in every document still weighs 1, never 0.
        return math.log((1 + self.documents) / (1 + self.counts[channel][term])) + 1.0

    def weigh(self, features: Features) -> dict[str, Bag]:
        """Sublinear tf x idf per channel, each channel scaled to unit length (empty ones dropped)."""
        vectors = {}
        for channel, terms in features.items():
            bag = {t: (1.0 + math.log(n)) * self.idf(channel, t) for t, n in terms.items()}
            if bag:
                vectors[channel] = unit(bag)
        return vectors


def unit(bag: Mapping[str, float]) -> Bag:
    norm = math.sqrt(sum(v * v for v in bag.values()))
    return {t: v / norm for t, v in bag.items()} if norm else {}
