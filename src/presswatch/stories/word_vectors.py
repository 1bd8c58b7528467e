"""Static word vectors: a light sense of meaning for the default install, without torch.

Term vectors only meet when two texts use the same words, but a claim comes back in other words
("a military foothold", "its forces' presence"). The vectors in `word_vectors.npz` were distilled
from all-MiniLM-L6-v2 by tools/distill_word_vectors.py (one vector per frequent English word, int8);
a text's vector is the weighted mean of its known words' vectors, each word weighted by how rare it
is in English (smooth inverse frequency), so "the" and "said" weigh nothing and "foothold" much.
Unknown words (most names) are skipped: names have their own channel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.errors import PresswatchError
from presswatch.semantic import unit_rows

VECTORS = Path(__file__).with_name("word_vectors.npz")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    try:
        with np.load(VECTORS, allow_pickle=False) as data:
            words, vectors, weights = data["words"], data["vectors"], data["weights"]
            scale = float(data["scale"])
    except (OSError, KeyError, ValueError) as exc:
        raise PresswatchError(f"the word vectors {VECTORS} are missing or damaged; reinstall presswatch") from exc
    return {w: i for i, w in enumerate(words.tolist())}, vectors.astype(np.float32) * scale, weights.astype(np.float32)


def embed_words(texts: Sequence[str]) -> np.ndarray:
    """Unit-length vectors, one row per text; a row of zeros for a text with no known word."""
    index, vectors, weights = _table()
    rows = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = [i for i in (index.get(w.lower()) for w in _WORD.findall(text)) if i is not None]
        if ids:
            rows[row] = weights[ids] @ vectors[ids]
    return unit_rows(rows)
