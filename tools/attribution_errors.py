"""Group the statements stage's errors on PolNeAR's train half (never dev).

    python tools/attribution_errors.py /work/shared/eval/attribution/train.jsonl \
        [--docs train.spacy] [--examples 3] [--folds 5] [--gold-cues] [--overlap] [--agreement]

Runs the stage in the attribution scope over train (reading a DocBin of the parsed texts when
given, as `tools/train_statements.py` does), prints the PolNeAR figures and counts each error in
its group, most frequent first, with a few examples. With `--folds K` each article is read by a
model learned on the other folds (the folds and threshold of `train_statements.py --cv-only`),
so the errors are those the CV figures count; without it, by the stored model, which has seen
every train article.

- cue: a gold cue no predicted cue touches (missed, by head word), a predicted cue touching no
  gold cue (extra, by word), and cues that overlap but differ (which words the prediction lacks or
  adds, "multi-word" when the gold cue is longer);
- source (for cue pairs that match): missing, extra, or a boundary difference sorted into title,
  apposition, pronoun and other by the words that differ;
- content (for cue pairs that match): missing, extra, or a boundary difference by what the
  difference is (a trailing "he said", a quotation in another sentence, an according-to clause,
  unquoted reported speech).

With `--gold-cues` each article's gold cue heads are its cues (every other step as it is, the
role table learned on the other folds: what the stage does once a cue is found). With
`--overlap` the groups are those of the overlap figures instead: every source and content span
left unmatched, gold or predicted, by why (cue missed or extra; at a found cue: no span, a span
elsewhere, or one the one-to-one matching gave another gold span).

The groups decide which rules are worth writing; the counts are not a figure to report.

What it found on train at commit 3645676 (stored model, in-sample: cue exact F1 .734, source
overlap .826, content overlap .809): 8271 cue errors, of them 3943 missed, 2469 extra and 1859
boundary differences, all long-tailed (the largest single groups: 346 missed "be …" evaluations
such as "is expected", "has been well-documented"; 118 extra "said", mostly quotations inside a
quoted article the annotators left unmarked; 42 "threatened to" / 39 "said in a statement" cut
short). A cue's "to" and a passive's "by" are outside the gold cue in most cases (xcomp "to" in
386 of 1380, agent "by" in 43 of 203), so the current rule is the majority. Source and content
*overlap* errors follow the cue errors: boundary differences (appositions with their trailing
comma, trailing "he said") change exact figures only. Gold content is mostly one fragment across
sentences (2357 fragments span a sentence break, 287 pairs are split at one), so splitting
quotations by sentence would not pay.

Spans once the cue is right (train, stored model, in-sample, commit 3eb9014): of 19,827 gold
attributions with a cue, 3,943 (20 %) have no predicted cue touching theirs; of the 15,884 found,
14,363 (90 %) have both a source and a content touching gold's (or none where gold has none),
993 only a wrong source, 419 only a wrong content, 109 both. Source errors at found cues: 520
with no source predicted (participles and conjuncts the parser hangs off the wrong verb), 297
with one where gold has none (evaluations: "It remains unclear", "That said"), 285 another
phrase. Content: 279 disjoint, 247 missing, both long-tailed; a complementizer "that" is gold
content 1,828 times in 1,842, as the rule has it; a quotation's next sentence is its own gold
fragment in one article's 321 pairs only. The one convention off was the relative pronoun: gold
keeps it as content ("which [she described] as a rehearsal": 113 object and passive-subject
relatives, the antecedent 16), so the attributions scope now does (5-fold CV content overlap
.7719 -> .7736, exact .5896 -> .5915). Tried and kept out: content on both sides of a parenthetical cue clause ("…,
Kask noted; the ministry had …") moved nothing (exact -.0001): the parser rarely makes the
cue clause an aside there. Nor did a cue's adjacent preposition taking its object as content
when nothing else was said ("expressed astonishment at X"): .6753 / .7854 / .7712.

Why gold cues go unfound (5-fold CV as `train_statements.py --cv-only`, threshold 0.3,
2026-12-06): of 19,827 gold cues 5,098 (26 %) have no predicted cue touching them. 1,228 head
with a word outside the fold's lexicon, a long tail ("follow" 8, "brush" 4, "recite" 4); 3,189
are candidates scored below the threshold ("be" evaluations 347, "have" 96, "in" 70, nouns such
as "questions about", "support", "criticism", verbs in relative and adverbial clauses); 679 pass
it and are dropped as doubtful. So candidate generation is not the loss, the scoring of a long
tail is: given the gold heads as cues (p .99, every other step as it is, roles learned on the
other folds), the stage reaches cue exact .806, source overlap .902, content overlap .869.
From a gold head, the role table gives the exact gold cue 82 % of the time (85 % in-sample): the
annotators are not consistent ("said Tuesday" 50 in the cue, 70 not; "said in an interview"
26 / 47; "declined to comment" 5 / 22). `--agreement` scores the second annotators of the 16
train articles that have them (79 annotations) against the gold: cue exact .716, source overlap
.842, content overlap .843 (each annotator .688-.739 / .810-.861 / .811-.859); the stage on the
same 16 articles, out of fold, .640 / .749 / .769.
One predicted content span matching two gold ones was the one structural loss found: 995 gold
contents shared a predicted span, mostly a conjoined verb, participle or relative clause that is
a statement of its own inside another's content (now cut out in the attributions scope).

Where the overlap figures lose their matches (`--folds 5`, threshold 0.3, commit 518897f): of
17,215 gold sources 3,669 go unmatched because their cue is missed, 345 have a found cue with no
source, 176 one elsewhere; of 15,663 predicted sources 2,279 hang off extra cues and 349 off found
cues but match nothing. Content: 23,281 gold, 4,584 lost with their cue, 798 found with the span
elsewhere (a quotation continued in the next paragraph, a quoted programme name taken for more of
what was said, a raising verb's subject), 570 inside a predicted span that another gold span took
(one annotator's habit of one fragment a sentence: splitting quotations by sentence would lose
more on the rest), 203 with none. Rules written from these (a quoted paragraph continuing the
statement before it, capitalised nouns as a speaker label, the words between a quotation and its
cue verb as the speaker, a subjectless cue verb taking the noun phrase before it, quoted titles)
moved 5-fold CV .6810 / .7915 / .7800 to .6817 / .7929 / .7825: each fires a few dozen to a few
hundred times. The cue model's candidates are where the rest is, and the candidate classifier is
saturated: the parser's own contextual vectors (spaCy tok2vec, token and governor) as features
move average precision .8684 -> .8703, article- and sentence-level features (title line,
entities in the sentence, length, quotation count, place in the article, the lemma's count in
the article) -> .8695.

The spans once the cue is found (`--gold-cues --overlap`, 5 folds, 2026-12-06): given the gold
cues the stage reached source overlap .919 and content overlap .888 at commit 1eb526e, and left
2,824 source and 5,004 content spans unmatched. Source, by kind: a found cue with no source
where gold has one 1,037 (a long tail of parses: nouns, prepositions and possessives as cues,
"has drawn criticism from X"), a predicted source touching no gold of its attribution 613 and
gold sources with another speaker predicted 603 (218 with a pronoun on one side, pronoun against
antecedent; boundary differences such as a role or apposition kept or left out do not touch
overlap), a source where gold is Attribution-no-source 388, one-to-one matching 53. Followed to
the rule that gave the speaker (after the first rule below), the subject inherited from a
governing verb was wrong or unannotated 663 times in 2,131, and 190 of those were cues that are
passive or have a subject the role table did not make the source ("…, when the statement was
signed", right 5 times in 195); an active participle after its noun ("the group backing X") had
no speaker though gold gives the noun 115 times in 153; a passive relative's noun ("the plans
that will be debated next week") was made the speaker some 60 times where gold has none. Content: a
found cue with no content 1,725 (long-tailed), a predicted fragment touching no gold of its
attribution 1,208 with the gold fragment elsewhere in the same sentence (588 before the
predicted span: a passive's or evaluation's subject, a zero relative's antecedent "the refugees
[they] want to bring", the leading "If …" of a parenthetical cue; 388 after), one predicted span
over two gold fragments of one attribution 329 (one annotator's fragment a sentence), another
attribution's gold taking the span 319 (mostly a statement inside the content whose cue was
missed), gold in the next sentence 208 (a quotation after '"…," X said.' not continued) or
paragraph 85. Rules written from these (speakers of participles and relatives, no inherited
speaker for passive and subjected cues, a stray closing quote mark, quotations continuing a
statement that ends on one and past a participle cue, a participle or conjoined cue cut from its
governing cue's content) brought the gold-cue figures to .926 / .891 (2,557 and 4,845 unmatched)
and 5-fold CV from .6817 / .7929 / .7825 to .6817 / .7964 / .7853; out of fold with the cue
model, the unmatched spans at found cues fell from 898 to 776 (source) and 2,355 to 2,217
(content), beside 6,073 and 7,236 of missed and extra cues. Tried on the same folds and kept
out: the noun a passive participle modifies as content ("a group called X": gold cues .8879 ->
.8894, but 5-fold content .7825 -> .7823, the rule giving extra cues content that keeps them
past the doubtful-cue rule); no inherited speaker for prepositions as cues (right 24 times in 68
given the gold cues; 5-fold unchanged); a cue inside a following quotation no longer ending its
continuation, a nested statement's content (not only its subtree) taken out of its host's,
parataxis among the clauses cut out: all unchanged; the opening words before a cue clause set
off by commas ("If the ferry stops, Kask said, the island will empty") as a fragment of what was
said, .7853 -> .7847 (.7850 with clauses only), cue -.0001. Nothing is left to gain by dropping
or guessing: the spans of cues scored .3-.4 match 46 % (source) and 54 % (content) of the time,
above the F1 / 2 (about .40) under which dropping them would pay, and of the 1,451 out-of-fold
statements with no source only 334 have a gold one.

Quotations no statement claims (5 folds out of fold, 2026-12-06, at commit c756a4b): the
overlap figures score content apart from cues, so a quotation in an article that no predicted
span touches is recall left on the table when a gold content touches it. Of those of six words
or more, 77 % touched an unmatched gold content where their paragraph had a statement (273), 73 %
and 85 % where it had none (with and without other words in the paragraph); of shorter ones
27-40 % (scare quotes, names). The paragraph's speaker now says such a quotation (and a quoted
paragraph goes on with an unquoted statement before it, not only a quoted one): 5-fold CV content
.7884 -> .7941. Where the paragraph has no statement, the previous paragraph's speaker is the gold
one 31 times in 110, so those stay unclaimed: their cues are missed. With the other rules of the
session (a statement wholly inside another's content keeping no content of its own, 15 of its
133 spans matching; dependents that only name a time; a quotation after the cue's sentence
continued past a cue subordinate to the cue and ending its own sentence on a full stop; a
subjectless cue verb after an apposition; an inherited speaker kept to the cue's line) 5-fold CV
went .6817 / .7964 / .7853 -> .6820 / .7973 / .7941, given the gold cues .8192 / .9262 / .8914 ->
.8192 / .9267 / .8990; out of fold the unmatched spans at found cues fell to 762 (source) and
2,049 (content), beside 6,055 and 7,059 of missed and extra cues. Tried and kept out: a learned
filter dropping the source or content span of a doubtful statement (logistic regression over the
cue probability, cue word, dependency, mode, speaker kind, span length and position, nesting;
trained out of fold): AUC .84 / .85 against the cue probability's .84 / .79, at best source
+.001 and content +.0025 before the rules above, not worth a second model; a cue threshold of .25
or .2 for the spans' sake (source .7954 / .7921, content .7871 / .7875 against .7964 / .7853);
a content remainder left past a cut-out statement dropped (+.0004); a that-clause hung off a noun
after the cue as the fallback content (content +.0003, cue exact -.0003: it keeps doubtful cues);
cues inside quotations no longer ending a quoted paragraph or an open quotation (unchanged); a
line with a quotation nobody says and no statement taking its likeliest doubted candidate (p >=
.1, below the threshold) as a cue: content +.0015, source +.0001, cue exact -.0002, and half of
the 66 cues it adds are gold ones (brackets and colons of digests among the rest).
Counted and not written, too few in train: psych verbs whose object is the one speaking ("the
report angered X", about 20 gold cues) and datelines ("WASHINGTON (AP) —") taken for a speaker
or for what was said (15 spans).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from train_statements import fold_models, folds_of, gold_frames, learn_roles, parsed

from presswatch.evaluate.attribution import (
    gold_spans,
    overlap_pairs,
    polnear_article,
    predicted_spans,
    read_polnear,
    score_spans,
    trim_span,
)
from presswatch.nlp.cues import CueModel, cue_word, load_cue_model
from presswatch.nlp.quotes import QuoteIndex
from presswatch.nlp.statements import ATTRIBUTIONS, statements_from_doc

_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "our", "this", "that", "who", "which"])
_TITLE_WORDS = re.compile(r"\b(mr|mrs|ms|dr|sen|senator|rep|gov|governor|president|secretary|spokes\w*|"
                          r"minister|chairman|director|leader|candidate|former|republican|democratic|democrat)\b", re.IGNORECASE)
_SAID_TAIL = re.compile(r"^[\s,.\"“”]*(he|she|they|it|\w+)\s+(said|says|added|told|wrote)\b", re.IGNORECASE)


def _trimmed(text, spans):
    return sorted({t for s, e in spans if (t := trim_span(text, s, e)) is not None})


def _touch(a, b) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _diff_text(text, gold, pred) -> tuple[str, str]:
    """(words the prediction lacks, words it adds) across one pair of overlapping spans."""
    lacks = text[gold[0] : max(gold[0], pred[0])] + " | " + text[min(gold[1], pred[1]) : gold[1]]
    adds = text[pred[0] : max(pred[0], gold[0])] + " | " + text[min(pred[1], gold[1]) : pred[1]]
    return lacks.strip(" |"), adds.strip(" |")


def _source_group(lacks: str, adds: str) -> str:
    words = (lacks + " " + adds).lower().split()
    if any(w.strip(",.") in _PRONOUNS for w in words) and len(words) <= 2:
        return "pronoun"
    if "," in lacks or "," in adds:
        return "apposition/comma"
    if _TITLE_WORDS.search(lacks + " " + adds):
        return "title"
    return "other"


def _content_group(text, gold, pred, lacks: str, adds: str) -> str:
    if _SAID_TAIL.match(adds) or _SAID_TAIL.match(text[gold[1] : gold[1] + 30]) and pred[1] > gold[1]:
        return "pred adds trailing 'X said'"
    if "according to" in (lacks + adds).lower():
        return "according-to clause"
    if len(lacks) > len(adds):
        quoted = any(q in lacks for q in "\"“”")
        sentence = bool(re.search(r"[.?!][\"”]?\s+\S", lacks))
        return "pred too short: " + ("quotation" if quoted else "unquoted") + (" across sentences" if sentence else "")
    quoted = any(q in adds for q in "\"“”")
    return "pred too long: " + ("quotation" if quoted else "unquoted")


@dataclass(frozen=True)
class GoldCueModel(CueModel):
    """Takes exactly the gold cue heads of one article as cues: what the rest of the stage does
    once a cue is found, with the role table learned on the other folds."""

    heads: frozenset = frozenset()

    def probability(self, token, quotes) -> float:
        return 0.99 if token.i in self.heads else 0.0


def gold_cue_models(rows, docs, folds: int) -> list[GoldCueModel]:
    frames = [gold_frames(r, d) for r, d in zip(rows, docs)]
    models: list = [None] * len(rows)
    for held, rest in folds_of(len(rows), folds):
        roles = learn_roles([frames[i] for i in rest])
        for i in held:
            heads = frozenset(h.i for h, *_ in frames[i])
            models[i] = GoldCueModel({}, frozenset(cue_word(h) for h, *_ in frames[i]), roles, 0.5, heads)
    return models


def _where(text, gold, preds) -> str:
    """Where a gold content fragment no predicted fragment of its statement touches lies."""
    end, start = max(p[1] for p in preds), min(p[0] for p in preds)
    if gold[0] >= end:
        between, side = text[end : gold[0]], "after"
    elif gold[1] <= start:
        between, side = text[gold[1] : start], "before"
    else:
        return "between the predicted fragments"
    if "\n" in between:
        return side + ", another paragraph"
    return side + (", another sentence" if re.search(r"[.?!][\"”’]?\s", between) else ", same sentence")


class Tally:
    """Errors counted by part (a role, or a kind of cue error) and group, with the first few
    examples of each group, for the listings below."""

    def __init__(self, examples: int, parts: tuple[str, ...] = ()):
        self.examples = examples
        self.groups: dict[str, Counter] = {part: Counter() for part in parts}
        self.samples: dict[tuple[str, str], list[str]] = defaultdict(list)

    def note(self, part: str, group: str, example: str = "") -> None:
        self.groups.setdefault(part, Counter())[group] += 1
        if example and len(self.samples[part, group]) < self.examples:
            self.samples[part, group].append(example.replace("\n", "/"))

    def print(self, what: str = "", top: int | None = None) -> None:
        for part, counts in self.groups.items():
            print(f"\n== {part}: {sum(counts.values())}{what}")
            for group, n in counts.most_common(top):
                print(f"{n:6d}  {group}")
                for example in self.samples[part, group]:
                    print("          ", example[:220])


def overlap_losses(rows, docs, models, examples: int) -> None:
    """Count every source and content span the overlap figures leave unmatched, by why: gold
    spans lost with their cue or at a found cue (no span predicted, predicted elsewhere, or
    touched by a predicted span the one-to-one matching gave another gold span), predicted spans
    of extra cues or at found cues (gold has none, touches no gold of its attribution, or its
    gold went to another span)."""
    tally = Tally(examples, ("source", "content"))
    note = tally.note
    for row, doc, model in zip(rows, docs, models):
        article = polnear_article(row)
        text = article.body
        statements = statements_from_doc(article, doc, model, ATTRIBUTIONS)
        cues = [(trim_span(text, *st.cue_span), st) for st in statements]
        attributions = []
        for a in row["attributions"]:
            cue = _trimmed(text, [f for c in a["cue"] for f in c["fragments"]])
            found = next((st for span, st in cues if span and any(_touch(span, f) for f in cue)), None)
            attributions.append((a, found))
        gold_of = defaultdict(list)
        for a, st in attributions:
            if st is not None:
                gold_of[id(st)].append(a)
        for role in ("source", "content"):
            def gold(a, role=role, text=text):
                keys = ("source",) if role == "source" else ("content", "content2")
                return _trimmed(text, [f for k in keys for c in a.get(k) or [] for f in c["fragments"]])

            def predicted(st, role=role, text=text):
                spans = ([st.speaker_span] if st.speaker_span else []) if role == "source" else list(st.content_spans)
                return _trimmed(text, spans)

            owner = {}
            for st in statements:
                for p in predicted(st):
                    owner.setdefault(p, st)
            to_pred = overlap_pairs({g for a, _ in attributions for g in gold(a)}, set(owner))
            to_gold = {p: g for g, p in to_pred.items()}
            for a, st in attributions:
                mine = gold(a)
                for g in mine:
                    if g in to_pred:
                        continue
                    if st is None:
                        note(role, "gold, cue missed")
                        continue
                    preds = predicted(st)
                    example = f"cue '{st.cue}' gold '{text[slice(*g)][:80]}' pred '{' | '.join(text[slice(*p)][:80] for p in preds)}'"
                    touching = [p for p in preds if _touch(p, g)]
                    if not preds:
                        note(role, "gold, found cue predicts none", example)
                    elif touching:
                        taker = to_gold.get(touching[0])
                        note(role, "gold, its span matched " + ("another fragment of it" if taker in mine else "another attribution's span"),
                             example + (f" taken by '{text[slice(*taker)][:60]}'" if taker else ""))
                    elif role == "source":
                        pronoun = text[slice(*g)].lower() in _PRONOUNS or all(text[slice(*p)].lower() in _PRONOUNS for p in preds)
                        note(role, "gold, another speaker predicted" + (" (a pronoun on one side)" if pronoun else ""), example)
                    else:
                        note(role, "gold, predicted elsewhere: " + _where(text, g, preds), example)
            for p, st in owner.items():
                if p in to_gold:
                    continue
                attributed = gold_of.get(id(st))
                if not attributed:
                    note(role, "predicted, extra cue")
                    continue
                mine = [g for a in attributed for g in gold(a)]
                example = f"cue '{st.cue}' pred '{text[slice(*p)][:80]}' gold '{' | '.join(text[slice(*g)][:60] for g in mine)}'"
                if not mine:
                    note(role, f"predicted, gold has none ({attributed[0]['type']})", example)
                elif any(_touch(g, p) for g in mine):
                    note(role, "predicted, its gold matched another span", example)
                else:
                    note(role, "predicted, touches no gold of its attribution", example)
    tally.print(" unmatched spans")


def analyse(rows, docs, examples: int, top: int, models=None) -> None:
    """`models`: the cue model reading each row (out of fold); the stored model when None."""
    models = models or [load_cue_model()] * len(rows)
    tally = Tally(examples, ("cue", "source", "content"))
    note = tally.note
    texts, gold_all, pred_all = {}, {}, {}
    for row, doc, model in zip(rows, docs, models):
        article = polnear_article(row)
        text = article.body
        statements = statements_from_doc(article, doc, model, ATTRIBUTIONS)
        texts[article.id], gold_all[article.id] = text, gold_spans(row)
        pred_all[article.id] = predicted_spans(statements)
        preds = [(trim_span(text, *st.cue_span), st) for st in statements]
        golds = []
        for a in row["attributions"]:
            frags = _trimmed(text, [f for c in a["cue"] for f in c["fragments"]])
            if frags:
                golds.append((frags, a))
        used = set()
        for frags, a in golds:
            hit = next((k for k, (p, _) in enumerate(preds) if p and any(_touch(p, f) for f in frags)), None)
            cue_text = " ".join(text[s:e] for s, e in frags)
            if hit is None:
                tok = doc.char_span(*frags[0], alignment_mode="expand")
                word = tok.root.lemma_.lower() if tok is not None else cue_text
                note("cue", f"missed '{word}'" + (" (multi-word)" if len(cue_text.split()) > 1 else ""),
                     text[max(0, frags[0][0] - 60) : frags[-1][1] + 40].replace("\n", " "))
                continue
            used.add(hit)
            pspan, st = preds[hit]
            if [pspan] != frags:
                lacks, adds = _diff_text(text, (frags[0][0], frags[-1][1]), pspan)
                kind = "multi-word gold, pred lacks" if lacks else "pred adds"
                note("cue", f"boundary: {kind} '{(lacks or adds).lower()}'", f"gold '{cue_text}' pred '{text[slice(*pspan)]}'")
            gsrc = _trimmed(text, [f for c in a["source"] for f in c["fragments"]])
            psrc = _trimmed(text, [st.speaker_span] if st.speaker_span else [])
            if gsrc and not psrc:
                note("source", "missing", f"cue '{cue_text}' gold '{text[gsrc[0][0]:gsrc[-1][1]]}'")
            elif psrc and not gsrc:
                note("source", "extra", f"cue '{cue_text}' pred '{text[slice(*psrc[0])]}'")
            elif gsrc and psrc and (gsrc[0][0], gsrc[-1][1]) != psrc[0]:
                g = (gsrc[0][0], gsrc[-1][1])
                if not _touch(g, psrc[0]):
                    note("source", "wrong speaker", f"gold '{text[slice(*g)]}' pred '{text[slice(*psrc[0])]}'")
                else:
                    lacks, adds = _diff_text(text, g, psrc[0])
                    note("source", "boundary: " + _source_group(lacks, adds), f"gold '{text[slice(*g)]}' pred '{text[slice(*psrc[0])]}'")
            gcon = _trimmed(text, [f for k in ("content", "content2") for c in a.get(k) or [] for f in c["fragments"]])
            pcon = _trimmed(text, st.content_spans)
            if gcon and not pcon:
                note("content", "missing", f"cue '{cue_text}' gold '{text[gcon[0][0]:gcon[-1][1]][:120]}'")
            elif pcon and not gcon:
                note("content", "extra", f"cue '{cue_text}' pred '{text[pcon[0][0]:pcon[-1][1]][:120]}'")
            elif gcon and pcon and gcon != pcon:
                g, p = (gcon[0][0], gcon[-1][1]), (pcon[0][0], pcon[-1][1])
                if len(gcon) != len(pcon) and (g == p):
                    note("content", "same extent, fragments differ", f"gold {len(gcon)} pred {len(pcon)}")
                    continue
                if not _touch(g, p):
                    note("content", "disjoint", f"cue '{cue_text}' gold '{text[slice(*g)][:80]}' pred '{text[slice(*p)][:80]}'")
                    continue
                lacks, adds = _diff_text(text, g, p)
                note("content", _content_group(text, g, p, lacks, adds), f"lacks '{lacks[:100]}' adds '{adds[:100]}'")
        for k, (pspan, st) in enumerate(preds):
            if k not in used and pspan and not any(_touch(pspan, f) for frags, _ in golds for f in frags):
                note("cue", f"extra '{text[slice(*pspan)].lower()}'", text[max(0, pspan[0] - 60) : pspan[1] + 40].replace("\n", " "))

    score = score_spans(texts, gold_all, pred_all)
    for role in ("cue", "source", "content"):
        print(role, {k: v["f1"] for k, v in score[role].items()}, {k: (v["precision"], v["recall"]) for k, v in score[role].items()})
    for role in ("cue", "source", "content"):
        total = sum(tally.groups[role].values())
        kinds = Counter()
        for group, n in tally.groups[role].items():
            kinds[group.split(" '")[0]] += n
        print(f"\n== {role}: {total} errors; by kind {dict(kinds.most_common())}")
        for group, n in tally.groups[role].most_common(top):
            print(f"{n:5d}  {group}")
            for ex in tally.samples[role, group]:
                print("         ", ex[:200])


def _missed_kinds(doc, head, cue_tokens, attribution, found_sources, quotes) -> list[str]:
    """The kinds a missed gold cue falls in (one cue may fall in several)."""
    kinds = []
    if head.pos_ == "NOUN" or head.pos_ == "PROPN":
        kinds.append("nominal (statement, claims, criticism)")
    if any(doc[i].lemma_ == "be" for i in cue_tokens) or head.lemma_ == "be":
        kinds.append("'be' evaluation (is expected, is unclear)")
    if len(cue_tokens) > 1:
        kinds.append("multi-word")
    if quotes.inside(head.idx):
        kinds.append("inside a quotation")
    if attribution["type"] != "Attribution" or not attribution["source"]:
        kinds.append("no source")
    elif found_sources(attribution):
        kinds.append("speaker already found for another cue")
    if head.dep_ in ("relcl", "acl", "advcl", "xcomp", "conj", "pcomp"):
        kinds.append(f"clause under another word ({head.dep_})")
    if "\n" not in doc.text[: head.idx]:
        kinds.append("title line")
    return kinds or ["none of these (a one-word cue with a source, in running text)"]


def cue_split(rows, docs, models, examples: int, top: int) -> None:
    """How the cue exact errors split, in the scorer's own units (every gold cue fragment and
    every predicted cue, trimmed, once per article): a gold cue no predicted cue touches (missed),
    a pair that overlaps but differs (boundary), a predicted cue touching no gold one (false
    alarm). Missed gold cues are then counted per attribution by why (head word outside the
    model's lexicon, scored below the threshold, or passing it and dropped as doubtful) and by
    kind (part of speech, nominal, "be" evaluation, inside a quotation, no source, speaker
    already found for another of its cues, under another clause); false alarms by word and part
    of speech; boundaries by the words the prediction lacks or adds."""
    spans = Counter()
    tally = Tally(examples)
    note = tally.note
    for row, doc, model in zip(rows, docs, models):
        article = polnear_article(row)
        text = article.body
        quotes = QuoteIndex(text)
        statements = statements_from_doc(article, doc, model, ATTRIBUTIONS)
        predicted = {trim_span(text, *st.cue_span): st for st in statements}
        predicted.pop(None, None)
        gold = set(_trimmed(text, gold_spans(row)["cue"]))
        spans["gold"] += len(gold)
        spans["predicted"] += len(predicted)
        spans["exact"] += len(gold & set(predicted))
        for g in gold - set(predicted):
            spans["gold, boundary" if any(_touch(g, p) for p in predicted) else "gold, missed"] += 1
        for p in predicted:
            if p in gold:
                continue
            touching = [g for g in gold if _touch(g, p)]
            if touching:
                spans["predicted, boundary"] += 1
                g = (min(s for s, _ in touching), max(e for _, e in touching))
                lacks, adds = _diff_text(text, g, p)
                shape = "pred shorter" if not adds else "pred longer" if not lacks else "pred shifted"
                note("boundary", f"{shape}: lacks '{lacks.lower()}' adds '{adds.lower()}'", f"gold '{text[slice(*g)]}' pred '{text[slice(*p)]}'")
                note("boundary shape", shape)
            else:
                spans["predicted, false alarm"] += 1
                span = doc.char_span(*p, alignment_mode="expand")
                root = span.root if span is not None else None
                pos = root.pos_ if root is not None else "?"
                note("false alarm", f"'{text[slice(*p)].lower()}' ({pos})", text[max(0, p[0] - 70): p[1] + 50])
                note("false alarm, part of speech", pos)
                note("false alarm, where", "inside a quotation" if quotes.inside(p[0]) else "outside quotations")

        found_cues = list(predicted)
        found_source_texts = set()
        for a in row["attributions"]:
            frags = _trimmed(text, [f for c in a["cue"] for f in c["fragments"]])
            if frags and any(_touch(p, f) for p in found_cues for f in frags):
                found_source_texts.update(text[s:e].lower() for s, e in _trimmed(text, [f for c in a["source"] for f in c["fragments"]]))
        speaker_spans = [st.speaker_span for st in statements if st.speaker_span]

        def found_sources(a, text=text, found_source_texts=found_source_texts, speaker_spans=speaker_spans):
            src = _trimmed(text, [f for c in a["source"] for f in c["fragments"]])
            return any(text[s:e].lower() in found_source_texts for s, e in src) or any(
                _touch(s, p) for s in src for p in speaker_spans)

        for a in row["attributions"]:
            frags = _trimmed(text, [f for c in a["cue"] for f in c["fragments"]])
            if not frags or any(_touch(p, f) for p in found_cues for f in frags):
                continue
            tokens = sorted({t.i for f in frags if (s := doc.char_span(*f, alignment_mode="expand")) is not None for t in s})
            if not tokens:
                continue
            heads = [i for i in tokens if doc[i].head.i not in tokens or doc[i].head.i == i]
            head = doc[heads[0] if heads else tokens[0]]
            cue_text = " | ".join(text[s:e] for s, e in frags)
            context = text[max(0, frags[0][0] - 70): frags[-1][1] + 50]
            p = model.probability(head, quotes)
            if cue_word(head) not in model.lexicon:
                why = "head word outside the lexicon"
            elif p < model.threshold:
                why = f"scored {int(p * 10) / 10:.1f}-{int(p * 10) / 10 + 0.1:.1f}"
            else:
                why = "passed the threshold, dropped as doubtful or cut"
            note("missed, why", why)
            note("missed, part of speech", head.pos_)
            note("missed, head dependency", head.dep_)
            for kind in _missed_kinds(doc, head, tokens, a, found_sources, quotes):
                note("missed, kind", kind, f"[{cue_text}] {context}")
            note("missed", f"'{cue_word(head)}' ({head.pos_})", context)

    p_, g_ = spans["predicted"], spans["gold"]
    print(f"cue spans: gold {g_}, predicted {p_}, exact {spans['exact']} "
          f"(P {spans['exact'] / p_:.4f} R {spans['exact'] / g_:.4f})")
    for key in ("gold, missed", "gold, boundary", "predicted, boundary", "predicted, false alarm"):
        print(f"{spans[key]:6d}  {key}")
    fixed = spans["exact"] + min(spans["gold, boundary"], spans["predicted, boundary"])
    print(f"cue exact F1 were every boundary right: {2 * fixed / (p_ + g_):.4f} (now {2 * spans['exact'] / (p_ + g_):.4f})")
    tally.print(top=top)


def agreement(rows) -> None:
    """Each second annotator's spans scored as predictions against the gold of the articles
    that carry `alternative_annotations`: how far a person gets on the same metric."""
    texts: dict = defaultdict(dict)
    gold: dict = defaultdict(dict)
    other: dict = defaultdict(dict)
    for row in rows:
        for annotator, attributions in (row.get("alternative_annotations") or {}).items():
            for key in (annotator, "all"):
                doc_id = f"{row['id']}/{annotator}"
                texts[key][doc_id] = row["text"]
                gold[key][doc_id] = gold_spans(row)
                other[key][doc_id] = gold_spans({"attributions": attributions})
    for key in sorted(texts, key=lambda k: (k == "all", k)):
        score = score_spans(texts[key], gold[key], other[key])
        print(f"{key:>5} ({len(texts[key])} annotations): " + "  ".join(
            f"{role} exact {score[role]['exact']['f1']:.4f} overlap {score[role]['overlap']['f1']:.4f}"
            for role in ("cue", "source", "content")))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", help="PolNeAR train.jsonl (never dev)")
    ap.add_argument("--docs", help="DocBin of the train texts parsed by load_nlp(), to skip the parse")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--folds", type=int, default=0, help="read each article out of fold (K-fold, as train_statements --cv-only)")
    ap.add_argument("--threshold", type=float, default=0.3, help="cue threshold of the fold models")
    ap.add_argument("--top", type=int, default=40, help="groups shown per role")
    ap.add_argument("--agreement", action="store_true", help="score the second annotators against the gold instead")
    ap.add_argument("--gold-cues", action="store_true", help="take the gold cue heads as the cues (roles out of fold)")
    ap.add_argument("--overlap", action="store_true", help="count the spans the overlap figures leave unmatched, by why")
    ap.add_argument("--cue-split", action="store_true", help="split the cue exact errors into missed, boundary and false alarms")
    args = ap.parse_args(argv)
    if "dev" in Path(args.train).name:
        sys.exit("refusing to analyse a dev file: error analysis reads train only")
    rows = read_polnear(args.train)
    if args.agreement:
        agreement(rows)
        return 0
    docs = parsed(rows, args.docs)
    if args.gold_cues:
        models = gold_cue_models(rows, docs, args.folds or 5)
    else:
        models = fold_models(rows, docs, args.folds, threshold=args.threshold) if args.folds else None
    if args.limit:
        rows, docs = rows[: args.limit], docs[: args.limit]
        models = models and models[: args.limit]
    if args.cue_split:
        cue_split(rows, docs, models or [load_cue_model()] * len(rows), args.examples, args.top)
    elif args.overlap:
        overlap_losses(rows, docs, models or [load_cue_model()] * len(rows), args.examples)
    else:
        analyse(rows, docs, args.examples, args.top, models)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
