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
