"""Compare text-dump models on data made here: held-out synthetic pages and the bundled examples.

Never reads a reported set. The synthetic pages are made by `tools/textdump_generator.py` from the
TRAIN halves, as the training pages are, but with other seeds than training uses (2 and 3), so
their chrome and their choice of articles differ; each set is cached (gzip JSON lines) so every
model is scored on the same pages. The bundled examples (`examples/pages/*.txt`) are scored
against their hand gold (`tests/data/examples_gold.json`): body shingle precision and recall
(the extraction benchmark's measure), and whether the headline is the gold's.

    .venv/bin/python tools/textdump_heldout.py MODEL.json [MODEL.json ...] [--seeds 11 12 13] [--pages 300]

`-` stands for the committed model. Needs Debian's lynx for the pages not yet cached, and the
train extra (`pip install -e '.[train]'`), as tools/train_textdump.py does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "src"))

import textdump_generator as generator
from train_textdump import generator_fingerprint, shingle_f1

from presswatch.evaluate.metrics import shingle_page_scores
from presswatch.extract import textdump
from presswatch.extract.lines import split_dump


def heldout_pages(eval_dir: Path, seed: int, pages: int, cache_dir: Path) -> list[generator.Sample]:
    """`pages` synthetic pages of `seed`, made once per generator version and kept in `cache_dir`."""
    path = cache_dir / f"heldout_{generator_fingerprint()}_{seed}_{pages}.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [generator.Sample(**json.loads(line)) for line in handle]
    samples = generator.make_samples(eval_dir, pages, seed)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for sample in samples:
            handle.write(json.dumps(sample.__dict__) + "\n")
    return samples


def synthetic_scores(model: textdump.TextdumpModel, samples: list[generator.Sample]) -> dict[str, float]:
    """Body shingle F1 by page kind, and the share of headlines found."""
    scored, kinds, titles = [], [], 0
    for sample in samples:
        dump = split_dump("\n".join(sample.lines))
        labels = [sample.labels[r] for r in dump.rows]
        title_rows, rows = textdump.locate_article(dump, model)
        titles += bool(title_rows) and all(labels[i] == generator.TITLE for i in title_rows)
        gold = "\n".join(dump.texts[i] for i, label in enumerate(labels) if label == generator.BODY)
        scored.append(("\n".join(dump.texts[i] for i in rows), gold))
        kinds.append(sample.kind)
    out = {kind: shingle_f1([pair for pair, k in zip(scored, kinds) if k == kind]) for kind in sorted(set(kinds))}
    return out | {"all": shingle_f1(scored), "headlines": titles / len(samples)}


def example_scores(model: textdump.TextdumpModel) -> dict[str, tuple[float, float, bool]]:
    """Per bundled example: body shingle precision, recall, and whether the headline is the gold's."""
    gold = json.loads((ROOT / "tests" / "data" / "examples_gold.json").read_text(encoding="utf-8"))["documents"]
    out = {}
    for doc in gold:
        dump = split_dump((ROOT / doc["file"]).read_text(encoding="utf-8"))
        title_rows, rows = textdump.locate_article(dump, model)
        precision, recall = shingle_page_scores("\n".join(dump.texts[i] for i in rows), doc["body_text"])
        title = " ".join(dump.texts[i] for i in title_rows)
        out[doc["id"]] = (precision, recall, title == doc["title"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="model files; - for the committed one")
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/textdump_heldout"))
    args = parser.parse_args()
    models = {name: textdump.TextdumpModel.from_json(json.loads(
        (textdump.MODEL_PATH if name == "-" else Path(name)).read_text(encoding="utf-8"))) for name in args.models}
    for seed in args.seeds:
        samples = heldout_pages(args.eval_dir, seed, args.pages, args.cache_dir)
        for name, model in models.items():
            scores = synthetic_scores(model, samples)
            print(f"seed {seed} ({len(samples)} pages) {name}: " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
    for name, model in models.items():
        scores = example_scores(model)
        print(f"examples {name}: mean precision {np.mean([p for p, _, _ in scores.values()]):.4f}, "
              f"recall {np.mean([r for _, r, _ in scores.values()]):.4f}, headlines "
              f"{sum(t for _, _, t in scores.values())}/{len(scores)}")
        for doc_id, (precision, recall, title) in scores.items():
            print(f"  {doc_id}: P {precision:.3f} R {recall:.3f}{'' if title else ' (headline wrong)'}")


if __name__ == "__main__":
    main()
