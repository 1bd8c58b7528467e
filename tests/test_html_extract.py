"""HTML extraction on fictional pages."""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.html import document_fromstring

from presswatch.errors import InputError
from presswatch.extract import extract
from presswatch.extract.html import extract_html
from presswatch.extract.htmldates import _labelled_date, _microdata_date
from presswatch.extract.slug import address_segments, slug_words
from presswatch.extract.textmeta import normalised_body_hash
from presswatch.records import HTML, Page

PARAGRAPHS = [
    (
        "The harbour council of Velden voted on Tuesday to extend the ferry service to the northern islands, "
        "ending months of complaints from residents who said the single morning crossing left them stranded."
    ),
    (
        "Under the new timetable, boats will leave the harbour at seven in the morning and again at four in the "
        "afternoon, and a third crossing will be added during the summer season when tourists arrive."
    ),
    (
        "The extension will be paid for from the regional transport fund, the council said, and ticket prices "
        "will stay the same for residents who hold an island pass issued by the municipality."
    ),
]


def html_page(
    *,
    h1="Council Extends Ferry Service",
    og_title="Council Extends Ferry Service | The Velden Courier",
    site_name="The Velden Courier",
    byline="By Marta H. Lindqvist, The Velden Courier",
    meta_author="Marta H. Lindqvist",
    published="2024-03-05T09:30:00+01:00",
    paragraphs=PARAGRAPHS,
):
    head = [f"<title>{og_title}</title>"]
    if og_title:
        head.append(f'<meta property="og:title" content="{og_title}">')
    if site_name:
        head.append(f'<meta property="og:site_name" content="{site_name}">')
    if meta_author:
        head.append(f'<meta name="author" content="{meta_author}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    byline_html = f'<p class="byline">{byline}</p>' if byline else ""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{''.join(head)}</head><body>"
        "<header><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></header>"
        f"<main><article><h1>{h1}</h1>{byline_html}{body}</article></main>"
        "<footer><p>Contact us · Privacy policy · Terms</p></footer></body></html>"
    )


def page(html=None, url="https://courier.example.org/2024/03/ferry", **hints):
    return Page.make("test", HTML, html or html_page(), url=url, hints=hints)


def test_body_is_the_article_paragraphs():
    article = extract_html(page())
    assert article.paragraphs == tuple(PARAGRAPHS)
    assert article.body == "\n\n".join(PARAGRAPHS)
    assert "Privacy policy" not in article.body and "Sport" not in article.body
    assert article.body_hash == normalised_body_hash(article.body)
    assert article.id == article.page_id == page().id
    assert article.url == "https://courier.example.org/2024/03/ferry"


def test_title_is_the_visible_headline_not_the_title_tag_with_site_name():
    assert extract_html(page()).title == "Council Extends Ferry Service"


def test_title_tag_without_headline_loses_the_site_name():
    html = html_page(h1="")
    assert extract_html(page(html)).title == "Council Extends Ferry Service"


def test_metadata_fields():
    article = extract_html(page())
    assert article.outlet == "The Velden Courier"
    assert article.published == "2024-03-05"
    assert article.language == "en" and article.language_flag is None


def test_author_as_the_page_writes_it_without_the_outlet():
    assert extract_html(page(html_page(meta_author=None))).author == "Marta H. Lindqvist"
    assert extract_html(page()).author == "Marta H. Lindqvist"


def test_an_address_is_never_the_outlet():
    html = html_page(site_name=None, og_title=None)
    assert extract_html(page(html)).outlet is None
    # a declared name that is only the address gives way to the name the <title> shows
    assert extract_html(page(html_page(site_name="courier.example.org"))).outlet == "The Velden Courier"
    ip_named = html_page(site_name="127.0.0.1", og_title="Council Extends Ferry Service")
    assert extract_html(page(ip_named, url="http://127.0.0.1:8080/a")).outlet is None


