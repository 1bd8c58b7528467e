"""Publication dates written out on a page: "14 Oct 2021 15:20", "Wednesday, Jun 04, 2025", "2024-03-03".

Finding the span is done here with explicit patterns, because a free-text date search (dateparser's
`search_dates`) also takes "May", "15" or "now" for dates. A span in the plain shapes ("14 Oct
2021", "March 3, 2024") whose month is named in one of the languages most pages come in is read
with dateparser's own month names, a dict look-up; anything else ("3 de marzo de 2024", "June 4th,
2025", other languages) goes to dateparser itself, which costs a millisecond or more a call. Only
full dates (day, month, year) count: "15 May" in a related-articles list says nothing about this
article.
"""

from __future__ import annotations

import importlib
import re
from datetime import date, datetime
from functools import lru_cache

_MONTH_WORD = r"[^\W\d_]{3,10}\.?"
_WEEKDAY = r"(?:[^\W\d_]{3,12}\.?,?\s+)?"
_TIME = r"(?:\s*(?:,|at|um|à|a las|\||-|–|—|•)?\s*(?P<time>(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?))?"

# Every pattern needs a four-digit year, or a two-digit one in a dd.mm.yy date. The two digits both
# start with are written once: "\d{4}|\d\d\.\d\d\.\d\d" searched four times slower.
_YEAR = re.compile(r"\d\d(?:\d\d|\.\d\d\.\d\d)")


def may_hold_date(text: str) -> bool:
    """Whether `text` has the year every full date needs: a test far cheaper than find_date's search."""
    return _YEAR.search(text) is not None

DATE_PATTERNS = [
    # 2024-03-03, 2024-03-03T15:20
    re.compile(
        r"\b(?P<iso>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))(?:[T ](?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?))?"
    ),
    # 14 Oct 2021, 25. August 2015, Wednesday 4 June 2025, 3 de marzo de 2024
    re.compile(rf"\b{_WEEKDAY}(?P<text>\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH_WORD},?\s+(?:de\s+)?\d{{4}})(?!\d){_TIME}"),
    # March 3, 2024; Wednesday, Jun 04, 2025
    re.compile(rf"\b{_WEEKDAY}(?P<text>{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d){_TIME}"),
    # 03.03.2024 (day first, as everywhere dots are used), 03/03/2024 (only when unambiguous)
    re.compile(rf"(?<![\d.])(?P<numeric>(?P<a>\d{{1,2}})(?P<sep>[./])(?P<b>\d{{1,2}})(?P=sep)(?P<y4>\d{{4}}))(?![\d.]\d){_TIME}"),
    # 19.10.19 (two-digit days, months and years, dots only: a version number has one-digit parts)
    re.compile(rf"(?<![\d.])(?P<short>(?P<sd>[0-3]\d)\.(?P<sm>[01]\d)\.(?P<sy>\d{{2}}))(?![\d.]\d){_TIME}"),
]
# A character each pattern's dates hold (none for the month-name ones): a line without is skipped.
_PATTERN_MARKS = [("-",), (), (), (".", "/"), (".",)]


def _century(year: int) -> int:
    """A two-digit year in the century that puts it at most a year ahead of today."""
    return 2000 + year if 2000 + year <= date.today().year + 1 else 1900 + year


def _numeric_date(a: int, b: int, year: int, sep: str) -> date | None:
    if sep == "." or a == b or a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:  # 03/04/2024 is March in the US and April elsewhere: no guess
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Languages whose month names are read without dateparser; other languages still parse, slower.
FAST_MONTH_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
# The English month and weekday names, in calendar order: dateparser's keys for each language's
# names, and the calendar words the NLP stage reads (nlp/details.py, nlp/mentions.py).
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=2)
def month_numbers(languages: tuple[str, ...] = FAST_MONTH_LANGUAGES) -> dict[str, int]:
    """Month names and abbreviations (lower case) of the languages, from dateparser's locale data.

    A word naming different months in two of the languages is left out, so it goes to dateparser.
    """
    numbers: dict[str, int] = {}
    ambiguous: set[str] = set()
    for language in languages:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
        for month, key in enumerate(MONTH_NAMES, start=1):
            for word in info.get(key, ()):
                word = word.lower()
                if numbers.setdefault(word, month) != month:
                    ambiguous.add(word)
    return {word: month for word, month in numbers.items() if word not in ambiguous}


@lru_cache(maxsize=1)
def weekday_names() -> frozenset[str]:
    """Weekday names and abbreviations (lower case, no dot) of FAST_MONTH_LANGUAGES, from dateparser's locale data."""
    return frozenset(word.lower().rstrip(".") for language in FAST_MONTH_LANGUAGES
                     for key in WEEKDAY_NAMES
                     for word in importlib.import_module(f"dateparser.data.date_translation_data.{language}").info.get(key, ()))


# The shapes dateparser reads in every one of those languages, and an ordinal day ("June 4th, 2025")
# with an English month (dateparser reads it in English only). No "de" ("3 de marzo" is Spanish
# and Portuguese only).
_DAY_MONTH_YEAR = re.compile(r"(?P<day>[0-9]{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>[0-9]{4})")
_MONTH_DAY_YEAR = re.compile(
    r"(?P<month>[^\W\d_]+)\.?\s+(?P<day>[0-9]{1,2})(?P<ordinal>st|nd|rd|th)?,?\s+(?P<year>[0-9]{4})")


