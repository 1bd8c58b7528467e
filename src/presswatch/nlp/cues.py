"""The learned parts of the statements stage: which words are reporting cues, and what their
dependents are (more of the cue, the source, the content, or none of these).

Both are learned from PolNeAR's train half by `tools/train_statements.py` and stored as JSON in
`statements_model.json`: a logistic-regression weight per string feature for the cue decision, and
count tables with back-off for the role of each dependent. Scoring is a dictionary sum, so it
costs next to nothing beside the parse.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from presswatch.nlp.quotes import QuoteIndex

MODEL_PATH = Path(__file__).with_name("statements_model.json")

# Roles a dependent of a cue word can take.
CUE_TOKEN = "cue_token"  # the word alone joins the cue ("called *for* a ban")
CUE_SUBTREE = "cue_subtree"  # the whole phrase joins the cue ("*has* said", "said *in a statement*")
SOURCE = "source"
CONTENT = "content"
NONE = "none"

# Words that report what someone said or wrote, or the stance they took in saying it: VerbNet's
# say (37.7), tell (37.2), manner-of-speaking, complain (37.8), advise (37.9), lecture (37.11),
# declare (29.4) and judgement (33) classes as news uses them, with their nominal and prepositional
# kin. The statements scope keeps only cues headed by one of these; the broader attribution scope
# (what PolNeAR annotates: wants, plans, findings, beliefs) keeps every learned cue.
REPORTING_WORDS = frozenset(
    """
    say tell add note write ask report announce suggest claim argue explain warn state insist stress
    emphasize emphasise underscore underline highlight point reiterate repeat confirm deny
    acknowledge admit reveal declare assert contend maintain caution urge call predict promise
    pledge vow accuse criticize criticise condemn denounce praise blame describe mention recall
    respond reply answer tweet comment observe remark conclude concede allege charge propose
    recommend demand question dismiss reject tout boast counter quip joke testify inform assure
    advise remind characterize characterise lament decry slam blast attack defend welcome hail
    applaud affirm reaffirm brand label cite express voice outline indicate signal told said
    believe think hope fear expect feel consider doubt worry accord according statement remark comments
    interview announcement speech letter complain protest threaten estimate forecast
    """.split()
)
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
CLAUSE_DEPS = ("ccomp", "xcomp", "acl", "advcl", "relcl")
# Cue words that put a question: what follows them is asked, not asserted.
QUESTION_CUES = frozenset({"ask", "wonder", "inquire", "enquire", "query"})


# How the parser hangs a cue word's preposition or particle when it hangs it elsewhere: a
# preposition, a particle, an infinitive's marker, a clause's ("called for X to act": "for" read
# as the marker of "X to act"). On PolNeAR train the particles the table gives a cue that the
# parser hung elsewhere were all markers.
_MISREAD_PARTICLE_DEPS = frozenset({"prep", "prt", "aux", "mark"})


def cue_word(token) -> str:
    """The lexical key of a candidate cue: its lemma, or the punctuation itself (":")."""
    return token.lemma_.lower() if token.pos_ != "PUNCT" else token.text


def _subject_kind(children) -> str:
    for child in children:
        if child.dep_ in SUBJECT_DEPS:
            if child.ent_type_:
                return child.ent_type_
            if child.pos_ == "PRON":
                return "PRON:" + child.lower_
            return child.pos_
    return "NOSUBJ"


def cue_features(token, quotes: QuoteIndex) -> list[str]:
    """String features of a candidate cue word; the same function serves training and use."""
    lem = cue_word(token)
    children = list(token.children)  # read three times below: each pass makes its Token objects anew
    deps = sorted({c.dep_ for c in children})
    head = token.head
    head_lemma = head.lemma_.lower()
    subj = _subject_kind(children)
    prev_word = token.nbor(-1).lower_ if token.i > 0 else "<s>"
    next_word = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else "</s>"
    in_quote = quotes.inside(token.idx)
    sent_quoted = _sentence_quoted(token, quotes)
    feats = [
        "bias",
        "lem=" + lem,
        "pos=" + token.pos_,
        "tag=" + token.tag_,
        "dep=" + token.dep_,
        "lem|tag=" + lem + "|" + token.tag_,
        "lem|dep=" + lem + "|" + token.dep_,
        "subj=" + subj,
        "lem|subj=" + lem + "|" + subj,
        "next=" + next_word,
        "lem|next=" + lem + "|" + next_word,
        "prev=" + prev_word,
        "head=" + head_lemma,
        "headdep=" + head.dep_,
        "inquote=" + str(in_quote),
        "lem|inquote=" + lem + "|" + str(in_quote),
        "sentquote=" + str(sent_quoted),
        "lem|sentquote=" + lem + "|" + str(sent_quoted),
    ]
    for d in deps:
        feats.append("child=" + d)
        feats.append("lem|child=" + lem + "|" + d)
    for child in children:
        if child.pos_ in ("PUNCT", "SPACE"):
            continue
        word = child.lemma_.lower()
        feats.append(f"lem|child|word={lem}|{child.dep_}|{word}")
        feats.append(f"child|word={child.dep_}|{word}")
        if child.dep_ in CLAUSE_DEPS:
            for grand in child.children:
                if grand.dep_ in ("mark", "aux") or grand.tag_ in ("WDT", "WP", "WRB"):
                    feats.append(f"clause={child.dep_}|{grand.lower_}")
                    feats.append(f"lem|clause={lem}|{child.dep_}|{grand.lower_}")
    feats.append("lem|head=" + lem + "|" + head_lemma)
    feats.append("dep|headdep=" + token.dep_ + "|" + head.dep_)
    if token.ent_type_:
        feats.append("ent=" + token.ent_type_)
    return feats


_SENTENCES_KEY = "presswatch.sentences"


def _sentence_quoted(token, quotes: QuoteIndex) -> bool:
    """Whether a quotation overlaps the token's sentence. The sentences' bounds are read once per
    parse and kept in the doc's `user_data` (as `pipeline.doc_text` keeps its text): `token.sent`
    walks the sentence anew for each of the third of an article's tokens the attributions scope
    scores."""
    doc = token.doc
    sentences = doc.user_data.get(_SENTENCES_KEY)
    if sentences is None:
        sentences = doc.user_data[_SENTENCES_KEY] = [(s.start, s.start_char, s.end_char) for s in doc.sents]
    _, start, end = sentences[bisect.bisect_right(sentences, (token.i, math.inf)) - 1]
    return bool(quotes.regions_between(start, end))


def extended_cue_word(head_word: str, child) -> str:
    """The key of a cue grown by one word: "accord>to" and "refer>to" are told apart, since the
    object of the one is the source and of the other the content."""
    return f"{head_word}>{child.lower_}"


def child_keys(head_word: str, child) -> tuple[str, ...]:
    """Back-off keys for a dependent's role, most specific first; a grown cue ("refer>to") backs
    off to its last word ("to") before the cue-free keys."""
    dep, word = child.dep_, child.lower_
    side = "L" if child.i < child.head.i else "R"
    heads = [head_word] if ">" not in head_word else [head_word, head_word.rsplit(">", 1)[1]]
    return (
        *(key for h in heads for key in (f"{h}|{dep}|{side}|{word}", f"{h}|{dep}|{side}")),
        f"{dep}|{side}|{word}",
        f"{dep}|{side}",
        dep,
    )


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    lexicon: frozenset[str]
    roles: dict[str, str]
    threshold: float

    def probability(self, token, quotes: QuoteIndex) -> float:
        z = sum(map(self.weights.get, cue_features(token, quotes), repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-z))

    def role(self, head_word: str, child) -> str:
        for key in child_keys(head_word, child):
            role = self.roles.get(key)
            if role is not None:
                return role
        return NONE

    def takes_as_particle(self, head_word: str, token) -> bool:
        """Whether the table gives `token`, as a particle or preposition after the cue word, to
        the cue ("pointed *to*", "called *for*", "pointed *out*"): asked of the word after a cue
        that the parser hung elsewhere. Not an infinitive's "to" after a word train shows taking
        infinitives ("called to ban", where PolNeAR's cue is "called"): only after one it never
        saw with one is "to" read as an infinitive's likely a preposition misread ("pointed to
        alliance exercises"). Only a word the parse reads as a function word of its own kind (a
        preposition, particle, or clause or infinitive marker: "called for X to act"), never one
        it reads as a modifier ("said about 20 people")."""
        if token.dep_ not in _MISREAD_PARTICLE_DEPS:
            return False
        if token.dep_ == "aux" and f"{head_word}|xcomp|R" in self.roles:
            return False
        return any(self.roles.get(f"{head_word}|{dep}|R|{token.lower_}") in (CUE_TOKEN, CUE_SUBTREE) for dep in ("prep", "prt"))

    def to_json(self) -> dict:
        return {
            "threshold": self.threshold,
            "lexicon": sorted(self.lexicon),
            "roles": self.roles,
            "weights": self.weights,
        }

    @classmethod
    def from_json(cls, data: dict) -> CueModel:
        return cls(
            weights=dict(data["weights"]),
            lexicon=frozenset(data["lexicon"]),
            roles=dict(data["roles"]),
            threshold=float(data["threshold"]),
        )


@lru_cache(maxsize=1)
def load_cue_model(path: str | None = None) -> CueModel:
    with open(path or MODEL_PATH, encoding="utf-8") as fh:
        return CueModel.from_json(json.load(fh))
