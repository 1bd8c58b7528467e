"""Near-duplicate detection: one wire story carried by many outlets is linked, not dropped.

MinHash over word 5-shingles (datasketch); the signature's LSH band keys are kept in the store's
index, so candidates come from an index lookup, not from comparing all pairs or loading every
signature; the estimated Jaccard similarity of the signatures is kept on the link.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _band_shape() -> tuple[int, int]:
    """Bands and rows per band of the LSH that datasketch chooses for THRESHOLD (its optimum of
    false positives and negatives), so the stored index finds what its MinHashLSH would."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def fingerprint_bands(signature: MinHash) -> list[int]:
    """The LSH band keys of a signature, as signed 64-bit integers SQLite indexes: two articles
    sharing any key are candidates. Each key hashes the band's position with its values."""
    bands, rows = _band_shape()
    values = signature.hashvalues.astype(np.uint64)
    keys = []
    for band in range(bands):
        data = band.to_bytes(2, "little") + values[band * rows : (band + 1) * rows].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True))
    return keys


def near_duplicates(signature: MinHash, candidates: Iterable[tuple[str, bytes]], threshold: float = THRESHOLD) -> list[tuple[str, float]]:
    """The candidates whose estimated similarity reaches the threshold, most similar first."""
    found = []
    for other_id, data in candidates:
        similarity = signature.jaccard(signature_from_bytes(data))
        if similarity >= threshold:
            found.append((other_id, round(float(similarity), 3)))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))
