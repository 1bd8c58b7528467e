"""Text-dump metadata rules, on fictional pages laid out the way a text browser dumps them."""

import json
import re
from datetime import date

import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from presswatch.extract.dates import find_date
from presswatch.extract.textmeta import (
    _COPYRIGHT_MARK,
    _SUBSCRIPTION_WORD,
    TextMetadata,
    byline_names,
    credited_source_from_body,
    credits_itself,
    is_bare_address,
    dated_byline,
    normalised_body_hash,
    text_metadata,
    without_role,
    written_byline,
)

TITLE = "Harbour Council Extends Ferry Service to Northern Islands"
BODY = [
    "The harbour council of Velden voted on Tuesday to extend the ferry service to the northern islands.",
    "Residents had complained since 3 March 2019 that the single morning crossing left them stranded.",
    "The new timetable starts next month, the council said in a statement.",
]


def page(header=(), byline=(), body=BODY, footer=(), title=TITLE):
    """Lines of a dump with blank lines between blocks, and where the title and body stand."""
    lines: list[str] = []

    def add(line):
        lines.append(line)
        lines.append("")
        return len(lines) - 2

    for line in header:
        add(line)
    title_index = add(title)
    for line in byline:
        add(line)
    body_indices = [add(p) for p in body]
    for line in footer:
        add(line)
    return lines, title_index, body_indices


def meta(**kw) -> TextMetadata:
    return text_metadata(*page(**kw))


# --- published -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("  • 14 Oct 2021 15:20", "2021-10-14T15:20"),
        ("Wednesday, Jun 04, 2025", "2025-06-04"),
        ("Published March 3, 2024 at 3:20 pm", "2024-03-03T15:20"),
        ("2024-03-03", "2024-03-03"),
        ("Posted 13/03/2024", "2024-03-13"),
        ("25.08.2015, 10.19 Uhr", "2015-08-25T10:19"),
        ("25. August 2015", "2015-08-25"),
    ],
)
def test_date_under_the_headline(line, expected):
    assert meta(byline=[line]).published == expected


def test_date_in_the_site_header_above_the_headline():
    assert meta(header=["The Velden Courier", "Wednesday, Jun 04, 2025"]).published == "2025-06-04"


def test_dates_in_the_body_describe_events_not_publication():
    assert meta().published is None


def test_ambiguous_slash_date_is_not_guessed():
    assert meta(byline=["03/04/2024"]).published is None


def test_updated_date_only_when_no_published_date():
    assert meta(byline=["Updated 5 May 2024", "Published 1 May 2024"]).published == "2024-05-01"
    assert meta(byline=["Updated 5 May 2024"]).published == "2024-05-05"


def test_related_article_dates_without_year_are_ignored():
    assert meta(footer=["Related", "Ferry strike ends", "15 May"]).published is None


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2025, 12, 31)), st.sampled_from(range(4)))
def test_written_dates_read_back(day, style):
    written = [
        day.isoformat(),
        day.strftime("%d %b %Y"),
        day.strftime("%B %d, %Y"),
        day.strftime("%d.%m.%Y"),
    ][style]
    assert find_date(f"Posted: {written}") == day.isoformat()


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=120))
def test_find_date_never_fails(text):
    found = find_date(text)
    assert found is None or (len(found) >= 10 and found[4] == "-" and found[7] == "-")


# --- author ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("By Jane Doe", "Jane Doe"),
        ("  • By The Velden Courier", "The Velden Courier"),
        ("Written by Anna Karlsson and Tomas Berg", "Anna Karlsson and Tomas Berg"),
        ("By Jane Doe | 3 March 2024", "Jane Doe"),
        ("Author: Piet de Vries", "Piet de Vries"),
        ("Par Élodie Ørsted", "Élodie Ørsted"),
        ("Von Anna Berger, Redaktion Veröffentlicht 3.3.2024", "Anna Berger"),  # the role is no part of the name
        ("By Jane Doe12.03.2024", "Jane Doe"),
    ],
)
def test_byline(byline, expected):
    assert meta(byline=[byline]).author == expected


