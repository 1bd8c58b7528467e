"""The web pages in a real browser: Debian's Chromium, driven by Playwright, against the app served
by uvicorn on a free loopback port over the examples. A person's path through the site: search,
open an article, follow a speaker, open a narrative, a story and a briefing. Each page is saved
as a screenshot under screenshots/ (git-ignored) for a person to look at.

Playwright's own browser download cannot work offline, so the system Chromium is launched; the
tests skip, saying why, where it or the playwright package is missing (`make test` installs both).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Where the screenshots go: screenshots/ (git-ignored), or a folder outside the repo if named.
SCREENSHOTS = Path(os.environ.get("PRESSWATCH_SCREENSHOTS") or Path(__file__).resolve().parents[1] / "screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (`make browser` installs Debian's chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(example_db):
    from fastapi import FastAPI

    from presswatch.web import mount_web

    app = FastAPI()
    mount_web(app, example_db)
    with serving(app) as url:
        yield url


@contextmanager
def serving(app):
    """`app` served by uvicorn on a free loopback port, for as long as the block runs: its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """A page in a fresh Chromium profile; console errors (a CSP refusal, a missing file) are kept
    so the tests can require there were none."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.console_errors = []
        page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
        yield page
        context.close()


@pytest.fixture(autouse=True)
def fresh_console(request):
    if "browser_page" in request.fixturenames:
        request.getfixturevalue("browser_page").console_errors.clear()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_reader_goes_from_search_to_article_to_speaker(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/")
    shoot(page, "home")
    page.fill("form.search input[name=q]", "rescue centre")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/search?*")
    hits = page.locator("ol.hits > li h3 a")
    assert hits.count() > 0
    shoot(page, "search")

    # The agency's story and its copies are one row, led by the best ranked copy: any copy will do. By
    # words that is one of the agency's own headlines; by meaning too (the semantic extra), Lerin Coast
    # Online's, whose headline is nearer the query's meaning.
    page.get_by_role("link", name=re.compile(r"^(Basin council agrees Saltreach rescue centre|Rescue centre for"
                                             r" Saltreach agreed)")).first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".body .st-content").count() > 0 and page.locator(".body .st-cue").count() > 0
    # Marked quotes look marked: the highlight colour reaches the browser through the stylesheet.
    background = page.locator(".body .st-content").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shoot(page, "article")

    page.locator(".body a.speaker-link", has_text="Korhel").first.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == "Anneli Korhel"
    assert page.get_by_role("img", name=re.compile("^statements per month")).is_visible()
    shoot(page, "entity")
    assert page.console_errors == []


def test_statement_search_with_a_speaker_facet(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/search")
    page.fill("input[name=speaker]", "Lomatsky")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**speaker=Lomatsky**")
    page.locator("nav.kinds a[data-kind=statement]").click()
    page.wait_for_url("**kind=statement**")
    assert page.locator("input[name=speaker]").input_value() == "Lomatsky"  # the filter came along
    names = page.locator("ol.hits .speaker-name").all_inner_texts()
    assert names and all("Lomatsk" in name for name in names)
    shoot(page, "search-statements")
    assert page.console_errors == []


def test_a_search_shows_every_kinds_count_and_each_kind_pages_with_its_filters(browser_page, base_url):
    """The page listed articles only, so "strait" showed 17 results where `presswatch search` and
    /api/search found 48. Each kind's count shows at once; each tab lists its kind, paged, with the
    words and filters kept; the counts are the API's."""
    page = browser_page
    page.goto(base_url + "/")
    page.fill("form.search input[name=q]", "strait")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/search?*")
    page.fill("input[name=since]", "2024-01-01")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**since=2024-01-01**")
    tabs = page.locator("nav.kinds a")
    counts = {tabs.nth(i).get_attribute("data-kind"): int(tabs.nth(i).get_attribute("data-count"))
              for i in range(tabs.count())}
    assert list(counts) == ["article", "statement", "both"] and counts["both"] == counts["article"] + counts["statement"]
    assert tabs.first.is_visible() and "Statements" in page.locator("nav.kinds").inner_text()
    api = {kind: page.request.get(f"{base_url}/search", params={"q": "strait", "since": "2024-01-01", "kind": kind,
                                                                 "format": "json"}).json()["total"]
           for kind in counts}
    assert api == counts
    shoot(page, "search-tabs")

    page.locator("nav.kinds a[data-kind=statement]").click()
    page.wait_for_url("**kind=statement**")
    assert page.locator("nav.kinds a[aria-current=page]").get_attribute("data-kind") == "statement"
    assert page.locator("input[name=since]").input_value() == "2024-01-01"
    # Every statement of the page is there, those quoted again in a wire copy folded under their first.
    assert page.locator("ol.hits [data-id]").count() == min(counts["statement"], 50)

    page.locator("nav.kinds a[data-kind=both]").click()
    page.wait_for_url("**kind=both**")
    total = page.locator("nav.pages .result-total")
    assert int(total.get_attribute("data-total")) == counts["both"]
    assert page.locator("ol.hits li.said").count() and page.locator("ol.hits > li h3").count()  # both kinds
    shoot(page, "search-both")
    if counts["both"] > 50:
        page.locator("nav.pages a[rel=next]").click()
        page.wait_for_url("**offset=50**")
        assert "kind=both" in page.url and "since=2024-01-01" in page.url
        assert total.inner_text().startswith(f"51–{min(100, counts['both'])} of {counts['both']}")
    # New words stay on the open tab.
    page.fill("form.search input[name=q]", "rescue")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**q=rescue**")
    assert "kind=both" in page.url
    assert page.console_errors == []