@pytest.mark.parametrize(("change", "outlet"), [
    # the <title>'s part that is not the headline, whatever the separator
    (("<title>Council Extends Ferry Service</title>", "<title>Council Extends Ferry Service -- Velden Courier</title>"),
     "Velden Courier"),
    # the copyright line, the holder before or after the mark
    (("Contact us", "© 2024 The Velden Courier. All rights reserved. Contact us"), "The Velden Courier"),
    (("Contact us", "Velden Courier © 2024. Contact us"), "Velden Courier"),
    # the logo, an acronym spelled out beside it
    (("<header>", '<header><div class="brand">VCR <span>Velden Community Radio</span></div>'),
     "Velden Community Radio"),
    # a publisher named after the site gives way to the name the <title> shows
    (("<title>Council Extends Ferry Service</title>", "<title>Council Extends Ferry Service | The Velden Courier</title>"),
     "The Velden Courier"),
])
def test_outlet_from_what_the_page_shows(change, outlet):
    html = html_page(site_name=None, og_title="Council Extends Ferry Service").replace(*change)
    html = html.replace("Contact us ·", "© 2026 Velden Courier Publishing · Contact us ·") if "| The Velden" in change[1] else html
    assert extract_html(page(html)).outlet == outlet


def test_feed_outlet_hint_when_the_page_declares_no_site_name():
    assert extract_html(page(html_page(site_name=None), outlet="Velden Courier Feed")).outlet == "Velden Courier Feed"
    assert extract_html(page(outlet="Velden Courier Feed")).outlet == "The Velden Courier"


def test_feed_hints_win_over_guesses():
    article = extract_html(
        page(title="Ferry Service Extended", published="Tue, 05 Mar 2024 18:00:00 GMT", author="Desk Editor")
    )
    assert (article.title, article.published, article.author) == (
        "Ferry Service Extended",
        "2024-03-05T18:00:00",
        "Desk Editor",
    )


def test_a_bare_domain_declared_as_the_site_name_is_no_outlet():
    html = html_page(site_name="velden-courier.example", og_title="Council Extends Ferry Service")
    assert extract_html(page(html, url=None)).outlet is None


def test_the_byline_gives_the_writer_only_and_date_lines_leave_the_body():
    paragraphs = ["Updated 3 hours ago", "Published 4 March 2026, 10:12", *PARAGRAPHS]
    html = html_page(byline="By Marta Lindqvist, Staff Writer | Photo: Jon Berg", meta_author=None, paragraphs=paragraphs)
    article = extract_html(page(html))
    assert article.author == "Marta Lindqvist"
    assert article.paragraphs == tuple(PARAGRAPHS)


def test_an_outlet_quoting_itself_credits_no_source():
    lead = PARAGRAPHS[0] + " Ferry crews told the Courier they welcomed the change."
    article = extract_html(page(html_page(paragraphs=[lead, *PARAGRAPHS[1:]])))
    assert article.outlet == "The Velden Courier" and article.credited_source is None


def test_credited_source_read_from_the_body():
    lead = "VELDEN (Harbourwire) - " + PARAGRAPHS[0]
    article = extract_html(page(html_page(paragraphs=[lead, *PARAGRAPHS[1:]])))
    assert article.credited_source == "Harbourwire"


def test_non_english_article_is_flagged_for_nlp():
    german = [
        (
            "Der Hafenrat von Velden hat am Dienstag beschlossen, den Fährbetrieb zu den nördlichen Inseln "
            "auszuweiten, nachdem sich die Bewohner monatelang über die einzige Morgenverbindung beschwert hatten."
        ),
        "Nach dem neuen Fahrplan legen die Boote um sieben Uhr morgens und um vier Uhr nachmittags ab.",
    ]
    article = extract_html(page(html_page(paragraphs=german)))
    assert (article.language, article.language_flag) == ("de", "unsupported: de")


def test_json_ld_author_list_is_joined_as_displayed():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "author": [{"@type": "Person", "name": "Anna Karlsson"}, {"@type": "Person", "name": "Tomas Berg"}],
    }
    html = html_page(meta_author=None, byline=None).replace(
        "</head>", f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
    )
    assert extract_html(page(html)).author == "Anna Karlsson, Tomas Berg"


def test_page_without_article_text_is_refused():
    with pytest.raises(InputError):
        extract(page("<html><head><title>x</title></head><body><div> </div></body></html>"))


def test_headline_kicker_is_not_part_of_the_title():
    html = html_page(
        h1='<span class="article-kicker">Transport</span><span class="sr-only">: </span>Council Extends Ferry Service'
    )
    article = extract_html(page(html))
    assert article.title == "Council Extends Ferry Service"
    assert not article.body.startswith("Transport")


