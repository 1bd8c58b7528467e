"""Lines of page furniture left in an article body: captions, photo credits, related-article
teasers, cut-off headlines and a wire story's credits. Nothing on them is a statement ("• The ministry warns of dangers
of the" is a link's text, not the ministry speaking). A dateline opening a line ("SKELBY, March 3
(Kestrel) — ") is furniture too, though the sentence after it is not.

Line rules rather than a model because the marks are typographic (a bullet, a label before a
colon, a credit in brackets, a line that stops without ending a sentence) and the extraction
stage has already removed most furniture; these catch what it kept.
"""

from __future__ import annotations

import re

from presswatch.extract.dates import MONTH_NAMES

# A list or link bullet opening the line.
_BULLET = re.compile(r"^\s*(?:[•·▪►■◦‣*]|-\s)")
# Labels that open a teaser, a caption or a credit: "Read more: …", "Photo: …".
_LABEL = re.compile(
    r"^\s*[\[(]?(?:read more|read also|also read|related|see also|more|watch|listen|video|gallery|"
    r"photo|photos|image|images|picture|pictures|pictured|photograph|caption|credit|credits)\s*[:|»›>\-–—]",
    re.IGNORECASE,
)
# A photo credit anywhere on the line: "(Photo: …)", "(AP Photo/…)", "… Photo: Jon Ekdahl".
_CREDIT = re.compile(
    r"\((?:[A-Z]{2,}\s+)?(?:photo|photograph|picture|image|file photo)\b|"
    r"\b(?:photo|photograph|picture|image)(?:\s+credit)?\s*:|\bphoto(?:graph)?\s+by\b",
    re.IGNORECASE,
)
# A wire story's credits: "(Reporting by Ann Lee in Skelby; editing by Jon Berg)", "Interview by
# Ann Lee". The people and places on it made the report; none of them is in the news.
_CREDIT_LINE = re.compile(
    r"^\W*(?:additional\s+)?(?:reporting|writing|editing|interviews?|compiled|produced|research|translation|"
    r"translated|graphics)\s+by\b",
    re.IGNORECASE,
)
MAX_CREDIT_WORDS = 40
# What a line of running text ends with: a sentence mark, maybe inside closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’»)\]\s]*$|[\"”»][\s)\]]*$")
# A line without a sentence end is furniture only when it is this short: a headline, a teaser or
# a caption, not a paragraph whose last mark the page lost.
MAX_FRAGMENT_WORDS = 25


def is_furniture(line: str, next_line: str = "") -> bool:
    """Whether `line` is furniture; `next_line` is the line right below it. A short line that
    stops without ending a sentence is a headline, teaser or caption only when it stands alone
    (a blank line or the end below it): otherwise it may be a sentence wrapped by hard line breaks."""
    text = line.strip()
    if not text:
        return False
    if _LABEL.match(text) or _CREDIT.search(text) or is_credit_line(text):
        return True
    if _ENDS_SENTENCE.search(text) or text.endswith(","):
        # a comma ends no headline or teaser: the sentence runs on past a break the page (or
        # the unwrapping of a text dump) put in it ('"The quay is safe," she continued,')
        return False
    if _BULLET.match(text):
        return True
    return not next_line.strip() and len(text.split()) <= MAX_FRAGMENT_WORDS


def is_credit_line(line: str) -> bool:
    """Whether a line credits who reported, wrote or edited the story (_CREDIT_LINE)."""
    return bool(_CREDIT_LINE.match(line)) and len(line.split()) <= MAX_CREDIT_WORDS


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each furniture line of `text`, in order."""
    spans = []
    start = 0
    lines = text.split("\n")
    for line, below in zip(lines, [*lines[1:], ""]):
        if is_furniture(line, below):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


# An English month, whole or cut short ("March", "Mar."), from the one list of month names.
_MONTH = "(?:" + "|".join(month[:3].capitalize() for month in MONTH_NAMES) + r")[a-z]*\.?"
_DAY_AND_MONTH = rf"(?:{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})(?:,?[ \t]+\d{{4}})?"
_AGENCY = r"\([A-Z][^()\n]{0,40}\)"
# A dateline: where (and when) the report was filed, and maybe the agency, then a dash: "SKELBY,
# March 3 (Kestrel) — ", "PORT ALDANE (Lerin Wire) - ", "SKELBY — ". A place in capitals needs
# nothing more; one in title case needs a date or an agency after it ("Kestrel, March 3 — "),
# or it is a sentence's subject set off by a dash. A sentence opens after it.
_DATELINE = re.compile(
    rf"^[ \t]*(?:[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+){{0,3}}(?:,[ \t]*{_DAY_AND_MONTH})?(?:[ \t]*{_AGENCY})?"
    rf"|[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){{0,3}}(?:,[ \t]*{_DAY_AND_MONTH}(?:[ \t]*{_AGENCY})?|[ \t]*{_AGENCY}))"
    r"[ \t]*(?:--?|[–—])[ \t]+(?=[A-Z\"“‘'])",
    re.MULTILINE,
)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each dateline opening a line of `text`, its dash and the space after it
    included: where a report was filed is not what anyone said, nor who said it."""
    return [m.span() for m in _DATELINE.finditer(text)]
