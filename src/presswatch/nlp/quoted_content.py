"""What a statement said in quotation marks beyond what its parse gave.

Content that starts or ends inside a quotation is the whole quotation (`quote_complete`). After the
frames are built, four passes add quotations the parse did not hang off any cue: the quotations
that follow a quoted statement in its paragraph (`continue_quotations`), a quotation left open at a
paragraph's end and going on in the next (`continue_open_quotations`), the paragraphs that are only
a quotation after a statement (`continue_quoted_paragraphs`), and a sentence-long quotation no
statement of its paragraph says, given to the paragraph's speaker (`claim_lone_quotations`).
`statements` runs them in this order; each adds character spans to a frame's `extra_content`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from presswatch.nlp.frames import Frame
from presswatch.nlp.quotes import QUOTE_MARKS, QuoteIndex
from presswatch.nlp.spans import SpanIndex

_MAX_CUE_SENTENCE_TAIL = 200  # characters between a cue and a quotation that continues its statement
# A quotation this long is a sentence someone said, not a phrase quoted in passing: on PolNeAR
# train, unclaimed quotations of 6 words or more touch a gold content 77% of the time, shorter
# ones 29% (scare quotes, names); 5-fold CV content overlap with 3, 4, 5, 6, 8 words: .7936,
# .7941, .7940, .7938, .7932 (`tools/train_statements.py --cv-only`).
_MIN_QUOTED_SENTENCE = 5
_MAX_TITLE_WORDS = 8  # a quoted programme or book name; a longer quotation in title case is a headline
_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from"})


def quote_complete(spans, cue_span, quotes: QuoteIndex) -> list[tuple[int, int]]:
    """Widen content that starts or ends inside a quotation to the whole quotation."""
    out = []
    for s, e in spans:
        for qs, qe in quotes.regions_between(s - 1, e):
            inside_cue = qs <= cue_span[0] and cue_span[1] <= qe
            if not inside_cue and qe > s:
                s, e = min(s, qs), max(e, qe)
        out.append((s, e))
    return out


def continue_quotations(frames: list[Frame], doc, quotes: QuoteIndex) -> None:
    """'"…," he said in an interview. "…" "…"' — quotations that follow a quoted statement's cue
    continue it: the first may come after the rest of the cue's sentence, the next ones must follow
    each other directly; all within the paragraph and up to a quotation with a cue of its own."""
    text = quotes.text
    cue_offsets = sorted(f.head.idx for f in frames)
    # what each statement says already, looked up by range: a quotation another cue says ('"…," she
    # said, adding: "…"') is not more of this one
    said_already = SpanIndex((s, e, f) for f in frames for s, e in f.char_spans(f.content) + f.extra_content)
    clause_heads = sorted((f.head for f in frames if f.head.tag_ not in ("VBG", "VBN")), key=lambda t: t.idx)
    clause_offsets = [t.idx for t in clause_heads]
    for frame in frames:
        said = frame.char_spans(frame.content) + frame.extra_content
        if not said or not _ends_quoted(said, quotes):
            continue
        last = doc[max(frame.cue | frame.source | frame.content)]
        end = max([last.idx + len(last)] + [e for _, e in frame.extra_content])
        paragraph_end = text.find("\n", end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        first = True
        for qs, qe in quotes.iter_between(end, paragraph_end):
            gap = text[end:qs]
            # a cue between ends the statement, but not a participle after the cue ('"…," she
            # said, adding that …. "…"') nor a cue in a clause of the cue's own ('"…," Kask said
            # after the mayor announced …. "…"'; with a quotation closing on a full stop ending
            # its own sentence, 5-fold CV on PolNeAR train content overlap .7879 -> .7884); the
            # finite cues are sorted once and bisected here (a list of them per frame grew with
            # the square of the article's cues)
            between = clause_heads[bisect.bisect_left(clause_offsets, end) : bisect.bisect_left(clause_offsets, qs)]
            if qs < end or any(not frame.head.is_ancestor(t) for t in between) or any(
                other is not frame and not qs <= other.head.idx < qe for other in said_already.overlapping(qs, qe)
            ):
                break
            if first and _is_a_title(text[qs:qe]):
                continue  # 'said on Fox News' "Sunday Morning Futures."': a show's name, not more said
            if first:
                # the rest of the cue's sentence: one clause ending where the quotation opens
                if len(gap) > _MAX_CUE_SENTENCE_TAIL or re.search(r"[.?!;:]\s+\S", gap.rstrip()):
                    break
            elif gap.strip(" .,;"):
                break
            # the quotation's sentence, which ends with it when it closes on a full stop
            sentence_end = qe if text[qs:qe].rstrip(QUOTE_MARKS + " ")[-1:] in (".", "?", "!") else text.find(". ", qe, paragraph_end)
            sentence_end = paragraph_end if sentence_end < 0 else sentence_end
            if _any_between(cue_offsets, qs, sentence_end):
                break
            frame.extra_content.append((qs, qe))
            end, first = qe, False


def _any_between(offsets: list[int], start: int, end: int) -> bool:
    """Whether the sorted `offsets` hold one in [start, end): a bisection, not a scan of every cue
    of a long article per quotation."""
    k = bisect.bisect_left(offsets, start)
    return k < len(offsets) and offsets[k] < end


def _is_a_title(quotation: str) -> bool:
    """A quoted name in title case ("Meet the Press", "Good Morning America"): a programme,
    book or slogan named, not words someone said."""
    words = quotation.strip(QUOTE_MARKS + " .,").split()
    if not 0 < len(words) <= _MAX_TITLE_WORDS:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in _TITLE_SMALL_WORDS for w in words)


def continue_open_quotations(frames: list[Frame], quotes: QuoteIndex) -> None:
    """A quotation left open at a paragraph's end goes on in the next paragraph when that one
    opens with a quote mark (the newspaper convention for a quotation of several paragraphs);
    a paragraph with a cue of its own starts a statement of its own."""
    text = quotes.text
    cue_offsets = sorted(f.head.idx for f in frames)
    for frame in frames:
        said = sorted(frame.char_spans(frame.content) + frame.extra_content)
        region = quotes.region_at(said[-1][1] - 1) if said else None
        while region is not None and _left_open(region, text):
            rest = text[region[1] :]
            opens = region[1] + len(rest) - len(rest.lstrip())
            nxt = quotes.region_at(opens)
            if nxt is None or nxt[0] != opens:
                break
            paragraph_end = text.find("\n", nxt[1])
            paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
            if _any_between(cue_offsets, nxt[0], paragraph_end):
                break
            frame.extra_content.append(nxt)
            region = nxt


def continue_quoted_paragraphs(frames: list[Frame], quotes: QuoteIndex) -> None:
    """'"…," Kask said.' or "Kask said the port would close." then a paragraph that is only a
    quotation, with no cue of its own: the quotation goes on with the statement its preceding
    paragraph ended on (the newspaper convention for a speaker quoted at length; 5-fold CV on
    PolNeAR train, content overlap .7932 -> .7938 once an unquoted statement is continued too);
    so do the quoted paragraphs after it, up to a paragraph that is anything else."""
    text = quotes.text
    current: Frame | None = None
    for start, end, in_line in _frames_by_line(frames, text):
        if not text[start:end].strip():
            continue
        if in_line:
            current = in_line[-1]
            continue
        regions = quotes.regions_between(start, end)
        pieces, at = [], start  # joined once: adding to a string per quotation copies it each time
        for a, b in regions:
            pieces.append(text[at:a])
            at = max(at, b)
        outside = "".join(pieces) + text[at:end]
        if current is None or not regions or regions[0][0] < start or outside.strip(" \t.,;"):
            current = None
            continue
        current.extra_content.extend(r for r in regions if r not in current.extra_content)


def claim_lone_quotations(frames: list[Frame], quotes: QuoteIndex) -> None:
    """A quotation of a sentence's length that no statement of its paragraph says, where the
    paragraph has statements, is said by the paragraph's speaker: the one whose cue comes last
    before it, else the first after it ('"…," Kask said as the ferry left. Other words. "…"';
    a paragraph of news quotes one voice). 5-fold CV on PolNeAR train: content overlap .7884 ->
    .7941; 85% of the quotations it adds match a gold content, most of them of a cue the model
    missed (a second "said" of the same speaker), and where the gold names a speaker other than
    by a pronoun it is the one given here 170 times in 203. A quoted title is no speech
    (`_is_a_title`). A quotation in a paragraph without statements stays unclaimed: the previous
    paragraph's speaker is the gold one there less often than not (31 times in 110)."""
    text = quotes.text
    # what every statement says, looked up by range rather than scanned per quotation
    said = SpanIndex((s, e, f) for f in frames for s, e in f.char_spans(f.content) + f.extra_content)
    for start, end, in_line in _frames_by_line(frames, text):
        if not in_line:
            continue
        for qs, qe in quotes.regions_between(start, end):
            quotation = text[qs:qe]
            if len(quotation.split()) < _MIN_QUOTED_SENTENCE or _is_a_title(quotation) or said.overlapping(qs, qe):
                continue
            # the last cue before the quotation, bisected (a list of them per quotation grew
            # with the square of a long line's cues)
            k = bisect.bisect_left(in_line, qs, key=lambda f: f.head.idx)
            speaker = in_line[k - 1] if k else in_line[0]
            speaker.extra_content.append((qs, qe))
            said.add(qs, qe, speaker)


def _frames_by_line(frames: list[Frame], text: str) -> Iterator[tuple[int, int, list[Frame]]]:
    """Each line of the text (a paragraph, in news) with the statements whose cue is on it, in
    the order of their cues; one pass over the cues, however many lines there are."""
    by_cue = sorted(frames, key=lambda f: f.head.idx)
    k = 0
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.span()
        while k < len(by_cue) and by_cue[k].head.idx < start:
            k += 1
        in_line = []
        while k < len(by_cue) and by_cue[k].head.idx < end:
            in_line.append(by_cue[k])
            k += 1
        yield start, end, in_line


def _left_open(region: tuple[int, int], text: str) -> bool:
    """The quotation runs to its paragraph's end without a closing mark."""
    body = text[region[0] : region[1]].rstrip()
    return text[region[1] : region[1] + 1] == "\n" and len(body) > 1 and body[-1] not in "”»\"'"


def _ends_quoted(spans, quotes: QuoteIndex) -> bool:
    """What was said ends on a quotation ('the quay is also a "sleeping giant," Kask said.')."""
    end = max(e for _, e in spans)
    region = quotes.region_at(end - 1)
    return region is not None and region[1] <= end + 1
