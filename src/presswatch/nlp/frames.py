"""The record a statement is put together in: the token sets of its cue, source and content.

`statements` builds one per cue and turns it into a `Statement`; `layout_cues` makes the frames the
page's layout gives, `quoted_content` adds the quotations a statement goes on into and
`frame_filters` drops, cuts and joins frames. Kept apart from all of them so they import it rather
than each other.
"""

from __future__ import annotations

# A doubtful cue (nested in another statement's content, or with no content) needs this
# probability; chosen by 2-fold CV on PolNeAR train, where 0.6-0.9 score alike.
SURE_CUE = 0.7
_EDGE_PUNCT = set(",;:—–-(.")


class Frame:
    """The token sets of one statement while it is being put together."""

    def __init__(self, head, probability: float):
        self.head = head
        self.probability = probability
        self.cue: set[int] = {head.i}
        self.source: set[int] = set()
        self.content: set[int] = set()
        self.extra_content: list[tuple[int, int]] = []  # char spans of quotations added by rules
        # A joined frame's (`frame_filters.one_per_speaker_mention`) tokens said about the topic its
        # governing cue names (its quotations are all in `extra_content`); None: the whole content
        # is the claim.
        self.claim: set[int] | None = None

    def char_spans(self, tokens: set[int]) -> list[tuple[int, int]]:
        doc = self.head.doc
        spans = []
        for run in runs(sorted(tokens)):
            while run and (doc[run[0]].is_space or doc[run[0]].text in _EDGE_PUNCT):
                run = run[1:]
            while run and (doc[run[-1]].is_space or doc[run[-1]].text in _EDGE_PUNCT):
                run = run[:-1]
            if run:
                spans.append((doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]])))
        return spans


def runs(indices: list[int]) -> list[list[int]]:
    """Sorted token ids in runs of consecutive ones: [3, 4, 7] -> [[3, 4], [7]]."""
    out: list[list[int]] = []
    for i in indices:
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out
