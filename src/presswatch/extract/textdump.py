"""Article extraction from a text-browser page dump (`lynx -dump`): menus, notices and lists removed.

Two learned line classifiers do the work, both gradient-boosted trees run here with numpy from the
weights in `textdump_model.json`: one scores each non-blank line as article body or not, from the
features in `lines.py`; the other picks the headline among the lines, with the body scores as extra
context. A short decoding step then keeps the body lines of the page's main text region and joins
wrapped lines back into paragraphs.

The weights were trained by `tools/train_textdump.py` on synthetic pages only: articles from the
TRAIN halves of PolNeAR (`eval/attribution/train.jsonl`) and ECB+ (`eval/stories/train.jsonl`)
wrapped in generated page chrome and rendered by Debian's lynx; see that script for the details.
No reported data set (any `dev.jsonl`, the seed pages) was used for training.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.errors import DataFormatError
from presswatch.extract.lines import FEATURE_NAMES, Dump, body_hash, featurise, split_dump
from presswatch.records import Article, Page

MODEL_PATH = Path(__file__).with_name("textdump_model.json")


@dataclass(frozen=True)
class Forest:
    """Gradient-boosted trees as flat arrays: all trees walk one level per step over all rows at once."""

    feature: np.ndarray  # (trees, nodes) split feature, -1 at leaves
    threshold: np.ndarray  # (trees, nodes) go left when x <= threshold
    left: np.ndarray  # (trees, nodes) child index; leaves point at themselves
    right: np.ndarray
    value: np.ndarray  # (trees, nodes) leaf output
    depth: int
    bias: float

    @classmethod
    def from_json(cls, spec: dict) -> "Forest":
        return cls(
            feature=np.asarray(spec["feature"], dtype=np.int64),
            threshold=np.asarray(spec["threshold"], dtype=np.float64),
            left=np.asarray(spec["left"], dtype=np.int64),
            right=np.asarray(spec["right"], dtype=np.int64),
            value=np.asarray(spec["value"], dtype=np.float64),
            depth=int(spec["depth"]),
            bias=float(spec.get("bias", 0.0)),
        )

    def margin(self, x: np.ndarray) -> np.ndarray:
        n_trees = self.feature.shape[0]
        trees = np.arange(n_trees)
        node = np.zeros((x.shape[0], n_trees), dtype=np.int64)
        rows = np.arange(x.shape[0])[:, None]
        safe_feature = np.maximum(self.feature, 0)
        for _ in range(self.depth):
            f = safe_feature[trees, node]
            go_left = x[rows, f] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        return self.value[trees, node].sum(axis=1) + self.bias

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.margin(x)))


@dataclass(frozen=True)
class TextdumpModel:
    body: Forest
    title: Forest
    body_threshold: float

    @classmethod
    def from_json(cls, spec: dict) -> "TextdumpModel":
        if tuple(spec.get("features", ())) != FEATURE_NAMES:
            raise DataFormatError(f"{MODEL_PATH.name} was trained on other line features; retrain with tools/train_textdump.py")
        return cls(Forest.from_json(spec["body"]), Forest.from_json(spec["title"]), float(spec["body_threshold"]))


@lru_cache(maxsize=2)
def load_model(path: Path | None = None) -> TextdumpModel:
    path = path or MODEL_PATH
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFormatError(f"cannot read the text-dump model {path}: {exc}") from exc
    return TextdumpModel.from_json(spec)


TITLE_FEATURES = ("body_p", "body_p_next", "body_p_prev", "rows_to_body", "after_first_body", "title_repeats",
                  "title_contained", "title_log_words", "title_rank")


def title_features(dump: Dump, x: np.ndarray, body_p: np.ndarray) -> np.ndarray:
    """Extra columns for the headline classifier: where the line sits relative to the predicted body.

    A headline stands shortly before the body, is often printed twice, and is often repeated inside
    a breadcrumb or the page's <title> line.
    """
    n = len(dump.rows)
    extra = np.zeros((n, len(TITLE_FEATURES)), dtype=np.float32)
    if not n:
        return extra
    strong = np.flatnonzero(body_p > 0.5)
    first_body = int(strong[0]) if len(strong) else n
    page = "\n".join(line.strip() for line in dump.lines)
    idx = np.arange(n)
    nxt = np.concatenate([body_p[1:], [0.0]])
    nxt2 = np.concatenate([body_p[2:], [0.0, 0.0]])
    extra[:, 0] = body_p
    extra[:, 1] = np.maximum(nxt, nxt2)
    extra[:, 2] = np.concatenate([[0.0], body_p[:-1]])
    extra[:, 3] = np.clip(first_body - idx, -50, 50)
    extra[:, 4] = idx > first_body
    words = x[:, FEATURE_NAMES.index("log_words")]
    for i, r in enumerate(dump.rows):
        if not 0.6 < words[i] < 3.5:  # 1..32 words: the only lengths a headline comes in
            continue
        text = dump.lines[r].strip()
        exact = sum(1 for rr in dump.rows if dump.lines[rr].strip() == text) if len(text) > 3 else 1
        extra[i, 5] = exact
        extra[i, 6] = page.count(text) - exact
    extra[:, 7] = words
    extra[:, 8] = np.minimum(np.abs(idx - first_body), 30)
    return extra


def _joined(dump: Dump, rows: list[int]) -> list[str]:
    """Paragraph texts of the chosen rows: wrapped lines of one unit joined with a space."""
    paragraphs: list[str] = []
    last_unit = None
    for i in rows:
        text = dump.lines[dump.rows[i]].strip()
        if dump.units[i] == last_unit:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        last_unit = dump.units[i]
    return paragraphs


def select_body(dump: Dump, body_p: np.ndarray, threshold: float) -> list[int]:
    """Rows kept as body: a line's score is mixed with its wrapped paragraph's, then thresholded."""
    if not len(body_p):
        return []
    units = np.asarray(dump.units)
    sums = np.bincount(units, weights=body_p)
    counts = np.bincount(units)
    unit_p = (sums / np.maximum(counts, 1))[units]
    score = 0.5 * body_p + 0.5 * unit_p
    return [int(i) for i in np.flatnonzero(score > threshold)]


def select_title(dump: Dump, title_p: np.ndarray, body_rows: list[int]) -> int | None:
    if not len(title_p):
        return None
    best = int(np.argmax(title_p))
    return best if title_p[best] > 0.2 else None


def extract_textdump(page: Page) -> Article:
    model = load_model()
    dump = split_dump(page.content)
    x = featurise(dump)
    body_p = model.body.probability(x) if len(x) else np.zeros(0)
    title_x = np.hstack([x, title_features(dump, x, body_p)])
    title_p = model.title.probability(title_x) if len(x) else np.zeros(0)
    title_row = select_title(dump, title_p, [])
    body_rows = [i for i in select_body(dump, body_p, model.body_threshold) if i != title_row]
    paragraphs = tuple(_joined(dump, body_rows))
    title = None
    if title_row is not None:
        title = " ".join(_joined(dump, [i for i in range(len(dump.rows)) if dump.units[i] == dump.units[title_row]]))
    body = "\n\n".join(paragraphs)
    return Article(
        id=page.id,
        page_id=page.id,
        url=page.url,
        title=title,
        body=body,
        paragraphs=paragraphs,
        body_hash=body_hash(body),
    )