def test_blog_logo_heading_is_not_the_title():
    html = html_page(h1="Ferry Notes", og_title="Council Extends Ferry Service | Ferry Notes", site_name="Ferry Notes")
    html = html.replace(
        "<h1>Ferry Notes</h1>",
        '<h1><a href="/">Ferry Notes</a></h1><h2 class="entry-title">Council Extends Ferry Service</h2>',
    )
    assert extract_html(page(html)).title == "Council Extends Ferry Service"


def test_byline_inside_the_article_wins_over_comment_authors():
    comments = '<div class="comments"><p class="author">Troll Account</p><p>First!</p></div>'
    html = html_page(meta_author=None).replace("</article>", f"</article>{comments}")
    assert extract_html(page(html)).author == "Marta H. Lindqvist"


def test_meta_author_naming_the_site_gives_way_to_the_byline():
    html = html_page(meta_author="The Velden Courier", byline="View all posts by Anna Karlsson")
    assert extract_html(page(html)).author == "Anna Karlsson"


def test_site_signature_kept_when_no_person_is_named():
    html = html_page(meta_author="The Velden Courier", byline=None)
    assert extract_html(page(html)).author == "The Velden Courier"


def test_author_field_holding_a_date_is_not_an_author():
    html = html_page(meta_author="March 5, 2024", byline="By Anna Karlsson")
    assert extract_html(page(html)).author == "Anna Karlsson"


@pytest.mark.parametrize("name", ["Diana Berg", "Byron Vale", "Vonda Marsh"])
def test_names_starting_like_a_byline_label_are_kept_whole(name):
    assert extract_html(page(html_page(meta_author=name, byline=f"By {name}"))).author == name


def test_a_tag_list_is_not_a_byline():
    html = html_page(meta_author=None, byline=None).replace(
        "<h1>", '<p class="author-tags">Ferries, Islands, Transport, Council, Budget</p><h1>'
    )
    assert extract_html(page(html)).author is None


OLD_STYLE_PAGE = """<html><head><title>Velden Evening Star · Ferry crews rescue two anglers off the north pier</title></head>
<body><table width="100%"><tr><td><a href="/"><img src="/logo.gif" alt="Velden Evening Star"></a></td>
<td>Tuesday, 5 March 2024</td></tr></table>
<table><tr><td class="menu"><ul><li><a href="/">Front page</a></li><li><a href="/town">Town</a></li>
<li><a href="/sport">Sport</a></li></ul>
<p class="ad">ADVERTISEMENT<br>Lindqvist's Pier Bakery, fresh bread from 5am.</p></td>
<td class="main"><h2>Ferry crews rescue two anglers off the north pier in a sudden squall</h2>
<p>by Petra Aalund</p>
""" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + """
</td></tr></table><p>© 2024 Velden Evening Star</p></body></html>"""


def test_a_page_laid_out_with_tables_keeps_its_article_apart_from_the_menu_cell():
    article = extract(Page.make("star.html", HTML, OLD_STYLE_PAGE))
    assert article.paragraphs[-3:] == tuple(PARAGRAPHS)
    assert "Bakery" not in article.body and "Front page" not in article.body


def test_the_headline_of_a_page_without_h1_is_its_h2_and_the_logo_names_the_site():
    article = extract(Page.make("star.html", HTML, OLD_STYLE_PAGE))
    assert article.title == "Ferry crews rescue two anglers off the north pier in a sudden squall"
    assert article.outlet == "Velden Evening Star"


def test_data_tables_stay_tables():
    rows = "".join(f"<tr><td>Pier {i}</td><td>{i * 3} boats</td></tr>" for i in range(1, 5))
    page = html_page(paragraphs=[*PARAGRAPHS, f"</p><table>{rows}</table><p>{PARAGRAPHS[0]}"])
    article = extract(Page.make("tables.html", HTML, page))
    assert any("Pier 2" in p and "|" in p for p in article.paragraphs)


def test_links_with_odd_addresses_do_not_stop_extraction():
    odd = '<a href="http://:80/">x</a><a href="http://[::1">y</a><a href="/">The Velden Courier</a>'
    page = html_page().replace("<body>", "<body>" + odd, 1)
    article = extract(Page.make("odd.html", HTML, page, url="https://courier.example/pier"))
    assert article.title == "Council Extends Ferry Service"


