"""Lines of page furniture left in an article body: captions, photo credits, related-article
teasers and cut-off headlines. Nothing on them is a statement ("• The ministry warns of dangers
of the" is a link's text, not the ministry speaking).

Line rules rather than a model because the marks are typographic (a bullet, a label before a
colon, a credit in brackets, a line that stops without ending a sentence) and the extraction
stage has already removed most furniture; these catch what it kept.
"""

from __future__ import annotations

import re

# A list or link bullet opening the line.
_BULLET = re.compile(r"^\s*(?:[•·▪►■◦‣*]|-\s)")
# Labels that open a teaser, a caption or a credit: "Read more: …", "Photo: …".
_LABEL = re.compile(
    r"^\s*[\[(]?(?:read more|read also|also read|related|see also|more|watch|listen|video|gallery|"
    r"photo|photos|image|images|picture|pictures|photograph|caption|credit|credits)\s*[:|»›>\-–—]",
    re.IGNORECASE,
)
# A photo credit anywhere on the line: "(Photo: …)", "(AP Photo/…)", "… Photo: Jon Ekdahl".
_CREDIT = re.compile(
    r"\((?:[A-Z]{2,}\s+)?(?:photo|photograph|picture|image|file photo)\b|"
    r"\b(?:photo|photograph|picture|image)(?:\s+credit)?\s*:|\bphoto(?:graph)?\s+by\b",
    re.IGNORECASE,
)
# What a line of running text ends with: a sentence mark, maybe inside closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’»)\]\s]*$|[\"”»][\s)\]]*$")
# A line without a sentence end is furniture only when it is this short: a headline, a teaser or
# a caption, not a paragraph whose last mark the page lost.
MAX_FRAGMENT_WORDS = 25


def is_furniture(line: str) -> bool:
    text = line.strip()
    if not text:
        return False
    if _LABEL.match(text) or _CREDIT.search(text):
        return True
    ends = bool(_ENDS_SENTENCE.search(text))
    if _BULLET.match(text) and not ends:
        return True
    return not ends and len(text.split()) <= MAX_FRAGMENT_WORDS


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each furniture line of `text`, in order."""
    spans = []
    start = 0
    for line in text.split("\n"):
        if is_furniture(line):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans
