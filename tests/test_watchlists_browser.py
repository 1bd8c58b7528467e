"""The /watchlists page in headless Chromium: a reader sees each watch's new items, opens one, and
finds the watch's feeds. Screenshots go to screenshots/ (git-ignored) for a person to look at."""

from __future__ import annotations

import pytest
from test_watchlists import add_article
from test_web_browser import browser_page, fresh_console, serving, shoot  # noqa: F401 - fixtures used by name

from presswatch.server import create_server
from presswatch.store import Store
from presswatch.store.watchlists import add_watch


@pytest.fixture(scope="module")
def watched_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("watch-web") / "watch.db"
    with Store(path) as store:
        add_article(store, "storm", "A winter storm closed Vellmar harbour on Saturday.", title="Storm shuts harbour")
        add_watch(store, "harbour", "harbour")
        add_watch(store, "ferries", "ferry", kinds=("article",))
        add_article(store, "reopen", "Vellmar harbour reopened on Monday.", title="Vellmar harbour reopens",
                    statement="The harbour is open for every crew")
    with serving(create_server(str(path))) as url:
        yield url


def test_a_reader_sees_what_is_new_for_each_watch_and_opens_it(browser_page, watched_url):  # noqa: F811
    page = browser_page
    page.goto(watched_url + "/")
    page.get_by_role("link", name="Watchlists").click()
    page.wait_for_url("**/watchlists")
    harbour = page.locator("section[data-watch=harbour]")
    assert "2 new" in harbour.locator("h2").inner_text()
    rows = harbour.locator("ol.watch-items > li")
    assert rows.count() == 2
    assert "Ilse Grannick: The harbour is open" in rows.nth(0).inner_text()  # the statement arrived last
    assert rows.nth(0).locator(".meta").inner_text().startswith("statement · The Tarn Gazette · 2025-02-01 · arrived")
    assert "Nothing new" in page.locator("section[data-watch=ferries]").inner_text()
    atom = harbour.get_by_role("link", name="Atom").get_attribute("href")
    feed = page.request.get(watched_url + atom)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml") and b"<entry>" in feed.body()
    shoot(page, "watchlists")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "watchlists-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling of the page
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.nth(1).get_by_role("link").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").first.inner_text() == "Vellmar harbour reopens"
    assert page.console_errors == []
