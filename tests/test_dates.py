"""Written dates: the month-name fast path must read every span exactly as dateparser would."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import document_fromstring

from presswatch.extract import dates
from presswatch.extract.dates import find_date, month_numbers
from presswatch.extract.html import extract_html
from presswatch.extract.htmlmeta import _in_banner
from presswatch.extract.textmeta import text_metadata
from presswatch.records import HTML, Page


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


# --- datelines: the date an article's text opens with ----------------------------------------------


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("Velden, (05.03.2024). Der Hafenrat hat am Dienstag beschlossen …", "2024-03-05"),
        ("(5. März 2024) Die Fähre fährt künftig dreimal am Tag.", "2024-03-05"),
        ("5.3.2024 - Der Hafenrat hat beschlossen", "2024-03-05"),
        ("Norrby Harbour, March 5, 2024 – The council voted", "2024-03-05"),
        ("Bad Velden, 5. März 2024 – Die Stadt", "2024-03-05"),  # a place of two words, not a weekday
        ("Velden, Dienstag, 5. März 2024 – Die Stadt", "2024-03-05"),
        ("05.03.2024 Verkehr", "2024-03-05"),  # a section after the date
        ("Mar 5, 2024", "2024-03-05"),
        ("5 March 2024 // Marta Lindqvist", "2024-03-05"),
        ("Velden, 05.03.2024 09:30 Uhr: Der Rat", "2024-03-05T09:30"),
        # dates of events, not datelines
        ("am 05.03.2024 in Velden – Hafenstadion", None),  # a preposition before the date
        ("Termin: 05.03.2024, 19 Uhr", None),  # a label
        ("Am Dienstag, 5. März 2024, beschloss der Rat", None),  # prose runs on from the date
        ("5. März 2024 wird als Tag der Fähre gefeiert", None),
        ("Ab 1. Januar 2025 gelten neue Preise.", None),
        ("Dieser Artikel ist zuerst am 5. März 2024 erschienen.", None),
        ("The council met. On March 5, 2024 it voted.", None),
        (", 05.03.2024", None),
        ("", None),
    ],
)
def test_dateline(paragraph, expected):
    assert dates.dateline(paragraph) == expected


_PLACES = st.lists(st.sampled_from(["Velden", "Norrby", "Bad", "Harbour", "North", "Sankt"]), min_size=1, max_size=3)
_SHAPES = ["%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y"]
_AFTER = st.sampled_from([" – The council voted.", ". The council voted.", " The council voted.", ") Der Rat", ""])


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2025, 12, 31)), _PLACES, st.sampled_from(_SHAPES),
       st.booleans(), _AFTER)
def test_a_dateline_in_any_shape_is_read(day, place, shape, bracket, after):
    written = day.strftime(shape)
    opening = f"({written}" if bracket else written
    assert dates.dateline(f"{' '.join(place)}, {opening}{after}") == day.isoformat()
    assert dates.dateline(f"{opening}{after}") == day.isoformat()


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2025, 12, 31)), st.sampled_from(_SHAPES),
       st.sampled_from(["am ", "seit dem ", "on ", "Termin: ", "Stand: ", "bis zum "]),
       st.sampled_from([", the council said", " wurde gefeiert", " in Velden"]))
def test_a_date_after_a_word_or_before_prose_is_no_dateline(day, shape, before, prose):
    written = day.strftime(shape)
    assert dates.dateline(f"{before}{written} – The council voted.") is None
    assert dates.dateline(f"{written}{prose}.") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_a_dateline_is_the_paragraphs_first_date_or_none(text):
    found = dates.dateline(text)
    assert found is None or found == find_date(text[:80])


def _html(head: str, paragraphs: list[str]) -> str:
    teasers = "".join(f'<li><a href="/n/{k}">Older harbour news {k}</a> <span class="date">0{k}.01.2024</span></li>'
                      for k in range(1, 4))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html lang='de'><head><meta charset='utf-8'>{head}<title>Fähre fährt öfter</title></head><body>"
            f"<main><div class='content'><h6>Fähre fährt öfter</h6><h5>Von Marta Lindqvist</h5>{body}</div>"
            f"<aside><h3>Meldungen</h3><ul>{teasers}</ul></aside></main></body></html>")


_FERRY = [
    ("Die Fährgesellschaft von Velden hat am Dienstag beschlossen, die Verbindung zu den nördlichen Inseln "
    "auszubauen, nachdem sich Anwohner monatelang über die einzige Überfahrt am Morgen beklagt hatten."),
    ("Nach dem neuen Fahrplan legen die Boote um sieben Uhr morgens und um vier Uhr nachmittags ab, und im "
    "Sommer kommt eine dritte Überfahrt hinzu, wenn die Urlauber auf die Inseln kommen."),
    ("Bezahlt wird der Ausbau aus dem regionalen Verkehrsfonds, sagte der Rat, und die Preise bleiben für "
    "Anwohner mit einem Inselpass gleich."),
]


def test_an_html_dateline_wins_over_a_date_found_in_a_listing_but_not_over_metadata():
    dated = [f"Velden, (05.03.2024). {_FERRY[0]}", *_FERRY[1:]]
    assert extract_html(Page.make("t", HTML, _html("", dated))).published == "2024-03-05"
    # without a dateline, the listing's date is all there is
    assert extract_html(Page.make("t", HTML, _html("", _FERRY))).published != "2024-03-05"
    # a date the page's metadata states is kept: the CMS's day of publication
    stated = '<meta property="article:published_time" content="2024-03-06T08:00:00+01:00">'
    assert extract_html(Page.make("t", HTML, _html(stated, dated))).published[:10] == "2024-03-06"


def test_a_text_dump_dated_by_the_dateline_opening_its_first_line():
    lines = ["Velden Kurier", "", "Fähre fährt öfter", "", f"   (5. März 2024) {_FERRY[0][:90]}",
             f"   {_FERRY[0][90:]}", "", *(f"   {p}" for p in _FERRY[1:])]
    assert text_metadata(lines, 2, [4, 5, 7, 8]).published == "2024-03-05"
    # "am 5. März 2024" opening the same line dates an event
    assert text_metadata([*lines[:4], lines[4].replace("(5. März 2024)", "am 5. März 2024"), *lines[5:]],
                         2, [4, 5, 7, 8]).published is None


# --- where the date line and the byline are looked for: around the headline -------------------------


def _scoped_page(before_headline: str, headline_block: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in _FERRY)
    return (f"<html lang='de'><head><meta charset='utf-8'><title>Fähre fährt öfter</title>"
            '<meta name="date" content="2024-01-02"></head><body>'
            f"{before_headline}<main>{headline_block}<div class='text'>{body}</div></main></body></html>")


_BOX = ("<article class='cta-box'><h3>Jetzt beraten lassen</h3><p>Unsere Experten helfen weiter.</p>"
        "<p class='meta'>10.01.2024</p></article>")


def test_an_article_box_beside_the_headline_is_not_where_its_date_line_stands():
    shown = "<div class='hero'><h1>Fähre fährt öfter</h1><span class='meta'>05.03.2024 · von Marta Lindqvist</span></div>"
    article = extract_html(Page.make("t", HTML, _scoped_page(_BOX, shown)))
    assert (article.published, article.author) == ("2024-03-05", "Marta Lindqvist")


def test_a_heading_in_the_site_banner_is_not_the_headline():
    # the banner's <h1> is a section title; the article, its headline an <h2>, holds the date line
    banner = "<header class='site'><div class='bar'><h1>Nachrichten aus Velden</h1></div></header>"
    held = ("<article><h2>Fähre fährt öfter</h2><p class='date'>05.03.2024</p>"
            "<p class='byline'>Von Marta Lindqvist</p></article>")
    article = extract_html(Page.make("t", HTML, _scoped_page(banner, held)))
    assert (article.published, article.author) == ("2024-03-05", "Marta Lindqvist")


@pytest.mark.parametrize("wrapper", ["<main>{}</main>", "<article>{}</article>", "<section>{}</section>"])
def test_a_header_inside_a_section_is_the_articles_own(wrapper):
    tree = document_fromstring("<html><body>" + wrapper.format("<header><h1>Fähre</h1></header>") + "</body></html>")
    assert not _in_banner(next(tree.iter("h1")))
    banner = document_fromstring("<html><body><header><div><h1>Velden</h1></div></header></body></html>")
    assert _in_banner(next(banner.iter("h1")))
