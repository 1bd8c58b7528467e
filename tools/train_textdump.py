"""Train the text-dump extractor's three line classifiers and write `extract/textdump_model.json`.

What it trains on: synthetic pages only (see `tools/textdump_generator.py`). Each page wraps one
article from a TRAIN half — PolNeAR `eval/attribution/train.jsonl` (field `text`) or ECB+
`eval/stories/train.jsonl` (field `text`) — in generated chrome, is rendered by Debian's
`lynx -dump -nolist -nonumbers` at several widths (mostly 120), and is labelled line by line
(body / headline / other) by aligning the output with the paragraphs put in. A quarter of the pages
have every word ciphered into another script (so the model also learns pages it cannot read) and a
quarter are restyled the way other dumpers print (no margin, bullet glyphs, no placeholders).
No reported set (any `dev.jsonl`, the seed pages) is read.

Models: LightGBM binary trees (training only; inference is numpy in `extract/textdump.py`).
  body  — every non-blank line: is it article body?
  refine — the same question again, given the body model's out-of-fold scores of the whole page
          (windows, main segment, distance to strong lines): learned decoding.
  title — short lines near the start of the body: is it the headline? Gets the body model's
          out-of-fold scores as extra context, so it learns "just before the body".
The decoding threshold is the one of 0.3/0.4/0.5/0.6 that scores best on the held-out synthetic
pages (benchmark shingle F1), unless --body-threshold sets it. The committed model uses 0.4: the
synthetic pages of its training run chose 0.5 (F1 0.9325 against 0.9296), and 0.4 was then picked on
half A of extraction dev (tools/metadata_halves.py), a reported set, which it should not have been.
Chosen again on data made here alone (2026-12-08, tools/textdump_heldout.py, the committed model at
each threshold, the held-out pages of seeds 11-13 of this generator, all kinds, and the bundled
examples' hand gold), 0.4 stays: mean body F1 over the three sets 0.9172 / 0.9186 / 0.9177 / 0.9152
at 0.3 / 0.4 / 0.5 / 0.6 (per set at 0.4: 0.9206, 0.9132, 0.9219), the examples' mean recall 0.9936
at 0.4 against 0.9760 at 0.5 (0.5 drops the short closing line of
examples/pages/goalmouth_korhel_double.txt) and 0.8778 at 0.6, precision 0.9905 from 0.4 up and
0.9799 at 0.3. So the text-dump figure on extraction dev is no longer tuned on, though half A was
read to choose it once. Its headline forest is the
previous model's (--title-from the textdump_model.json of commit f6db7e1): the retrained one took
the standfirst of examples/pages/harbour_ledger_rescue_pact.txt for its headline and scored no
better on the metadata dev set's text-dump titles (0.753 against 0.755 with the earlier forest).

Reproducible: the same arguments give the same pages, the same folds and the same trees
(LightGBM runs with deterministic=True and one thread); a second run from the same --cache gave a
byte-identical model file.

Usage (needs `apt-get install -y lynx` and `pip install -e '.[train]'`); the committed model is
the defaults (4500 training + 300 validation pages, seed 2; 150 body, 40 refine and 100 headline
trees) of this script at commit 96c1ecf, before the generator made live blogs and press releases,
about 4 minutes on one core with a warm --cache. Retrained with them (2026-12-07, h-dumps23; the
defaults of this version) the model keeps all six entries of
tests/data/analyst/fenwick_herald_storm_live.txt (three before) and scores on three sets of 300
held-out synthetic pages: live blogs 0.730 -> 0.848, 0.694 -> 0.880, 0.663 -> 0.829 and press
releases 0.928 -> 0.937, 0.931 -> 0.949, 0.902 -> 0.917 against the committed model, articles
0.9323 -> 0.9313, 0.9273 -> 0.9303, 0.9254 -> 0.922. It was not committed: it kept a
related-links list in examples/pages/lerin_coast_wire_rescue_centre.txt, lost the closing line of
examples/pages/lerin_rundschau_rettungszentrum_de.txt and still kept a press release's "From:" block.
Runs on 5200 pages with paywalled articles too, at seeds 2 and 3 and averaged, did worse on the
articles (0.9151-0.9299 on the same sets).
Why (2026-12-08, h-dumps24; tools/textdump_heldout.py, whose seeds 11-13 are the three sets above):
live blogs alone do not move the two examples. Both sit at the decision boundary: the committed model
keeps lerin_rundschau's four one-line paragraphs at scores 0.44-0.54 (threshold 0.4) and drops the
"More from" list at 0.15-0.18, and seven retrains of this script flip them either way; one on articles
alone (live blogs and press releases at share 0, this generator) kept 1 of the 4 paragraphs and 2 of
the list's 4 items. What live blogs do cost is articles: on held-out pages of this generator, body F1
0.9322/0.9284/0.9300 for that article-only retrain (the committed model 0.9343/0.9282/0.9292), and
0.9227-0.9293, 0.9213-0.9214, 0.9242-0.9264 for the two retrains with live blogs (4500 and 5200
pages). Two generator changes stay as realism fixes whose effect on the examples is within that
noise: a live blog entry's heading is in its own words (40 % were another article's headline, the
strings related lists are made of; the one retrain with them kept the list, the four without dropped
it), and pages restyled as other dumpers print them are rendered unwrapped. So the committed model
stays, and a live blog's entries and a press release's labelled metadata are found by rules in
extract/textdump.py. The tree counts were compared on the dev
halves (tools/textdump_eval.py, as eval/README allows): 40 refine trees scored as well as 80 and
run faster; fewer body or headline trees (or a higher learning rate) lost body F1 and titles.
    nice .venv/bin/python tools/train_textdump.py [--cache /tmp/textdump_pages.jsonl.gz]
Measure it on the reported sets with tools/textdump_eval.py.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "src"))

import lightgbm as lgb
import textdump_generator as generator

from presswatch.evaluate.metrics import f1, shingle_page_scores
from presswatch.extract import textdump
from presswatch.extract.lines import FEATURE_NAMES, featurise, split_dump

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": 6,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
}


def page_arrays(sample: generator.Sample):
    dump = split_dump("\n".join(sample.lines))
    x = featurise(dump)
    labels = np.array([sample.labels[r] for r in dump.rows], dtype=np.int8)
    return dump, x, labels


def train_forest(x: np.ndarray, y: np.ndarray, rounds: int, seed: int, learning_rate: float) -> lgb.Booster:
    params = dict(PARAMS, seed=seed, bagging_seed=seed, feature_fraction_seed=seed, learning_rate=learning_rate)
    return lgb.train(params, lgb.Dataset(x, label=y, free_raw_data=False), num_boost_round=rounds)


def export_forest(booster: lgb.Booster) -> dict:
    """Flatten LightGBM's trees into the node arrays of `textdump.Forest` (children side by side)."""
    feature, threshold, child, value, roots = [], [], [], [], []
    depth = 0

    def new_node() -> int:
        feature.append(0)
        threshold.append(3e38)  # a leaf: never go right
        child.append(len(child))
        value.append(0.0)
        return len(feature) - 1

    def fill(index: int, node: dict, level: int) -> None:
        nonlocal depth
        if "leaf_value" in node:
            value[index] = node["leaf_value"]
            depth = max(depth, level)
            return
        if node["decision_type"] != "<=":
            raise ValueError("only numeric splits are exported")
        left, right = new_node(), new_node()
        feature[index], threshold[index], child[index] = node["split_feature"], float32_floor(node["threshold"]), left
        fill(left, node["left_child"], level + 1)
        fill(right, node["right_child"], level + 1)

    for tree in booster.dump_model()["tree_info"]:
        root = new_node()
        roots.append(root)
        fill(root, tree["tree_structure"], 0)
    return {"feature": feature, "threshold": threshold, "child": child, "value": value, "roots": roots, "depth": depth}