def test_a_reader_opens_a_narrative_and_a_story(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/narratives")
    page.locator("table.list tbody a").first.click()
    page.wait_for_url("**/narratives/*")
    assert page.locator("ol.trail li.year").count() >= 2  # the examples' main claim spans a year
    assert page.locator("figure.chart svg").is_visible()
    shoot(page, "narrative")

    page.goto(base_url + "/stories")
    shoot(page, "stories")
    counts = [int(n) for n in page.locator("table.list tbody td.num").all_inner_texts()]
    page.locator("table.list tbody tr").nth(counts.index(max(counts))).locator("a").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("ol.timeline > li").count() >= 1
    assert page.locator("figure.chart svg").is_visible()
    shoot(page, "story")
    assert page.console_errors == []


def test_a_reader_asks_for_a_briefing(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/briefing")
    page.fill("input[name=since]", "2024-03-01")
    page.fill("input[name=until]", "2024-03-31")
    page.fill("input[name=focus]", "rescue centre")
    page.click("form.briefing button[type=submit]")
    page.wait_for_url("**/briefing?*")
    assert page.locator("input[name=focus]").input_value() == "rescue centre"
    shoot(page, "briefing")
    assert page.console_errors == []


def test_a_reader_pages_through_a_list_and_downloads_it(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/entities?type=person&limit=10")
    total = int(page.locator("nav.pages .result-total").get_attribute("data-total"))
    assert total > 10 and page.locator("nav.pages .result-total").inner_text().startswith(f"1–10 of {total}")
    first = page.locator("tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.id)")
    page.locator("nav.pages a[rel=next]").click()
    page.wait_for_url("**offset=10**")
    assert page.locator("nav.pages .result-total").inner_text().startswith(f"11–{min(20, total)} of {total}")
    second = page.locator("tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert second and not set(first) & set(second)
    shoot(page, "entities-page-2")
    with page.expect_download() as download:
        page.locator("p.downloads a", has_text="CSV").click()
    assert download.value.suggested_filename == "presswatch-entities.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,type,name") and len(lines) == total + 1  # every person, not one page
    assert page.console_errors == []


def test_an_unknown_article_shows_a_not_found_page(browser_page, base_url):
    page = browser_page
    response = page.goto(base_url + "/articles/ffffffffffff")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    shoot(page, "not-found")


# -- the analyst's views --------------------------------------------------------------------------


def test_search_facets_narrow_and_the_volume_chart_shows(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/search?q=rescue+centre&mode=text")
    assert page.locator("figure.chart.volume svg").is_visible()
    assert page.locator("figure.chart.volume table").is_hidden()  # the table fallback is folded
    page.locator("figure.chart.volume summary").click()
    assert page.locator("figure.chart.volume table tbody tr").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the open table scrolls in its box
    assert page.locator("details.filters select[name=outlet]").is_visible()  # wide: the filters stay open
    carried = page.locator("details.carried").first
    assert "carried by" in carried.locator("summary").inner_text()
    carried.locator("summary").click()
    assert carried.locator("li a").count() >= 2
    shoot(page, "search-views")

    speaker = page.locator('ul.facet[data-facet="speaker"] li a').first
    name, count = speaker.inner_text(), int(speaker.locator("xpath=following-sibling::span").inner_text())
    speaker.click()
    page.wait_for_url("**speaker=*")
    assert page.locator("p.active-filters").inner_text().count(name) == 1
    assert page.locator("p.result-count").inner_text().startswith(f"{count} article")
    page.locator("p.active-filters a").first.click()  # remove the filter again
    page.wait_for_url(lambda url: "speaker=" not in url)
    assert page.locator("p.active-filters").count() == 0
    assert page.console_errors == []


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser_page, base_url):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(base_url + "/search?q=rescue+centre&mode=text&outlet=")
        first = page.locator("ol.hits > li").first.bounding_box()
        assert first is not None and first["y"] + 40 < 844, first
        assert page.locator("details.filters select[name=outlet]").is_hidden()
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "search-390")
        page.locator("details.filters > summary").click()
        assert page.locator("details.filters select[name=outlet]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    assert page.console_errors == []


def test_entity_page_graph_links_to_the_people_named_with_them(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/entities")
    page.get_by_role("link", name="Anneli Korhel").first.click()
    page.wait_for_url("**/entities/*")
    graph = page.locator("section.co-mentions svg")
    assert graph.is_visible()
    shoot(page, "entity-graph")
    node = graph.locator("a").first
    label = node.locator("text").text_content()
    node.locator("circle").click()
    page.wait_for_url("**/entities/*")
    assert label.startswith(page.locator("h1").inner_text())
    assert page.console_errors == []


def test_briefing_opens_on_an_example_and_downloads_pdf(browser_page, base_url):
    page = browser_page
    page.goto(base_url + "/briefing")
    assert page.locator("p.example-note").is_visible()
    assert page.locator("input[name=since]").input_value() and page.locator("input[name=focus]").input_value()
    assert page.locator("li.said").count() > 0
    shoot(page, "briefing-example")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
def test_sources_health_reads_on_a_phone(browser_page, tmp_path):
    """The /sources page after one collection from a loopback site: a working and a failing source,
    readable at 390 px without the table pushing the page sideways."""
    from feedsite import FeedSite

    from presswatch.engine.collect import collect_due, register_source
    from presswatch.ingest.polite import PoliteFetcher
    from presswatch.ingest.web import Fetcher
    from presswatch.store import Store

    db = tmp_path / "sources.db"
    with FeedSite() as site, Store(db) as store, PoliteFetcher(
            Fetcher(timeout=10, max_bytes=5_000_000, allow_private=True), host_interval=0) as fetcher:
        site.publish(3)
        register_source(store, site.url("/feed.xml"), name="Almsby Courier")
        register_source(store, site.url("/gone.xml"))
        collect_due(store, fetcher, analyse=False)
    from fastapi import FastAPI

    from presswatch.web import mount_web

    app = FastAPI()
    mount_web(app, db)
    page = browser_page
    with serving(app) as url:
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            page.goto(url + "/sources")
            rows = page.locator("table.sources tbody tr")
            assert rows.count() == 2 and page.locator("tr.failing").count() == 1
            assert "HTTP 404 Not Found" in page.locator("tr.failing").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            outcome = page.locator("tr.failing td[data-label=Outcome]")  # a card's line, inside the screen
            assert outcome.is_visible() and outcome.bounding_box()["x"] + outcome.bounding_box()["width"] <= 390
            shoot(page, "sources-390")
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})
    assert page.console_errors == []


def test_the_narratives_table_fits_the_page_and_keeps_its_claims_readable(browser_page, base_url):
    """Who opposes a claim can be a long list of names: it wraps in its cell rather than push the
    table past the page and squeeze the claims into a column a few words wide."""
    page = browser_page
    page.goto(base_url + "/narratives")
    main = page.locator("main").bounding_box()
    table = page.locator("table.list").bounding_box()
    claim = page.locator("table.list tbody tr td").first.bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1
    assert claim["width"] >= table["width"] / 4


# Eleven fictional harbour people, each quoted once in a paper of their own town saying one thing:
# more speakers and outlets than the briefing page lists before folding the rest.
QUAY_PEOPLE = [("Anna Kask", "Vell"), ("Bengt Oyen", "Ormby"), ("Carla Marsk", "Tarnholm"), ("Dag Tolle", "Skarp"),
               ("Eira Vinter", "Lisa Bay"), ("Frode Brask", "Brenholt"), ("Greta Lunde", "Kvist"),
               ("Hakon Holm", "Morvik"), ("Ilse Stave", "Salt Ness"), ("Jorun Rye", "Eldby"), ("Kari Fjell", "Hov")]


def test_the_briefing_page_shows_what_its_downloads_hold_folding_long_lists(browser_page, tmp_path):
    """Every speaker and outlet of the Who and Where tallies, and each group's narrative id and
    outlets, as the Markdown download writes them: the first ones shown, the rest folded in a
    <details> a reader opens."""
    from fastapi import FastAPI

    from presswatch.engine.analyse import analyse
    from presswatch.records import TEXT, Article, Page
    from presswatch.store import Store
    from presswatch.web import mount_web

    db = tmp_path / "quay.db"
    with Store(db) as store:
        for number, (name, town) in enumerate(QUAY_PEOPLE):
            body = (f"Harbour officials met in {town} on Monday. {name} said the Vell ferry quay would reopen in May "
                    "after the repairs. The council will meet again next week.")
            key = f"q{number:02d}"
            store.add_page(Page(id=key, source=key, kind=TEXT, content=body),
                           Article(id=key, page_id=key, url=None, title=f"Quay news {number}", body=body,
                                   paragraphs=(body,), outlet=f"The {town} Courier", published=f"2026-03-{number + 1:02d}",
                                   language="en"))
        analyse(store)
    app = FastAPI()
    mount_web(app, db)
    page = browser_page
    window = "since=2026-03-01&until=2026-03-31"
    with serving(app) as url:
        page.goto(f"{url}/briefing?{window}")
        markdown = page.request.get(f"{url}/briefing/download?format=md&{window}").text()
        downloaded = {label: line.split(":** ", 1)[1].split("; ")
                      for line in markdown.splitlines() for label in ("Who", "Where") if line.startswith(f"**{label}:**")}
        narrative_line = next(line for line in markdown.splitlines() if line.startswith("narrative "))
        narrative_id, group_outlets = narrative_line.split(" · ")[0].split()[1], narrative_line.split("outlets: ")[1].split(", ")
        assert len(downloaded["Who"]) == len(downloaded["Where"]) == len(group_outlets) == len(QUAY_PEOPLE)
        shoot(page, "briefing-long")
        for tally, label in ((page.locator(".tally.who"), "Who"), (page.locator(".tally.where"), "Where")):
            folded = tally.locator("details.more")
            assert folded.locator("summary").inner_text() == f"{len(QUAY_PEOPLE) - 8} more"
            assert not tally.get_by_text(downloaded[label][-1]).is_visible()
            folded.locator("summary").click()
            assert tally.get_by_text(downloaded[label][-1]).is_visible()
            shown = tally.inner_text().split(":", 1)[1].replace(f"{len(QUAY_PEOPLE) - 8} more", "")
            assert [item.strip() for item in shown.replace("\n", "; ").split(";") if item.strip()] == downloaded[label]
        facts = page.locator(".brief-group .group-facts")
        assert facts.count() == 1 and facts.locator("code").inner_text() == narrative_id
        facts.locator("details.more summary").click()
        shown = facts.inner_text().split("outlets:", 1)[1].replace(f"{len(QUAY_PEOPLE) - 8} more", "")
        assert [item.strip() for item in shown.replace("\n", "; ").split(";") if item.strip()] == group_outlets
        shoot(page, "briefing-long-open")
    assert page.console_errors == []
