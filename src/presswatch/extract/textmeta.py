"""Metadata of a plain-text page dump: outlet, publication date, byline, credited source.

A text browser's dump keeps none of the markup that says "this is the site name" or "this is the
date", so the rules here read the page the way a person does: by where a line stands relative to the
headline and the article (header, byline block under the headline, body, footer) and by the
conventions sites use to name themselves ("© 2025 X", "Subscribe to X", a name repeated in header
and footer) and to credit their material ("Source: X", "X told TASS", "(Reuters) -").

Lines are indexed from 0; `title_index` and `body_indices` come from the text-dump body extractor.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress

from presswatch.extract.dates import (
    DATE_PATTERNS,
    dateline,
    find_date,
    may_hold_date,
    weekday_names,
)
from presswatch.extract.hosts import is_platform, page_host, registrable_domain, site_label
from presswatch.names import ORG_HEADS, PLACE_HEADS


@dataclass(frozen=True)
class TextMetadata:
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    credited_source: str | None = None


_SPACE = re.compile(r"\s+")


def normalised_body_hash(text: str) -> str:
    """Hash under which the same article text, re-wrapped or re-cased, is recognised as one."""
    return hashlib.sha256(" ".join((text or "").lower().split()).encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Shared pieces

# Leading list markers a text browser puts before menu entries and byline items ("•", "1.").
_BULLET = re.compile(r"^\s*(?:[•·*+\-–—|>]+|\d{1,2}\.(?=\s))\s*")
# The same without numbers, for lines that may start with a date ("25. August 2015").
_SYMBOL_BULLET = re.compile(r"^\s*[•·*+\-–—|>]+\s*")
# Capital letters of the Latin, Greek, Cyrillic and Armenian alphabets ("Ørsted", "Éditions").
_UPPER = "".join(sorted({c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha()}))
# Names as sites and bylines write them: capitalised words, initials, particles, domain names.
_NAME_WORD = (
    rf"(?:[{_UPPER}][\w'’.&-]*|(?:of|de|del|la|le|van|von|der|al|el|da|du|di|y|for|and|&)(?=\s+[{_UPPER}])"
    r"|[\w-]+\.(?:com|net|org|ru|de|fr|uk|am|ge|az|info|news|tv|io))"
)
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"

# Interface text that sits where a site name could, and is never one.
_UI_WORDS = frozenset(
    """support top bottom page menu search skip content main navigation home login log sign subscribe
    subscription newsletter cookie cookies accept close share print email comments comment reply next
    previous prev back more read related trending popular latest follow advertisement advertising ad ads
    sponsored register account toggle open all rights reserved privacy policy terms contact about us you
    summary get time no logo powered theme copyright twitter facebook instagram whatsapp youtube
    linkedin telegram tiktok pinterest rss feed""".split()  # noqa: SIM905
)
_SECTION_WORDS = frozenset(
    """news politics economy business sports sport world opinion analysis culture health technology tech
    science environment entertainment lifestyle arts video videos blog feature features local national
    international travel food weather""".split()  # noqa: SIM905
)

# A full stop after a word (not an initial or "St.") ends the name: "© 2025 Gazette. All rights…"
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.\s.*$")
# The words a broadcaster's name may open with ("Radio Valmora", "TV Skelby").
_MEDIA_OPENING = r"(?:Radio|Rádio|Television|TV|Channel|Kanal)"
_MEDIA_NOUN = (
    r"(?:news\s+agency|agency|newspaper|daily|weekly|magazine|channel|broadcaster|television|tv|radio|"
    r"portal|website|site|outlet|publication|news\s+site|news\s+outlet|network|journal|gazette|programme|program|show)"
)


def _clean(line: str, numbered: bool = True) -> str:
    return _SPACE.sub(" ", (_BULLET if numbered else _SYMBOL_BULLET).sub("", line)).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


class _JoinedLines:
    """Lines searched as one text: one search over the page instead of one per line, since most
    rules look for a word that only a few lines of a page hold, and only those are worth the rule."""

    def __init__(self, lines: list[str]):
        self.text = "\n".join(lines)
        self.starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))

    def lines_with(self, pattern: re.Pattern) -> list[int]:
        """Indices, in order, of the lines `pattern` occurs in (it must match no line break)."""
        return sorted({bisect_right(self.starts, match.start()) - 1 for match in pattern.finditer(self.text)})


@dataclass(frozen=True)
class _Layout:
    """Where each line stands relative to the article."""

    lines: list[str]
    header: list[int]  # before the headline, nearest first
    byline: list[int]  # between the headline and the first body line
    body: list[int]
    footer: list[int]  # after the last body line
    gaps: list[int]  # between the first and the last body line, not body themselves

    @classmethod
    def of(cls, lines: list[str], title_index: int | None, body_indices: list[int]) -> _Layout:
        body = sorted({i for i in body_indices if 0 <= i < len(lines)})
        first_body = body[0] if body else len(lines)
        last_body = body[-1] if body else len(lines) - 1
        # a headline below the article's start is no anchor for a byline block or a site header
        titled = title_index is not None and 0 <= title_index <= first_body
        top = title_index if titled else first_body
        nonblank = list(compress(range(len(lines)), map(str.strip, lines)))
        header = nonblank[:bisect_left(nonblank, top)][::-1]
        byline = nonblank[bisect_left(nonblank, top + 1 if titled else first_body):bisect_left(nonblank, first_body)]
        body_set = set(body)
        footer = [i for i in nonblank[bisect_right(nonblank, last_body):] if i not in body_set]
        inner = nonblank[bisect_right(nonblank, first_body):bisect_left(nonblank, last_body)]
        return cls(lines, header, byline, body, footer, [i for i in inner if i not in body_set])

    def text(self, indices: list[int]) -> list[str]:
        return [self.lines[i] for i in indices]


# ---------------------------------------------------------------------------------------------
# Publication date

_DATE_LABEL = re.compile(
    r"\b(?:published|posted|first published|publication date|date|veröffentlicht|erschienen|erscheinungsdatum|datum|"
    r"erstellt|publié|publicado|pubblicato)\b",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified|last update|aktualisiert|mis à jour|actualizado)\b", re.IGNORECASE)
# A line long enough to be prose is where events are dated, not articles.
_MAX_DATE_LINE = 120
# How far above the headline a dateline in the site header may stand.
_HEADER_REACH = 12
_FOOTER_REACH = 4


def _published(layout: _Layout) -> str | None:
    near = layout.byline + layout.header[:_HEADER_REACH]
    labelled = [i for i in near if _DATE_LABEL.search(layout.lines[i])]
    # A "Published …" line closing the article counts too, after anything near the headline;
    # further down, dates belong to comments and related articles.
    closing = [i for i in layout.footer[:_FOOTER_REACH] if _DATE_LABEL.search(layout.lines[i])]
    candidates = labelled + [i for i in near if i not in labelled] + closing
    updated: str | None = None
    for i in candidates:
        line = _clean(layout.lines[i], numbered=False)
        if len(line) > _MAX_DATE_LINE:
            continue
        found = find_date(line)
        if not found:
            continue
        if _UPDATED_LABEL.search(line) and not _DATE_LABEL.search(line):
            updated = updated or found
            continue
        return found
    return updated


# ---------------------------------------------------------------------------------------------
# Byline

# Keyword parts are case-blind, name parts are not: capitals are what tells a name from prose.
_NAMES = rf"{_NAME}(?:\s*(?:,|and|&|und|y|et)\s+{_NAME})*"
# "By X", "Text von X", "Ein Beitrag von X", "---- by X", "06.11.2023 13:30 von X": a label, then names.
_BYLINE = re.compile(
    rf"^(?:[-–—~|•·*\s]+)?(?:\d[\d.:/\s]*\s)?"
    rf"(?i:(?:(?:written|posted|reported|text|story|words|photos?\s+and\s+text|(?:ein\s+|blog\s+)?(?:beitrag|artikel))\s+)?"
    rf"(?:by|von|por|par|di|door|av))\s*:?\s+(?P<name>{_NAMES})"
)
_LABELLED_AUTHOR = re.compile(
    rf"^(?:\d[\d.:/\s]*\s[-–—|•·]?\s*)?(?i:author|authors|autor|autorin|autoren|auteur|reporter|byline|text|redaktion|verfasst\s+von|von)\s*:?\s*"
    rf"(?=\S)(?P<name>{_NAMES})"
)
# Only these labels may stand without a colon ("Autoren Jelko Djuren und Jutta Klaukien").
_LABEL_WITHOUT_COLON = re.compile(r"^(?i:authors?|autor(?:in|en)?|auteur|verfasst\s+von)\s")
# What follows a name on a byline line: a date, a separator, a "published"/"updated" label.
_AUTHOR_TAIL = re.compile(
    r"\s*(?:[|•·,;–—(-]\s*)?(?:(?:\b(?:on|am|le|el|il|updated|published|posted|veröffentlicht|erstellt|aktualisiert|"
    r"publié|publicado|pubblicato)\b|\d|\().*)?$",
    re.IGNORECASE,
)
_MAX_BYLINE = 100
_DIGIT_NEXT = re.compile(r"[\s,.]*\d")
# Blog software's post line: "Posted on 21 July 2019 by ann_lee", "Veröffentlicht am 13. März 2019
# von uriebe", "Geschrieben von Cooper am …": the verb tells the name is the post's author, so a
# lower-case handle counts as a name here.
_POSTED_BY = re.compile(
    r"^(?i:(?:posted|published|written|filed|geschrieben|erstellt|eingestellt|veröffentlicht|publiziert|verfasst|"
    r"publié|publicado|pubblicato)(?:\s+(?:on|am|in|le|el|il)\s+.{1,60}?)?\s+(?:by|von|vom|par|por|da|di))\s+"
    r"(?P<name>(?:der\s+|die\s+)?[\w][\w.'’-]{1,30}(?:\s+[A-ZÄÖÜÉ][\w.'’-]+){0,3})"
    r"(?=\s*$|\s*[|,;•·–—(]|\s+(?i:on|am|um|at|le|el|il|\d))"
)


def written_byline(line: str) -> str | None:
    """The names a byline line gives ("By Ann Lee | 3 May 2024" → "Ann Lee"), or None for other lines."""
    line = _clean(line)
    if len(line) > _MAX_BYLINE:
        return None
    posted = _POSTED_BY.match(line)
    if posted and not find_date(posted.group("name")) and not set(_words(posted.group("name"))) <= _UI_WORDS:
        return posted.group("name")
    match = _BYLINE.match(line)
    if not match:
        match = _LABELLED_AUTHOR.match(line)
        if match and ":" not in line[:match.start("name")] and not _LABEL_WITHOUT_COLON.match(line):
            match = None
    if not match:
        return None
    name = _AUTHOR_TAIL.sub("", match.group("name")).strip(" ,;.")
    # the weekday of the date that follows, capitalised like a name ("Von Lisa Petrich Mi, 18. Oktober 2023")
    *first, last = name.split() or [""]
    if len(first) >= 2 and last.rstrip(".").lower() in weekday_names() and _DIGIT_NEXT.match(line, match.end("name")):
        name = " ".join(first)
    # a particle opens no byline: "Von der Leyen sagt…" is a sentence about someone. One word is
    # a writer (wire copy signs "By Ekdahl"), unless it is the site's own words: a section or menu
    # entry ("By Sport", "By Email").
    if name and name[0].isupper() and not find_date(name) and not set(_words(name)) <= _NO_WRITER_WORDS:
        return name
    return None


# A post line that dates the article and names its writer without a "By" at its start: "25.10.2022 -
# Reiner Nagel", "Paddy · April 19, 2019 · Mac", "30. Oktober 2023 Carola Pönisch Kultur",
# "Posted 11. April 2018 by Walter von Aachen", "yas! | By Cara Stiles | April 13, 2020".
_PERSON_NAME = (
    rf"[{_UPPER}][\w'’-]+(?:\s+(?:[{_UPPER}]\.|(?:von|van|de|der|del|la|le|da|di|al|el)(?=\s+[{_UPPER}])))*"
    rf"(?:\s+[{_UPPER}][\w'’-]+)?"
)
_PREFIXED_NAME = re.compile(rf"(?:^|[\s|·•/])(?i:by|von|par|por)\s+(?P<name>{_PERSON_NAME})")
_POST_LINE_PART = re.compile(r"\s+(?:[|·•/–—-]+|//)\s+|\s*[|·•,]\s*|\s{2,}")
# Words a post line carries besides the date and the name: "um 10:36 Uhr", "3 Kommentare".
_POST_LINE_WORDS = re.compile(r"(?i)\b(?:uhr|um|am|at|on|le|el|il)\b")
# A role written after the name: "Mathilda Trausch, Online-Redaktion", "Richard Adams Education editor".
_ROLE_SUFFIX = re.compile(
    r"(?:(?P<comma>\s*,\s*)(?:[\w-]+\s+){0,2}|\s+(?P<qualifier>[\w-]+\s+)?)(?i:[\w-]*redaktion|redakteur(?:in)?|editor|reporter|correspondent|"
    r"(?:staff\s+)?writer|autor(?:in)?|author|journalist(?:in)?|korrespondent(?:in)?|pressesprecher(?:in)?)\s*$"
)


def without_role(name: str) -> str:
    """A byline's name without the role written after it ("Ann Lee, Online-Redaktion" → "Ann Lee")."""
    match = _ROLE_SUFFIX.search(name)
    if match is None:
        return name
    # the word before a role in lower case qualifies it ("Education editor"); before a capitalised role
    # ("Staff Writer", "Autor"), or after a name's first word alone, it is the name's own last word
    own_word = match.group("qualifier") and (len(name[:match.start()].split()) < 2
                                             or name[match.end("qualifier"):].lstrip()[:1].isupper())
    end = match.end("qualifier") if own_word else match.start()
    return name[:end].strip(" ,") or name