def float32_floor(threshold: float) -> float:
    """The largest float32 <= threshold: for float32 features, `x <= it` decides exactly like `x <= threshold`."""
    low = np.float32(threshold)
    if float(low) > threshold:
        low = np.nextafter(low, np.float32(-np.inf))
    return float(low)


def shingle_f1(pages) -> float:
    ps, rs = [], []
    for predicted, gold in pages:
        p, r = shingle_page_scores(predicted, gold)
        ps.append(p)
        rs.append(r)
    return f1(sum(ps) / len(ps), sum(rs) / len(rs))


def load_or_make_samples(args) -> list[generator.Sample]:
    """Generated pages, reused from --cache when it was made with the same seed and count."""
    key = {"seed": args.seed, "pages": args.pages + args.valid, "generator": generator_fingerprint()}
    if args.cache and args.cache.exists():
        with gzip.open(args.cache, "rt", encoding="utf-8") as handle:
            head = json.loads(handle.readline())
            if head == key:
                return [generator.Sample(**json.loads(line)) for line in handle]
    samples = generator.make_samples(args.eval_dir, args.pages + args.valid, args.seed)
    if args.cache:
        with gzip.open(args.cache, "wt", encoding="utf-8") as handle:
            handle.write(json.dumps(key) + "\n")
            for sample in samples:
                handle.write(json.dumps(sample.__dict__) + "\n")
    return samples


