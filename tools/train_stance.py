"""Train the learned stance model on the labelled training claims, choose its settings by k-fold
cross-validation, print the figures, write src/presswatch/stories/stance_model.json.

    .venv/bin/python tools/train_stance.py [--folds 5] [--dry-run | --guarded] [--without-parts PART ...] [--rows-of PART ...]

The shipped model is written by `--families all --guarded`: the candidates in the order
cross-validation ranks them, the first that keeps the guard tests (GUARD_TESTS: the examples' golden
narratives and tests/test_stance.py) shipped.

Data: the training files only, every labelled set in tests/data but the held-apart parts
(tools/stance_sets.py: stance_claims_{train,heldapart,train2,train3,heldapart2,heldapart3,heldapart4,
train4,...,train13}.jsonl, seventeen invented worlds, 3454 rows; format in
presswatch/evaluate/narratives.py). heldapart2, heldapart3 and heldapart4 were written blind and
scored as held apart in earlier sessions, so they are training data since 2026-12-06 (branch h-narr5);
train4 to train9 since 2026-12-07 (branch h-stance8), train10 to train13 since later that day (session
17). The files held apart, heldapart5 to heldapart12,
are never read here: they are scored once per model by `presswatch eval narratives`. The worlds
written blind to the rules and the model (stance_sets.BLIND_PARTS: heldapart2-4, train6-13) are
reported apart, each candidate's leave-one-file-out accuracy on their rows beside the whole's: the
nearest the training data comes to a world never seen.

Why heldapart2 and heldapart3 were not trained on before (2026-12-06, branch h-stance5), with the
narrative parameters of 2026-12-05 (dense 1.0, join 0.45, merge 0.35). The seeds' narrative
precision of 1.0 rested on one statement of a seed page that the model read as disputing on
"which", "from", "the", "to" and "in" (together about +3 towards disputes against the class mean),
where the rules and its cue read it as asserting; its neighbour was held there by "and" (+1.2) beside
the rules' contrast. The two sat in a group the clusterer built from two of the seeds' gold narratives
(its first pair joined at similarity 0.46, the join threshold being 0.45), so read as asserting they
linked pages that gold keeps apart: P 0.67. A model that does not lean on function words reads it as
asserting. With a closed list of function words left out of the word features (w:, h:, h2:), the
seeds gave P 0.67 on the four files at every C from 1 to 30 and 0.5 on the six with heldapart2 and
heldapart3 (C 10); with the word features valued 0.5 in training (the same C then holds them back
more than the rules' signals) P 0.67 on four or six files at every C from 1 to 30. With the function
words at full value: P 1.0 on the four files, 0.67 on the six at C 1 to 10 (1.0 at C 30 and 100,
where at C 100 the examples' narratives and tests/test_stance.py change). Cross-validation rewarded
the function words too: over the six files at C 10, grouped 5-fold 0.880 and leave-one-file-out
0.865 with them; 0.859 and 0.850 without them (0.867 and 0.852 without them in w: only); word
features x0.5 0.877 and 0.865, and without function words x0.5 0.856 and 0.845, x0.25 0.850 and
0.836. Neither change was kept: the knife-edge was the clusterer's.
What changed it (2026-12-06, branch h-narr5): tools/tune_narratives.py re-chose the narrative
parameters on the seven files above and the examples, without the seeds (dense 0.5, join 0.4,
merge 0.3; figures in presswatch/stories/narratives.py). Read once after that choice, the seeds'
narratives are P 1.0 R 1.0 whether their statements are read by the model of four files, by this
model of seven, or by the rules alone (P 0.67 with the rules alone under the parameters before), so
their precision no longer rests on that statement's stance, and the seven files are trained on.
`tools/train_stance.py --families all` then (1442 rows, C 10 chosen): grouped 5-fold 0.878 (rules
0.760), leave-one-file-out 0.876; the four files alone under the parameters before gave 0.877 and
0.879 over 842 rows.
Two later parts, train4 and train5 (2026-12-06, branch h-stance6, 385 rows written without reading
heldapart5), were not trained on until 2026-12-07. With the seven files (1827 rows, C 10; C 1, 3 and
10 tie on leaving each file out at 0.853): grouped 5-fold 0.853, leave-one-file-out 0.853 (rules
0.712); on the seven files' rows 0.871 and 0.876; train4 0.746 and train5 0.791 when left out. Seeds
unchanged, but the bundled examples' analyst statement "Vyshtal is raising the issue again ..."
turned from asserting to a denial at every C tried (on "is", "next", "ahead"), so that model was not
shipped.
Features for whether a statement was said first in its group, its word vector's cosine to the
first statement's and its static word vector (real-valued; 2026-12-07, branch h-stance7, commit
b071f1b, reverted) won by 4 to 7 rows of 1442 leaving each file out (0.881 at best) and 12 to 16 of
1827 on nine files, but read the same analyst statement as disputing in every model tried, so they
were not kept (figures in MEASUREMENTS.md).
The thirteen files (2026-12-07, branch h-stance8; train6 to train9 written blind as plain news flows
by four writers, 810 rows). `tools/train_stance.py --dry-run` (2637 rows; rules 0.694, on the blind
worlds' 1410 rows 0.663), grouped 5-fold / leave-one-file-out / leave-one-file-out on the blind
worlds' rows: all features C 0.1 0.825 / 0.821 / 0.801, C 0.3 0.831 / 0.829 / 0.809, C 1 0.831 /
0.827 / 0.809, C 3 0.832 / 0.826 / 0.807, C 10 0.830 / 0.831 / 0.814; without the rules' reading
(no_rule) C 10 0.829 / 0.831 / 0.816 (C 0.1-3: 0.820-0.827 leaving each file out);
no_rule_no_polarity 0.815-0.828; without the words 0.789-0.801 (blind 0.756-0.770); without words or
opening 0.761-0.771 (blind 0.738-0.743). The blind worlds prefer what the whole prefers, so no family
is dropped. The search chooses all features at C 10, but every candidate at C 0.3 and above reads
the analyst's "Vyshtal is raising the issue again ahead of the council's next ministerial meeting,
which Caldrun hosts in May" as reporting (the month "May" fires the feature `hedge`; "next",
"which", "meet"),
and at C 10 an alliance official's "the January drills had been announced to all council members
in advance" as disputing the claim it restates, so the drills narrative leaves the examples; no_rule
and no_rule_no_polarity also turn Lomatskiy's "No. Our crews stay." into a denial of the claim it
asserts. Left without train4 and train5, the blind worlds' rows fall (C 0.1 0.788, C 1 0.801, C 10
0.806) and the examples still change (Lomatskiy a denial at every C tried, the analyst reporting at
C 1 and above). So the shipped model is `--families all --c 0.1`, the best leave-one-file-out of the
candidates that keep the examples' narratives: grouped 5-fold 0.825, leave-one-file-out 0.821
(blind worlds 0.801); on the seven files' rows 0.870 and 0.872 (0.878 and 0.876 for the seven-file
model); left out, train4 0.746, train5 0.755, train6 0.756, train7 0.751, train8 0.720, train9 0.825
(pooled 907/1195 = 0.759), where the seven-file model, to which they are unseen, scores 0.709, 0.714,
0.702, 0.634, 0.655 and 0.755 (830/1195 = 0.695; `presswatch eval narratives`, whose grouping is the
pipeline's, close to this script's). Seeds unchanged (narratives P 1.0 R 1.0, statements P 0.98,
core 37/37); in the examples Pavel Ostrogin's "Saving lives at sea is not politics" turns from a
denial of "This centre will save lives" to asserting it (right). Scored once with it:
heldapart5 0.813 (0.818 with the seven-file model), heldapart6 0.745 (0.650).
With the month fixed (a capitalised "May" after the first word no longer fires `hedge`, 2026-12-07)
the search gives C 0.1 0.825 / 0.821 / 0.799, C 0.3 0.829 / 0.829 / 0.809, C 1 0.831 / 0.826 / 0.809,
C 3 0.831 / 0.827 / 0.808, C 10 0.831 / 0.829 / 0.812, and chooses C 10 again; at C 1, 3 and 10 the
analyst's statement now reads as a denial of its own narrative (on "is", "next", "ahead"), at C 10 the
drills narrative still leaves the examples, and at C 0.3 to 10 the three-claim canal narrative of
tests/test_stance.py reads one of its claims as denying and its lock-repairs dispute as asserting.
C 0.1 keeps them all and is shipped again; heldapart5 0.813 and heldapart6 0.745 as before.
`--families all --guarded` makes that choice in code (C 10, 0.3, 3 and 1 fail the guard tests, C 0.1
keeps them) and writes the same model byte for byte. Classes weighted to balance (scikit-learn's
class_weight="balanced", against the held-apart sets' surplus of rows read as asserting) moved the
search by a row or two (C 0.1 0.824 / 0.821 / 0.802, C 0.3 0.828 / 0.830 / 0.814, C 10 0.829 /
0.826 / 0.809): not kept.
Features meant to carry across worlds (2026-12-07, branch h-vocab7, commits 7504db6, 5adca61, 91b7bc6,
reverted; figures in MEASUREMENTS.md): word features only where found in K or more training files
(--min-worlds, K counted on each fold's training rows), names read as their kind (--mask-names), the
parse's features (--parse: where the negation sits, the main verb's modal and condition, a reporting
main verb with a clause, evaluative words as classes). Guarded choices against the shipped C 0.1
(0.8206 leaving each file out, blind worlds 0.7993): K 4 C 0.1 0.8248 / 0.8085, names C 0.3 0.8263 /
0.8028, parse C 0.3 0.8290 / 0.8085, all three C 0.3 0.8282 / 0.8057; the rule set before (15 rows
and 1.0 point on the blind worlds) keeps none.
Contextual sentence embeddings (2026-12-07, branch h-emb7, commit 381f243, reverted): the statement's
all-MiniLM-L6-v2 vector u and its claim's v (the group's first statement by date, or the rest's
centroid) as real-valued features beside these, standardised per fold and scaled against C. Leaving
each file out / blind worlds' rows at C 0.1 (shipped 0.821 / 0.799): [u*v, |u-v|] at best 0.824 /
0.801 (first) and 0.825 / 0.806 (centroid), worse as their scale grows (0.697 / 0.687 unscaled); with
u 0.834 / 0.809 and 0.832 / 0.811; u alone 0.832 / 0.812; beside the rules' reading alone (0.700 /
0.680) the pair adds nothing (0.705 / 0.687), u alone gives 0.774 / 0.741 (C 1). Short of the 3.0 points on both that
shipping needed (fixed before the runs), and about 7 ms a statement for the encoder: not kept (all
figures in MEASUREMENTS.md).

The seventeen files (2026-12-07, session 17; train10 to train13 written blind by four writers at
once, 817 rows, each first read once as an unseen world by the thirteen-file model: 0.755, 0.714,
0.744, 0.725). Decided before they were written: the re-trained model ships if `--guarded` keeps the
guard tests and, leaving each file out, it reads the thirteen old files' rows no worse than the
shipped model (2164 of 2637) by more than 5 rows. `--families all --guarded --rows-of` the thirteen:
grouped 5-fold / leave-one-file-out / blind worlds' 2227 rows at C 0.1 0.815 / 0.809 / 0.790, C 0.3
0.819 / 0.817 / 0.796, C 1 0.822 / 0.819 / 0.797, C 3 0.824 / 0.817 / 0.795, C 10 0.822 / 0.817 /
0.795 (rules 0.683, blind 0.658); C 1, 10, 0.3 and 3 change the examples' golden narratives, C 0.1
keeps them and ships: on the thirteen old files' rows 0.827 leaving each file out (2180 of 2637,
+16 rows), grouped 0.835; left out, train10 0.795, train11 0.719, train12 0.763, train13 0.725.
Held apart, scored once: heldapart5 0.803, heldapart6 0.745, heldapart7 0.739, heldapart8 0.719
(0.813, 0.745, 0.712, 0.709 with the thirteen-file model; 615 of 819 rows against 609).
Four more worlds written blind after it as training sets (train14 to train17, 825 rows), read once
by this model (0.776, 0.774, 0.779, 0.789), then trained on under the same rule (ship if `--guarded`
keeps the guard tests and leaving each file out reads the seventeen files' rows no worse than this
model, 2793 of 3454, by more than 5 rows): C 0.1 / 0.3 / 1 / 3 / 10 gave leave-one-file-out 0.805 /
0.812 / 0.814 / 0.814 / 0.814 over 4279 rows (blind worlds 0.791-0.796), and every candidate changed
the examples' golden narratives and failed tests/test_stance.py's counter-narrative test, so none
shipped. Nothing having been chosen on them, they are held apart since, as heldapart9 to heldapart12.
Features setting a statement's words against its group's (2026-12-07, branch h-stance19, commits
1fcccb4 and 60ae0ed, reverted; figures in MEASUREMENTS.md): an opposite word (a hand-written
vocabulary of general English opposites of state and change), a different figure for the same
thing, a negation of a word the others say plainly (or a word said plainly that another negates),
each against the statement said first and against most or some of the group. Decided before the
figures: kept only if the `--guarded` choice gained 1.0 point leaving each file out over the 3454
rows and over the blind worlds' 2227 (against the shipped features' 0.8086 and 0.7903 at C 0.1).
The first form failed the examples' golden narratives at every C (leave-one-file-out 0.8092-0.8202,
blind worlds 0.7890-0.7975); the second, with each word's polarity, was chosen at C 0.1: 0.8112 /
0.7930 (+9 rows, +6 blind; at C 1 0.8205 / 0.7997, failing the golden narratives). Not kept: the
comparison fires on 211 of the 687 denials and disputes read in a group, and an opposite word or a
different figure is about as common between a claim's own restatements as between a claim and its denial.

Each row is marked where presswatch marks it: among the members of the narrative (and its
counter-narrative) the clusterer puts it in, or alone when it is in none (the groups come from the
rules' stances, which decide which clusters make a narrative). The features are
presswatch.stories.stance.features: the rules' signals and stance, the claim's polarity and the words
around the cue. The model is a multinomial logistic regression (scikit-learn, the train extra),
shipped as JSON weights that presswatch scores without scikit-learn.

Cross-validation folds are grouped by narrative (a one-off claim is a group of its own), so no
narrative's wording is both trained and scored on; leave-one-file-out (each file a world of its
own, with its own people and outlets) is printed beside it as the harder test of wording never
seen. The regularisation and the feature families are chosen by the leave-one-file-out accuracy
(the nearer to a world never seen), ties by the grouped k-fold, then by the smaller C; the model ships only when it beats
the rules on both.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits
from stance_sets import BLIND_PARTS, TRAINING_PARTS, stance_set

from presswatch.evaluate.narratives import as_statements, load_claims
from presswatch.records import STANCES
from presswatch.stories.narratives import cluster_narratives
from presswatch.stories.stance import DEFAULT_STANCE_PARAMS, MODEL_PATH, StanceModel, features, read_rules

RULES = DEFAULT_STANCE_PARAMS.__class__(**{**DEFAULT_STANCE_PARAMS.__dict__, "learned": False})

ROOT = Path(__file__).resolve().parents[1]
C_GRID = [0.1, 0.3, 1.0, 3.0, 10.0]
# Feature families that can be left out ("w:" every word of what was said, "h" the opening words).
FAMILIES = {"all": (), "no_rule": ("rule=",), "no_rule_no_polarity": ("rule=", "claim_negative", "~"), "no_words": ("w:", "~w:"), "no_words_no_head": ("w:", "~w:", "h:", "~h:", "h2:", "~h2:")}


def examples(paths: list[Path], gold_groups: bool = False) -> tuple[list[frozenset[str]], list[str], list[str], list[str], list[str], list[dict]]:
    """Each training row's features, gold stance, the rules' stance, its CV group, its file and the row.

    Each statement is read in the group presswatch puts it in (its narrative with the narrative's
    counter-narratives, or alone); with `gold_groups`, in its gold narrative instead, which tells
    how much a perfect grouping would be worth to the stance reading."""
    feats, gold, rules, groups, files, labelled = [], [], [], [], [], []
    for path in paths:
        rows = load_claims(path)
        statements, articles = as_statements(rows)
        grouped = _gold_groups(statements, rows) if gold_groups else _presswatch_groups(statements, articles)
        row_of = {s.id: row for s, row in zip(statements, rows)}
        for group in grouped:
            reading = read_rules(group, RULES)
            for s in group:
                row = row_of[s.id]
                feats.append(features(s, reading))
                gold.append(row["stance"])
                rules.append(reading.marked[s.id])
                groups.append(f"{path.stem}:{row['narrative'] or row['line']}")
                files.append(path.stem)
                labelled.append(row)
    return feats, gold, rules, groups, files, labelled


def _presswatch_groups(statements, articles) -> list[list]:
    by_id = {s.id: s for s in statements}
    grouped: list[list] = []
    seen: set[str] = set()
    for narrative in cluster_narratives(statements, articles, stance_params=RULES):
        ids = [e.statement_id for g in (narrative, *narrative.counters) for e in g.evidence]
        grouped.append([by_id[i] for i in ids])
        seen.update(ids)
    return grouped + [[s] for s in statements if s.id not in seen]


def _gold_groups(statements, rows) -> list[list]:
    by_narrative: dict[str, list] = {}
    for s, row in zip(statements, rows):
        by_narrative.setdefault(row["narrative"] or f"one-off {row['line']}", []).append(s)
    return list(by_narrative.values())


def keep(present: frozenset[str], family: str) -> dict[str, int]:
    return {f: 1 for f in present if not f.startswith(FAMILIES[family])}


def fit(feats, gold, c: float, family: str) -> StanceModel:
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([keep(f, family) for f in feats])
    # One BLAS thread: on two shared cores the default threads contend, and a fit took 17 s instead of
    # 0.5 s (h-vocab7, 2026-12-07), with the same weights.
    with threadpool_limits(1):
        model = LogisticRegression(C=c, max_iter=5000).fit(x, gold)
    names = vectorizer.get_feature_names_out()
    coef = model.coef_
    weights = {name: tuple(round(float(w), 4) for w in coef[:, j]) for j, name in enumerate(names)
               if np.abs(coef[:, j]).max() >= 1e-3}
    return StanceModel(tuple(model.classes_), tuple(round(float(b), 4) for b in model.intercept_), weights)


def out_of_fold(feats, gold, splits, c: float, family: str) -> list[str]:
    predicted = [""] * len(gold)
    for train, test in splits:
        model = fit([feats[i] for i in train], [gold[i] for i in train], c, family)
        for i in test:
            predicted[i] = model.predict(frozenset(keep(feats[i], family)))
    return predicted


def report(name: str, gold: list[str], predicted: list[str]) -> float:
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
    per = {s: f"{sum(g == p == s for g, p in zip(gold, predicted))}/{sum(g == s for g in gold)}" for s in STANCES}
    print(f"  {name:34s} accuracy {accuracy:.4f}  " + "  ".join(f"{s} {v}" for s, v in per.items()))
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, nargs="*", default=C_GRID, help="The regularisation values to try.")
    parser.add_argument("--families", nargs="*", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--dry-run", action="store_true", help="Print the figures, write no model.")
    parser.add_argument("--without-parts", nargs="*", default=[], choices=TRAINING_PARTS, metavar="PART",
                        help="Leave these training parts out, to compare with a model trained before they came.")
    parser.add_argument("--rows-of", nargs="*", default=[], metavar="PART",
                        help="Training parts (train3, heldapart4, ...) whose rows the chosen model's out-of-fold "
                             "figures are also given on, to compare with a model trained before those parts came.")
    parser.add_argument("--errors", action="store_true",
                        help="List the rows the chosen model gets wrong when their file is left out.")
    parser.add_argument("--gold-groups", action="store_true",
                        help="Read each statement in its gold narrative instead of presswatch's grouping (with "
                             "--dry-run: what a perfect grouping would be worth).")
    parser.add_argument("--guarded", action="store_true",
                        help="Ship the best-ranked candidate that keeps the guard tests (GUARD_TESTS), trying them "
                             "in rank order: each is written and the tests are run on it.")
    args = parser.parse_args()
    if args.guarded and args.dry_run:
        parser.error("--guarded writes each candidate to run the guard tests on it; leave out --dry-run")
    paths = [stance_set(part) for part in TRAINING_PARTS if part not in args.without_parts]
    if args.gold_groups and not args.dry_run:
        parser.error("--gold-groups measures; a model for presswatch's own grouping is trained without it (add --dry-run)")
    feats, gold, rules, groups, files, labelled = examples(paths, gold_groups=args.gold_groups)
    blind = [i for i, f in enumerate(files) if f.removeprefix("stance_claims_") in BLIND_PARTS]
    print(f"{len(gold)} rows from {', '.join(p.name for p in paths)}: {dict(Counter(gold))}")
    index = np.arange(len(gold))
    kfold = list(GroupKFold(n_splits=args.folds).split(index, groups=groups))
    by_file = [(index[[f != name for f in files]], index[[f == name for f in files]]) for name in dict.fromkeys(files)]
    print(f"\nthe rules ({RULES}):")
    rules_kfold = report("all rows", gold, rules)
    report(f"the blind worlds' {len(blind)} rows", [gold[i] for i in blind], [rules[i] for i in blind])
    results = []
    predicted = {}  # (C, family) -> its out-of-fold stances, grouped k-fold and leaving each file out
    for family in args.families:
        for c in args.c:
            predicted[c, family] = in_folds, left_out = (out_of_fold(feats, gold, kfold, c, family),
                                                         out_of_fold(feats, gold, by_file, c, family))
            grouped = sum(g == p for g, p in zip(gold, in_folds)) / len(gold)
            worlds = sum(g == p for g, p in zip(gold, left_out)) / len(gold)
            blind_worlds = sum(gold[i] == left_out[i] for i in blind) / max(len(blind), 1)
            results.append((worlds, grouped, c, family))
            print(f"  model {family:19s} C={c:<5} {args.folds}-fold by narrative {grouped:.4f}  leave-one-file-out {worlds:.4f}"
                  f"  (blind worlds {blind_worlds:.4f})")
    # Ties go to the smaller C: the stronger regularisation leans less on one training world's wording.
    results.sort(key=lambda r: (r[0], r[1], -r[2]), reverse=True)
    if args.guarded:
        before = MODEL_PATH.read_bytes()
        chosen = _first_keeping_the_guard_tests(results, feats, gold, paths, args.folds, rules_kfold)
        if chosen is None:
            MODEL_PATH.write_bytes(before)
            print("\nno candidate keeps the guard tests: the model before is kept")
            return
        worlds, grouped, c, family = chosen
    else:
        worlds, grouped, c, family = results[0]
    print(f"\nchosen: C={c}, features {family}")
    kfold_predicted, worlds_predicted = predicted[c, family]
    print(f"{args.folds}-fold by narrative, out of fold:")
    report("rules", gold, rules)
    report("model", gold, kfold_predicted)
    if args.rows_of:
        subset = [i for i, f in enumerate(files) if f.removeprefix("stance_claims_") in args.rows_of]
        print(f"on the rows of {', '.join(args.rows_of)} only ({len(subset)} rows), out of fold:")
        report("rules", [gold[i] for i in subset], [rules[i] for i in subset])
        report(f"model, {args.folds}-fold by narrative", [gold[i] for i in subset], [kfold_predicted[i] for i in subset])
        report("model, leave-one-file-out", [gold[i] for i in subset], [worlds_predicted[i] for i in subset])
    print(f"on the rows of the worlds written blind ({', '.join(BLIND_PARTS)}; {len(blind)} rows), out of fold:")
    report("rules", [gold[i] for i in blind], [rules[i] for i in blind])
    report("model, leave-one-file-out", [gold[i] for i in blind], [worlds_predicted[i] for i in blind])
    print("leave-one-file-out, out of fold:")
    for name in dict.fromkeys(files):
        rows = [i for i, f in enumerate(files) if f == name]
        report(f"{name}: rules", [gold[i] for i in rows], [rules[i] for i in rows])
        report(f"{name}: model", [gold[i] for i in rows], [worlds_predicted[i] for i in rows])
        if args.errors:
            for i, p in zip(rows, (worlds_predicted[i] for i in rows)):
                if p != gold[i]:
                    row = labelled[i]
                    print(f"    {row['line']:4d} gold {gold[i]:8s} model {p:8s} rules {rules[i]:8s} [{row['cue']}] "
                          f"{row['speaker']}: {row['text']}")
    model = fit(feats, gold, c, family)
    report("model on its own training rows", gold, [model.predict(frozenset(keep(f, family))) for f in feats])
    if grouped <= rules_kfold or worlds <= rules_kfold:
        if args.guarded:
            MODEL_PATH.write_bytes(before)
        print("\nthe model does not beat the rules in both cross-validations: not written")
        return
    if args.dry_run:
        return
    write_model(model, paths, len(gold), (worlds, grouped, c, family), args.folds, rules_kfold)
    print(f"\nwrote {MODEL_PATH} ({len(model.weights)} features)")


def write_model(model: StanceModel, paths: list[Path], rows: int, result: tuple, folds: int, rules_kfold: float) -> None:
    worlds, grouped, c, family = result
    # The dropped families carry no weight, so the shipped model reads all features and ignores them.
    about = {"trained_by": "tools/train_stance.py", "date": datetime.date.today().isoformat(),
             "data": [p.name for p in paths], "rows": rows, "C": c, "features": family,
             f"cv_{folds}fold_by_narrative": round(grouped, 4), "cv_leave_one_file_out": round(worlds, 4),
             "rules_accuracy": round(rules_kfold, 4)}
    data = model.as_json(**about)
    # One feature a line: small to ship, and a retraining reads as a diff of the weights that moved.
    weights = ",\n".join(f"{json.dumps(name)}: {json.dumps(w)}" for name, w in data["weights"].items())
    MODEL_PATH.write_text(f'{{"about": {json.dumps(data["about"])},\n"classes": {json.dumps(data["classes"])},\n'
                          f'"intercepts": {json.dumps(data["intercepts"])},\n"weights": {{\n{weights}\n}}}}\n',
                          encoding="utf-8")


# What a candidate model must keep to ship (--guarded): the bundled examples' golden narratives (the
# alliance's denials as the counter-narrative of its claim, restatements as its evidence) and the
# stance unit tests, whose small narratives say what each stance is. Cross-validation ranks the
# candidates; these tests veto the ones that misread the project's own worked examples.
GUARD_TESTS = ("tests/test_golden_pipeline.py::test_the_examples_narratives_match_the_golden_file", "tests/test_stance.py")


def _first_keeping_the_guard_tests(results: list[tuple], feats, gold, paths: list[Path], folds: int,
                                   rules_kfold: float) -> tuple | None:
    for result in results:
        worlds, grouped, c, family = result
        write_model(fit(feats, gold, c, family), paths, len(gold), result, folds, rules_kfold)
        # In a fresh process: the model is read once per process (stance.stance_model).
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *GUARD_TESTS],
                             cwd=ROOT, capture_output=True, text=True)
        failed = [line.removeprefix("FAILED ").split(" - ")[0] for line in run.stdout.splitlines()
                  if line.startswith("FAILED")]
        print(f"  guard tests, C={c} features {family}: " + ("kept" if run.returncode == 0 else
                                                            "failed " + ", ".join(failed or ["(see pytest)"])))
        if run.returncode == 0:
            return result
    return None


if __name__ == "__main__":
    main()
