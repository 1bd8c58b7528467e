"""Page furniture that body extractors leave among an article's paragraphs.

Breadcrumbs ("Home › News › Politics"), cookie and consent notices, subscription and follow asks,
photo captions with their credits, share and teaser labels ("Read more: …", "Related: …") and
comment headers ("jo123 says:") are not the article: left in, their words become entities and
statements ("Cookie Policy" as a person). Each rule looks at the shape of one short paragraph
(labels, separators, addressing the reader), never at what a particular site writes, and none
applies to a paragraph longer than a notice runs (MAX_NOTICE_WORDS), so the article's own text is
never dropped for mentioning cookies or a photograph. Two rules look at where a paragraph stands
instead: a press release's trailer (notes to editors, media contact, "ENDS") is cut from its
heading on, and a last paragraph a paywall cut mid-sentence loses its unfinished sentence
(`without_boilerplate`; tests/test_analyst_pages.py).

Measured on the dev halves (`presswatch eval extraction ../shared/eval/extraction/dev.jsonl`):
text-dump body F1 0.909 -> 0.913, HTML 0.966 -> 0.970 (precision up, recall down by 0.001: a
caption, a copyright or a newsletter line the annotators kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presswatch.extract.dates import find_date, may_hold_date, month_numbers, weekday_names

# Longer paragraphs are article text, whatever they mention.
MAX_NOTICE_WORDS = 60
MAX_CAPTION_WORDS = 45

# A consent banner: cookies or consent, addressing the reader or carrying the consent button.
# (CONSENT and ADDRESSES_READER also keep such a banner from being taken for a headline.)
_CONSENT_WORDS = ("cookie", "consent", "einwilligung", "zustimm", "consentement", "consentimiento", "consenso")
CONSENT = re.compile("|".join(_CONSENT_WORDS), re.IGNORECASE)
ADDRESSES_READER = re.compile(r"\[|\(BUTTON\)|\b(?:you|your|we|us|sie|wir|vous|nous|usted|accept|agree)\b",
                              re.IGNORECASE)
# What a consent notice does with cookies: uses them, asks to accept them, links their policy.
_CONSENT_ACT = re.compile(
    r"(?i)\b(?:use[sd]?|using|store[sd]?|accept|consent|settings|preferences|privacy|policy|continu\w*|verwende\w*|"
    r"nutz\w*|akzeptier\w*|einstellungen|datenschutz\w*|utilis\w*|accept\w*|usamos|utiliza\w*)\b"
)
# Asks to subscribe, sign up, follow or share, addressed to the reader.
_ASK = re.compile(
    r"(?i)^\W*share\s+(?:this|on)\s*(?::|$)"
    r"|^\W*follow\s+(?:@\w+|(?:\S+\s+){0,6}on\s+(?:twitter|facebook|instagram|x|linkedin|youtube|tiktok|mastodon)\b)"
    r"|^\W*(?:subscribe|sign\s+up|register|follow\s+\w+(?:\s+\w+)?\s+on|get\s+(?:\w+\s+){1,4}"
    r"delivered|abonnieren|jetzt\s+abonnieren|newsletter\s+abonnieren|melden\s+sie\s+sich|abonnez-vous|suscr[íi]bete)\b"
    r"|\b(?:subscribe|sign\s+up)\s+(?:to|for|now|today)\b"
)
# Captions and credits: a label opening the paragraph, a credit closing it in brackets, or the
# markers a text browser leaves of a figure ("Image copyright … Image caption …", "Credit...").
_CAPTION_LABEL = re.compile(
    r"(?i)^\W*(?:(?:cover\s+|main\s+|top\s+|header\s+)?(?:photo(?:graph)?s?|image|picture|pic|foto|fotos|bild|bilder|"
    r"credit|photo\s+credit|image\s+credit|bildquelle|quelle\s+bild|video)\s*:)"
)
_CAPTION_CREDIT = re.compile(
    r"(?i)(?:\(\s*(?:photo|image|picture|pic|foto|bild|credit|source|quelle)s?\s*(?::|by)\s*[^()]{1,80}\)"
    r"|\([^()]{0,60}\b(?:photo|foto|file\s+photo|getty|images|reuters|afp|ap|dpa|epa)\)|\bcredit\s*\.{2,}"
    r"|\bimage\s+(?:copyright|caption)\b)\s*\.?\s*$"
)
_FIGURE_MARKER = re.compile(r"(?i)\bimage\s+copyright\b|\bimage\s+caption\b|\bcredit\.{2,}")
# "Read more: …", "Related: …", "You may also like…", "More:": teaser labels.
_TEASER_LABEL = re.compile(
    r"(?i)^\W*(?:read\s+(?:more|also)|related(?:\s+(?:articles?|stories|content|coverage))?|see\s+(?:also|more)|more|"
    r"don'?t\s+miss|must\s+read|"
    r"you\s+may\s+also\s+like|recommended|lesen\s+sie\s+auch|mehr\s+zum\s+thema|auch\s+interessant|"
    r"à\s+lire\s+aussi|lire\s+aussi|leer\s+más|ver\s+también)\s*(?::|\.\.\.|…|$)"
)
# An advertisement's label opening the advertisement's own text: "Advertisement", "Anzeige", "Sponsored".
_AD_LABEL = re.compile(
    r"^\W*(?:ADVERTISEMENT|Advertisement|ADVERT|Advert|Anzeige|ANZEIGE|Werbung|WERBUNG|Publicité|PUBLICITÉ|"
    r"Publicidad|PUBLICIDAD|Sponsored(?:\s+content)?|SPONSORED|Promoted|PROMOTED|Paid\s+content)"
    r"(?:\s*[:|·–—-]\s*|\s+(?=[A-Z0-9])|\W*$)"
)
# A teaser headline tagged with its kind: "Ferry fares to rise [VIDEO]".
_TAGGED_TEASER = re.compile(r"\[[A-Z]{3,}\]\s*\|?$")
# A copyright line, a contact line ("Write to Ann Lee at ann@example.org"), a time stamp line
# ("Updated at 1:23 p.m.", "- Published 18 November 2019").
_COPYRIGHT_LINE = re.compile(r"(?i)^\W*(?:©|ⓒ|\(c\)|copyright\b)")
_CONTACT_LINE = re.compile(r"(?i)^\W*(?:write\s+to|contact|e-?mail|have\s+a\s+tip)\b.*\b[\w.+-]+@[\w-]+\.[\w.]+")
_STAMP_LINE = re.compile(r"(?i)^\W*(?:published|updated|posted|last\s+updated|aktualisiert|veröffentlicht)\b"
                         r"(?:\s+(?:on|at|am|um))?\s+(?P<when>.{1,40})$")
# A time of day alone, as a stamp prints it ("13:40", "9.05am", "14:10 GMT").
CLOCK_ONLY = re.compile(r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|uhr|h|gmt|utc|bst|cet|cest|et)?\W*$", re.IGNORECASE)


def _stamp(text: str) -> bool:
    """A line that only says when the article was published or updated."""
    match = _STAMP_LINE.match(text)
    if not match:
        return False
    when = match.group("when").strip()
    return bool(CLOCK_ONLY.match(when) or (find_date(when) and len(when.split()) <= 6))


# A line that is only a time stamp: a relative one ("Updated 3 hours ago", "Yesterday, 10:12") or a
# date with no more than labels, weekday, month and time words around it ("Published 4 March 2026,
# 10:12", "Tuesday 4 March 2026"). Its date has been read by then (the extractors date the article
# before the body reaches assemble.py); in the body it is a line of furniture the NLP stage would
# read as text.
_RELATIVE_STAMP = re.compile(
    r"(?i)^\W*(?:(?:last\s+)?(?:updated|published|posted|modified)\W*(?:on|at)?\s*)?"
    r"(?:(?:\d{1,3}|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|(?:just\s+now|today|yesterday)(?:\s*(?:,|at)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?)\W*$"
)
_STAMP_WORDS = frozenset(
    """published updated posted modified last first on at um am pm uhr gmt utc cet cest bst eet eest est edt pst
    pdt the of de del le la""".split()  # noqa: SIM905
)
_LETTERS = re.compile(r"[^\W\d_]+")


def _date_only(text: str) -> bool:
    """Whether a short line says when and nothing else (see _RELATIVE_STAMP)."""
    if _RELATIVE_STAMP.match(text) or CLOCK_ONLY.match(text):  # a live blog entry's time, on its own line
        return True
    if not may_hold_date(text) or len(text.split()) > 10:
        return False
    calendar = month_numbers().keys() | weekday_names()
    words = [w.lower() for w in _LETTERS.findall(text)]
    return all(w in _STAMP_WORDS or w.rstrip(".") in calendar for w in words) and find_date(text) is not None


# "jo123 says:", "Anna Lee sagt:": a comment's header.
_COMMENT_HEADER = re.compile(r"(?i)^\S+(?:\s+\S+){0,3}\s+(?:says|said|sagt|schreibt|dit|dice)\s*:$")
# A breadcrumb trail: three or more short items between separators, or a home link and one more.
_CRUMB_SEPARATOR = re.compile(r"\s+(?:>|»|›|/|\||::|→)\s+|\s*[>»›→]\s*")
_HOME = re.compile(r"(?i)^\W*(?:home|homepage|startseite|start|accueil|inicio|portada|you\s+are\s+here:?.*)$")
_MAX_CRUMB_WORDS = 5


# Every separator holds one of these.
_CRUMB_MARKS = (">", "»", "›", "/", "|", ":", "→")


def _breadcrumb(text: str) -> bool:
    if text[0] == "|" or text[-1] == "|":  # a table row, as trafilatura writes tables
        return False
    if not any(mark in text for mark in _CRUMB_MARKS):  # one part: no trail (a split costs more)
        return False
    parts = [p.strip() for p in _CRUMB_SEPARATOR.split(text) if p.strip()]
    if len(parts) < 2 or any(len(p.split()) > _MAX_CRUMB_WORDS for p in parts[:-1]) or text.rstrip()[-1:] in ".!?":
        return False
    if _HOME.match(parts[0]):
        return True
    # without a home link: three items or more, none of them a sentence
    return len(parts) >= 3 and all(len(p.split()) <= _MAX_CRUMB_WORDS for p in parts) and len(text.split()) <= 15


# The characters besides ASCII letters that a pattern ignoring case matches to an ASCII letter ("İ"
# and "ı" to i, the Kelvin sign to k, "ſ" to s). In a paragraph without them, a word of ASCII
# letters such a pattern finds is in the paragraph lower-cased, so a substring test there can rule
# the pattern out: Python's re tries a case-ignoring pattern at every position, and the consent,
# ask, credit and figure patterns were two thirds of this module's time on the dev pages' paragraphs.
_FOLDED_TO_ASCII = ("\u0130", "\u0131", "\u212a", "\u017f")


def is_boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is page furniture rather than article text (see the module's rules)."""
    text = paragraph.strip()
    if not text:
        return False
    words = len(text.split())
    if words > MAX_NOTICE_WORDS:
        return False
    lowered = None if any(char in text for char in _FOLDED_TO_ASCII) else text.lower()

    def may_say(*ascii_words: str) -> bool:
        """False only when the paragraph holds none of the words, in any case (see _FOLDED_TO_ASCII)."""
        return lowered is None or any(word in lowered for word in ascii_words)

    if may_say(*_CONSENT_WORDS) and CONSENT.search(text) and ADDRESSES_READER.search(text) and _CONSENT_ACT.search(text):
        return True
    # _ASK's opening alternatives match at the start only; further on, only its subscribe-or-sign-up one
    if (_ASK.match(text) or may_say("subscribe", "sign") and _ASK.search(text)) or _TEASER_LABEL.match(text) \
            or _COMMENT_HEADER.match(text) or _TAGGED_TEASER.search(text):
        return True
    if words <= MAX_CAPTION_WORDS and (_COPYRIGHT_LINE.match(text) or _AD_LABEL.match(text) or _CONTACT_LINE.match(text)
                                       or _stamp(text) or _date_only(text)):
        return True
    # a credit ends with a bracket, "credit..." or "image copyright/caption"; so does a figure marker
    if words <= MAX_CAPTION_WORDS and (_CAPTION_LABEL.match(text) or (")" in text or may_say("credit", "image")) and (
            _CAPTION_CREDIT.search(text) or _FIGURE_MARKER.search(text))):
        return True
    return _breadcrumb(text)


