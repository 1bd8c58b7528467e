"""Language of an article, and whether presswatch's NLP stages can read it.

Contract of `detect_language(text) -> (language, flag)`:

- `("en", None)`: confidently English, the language the NLP stages support.
- `("de", "unsupported: de")`: confidently another language. The code is kept so articles can
  still be filtered and shown by language; the flag tells the NLP stages to skip them.
- `(None, "unknown")`: too little text to judge (a handful of words is never guessed on), text that
  is mostly not letters, or a classifier that is not sure.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The languages the NLP stages (entities, attribution, summaries) have models for.
SUPPORTED_NLP_LANGUAGES = frozenset({"en"})

UNKNOWN = "unknown"
# ISO 639 codes for "no linguistic content" and "undetermined", which the classifier can answer.
NO_LANGUAGE = frozenset({"zxx", "und"})
# Below these, a classifier's answer is noise: a headline or a byline is not enough to judge by.
MIN_WORDS = 8
MIN_LETTERS = 40
# Share of non-space characters that must be letters; menus of digits and symbols are not prose.
MIN_LETTER_SHARE = 0.5
# py3langid's normalised probability (length-calibrated) below which we abstain.
MIN_CONFIDENCE = 0.80
# The longest byte n-gram py3langid's model counts (checked by a test against the model itself).
NGRAM_REACH = 6
# Seventy-odd words decide the language as well as the whole text, and keep long pages cheap.
SAMPLE_CHARS = 400

_WORD = re.compile(r"[^\W\d_]{2,}")


class _VectorisedIdentifier(LanguageIdentifier):
    """py3langid's classifier with its byte n-gram counting done by numpy instead of a Python loop.

    py3langid walks a byte automaton (Aho-Corasick over its n-gram features) one byte at a time in
    Python, which was most of the cost of language detection on every extracted page. The automaton's
    state after any byte is the longest suffix read so far that is a node of its trie, and no node is
    deeper than NGRAM_REACH bytes, so the state after byte i is also the state reached by walking only
    the NGRAM_REACH bytes ending at i from the root: all positions are walked at once, NGRAM_REACH
    steps in all. Everything else (normalisation, scoring, calibration) is py3langid's own; tests
    check the trie depth and that the answers equal the stock classifier's.
    """

    __slots__ = ("_moves", "_outputs", "_rows")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._moves = np.frombuffer(self.tk_nextmove, dtype=np.dtype(self.tk_nextmove.typecode))  # a view: 40 MB
        self._rows = np.asarray(self._rowbase, dtype=np.intp)
        self._outputs = np.asarray(self.tk_output, dtype=np.int32)

    def _raw_score(self, text: bytes):
        data = np.frombuffer(text, dtype=np.uint8)
        n = len(data)
        state = np.zeros(n, dtype=self._moves.dtype)
        for offset in range(min(NGRAM_REACH, n) - 1, -1, -1):  # the byte `offset` places before each position
            state[offset:] = self._moves[self._rows[state[offset:]] + data[:n - offset]]
        features = self._outputs[state]
        features = features[features >= 0]
        if not len(features):
            return super()._raw_score(b"")
        found, counts = np.unique(features, return_counts=True)
        # the model's float16 rows are widened first, so the product runs in float32 arithmetic
        return np.log1p(counts.astype(np.float32)) @ self.nb_ptc[found].astype(np.float32) + self.nb_pc


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return _VectorisedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def unsupported_flag(code: str) -> str:
    return f"unsupported: {code}"


def unanalysed_note(flag: str | None) -> str | None:
    """What a reader is told of an article the NLP stages skip for its language (None for others):
    it is stored and searchable, but has no statements or entities."""
    if not (flag or "").startswith(unsupported_flag("")):
        return None
    return f"statements and entities are read in {', '.join(sorted(SUPPORTED_NLP_LANGUAGES))} only"


def detect_language(text: str | None) -> tuple[str | None, str | None]:
    sample = (text or "")[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    letters = sum(len(w) for w in words)
    visible = len("".join(sample.split()))  # characters that are not white space
    if len(words) < MIN_WORDS or letters < MIN_LETTERS or letters < MIN_LETTER_SHARE * visible:
        return None, UNKNOWN
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or code in NO_LANGUAGE:
        return None, UNKNOWN
    return code, None if code in SUPPORTED_NLP_LANGUAGES else unsupported_flag(code)
