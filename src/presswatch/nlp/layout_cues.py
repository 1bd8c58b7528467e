"""Cues the page's layout gives, whatever the cue model makes of the words.

A line opened by a speaker's name and a colon ("PENCE: Well, …", `speaker_label_frame` over
`line_starts`) and a quotation signed with a dash and a name ('"…" ― Pamela Padilla',
`signed_quotation_frames`) are statements with no reporting word; a verb set right after a
quotation with only its subject between ('"…," he continued', `closes_quotation`) or right before
one after a colon ('He continued: "…"', `opens_quotation`) is a speech cue; an interview's "A: …"
lines are statements of the person interviewed (`interview_answer_frames`).
"""

from __future__ import annotations

import re

from presswatch.nlp.frames import SURE_CUE, Frame
from presswatch.nlp.quotes import QuoteIndex
from presswatch.nlp.spans import SpanIndex

_MAX_SUBJECT_WORDS = 4  # '"…," Deputy Mayor Anna Kask added': a longer subject is a sentence of its own
# A quotation's closing mark, a dash and a name of one to five words ending the line.
_SIGNATURE = re.compile(
    r"[”\"][ \t\u00a0]*([―—–]|--?)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,4}?)\.?[ \t\u00a0]*(?=\n|$)"
)
# Words that open a line with a colon without naming a speaker: news labels and the interview's
# "Q:" / "A:" (a question is not a statement; an answer's speaker is named elsewhere:
# interview_answer_frames).
_LABELS = frozenset(
    "update updated breaking watch listen video photos photo editor's note note correction clarification "
    "exclusive analysis opinion live read related source sources q a".split()
) | {"editor's note", "read more", "see also"}
_SPEAKER_ENTS = {"PERSON", "ORG", "NORP", "GPE"}  # entity types that can speak


def line_starts(doc, text: str, furniture: SpanIndex) -> list:
    """The first token of each line that is not furniture."""
    starts = []
    for token in doc:
        at = token.idx
        opens_line = at == 0 or text[at - 1] == "\n"
        if opens_line and not token.is_space and not furniture.containing(at):
            starts.append(token)
    return starts


def speaker_label_frame(first) -> Frame | None:
    """A line opened by a speaker's name and a colon: a transcript's "PENCE: Well, look, …" or a
    headline's "Graham: Trump's rhetoric is dangerous". The colon is the cue, the name the source
    and the rest of the line what was said, as PolNeAR marks them. The name is one to four
    capitalised words the parser reads as a name, or a transcript's capitalised surname (which
    the parser often takes for a common noun); a label ("UPDATE:", "Q:") is no speaker."""
    doc = first.doc
    start = first.i + (1 if first.is_quote else 0)
    head_words = doc[start : start + _MAX_SUBJECT_WORDS + 1]
    colon = next((t for t in head_words if t.text == ":" or "\n" in t.text), None)
    if colon is None or colon.text != ":" or colon.i == start or colon.i + 1 >= len(doc):
        return None
    name = doc[start : colon.i]
    if name.text.lower() in _LABELS or not all(
        t.text[:1].isupper() and (t.pos_ in ("PROPN", "NOUN") or t.ent_type_ in _SPEAKER_ENTS or (t.is_upper and len(t) > 1))
        for t in name
    ):
        return None
    end = colon.i + 1
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    if end - colon.i < 3:
        return None
    frame = Frame(colon, SURE_CUE)
    frame.source = set(range(name.start, name.end))
    frame.content = set(range(colon.i + 1, end))
    return frame


def signed_quotation_frames(doc, quotes: QuoteIndex) -> list[Frame]:
    """'"…" ― Pamela Padilla': a quotation signed with a dash and a name closing its line, as
    readers' voices and pull quotes are set. The dash is the cue."""
    frames = []
    for m in _SIGNATURE.finditer(quotes.text):
        dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        name = doc.char_span(m.start(2), m.end(2), alignment_mode="contract")
        said = quotes.regions_between(m.start() - 1, m.start() + 1)
        if dash is None or name is None or not said or any(t.pos_ not in ("PROPN", "PUNCT") for t in name):
            continue
        frame = Frame(dash[0], SURE_CUE)
        frame.cue = {t.i for t in dash}
        frame.source = {t.i for t in name}
        frame.extra_content.append(said[-1])
        frames.append(frame)
    return frames


