"""Page furniture among an article's paragraphs, on fictional lines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presswatch.extract.boilerplate import MAX_NOTICE_WORDS, is_boilerplate, without_boilerplate

FURNITURE = [
    "Home › News › Velden",
    "Startseite > Politik > Inland > Hafen",
    "News / Region / Islands / Ferries",
    "We use cookies to improve your experience. By continuing you accept our Cookie Policy.",
    "Subscribe to The Velden Courier for the latest island news.",
    "Sign up for our daily newsletter",
    "Follow Velden Radio on Instagram and Facebook.",
    "Share this:",
    "Read more: Ferry fares to rise in spring",
    "Related: The ten best island walks",
    "Photo: Marta Lindqvist",
    "The new ferry leaves the harbour on its first crossing (Photo: Velden Courier)",
    "Harbour master Jon Berg at the quay. (AFP file photo)",
    "Image copyright Velden Pictures Image caption The ferry at dawn",
    "islandfan77 says:",
    "SEE MORE: Ferry fares to rise in spring",
    "Island ferry sails again after storm [VIDEO]",
    "Follow The Velden Courier's island desk on Facebook and Twitter.",
    "Copyright 2024 Velden Courier. All rights reserved.",
    "Write to Marta Lindqvist at marta@courier.example.org",
    "- Published 18 November 2024",
    "Updated at 1:23 p.m.",
    "Updated 3 hours ago",
    "Posted 25 minutes ago",
    "Yesterday, 10:12",
    "Published 4 March 2026, 10:12",
    "4 March 2026",
    "Tuesday, 4 March 2026 · 10:12 GMT",
    "Veröffentlicht am 4. März 2026 um 10:12 Uhr",
    "13:40",  # a live blog entry's time, on its own line
    "9.05am",
    "14:10 GMT",
    # written with characters a case-ignoring pattern reads as ASCII letters ("ſ" as s, "İ" as i):
    # lower-casing leaves them as they are, so the substring tests that rule patterns out first
    # must leave such paragraphs to the patterns
    "We ask your con\u017fent before we store anything on your device.",
    "Don't miss out: sub\u017fcribe to our newsletter",
    "\u0130MAGE CAPTION The ferry at dawn",
]
ARTICLE = [
    "The harbour council voted on Tuesday to extend the ferry service to the northern islands.",
    "Residents said the cookies sold on the ferry were the best part of the crossing, and we agree.",
    "Share this information with your neighbours, the mayor told residents.",
    "The photo of the ferry was taken in 1958, the museum said.",
    "| Route | Crossings | Fare |",
    "Council members voted 7 to 2 in favour.",
    "Published figures show the ferry carried 12,000 people last year.",
    "Follow the money, the auditor told the council on Tuesday.",
    "The ferry sank on 4 March 2026.",
    "Three hours ago the harbour was full.",
    "March 2026: the council meets again.",
    "13:40 The ferry left the harbour.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_is_dropped(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ARTICLE)
def test_article_text_is_kept(line):
    assert not is_boilerplate(line)


def test_order_is_kept():
    assert without_boilerplate([ARTICLE[0], FURNITURE[0], ARTICLE[1]]) == [ARTICLE[0], ARTICLE[1]]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(FURNITURE), st.integers(min_value=MAX_NOTICE_WORDS + 1, max_value=MAX_NOTICE_WORDS + 30))
def test_a_paragraph_longer_than_a_notice_is_never_dropped(notice, words):
    assert not is_boilerplate(" ".join([notice, *(["ferry"] * words)]))