@pytest.mark.parametrize(("byline", "expected"), [
    ("By Ekdahl", "Ekdahl"), ("Text: Marit", "Marit"), ("BY EKDAHL | 3 March 2024", "EKDAHL"),  # wire copy signs a surname
    ("By Sport", None), ("By Email", None), ("By Politics | 3 March 2024", None),  # the site's own words
])
def test_a_byline_of_one_name_is_its_writer_unless_it_is_a_section_or_menu_word(byline, expected):
    assert meta(byline=[byline]).author == expected


def test_by_phrases_in_the_body_are_not_bylines():
    body = ["The bridge was opened by Mayor Lina Ortiz on Monday.", *BODY]
    assert meta(body=body).author is None


# --- credited source --------------------------------------------------------------------------------


def test_source_label_under_the_headline():
    assert meta(byline=["• By Staff", "• Source: Agencies"]).credited_source == "Agencies"


def test_parenthesised_source_closing_the_article():
    body = [*BODY, "(Source: Velden Today, with reporting from the council press office.)"]
    assert meta(body=body).credited_source == "Velden Today"


@pytest.mark.parametrize(
    "lead, expected",
    [
        ("In an interview with Nordpost on Monday, the mayor said the ferry would run twice a day.", "Nordpost"),
        ("The mayor said the ferry would run twice a day, in a recent interview with VRT.", "VRT"),
        ("The mayor's remarks were conveyed in an interview with the Velden.info portal.", "Velden.info"),
        ("The mayor told the Island Gazette newspaper that the ferry would run twice a day.", "Island Gazette"),
        ("VELDEN (Harbourwire) - The council voted on Tuesday to extend the ferry service.", "Harbourwire"),
    ],
)
def test_report_credited_to_a_medium(lead, expected):
    assert credited_source_from_body("\n\n".join([lead, *BODY])) == expected


def test_telling_a_person_is_not_a_credited_source():
    text = "\n\n".join(
        [
            "The council met envoy Marta Lindqvist on Monday.",
            "Mayor Ortiz told Lindqvist that the ferry would run twice a day.",
            *BODY,
        ]
    )
    assert credited_source_from_body(text) is None


@pytest.mark.parametrize(
    "lead, expected",
    [
        ("The mayor told the Island Gazette newspaper. The Velden Ferry Company said nothing.", "Island Gazette"),
        ("The ferry will run twice a day, according to Radio Velden. The council said nothing.", "Radio Velden"),
        ("The mayor told Radio Velden. Officials said nothing.", "Radio Velden"),
        ("The mayor told Radio Velden 1 on Monday that the ferry would run.", "Radio Velden 1"),
        ("The ferry will run twice a day, according to Radio Velden 2.", "Radio Velden 2"),
        ("Source: Island Gazette. Additional material from the council.", "Island Gazette"),
    ],
)
def test_credited_source_ends_with_its_sentence(lead, expected):
    assert credited_source_from_body("\n\n".join([lead, *BODY])) == expected


def test_an_outlet_quoting_itself_is_not_its_own_credited_source():
    assert credits_itself("Gazette", "The Velden Gazette")
    assert credits_itself("the Velden Gazette", "The Velden Gazette")
    assert not credits_itself("Island Gazette", "The Velden Gazette")
    assert not credits_itself("Radio Velden", None)
    assert credits_itself("VCR", "Velden Community Radio") and not credits_itself("VCR", "The Velden Courier")


def test_no_credit_when_the_page_gives_none():
    assert meta().credited_source is None


# --- outlet -------------------------------------------------------------------------------------


def test_site_name_heading_the_page_and_repeated_in_the_footer():
    header = ["The Velden Courier", "  • News", "  • Politics", "Politics"]
    footer = ["Politics", "The Velden Courier", "About us"]
    assert meta(header=header, footer=footer).outlet == "The Velden Courier"


def test_section_names_and_menu_entries_are_not_outlets():
    header = ["  • Home", "  • Politics", "Politics"]
    assert meta(header=header, footer=["Politics", "Home"]).outlet is None


def test_copyright_footer_names_the_outlet_the_page_names_elsewhere():
    footer = ["About Island Gazette", "© 2025 Island Gazette. All rights reserved."]
    assert meta(footer=footer).outlet == "Island Gazette"


def test_copyright_of_a_media_group_alone_is_not_the_outlet():
    footer = ["A Harbour Media Group site", "© 2025 Harbour Media Group. All rights reserved."]
    assert meta(footer=footer).outlet is None
    assert meta(footer=["Copyright 2025 Velden Courier"]).outlet is None  # named nowhere else


