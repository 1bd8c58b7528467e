"""Near-duplicate detection: one wire story carried by many outlets is linked, not dropped.

MinHash over word 5-shingles with LSH (datasketch) finds candidates without comparing all pairs;
the estimated Jaccard similarity of the signatures is kept on the link.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
# Stored signatures are only comparable with ones made by the same hashing scheme, so it is fixed.
SCHEME = "affine32"
THRESHOLD = 0.7
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def body_minhash(body: str) -> MinHash:
    words = _WORD.findall(body.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles])
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class NearDuplicateIndex:
    """LSH over the signatures of articles seen so far (stored ones are loaded at start)."""

    def __init__(self, threshold: float = THRESHOLD):
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self.threshold = threshold

    def add(self, article_id: str, signature: MinHash) -> None:
        if article_id not in self._signatures:
            self._lsh.insert(article_id, signature)
            self._signatures[article_id] = signature

    def matches(self, signature: MinHash) -> list[tuple[str, float]]:
        """Articles whose estimated similarity reaches the threshold, most similar first."""
        found = []
        for other_id in self._lsh.query(signature):
            similarity = signature.jaccard(self._signatures[other_id])
            if similarity >= self.threshold:
                found.append((other_id, round(float(similarity), 3)))
        return sorted(found, key=lambda pair: -pair[1])