def test_the_date_shown_by_the_headline_wins_over_metadata_that_the_page_does_not_show():
    updated = html_page(byline="By Marta H. Lindqvist").replace(
        "<p class='byline'>", "").replace('<p class="byline">', '<p class="dateline">Updated 12 March 2024</p><p class="byline">')
    assert extract_html(page(updated)).published == "2024-03-12"
    # the metadata's day shown anywhere by the headline keeps it: the other date is the update
    both = updated.replace("Updated 12 March 2024", "5 March 2024, updated 12 March 2024")
    assert extract_html(page(both)).published == "2024-03-05"


@pytest.mark.parametrize("line", ["Von Marta Lindqvist", "Text: Marta Lindqvist", "06.03.2024 10:20 von Marta Lindqvist"])
def test_a_byline_written_as_a_plain_line_is_the_author(line):
    html = html_page(meta_author=None, byline=None).replace("<h1>", f"<div><em>{line}</em></div><h1>")
    assert extract_html(page(html)).author == "Marta Lindqvist"


def test_a_sentence_opening_with_a_particle_is_not_a_byline():
    html = html_page(meta_author=None, byline=None).replace("<h1>", "<p>Von der Leyen sagt nein</p><h1>")
    assert extract_html(page(html)).author is None


@pytest.mark.parametrize("line", ["06.03.2024 - Marta Lindqvist", "Posted 6. March 2024 by Marta Lindqvist",
                                  "Harbour | By Marta Lindqvist, Online-Redaktion | 6 March 2024"])
def test_a_dated_post_line_names_the_author(line):
    html = html_page(meta_author=None, byline=None).replace("<h1>", f"<div><span>{line}</span></div><h1>")
    assert extract_html(page(html)).author == "Marta Lindqvist"


@pytest.mark.parametrize("line", ["Kommentar von Aus dem Hafen | 07.03.24 um 10:25", "Donnerstag, 7. März 2024 Kontakt Impressum"])
def test_comment_and_menu_lines_with_a_date_name_no_author(line):
    html = html_page(meta_author=None, byline=None).replace("<h1>", f"<div><span>{line}</span></div><h1>")
    assert extract_html(page(html)).author is None


@pytest.mark.parametrize("label", ["Ann Berg sagt:", "Name (erforderlich)"])
def test_comment_and_form_labels_are_not_authors(label):
    html = html_page(meta_author=None, byline=None).replace("<h1>", f'<div class="author">{label}</div><h1>')
    assert extract_html(page(html)).author is None


def test_a_section_heading_gives_way_to_the_title_the_address_spells():
    html = html_page(h1="Aktuelles", og_title="Council extends ferry service to the islands")
    html = html.replace("<h1>Aktuelles</h1>", "<h1>Aktuelles</h1><h2>Council extends ferry service to the islands</h2>")
    url = "https://courier.example.org/aktuelles/council-extends-ferry-service-to-the-islands"
    assert extract_html(page(html, url=url)).title == "Council extends ferry service to the islands"
    # a headline sharing words with the address is kept, though the address says more or other
    kept = html_page(h1="Council Extends Ferry Service")
    assert extract_html(page(kept, url="https://courier.example.org/ferry-service-extended-after-vote")).title \
        == "Council Extends Ferry Service"


def test_a_headline_an_address_segment_above_the_slug_spells_is_kept():
    # a gallery page of the article: its slug names the picture, the segment above it the article
    html = html_page(og_title="Council Extends Ferry Service - A crowded pier at dawn")
    html = html.replace("</h1>", "</h1><h2>A crowded pier at dawn</h2>")
    url = "https://courier.example.org/news/council-extends-ferry-service/a-crowded-pier-at-dawn/gallery/1234.cms"
    assert extract_html(page(html, url=url)).title == "Council Extends Ferry Service"
    # with only the picture's segment in the address, the heading it spells is taken
    picture = "https://courier.example.org/news/a-crowded-pier-at-dawn/gallery/1234.cms"
    assert extract_html(page(html, url=picture)).title == "A crowded pier at dawn"