# What a press release prints after its text, under a heading of its own: notes for editors, the
# press office's contacts, the end mark ("ENDS", "-ends-", "###"). From that heading on, the
# paragraphs are for journalists, not the release: left in, a phone number and "Media" become
# entities and the notes' background facts read as the release's news.
_TRAILER_HEADING = re.compile(
    r"(?i)^\W*(?:notes?\s+(?:to|for)\s+(?:the\s+)?editors?|editor'?s'?\s+notes?|"
    r"(?:media|press)\s+(?:contacts?|enquiries|inquiries|office)(?:\s+details)?|"
    r"for\s+(?:further|more)\s+information(?:\s*,?\s*(?:please\s+)?contact)?|"
    r"-*\s*ends\s*-*|#{3})\s*:?\s*$"
)
# "Media contact: Ann Lee, 0300 555 0100", the contact on the heading's own line.
_TRAILER_LINE = re.compile(r"(?i)^\W*(?:media|press)\s+(?:contacts?|enquiries|inquiries)\s*:")


def _trailer_start(paragraphs: list[str]) -> int | None:
    """Where a press release's trailer begins (see _TRAILER_HEADING); never at the first paragraph."""
    for index, paragraph in enumerate(paragraphs[1:], 1):
        text = paragraph.strip()
        if len(text.split()) <= MAX_CAPTION_WORDS and (_TRAILER_HEADING.match(text) or _TRAILER_LINE.match(text)):
            return index
    return None


