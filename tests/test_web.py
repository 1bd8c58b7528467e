"""The web pages through FastAPI's test client: every page renders from the examples, unknown ids
give 404 pages, and hostile text from pages is escaped everywhere it is shown."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html import unescape

import pytest
from conftest import hashing_embed
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from presswatch.records import (
    Article,
    Evidence,
    Mention,
    Narrative,
    Page,
    Statement,
    Story,
)
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.engine.entities import update_entities
from presswatch.records import ArticleAnalysis
from presswatch.store.analysis import save_analyses
from presswatch.store.entities import find_entities
from presswatch.store.search import opening_words
from presswatch.web import mount_web
from presswatch.web.charts import coverage_by_outlet, months_between, per_month_bars
from presswatch.server import create_server
from presswatch.web.highlight import marked_paragraphs
from presswatch.web.queries import per_month
from presswatch.web.routes import SECURITY_HEADERS


def client_for(db_path) -> TestClient:
    app = FastAPI()
    mount_web(app, db_path)
    return TestClient(app)


@pytest.fixture(scope="module")
def client(example_db) -> TestClient:
    return client_for(example_db)


@pytest.fixture(scope="module")
def ids(example_db) -> dict[str, str]:
    """Ids of the example records the pages are checked on, looked up by what they are."""
    with Store(example_db) as store:
        article = next(
            a for a in store.articles() if a.outlet == "Kestrel News Agency"
            and (a.title or "").startswith("Basin council agrees Saltreach rescue centre")
        )
        story = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article.id,)).fetchone()[0]
        widest = story_store.narratives(store, limit=1)[0]
        return {
            "article": article.id,
            "korhel": find_entities(store, "Anneli Korhel")[0],
            "lomatsky": find_entities(store, "Yevgeny Lomatsky")[0],
            "story": story,
            "narrative": widest.id,
        }


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_home_lists_stories_narratives_and_people(client, ids):
    page = client.get("/")
    assert page.status_code == 200
    assert f'href="/stories/{ids["story"]}"' in page.text
    assert f'href="/narratives/{ids["narrative"]}"' in page.text
    assert f'href="/entities/{ids["lomatsky"]}"' in page.text
    assert 'name="q"' in page.text


def test_every_page_sends_security_headers_and_runs_no_script(client, ids):
    for path in ("/", "/search?q=rescue", f"/articles/{ids['article']}", f"/entities/{ids['lomatsky']}",
                 f"/stories/{ids['story']}", f"/narratives/{ids['narrative']}", "/briefing"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "script-src 'self'" in page.headers["content-security-policy"], path
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "<script" not in page.text.lower(), path


def test_search_articles_marks_matched_words(client):
    page = client.get("/search", params={"q": "rescue", "mode": "text"})
    assert page.status_code == 200
    assert "<mark>rescue</mark>" in page.text.lower()
    assert "Basin council agrees Saltreach rescue centre" in page.text


def test_search_outlet_facet_keeps_only_that_outlet(client):
    page = client.get("/search", params={"q": "rescue", "mode": "text", "outlet": "The Skelby Courier"})
    bylines = re.findall(r'<span class="meta">([^<·]+) ·', page.text.split('class="results"')[1].split("<aside")[0])
    assert bylines and {b.strip() for b in bylines} == {"The Skelby Courier"}


def test_search_statements_by_speaker_without_words(client, ids):
    page = client.get("/search", params={"kind": "statement", "speaker": "Lomatsky"})
    assert page.status_code == 200
    results = page.text.split('class="results"')[1].split("<aside")[0]
    speakers = set(re.findall(r'class="speaker-name"[^>]*>([^<]+)<', results))
    assert speakers and all("Lomatsk" in s for s in speakers), speakers
    assert f'href="/entities/{ids["lomatsky"]}"' in results


def test_search_entity_facet_and_date_range(client):
    page = client.get("/search", params={"entity": "Pavel Ostrogin", "since": "2025-06-01", "until": "2025-06-30"})
    results = page.text.split('class="results"')[1].split("<aside")[0]
    dates = re.findall(r"· (\d{4}-\d{2}-\d{2})", results)
    assert dates and all("2025-06-01" <= d <= "2025-06-30" for d in dates)
    assert "Ostrogin" in visible_text(results)


def test_search_reports_a_malformed_query(client):
    page = client.get("/search", params={"q": '"unbalanced', "mode": "text"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "double quote" in page.text and "is not closed" in page.text
    assert "fts5" not in page.text


def test_search_takes_typed_punctuation_and_sorts_by_date(client):
    best = client.get("/search", params={"q": "search-and-rescue centre?", "mode": "text"})
    newest = client.get("/search", params={"q": "search-and-rescue centre?", "mode": "text", "sort": "date"})
    assert best.status_code == newest.status_code == 200 and "newest first" in newest.text
    assert '<option value="date" selected>' in newest.text
    results = newest.text.split('class="results"')[1].split("<aside")[0]
    dates = re.findall(r"· (\d{4}-\d{2}-\d{2})", results)
    assert dates and dates == sorted(dates, reverse=True)
    assert client.get("/search", params={"q": "rescue", "sort": "loudest"}).status_code == 400


def test_search_by_meaning_shows_each_match_similarity(example_db, tmp_path, stand_in_model):
    from presswatch.store.search import MEANING_FLOOR
    from presswatch.engine.corpus import index_vectors

    path = tmp_path / "vectors.db"
    shutil.copy(example_db, path)
    with Store(path) as store:
        # the examples' store holds the sentence model's vectors where the semantic extra is installed;
        # the stand-in model's are of another size, so they replace them all
        with store.transaction() as conn:
            conn.execute("DELETE FROM vectors")
        index_vectors(store, embed=hashing_embed)
    page = client_for(path).get("/search", params={"q": "rescue centre for the strait", "mode": "meaning"})
    shown = [float(x) for x in re.findall(r'class="similarity"[^>]*>similarity (\d\.\d\d)<', page.text)]
    assert page.status_code == 200 and shown and shown == sorted(shown, reverse=True) and min(shown) >= MEANING_FLOOR


@pytest.mark.parametrize("params, says", [
    ({"kind": "bogus"}, "unknown kind"),
    ({"mode": "bogus"}, "unknown search mode"),  # with no query too: a wrong option is never ignored
    ({"sort": "bogus"}, "unknown sort"),
    ({"q": "strait", "mode": "bogus"}, "unknown search mode"),
])
def test_search_rejects_an_unknown_option(client, params, says):
    page = client.get("/search", params=params)
    assert page.status_code == 400 and says in page.text


def test_search_facet_counts_link_to_a_refined_search(client):
    page = client.get("/search", params={"q": "rescue", "mode": "text"})
    assert "/search?q=rescue&amp;kind=article&amp;mode=text&amp;outlet=" in page.text


def test_article_marks_statements_and_links_speakers(client, ids):
    page = client.get(f"/articles/{ids['article']}")
    assert page.status_code == 200
    for part in ("st-content", "st-cue", "st-speaker"):
        assert f'class="{part}' in page.text or f' {part}"' in page.text, part
    assert f'<a class="speaker-link" href="/entities/{ids["korhel"]}">' in page.text
    assert "This centre will save lives" in visible_text(page.text)
    assert f'href="/stories/{ids["story"]}"' in page.text


def test_article_by_unique_prefix(client, ids):
    assert client.get(f"/articles/{ids['article'][:8]}").status_code == 200


def test_entity_profile(client, ids):
    page = client.get(f"/entities/{ids['lomatsky']}")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Yevgeny Lomatsky" in text and "Evgeny Lomatskiy" in text  # an alias
    assert "Deputy Foreign Minister" in text  # a role
    assert "is trying to return to the Lerin Strait" in text  # something he said
    assert '<figure class="chart"><svg' in page.text and 'aria-label="statements per month' in page.text
    assert ">2024-03<" in page.text and ">2025-03<" in page.text  # the chart's months


def test_entity_list_and_type_filter(client, ids):
    page = client.get("/entities", params={"type": "person"})
    assert page.status_code == 200 and f'href="/entities/{ids["korhel"]}"' in page.text
    assert "<td>place</td>" not in page.text and "<td>person</td>" in page.text
    assert client.get("/entities", params={"type": "planet"}).status_code == 404


def test_story_shows_coverage_by_outlet(client, ids, example_db):
    page = client.get(f"/stories/{ids['story']}")
    assert page.status_code == 200
    with Store(example_db) as store:
        story = story_store.story(store, ids["story"])
    for article_id in story.article_ids:
        assert f'href="/articles/{article_id}"' in page.text
    assert 'aria-label="articles by outlet and day"' in page.text
    with Store(example_db) as store:
        undated = sum(not store.article(i).published for i in story.article_ids)
    if undated:
        assert f"{undated} undated article" in page.text
    assert "Kestrel News Agency" in visible_text(page.text)
    assert client.get("/stories").status_code == 200


def test_narrative_shows_the_evidence_trail_by_year(client, ids, example_db):
    page = client.get(f"/narratives/{ids['narrative']}")
    assert page.status_code == 200
    with Store(example_db) as store:
        narrative = story_store.narrative(store, ids["narrative"])
    years = sorted({(e.date or "")[:4] for e in narrative.evidence if (e.date or "")[:4].isdigit()})
    assert len(years) >= 2  # the examples' main claim spans a year
    for year in years:
        assert f"<h3>{year}</h3>" in page.text
    for e in narrative.evidence:
        assert f'href="/articles/{e.article_id}#st-{e.statement_id}"' in page.text
    assert 'aria-label="statements by outlet and month"' in page.text
    assert client.get("/narratives").status_code == 200


@pytest.mark.parametrize("path", ["/stories", "/narratives", "/entities", "/search?kind=statement&speaker=Lomatsky",
                                  "/entities/{lomatsky}", "/narratives/{narrative}"])
def test_every_list_pages_with_its_total(client, ids, path):
    path = path.format(**ids)
    first = client.get(path, params={"limit": 3})
    total = int(re.search(r'data-total="(\d+)"', first.text).group(1))
    assert first.status_code == 200 and total > 3
    assert f"1–3 of {total}" in visible_text(first.text)
    rows = re.findall(r'data-id="([^"]+)"', first.text)
    assert len(rows) == 3
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1)
    second = client.get(unescape(following))
    assert f"4–{min(6, total)} of {total}" in visible_text(second.text)
    assert not set(rows) & set(re.findall(r'data-id="([^"]+)"', second.text))
    assert '<a rel="prev"' in second.text


@pytest.mark.parametrize("path", ["/stories", "/narratives", "/entities?type=person",
                                  "/search?q=rescue&mode=text&outlet=Kestrel+News+Agency", "/entities/{lomatsky}",
                                  "/narratives/{narrative}"])
def test_every_list_downloads_as_csv_and_json_with_its_filters(client, ids, path):
    path = path.format(**ids)
    page = client.get(path)
    links = [unescape(link) for link in re.findall(r'<a href="([^"]+)" download>', page.text)]
    assert [("format=csv" in link, "format=json" in link) for link in links] == [(True, False), (False, True)]
    as_json = client.get(links[1])
    assert as_json.headers["content-type"].startswith("application/json")
    assert "attachment" in as_json.headers["content-disposition"]
    data = as_json.json()
    shown_total = int(re.search(r'data-total="(\d+)"', page.text).group(1))
    assert data["total"] == shown_total == len(data["items"]) > 0  # every row, up to the download limit
    rows = list(csv.DictReader(io.StringIO(client.get(links[0]).text)))
    assert [row["id" if "id" in row else "statement_id"] for row in rows] == [
        item.get("id", item.get("statement_id")) for item in data["items"]]
    if "outlet=" in path:
        assert {item["outlet"] for item in data["items"]} == {"Kestrel News Agency"}
    if "type=person" in path:
        assert {row["type"] for row in rows} == {"person"}


def test_a_list_refuses_an_unknown_download_format(client):
    assert client.get("/stories", params={"format": "xlsx"}).status_code == 400


def test_briefing_page_has_its_form(client):
    page = client.get("/briefing", params={"since": "2024-03-01", "until": "2024-03-31", "focus": "rescue"})
    assert page.status_code == 200
    assert 'name="since" value="2024-03-01"' in page.text and 'name="focus" value="rescue"' in page.text


def test_search_kind_takes_every_faces_spelling(client):
    def ids(kind):
        answer = client.get("/search", params={"q": "rescue", "kind": kind, "format": "json", "limit": 200})
        assert answer.status_code == 200, answer.text
        return [hit["id"] for hit in answer.json()["items"]]

    assert ids("statements") == ids("statement") and ids("articles") == ids("article") and ids("article")
    assert ids("both") == ids("all") and set(ids("both")) == {*ids("article"), *ids("statement")}


def _tabs(html: str) -> dict[str, int]:
    """The search page's tabs: kind -> the count it shows."""
    return {kind: int(count) for kind, count in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', html)}


def test_the_search_page_counts_every_kind_whichever_it_lists(client):
    """It listed one kind and said nothing of the other: "rescue" showed its 13 articles, while
    `presswatch search` and /api/search found 23 matches. Each kind's count is a tab now, the words
    and filters kept on each, and "both" lists them together as the CLI and the API rank them."""
    filters = {"q": "rescue", "mode": "text", "since": "2024-01-01"}
    pages = {kind: client.get("/search", params={**filters, "kind": kind}) for kind in ("article", "statement", "both")}
    assert all(page.status_code == 200 for page in pages.values())
    tabs = _tabs(pages["article"].text)
    assert list(tabs) == ["article", "statement", "both"] and tabs["article"] and tabs["statement"]
    assert tabs["both"] == tabs["article"] + tabs["statement"]
    assert all(_tabs(page.text) == tabs for page in pages.values())  # the same counts on every tab
    for kind, page in pages.items():
        assert int(re.search(r'data-total="(\d+)"', page.text).group(1)) == tabs[kind]
        assert re.search(rf'data-kind="{kind}" data-count="\d+" aria-current="page"', page.text)
    link = re.search(r'href="([^"]+)" data-kind="statement"', pages["article"].text).group(1)
    assert "q=rescue" in link and "since=2024-01-01" in link and "mode=text" in link  # filters kept
    both = pages["both"].text
    assert '<li class="said"' in both and "<h3>" in both  # statements and articles, each shown as its kind
    assert "open the Articles or Statements tab" in both


def test_a_list_without_words_counts_both_kinds_and_lists_one(client):
    page = client.get("/search", params={"kind": "both", "outlet": "Kestrel News Agency"})
    assert page.status_code == 200 and "listed apart" in page.text
    tabs = _tabs(page.text)
    assert list(tabs) == ["article", "statement"]  # no "both" without words: nothing ranks them together
    articles = client.get("/search", params={"outlet": "Kestrel News Agency", "format": "json"}).json()
    statements = client.get("/search", params={"outlet": "Kestrel News Agency", "kind": "statement",
                                               "format": "json"}).json()
    assert tabs == {"article": articles["total"], "statement": statements["total"]}


def test_briefing_with_a_download_format_gives_the_download(client):
    answer = client.get("/briefing", params={"format": "md"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/markdown")
    assert "attachment" in answer.headers["content-disposition"]
    unknown = client.get("/briefing", params={"format": "docx"})
    assert unknown.status_code == 400 and "unknown format &#39;docx&#39;" in unknown.text


def test_briefing_with_only_unknown_parameters_shows_the_example_and_says_what_it_takes(client):
    first_visit = client.get("/briefing")
    page = client.get("/briefing", params={"utm_source": "mail"})
    assert page.status_code == 200 and "example-note" in page.text and "example-note" in first_visit.text
    assert "ignored &#39;utm_source&#39;: the briefing takes since, until, focus" in page.text, page.text[:3000]


def test_briefing_words_can_be_matched_as_words_or_by_meaning(client):
    words = client.get("/briefing", params={"focus": "rescue", "match": "text"})
    assert words.status_code == 200 and '<option value="text" selected>' in words.text
    assert "<blockquote>" in words.text  # statements on rescue were briefed
    unknown = client.get("/briefing", params={"focus": "rescue", "match": "telepathy"})
    assert unknown.status_code == 400 and "unknown search mode" in unknown.text


def test_an_unknown_entity_filter_points_at_the_entities_page(client):
    page = client.get("/search", params={"q": "harbour", "entity": "Nobody Atall"})
    assert "(/entities) lists them" in page.text and "presswatch entities" not in page.text


@pytest.mark.parametrize("path", ["/articles/ffffffff", "/entities/Enope", "/stories/ffffffff", "/narratives/ffffffff"])
def test_unknown_ids_give_a_404_page(client, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text and "ffffffff" in page.text or "Enope" in page.text


def test_stylesheet_is_served(client):
    page = client.get("/static/style.css")
    assert page.status_code == 200 and "--accent" in page.text


# -- hostile text ------------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_OUTLET = "<img src=x onerror=alert(1)>"
BODY = 'Ana Hostile said "<script>alert(3)</script> is fine" in Vell.\n\nShe left.'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store written by hand whose page text tries to inject markup everywhere it can."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    page = Page.make("hostile.html", "html", "<html>hostile</html>")
    article = Article(id=page.id, page_id=page.id, url="https://x.example/<script>", title=HOSTILE_TITLE, body=BODY,
                      paragraphs=tuple(BODY.split("\n\n")), outlet=HOSTILE_OUTLET, published="2024-05-01",
                      author="<b>author</b>", language="en", body_hash="h")
    quote_start = BODY.index('"') + 1
    statement = Statement(
        id="st1", article_id=article.id, speaker="Ana Hostile", speaker_name="Ana Hostile", speaker_role=None,
        speaker_kind="person", cue="said", content=BODY[quote_start:BODY.index('"', quote_start)], mode="direct",
        cue_span=(12, 16), speaker_span=(0, 11), content_spans=((quote_start, BODY.index('"', quote_start)),),
        date="2024-05-01",
    )
    with Store(path) as store:
        store.add_page(page, article)
        mention = Mention(article.id, 0, 11, "Ana Hostile", "person", "Ana Hostile")
        save_analyses(store, [(article, ArticleAnalysis(article.id, (statement,), (mention,)))])
        update_entities(store)
        entity_id = find_entities(store, "Ana Hostile")[0]
        story_store.save_stories(store, [Story("s1", (article.id,), "2024-05-01", "2024-05-01", (HOSTILE_OUTLET,),
                                               ("<i>term</i>",), HOSTILE_TITLE)])
        story_store.save_narratives(store, [Narrative("n1", HOSTILE_TITLE, (Evidence(
            "st1", article.id, "<b>Ana</b>", HOSTILE_OUTLET, "2024-05-01", statement.content),), "2024-05-01",
            "2024-05-01")])
    return client_for(path), {"article": article.id, "entity": entity_id}


def test_hostile_text_is_escaped_on_every_page(hostile):
    client, ids = hostile
    for path in ("/", "/search", "/search?q=alert&mode=text", "/search?kind=statement&q=alert&mode=text",
                 f"/articles/{ids['article']}", f"/entities/{ids['entity']}", "/entities", "/stories", "/stories/s1",
                 "/narratives", "/narratives/n1"):
        page = client.get(path)
        assert page.status_code == 200, path
        lowered = page.text.lower()
        assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered, path
        assert "<i>term" not in lowered, path
    article = client.get(f"/articles/{ids['article']}").text
    assert "&lt;script&gt;alert(" in article and "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "&lt;script&gt;alert(" in client.get("/stories/s1").text


def test_hostile_outlet_in_a_chart_is_escaped(hostile):
    client, _ = hostile
    page = client.get("/stories/s1").text
    chart = page[page.index('<figure class="chart">'):page.index("</figure>")]
    assert "&lt;img src=x" in chart and "<img" not in chart


# -- parts -------------------------------------------------------------------------------------


def _statement(number: int, content: tuple[int, int], cue: tuple[int, int], speaker: tuple[int, int] | None):
    return Statement(id=f"s{number}", article_id="a", speaker="X", speaker_name="X", speaker_role=None,
                     speaker_kind="person", cue="said", content="", mode="direct", cue_span=cue,
                     speaker_span=speaker, content_spans=(content,))


@given(st.data())
def test_marking_keeps_the_text_whatever_the_spans(data):
    paragraphs = data.draw(st.lists(st.text(alphabet='ab <>&"\'é', min_size=1, max_size=30), min_size=1, max_size=4))
    paragraphs = [p.strip() or "x" for p in paragraphs]
    body = "\n\n".join(paragraphs)
    article = Article(id="a", page_id="a", url=None, title=None, body=body, paragraphs=tuple(paragraphs))
    span = st.tuples(st.integers(0, len(body)), st.integers(0, len(body))).map(sorted).map(tuple)
    statements = [
        _statement(i, data.draw(span), data.draw(span), data.draw(st.none() | span))
        for i in range(data.draw(st.integers(0, 4)))
    ]
    rendered = marked_paragraphs(article, statements, lambda s: [(*s.speaker_span, "/entities/E1")])
    assert [visible_text(str(p)) for p in rendered] == paragraphs
    for html in rendered:
        assert html.count("<span") == html.count("</span>") and html.count("<a ") == html.count("</a>")


def test_marking_overlapping_spans_gives_flat_runs():
    body = "Ann said the plan is dead."
    article = Article(id="a", page_id="a", url=None, title=None, body=body, paragraphs=(body,))
    html = str(marked_paragraphs(article, [_statement(1, (9, 25), (4, 8), (0, 3))], lambda s: [(*s.speaker_span, "/entities/E1")])[0])
    assert html == (
        '<a class="speaker-link" href="/entities/E1"><span class="st-speaker" data-statement="1">Ann</span></a> '
        '<span class="st-cue" data-statement="1">said</span> '
        '<span class="st-content" data-statement="1" id="st-s1">the plan is dead</span>.'
    )


def test_months_between_fills_gaps_across_a_year_end():
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_month_bars_show_every_month_and_nothing_without_data():
    assert per_month_bars(per_month([]), what="statements", width=600) is None
    svg = str(per_month_bars(per_month(["2024-01-05", "2024-03-09T10:00", "2024-03-20", None]), what="statements",
                             width=600))
    assert svg.startswith("<svg") and "<script" not in svg
    for month in ("2024-01", "2024-02", "2024-03"):
        assert f">{month}<" in svg


def test_coverage_periods_follow_the_span():
    days = str(coverage_by_outlet([("A", "2024-03-03"), ("B", "2024-03-04")], what="articles", width=600))
    years = str(coverage_by_outlet([("A", "2019-03-03"), ("B", "2024-03-04")], what="articles", width=600))
    assert ">2024-03-03<" in days and "by outlet and day" in days
    assert ">2019<" in years and ">2024<" in years and "by outlet and year" in years
    assert coverage_by_outlet([("A", None)], what="articles", width=600) is None


def test_the_api_app_serves_the_pages_beside_the_api(example_db, ids):
    from presswatch.server import create_server

    client = TestClient(create_server(str(example_db)), base_url="http://127.0.0.1")
    home = client.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert 'href="/static/style.css"' in home.text
    assert client.get(f"/articles/{ids['article']}").status_code == 200
    assert client.get("/articles/ffffffff").status_code == 404
    assert client.get("/api/health").json()["status"] == "ok"


def test_the_served_pages_answer_errors_with_a_page_and_the_api_with_json(example_db):
    """In `presswatch serve` the API's error handlers serve both faces: a reader's bad request or
    unknown path gets an error page with the API's status and message, the API's clients JSON."""
    with TestClient(create_server(str(example_db)), base_url="http://127.0.0.1") as served:
        bad = served.get("/stories", params={"offset": -1})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
        assert "<h1>Cannot show that</h1>" in bad.text and "offset" in bad.text
        missing = served.get("/no-such-page")
        assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text
        api = served.get("/api/stories", params={"offset": -1})
        assert api.status_code == 422 and "offset" in api.json()["error"]


def test_a_database_deleted_while_serving_is_refused_not_recreated_empty(example_db, tmp_path):
    """A database removed under a running server must not come back as an empty one that answers
    every page with "nothing yet": the reader gets an error page naming the missing file."""
    path = tmp_path / "vanishing.db"
    shutil.copy(example_db, path)
    with TestClient(create_server(str(path)), base_url="http://127.0.0.1") as served:
        assert served.get("/stories").status_code == 200
        path.unlink()
        page = served.get("/stories")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "no database at" in page.text
        api = served.get("/api/stories")
        assert api.status_code == 503 and "no database at" in api.json()["error"]
    assert not path.exists()


@pytest.mark.parametrize("path", ["/stories", "/narratives", "/entities", "/search", "/search?q=alliance"])
def test_an_offset_past_any_list_is_an_error_page_not_an_internal_error(example_db, path):
    with TestClient(create_server(str(example_db)), base_url="http://127.0.0.1") as served:
        page = served.get(path, params={"offset": "99999999999999999999"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html") and "offset" in page.text


def test_a_date_window_that_ends_before_it_starts_says_so(example_db):
    """From 2025 to 2024 can hold nothing: the reader is told, not shown "0 articles" as though
    nothing had been said; a window within one period (2025-06 to 2025) is not such a window."""
    with TestClient(create_server(str(example_db)), base_url="http://127.0.0.1") as served:
        page = served.get("/search", params={"q": "alliance", "since": "2025", "until": "2024"})
        assert page.status_code == 400 and "is after" in visible_text(page.text)
        api = served.get("/api/search", params={"q": "alliance", "since": "2025-03", "until": "2024-12-31"})
        assert api.status_code == 400 and "is after" in api.json()["error"]
        within = served.get("/search", params={"q": "alliance", "since": "2025-06", "until": "2025"})
        assert within.status_code == 200 and "0 articles" not in visible_text(within.text)


def test_a_search_that_cannot_run_shows_its_error_and_no_count_of_results(client):
    """"0 articles" under "cannot read the search query" would read as a search that ran and found nothing."""
    page = client.get("/search", params={"q": '"unclosed'})
    text = visible_text(page.text)
    assert page.status_code == 400 and "is not closed" in text and "0 articles" not in text


def test_a_search_that_finds_nothing_says_so_once_with_what_to_try(client):
    """Not "0 statements" over the empty pager's "0 statements": one line, and where else to look."""
    page = client.get("/search", params={"q": "zeppelinworks", "kind": "statement"})
    text = visible_text(page.text)
    assert page.status_code == 200 and not re.search(r"\b0 statements", text)
    assert text.count("No statements match") == 1 and "or the articles" not in text  # none there either
    elsewhere = visible_text(client.get("/search", params={"q": "minister", "kind": "statement", "mode": "text"}).text)
    articles = client.get("/search", params={"q": "minister", "mode": "text", "format": "json"}).json()["total"]
    assert articles and f"or the articles ({articles})" in elsewhere
    narrowed = visible_text(client.get("/search", params={"q": "zeppelinworks", "language": "en"}).text)
    assert "No articles match with these filters" in narrowed and "fewer filters" in narrowed


def test_the_speaker_and_entity_suggestions_count_one_in_the_singular(client):
    form = client.get("/search").text
    assert re.search(r">1 statement<", form) and re.search(r">1 mention<", form), "no name said or named once"
    assert not re.search(r">1 statements<|>1 mentions<", form)


def test_an_id_prefix_naming_several_articles_asks_for_more_characters(client, example_db):
    with Store(example_db) as store:
        ids = sorted(a.id for a in store.articles())
    shared = next(a[:1] for a, b in zip(ids, ids[1:]) if a[:1] == b[:1])  # a one-character prefix of two ids
    page = client.get(f"/articles/{shared}")
    assert page.status_code == 400
    assert "<h1>Cannot show that</h1>" in page.text and "ambiguous" in page.text


def test_a_served_page_carries_one_security_policy_its_own(example_db):
    with TestClient(create_server(str(example_db)), base_url="http://127.0.0.1") as served:
        headers = served.get("/").headers
        docs = served.get("/docs").headers
    assert headers.get_list("content-security-policy") == [SECURITY_HEADERS["Content-Security-Policy"]]
    assert headers.get_list("x-content-type-options") == ["nosniff"]
    assert len(docs.get_list("content-security-policy")) == 1 and "sha256-" in docs["content-security-policy"]


def test_a_listing_without_words_shows_the_same_opening_as_a_search_hit(tmp_path):
    """The search page's snippet is one length whether the list was searched or not: the store's
    opening (its first SNIPPET_WORDS words), not a character count of the web's own."""
    body = " ".join(f"gull{i}" for i in range(40)) + "."
    page = Page.make("gulls.html", "html", "<html>gulls</html>")
    article = Article(id=page.id, page_id=page.id, url=None, title="Gulls counted on Vell", body=body,
                      paragraphs=(body,), outlet="The Vell Ledger", published="2024-05-01", language="en",
                      body_hash="g")
    path = tmp_path / "gulls.db"
    with Store(path) as store:
        store.add_page(page, article)
    snippets = re.findall(r'<p class="snippet">([^<]*)</p>', client_for(path).get("/search").text)
    assert snippets == [opening_words(body)]
    assert "gull23 …" in snippets[0] and "gull24" not in snippets[0]