def test_publisher_named_after_the_site_gives_the_site_name():
    # "The Velden Courier" heads the page; its footer names the publishing company only
    footer = ["© 2026 Velden Courier Publishing Ltd. All rights reserved."]
    assert meta(header=["The Velden Courier", "  • News"], footer=footer).outlet == "The Velden Courier"


@pytest.mark.parametrize("name", ["velden-courier.example", "www.velden-courier.example", "192.0.2.7", "192.0.2.7:8080", "localhost"])
def test_a_bare_address_is_no_outlet(name):
    assert is_bare_address(name)


@pytest.mark.parametrize("name", ["Velden.info", "The Velden Courier", "VRT"])
def test_names_are_not_addresses(name):
    assert not is_bare_address(name)


def test_photo_credits_are_not_copyright_lines():
    assert meta(header=["© Jane Doe", "About Jane Doe"], footer=["Jane Doe"]).outlet is None


def test_subscription_advert_names_the_outlet():
    assert meta(footer=["Ad for subscribing to The Northern Ledger", "bottom of page"]).outlet == "The Northern Ledger"


def test_quoted_name_the_site_uses_for_itself():
    footer = ['"Harbour Watch" is looking for local reporters. We offer flexible terms and our readers are loyal.']
    assert meta(footer=footer).outlet == "Harbour Watch"


def test_self_description_kept_in_the_body_before_a_cookie_notice_names_the_outlet():
    body = [*BODY, '"Harbour Watch" is looking for local reporters. We offer flexible terms.',
            "This site uses cookies. By clicking accept you agree to their use."]
    assert meta(body=body).outlet == "Harbour Watch"
    quoted_inside = [*BODY, 'Locals call the pier "Old Harbour" and say we should keep it.']
    assert meta(body=quoted_inside).outlet is None  # a quoted name inside the line is not a self-description


def test_self_description_left_out_between_body_paragraphs_names_the_outlet():
    lines, title_index, body_indices = page(body=[*BODY, '"Harbour Watch" is looking for local reporters. We offer '
                                                  "flexible terms.", "Ferry fares to rise in May"])
    body_indices = body_indices[:3] + body_indices[4:]  # the extractor kept a last line, not the description
    assert text_metadata(lines, title_index, body_indices).outlet == "Harbour Watch"


def test_no_outlet_when_the_page_never_names_itself():
    footer = ["Previous Article", "Ferry Strike Ends After Two Weeks", "Next Article", "Get a summary"]
    assert meta(header=["top of page"], footer=footer).outlet is None


# --- hash ---------------------------------------------------------------------------------------


def test_body_hash_ignores_case_and_wrapping():
    assert normalised_body_hash("The Ferry  runs\n\ntwice a day.") == normalised_body_hash(
        "the ferry runs twice a DAY."
    )
    assert normalised_body_hash("The ferry runs.") != normalised_body_hash("The ferry stops.")


# --- seeds (reported data: read, never copied) ----------------------------------------------------------


def test_seed_pages_with_gold_title_and_body_lines():
    gold_path = shared_path("seeds", "gold.json")
    documents = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    credited = 0
    for doc in documents:
        lines = (gold_path.parent / "pages" / f"{doc['id']}.txt").read_text(encoding="utf-8").split("\n")
        found = text_metadata(lines, doc["title_line"] - 1, [i - 1 for i in doc["body_lines"]])
        assert found.outlet == doc["outlet"], doc["id"]
        assert found.published == doc["published"], doc["id"]
        credited += found.credited_source == doc["credited_source"]
    assert credited >= 4


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(max_size=80), max_size=25),
    st.one_of(st.none(), st.integers(-2, 30)),
    st.lists(st.integers(-2, 30), max_size=10),
)
def test_any_page_layout_gives_metadata_or_none(lines, title_index, body_indices):
    found = text_metadata(lines, title_index, body_indices)
    assert isinstance(found, TextMetadata)
    for value in (found.outlet, found.author, found.credited_source):
        assert value is None or (value.strip() and "\n" not in value)


def test_out_of_range_title_index_reads_like_no_title():
    lines, _, body_indices = page(header=["The Velden Courier"], byline=["By Jane Doe"], footer=["The Velden Courier"])
    untitled = text_metadata(lines, None, body_indices)
    assert untitled.author == "Jane Doe"
    assert text_metadata(lines, -1, body_indices) == untitled
    assert text_metadata(lines, len(lines) + 3, body_indices) == untitled


