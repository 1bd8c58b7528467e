"""Kinds of page the bundled examples lack, read as an analyst would read them: a live blog, two
interviews, a government press release, a paywalled article, and `lynx -dump`s of them with the
link list lynx adds (tests/data/analyst/, fiction written for these tests)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from presswatch.extract import extract
from presswatch.extract.lines import split_dump
from presswatch.records import HTML, TEXT, Page

PAGES = Path(__file__).parent / "data" / "analyst"


def article(name: str, **hints: str):
    kind = TEXT if name.endswith(".txt") else HTML
    return extract(Page.make(str(PAGES / name), kind, (PAGES / name).read_text(encoding="utf-8"), hints=hints))


@pytest.mark.parametrize("name", ["ostvale_waterways_press_release.html", "ostvale_waterways_press_release.txt"])
def test_press_release_ends_before_its_notes_to_editors_and_media_contact(name):
    body = article(name).body
    assert '"This is the news our town has waited for.' in body
    assert body.endswith("Construction will begin in October 2026 and is expected to be completed by 2030.")
    for trailer in ("Notes to editors", "National Coastal Resilience Fund", "Media contact", "0300 555", "ENDS"):
        assert trailer not in body


@pytest.mark.parametrize("name", ["brackenmoor_times_council_budget_paywall.html",
                                  "brackenmoor_times_council_budget_paywall.txt"])
def test_paywalled_article_ends_at_its_last_whole_sentence(name):
    found = article(name)
    # the unfinished sentence's clause before its "and" is kept, marked as cut
    assert found.paragraphs[-1] == "Opposition leader Callum Pryce said the administration had ignored warnings for three years…"
    assert "accused the council leader of" not in found.body
    assert "subscri" not in found.body.lower()
    assert (found.title, found.author) == ("Brackenmoor council faces 12 million gap as care costs soar", "Maeve Tolland")


def test_a_sentence_cut_inside_the_last_paragraph_keeps_what_came_before_it():
    from presswatch.extract.boilerplate import without_boilerplate

    kept = without_boilerplate(["The council met on Monday.",
                                "Callum Pryce spoke first. He accused the council leader of ignoring three years of"])
    assert kept == ["The council met on Monday.", "Callum Pryce spoke first."]
    kept = without_boilerplate(["The council met on Monday.", "Callum Pryce spoke first. He said the library budget "
                                "had been cut twice in three years, and that the leader had"])
    assert kept == ["The council met on Monday.", "Callum Pryce spoke first. He said the library budget had been cut "
                    "twice in three years…"]
    # the last of a list's items, unpunctuated like the one before it, is not a cut sentence
    listed = ["Closures announced today", "Mandatory evacuation of the seafront between the pier and the lifeboat station"]
    assert without_boilerplate(listed) == listed


def test_live_blog_keeps_its_entries_and_drops_the_advertisement_between_them():
    found = article("fenwick_herald_storm_live.html")
    assert "Advertisement" not in found.body and "winter tyres" not in found.body
    for said in ("The water was at the windows", "the surge will coincide with high tide", "We have nowhere else to go",
                 "passengers would be refunded in full", "This is not a decision I take lightly"):
        assert said in found.body
    assert (found.outlet, found.author) == ("Fenwick Herald", "Corin Ashdown and Pella Varga")


def test_live_blog_dump_keeps_every_entry_and_none_of_the_chrome_between_them():
    # lynx prints each entry's time, its share links and the advertisement between entries on
    # lines of their own, run together with the entries' text
    found = article("fenwick_herald_storm_live.txt")
    for said in ("The water was at the windows", "No journey is worth that risk today",
                 "the surge will coincide with high tide", "somebody has to keep an eye on the building",
                 "Lotte Brandvik, said passengers would be refunded in full", "This is not a decision I take lightly",
                 "She said buses would run from Marine Parade"):
        assert said in found.body
    for chrome in ("Advertisement", "winter tyres", "Share", "Most read", "Pier restaurant", "cookies"):
        assert chrome not in found.body
    assert not {"13:40", "12:15", "10:50", "09:20", "08:05", "07:05"} & set(found.paragraphs)


def test_press_release_dump_leaves_its_labelled_metadata_out_of_the_text():
    # "From:" and "Published" with their values indented under them (lynx's definition list)
    found = article("ostvale_waterways_press_release.txt")
    assert found.paragraphs[:2] == (
        "New sea walls and a tidal barrier to protect 6,000 homes after Storm Hettie.",
        "The Ministry of Waterways today approved a 220 million plan to rebuild the sea defences of the Fenwick "
        "coast, six days after Storm Hettie flooded more than 300 homes in the town.")
    assert found.published.startswith("2026-03-20")


@pytest.mark.parametrize(("name", "opening"), [
    ("quarry_lane_review_brennan_interview.html", "Torvald Brennan has run Brennan Mills"),
    ("ostvale_waterways_press_release.html", "New sea walls and a tidal barrier"),
])
def test_kicker_and_headline_above_the_text_are_not_body(name, opening):
    assert article(name).body.startswith(opening)


def test_lynx_link_numbers_and_link_list_are_not_the_page():
    found = article("fenwick_herald_storm_live.txt")
    assert "https://" not in found.body and "References" not in found.body and "[" not in found.body
    assert found.author == "Corin Ashdown and Pella Varga"
    assert article("brackenmoor_times_council_budget_paywall.txt").outlet == "The Brackenmoor Times"


@pytest.mark.parametrize("name, outlet", [
    ("fenwick_herald_storm_live.txt", "Fenwick Herald"),  # "[1]Fenwick Herald [2]News [3]Sport …"
    ("quarry_lane_review_brennan_interview.txt", "The Quarry Lane Review"),  # "The" not in the address
])
def test_a_dumps_masthead_is_its_outlet_where_the_address_spells_it(name, outlet):
    # the dumps come from files: the address is the one their links point to most
    assert article(name).outlet == outlet


def test_a_masthead_is_read_against_the_pages_own_address_where_it_has_one():
    from presswatch.extract.textmeta import text_metadata

    lines = ["Harl Gazette Politics Sport", "", "Bridge to open in May", "", "The bridge opens in May, the council said."]
    assert text_metadata(lines, 2, [4], "https://www.harlgazette.example/news/1").outlet == "Harl Gazette"
    # a page that links to a platform more than to itself is not named after the platform
    shared = ["Share on Twitter Facebook", "", "Bridge to open in May", "", "The bridge opens in May."]
    assert text_metadata(shared, 2, [4], "https://www.harlgazette.example/news/1",
                         page_text="https://twitter.com/share https://twitter.com/intent").outlet is None


def test_a_dump_without_an_address_is_not_named_after_the_platforms_it_links_to_most():
    from presswatch.extract.textmeta import text_metadata

    lines = ["Saltmarsh Chronicle News Sport Twitter", "", "Pier to reopen in June", "",
             "The pier reopens in June, the council said."]
    links = ("References\n 1. https://www.saltmarshchronicle.example/\n 2. https://static.saltmarshchronicle.example/logo\n"
             + "".join(f" {k}. https://twitter.com/intent/tweet?u={k}\n" for k in range(3, 8))
             + " 8. https://www.youtube.com/watch?v=1\n 9. https://wa.me/?text=pier\n")
    assert text_metadata(lines, 2, [4], page_text=links).outlet == "Saltmarsh Chronicle"
    # links to platforms alone name no outlet, however often the masthead's words spell one
    only_shared = ["Twitter Facebook", "", "Pier to reopen in June", "", "The pier reopens in June."]
    shares = "".join(f" {k}. https://twitter.com/share?u={k}\n" for k in range(1, 6)) + " 6. https://www.facebook.com/x\n"
    assert text_metadata(only_shared, 2, [4], page_text=shares).outlet is None


def test_a_masthead_is_read_against_a_country_registry_address():
    from presswatch.extract.textmeta import text_metadata

    lines = ["Harl Gazette Politics Sport", "", "Bridge to open in May", "", "The bridge opens in May, the council said."]
    assert text_metadata(lines, 2, [4], "https://news.harlgazette.co.uk/news/1").outlet == "Harl Gazette"
    assert text_metadata(lines, 2, [4], "https://www.harlgazette.com.au/news/1").outlet == "Harl Gazette"


def test_a_numbered_item_wrapped_under_its_marker_is_one_paragraph():
    dump = split_dump("   Notes\n\n    1. The plan will be funded from the National Coastal Resilience Fund,\n"
                      "       created in 2024.\n    2. Photographs are available.\n")
    assert dump.units == [0, 1, 1, 2]


def test_a_feed_entrys_updated_date_does_not_replace_the_pages_publication_date():
    # the feed entry of a live blog is updated all day; the page says when it was published
    assert article("fenwick_herald_storm_live.html", updated="2026-03-15T10:00:00+00:00").published.startswith("2026-03-14")
    assert article("fenwick_herald_storm_live.html", published="2026-03-15T10:00:00+00:00").published.startswith("2026-03-15")
    # a page with no date of its own takes it
    undated = ("<html><body><article><h1>Harbour wall repaired</h1><p>Workers finished repairing the harbour wall "
               "at Fenwick on Friday after a week of night shifts, the town council said.</p></article></body></html>")
    page = Page.make("undated.html", HTML, undated, hints={"updated": "2026-03-15T10:00:00+00:00"})
    assert extract(page).published.startswith("2026-03-15")


@pytest.mark.parametrize("name", ["quarry_lane_review_brennan_interview.html", "quarry_lane_review_brennan_interview.txt"])
def test_q_and_a_interview_answers_are_the_interviewees_statements(name):
    from presswatch.nlp.statements import extract_statements

    statements = extract_statements(article(name))
    answers = [s for s in statements if s.speaker_name == "Torvald Brennan"]
    assert [s.content.split(".")[0] for s in answers] == [
        "Yes", "That is simply not true", "I think the government owes the valley a fair deal on water prices",
        "We would", "If the board will have me"]
    # an answer is the interviewee's own words, as a quotation is, though no quote marks hold it
    assert {s.mode for s in answers} == {"direct"}
    # the questions are nobody's statements, least of all the interviewee's or the interviewer's
    assert not any("?" in s.content or s.speaker_name == "Ilse Marchetti" for s in statements)


def test_an_interviewers_questions_set_under_their_name_are_not_statements():
    from presswatch.nlp.statements import extract_statements

    statements = extract_statements(article("harl_valley_post_oyelaran_interview.html"))
    assert not any(s.content.endswith("?") for s in statements)
    oyelaran = [s.content for s in statements if s.speaker_name == "Amara Oyelaran"]
    assert oyelaran[0].startswith("Because the lorries from the quarry have doubled")
    assert any(said.startswith("About 48 million") for said in oyelaran)


def test_a_page_without_an_article_is_refused_with_a_reason_that_does_not_repeat_its_path():
    from presswatch.errors import InputError

    # the rejection is listed as "rejected PATH: REASON": the reason names no path of its own
    page = Page.make("/tmp/menu.html", HTML, '<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>')
    with pytest.raises(InputError) as refused:
        extract(page)
    assert str(refused.value) == "no article on the page, only navigation, links or markup"


def test_a_page_fetched_from_a_feed_link_keeps_its_own_headline():
    from presswatch.ingest.feed import linked_page_hints

    hints = linked_page_hints({"title": "Storm Hettie live", "url": "https://fenwickherald.example/live"})
    assert article("fenwick_herald_storm_live.html", **hints).title == \
        "Storm Hettie live: evacuation ordered on the Fenwick seafront"
    page = Page.make("bare.html", HTML, "<html><body><p>Workers finished repairing the harbour wall at Fenwick on "
                     "Friday after a week of night shifts, the town council said.</p></body></html>", hints=hints)
    assert extract(page).title == "Storm Hettie live"  # a page showing no headline takes the listing's


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ostvale Coast Digest</title><id>urn:ocd</id>
<updated>2026-03-20T12:00:00Z</updated>
<entry><title>Storm Hettie live</title><id>urn:ocd:1</id><link href="{base}/news/live.html"/>
<updated>2026-03-15T10:00:00Z</updated></entry>
<entry><title>Brennan interview</title><id>urn:ocd:2</id><link href="{base}/news/brennan.html"/>
<published>2026-02-02T05:00:00Z</published><updated>2026-02-03T05:00:00Z</updated></entry>
<entry><title>Gone</title><id>urn:ocd:3</id><link href="{base}/news/gone.html"/></entry>
</feed>"""