def closes_quotation(token, quotes: QuoteIndex) -> bool:
    """A verb set right after a quotation that closes on a comma, question or exclamation mark,
    with only its subject between ('"…," he added', '"…?" she continued', '"…," said Kask'):
    news prose puts a speech cue there whatever the verb, so the cue model's doubt about rarer
    verbs ("continued", "went on") is overruled."""
    if token.pos_ != "VERB" or quotes.inside(token.idx):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj" and not quotes.inside(c.idx)]
    if not subjects:
        return False
    subject = min(subjects, key=lambda c: abs(c.i - token.i))
    doc = token.doc
    if subject.i < token.i:
        first = subject.left_edge
        between = doc[first.i : token.i]
        if len(between) > _MAX_SUBJECT_WORDS or any(t.i > subject.i and t.dep_ != "advmod" for t in between):
            return False
        before = first.idx
    elif subject.i - token.i <= _MAX_SUBJECT_WORDS:
        before = token.idx
    else:
        return False
    text = quotes.text
    for start, end in quotes.regions_between(max(0, before - 3), before):
        if end <= before and not text[end:before].strip() and end - start > 2:
            return text[end - 2] in ",?!—–-" or text[end - 3 : end - 1] == "--"
    return False


def opens_quotation(token, quotes: QuoteIndex) -> bool:
    """A verb right after its subject whose colon opens a quotation ('He continued: "…"', 'She
    went on: "…"'): the mirror of `closes_quotation`, and a speech cue whatever the verb."""
    if token.pos_ != "VERB" or quotes.inside(token.idx):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj" and c.i < token.i]
    if not subjects or token.i - subjects[-1].left_edge.i > _MAX_SUBJECT_WORDS:
        return False
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].head.i == token.i and doc[end].dep_ in ("prt", "advmod"):
        end += 1  # "went on", "continued later"
    if end >= len(doc) or doc[end].text != ":":
        return False
    after = doc[end].idx + 1
    opened = quotes.regions_between(after, after + 3)
    return bool(opened) and not quotes.text[after : opened[0][0]].strip()


# An interview set as questions and answers: "Q: …" lines the interviewer put, "A: …" lines the
# person interviewed gave. The answers are that person's statements; the questions are nobody's
# (the "q" and "a" labels are no speakers for speaker_label_frame). At least two of each, so a lone
# "A:" line is not read as an interview.
_QUESTION_LABELS = frozenset({"q", "question"})
_ANSWER_LABELS = frozenset({"a", "answer"})
_MIN_EXCHANGES = 2


def interview_answer_frames(starts: list, title: str | None, author: str | None) -> list[Frame]:
    """The answers of a Q/A interview, each a statement of the person interviewed: the person the
    headline names, else the first person the text names who is not the byline's writer (the
    interviewer). The colon after "A" is the cue, that person's first mention the source."""
    if not starts:
        return []
    doc = starts[0].doc
    labelled: dict[str, list] = {"q": [], "a": []}
    for first in starts:
        label = first.text.lower()
        if first.i + 1 < len(doc) and doc[first.i + 1].text == ":" and label in _QUESTION_LABELS | _ANSWER_LABELS:
            labelled["q" if label in _QUESTION_LABELS else "a"].append(first)
    if len(labelled["q"]) < _MIN_EXCHANGES or len(labelled["a"]) < _MIN_EXCHANGES:
        return []
    interviewee = _interviewee(doc, title, author)
    if interviewee is None:
        return []
    frames = []
    for label in labelled["a"]:
        colon = doc[label.i + 1]
        end = colon.i + 1
        while end < len(doc) and "\n" not in doc[end].text:
            end += 1
        if end - colon.i < 2:
            continue
        frame = Frame(colon, SURE_CUE)
        frame.source = set(range(interviewee.start, interviewee.end))
        frame.content = set(range(colon.i + 1, end))
        frames.append(frame)
    return frames


def _interviewee(doc, title: str | None, author: str | None):
    """The person interviewed, as the first mention of them in the text (see interview_answer_frames)."""
    people = [ent for ent in doc.ents if ent.label_ == "PERSON" and " " in ent.text.strip()
              and not (author and ent.text in author)]
    named_in_title = [ent for ent in people if title and ent.text in title]
    return (named_in_title or people or [None])[0]