def test_date_near_the_headline_wins_over_comment_dates_below():
    footer = ["Comments", "Posted on 20 Oct 2021 by a reader"]
    assert meta(byline=["14 Oct 2021"], footer=footer).published == "2021-10-14"
    assert meta(footer=["Published 14 Oct 2021"]).published == "2021-10-14"
    far = ["Related", "One", "Two", "Three", "Four", "Posted 20 Oct 2021"]
    assert meta(footer=far).published is None


@pytest.mark.parametrize("pattern, words", [(_SUBSCRIPTION_WORD, ["subscri"]), (_COPYRIGHT_MARK, ["copyright", "(c)", "©"])])
def test_spelled_out_key_words_match_what_ignorecase_matches(pattern, words):
    for word in words:
        for position, letter in enumerate(word):
            cased = {chr(c) for c in range(0x10000) if re.fullmatch(f"(?i){re.escape(letter)}", chr(c))}
            written = {chr(c) for c in range(0x10000) if pattern.fullmatch(word[:position] + chr(c) + word[position + 1:])}
            assert written == cased, (word, position)


@pytest.mark.parametrize(("line", "name"), [
    ("By Ann Lee | 3 May 2024", "Ann Lee"),
    ("Autoren Jelko Brandt und Jutta Kiel", "Jelko Brandt und Jutta Kiel"),
    ("Redaktion: Eva Fuhrmann (Pressesprecherin)", "Eva Fuhrmann"),
    ("---- by Kenneth Sorrel", "Kenneth Sorrel"),
    ("By the way, we were there", None),
    ("Text about the ferry", None),
])
def test_written_byline(line, name):
    assert written_byline(line) == name


@pytest.mark.parametrize(("line", "name"), [
    ("Posted on 21 July 2019 by harbourfan", "harbourfan"),
    ("Veröffentlicht am 13. März 2019 von Marta Lindqvist", "Marta Lindqvist"),
    ("Geschrieben von Jonas am 25.08.2015 22:30", "Jonas"),
    ("Published by the ministry on Monday", None),
])
def test_a_blog_post_line_names_its_author(line, name):
    assert written_byline(line) == name


def test_a_post_line_closing_the_article_is_the_byline_but_prose_is_not():
    assert meta(footer=["Posted on 21 July 2019 by harbourfan"]).author == "harbourfan"
    assert meta(footer=["Die Kosten trugen die Fährgesellschaften von Velden und Norrby."]).author is None


def test_dates_from_an_opening_date_line_or_from_the_address():
    assert meta(body=["Dienstag, 5. März 2024", *BODY]).published == "2024-03-05"
    lines, title, body = page()
    assert text_metadata(lines, title, body, "https://blog.example/2024/03/05/ferry/").published == "2024-03-05"
    assert text_metadata(lines, title, body, "https://blog.example/2024/ferry-2019-03/").published is None


def test_date_line_further_from_the_headline_dates_the_article_but_comments_do_not():
    header = ["Velden Courier", "Wednesday, 4 June 2025 09:10", *[f"Menu entry {k}" for k in range(20)]]
    assert meta(header=header).published == "2025-06-04T09:10"
    between = [*BODY[:1], "Erscheinungsdatum: 04.06.2025, Redaktion Velden", *BODY[1:]]
    assert meta(body=[*BODY, *BODY, *BODY], footer=["Comments", "Ann", "4 June 2025"]).published is None
    lines, title, body = page(body=between)
    assert text_metadata(lines, title, [i for i in body if "Erscheinungsdatum" not in lines[i]]).published \
        == "2025-06-04"


@pytest.mark.parametrize(("line", "name"), [
    ("25.10.2022 - Mirela Hovland", "Mirela Hovland"),
    ("30. Oktober 2023 Tomas Brekke Kultur", "Tomas Brekke"),  # the section after the name is left out
    ("12.05.2021 um 16:14 Uhr - Ilse Varga - 12 Kommentare", "Ilse Varga"),
    ("Posted 11. April 2018 by Oskar von Lerin", "Oskar von Lerin"),
    ("Harbour notes | By Cara Lindqvist | April 13, 2020", "Cara Lindqvist"),
    ("Velden  -  Mittwoch, 02.02.2022, 11:17 Uhr", None),  # one word beside a date: a place as often
    ("Mi, 18. Oktober 2023 um 12:50 Uhr", None),
    ("Mirela Hovland opened the harbour", None),  # no date: not a post line
])
def test_a_dated_post_line_names_its_writer(line, name):
    assert dated_byline(line) == name


