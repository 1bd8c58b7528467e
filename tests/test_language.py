from functools import lru_cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from presswatch.extract.language import (
    NGRAM_REACH,
    UNKNOWN,
    _identifier,
    detect_language,
)

ENGLISH = (
    "The harbour council voted on Tuesday to extend the ferry service to the northern islands, "
    "after residents complained for months that the single morning crossing left them stranded."
)
GERMAN = (
    "Der Gemeinderat hat am Dienstag beschlossen, den Fährbetrieb zu den nördlichen Inseln auszuweiten, "
    "nachdem sich die Bewohner monatelang über die einzige Morgenverbindung beschwert hatten."
)
SPANISH = (
    "El consejo del puerto votó el martes ampliar el servicio de transbordadores a las islas del norte, "
    "después de que los vecinos se quejaran durante meses de la única travesía matinal."
)


def test_english_is_supported():
    assert detect_language(ENGLISH) == ("en", None)


def test_other_languages_keep_their_code_and_are_flagged_for_nlp():
    assert detect_language(GERMAN) == ("de", "unsupported: de")
    assert detect_language(SPANISH) == ("es", "unsupported: es")


def test_a_few_words_are_never_guessed():
    assert detect_language("Ferry council votes") == (None, UNKNOWN)
    assert detect_language("") == (None, UNKNOWN)
    assert detect_language(None) == (None, UNKNOWN)


def test_text_that_is_mostly_not_letters_is_unknown():
    assert detect_language("12:30 | 14:45 | 16:00 | 2024-03-03 | +44 20 7946 0000 | $$$ ### 99% 4/5 " * 3) == (
        None,
        UNKNOWN,
    )


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_contract_holds_for_any_text(text):
    code, flag = detect_language(text)
    if code is None:
        assert flag == UNKNOWN
    else:
        assert flag is None if code == "en" else flag == f"unsupported: {code}"


def test_no_linguistic_content_answer_is_unknown(monkeypatch):
    from presswatch.extract import language

    class Classifier:
        def classify(self, text):
            return "zxx", 0.99

    monkeypatch.setattr(language, "_identifier", lambda: Classifier())
    assert detect_language(ENGLISH) == (None, UNKNOWN)



@lru_cache(maxsize=1)
def _stock_identifier():
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _trie_depth(identifier) -> int:
    """Length of the longest n-gram the automaton tracks: breadth-first distance of its farthest state."""
    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode))
    rows = np.asarray(identifier._rowbase, dtype=np.intp)
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while len(frontier):
        reached = np.unique(moves[(rows[frontier][:, None] + np.arange(256)).ravel()])
        frontier = reached[~seen[reached]]
        seen[frontier] = True
        depth += bool(len(frontier))
    return depth


def test_the_vectorised_counting_reaches_as_far_as_the_models_longest_ngram():
    assert _trie_depth(_identifier()) <= NGRAM_REACH


def _same_answer(text):
    expected, got = _stock_identifier().classify(text), _identifier().classify(text)
    assert got[0] == expected[0] and abs(got[1] - expected[1]) < 1e-5


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400) | st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèçñ .,'-", min_size=20, max_size=400))
def test_the_vectorised_classifier_answers_as_py3langid_does(text):
    _same_answer(text)


def test_the_vectorised_classifier_answers_as_py3langid_does_on_prose():
    for text in (ENGLISH, GERMAN, SPANISH, ENGLISH.upper(), "Москва — столица России, крупнейший город страны.", "ab", ""):
        _same_answer(text)
