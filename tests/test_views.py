"""The analyst's views over the bundled examples: facets whose counts are what their filter finds,
volume over time that adds up to the listing, who is named with whom (symmetric, and what the
articles' own entities say), wire copies folded, the briefing's example and downloads; through the
query layer, the API and the web pages."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, timedelta
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from presswatch.errors import MissingExtra
from presswatch.query import (
    briefing_example,
    build_briefing,
    co_mentions,
    result_facets,
    volume,
    wire_groups,
)
from presswatch.query import facets as facets_module
from presswatch.query.volume import DAY, MONTH, WEEK, _periods, _start
from presswatch.store import Store
from presswatch.store.entities import find_entities
from presswatch.store.search import (
    SearchFilters,
    list_articles,
    list_statements,
    search,
)
from presswatch.summarize import pdf as pdf_module
from presswatch.web import mount_web
from presswatch.web import queries as web_queries
from presswatch.web.queries import article_entities

ALL = 10_000  # more than the examples hold


@pytest.fixture(scope="module")
def store(example_db):
    with Store(example_db) as opened:
        yield opened


@pytest.fixture(scope="module")
def web(example_db) -> TestClient:
    app = FastAPI()
    mount_web(app, example_db)
    return TestClient(app)


@pytest.fixture(scope="module")
def api(example_db, tmp_path_factory) -> TestClient:
    from presswatch.api.app import create_app

    copy = tmp_path_factory.mktemp("views-api") / "examples.db"
    shutil.copy(example_db, copy)
    with TestClient(create_app(str(copy)), base_url="http://127.0.0.1") as client:
        yield client


def test_search_form_suggests_only_the_most_quoted_speakers(web, store, monkeypatch):
    """The home page's speaker and entity suggestions stop at NAMES_SUGGESTED, most frequent first
    (at 100k articles every name made the page megabytes long); a name left out still filters."""
    everyone = web_queries.facet_values(store)["speaker"]
    assert len(everyone) > 2
    monkeypatch.setattr(web_queries, "NAMES_SUGGESTED", 2)
    suggested = web_queries.facet_values(store)
    assert suggested["speaker"] == everyone[:2]
    assert len(suggested["entity"]) == 2
    options = re.search(r'<datalist id="speakers">(.*?)</datalist>', web.get("/").text, re.DOTALL).group(1)
    assert re.findall(r'<option value="([^"]*)"', options) == [name for name, _ in everyone[:2]]
    left_out = everyone[-1][0]
    assert list_statements(store, SearchFilters(speaker=left_out), limit=ALL)


# -- facets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["article", "statement"])
def test_each_facet_count_is_what_its_filter_finds(store, kind):
    listing = list_articles if kind == "article" else list_statements
    everything = [item.id for item in listing(store, limit=ALL)]
    facets = result_facets(store, kind, everything, shown=1000)
    assert set(facets) == {"speaker", "entity", "outlet", "language", "narrative"}
    assert all(facets[name] for name in ("speaker", "entity", "outlet", "language", "narrative"))
    for name, values in facets.items():
        for value in values:
            if value.value is None:  # "(unknown outlet)" and the like: nothing to filter by
                continue
            narrowed = listing(store, SearchFilters(**{name: value.value}), limit=ALL)
            assert len(narrowed) == value.count, (kind, name, value)


def test_facets_count_only_the_results_given(store):
    hits = search(store, "rescue centre", mode="text", kinds=("article",), limit=ALL).hits
    facets = result_facets(store, "article", [h.id for h in hits])
    assert sum(v.count for v in facets["outlet"]) == len(hits)
    assert all(v.count <= len(hits) for values in facets.values() for v in values)
    assert result_facets(store, "article", []) == {name: [] for name in facets}


def search_date(store, statement) -> str | None:
    """A statement's date as the filters read it: its own when a calendar date, else its article's."""
    if statement.date and re.match(r"\d{4}-\d{2}", statement.date):
        return statement.date
    return store.article(statement.article_id).published


# -- volume ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["article", "statement"])
@pytest.mark.parametrize("interval", [DAY, WEEK, MONTH])
def test_volume_adds_up_to_the_listing_in_consecutive_periods(store, kind, interval):
    listing = list_articles if kind == "article" else list_statements
    found = volume(store, kind=kind, interval=interval)
    assert found.total == len(listing(store, limit=ALL))
    assert found.total - found.undated == sum(v.total for v in found.outlets) > 0
    assert all(sum(v.counts) == v.total and len(v.counts) == len(found.periods) for v in found.outlets)
    days = [date.fromisoformat(p) for p in found.periods]
    assert days == _periods(days[0], days[-1], interval)  # no gap, no repeat
    if interval == WEEK:
        assert all(d.weekday() == 0 for d in days)
    totals = [sum(v.counts[i] for v in found.outlets) for i in range(len(days))]
    assert totals[0] and totals[-1]  # the span is the data's
    # Each period holds the items dated in it, counted here one by one from the listing.
    expected = {}
    for item in listing(store, limit=ALL):
        when = (item.published if kind == "article" else search_date(store, item)) or ""
        if re.match(r"\d{4}-\d{2}-\d{2}", when):
            period = _start(date.fromisoformat(when[:10]), interval)
            expected[period] = expected.get(period, 0) + 1
    assert {d: n for d, n in zip(days, totals) if n} == expected


def test_volume_of_a_search_counts_its_matches_by_outlet(store):
    filters = SearchFilters(outlet="Kestrel News Agency")
    hits = search(store, "strait", mode="text", kinds=("statement",), filters=filters, limit=ALL).hits
    found = volume(store, kind="statement", query="strait", mode="text", filters=filters)
    assert found.total == len(hits) > 0
    assert [v.outlet for v in found.outlets] == ["Kestrel News Agency"]
    assert not found.capped


@given(st.dates(date(1990, 1, 1), date(2040, 1, 1)), st.integers(0, 900), st.sampled_from([DAY, WEEK, MONTH]))
def test_periods_cover_every_day_once(first, span, interval):
    last = first + timedelta(days=span)
    periods = _periods(_start(first, interval), last, interval)
    assert periods[0] <= first and _start(last, interval) == periods[-1]
    assert periods == sorted(set(periods))
    assert all(_start(p, interval) == p for p in periods)


# -- co-mentions ----------------------------------------------------------------------------------


def test_co_mentions_are_the_articles_naming_both_and_symmetric(store):
    centre = find_entities(store, "Anneli Korhel")[0]
    found = co_mentions(store, centre, limit=50)
    named_in = {}
    for article in list_articles(store, limit=ALL):
        named_in[article.id] = {entity_id for entity_id, *_ in article_entities(store, article.id)}
    with_centre = [names for names in named_in.values() if centre in names]
    assert found.articles == len(with_centre)
    assert found.neighbours
    for neighbour in found.neighbours:
        assert neighbour.articles == sum(neighbour.entity.id in names for names in with_centre)
        back = co_mentions(store, neighbour.entity.id, limit=500)
        assert centre in {n.entity.id: n.articles for n in back.neighbours}
        assert {n.entity.id: n.articles for n in back.neighbours}[centre] == neighbour.articles
    shown = {n.entity.id for n in found.neighbours}
    for link in found.links:
        assert {link.source, link.target} <= shown
        assert link.articles == sum({link.source, link.target} <= names for names in with_centre)
    people = co_mentions(store, centre, types=("person",))
    assert people.neighbours and all(n.entity.type == "person" for n in people.neighbours)


# -- wire copies ----------------------------------------------------------------------------------


def test_wire_copies_fold_into_one_group_per_story(store):
    ids = [a.id for a in list_articles(store, limit=ALL)]
    groups = wire_groups(store, ids)
    flat = [a for g in groups for a in g.article_ids]
    assert sorted(flat) == sorted(ids) and len(flat) == len(set(flat))  # a partition
    assert all(list(g.article_ids) == sorted(g.article_ids, key=ids.index) for g in groups)  # the list's order
    assert [ids.index(g.lead) for g in groups] == sorted(ids.index(g.lead) for g in groups)
    linked = [g for g in groups if len(g.article_ids) > 1]
    assert linked, "the examples hold one agency story carried by other outlets"
    for group in linked:
        assert len(group.outlets) == len(group.article_ids) >= 2
        for article_id in group.article_ids:
            assert {other for other, _ in store.near_duplicates(article_id)} & set(group.article_ids)
    # Only copies in the list are folded: a list holding one copy has nothing to fold.
    lone = linked[0].article_ids[-1]
    assert wire_groups(store, [lone]) == [type(linked[0])((lone,), (linked[0].outlets[-1],))]


def test_search_page_shows_wire_copies_as_one_row(web, store):
    page = web.get("/search", params={"q": "Saltreach rescue centre agreed", "mode": "text"})
    assert page.status_code == 200
    assert re.search(r"carried by [3-9] outlets", page.text)
    assert page.text.count('class="carried"') == 1


def test_a_quote_carried_by_wire_copies_is_one_statement_row(web, store):
    query = '"put it to the council again"'
    hits = search(store, query, mode="text", kinds=("statement",), limit=ALL).hits
    groups = wire_groups(store, [h.article_id for h in hits])
    assert len(hits) >= 3 and len(groups) < len(hits)  # the same words in copies of one story
    page = web.get("/search", params={"q": query, "kind": "statement", "mode": "text"})
    assert page.status_code == 200
    assert page.text.count('<li class="said"') == len(groups)
    assert f"carried by {max(len(g.outlets) for g in groups)} outlets" in page.text


# -- the search page's views ----------------------------------------------------------------------


def test_search_page_facets_link_to_narrowed_searches(web):
    page = web.get("/search", params={"kind": "statement"})
    assert page.status_code == 200
    for facet in ("speaker", "entity", "outlet", "language", "narrative"):
        assert f'data-facet="{facet}"' in page.text
    link = re.search(r'data-facet="speaker"><li><a href="(/search\?[^"]+)"[^>]*>([^<]+)</a> <span class="count">(\d+)', page.text)
    narrowed = web.get(link.group(1).replace("&amp;", "&"))
    assert narrowed.status_code == 200
    assert f'<p class="result-count">{link.group(3)} statement' in narrowed.text
    assert "Narrowed to" in narrowed.text and link.group(2) in narrowed.text


def _web_facets(page: str) -> dict[str, list[tuple[str, int]]]:
    """The search page's facet panel as facet -> [(label, count)] (a link's label from its title: the
    text shown is cut at 80 characters)."""
    line = re.compile(r'<li>(?:<a [^>]*title="([^"]*)"|<strong>([^<]*)</strong>|<span class="meta">([^<]*)</span>)'
                      r'.*? <span class="count">(\d+)</span></li>')
    return {
        name: [(unescape(next(label for label in found[:3] if label)), int(found[3])) for found in line.findall(values)]
        for name, values in re.findall(r'data-facet="(\w+)">(.*?)</ul>', page)
    }


@pytest.mark.parametrize("params", [
    {"kind": "statement", "q": "rescue"},
    {"kind": "statement", "q": "rescue", "sort": "date"},
    {"kind": "article"},
    {"kind": "statement", "language": "en"},
    {"kind": "article", "q": ""},  # the search form left empty: the web lists, the API answered 422
])
def test_search_page_and_api_count_facets_over_the_same_first_results(web, api, params, monkeypatch):
    """Both faces ask `query.facets.search_facets`: the same first results (here cut at 3, so which
    ones come first matters), the same counts."""
    monkeypatch.setattr(facets_module, "FACET_CANDIDATES", 3)
    page = web.get("/search", params={"mode": "text", **params})
    assert page.status_code == 200 and "Counted over the first 3 of" in page.text
    answer = api.get("/api/facets", params={"mode": "text", **params})
    assert answer.status_code == 200
    from_api = {name: [(v["label"], v["count"]) for v in values] for name, values in answer.json().items() if values}
    assert _web_facets(page.text) == from_api != {}


def test_api_volume_of_a_blank_query_is_that_of_none(api):
    """As the search page reads an empty `q=`: every item that passes the filters (it was a 422)."""
    blank = api.get("/api/volume", params={"q": "", "kind": "statement"})
    assert blank.status_code == 200 and blank.json() == api.get("/api/volume", params={"kind": "statement"}).json()


def test_search_page_draws_volume_with_a_table(web):
    page = web.get("/search", params={"q": "rescue", "interval": "week"})
    assert page.status_code == 200
    figure = page.text.split('<figure class="chart volume">')[1].split("</figure>")[0]
    assert "<svg" in figure and "<script" not in figure and 'role="img"' in figure
    assert "Articles per week" in figure and "<table" in figure
    bad = web.get("/search", params={"q": "rescue", "interval": "fortnight"})
    assert bad.status_code == 400 and "unknown interval" in bad.text


def test_entity_page_draws_who_is_named_with_whom(web, store):
    korhel = find_entities(store, "Anneli Korhel")[0]
    page = web.get(f"/entities/{korhel}")
    assert page.status_code == 200
    section = page.text.split('class="co-mentions"')[1].split("</section>")[0]
    found = co_mentions(store, korhel)
    for neighbour in found.neighbours:
        assert f'href="/entities/{neighbour.entity.id}"' in section
    assert section.count("<circle") == len(found.neighbours) + 1


# -- briefing -------------------------------------------------------------------------------------


def test_briefing_example_is_a_non_empty_briefing_from_the_store(store):
    example = briefing_example(store)
    assert set(example) == {"since", "until", "speaker"}
    made = build_briefing(store, **example)
    assert made.statements > 0
    assert example["speaker"] in {name for name, _ in made.speakers}


def test_briefing_page_opens_on_the_example_and_downloads_it(web, store):
    page = web.get("/briefing")
    example = briefing_example(store)
    assert page.status_code == 200 and "An example from your database" in page.text
    assert f'value="{example["since"]}"' in page.text and 'class="said"' in page.text
    links = re.findall(r'href="(/briefing/download\?[^"]+)"', page.text)
    assert len(links) == 3
    got = {}
    for link in links:
        answer = web.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200
        assert "attachment" in answer.headers["content-disposition"]
        got[answer.headers["content-type"].split(";")[0]] = answer
    assert set(got) == {"text/markdown", "text/html", "application/pdf"}
    assert example["speaker"] in got["text/markdown"].text and example["speaker"] in got["text/html"].text
    assert "http://testserver/articles/" in got["text/markdown"].text  # links that work outside the site
    pypdf = pytest.importorskip("pypdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(got["application/pdf"].content)).pages)
    assert example["speaker"] in text and "Briefing" in text


def test_pdf_without_a_font_says_what_to_install(store, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "FONT_DIRS", (tmp_path,))
    monkeypatch.delenv("PRESSWATCH_PDF_FONTS", raising=False)
    with pytest.raises(MissingExtra, match="fonts-dejavu-core"):
        pdf_module.briefing_pdf(build_briefing(store, limit=3))


def test_briefing_download_refuses_an_unknown_format(web):
    answer = web.get("/briefing/download", params={"format": "docx", "since": "2024-03-01"})
    assert answer.status_code == 400 and "unknown format" in answer.text


# -- the API --------------------------------------------------------------------------------------


def test_api_volume_facets_and_co_mentions(api, store):
    answer = api.get("/api/volume", params={"q": "rescue", "kind": "statement", "interval": "month"})
    assert answer.status_code == 200
    expected = volume(store, kind="statement", query="rescue", interval="month")
    assert answer.json()["periods"] == list(expected.periods) and answer.json()["total"] == expected.total
    assert api.get("/api/volume", params={"interval": "year"}).status_code == 422

    facets = api.get("/api/facets", params={"kind": "statement", "top": 2}).json()
    assert all(len(values) <= 2 for values in facets.values()) and facets["speaker"]

    korhel = find_entities(store, "Anneli Korhel")[0]
    answer = api.get(f"/api/entities/{korhel}/co-mentions", params={"limit": 3})
    assert answer.status_code == 200
    assert [n["entity"]["id"] for n in answer.json()["neighbours"]] == [
        n.entity.id for n in co_mentions(store, korhel, limit=3).neighbours]
    assert api.get("/api/entities/no-such-one/co-mentions").status_code == 404
    pdf = api.get("/api/briefing", params={"format": "pdf", "since": "2024-03-01", "until": "2024-03-31"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_cli_brief_writes_a_pdf_to_a_file_only(example_db, tmp_path):
    from typer.testing import CliRunner

    from presswatch.cli import app

    out = tmp_path / "brief.pdf"
    done = CliRunner().invoke(app, ["brief", "--db", str(example_db), "--since", "2024-03-01", "--format", "pdf",
                                    "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"%PDF")
    refused = CliRunner().invoke(app, ["brief", "--db", str(example_db), "--format", "pdf"])
    assert refused.exit_code == 1 and "--output" in refused.output and "Traceback" not in refused.output


def test_story_timeline_folds_wire_copies(web, store):
    ids = [a.id for a in list_articles(store, limit=ALL)]
    group = next(g for g in wire_groups(store, ids) if len(g.article_ids) > 1)
    story = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (group.lead,)).fetchone()[0]
    in_story = {r[0] for r in store.conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story,))}
    copies = [a for a in group.article_ids if a in in_story]
    page = web.get(f"/stories/{story}")
    assert page.status_code == 200 and len(copies) > 1  # the examples' agency story is one story
    assert f"carried by {len(copies)} outlets" in page.text
    for article_id in in_story:  # every article still linked
        assert f'href="/articles/{article_id}"' in page.text
