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
# Seventy-odd words decide the language as well as the whole text, and keep long pages cheap.
SAMPLE_CHARS = 400

_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def unsupported_flag(code: str) -> str:
    return f"unsupported: {code}"


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