def generator_fingerprint() -> str:
    return hashlib.sha256(Path(generator.__file__).read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=4500, help="synthetic training pages")
    parser.add_argument("--valid", type=int, default=300, help="synthetic validation pages")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--refine-rounds", type=int, default=40)
    parser.add_argument("--title-rounds", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=PARAMS["learning_rate"])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--out", type=Path, default=textdump.MODEL_PATH)
    parser.add_argument("--title-from", type=Path, help="take the headline forest from this model file instead")
    parser.add_argument("--body-threshold", type=float, help="decoding threshold (default: the synthetic pages' best)")
    parser.add_argument("--cache", type=Path, help="keep generated pages here (gzip JSON lines) for reruns")
    args = parser.parse_args()

    t0 = time.time()
    samples = load_or_make_samples(args)
    print(f"{len(samples)} pages ready in {time.time() - t0:.0f}s", flush=True)
    pages = [page_arrays(s) for s in samples]
    train, valid = pages[: args.pages], pages[args.pages:]
    x = np.vstack([p[1] for p in train])
    labels = np.concatenate([p[2] for p in train])
    y_body = (labels == generator.BODY).astype(np.float32)
    print(f"{len(x)} training lines, {y_body.mean():.3f} body", flush=True)

    # body scores the title model can learn from: out-of-fold, as they will look on unseen pages
    rng = random.Random(args.seed)
    fold_of_page = [rng.randrange(2) for _ in train]
    fold = np.concatenate([[f] * len(p[2]) for f, p in zip(fold_of_page, train)])
    oof = np.zeros(len(x))
    for k in (0, 1):
        booster = train_forest(x[fold != k], y_body[fold != k], args.rounds, args.seed + k, args.learning_rate)
        oof[fold == k] = booster.predict(x[fold == k])
    body_booster = train_forest(x, y_body, args.rounds, args.seed, args.learning_rate)
    body_forest = textdump.Forest.from_json(export_forest(body_booster))

    refine_x, start = [], 0
    for dump, xp, _ in train:
        refine_x.append(textdump.refine_input(dump, xp, oof[start:start + len(xp)]))
        start += len(xp)
    refine_booster = train_forest(np.vstack(refine_x), y_body, args.refine_rounds, args.seed, args.learning_rate)

    title_x, title_y, start = [], [], 0
    for dump, xp, lab in train:
        body_p = oof[start:start + len(xp)]
        first = textdump.first_body(dump, body_p)
        rows = textdump.title_candidates(xp, first)
        title_x.append(np.hstack([xp[rows], textdump.title_features(dump, xp, body_p, rows, first)]))
        title_y.append(lab[rows] == generator.TITLE)
        start += len(xp)
    title_booster = train_forest(np.vstack(title_x), np.concatenate(title_y).astype(np.float32), args.title_rounds,
                                 args.seed, args.learning_rate)
    print(f"trained in {time.time() - t0:.0f}s", flush=True)

    # the numpy forest must agree with LightGBM
    check = x[:2000]
    assert np.allclose(body_forest.margin(check), body_booster.predict(check, raw_score=True), atol=1e-6)

    spec = {
        "about": "text-dump line classifiers; trained by tools/train_textdump.py "
                 f"--pages {args.pages} --valid {args.valid} --seed {args.seed} --rounds {args.rounds} "
                 f"--refine-rounds {args.refine_rounds} --title-rounds {args.title_rounds} "
                 f"--learning-rate {args.learning_rate}"
                 + (f" --body-threshold {args.body_threshold}" if args.body_threshold else "")
                 + (f" --title-from {args.title_from.name} (an earlier model's headline forest)" if args.title_from else "")
                 + " on synthetic lynx dumps of "
                 "train-half articles (PolNeAR and ECB+ train.jsonl)",
        "features": list(FEATURE_NAMES),
        "refine_features": list(textdump.REFINE_FEATURES),
        "title_features": list(textdump.TITLE_FEATURES),
        "body": export_forest(body_booster),
        "refine": export_forest(refine_booster),
        "title": (json.loads(args.title_from.read_text(encoding="utf-8"))["title"] if args.title_from
                  else export_forest(title_booster)),
        "body_threshold": 0.5,
    }

    # held-out synthetic pages choose the decoding threshold and show how well the model fits
    results = {}
    kinds = [sample.kind for sample in samples[args.pages:]]
    for threshold in (0.3, 0.4, 0.5, 0.6):
        model = textdump.TextdumpModel.from_json(dict(spec, body_threshold=threshold))
        scored, titles = [], 0
        for dump, xp, lab in valid:
            title_rows, rows = textdump.locate_article(dump, model)
            titles += bool(title_rows) and all(lab[i] == generator.TITLE for i in title_rows)
            gold = "\n".join(dump.lines[dump.rows[i]] for i in np.flatnonzero(lab == generator.BODY))
            scored.append(("\n".join(dump.lines[dump.rows[i]] for i in rows), gold))
        results[threshold] = shingle_f1(scored)
        by_kind = ", ".join(f"{kind} {shingle_f1([pair for pair, k in zip(scored, kinds) if k == kind]):.4f}"
                            f" ({kinds.count(kind)})" for kind in sorted(set(kinds)))
        print(f"synthetic validation ({len(valid)} pages), threshold {threshold}: body shingle F1 "
              f"{results[threshold]:.4f} ({by_kind}), headline {titles}/{len(valid)}", flush=True)
    spec["body_threshold"] = args.body_threshold or max(results, key=results.get)
    args.out.write_text(json.dumps(spec, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB), threshold {spec['body_threshold']}")


if __name__ == "__main__":
    main()