# The free part of a paywalled article, cut by the page where its teaser starts: the last paragraph
# stops mid-sentence ("... and accused the council leader of"). A paragraph that ends on a
# lower-case word, with no closing punctuation, after enough words to be a sentence, following a
# paragraph that does end a sentence (the last of a list's items, unpunctuated like the others
# before it, is not cut), was cut short. What it said before its last full stop is kept, and of
# the unfinished sentence the clauses before its last comma, "and" or "but", when they run to a
# sentence's length, marked as cut ("Pryce said the administration had ignored warnings…" of
# "… ignored warnings and accused the council leader of"): the speaker and what he said stay.
_CUT_MIN_WORDS = 8
_ENDS_MID_SENTENCE = re.compile(r"[^\W\d_]*[a-zß-ÿ]$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*\s*$")
_LAST_SENTENCE_END = re.compile(r".*[.!?…][\"'”’»)]*(?=\s)", re.DOTALL)
_CLAUSE_BREAK = re.compile(r"[,;]\s|\s(?:and|but)\s")


def _without_cut_sentence(paragraph: str) -> str:
    text = paragraph.rstrip()
    if len(text.split()) < _CUT_MIN_WORDS or not _ENDS_MID_SENTENCE.search(text) \
            or not text.lstrip("\"'“‘«(")[:1].isupper():
        return paragraph
    whole = _LAST_SENTENCE_END.match(text)
    kept = whole.group() if whole else ""
    unfinished = text[len(kept):]
    breaks = [found.start() for found in _CLAUSE_BREAK.finditer(unfinished)]
    if breaks and len(unfinished[:breaks[-1]].split()) >= _CUT_MIN_WORDS:
        kept += unfinished[:breaks[-1]] + "…"
    return kept.strip()


def without_boilerplate(paragraphs: Iterable[str]) -> list[str]:
    """The article's paragraphs without furniture (is_boilerplate), a press release's trailer, and
    the unfinished sentence a paywall's teaser cut its last paragraph at."""
    kept = [p for p in paragraphs if not is_boilerplate(p)]
    trailer = _trailer_start(kept)
    if trailer is not None:
        kept = kept[:trailer]
    if len(kept) > 1 and _SENTENCE_END.search(kept[-2]):
        last = _without_cut_sentence(kept[-1])
        kept = kept[:-1] + [last] if last else kept[:-1]
    return kept
