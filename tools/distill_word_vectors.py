"""Distil static word vectors from all-MiniLM-L6-v2 for the default install's sense of meaning.

    .venv/bin/python tools/distill_word_vectors.py [--words 40000] [--dims 128]

Needs the `semantic` and `train` extras (torch, the model package, wordfreq). The default install has
no sentence model, yet narratives need to know that "foothold", "presence" and "deployment" are
near each other. Following the Model2Vec recipe (Tulkens and van Dongen, 2024), each word of a
general English vocabulary (wordfreq's most frequent words: nothing from the evaluation data) is
passed through the sentence model on its own; the outputs are centred, reduced by PCA to `--dims`
dimensions and stored as int8 with one scale, about 5 MB in the package. A text's vector is then
the frequency-weighted mean of its words' vectors (presswatch/stories/word_vectors.py), computed in
microseconds without torch. The vectors derive from all-MiniLM-L6-v2 (Apache-2.0).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from presswatch.stories.word_vectors import VECTORS

SIF = 1e-4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=40000)
    parser.add_argument("--dims", type=int, default=128)
    args = parser.parse_args()
    import wordfreq

    from presswatch.semantic import embed_texts

    words = [w for w in wordfreq.top_n_list("en", args.words * 2) if w.isalpha() and len(w) > 1][: args.words]
    start = time.perf_counter()
    embedded = np.concatenate([embed_texts(words[i : i + 2048]) for i in range(0, len(words), 2048)])
    print(f"embedded {len(words)} words in {time.perf_counter() - start:.0f} s")
    centred = embedded - embedded.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    kept = (singular[: args.dims] ** 2).sum() / (singular**2).sum()
    reduced = centred @ components[: args.dims].T
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    scale = float(np.abs(reduced).max() / 127)
    quantised = np.round(reduced / scale).astype(np.int8)
    # Smooth inverse frequency (Arora et al., 2017): a / (a + p(word)), so common words weigh nothing.
    weights = np.array([SIF / (SIF + wordfreq.word_frequency(w, "en")) for w in words], dtype=np.float16)
    np.savez_compressed(VECTORS, words=np.array(words), vectors=quantised, scale=np.float32(scale), weights=weights)
    print(f"kept {kept:.1%} of the variance in {args.dims} dimensions; wrote {VECTORS}")


if __name__ == "__main__":
    main()