def test_collecting_a_feed_on_loopback_stores_its_pages_as_the_pages_show_them():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from presswatch.engine.collect import collect_due, register_source
    from presswatch.ingest.polite import PoliteFetcher
    from presswatch.ingest.web import Fetcher
    from presswatch.store import Store

    files = {"/news/live.html": "fenwick_herald_storm_live.html", "/news/brennan.html": "quarry_lane_review_brennan_interview.html"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/feed.xml":
                body, kind = ATOM.format(base=base).encode(), "application/atom+xml"
            elif self.path in files:
                body, kind = (PAGES / files[self.path]).read_bytes(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with PoliteFetcher(Fetcher(timeout=10, max_bytes=5_000_000, allow_private=True), host_interval=0) as fetcher:
            store = Store(":memory:")
            register_source(store, f"{base}/feed.xml", every_seconds=60)
            report = collect_due(store, fetcher, analyse=False)
    finally:
        server.shutdown()
        server.server_close()
    assert (report.stored, report.sources[0].rejected) == (2, 1)
    found = {a.url.rsplit("/", 1)[1]: a for a in store.articles()}
    # the pages' own headlines; the live blog's date its own, not the entry's last update; the
    # interview's the entry's publication date
    assert found["live.html"].title == "Storm Hettie live: evacuation ordered on the Fenwick seafront"
    assert found["live.html"].published.startswith("2026-03-14")
    assert found["brennan.html"].title.startswith('"We will not close the mill"')
    assert found["brennan.html"].published.startswith("2026-02-02")


def test_press_release_speakers_named_after_their_titles_are_credited_by_name():
    from presswatch.nlp.statements import extract_statements

    found = article("ostvale_waterways_press_release.html")
    speakers = [(s.speaker_name, s.speaker_role) for s in extract_statements(found)]
    assert speakers == [("Henrietta Sallow", "Minister for Waterways"),
                        ("Oskar Lindqvist", "chair of the Fenwick Flood Board"), ("Delphine Arkwright", "Mayor of Fenwick")]


def test_local_voices_set_off_beside_their_trade_are_the_speakers_of_what_they_said():
    """A local story's speakers are known by their trade more than by a title: each statement is
    credited to the person, a lone surname too, a question asked is not said, and an "according
    to" inside what Kask said is Kask's statement alone."""
    from presswatch.nlp.statements import extract_statements

    found = extract_statements(article("saltreach_tidings_pier_voices.html"))
    assert [(s.speaker_name, s.speaker_role, s.cue) for s in found] == [
        ("Pavel Orlov", "harbour engineer", "said"), ("Pavel Orlov", "harbour engineer", "told"),
        ("Pavel Orlov", "harbour engineer", "asked"),
        ("Mart Kask", "harbour master", "said"), ("Mart Kask", "harbour master", "said"),
        ("Brask", "lifeboat skipper", "said"),
        ("Agnes Pold", "shopkeeper on the quay", "said"), ("Agnes Pold", "shopkeeper on the quay", "warned"),
        (None, "fisherman", "said"),
    ]
    assert all(s.speaker_kind == "person" for s in found)
    assert found[2].content == '"The pier is rotten. I would not drive a van onto it."'


def test_live_blog_mayor_is_one_person_under_her_full_name_and_her_surname():
    from presswatch.engine.pages import analyse_articles

    found = article("fenwick_herald_storm_live.html")
    analysis = analyse_articles([found])[0]
    people = {m.text: m.refers_to for m in analysis.mentions if m.type == "person"}
    assert people["Delphine Arkwright"] == people["Arkwright"] == "Delphine Arkwright" and "Delphine" not in people
    said = {s.content.split(",")[0].strip('"'): s.speaker_name for s in analysis.statements}
    assert said["This is not a decision I take lightly"] == "Delphine Arkwright"
    assert said["buses would run from Marine Parade to the sports centre every twenty minutes until two o'clock"] == \
        "Delphine Arkwright"


@pytest.mark.parametrize(("name", "expected"), [
    ("fenwick_herald_storm_live.html", {"Marine Parade": "place", "Storm Hettie": None}),
    ("ostvale_waterways_press_release.html", {"Storm Hettie": None, "Fenwick": "place"}),
    ("quarry_lane_review_brennan_interview.html", {"Brennan Mills": "organization", "Harl": "place"}),
    ("harl_valley_post_oyelaran_interview.html", {"Harlbridge": "place", "Councillor": None}),
])
def test_analyst_pages_names_are_typed_as_the_text_shows_them(name, expected):
    from presswatch.engine.pages import analyse_articles

    types: dict[str, set[str]] = {}
    for mention in analyse_articles([article(name)])[0].mentions:
        types.setdefault(mention.text, set()).add(mention.type)
    assert {text: (types[text].pop() if len(types.get(text, ())) == 1 else types.get(text)) for text in expected} == expected


def test_a_transcripts_courtesies_are_not_statements():
    from presswatch.nlp.statements import extract_statements

    said = [s.content for s in extract_statements(article("harl_valley_post_oyelaran_interview.html"))]
    assert not any(content.startswith("Thank you") for content in said)
    assert any(content.startswith("About 48 million") for content in said)
    from types import SimpleNamespace

    from presswatch.nlp.frame_filters import is_pleasantry

    kept = ["Thanks, but the plan is wrong.", "Thank you for asking, the bypass is needed.", "Good morning to the valley"]
    assert [is_pleasantry(SimpleNamespace(content=c)) for c in ['"Good morning, Mr Strand."', "Thank you.", *kept]] == \
        [True, True, False, False, False]


@pytest.mark.parametrize(("body", "speaker"), [
    ("Minister for Fisheries Arne Dahl said the quota would rise.", ("Arne Dahl", "Minister for Fisheries")),
    ("Minister for the Environment Arne Dahl said the quota would rise.", ("Arne Dahl", "Minister for the Environment")),
    ("Mayor of Brenmouth Ingrid Falk said the quay would reopen.", ("Ingrid Falk", "Mayor of Brenmouth")),
    # a title with an "of" phrase of its own before the portfolio
    ("Secretary of State for Fisheries Arne Dahl said the quota would rise.",
     ("Arne Dahl", "Secretary of State for Fisheries")),
    # one who speaks for the holder is not the holder
    ("A spokesperson for Mayor Ingrid Falk said the quay would reopen.", (None, "spokesperson for Mayor Ingrid Falk")),
])
def test_the_holder_named_after_a_title_and_its_portfolio_or_place_is_the_speaker(body, speaker):
    from presswatch.nlp.statements import extract_statements
    from presswatch.records import Article

    found = Article(id="t", page_id="t", url=None, title=None, body=body, paragraphs=(body,), language="en")
    assert [(s.speaker_name, s.speaker_role) for s in extract_statements(found)] == [speaker]


# --- one article reached by several addresses; pages whose text is elsewhere than the page shows ---

FERRY = "https://www.marrowby-gazette.example/news/2026/03/ferry-fares-skelmor-rise"


def run_cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from presswatch.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def write_crawl(path: Path) -> None:
    """A crawl of the Gazette's ferry article, gzipped record by record as crawlers write them: the
    page under a newsletter's tracking address, over http with a trailing slash (fetched later, its
    "most read" list changed), with #comments, its AMP copy; a request, a redirect, a 404, a 503, a
    revisit of the page (headers, no body) and an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (PAGES / "marrowby_gazette_ferry_fares.html").read_bytes()
    later = page.replace(b"Harbour wall repairs delayed again", b"Lifeboat crew rescue two kayakers")
    amp = (PAGES / "marrowby_gazette_ferry_fares_amp.html").read_bytes()
    html = [("Content-Type", "text/html; charset=utf-8")]
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True)

        def record(url: str, kind: str = "response", status: str = "200 OK", body: bytes = b"", headers=html, **kw):
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=http, **kw))

        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "hand-made"}))
        writer.write_record(writer.create_warc_record(FERRY, "request", http_headers=StatusAndHeaders(
            "GET /news HTTP/1.1", [("Host", "www.marrowby-gazette.example")], is_http_request=True)))
        record(FERRY + "?utm_source=newsletter&utm_medium=email&utm_campaign=0311", body=page)
        record(FERRY.replace("https:", "http:") + "/", body=later)
        record(FERRY + "#comments", body=page)
        record(FERRY.replace("/news/", "/amp/news/"), body=amp)
        record("http://marrowby-gazette.example/ferry", status="301 Moved Permanently", headers=[("Location", FERRY)])
        record("https://www.marrowby-gazette.example/news/old-story", status="404 Not Found",
               body=b"<html><body><h1>Sorry, we could not find that page</h1></body></html>")
        record("https://www.marrowby-gazette.example/news/busy", status="503 Service Unavailable",
               body=b"<html><body><p>Our servers are busy. Please try again in a few minutes.</p></body></html>")
        writer.write_record(writer.create_revisit_record(
            FERRY, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=FERRY, refers_to_date="2026-03-11T09:00:00Z",
            http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1")))
        record("https://www.marrowby-gazette.example/logo.png", body=b"\x89PNG\r\n\x1a\n" + bytes(64),
               headers=[("Content-Type", "image/png")])


def test_one_article_for_every_address_it_is_reached_by_stored_at_its_own(tmp_path):
    crawl, db = tmp_path / "crawl.warc.gz", str(tmp_path / "p.db")
    write_crawl(crawl)
    code, output = run_cli("ingest", str(crawl), "--db", db, "--no-analyse", "--workers", "1")
    assert code == 0, output
    assert "stored 1" in output and "duplicates 3" in output and "rejected 0" in output
    code, output = run_cli("articles", "--db", db, "--format", "json")
    [found] = json.loads(output)["items"]
    # the address the page names as its own, not the newsletter's tracking one the crawl met first
    assert found["url"] == FERRY
    assert (found["title"], found["author"], found["outlet"]) == (
        "Ferry fares to Skelmor Island to rise by a fifth in April", "Isolde Fairbairn", "The Marrowby Gazette")


@pytest.mark.parametrize(("page_url", "named", "stored"), [
    (FERRY + "?utm_source=newsletter&utm_medium=email", None, FERRY),
    (FERRY + "#comments", None, FERRY),
    (FERRY.replace("https:", "http:") + "/", FERRY, FERRY),
    ("https://example-wire.example/copy/ferry-fares", FERRY, "https://example-wire.example/copy/ferry-fares"),
    (None, FERRY + "?utm_campaign=0311", FERRY),  # a saved file: the address it names
    (None, "/news/ferry", None),  # ... unless it names it relative to an address it does not have
    (FERRY, "https://www.marrowby-gazette.example/", FERRY),  # a template's canonical front page names no article
    (None, "https://www.marrowby-gazette.example", None),
    ("https://x.example/story?id=41&fbclid=IwAR0", "", "https://x.example/story?id=41"),
    ("https://web.archive.org/web/2026/https://x.example/a#top", None, "https://web.archive.org/web/2026/https://x.example/a"),
    # one site by its registrable domain: an AMP host of it, or a country registry's second level
    ("https://amp.marrowby-gazette.example/news/ferry", FERRY, FERRY),
    ("https://amp.harlpost.co.uk/a", "https://www.harlpost.co.uk/a", "https://www.harlpost.co.uk/a"),
    ("https://www.harlpost.co.uk/a", "https://www.fellbeck.co.uk/a", "https://www.harlpost.co.uk/a"),
])
def test_article_address_is_the_page_own_on_its_site_without_trackers(page_url, named, stored):
    from presswatch.extract.address import article_address

    assert article_address(page_url, named or None) == stored


def test_script_drawn_page_is_read_from_its_json_ld_article_body():
    found = article("caddon_courier_reservoir_js_shell.html")
    assert found.body.startswith("Caddon Reservoir will be drained and closed to the public")
    assert found.body.endswith("The company will hold a drop-in session at Caddon village hall on 3 June.")
    assert len(found.paragraphs) == 6 and '"The dam is safe today' in found.paragraphs[2]
    assert (found.title, found.author, found.published, found.outlet, found.url) == (
        "Caddon Reservoir to close for two years of repairs", "Tamsin Olowe", "2026-05-19", "The Caddon Courier",
        "https://caddon-courier.example/local/caddon-reservoir-repairs-2026")


def test_script_drawn_page_with_only_a_description_says_what_to_ingest_instead():
    from presswatch.errors import InputError

    shell = (PAGES / "caddon_courier_reservoir_js_shell.html").read_text(encoding="utf-8")
    without_body = shell.replace('"articleBody"', '"abstract"')
    with pytest.raises(InputError, match="its scripts draw it in a browser"):
        extract(Page.make("shell.html", HTML, without_body))


def test_feeds_full_text_items_and_an_item_without_a_link(tmp_path):
    db = str(tmp_path / "p.db")
    code, output = run_cli("ingest", str(PAGES / "caddon_courier_feeds_rss.xml"), str(PAGES / "caddon_courier_feeds_atom.xml"),
                           "--db", db, "--no-analyse", "--workers", "1")
    assert code == 0 and "stored 3" in output, output
    code, output = run_cli("articles", "--db", db, "--format", "json")
    found = {a["title"]: a for a in json.loads(output)["items"]}
    bus = found["Caddon bus station to reopen after fire"]
    assert bus["url"] == "https://caddon-courier.example/local/bus-station-reopens"  # the feed's trackers gone
    assert len(bus["paragraphs"]) == 5 and bus["author"] == "Tamsin Olowe" and bus["outlet"] == "The Caddon Courier"
    show = found["Flower show returns to Caddon Park"]
    assert show["url"] is None and show["body"].startswith("The Caddon Flower Show will return")
    library = found["Library opening hours cut in Caddon and Fellbeck"]
    assert "“Libraries are not a luxury,” said Ines Farraday" in library["body"] and "&lt;" not in library["body"]
    assert library["author"] == "Rufus Penhale" and library["published"].startswith("2026-06-03")


@pytest.mark.parametrize("name", ["pellow_quay_mercury_parking_says_latin1_is_utf8.html",
                                  "pellow_quay_mercury_parking_says_utf8_is_cp1252.html"])
def test_a_wrong_charset_declaration_does_not_garble_the_page(name):
    from presswatch.ingest.html import read_html

    found = extract(read_html(name, (PAGES / name).read_bytes()))
    assert "£2.50 an hour" in found.body and "Zoë Marchetti" in found.body and "Brasserie Élan" in found.body
    assert "crêperies" in found.body and found.author == "Renée Castellan"
    assert not set("ŁęĂ\ufffd") & set(found.body + found.title)


def test_page_in_another_language_is_stored_and_named_as_not_analysed(tmp_path):
    db = str(tmp_path / "p.db")
    code, output = run_cli("ingest", str(PAGES / "rastenfelder_bote_hochwasser_de.html"),
                           str(PAGES / "marrowby_gazette_ferry_fares.html"), "--db", db, "--workers", "1")
    assert code == 0, output
    code, listed = run_cli("articles", "--db", db, "--language", "de", "--format", "json")
    [german] = json.loads(listed)["items"]
    assert (german["language"], german["title"]) == ("de", "Hochwasser in Rastenfeld: Uferweg bleibt gesperrt")
    assert "1 not in a language the models read" in output
    assert f"not analysed {german['id']}: in language de, stored and searchable" in " ".join(output.split())
    code, shown = run_cli("show", german["id"], "--db", db)
    assert "language: de (not analysed: statements and entities are read in en only)" in " ".join(shown.split())
    from fastapi.testclient import TestClient

    from presswatch.server import create_server

    with TestClient(create_server(db), base_url="http://127.0.0.1") as web:
        page = web.get(f"/articles/{german['id']}").text
    assert "language de (not analysed: statements and entities are read in en only)" in " ".join(page.split())
    code, said = run_cli("statements", "--db", db, "--format", "json")
    assert {s["article_id"] for s in json.loads(said)["items"]} == {
        a["id"] for a in json.loads(run_cli("articles", "--db", db, "--language", "en", "--format", "json")[1])["items"]}


def test_an_article_split_over_two_pages_is_stored_as_two(tmp_path):
    """What happens, as README says: presswatch follows no rel="next" link and joins no pages; each
    page is an article of its own under the one headline, at the address it names."""
    first, second = (article(f"fellbeck_standard_quarry_inquiry_p{n}.html") for n in (1, 2))
    assert first.title == second.title == "Quarry inquiry hears from Fellbeck residents"
    assert first.url == "https://fellbeck-standard.example/news/quarry-inquiry"
    assert second.url == "https://fellbeck-standard.example/news/quarry-inquiry?page=2"
    assert first.body.endswith("for another fifteen years.") and second.body.startswith("Mr Varga said lorries")
    assert "Next page" not in first.body and "Previous page" not in second.body


@pytest.mark.parametrize(("name", "byline"), [("rastenfelder_bote_hochwasser_de.html", "Von Henrike Albrecht-Wolf"),
                                              ("fellbeck_standard_quarry_inquiry_p1.html", "By Osric Dunmore")])
def test_a_byline_paragraph_naming_the_author_is_not_body(name, byline):
    found = article(name)
    assert byline.split(" ", 1)[1] == found.author and byline not in found.body


def test_fetching_a_feeds_links_reads_an_entry_without_a_link_from_its_content():
    from presswatch.ingest.feed import read_feed
    from presswatch.records import Rejection

    fetched = []

    def fetch_page(source, url, hints):
        fetched.append(url)
        return Page.make(source, HTML, "<p>The bus station page as its site shows it.</p>", url=url, hints=hints)

    data = (PAGES / "caddon_courier_feeds_rss.xml").read_bytes()
    bus, flowers = read_feed("rss.xml", data, fetch_page=fetch_page)
    assert fetched == ["https://caddon-courier.example/local/bus-station-reopens?utm_source=rss&utm_medium=feed"]
    assert bus.url == fetched[0] and flowers.url is None
    assert "The Caddon Flower Show will return to Caddon Park" in flowers.content
    [rejection] = [item for item in read_feed("rss.xml", data.split(b"<item>")[0] + b"<item><title>Empty</title></item></channel></rss>",
                                              fetch_page=fetch_page) if isinstance(item, Rejection)]
    assert rejection.reason == "the entry has neither content nor a link to its page"


def test_a_warc_gzipped_as_a_whole_is_read_as_one_gzipped_record_by_record(tmp_path):
    import gzip

    from presswatch.ingest import read_sources
    from presswatch.records import Rejection

    crawl = tmp_path / "crawl.warc.gz"
    write_crawl(crawl)
    whole = tmp_path / "whole.warc.gz"  # `gunzip -c crawl.warc.gz | gzip > whole.warc.gz`
    whole.write_bytes(gzip.compress(gzip.decompress(crawl.read_bytes())))
    by_record, as_whole = (list(read_sources([str(path)])) for path in (crawl, whole))
    *by_record, skipped = by_record
    assert len(by_record) == 4 and all(isinstance(item, Page) for item in by_record)
    assert skipped.counts == (("image/png", 1), ("revisit", 1), ("status 301", 1), ("status 404", 1), ("status 503", 1))
    assert [(p.id, p.url) for p in as_whole[:-1]] == [(p.id, p.url) for p in by_record] and as_whole[-1].counts == skipped.counts
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    [*_, rejection] = read_sources([str(cut)])
    assert isinstance(rejection, Rejection) and rejection.reason.startswith("broken WARC archive")


def test_a_feed_entry_id_that_is_no_address_is_not_taken_for_its_link():
    from presswatch.ingest.feed import read_feed

    atom = (PAGES / "caddon_courier_feeds_atom.xml").read_bytes()
    without_link = atom.replace(b'<link rel="alternate" href="https://caddon-courier.example/local/library-hours-cut"/>\n', b"")
    [page] = read_feed("atom.xml", without_link)  # feedparser offers the id, tag:caddon-courier.example,2026:4475
    assert page.url is None and "url" not in page.hints
    rss = (PAGES / "caddon_courier_feeds_rss.xml").read_bytes().replace(b' isPermaLink="false"', b"")
    assert [page.url for page in read_feed("rss.xml", rss)] == [
        "https://caddon-courier.example/local/bus-station-reopens?utm_source=rss&utm_medium=feed", None]