# How a byline field strings its parts together: "Ann Lee, Staff Writer | Photo: Jon Berg".
_BYLINE_SEPARATOR = re.compile(r"\s*[|·•;,]\s*|\s+[—–-]\s+")
_BYLINE_PREFIX = re.compile(r"^\s*(?i:(?:reporting\s+|written\s+|words\s+)?by|von|par|por)\s+(?=[{}])".format(_UPPER))
# Where the writers' names end: credits for pictures and editing, stamps ("Photo: Jon Berg",
# "Additional reporting by …", "Updated …").
_CREDIT_PART = re.compile(
    r"(?i)^(?:(?:cover\s+|main\s+)?(?:photos?|photographs?|pictures?|pics?|images?|video|graphics?|illustrations?|"
    r"fotos?|bilder?)\b|(?:additional\s+)?reporting\s+by|(?:edited|editing|compiled|produced|translated)\s+by|"
    r"updated|published|posted)"
)
# A writer's job written beside the name, not a name: "Staff Writer", "Harbour Reporter".
_ROLE_PART = re.compile(
    r"(?i)^(?:[\w'’-]+\s+){0,3}(?:[\w-]*redaktion|redakteur(?:in)?|editor|reporter|correspondent|writer|columnist|"
    r"journalist(?:in)?|contributor|photographer|producer|autor(?:in)?|author|korrespondent(?:in)?|staff)$"
)
# Credits after the names in one part: "Ann Lee with additional reporting by Jon Berg".
_CREDIT_TAIL = re.compile(
    r"(?i)(?<=\w)\s+(?:with\s+|and\s+)?(?:additional\s+)?(?:reporting|editing|photos?|pictures?)\s+by\b.*$"
)
# Who helped beyond the named writers: "Ann Lee and agencies".
_HELPERS = re.compile(r"(?i)\s*(?:\band\b|\bwith\b|&|\+)\s*(?:the\s+)?(?:agencies|agency|wires?|staff|reporters)\s*$")