@given(st.lists(st.text(alphabet="abcdefghij-/%.", max_size=20), max_size=6))
def test_the_slug_is_the_last_of_the_address_segments(parts):
    url = "https://courier.example.org/" + "/".join(parts)
    segments = list(address_segments(url))
    assert slug_words(url) == (segments[0] if segments else frozenset())
    assert all(len(words) >= 2 for words in segments)


def test_a_hidden_navigation_heading_is_not_the_headline():
    html = html_page(og_title="").replace(
        "<header>", '<header><h1 class="navSkip">Navigation und Service</h1>', 1)
    assert extract_html(page(html)).title == "Council Extends Ferry Service"


def test_markup_inside_the_headline_adds_no_space_before_punctuation():
    html = html_page(h1='Ferries in <abbr title="Velden">VLD</abbr>: past, present and future',
                     og_title="Ferries in VLD: past, present and future")
    assert extract_html(page(html)).title == "Ferries in VLD: past, present and future"


def test_the_site_name_the_address_spells_is_not_taken_into_the_title():
    html = html_page(h1="Harbour 2.0", og_title="Harbour 2.0 | Velden Courier", site_name="Velden Courier")
    url = "https://velden-courier.example.org/velden-courier-harbour-2-0/"
    assert extract_html(page(html, url=url)).title == "Harbour 2.0"


def test_a_declared_title_is_read_without_the_sections_another_one_adds():
    html = html_page(h1="", og_title="Is the night ferry still running ? | Ferries | Forum | Velden Courier")
    html = html.replace('<meta property="og:title"',
                        '<meta name="twitter:title" content="Is the night ferry still running ?"><meta property="og:title"')
    assert extract_html(page(html)).title == "Is the night ferry still running ?"


def test_the_microdata_publication_date_wins_over_a_generic_meta_date():
    html = html_page(published=None).replace(
        "<head>", '<head><meta name="date" content="2024-03-11">', 1).replace(
        '<p class="byline">', '<p><time itemprop="datePublished" datetime="2024-03-05">05.03.2024</time></p><p class="byline">')
    assert extract_html(page(html)).published == "2024-03-05"
    # teasers' microdata stating several days says nothing of this article
    listing = html.replace("</article>", '<time itemprop="datePublished" datetime="2024-02-01">1.2.2024</time></article>')
    assert _microdata_date(document_fromstring(listing)) is None
    assert _microdata_date(document_fromstring(html)) == "2024-03-05"


def test_a_date_line_carrying_the_byline_dates_the_article_below_an_empty_header_heading():
    html = html_page(meta_author=None, byline=None).replace(
        "<header>", "<header><h1></h1>", 1).replace(
        "<h1>Council", '<div class="news-timedata">05.03.2024 - Redaktion: Marta Lindqvist (Pressesprecherin)</div><h1>Council')
    html = html.replace("<head>", '<head><meta name="date" content="2024-03-11">', 1)
    article = extract_html(page(html))
    assert article.published == "2024-03-05"
    assert article.author == "Marta Lindqvist"


def test_the_weekday_before_the_date_is_not_part_of_the_name():
    html = html_page(meta_author=None, byline=None).replace(
        "<h1>", "<div><span>Von Marta Lindqvist Mi, 6. März 2024 um 12:50 Uhr</span></div><h1>")
    assert extract_html(page(html)).author == "Marta Lindqvist"


def test_a_first_name_byline_is_completed_from_the_author_box_but_not_from_comments():
    box = '<div class="author-box"><p class="author-bio">Marta Lindqvist - harbour reporter since 2010</p></div>'
    html = html_page(meta_author=None, byline="By Marta").replace("</article>", box + "</article>")
    assert extract_html(page(html)).author == "Marta Lindqvist"
    reply = '<div class="comment-author">Marta Thanks Ann, the boats run until May.</div>'
    html = html_page(meta_author=None, byline="By Marta").replace("</article>", reply + "</article>")
    assert extract_html(page(html)).author == "Marta"


def test_the_update_date_the_page_shows_wins_when_the_publication_date_is_nowhere_shown():
    html = html_page().replace(
        "<head>", '<head><meta property="article:modified_time" content="2024-03-12T08:00:00+01:00">', 1).replace(
        "</article>", "<p class='note'>Stand: 12. März 2024</p></article>")
    assert extract_html(page(html)).published[:10] == "2024-03-12"
    shown = html.replace("</article>", "<p class='note'>Erschienen am 5. März 2024</p></article>")
    assert extract_html(page(shown)).published == "2024-03-05"