def test_dated_post_line_under_the_headline_is_the_byline():
    assert meta(byline=["21. Jan 2022 // Tomas Brekke"]).author == "Tomas Brekke"


@pytest.mark.parametrize(("written", "name"), [
    ("Mirela Hovland, Online-Redaktion", "Mirela Hovland"),
    ("Tomas Brekke Education editor", "Tomas Brekke"),
    ("Ilse Varga Autorin", "Ilse Varga"),
    ("Oskar K. Lerin Staff Writer", "Oskar K. Lerin"),
    ("Cara Lindqvist", "Cara Lindqvist"),
])
def test_roles_after_a_name_are_left_out(written, name):
    assert without_role(written) == name


def test_masthead_repeated_in_other_capitals_or_through_its_publisher():
    assert meta(header=["HARBOURLINE", "Home"], footer=["© 2024 Harbourline Media. All rights reserved."]).outlet \
        == "Harbourline"
    assert meta(header=["Velden Coast Online"], footer=["Copyright 2024 Velden Coast Media"]).outlet \
        == "Velden Coast Online"
    assert meta(header=["VCR", "Velden Community Radio"], footer=["© VCR — Velden Community Radio, 2024"]).outlet \
        == "Velden Community Radio"


@pytest.mark.parametrize(("line", "name"), [
    ("05.03.2024 - Redaktion: Marta Lindqvist (Pressesprecherin)", "Marta Lindqvist"),
    ("Von Marta Lindqvist Mi, 6. März 2024 um 12:50 Uhr", "Marta Lindqvist"),
    ("By Marta Lindqvist Sun, 3 March 2024", "Marta Lindqvist"),
])
def test_written_byline_after_a_date_and_before_a_weekday(line, name):
    assert written_byline(line) == name


@pytest.mark.parametrize(
    "written, names",
    [
        ("By Marta Lindqvist, Staff Writer | Photo: Jon Berg", "Marta Lindqvist"),
        ("Marta Lindqvist, Harbour Reporter", "Marta Lindqvist"),
        ("Marta Lindqvist and agencies", "Marta Lindqvist"),
        ("Marta Lindqvist and Jon Berg", "Marta Lindqvist and Jon Berg"),
        ("Marta Lindqvist | Jon Berg", "Marta Lindqvist; Jon Berg"),
        ("Marta Lindqvist | 4 March 2026", "Marta Lindqvist"),
        ("Marta Lindqvist with additional reporting by Jon Berg", "Marta Lindqvist"),
        ("Reporting by Marta Lindqvist; Editing by Jon Berg", "Marta Lindqvist"),
        ("Desk Editor", "Desk Editor"),  # all the page says of its writer
        ("The Courier Desk", "The Courier Desk"),
        ("Lindqvist, Marta", "Marta Lindqvist"),  # surname first: one writer
        ("Lindqvist; Marta", "Marta Lindqvist"),  # as trafilatura splits it
        ("By Lindqvist, Marta, Staff Writer", "Marta Lindqvist"),
        ("Lindqvist, Marta; Berg, Jon", "Marta Lindqvist; Jon Berg"),
        ("VCR, Lindqvist", "VCR, Lindqvist"),  # an acronym is no given name
    ],
)
def test_byline_names_only_the_writers(written, names):
    assert byline_names(written) == names


@pytest.mark.parametrize(("line", "author"), [
    ("Renée Dahlquist and Tomas Brekke", "Renée Dahlquist and Tomas Brekke"),
    ("Marta Lindqvist, Jon Berg & Ivo Tamm", "Marta Lindqvist, Jon Berg & Ivo Tamm"),
    ("Marta Lindqvist", None),  # one name alone: as often a place or a section
    ("Port Aldane and Mirren Bay", None),
    ("Harbour Radio and Velden News", None),
])
def test_a_line_of_names_alone_under_the_headline_is_the_byline(line, author):
    assert meta(byline=[line]).author == author