# One capitalised word, no acronym ("Lee", "Ann"; not "AFP"): a byline of such words only, in
# pairs, is written surname first.
_LONE_NAME_WORD = re.compile(rf"[{_UPPER}][^\W\d_{_UPPER}][\w'’-]*")


def byline_names(author: str | None) -> str | None:
    """The writers a byline field names, without what stands beside them: a job ("Ann Lee, Staff
    Writer"), credits for pictures or editing ("| Photo: Jon Berg"), helpers ("and agencies"), a
    date. Names joined by "and" or commas stay as written; a byline that names no one but a job
    ("Desk Editor") is left as it is, since that is all the page says of its writer."""
    if not author:
        return author
    text = _CREDIT_TAIL.sub("", _BYLINE_PREFIX.sub("", author.strip()))
    kept: list[str] = []
    joiners: list[str] = []
    roles: list[str] = []
    at, joiner = 0, ""
    for separator in [*_BYLINE_SEPARATOR.finditer(text), None]:
        end = separator.start() if separator else len(text)
        part = _HELPERS.sub("", text[at:end]).strip()
        if _CREDIT_PART.match(part):
            break
        if _ROLE_PART.match(part):
            roles.append(part)
        elif part and not find_date(part, other_languages=False):
            kept.append(part)
            joiners.append(joiner if len(kept) > 1 else "")
        if separator:
            at, joiner = separator.end(), ", " if separator.group().strip() in (",", "") else "; "
    if len(kept) % 2 == 0 and all(_LONE_NAME_WORD.fullmatch(part) for part in kept):
        # "Lee, Ann" (trafilatura makes it "Lee; Ann"): surname first, one writer, not two
        kept = [f"{given} {surname}" for surname, given in zip(kept[::2], kept[1::2])]
        joiners = ["", *["; "] * (len(kept) - 1)]
    return "".join(j + part for j, part in zip(joiners, kept)).strip() or ", ".join(roles) or None


