"""A token tagger for reporting cues, trained end to end on PolNeAR's train cues.

The cue model scores each candidate word from string features of its parse; its misses are a long
tail of words it scores low (`tools/attribution_errors.py`). This tagger reads every word in
context instead: a small convolutional encoder over the token vectors the parse already made
(`doc.tensor`, the pipeline's own tok2vec output, so it costs two small layers, not a second
embedding), trained on PolNeAR train to tell cue heads, other cue words and the rest apart. Its
probability that a word heads a cue is one more feature of the cue model (`cue_features`).

Learned by `tools/train_statements.py` and stored as thinc weights in `cue_tagger.bin`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.errors import PresswatchError

TAGGER_PATH = Path(__file__).with_name("cue_tagger.bin")
OUTSIDE, HEAD, INSIDE = 0, 1, 2  # the tagger's classes: no cue word, a cue's head, another cue word
N_CLASSES = 3
INPUT_WIDTH = 96  # en_core_web_sm's tok2vec width
_USER_DATA_KEY = "presswatch.cue_head_probability"


class CueTaggerError(PresswatchError):
    """The parse carries no token vectors for the cue tagger to read."""


def build_tagger(width: int, depth: int, tuned: bool = False):
    """Window-of-one maxout layers over token vectors (as spaCy's own encoder), the first
    projecting them to `width`, the rest residual, then a softmax over the three classes. The
    token vectors are the parse's own (`doc.tensor`), or, `tuned`, those of a copy of the
    pipeline's tok2vec that learns along with the layers above it."""
    from thinc.api import Maxout, Softmax, chain, clone, expand_window, residual, with_array

    project = chain(expand_window(window_size=1), Maxout(width, INPUT_WIDTH * 3, nP=3, normalize=True))
    encoder = project
    if depth > 1:
        encoder = chain(project, clone(residual(chain(expand_window(window_size=1), Maxout(width, width * 3, nP=3, normalize=True))), depth - 1))
    model = with_array(chain(encoder, Softmax(N_CLASSES, width)), pad=depth)
    if tuned:
        from presswatch.nlp.pipeline import load_nlp

        model = chain(load_nlp().get_pipe("tok2vec").model.copy(), model)
    model.attrs["tuned"] = tuned
    return model


def tagger_inputs(docs, tuned: bool) -> list:
    return list(docs) if tuned else [doc_vectors(d) for d in docs]


def doc_vectors(doc) -> np.ndarray:
    tensor = doc.tensor
    if tensor is None or len(tensor) != len(doc) or (len(doc) and tensor.shape[1] != INPUT_WIDTH):
        raise CueTaggerError("the cue tagger needs the doc's token vectors (a parse with tok2vec enabled)")
    return np.asarray(tensor, dtype="float32")


@lru_cache(maxsize=1)
def load_tagger(path: str | None = None):
    data = Path(path or TAGGER_PATH).read_bytes()
    import msgpack

    header = msgpack.unpackb(data[: int.from_bytes(data[:4], "little") + 4][4:])
    model = build_tagger(header["width"], header["depth"], header["tuned"])
    return model.from_bytes(data[4 + int.from_bytes(data[:4], "little") :])


def save_tagger(model, width: int, depth: int, path: str | Path) -> None:
    import msgpack

    header = msgpack.packb({"width": width, "depth": depth, "tuned": model.attrs["tuned"]})
    Path(path).write_bytes(len(header).to_bytes(4, "little") + header + model.to_bytes())


def head_probabilities(docs, model) -> list[np.ndarray]:
    """Per doc, each token's probability of heading a cue."""
    docs = [d for d in docs]
    nonempty = [d for d in docs if len(d)]
    out = iter(model.predict(tagger_inputs(nonempty, model.attrs["tuned"])) if nonempty else [])
    return [np.asarray(next(out)[:, HEAD]) if len(d) else np.zeros(0, dtype="float32") for d in docs]


def keep_head_probabilities(doc, probabilities: np.ndarray) -> None:
    """Give the doc head probabilities made elsewhere (the trainer's out-of-fold ones)."""
    doc.user_data[_USER_DATA_KEY] = probabilities


def cue_head_probabilities(doc, model=None) -> np.ndarray:
    """The doc's per-token cue-head probabilities, computed once per parse and kept with it."""
    probabilities = doc.user_data.get(_USER_DATA_KEY)
    if probabilities is None:
        probabilities = doc.user_data[_USER_DATA_KEY] = head_probabilities([doc], model or load_tagger())[0]
    return probabilities