def test_a_publication_date_labelled_by_the_headline_wins_over_a_generic_meta_date():
    # the generic "date" meta tag holds the day the page was built; no date line stands by the headline
    built = html_page(published=None).replace("<head>", '<head><meta name="date" content="2024-03-11">', 1)
    labelled = built.replace('<p class="byline">', '<span class="label">Erschienen am:</span><h2>05.03.2024</h2>'
                             '<p class="byline">')
    assert extract_html(page(built)).published[:10] == "2024-03-11"
    assert extract_html(page(labelled)).published == "2024-03-05"
    # a listing labels several days: none of them is this article's
    listing = labelled.replace("</article>", "<p>Published on 1 February 2024</p></article>")
    assert extract_html(page(listing)).published[:10] == "2024-03-11"


@given(st.text(max_size=120))
def test_a_labelled_date_is_one_iso_day_or_none(text):
    found = _labelled_date(text)
    assert found is None or (len(found) >= 10 and found[4] == "-" and found[7] == "-")


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2025, 12, 31)),
       st.sampled_from(["Published:", "Posted on", "Erschienen am", "Datum:", "Publié le"]),
       st.sampled_from([" ", "\n", " \n\n"]))
def test_the_day_after_a_publication_label_is_read(day, label, gap):
    assert _labelled_date(f"Harbour news\n{label}{gap}{day:%d.%m.%Y}\nThe council met.") == day.isoformat()


def test_a_hidden_microdata_date_is_metadata_not_the_date_line_a_reader_sees():
    microdata = ('<div{style} itemscope itemtype="https://schema.org/NewsArticle">'
                 '<time itemprop="datePublished" datetime="2024-03-04T21:10:00+01:00">2024-03-04T21:10:00+01:00</time>'
                 '</div><p class="article-meta">Velden, 05.03.2024</p>')
    html = html_page().replace('<p class="byline">', microdata + '<p class="byline">')
    assert extract_html(page(html.replace("{style}", ' style="display:none"'))).published[:10] == "2024-03-05"
    # shown to the reader, the microdata is the page's own statement and wins
    assert extract_html(page(html.replace("{style}", ""))).published[:10] == "2024-03-04"


def test_the_day_shown_in_the_month_the_address_dates_wins_over_a_date_outside_it():
    archived = html_page(published="2024-03-05T09:30:00+01:00").replace(
        "</article>", "<p>Dieser Eintrag wurde am 12. Juni 2019 um 23:03 Uhr geschrieben.</p></article>")
    address = "https://courier.example.org/2019/06/ferry/"
    assert extract_html(page(archived, url=address)).published == "2019-06-12"
    # two days of that month shown (a calendar, an archive list): no guess
    calendar = archived.replace("</article>", "<p>Next sailing: 19. Juni 2019</p></article>")
    assert extract_html(page(calendar, url=address)).published[:10] == "2024-03-05"
    assert extract_html(page(archived)).published[:10] == "2024-03-05"  # no month in the address