# A commenter's line ("Kommentar von X am 07.08.09") dates a comment, not the article.
# (A count of comments, "12 Kommentare", is no such line: post lines carry it.)
_COMMENT_LINE = re.compile(
    r"(?i)\b(?:kommentar|comment|antwort|reply|réponse|respuesta)\s+(?:von|by|from|de|par)\b"
    r"|^\W*(?:kommentar|comment|antwort|reply)\b")
# Capitalised words that open a title or a sentence, never a name ("Aus dem Krimitagebuch", "Die Preise").
_FUNCTION_WORDS = frozenset(
    """aus die der das dem den des ein eine und mit im zum zur vom für the a an and with of in on for le la les un une
    el los las del""".split()  # noqa: SIM905
)
# Interface words in German, which _UI_WORDS (English) does not hold.
_GERMAN_UI_WORDS = frozenset("kontakt impressum datenschutz suche startseite anmelden abonnieren teilen".split())  # noqa: SIM905
# Words of the site itself, which a byline made of them alone names no writer with.
_NO_WRITER_WORDS = _UI_WORDS | _SECTION_WORDS | _GERMAN_UI_WORDS


def _plausible_writer(name: str) -> bool:
    words = _words(name)
    return bool(words) and words[0] not in _FUNCTION_WORDS and not set(words) & _NO_WRITER_WORDS


def dated_byline(line: str) -> str | None:
    """The writer a dated post line names ("25.10.2022 - Reiner Nagel" → "Reiner Nagel"); None for a
    line with no full date, or whose other parts are no name. Without a "by"/"von", the name must be
    two words or more (a single word beside a date is as often a place or a section)."""
    if not may_hold_date(line):
        return None
    line = _clean(line, numbered=False)
    # month names in the common languages only: every short line with a year is asked, and
    # dateparser costs milliseconds a call
    if len(line) > _MAX_BYLINE or _COMMENT_LINE.search(line) or not find_date(line, other_languages=False):
        return None
    for match in _PREFIXED_NAME.finditer(line):
        name = match.group("name")
        if _plausible_writer(name) and not find_date(name, other_languages=False):
            return name
    rest = line
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" | ", rest)
    for part in _POST_LINE_PART.split(_POST_LINE_WORDS.sub(" ", rest)):
        part = part.strip(" ()[]:;.|·•/–—-")
        if not part or not re.search(r"[^\W\d_]", part):
            continue
        match = re.match(rf"(?P<name>{_PERSON_NAME})(?:\s|$)", part + " ")
        if (match and len(match.group("name").split()) >= 2 and not any(c.isdigit() for c in part)
                and _plausible_writer(match.group("name"))):
            return match.group("name")
        return None  # only the first part beside the date is where a post line names its writer
    return None


# Beyond the byline block, a byline line may stand further up in the header, among the article's
# first lines, between its paragraphs or in the lines closing it (blog post lines often do).
_FAR_HEADER, _OPENING_BODY, _CLOSING_FOOTER = 40, 3, 20
_FAR_BYLINE_CHARS = 70


# A line of writers' names alone: "Renée Dahlquist and Tomas Brekke", "Ann Lee, Jon Berg & Ivo Tamm".
_NAMES_ONLY = re.compile(rf"(?P<name>{_PERSON_NAME})(?:\s*(?:,|&|\band\b|\bund\b)\s*(?P<more>{_PERSON_NAME}))+")


def names_only_byline(line: str) -> str | None:
    """The writers a line under the headline names without a "By" ("Renée Dahlquist and Tomas
    Brekke"): two names or more, each of two words or more, and nothing else on the line. One
    name alone is not read so: a line of two capitalised words is as often a place or a section."""
    line = _clean(line)
    match = _NAMES_ONLY.fullmatch(line)
    if not match or len(line) > _MAX_BYLINE:
        return None
    names = re.split(r"\s*(?:,|&|\band\b|\bund\b)\s*", line)
    if all(len(name.split()) >= 2 and _plausible_writer(name) and not set(_words(name)) & (ORG_HEADS | PLACE_HEADS)
           for name in names):  # "Port Aldane and Mirren Bay", "Harbour Radio and Kestrel News" name no one
        return line
    return None


def _author(layout: _Layout) -> str | None:
    near = layout.byline + layout.header[:5]
    further = (layout.header[5:_FAR_HEADER] + layout.body[:_OPENING_BODY] + layout.gaps
               + layout.footer[:_CLOSING_FOOTER])
    for i in near:
        if name := written_byline(layout.lines[i]) or dated_byline(layout.lines[i]):
            return without_role(name)
    if layout.byline and (name := names_only_byline(layout.lines[layout.byline[0]])):
        return name
    # further away, German prose ("… von Abmahnanwälten") reads like a byline: only short lines
    # that are no sentence count there
    for i in further:
        line = layout.lines[i].strip()
        if len(line) <= _FAR_BYLINE_CHARS and line[-1:] not in ".!?:" and (
                name := written_byline(line) or dated_byline(line)):
            return without_role(name)
    return None


# ---------------------------------------------------------------------------------------------
# Credited source