def _text_date(text: str, other_languages: bool = True) -> date | None:
    match = _DAY_MONTH_YEAR.fullmatch(text) or _MONTH_DAY_YEAR.fullmatch(text)
    if match:
        names = month_numbers(("en",)) if match.groupdict().get("ordinal") else month_numbers()
        month = names.get(match.group("month").lower())
    else:
        month = None
    if month is None:
        return _dateparser_date(text) if other_languages else None
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:  # 30 February: dateparser rejects it too
        return None


def _dateparser_date(text: str) -> date | None:
    import dateparser

    parsed = dateparser.parse(
        text,
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_LOCALE_DATE_ORDER": False},
    )
    return parsed.date() if parsed else None


def _time_suffix(match: re.Match) -> str:
    if not match.group("time"):
        return ""
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    second = match.group("second")
    return f"T{hour:02d}:{minute:02d}" + (f":{second}" if second else "")


# A written date counts only from MIN_YEAR to next year; a year outside them is not the date of a
# page presswatch reads.
MIN_YEAR = 1990


def find_date(text: str, other_languages: bool = True) -> str | None:
    """The first full date written in `text`, as ISO (with time where given), or None.

    `other_languages=False` reads month names in FAST_MONTH_LANGUAGES only, never calling dateparser:
    for scanning many texts of a page, where dateparser's milliseconds a call add up."""
    found = _first_date(text, other_languages)
    return found[2] if found else None


def hinted_date(value: str | None) -> str | None:
    """A date the page came with (a feed entry's, a JSON Lines row's) as ISO: feeds write RFC 822
    ("Tue, 05 Mar 2024 09:00:00 GMT"; ingest/feed.py gives them as ISO), exports ISO already. An
    ISO time keeps its offset ("2024-03-05T23:30:00-05:00": that day's evening where the outlet
    is, not the next day's UTC morning) and a day stays a day: find_date reads the rest."""
    if not value:
        return None
    if _ISO_TIMESTAMP.match(value):
        try:
            return datetime.fromisoformat(value).isoformat()
        except ValueError:
            pass
    return find_date(value)


# An ISO 8601 day with its time of day (datetime.fromisoformat reads a day alone as its midnight).
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _first_date(text: str, other_languages: bool = True) -> tuple[int, int, str] | None:
    """find_date's date with where it is written: (start, end, ISO), the start after any word the
    patterns take for a weekday ("Homburg, 3. Mai 2020" starts at "3")."""
    if not may_hold_date(text):  # most lines are out at once
        return None
    max_year = date.today().year + 1
    best: tuple[int, int, int, str] | None = None  # the match's start, the date's, its end, ISO
    for pattern, marks in zip(DATE_PATTERNS, _PATTERN_MARKS):
        if marks and not any(mark in text for mark in marks):
            continue
        for match in pattern.finditer(text):
            groups = match.groupdict()
            found: date | None
            if groups.get("iso"):
                try:
                    found = date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
                except ValueError:
                    found = None
            elif groups.get("numeric"):
                found = _numeric_date(int(groups["a"]), int(groups["b"]), int(groups["y4"]), groups["sep"])
            elif groups.get("short"):
                found = _numeric_date(int(groups["sd"]), int(groups["sm"]), _century(int(groups["sy"])), ".")
            else:
                found = _text_date(groups["text"], other_languages)
            if found and MIN_YEAR <= found.year <= max_year:
                if best is None or match.start() < best[0]:
                    best = (match.start(), match.start("text") if groups.get("text") else match.start(),
                            match.end(), found.isoformat() + _time_suffix(match))
                break
    return best[1:] if best else None


# A dateline: the date an article's text opens with, alone or after a place ("Karlsruhe, (12.11.2021).
# Traditionell …", "(21. November 2022) Energieverbraucher …", "27.1.2022 - Bei der …"), the writer's
# own statement of the day. Before the date at most a place of a few capitalised words and a comma,
# and an opening bracket; after it a separator, a capitalised word (a new sentence, a name, a
# section) or nothing. A date that prose runs on from ("Am Sonntag, 15. März 2020, verkündete …"),
# after a label ("Termin: 21.02.2020") or a preposition ("am 19.05.2007 in Aalen") dates an event.
_DATELINE_PLACE_WORDS = 4
_DATELINE_HEAD = 80  # characters of a paragraph a place and a date fit in
_DATELINE_SEPARATORS = "-–—:/|•.("


def _is_dateline_place(prefix: str) -> bool:
    """Whether the text before a paragraph's first date is nothing, a bracket, or a place and a comma."""
    prefix = prefix.strip().removesuffix("(").strip()
    if not prefix:
        return True
    words = prefix.removesuffix(",").split()
    return (prefix.endswith(",") and 0 < len(words) <= _DATELINE_PLACE_WORDS and words[0][0].isupper()
            and not any(c.isdigit() or c in "().:;!?" for c in prefix[:-1]))


def dateline(paragraph: str) -> str | None:
    """The date a paragraph opens with as a dateline (see above), as ISO, or None."""
    found = _first_date(paragraph[:_DATELINE_HEAD])
    if found is None or not _is_dateline_place(paragraph[:found[0]]):
        return None
    rest = paragraph[found[1]:].lstrip().removeprefix(")").lstrip()
    return found[2] if not rest or rest[0] in _DATELINE_SEPARATORS or rest[0].isupper() else None


def looks_like_date(text: str) -> bool:
    """Whether a short string is a date, even one without a year ("March 5", "05.03."): what ends
    up in author and site-name fields when a page's metadata is mislabelled."""
    if not any(c.isdigit() for c in text):
        return False
    if find_date(text):
        return True
    import dateparser

    return dateparser.parse(text, settings={"STRICT_PARSING": False, "REQUIRE_PARTS": ["day", "month"]}) is not None