PARSE_CASES = [
    html_page(),
    # a form (lxml.html gives its elements classes of their own; presswatch's parser does not)
    html_page().replace("</body>", "<form action='/s'><label>Search <input name='q'></label><select><option>a"
                        "</option></select><textarea>t</textarea></form></body>"),
    # an encoding declaration, which lxml refuses in a str: parsed from its bytes
    '<?xml version="1.0" encoding="utf-8"?>' + html_page(),
    "<!DOCTYPE html><html><body><!-- a comment --><p>Ferry fares stay the same.</p><?pi x?></body></html>",
    "<p>One paragraph with no page around it.</p>",
    "plain words, no markup",
    "<html/><body><p>Self-closing html tag.</p></body>",
    "\x00\x01<html><body><p>Control characters before the page.</p></body></html>",
    # the repairs presswatch leaves to trafilatura's function when a page needs them
    html_page().replace("</p>", "\ufffe</p>", 1),
    html_page().replace("<!DOCTYPE html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n', 1),
    html_page().replace("<!DOCTYPE html>", "<!DOCTYPE html>\n", 1),  # none needed: the page as it is
    "<!doctype html>\n<html lang='en'/>\n<body><p>Self-closing html tag on the second line.</p></body>",
]


@pytest.mark.parametrize("content", PARSE_CASES)
def test_pages_are_parsed_into_the_tree_trafilaturas_loader_makes(content):
    from lxml.etree import Element, tostring
    from trafilatura.utils import load_html

    from presswatch.extract.html import _loaded

    expected, parsed = load_html(content), _loaded(content)
    assert (parsed is None) == (expected is None)
    if expected is not None:
        assert tostring(parsed, encoding="unicode") == tostring(expected, encoding="unicode")
        # one element class for all (lxml.html's form classes are not chosen), presswatch's own
        assert {type(element).__name__ for element in parsed.iter(Element)} == {"_PageElement"}


@given(st.text(alphabet=st.sampled_from(list("<>/= \"'ap!-?&;x\n\x00é")), max_size=80))
def test_any_text_parses_as_trafilaturas_loader_parses_it(content):
    from lxml.etree import tostring
    from trafilatura.utils import load_html

    from presswatch.extract.html import _loaded

    expected, parsed = load_html(content), _loaded(content)
    assert (parsed is None) == (expected is None)
    if expected is not None:
        assert tostring(parsed, encoding="unicode") == tostring(expected, encoding="unicode")


def test_paragraph_text_xpath_answers_as_libxml2_does():
    """presswatch's elements answer trafilatura's `//p//text()` by another XPath: the same text
    nodes, in the same order, whatever the markup around and inside the paragraphs."""
    from lxml.html import HtmlElement

    from presswatch.extract.html import _loaded

    tree = _loaded("<html><body>lead<div><p>one <b>bold</b> tail<i>it<u>under</u></i>end</p>after p"
                   "<ul><li>not a paragraph</li></ul><section><p>two</p><p></p><p><span> </span>x</p></section>"
                   "</div><p>last<br>line</p>outside</body></html>")
    nested = tree.xpath("//section/p")[2]
    nested.append(tree.makeelement("p"))  # a paragraph inside a paragraph, which only code makes
    nested[-1].text, nested[-1].tail = "inner", "inner tail"
    for context in (tree, tree.find("body"), nested):
        found, expected = context.xpath("//p//text()"), HtmlElement.xpath(context, "//p//text()")
        assert found == expected
        assert [(text.getparent(), text.is_tail) for text in found] == [
            (text.getparent(), text.is_tail) for text in expected]
    assert len(found) == 13


def test_trafilatura_still_asks_for_paragraph_text_on_the_pages_presswatch_parses(monkeypatch):
    """The linear answer above serves a question trafilatura asks of the copies it makes of the
    page; if an upgrade stops asking it, the element class has no purpose left."""
    from presswatch.extract import html

    asked = []
    linear = html._PARAGRAPH_TEXT_LINEAR
    monkeypatch.setattr(html, "_PARAGRAPH_TEXT_LINEAR", lambda element: asked.append(element) or linear(element))
    assert extract_html(page()).body.startswith("The harbour council")
    assert asked


_SPACE_OR_NOT = st.text(alphabet=" \n\u00a0x", max_size=3)
# Pieces of markup around the word, each near or off the shape the pattern takes.
_MICRODATA_PIECE = st.tuples(
    st.sampled_from(["", "x", "data-", '" ']), st.sampled_from(["itemprop", "temprop", ""]), _SPACE_OR_NOT,
    st.sampled_from(["=", "", "=="]), _SPACE_OR_NOT, st.sampled_from(['"', "'", "", "''"]),
    st.sampled_from(["datePublished", "datepublished", "date"]), st.text(max_size=2),
).map("".join)


@given(st.lists(_MICRODATA_PIECE, max_size=3).map("".join))
def test_microdata_publication_markup_is_found_in_the_source_as_its_pattern_finds_it(source):
    """The source test reads each "datePublished" backwards; it answers as the pattern
    `itemprop\\s*=\\s*["']?datePublished` searched through the whole source does."""
    import re

    from presswatch.extract.htmldates import _writes_microdata_published

    assert _writes_microdata_published(source) == bool(re.search(r"""itemprop\s*=\s*["']?datePublished""", source))