_SOURCE_LABEL = re.compile(
    r"(?:^|[(\[]\s*)(?:sources?|quelle|quellen|fuente|source\s+of\s+information)\s*:\s*(?P<name>[^,;()\[\]\n]+)",
    re.IGNORECASE,
)
# "WASHINGTON (Reuters) -": a wire agency's dateline at the head of the lead.
_AGENCY_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'/-]{0,40}\((?P<name>[A-Z][\w .&/-]{1,30})\)\s*[-–—:]")
_LEAD_ATTRIBUTION = [
    re.compile(
        rf"\binterview\s+(?:given\s+)?(?:with|to)\s+(?P<the>the\s+)?(?P<name>{_NAME})(?:\s+(?P<noun>{_MEDIA_NOUN})\b)?"
    ),
    re.compile(
        rf"\b(?:told|speaking\s+to|speaking\s+with|said\s+to)\s+(?P<the>the\s+)?(?P<name>{_NAME})(?:\s+(?P<noun>{_MEDIA_NOUN})\b)?"
    ),
    re.compile(
        rf"\b(?:according\s+to|reported\s+by|as\s+reported\s+by|a\s+report\s+by|cited\s+by)\s+(?P<the>the\s+)?(?P<name>{_NAME})(?:\s+(?P<noun>{_MEDIA_NOUN})\b)"
    ),
    # a broadcaster whose name opens with what it is: "according to Radio Valmora"
    re.compile(
        rf"\b(?:according\s+to|reported\s+by|as\s+reported\s+by|cited\s+by)\s+(?P<the>the\s+)?(?P<name>{_MEDIA_OPENING}\s+{_NAME})(?P<noun>)"
    ),
]
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_BROADCASTER = re.compile(rf"^{_MEDIA_OPENING}\s")
_DOMAIN = re.compile(r"\.\w{2,4}$")


def _source_name(raw: str) -> str | None:
    # the name ends with its sentence: "told the Kestrel News Agency. The ministry…"
    name = _SPACE.sub(" ", _SENTENCE_END.sub("", raw)).strip(" .:-–—\"'“”")
    name = re.split(r"\s+(?:with|and|via|/|\|)\s+", name)[0]
    if not name or len(name) > 60 or len(name.split()) > 6:
        return None
    return name


def _looks_like_outlet(match: re.Match, text: str) -> bool:
    """Whether the name a reporting phrase points at is a medium rather than a person.

    People are not "the X", do not carry a media noun, and are usually introduced with a full name
    before being called by their surname alone.
    """
    name = match.group("name")
    if match.group("noun") or match.group("the") or _ACRONYM.match(name) or _DOMAIN.search(name) or _BROADCASTER.match(name):
        return True
    if len(name.split()) != 1:
        return False
    introduced_as_surname = re.search(rf"\b[A-Z][\w'’-]+\s+{re.escape(name)}\b", text)
    return introduced_as_surname is None


# A broadcaster's channel number after its name ("Radio Valmora 1"), which _NAME leaves out.
_STATION_NUMBER = re.compile(r"\s(\d{1,2})\b(?![.,:]\d)")


def _lead_attribution(paragraphs: list[str], text: str) -> str | None:
    for paragraph in paragraphs:
        for pattern in _LEAD_ATTRIBUTION:
            for match in pattern.finditer(paragraph):
                if _looks_like_outlet(match, text):
                    name = match.group("name")
                    if _BROADCASTER.match(name) and (number := _STATION_NUMBER.match(paragraph, match.end("name"))):
                        name += " " + number.group(1)
                    return _source_name(name)
    return None


def _labelled_source(texts: list[str]) -> str | None:
    for text in texts:
        if ":" not in text:  # every label has its colon: most lines and paragraphs are out at once
            continue
        for match in _SOURCE_LABEL.finditer(_clean(text)):
            name = _source_name(match.group("name"))
            if name:
                return name
    return None


def credited_source_from_body(text: str) -> str | None:
    """The source an article credits for the whole report, read from its body text.

    In order: an explicit "Source: X" label, a wire agency's dateline, and a report framed as an
    interview with or a statement to a medium ("in an interview with TASS", "told Izvestia"),
    looked for in the lead and closing paragraphs only: further down, such phrases attribute single
    quotes, not the report.
    """
    return _credited_source([p.strip() for p in re.split(r"\n\s*\n|\n", text or "")], text)


def _credited_source(paragraphs: list[str], text: str) -> str | None:
    """credited_source_from_body on the stripped paragraphs of `text`."""
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return None
    labelled = _labelled_source(paragraphs[:2] + paragraphs[-2:])
    if labelled:
        return labelled
    dateline = _AGENCY_DATELINE.match(paragraphs[0])
    if dateline:
        return _source_name(dateline.group("name"))
    return _lead_attribution(paragraphs[:2] + paragraphs[-1:], text)


def credits_itself(credited: str | None, outlet: str | None) -> bool:
    """Whether a credited source is the outlet itself: "Fishermen told the Gazette" on a page of The
    Caldrun Gazette is the paper reporting, not a source it credits. Every word of the credited
    name (but "the") is a word of the outlet's name, or the credited name is the acronym the outlet's
    name spells ("SPT" on a page of Selvan Public Television)."""
    if not credited or not outlet:
        return False
    words = set(_words(credited)) - {"the"}
    if _ACRONYM.match(credited):
        spelled = "".join(w[0] for w in outlet.split() if w[:1].isupper() and w != "The")
        return credited == spelled or words <= set(_words(outlet))
    return bool(words) and words <= set(_words(outlet))


# ---------------------------------------------------------------------------------------------
# Outlet

