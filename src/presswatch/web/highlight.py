"""An article's body as HTML paragraphs with its statements marked: what was said, the cue, and
the speaker (its words linked to the speaker's entity page where the speaker resolves to one,
each person's name to their own page where people spoke together).

Spans can overlap (a speaker inside a quote's run, a cue between two halves of a quote), so the
text is cut at every span edge and each run carries the classes of all spans over it; runs are
flat elements, which cannot be mis-nested whatever the overlaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from presswatch.records import Article, Statement


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    part: str  # "content" | "cue" | "speaker"
    number: int  # the statement's position in the article's list, from 1


def _spans(statements: list[Statement]) -> list[_Span]:
    spans = []
    for number, s in enumerate(statements, start=1):
        spans += [_Span(a, b, "content", number) for a, b in s.content_spans]
        spans.append(_Span(*s.cue_span, "cue", number))
        if s.speaker_span:
            spans.append(_Span(*s.speaker_span, "speaker", number))
    return [s for s in spans if s.end > s.start]


def _paragraph_ranges(article: Article) -> list[tuple[int, int]]:
    """Where each paragraph sits in the body the offsets index; a paragraph not found as written
    (never expected) ends the walk, and the rest of the body is one more paragraph."""
    ranges, at = [], 0
    for paragraph in article.paragraphs:
        start = article.body.find(paragraph, at)
        if start < 0:
            break
        ranges.append((start, start + len(paragraph)))
        at = start + len(paragraph)
    if at < len(article.body.rstrip()):
        ranges.append((at, len(article.body)))
    return ranges


# Words of a speaker to link: their body offsets and the page they link to.
SpeakerTarget = tuple[int, int, str]


def marked_paragraphs(
    article: Article,
    statements: list[Statement],
    speaker_targets: Callable[[Statement], Sequence[SpeakerTarget]],
) -> list[Markup]:
    spans = _spans(statements)
    targets = {number: speaker_targets(s) for number, s in enumerate(statements, start=1) if s.speaker_span}
    anchored: set[int] = set()
    paragraphs = []
    for p_start, p_end in _paragraph_ranges(article):
        inside = [s for s in spans if s.start < p_end and s.end > p_start]
        cuts = [e for s in inside for e in (s.start, s.end)]
        cuts += [e for s in inside if s.part == "speaker" for t in targets[s.number] for e in t[:2]]
        edges = sorted({p_start, p_end, *(max(p_start, min(p_end, e)) for e in cuts)})
        html = []
        for a, b in pairwise(edges):
            text = escape(article.body[a:b])
            over = [s for s in inside if s.start <= a and s.end >= b]
            if not over:
                html.append(text)
                continue
            parts = sorted({s.part for s in over})
            numbers = sorted({s.number for s in over})
            attrs = f' class="{" ".join("st-" + p for p in parts)}" data-statement="{" ".join(map(str, numbers))}"'
            first = numbers[0]
            if "content" in parts and first not in anchored:
                anchored.add(first)
                attrs += f' id="st-{escape(statements[first - 1].id)}"'
            run = Markup(f"<span{attrs}>") + text + Markup("</span>")
            speaker = next((s for s in over if s.part == "speaker"), None)
            url = next((u for start, end, u in targets[speaker.number] if start <= a and end >= b), None) if speaker else None
            if url:
                run = Markup('<a class="speaker-link" href="{}">').format(url) + run + Markup("</a>")
            html.append(run)
        paragraphs.append(Markup("").join(html))
    return paragraphs
