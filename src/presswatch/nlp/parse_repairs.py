"""Repairs of the parse that every reader of it needs, made once, as the pipeline's last component.

A trade noun the small model tags a present-tense verb: "said the lifeboat coxswain" parses as
"the lifeboat" being the subject of a verb "coxswain", itself the clause said, so the statement has
no speaker and says "the lifeboat coxswain"; "Lifeboat coxswain Tam Orrin said" puts "Lifeboat
coxswain" in what was said. The tagger and the parser share one encoding of the sentence, so
neither corrects the other. Where the word is one WordNet gives a person first (`roles.names_a_person`)
and its own dependents show it is no verb (an article or a possessive just before it, or a singular
noun read as its subject, which a verb in that form does not agree with; and no auxiliary, object,
particle or negation), it becomes the noun heading that phrase: the subject of the verb it
hangs off where that verb has none ("said the lifeboat coxswain"), else the title before the
subject's name ("Lifeboat coxswain Tam Orrin said"), with the name set off after it as its apposition
("The lifeboat coxswain, Tam Orrin, said").
"""

from __future__ import annotations

from spacy.language import Language

TRADE_NOUNS = "presswatch_trade_nouns"

# A present-tense verb that is no third person singular: it cannot follow an article or a singular
# noun as its subject. Not the base form, which can ("had seen HB-2 have an effect", "let the crew pilot").
_PRESENT_VERB_TAG = "VBP"
# Dependents only a verb has: what shows the word is one after all ("the pilots coxswain the boat").
_VERB_DEPENDENTS = frozenset(["aux", "auxpass", "dobj", "neg", "prt", "xcomp", "ccomp", "attr", "acomp", "agent"])
# What stands just before a noun and never before that verb form: an article, a possessive, or a
# singular noun, which as the word's subject would not agree with it. Not a determiner that can be a
# subject itself ("both advocate for", "all judge"), nor an adjective ("many advocate").
_ARTICLES = frozenset(["a", "an", "the"])
_BEFORE_A_NOUN = frozenset(["PRP$", "NN", "NNP"])
_SUBJECTS = frozenset(["nsubj", "nsubjpass"])


@Language.component(TRADE_NOUNS)
def trade_nouns_read_as_verbs(doc):
    """The component: `repair_trade_nouns` on a parsed doc (a doc parsed without the parser is left alone)."""
    if doc.has_annotation("DEP"):
        repair_trade_nouns(doc)
    return doc


def repair_trade_nouns(doc) -> None:
    from presswatch.nlp.roles import names_a_person  # roles reads the pipeline's vocabulary helpers

    for token in doc:
        if token.tag_ != _PRESENT_VERB_TAG or token.i == 0 or token.is_stop or not names_a_person(token.lower_):
            continue
        before = doc[token.i - 1]
        if before.head.i != token.i or not (before.tag_ in _BEFORE_A_NOUN or before.lower_ in _ARTICLES):
            continue
        if any(child.dep_ in _VERB_DEPENDENTS for child in token.children):
            continue
        _as_noun(token)


def _as_noun(token) -> None:
    token.tag_, token.pos_ = "NN", "NOUN"
    for child in token.children:
        if child.dep_ in _SUBJECTS and child.i < token.i:
            child.dep_ = "compound"  # "the lifeboat" was read as the verb's subject
        elif child.i > token.i and child.dep_ in ("npadvmod", "dobj", "nsubj") and child.pos_ == "PROPN":
            child.dep_ = "appos"  # "The lifeboat coxswain, Tam Orrin, said"
    governor = token.head
    if governor.i == token.i or governor.pos_ not in ("VERB", "AUX"):
        return
    subject = next((c for c in governor.children if c.dep_ in _SUBJECTS and c.i != token.i), None)
    if subject is None:
        token.dep_ = "nsubj"
    elif subject.left_edge.i == token.i + 1:
        token.head, token.dep_ = subject, "compound"  # "Lifeboat coxswain Tam Orrin said"