# A web address or an IP written as a site's name ("kestrel.example", "www.kestrel.example",
# "192.0.2.7:8080"): the page did not name itself. Capitals mark a brand written as a domain
# ("Lerinpost.net"), which is a name.
_BARE_ADDRESS = re.compile(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?/?|[\d.:]+|\[[\da-f:]+\]|localhost")


def is_bare_address(name: str) -> bool:
    return _BARE_ADDRESS.fullmatch(name.strip()) is not None

# The year tells a site's copyright line from a photo credit ("© Jane Doe", "Foto: © Agency").
_COPYRIGHT = re.compile(
    rf"(?:(?i:©|\(c\)|copyright)\s*)+(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?)\s*[,.]?\s*(?:(?i:by)\s+)?(?P<name>{_NAME})"
)
# "X © 2025", "© X, 2025": the holder before the mark, or after it with the year behind.
_COPYRIGHT_BEFORE = re.compile(rf"(?P<name>{_NAME})\s*(?i:©|\(c\)|copyright)\s*\d{{4}}\b")
_COPYRIGHT_YEAR_AFTER = re.compile(rf"(?i:©|\(c\)|copyright)\s*(?P<name>{_NAME})(?P<rest>.*?)\b\d{{4}}\b")


def copyright_holder(line: str) -> str | None:
    """Who a dated copyright line names ("© 2025 The Caldrun Gazette. All rights reserved." →
    "The Caldrun Gazette"), an acronym spelled out where the line does so; None for other lines."""
    for pattern in (_COPYRIGHT_BEFORE, _COPYRIGHT, _COPYRIGHT_YEAR_AFTER):
        match = pattern.search(line)
        if match and (name := _clean_name(match.group("name"))):
            return expanded_acronym(name, line[match.end("name"):]) or name
    return None


# Company forms: a copyright held by "X Verlag GmbH" names the publisher, not the publication.
_COMPANY_FORM = re.compile(
    r"\b(?i:corporation|corp|inc|llc|ltd|limited|plc|gmbh|ag|se|sa|spa|kg|co|company|group|holdings?)\b\.?$"
    r"|(?i:verlag|gesellschaft)\b",
)
# Only subscription asks name the site itself: "follow"/"download" ask for Twitter or an app store.
_SELF_PROMOTION = re.compile(rf"\b(?i:subscrib(?:e|ing)\s+to|subscription\s+to)\s+(?:the\s+)?(?P<name>{_NAME})")
_QUOTED_NAME = re.compile(rf"[\"“«](?P<name>{_NAME})[\"”»]")
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_ABOUT = re.compile(rf"^(?P<name>{_NAME})\s+(?:is|are)\s+(?:an?|the)\s+(?i:(?:[\w-]+\s+){{0,5}}?{_MEDIA_NOUN})\b")
# Key words of the rules above, for _JoinedLines: each is in every line its rule can match.
# (?i:subscri) and (?i:©|\(c\)|copyright) spelled out letter by letter (the cases re.IGNORECASE
# matches), the second opening on a character class: the engine then skips ahead, twice as fast.
_SUBSCRIPTION_WORD = re.compile(r"[Ssſ][Uu][Bb][Ssſ][Cc][Rr][Iiİı]")
_QUOTE_MARK = re.compile(r"[\"“«]")
_COPYRIGHT_MARK = re.compile(r"[©(Cc](?:(?<=©)|(?<=\()[Cc]\)|(?<=[Cc])[Oo][Pp][Yy][Rr][Iiİı][Gg][Hh][Tt])")
_IS_ARE = re.compile(r"[^\S\n](?:is|are)[^\S\n]")
_COPYRIGHT_TAIL = re.compile(
    r"(?:\s*[.,|]?\s*(?:all\s+rights\s+reserved|alle\s+rechte|(?:todos\s+los\s+)?derechos\s+reservados|"
    r"tous\s+droits|tutti\s+i\s+diritti)\b.*)$",
    re.IGNORECASE,
)
_MAX_SITE_NAME_WORDS = 5
_WHOLE_NAME = re.compile(rf"^{_NAME}$")


def _site_name_like(text: str) -> bool:
    """A line that could be a site's name: short, capitalised, not interface text or a section."""
    words = text.split()
    if not 1 <= len(words) <= _MAX_SITE_NAME_WORDS or len(text) > 40:
        return False
    if text[-1] in ".!?:;," and not _DOMAIN.search(text):
        return False
    if not _WHOLE_NAME.match(text) or any(c.isdigit() for c in text) or find_date(text):
        return False
    lowered = set(_words(text))
    return bool(lowered) and not lowered & _UI_WORDS and not lowered <= _SECTION_WORDS


# A site's name stands in the first few lines of its page, above the menus.
_MASTHEAD_LINES = 8


def _brand_shaped(name: str) -> bool:
    """Several capitalised words, or one word shaped like a brand (a domain, CamelCase, an acronym,
    a hyphenated compound of names).

    A single plain word heading a page and repeated in its footer is, in any language, far more
    often a menu entry ("Kontakt", "Politik", "Menü") than the site's name.
    """
    if len(name.split()) > 1:
        return True
    return bool(_DOMAIN.search(name) or re.search(r"[a-z][A-Z]|\w-[A-Z]", name) or re.fullmatch(r"[A-Z]{3,}", name))


def expanded_acronym(name: str, following: str) -> str | None:
    """The name an acronym stands for, when the text right after it spells it out: "SPT" and
    "— Selvan Public Television, 2024" give "Selvan Public Television"."""
    if not re.fullmatch(r"[A-Z]{2,6}", name):
        return None
    match = re.match(rf"\s*[-–—:|,]?\s*(?P<name>{_NAME})", following)
    if match is None:
        return None
    words = match.group("name").split()
    initials = "".join(w[0] for w in words if w[0].isupper())
    for end in range(len(words), 0, -1):  # the expansion may run on into other words
        if "".join(w[0] for w in words[:end] if w[0].isupper()) == name:
            return " ".join(words[:end])
    return None if initials != name else match.group("name")


# Words that close a publisher's name rather than a publication's: "© 2024 Lerin Coast Media".
_PUBLISHER_WORD = re.compile(r"\s+(?i:media|medien|verlag|publishing|publications|group|gruppe|press|news\s+group)\b.*$")


def publisher_owner(holder: str) -> str | None:
    """What a publisher's name says it publishes: "Kestrel" of "Kestrel Publishing Ltd"; None for
    a name with no publisher's word ("The Kestrel")."""
    owner = _PUBLISHER_WORD.sub("", holder)
    return owner if owner != holder and len(owner) >= 4 else None


def published_by(name: str, holder: str) -> bool:
    """Whether a copyright line's holder is the publisher named after the publication `name`:
    "Lerin Coast Media" of "Lerin Coast Online", "Kestrel Publishing Ltd" of "The Kestrel" (the
    holder less "Media" or "Publishing" opens the name, or follows its "The")."""
    owner = publisher_owner(holder)
    return owner is not None and any((n + " ").startswith(owner + " ") for n in (name, name.removeprefix("The ")))


def _held_by_owner(footer: str, name: str) -> re.Match | None:
    """The copyright line of a publisher named after the publication `name` (published_by)."""
    for match in _COPYRIGHT.finditer(footer):
        if published_by(name, match.group("name")):
            return match
    return None


def _repeated_header_name(layout: _Layout) -> str | None:
    """A name that heads the page and is repeated after the article: how sites brand their pages.

    The footer may repeat it inside a line ("More from X", "© 2024 X Media", "X | Address") and in
    other capitals ("GOALMOUTH" above, "Goalmouth" below: the footer's form is the name as written).
    Names that also stand under the headline are the author's, and names of menu entries (bulleted
    lines) are a section's, not the site's. An acronym heading the page with its expansion on the
    next line is the expansion's.
    """
    masthead = sorted(layout.header)[:_MASTHEAD_LINES]
    footer = "\n".join(layout.text(layout.footer))
    for k, i in enumerate(masthead):
        name = _clean(layout.lines[i])
        if not (_site_name_like(name) and _brand_shaped(name)):
            continue
        repeated = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", footer, re.IGNORECASE) or _held_by_owner(footer, name)
        if (repeated and not _cleans_to(layout.text(layout.byline), name)
                and not _cleans_to((line for line in layout.lines if _BULLET.match(line)), name)):
            written = repeated.group(0)
            name = written if name.isupper() and len(name) > 6 and not written.isupper() else name
            if k + 1 < len(masthead) and (expansion := expanded_acronym(name, _clean(layout.lines[masthead[k + 1]]))):
                return expansion
            return name
    return None


def _cleans_to(lines: Iterable[str], name: str) -> bool:
    """Whether one of the lines reads `name` once cleaned. Cleaning only drops a list marker and
    squeezes spaces, so each word of the name is in such a line as written: that substring test
    skips the regular expressions on nearly every line."""
    word = max(name.split(), key=len)
    return any(word in line and _clean(line) == name for line in lines)


def _clean_name(raw: str) -> str | None:
    name = _COPYRIGHT_TAIL.sub("", _SENTENCE_END.sub("", raw.strip())).strip(" .,|-–—")
    return name if name and _site_name_like(name) and not _COMPANY_FORM.search(name) else None


def _named_elsewhere(outside: _JoinedLines, name: str, line: int) -> bool:
    r"""Whether `name` stands as a whole word in one of the `outside` lines other than the `line`-th.

    Found with str.find and a look at the characters around each hit, which is what the pattern
    (?<!\w)name(?!\w) does, without a regular expression that cannot skip ahead to the name.
    """
    text = outside.text
    at = text.find(name)
    while at != -1:
        end = at + len(name)
        if (not (at and _is_word_char(text[at - 1])) and not (end < len(text) and _is_word_char(text[end]))
                and bisect_right(outside.starts, at) - 1 != line):
            return True
        at = text.find(name, at + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


CLOSING_BODY_LINES = 3


def _outlet(layout: _Layout, hosts: list[str]) -> str | None:
    repeated = _repeated_header_name(layout)
    if repeated:
        return repeated
    # lines left out of the body between its paragraphs count too: a site's closing self-description
    # ("X" is looking for reporters. We offer...) often stands just before its last related links
    outside = layout.text(layout.header[::-1] + layout.byline + layout.gaps + layout.footer)
    # Each rule below reads only the lines holding its key word, in the same order.
    joined = _JoinedLines(outside)
    for k in joined.lines_with(_SUBSCRIPTION_WORD):
        match = _SELF_PROMOTION.search(outside[k])
        if match and (name := _clean_name(match.group("name"))):
            return name
    for k in joined.lines_with(_QUOTE_MARK):
        if _FIRST_PERSON_PLURAL.search(outside[k]):
            for match in _QUOTED_NAME.finditer(outside[k]):
                if name := _clean_name(match.group("name")):
                    return name
    # Body extractors often keep a closing self-description ('"X" is looking for reporters. We
    # offer…'), sometimes with a cookie notice after it: it counts when it opens with the quoted
    # name and speaks as "we".
    closing = layout.text(layout.body[-CLOSING_BODY_LINES:])
    for line in closing:
        match = _QUOTED_NAME.match(line.strip())
        if match and _FIRST_PERSON_PLURAL.search(line) and (name := _clean_name(match.group("name"))):
            return name
    # Copyright lines close the page; the holder is taken only when the page names it elsewhere
    # too, since the holder is often a media group ("© 2024 X Media") rather than the publication.
    footer_start = len(outside) - len(layout.footer)
    for k in joined.lines_with(_COPYRIGHT_MARK)[::-1]:
        if k < footer_start:
            break
        match = _COPYRIGHT.search(outside[k])
        if match and (name := _clean_name(match.group("name"))) and _named_elsewhere(joined, name, k):
            return name
    for k in joined.lines_with(_IS_ARE):
        match = _ABOUT.match(_clean(outside[k]))
        if match and (name := _clean_name(match.group("name"))):
            return name
    return _masthead_spelled_by_address(layout, hosts)


# An address's host, as a page's text links to it ("https://www.fenwickherald.example/news/…").
_URL_HOST = re.compile(r"https?://([a-z0-9.-]+)", re.IGNORECASE)
_MASTHEAD_MAX_WORDS = 5
_MIN_SPELLED_LETTERS = 5  # "BBC" or "Post" alone is too short a match to trust


def _most_linked_site(text: str) -> str | None:
    """The site a page's text links to most (a text dump's list of links, lynx's "References"), by
    registrable domain (www.site.example and static.site.example are one site), or None. A
    platform's links are not counted: a page links to a social network to share itself or to quote a
    post, and a platform (hosts.is_platform) never names the page's outlet."""
    if "://" not in text:
        return None
    linked = Counter(domain for m in _URL_HOST.finditer(text)
                     if (domain := registrable_domain(m.group(1))) and not is_platform(domain))
    return linked.most_common(1)[0][0] if linked else None


def _masthead_spelled_by_address(layout: _Layout, hosts: list[str]) -> str | None:
    """A run of capitalised words above the headline whose letters spell the site's address: the
    page's own, or the one its links point to most ("Fenwick Herald" over fenwickherald.example's
    links, "The Quarry Lane Review" with quarrylanereview.example, "The" left out of the address or
    not). A text dump keeps the masthead as one of the navigation's words ("[1]Fenwick Herald
    [2]News [3]Sport"), where no rule above finds it; the address says which words are the name."""
    labels = {label for label in map(site_label, hosts) if label and len(label) >= _MIN_SPELLED_LETTERS}
    if not labels:
        return None
    for i in layout.header[::-1]:
        words = layout.lines[i].split()  # lynx's link numbers already gone (lines.split_dump)
        for start in range(len(words)):
            for end in range(min(len(words), start + _MASTHEAD_MAX_WORDS), start, -1):
                name = words[start:end]
                name[-1] = name[-1].rstrip(".,;:!?|")  # "Tagblatt," ends a name; a stop inside one breaks it
                if not all(word[:1].isupper() or word == "&" for word in name) or any(
                        not word[-1:].isalnum() and word != "&" for word in name):
                    continue
                key = "".join(ch for ch in "".join(name).lower() if ch.isalnum())
                if key in labels or key.startswith("the") and key[3:] in labels:
                    return " ".join(name)
    return None


# ---------------------------------------------------------------------------------------------


# A date in the page's address ("/2024/03/05/", "2024-03-05"): where blogs and many news sites put
# the day of publication, and the last resort when the page's text gives none (as htmldate reads it).
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([/-])([01]\d)\2([0-3]\d)(?!\d)")
# Short lines opening the article's text (a date line a body extractor kept as text): how far down
# a date-only line still dates the article, and how much besides the date it may say.
_OPENING_LINES = 6
_OPENING_DATE_EXTRA_LETTERS = 30


def _opening_date(layout: _Layout) -> str | None:
    """A date standing nearly alone on one of the article's first lines ("Dienstag, 28. April 2020"),
    or opening one as a dateline ("(21. November 2022) Energieverbraucher …", dates.dateline), else
    on the line nearest the article's start that holds a date and little else or a "published"
    label: in the header above (however far: a wrongly chosen headline moves the byline block) or
    between the paragraphs, never after the article (where comments and related items are dated)."""
    lines = layout.lines
    first = [i for i in layout.body[:_OPENING_LINES] if may_hold_date(lines[i])]
    top = layout.body[0] if layout.body else len(lines)
    # the few lines with a year, nearest first (sorting all of a page's lines took longer than the rest)
    rest = sorted((i for i in set(layout.header + layout.byline + layout.body[_OPENING_LINES:] + layout.gaps)
                   if may_hold_date(lines[i])), key=lambda i: abs(i - top))
    for k, i in enumerate(first + rest):
        opening = k < len(first)
        line = _clean(lines[i], numbered=False)
        # beyond the first lines, month names in the common languages only: dateparser costs
        # milliseconds a line, and a page has hundreds
        if len(line) <= _MAX_DATE_LINE and (found := find_date(line, other_languages=opening)):
            if len(re.sub(r"[\W\d_]+", "", line)) <= _OPENING_DATE_EXTRA_LETTERS or (
                    dateline(line) if opening else _DATE_LABEL.search(line)):
                return found
    return None


def url_date(url: str | None) -> str | None:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    return find_date(f"{match.group(1)}-{match.group(3)}-{match.group(4)}")


def text_metadata(lines: list[str], title_index: int | None, body_indices: list[int],
                  url: str | None = None, page_text: str | None = None) -> TextMetadata:
    """`page_text`: the page as it came, links and all (the lines may no longer hold them). The site
    it links to most, platforms aside, stands for the page's address only where the page came without
    one (a dump read from a file): a page's own address says more than any count of its links."""
    own = page_host(url)
    linked = None if own else _most_linked_site(page_text or "")
    hosts = [own] if own else [linked] if linked else []
    layout = _Layout.of(lines, title_index, body_indices)
    near_title = layout.text(layout.byline + layout.header[:5])
    body = layout.text(layout.body)
    credited = _labelled_source(near_title) or _credited_source(list(map(str.strip, body)), "\n".join(body))
    if credited is None:
        credited = _labelled_source(layout.text(layout.footer[:3]))
    return TextMetadata(
        outlet=_outlet(layout, hosts),
        published=_published(layout) or _opening_date(layout) or url_date(url),
        author=_author(layout),
        credited_source=credited,
    )
