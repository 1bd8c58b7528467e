"""Written dates: the month-name fast path must read every span exactly as dateparser would."""

from __future__ import annotations

import random

import pytest

from presswatch.extract import dates
from presswatch.extract.dates import find_date, month_numbers


def _spans(seed: int) -> list[str]:
    """Spans in the fast shapes, over every month word, with odd days and spacing mixed in."""
    rng = random.Random(seed)
    spans = []
    for word in month_numbers():
        written = rng.choice([word, word.capitalize(), word.upper()])
        sep = rng.choice([" ", "\xa0", "  "])
        day, year = rng.choice([1, 7, 14, 29, 30, 31, 0, 32]), rng.choice([1999, 2024])
        spans.append(rng.choice([f"{day}{sep}{written}{sep}{year}", f"{day}.{sep}{written}{sep}{year}",
                                 f"{written}{sep}{day},{sep}{year}", f"{written}.{sep}{day}{sep}{year}",
                                 f"{written}{sep}{day}{rng.choice(['st', 'nd', 'rd', 'th'])},{sep}{year}"]))
    return spans


@pytest.mark.parametrize("span", _spans(seed=3))
def test_fast_month_path_agrees_with_dateparser(span):
    assert dates._text_date(span) == dates._dateparser_date(span)


def test_month_table_covers_the_common_languages():
    table = month_numbers()
    assert table["oct"] == 10 and table["märz"] == 3 and table["août"] == 8 and table["diciembre"] == 12
    assert table["mei"] == 5 and table["giugno"] == 6 and table["fevereiro"] == 2


def test_plain_shapes_do_not_call_dateparser(monkeypatch):
    def refuse(text):
        raise AssertionError(f"dateparser called for {text!r}")

    monkeypatch.setattr(dates, "_dateparser_date", refuse)
    assert find_date("Posted 14 Oct. 2021, 15:20") == "2021-10-14T15:20"
    assert find_date("Wednesday, Jun 04, 2025") == "2025-06-04"
    assert find_date("25. August 2015") == "2015-08-25"
    assert find_date("May 23rd, 2018") == "2018-05-23"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 de marzo de 2024", "2024-03-03"),  # Spanish connector: dateparser reads it
        ("4 juin 2025", "2025-06-04"),
        ("juin 4th, 2025", None),  # an English ordinal with a French month: dateparser reads neither
        ("14 октября 2021", "2021-10-14"),  # a language outside the fast table
        ("30 February 2020", None),
    ],
)
def test_other_shapes_still_parse(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Erstellt am09.02.2022", "2022-02-09"),  # a label glued to the date
        ("von Ann Lee13.12.2022 - 08:13 Uhr", "2022-12-13T08:13"),
        ("Published on August 19, 2019August 19, 2019", "2019-08-19"),  # a date printed twice, unspaced
        ("Last updated on 20 Feb, 2020. 3 min read", "2020-02-20"),
        ("* 19.10.19, 08:16 Uhr", "2019-10-19T08:16"),  # a two-digit year
        ("28.01.22 / 0 Kommentare", "2022-01-28"),
        ("Version 1.2.19", None),  # one-digit parts: a version number
        ("Tel. 040 12.34.56", None),
        ("Stand 1.12.03.2020", None),  # a date inside a longer dotted number
    ],
)
def test_glued_and_two_digit_year_dates(text, expected):
    assert find_date(text) == expected
