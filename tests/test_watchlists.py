"""Watchlists and alerts: arrivals, saved searches and their marks, new items, the CLI, the API with
its Atom and JSON feeds, and webhooks against a loopback server. The pages are invented here."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from presswatch.cli import app as cli_app
from presswatch.engine.alerts import run_alerts
from presswatch.errors import BusyError, QueryError, UnknownRecord
from presswatch.query.watchlists import (
    atom_feed,
    feed_items,
    watch_alerts,
    watchlist_overview,
)
from presswatch.records import Article, Page, Statement
from presswatch.server import create_server
from presswatch.store import Store
from presswatch.store import watchlists as watchlist_store
from presswatch.store.database import _statements
from presswatch.store.schema import MIGRATIONS
from presswatch.store.search import SearchFilters
from presswatch.store.statements import replace_statements
from presswatch.store.watchlists import (
    add_watch,
    latest_arrival,
    mark_seen,
    remove_watch,
    watch,
    watch_matches,
    watches,
)

TOKEN = "watch-token"
LOCAL = "http://127.0.0.1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def add_article(store: Store, key: str, body: str, *, outlet: str = "The Tarn Gazette", published="2025-02-01",
                title: str | None = None, statement: str | None = None) -> str:
    """Store an invented article (and one statement by a harbourmaster, when given) as ingest would."""
    page = Page.make(f"{key}.html", "html", f"<h1>{key}</h1><p>{body}</p>")
    store.add_page(page, Article(id=page.id, page_id=page.id, url=f"https://tarn.example/{key}", title=title or key,
                                 body=body, paragraphs=(body,), outlet=outlet, published=published, language="en",
                                 body_hash=key))
    if statement:
        replace_statements(store, page.id, [Statement(
            id=f"{page.id}:0-4", article_id=page.id, speaker="Ilse Grannick", speaker_name="Ilse Grannick",
            speaker_role="harbourmaster", speaker_kind="person", cue="said", content=statement, mode="direct",
            cue_span=(0, 4), speaker_span=None, content_spans=((5, 5 + len(statement)),))])
    return page.id


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "watch.db") as opened:
        add_article(opened, "storm", "A winter storm closed Vellmar harbour on Saturday.",
                    statement="We reopen the harbour when the swell drops")
        add_article(opened, "council", "The Vellmar council met to discuss school funding.")
        yield opened


# -- arrivals -----------------------------------------------------------------------------------------


def test_every_stored_article_and_statement_arrives_once_in_order(store):
    rows = store.conn.execute("SELECT seq, kind, item_id FROM arrivals ORDER BY seq").fetchall()
    assert [r["kind"] for r in rows] == ["article", "statement", "article"]
    storm = rows[0]["item_id"]
    # Analysis run again stores the same statement again: it keeps its first arrival.
    before = latest_arrival(store)
    statement = store.conn.execute("SELECT id FROM statements").fetchone()[0]
    replace_statements(store, storm, [])
    add_article(store, "storm", "A winter storm closed Vellmar harbour on Saturday.",
                statement="We reopen the harbour when the swell drops")
    assert latest_arrival(store) == before
    assert store.conn.execute("SELECT id FROM statements").fetchone()[0] == statement


def test_a_database_from_before_watchlists_gets_arrivals_for_what_it_holds(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:9], start=1):
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={number}")
    conn.execute("INSERT INTO pages (id, source, kind, ingested_at, content) VALUES ('p1', 'a.html', 'html',"
                 " '2025-03-01T10:00:00+00:00', 'x')")
    conn.execute("INSERT INTO articles (id, page_id, body, paragraphs, body_hash) VALUES ('p1', 'p1', 'harbour', '[]', 'h')")
    conn.commit()
    conn.close()
    with Store(path) as migrated:
        rows = migrated.conn.execute("SELECT seq, kind, item_id, arrived_at FROM arrivals").fetchall()
        assert [tuple(r) for r in rows] == [(1, "article", "p1", "2025-03-01T10:00:00+00:00")]
        add_article(migrated, "later", "The harbour reopened.")
        assert latest_arrival(migrated) == 2


# -- watches and what is new ----------------------------------------------------------------------------


def test_a_new_watch_starts_with_nothing_new_and_alerts_on_what_arrives(store):
    add_watch(store, "harbour", "harbour")
    assert watch_alerts(store, "harbour").items == ()
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.", published="2024-01-01")
    add_article(store, "budget", "The council approved the budget.")
    listed = watch_alerts(store, "harbour")
    # An article published long ago is still news when it is first stored.
    assert [(i.kind, i.id) for i in listed.items] == [("article", fresh)]
    assert listed.items[0].arrived_at and listed.through == latest_arrival(store)
    # What arrives after the list was shown stays new when the list is marked seen.
    late = add_article(store, "late", "Storm damage at the harbour wall is repaired.")
    mark_seen(store, "harbour", listed.through)
    assert [i.id for i in watch_alerts(store, "harbour").items] == [late]
    mark_seen(store, "harbour")
    assert watch_alerts(store, "harbour").items == ()
    mark_seen(store, "harbour", 1)  # a mark never moves back
    assert watch_alerts(store, "harbour").items == ()


def test_a_watch_can_count_what_is_stored_as_new(store):
    add_watch(store, "all", "harbour", include_stored=True)
    assert [i.kind for i in watch_alerts(store, "all").items] == ["statement", "article"]
    assert [s.new for s in watchlist_overview(store)] == [2]


def test_a_watch_keeps_its_filters_and_kinds(store):
    add_watch(store, "tarn-said", "harbour", kinds=("statement",), filters=SearchFilters(speaker="Ilse Grannick"))
    add_watch(store, "elsewhere", "harbour", kinds=("article",), filters=SearchFilters(outlet="Coastline Daily"))
    add_article(store, "quay", "Boats left the harbour at dawn.", statement="The harbour is open again")
    add_article(store, "coast", "Coastline harbour fees rise.", outlet="Coastline Daily")
    said = watch_alerts(store, "tarn-said").items
    assert [(i.kind, i.speaker) for i in said] == [("statement", "Ilse Grannick")]
    assert [i.outlet for i in watch_alerts(store, "elsewhere").items] == ["Coastline Daily"]
    assert dict(watch(store, "elsewhere").filters) == {"outlet": "Coastline Daily"}
    assert {(s.watch.name, s.new) for s in watchlist_overview(store)} == {("tarn-said", 1), ("elsewhere", 1)}


@pytest.mark.parametrize("name, query, filters, error", [
    ("bad name", "harbour", SearchFilters(), QueryError),
    ("feed.atom", "harbour", SearchFilters(), QueryError),
    ("ok", "harbour AND", SearchFilters(), QueryError),
    ("ok", "harbour", SearchFilters(entity="Nobody Known"), UnknownRecord),
    ("ok", "harbour", SearchFilters(arrived_after=3), QueryError),
])
def test_a_watch_that_could_not_run_is_refused_when_saved(store, name, query, filters, error):
    with pytest.raises(error):
        add_watch(store, name, query, filters=filters)
    assert watches(store) == []


def test_names_are_unique_and_removal_says_what_is_missing(store):
    add_watch(store, "harbour", "harbour")
    with pytest.raises(QueryError, match="exists"):
        add_watch(store, "Harbour", "storm")
    remove_watch(store, "harbour")
    with pytest.raises(UnknownRecord, match="no watch named"):
        remove_watch(store, "harbour")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(matching=st.lists(st.booleans(), min_size=1, max_size=40), limit=st.integers(1, 12),
       fetch_limit=st.integers(2, 6), after=st.integers(0, 10), by_words=st.booleans())
def test_matches_come_latest_arrival_first_whatever_the_windows(tmp_path_factory, monkeypatch, matching, limit,
                                                                 fetch_limit, after, by_words):
    """The walk over windows of arrivals (narrowed when a search is full) gives exactly the latest
    matches, as reading every arrival would: for a search and for a watch on filters alone."""
    monkeypatch.setattr(watchlist_store, "FETCH_LIMIT", fetch_limit)
    with Store(tmp_path_factory.mktemp("walk") / "walk.db") as walk:
        ids = [add_article(walk, f"a{n}", "harbour news" if hit else "council news", published=f"20{10 + n % 9}-01-01",
                           outlet="The Tarn Gazette" if hit else "Coastline Daily")
               for n, hit in enumerate(matching)]
        if by_words:
            saved = add_watch(walk, "w", "harbour")
        else:
            saved = add_watch(walk, "w", None, filters=SearchFilters(outlet="The Tarn Gazette"))
        through = latest_arrival(walk)
        expected = [i for n, i in reversed(list(enumerate(ids, start=1))) if matching[n - 1] and n > after]
        found = watch_matches(walk, saved, after=after, through=through, limit=limit)
        assert [i.id for i in found] == expected[:min(limit, fetch_limit)]


def test_feeds_parse_back_and_carry_text_xml_cannot_hold(store):
    add_watch(store, "harbour", "harbour")
    add_article(store, "odd", "The harbour\x0b log was\x00 damaged.", title="Harbour \x01log")
    saved, items = feed_items(store, "harbour")
    parsed = feedparser.parse(atom_feed(saved, items, feed_url="http://127.0.0.1/f.atom", link=lambda i: "http://127.0.0.1/a"))
    assert not parsed.bozo, parsed.bozo_exception
    assert [e.id for e in parsed.entries] == [f"urn:presswatch:{i.kind}:{i.id}" for i in items]
    assert parsed.entries[0].title == "Harbour \ufffdlog"


# -- the command line -----------------------------------------------------------------------------------


def cli(*args):
    return CliRunner().invoke(cli_app, [str(a) for a in args])


def test_the_command_line_saves_lists_alerts_and_removes(store):
    db = store.path
    saved = cli("watchlist", "add", "harbour", "--query", "harbour", "--what", "articles", "--outlet",
                "The Tarn Gazette", "--db", db)
    assert saved.exit_code == 0, saved.output
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.", title="Harbour reopens")
    listed = cli("watchlist", "list", "--format", "json", "--db", db)
    assert [(w["name"], w["new"], w["filters"]) for w in json.loads(listed.stdout)] == [
        ("harbour", 1, {"outlet": "The Tarn Gazette"})]
    shown = cli("alerts", "--db", db, "--mark-seen")
    assert shown.exit_code == 0 and "Harbour reopens" in shown.stdout and "1 new" in shown.stdout
    again = json.loads(cli("alerts", "harbour", "--format", "json", "--db", db).stdout)
    assert again[0]["items"] == [] and again[0]["seen_through"] >= 3 and fresh
    assert cli("watchlist", "remove", "harbour", "--db", db).exit_code == 0
    assert "no watches" in cli("alerts", "--db", db).stdout


def test_marking_seen_past_the_limit_says_that_the_unlisted_items_are_marked_too(store):
    """A watch keeps one mark and lists its latest arrivals first, so what --mark-seen marks is
    everything new, listed or not; the line said only "(now marked seen)" beside "the latest 2
    listed", and the README said it marked what was listed."""
    add_watch(store, "harbour", "harbour")
    for day in range(3):
        add_article(store, f"report{day}", f"Vellmar harbour report number {day}.")
    shown = cli("alerts", "harbour", "--limit", "2", "--mark-seen", "--db", store.path)
    assert shown.exit_code == 0 and "harbour: 3 new, the latest 2 listed (all 3 now marked seen)" in shown.stdout
    assert watch_alerts(store, "harbour").new == 0
    add_article(store, "report3", "Vellmar harbour report number 3.")
    once = cli("alerts", "harbour", "--mark-seen", "--db", store.path)
    assert "harbour: 1 new (now marked seen)" in once.stdout


@pytest.mark.parametrize("args, words", [
    (("watchlist", "add", "x y", "--query", "harbour"), "not usable"),
    (("watchlist", "add", "ok", "--query", '"harbour'), "quote"),
    (("watchlist", "add", "ok", "--query", "harbour", "--webhook", "ftp://x"), "not an http"),
    (("alerts", "missing"), "no watch named"),
    (("watchlist", "remove", "missing"), "no watch named"),
])
def test_command_line_mistakes_are_one_line(store, args, words):
    result = cli(*args, "--db", store.path)
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output


# -- the HTTP API and its feeds ---------------------------------------------------------------------------


@pytest.fixture
def client(store):
    with TestClient(create_server(store.path, token=TOKEN), base_url=LOCAL) as test_client:
        yield test_client


def test_the_api_lists_new_items_and_serves_valid_feeds(client, store):
    created = client.post("/api/watchlists", json={"name": "harbour", "query": "harbour"}, headers=AUTH)
    assert created.status_code == 201 and created.json()["has_webhook"] is False
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.", title="Harbour reopens",
                        statement="The harbour is open")
    assert [(w["name"], w["new"]) for w in client.get("/api/watchlists").json()] == [("harbour", 2)]
    alerts = client.get("/api/watchlists/harbour").json()
    assert (alerts["new"], alerts["more"]) == (2, False)
    assert client.get("/api/watchlists/harbour", params={"limit": 1}).json()["new"] == 2
    assert [(i["kind"], i["article_id"]) for i in alerts["items"]] == [("statement", fresh), ("article", fresh)]

    atom = client.get("/api/watchlists/harbour.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(atom.content)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.links[0].href == f"{LOCAL}/api/watchlists/harbour.atom"
    # Latest arrival first: the feed holds the older matches too, unlike the alerts.
    assert [e.link for e in feed.entries][:2] == [f"{LOCAL}/articles/{fresh}#st-{fresh}:0-4", f"{LOCAL}/articles/{fresh}"]
    assert len(feed.entries) == 4 and all(e.updated for e in feed.entries)
    json_feed = client.get("/api/watchlists/harbour.json")
    assert json_feed.headers["content-type"].startswith("application/feed+json")
    body = json_feed.json()
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["id"] for i in body["items"]] == [e.id for e in feed.entries]
    assert client.get(body["items"][1]["url"]).status_code == 200  # the web's article page

    seen = client.post("/api/watchlists/harbour/seen", json={"through": alerts["through"]}, headers=AUTH)
    assert seen.status_code == 200 and client.get("/api/watchlists/harbour").json()["items"] == []
    assert client.delete("/api/watchlists/harbour", headers=AUTH).status_code == 204
    assert client.get("/api/watchlists/harbour.atom").status_code == 404


def test_api_writes_need_the_operators_token(client, tmp_path):
    body = {"name": "harbour", "query": "harbour"}
    assert client.post("/api/watchlists", json=body).status_code == 401
    assert client.post("/api/watchlists", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/watchlists/harbour/seen").status_code == 401
    assert client.delete("/api/watchlists/harbour").status_code == 401
    with Store(tmp_path / "open.db"):
        pass
    with TestClient(create_server(str(tmp_path / "open.db")), base_url=LOCAL) as open_client:
        refused = open_client.post("/api/watchlists", json=body, headers=AUTH)
        assert refused.status_code == 403 and "PRESSWATCH_TOKEN" in refused.json()["error"]
        assert open_client.get("/api/watchlists").json() == []


@pytest.mark.parametrize("body, status", [
    ({"name": "a.atom", "query": "harbour"}, 422),
    ({"name": "ok", "query": ""}, 422),
    ({"name": "ok", "query": "harbour", "kinds": ["tweets"]}, 422),
    ({"name": "ok", "query": "harbour AND"}, 400),
    ({"name": "ok", "query": "harbour", "since": "2025-02-30"}, 400),
    ({"name": "ok", "query": "harbour", "entity": "Nobody Known"}, 404),
])
def test_api_refuses_watches_that_could_not_run(client, body, status):
    answer = client.post("/api/watchlists", json=body, headers=AUTH)
    assert answer.status_code == status and answer.json()["error"]
    assert client.get("/api/watchlists").json() == []


def test_the_webhook_url_is_never_shown_by_the_api_or_the_web(client, store):
    add_watch(store, "hooked", "harbour", webhook="https://hooks.example/T0KEN-secret")
    assert "T0KEN" not in client.get("/api/watchlists").text
    assert "T0KEN" not in client.get("/watchlists").text and client.get("/watchlists").status_code == 200
    for format in ("csv", "json"):  # the downloads every web list offers
        download = client.get("/watchlists", params={"format": format})
        assert download.status_code == 200 and "hooked" in download.text and "T0KEN" not in download.text
    assert client.get("/watchlists", params={"format": "json"}).json()["items"][0]["has_webhook"] is True


# -- webhooks ------------------------------------------------------------------------------------------------


class Receiver:
    """A loopback HTTP server that records the JSON POSTed to it and answers `status`."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


def test_webhooks_get_each_new_item_once_and_failures_are_retried(store, receiver):
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    add_watch(store, "quiet", "harbour")  # no webhook: never called
    assert run_alerts(store, allow_private=True) == []  # nothing new: no call
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    add_article(store, "budget", "The council approved the budget.")
    delivered = run_alerts(store, allow_private=True)
    assert [(d.watch, d.items, d.error) for d in delivered] == [("hooked", 1, None)]
    assert [(p["watch"], [i["id"] for i in p["items"]]) for p in receiver.received] == [("hooked", [fresh])]
    assert run_alerts(store, allow_private=True) == [] and len(receiver.received) == 1

    receiver.status = 500
    second = add_article(store, "wall", "The harbour wall was repaired.")
    failed = run_alerts(store, allow_private=True)
    assert failed[0].error == "HTTP 500 Internal Server Error"
    assert watch(store, "hooked").notify_error == "HTTP 500 Internal Server Error"
    receiver.status = 200
    third = add_article(store, "boats", "Boats returned to the harbour.")
    run_alerts(store, allow_private=True)
    assert [i["id"] for i in receiver.received[-1]["items"]] == [third, second]
    assert watch(store, "hooked").notify_error is None
    # The seen mark is the reader's: deliveries do not move it.
    assert {i.id for i in watch_alerts(store, "hooked").items} == {fresh, second, third}


def test_webhooks_to_private_addresses_need_the_operators_leave(store, receiver, monkeypatch):
    monkeypatch.delenv("PRESSWATCH_ALLOW_PRIVATE_ADDRESSES", raising=False)
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    refused = run_alerts(store)
    assert "loopback" in refused[0].error and receiver.received == []
    assert watch(store, "hooked").notified_through < latest_arrival(store)


def test_a_delivery_carries_at_most_its_cap_and_says_there_is_more(store, receiver, monkeypatch):
    monkeypatch.setattr("presswatch.engine.alerts.MAX_DELIVERY_ITEMS", 2)
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    for n in range(3):
        add_article(store, f"h{n}", f"Harbour notice number {n}.")
    run_alerts(store, allow_private=True)
    assert len(receiver.received[0]["items"]) == 2 and receiver.received[0]["more"] is True
    assert receiver.received[0]["new"] == 3


def test_the_command_line_delivers_webhooks_when_asked(store, receiver):
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    refused = cli("alerts", "--deliver", "--db", store.path)
    assert refused.exit_code == 1 and "loopback" in refused.output and receiver.received == []  # every one failed
    sent = cli("alerts", "--deliver", "--allow-private-addresses", "--db", store.path)
    assert sent.exit_code == 0 and "1 item sent" in sent.output
    assert [i["id"] for i in receiver.received[0]["items"]] == [fresh]


def test_alerts_deliver_exits_partial_when_some_webhooks_failed(store, receiver):
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    add_watch(store, "nobody-listens", "harbour", webhook="http://127.0.0.1:9/")  # the discard port: refused
    add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    some = cli("alerts", "--deliver", "--allow-private-addresses", "--db", store.path)
    assert some.exit_code == 3 and "1 item sent" in some.output and "failed" in some.output, some.output


@given(st.text(max_size=80))
def test_a_watch_name_is_refused_or_safe_in_a_feed_path(name):
    from presswatch.api.watchlists import WatchName
    from presswatch.store.watchlists import checked_name

    try:
        checked_name(name)
    except QueryError as exc:
        assert "not usable" in str(exc)
        return
    assert re.fullmatch(WatchName.regex, name) and "." not in name and quote(name, safe="") == name


def test_the_readme_watchlist_commands_run_on_the_examples(example_db, tmp_path):
    """Every command of the README's "Watchlists and alerts" section, in order, exits 0 and shows something."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Watchlists and alerts\n", 1)[1].split("\n### ", 1)[0]
    commands = [shlex.split(line, comments=True)[1:] for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
                for line in block.splitlines() if line.startswith("presswatch ")]
    assert len(commands) >= 5
    db = tmp_path / "examples.db"
    shutil.copy(example_db, db)
    shown = {}
    for args in commands:
        result = cli(*args, "--db", db)
        assert result.exit_code == 0 and result.stdout.strip(), (args, result.output)
        shown.setdefault(" ".join(args), result.stdout)
    assert re.search(r"strait: [1-9][0-9]* new", shown["alerts"]) and "Lerin Strait" in shown["alerts"]
    assert "strait: 0 new" in cli("alerts", "strait", "--db", db).stdout  # the section marked it seen


def test_a_watch_with_no_query_alerts_on_everything_its_filters_pass(store, client):
    add_watch(store, "grannick", None, kinds=("statement",), filters=SearchFilters(speaker="Ilse Grannick"))
    made = client.post("/api/watchlists", json={"name": "coast", "outlet": "Coastline Daily"}, headers=AUTH)
    assert made.status_code == 201 and made.json()["query"] is None
    add_article(store, "quay", "Boats left at dawn.", statement="The quay is open again")
    coast = add_article(store, "fees", "Mooring fees rise.", outlet="Coastline Daily", published="2025-02-02")
    said = watch_alerts(store, "grannick").items
    assert [(i.kind, i.speaker, i.snippet, i.title) for i in said] == [
        ("statement", "Ilse Grannick", "The quay is open again", "quay")]
    assert [(i["kind"], i["id"]) for i in client.get("/api/watchlists/coast").json()["items"]] == [("article", coast)]
    assert {w["name"]: w["new"] for w in client.get("/api/watchlists").json()} == {"coast": 1, "grannick": 1}
    assert not feedparser.parse(client.get("/api/watchlists/grannick.atom").content).bozo


def test_a_watch_whose_narrative_is_gone_says_so_and_the_other_watches_go_on(store, receiver, client):
    """A watch names a narrative that was later merged away (or an entity that became ambiguous):
    `alerts`, `watchlist list`, the web page and every collection round used to fail with that one
    error, and no webhook of a watch after it was sent."""
    add_watch(store, "a-gone", "harbour", webhook=receiver.url)
    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    store.conn.execute("UPDATE watchlists SET filters = ? WHERE name = 'a-gone'", (json.dumps({"narrative": "0bad"}),))
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    delivered = run_alerts(store, allow_private=True)
    gone = "no narrative with id '0bad'"
    assert [(d.watch, d.error) for d in delivered] == [("a-gone", gone), ("hooked", None)]
    assert [i["id"] for i in receiver.received[0]["items"]] == [fresh] and watch(store, "a-gone").notify_error == gone
    listed = cli("alerts", "--mark-seen", "--db", store.path)
    assert listed.exit_code == 0 and f"a-gone: cannot search: {gone}" in listed.stdout and "hooked: 1 new" in listed.stdout
    assert watch(store, "a-gone").seen_through < latest_arrival(store)  # nothing listed, nothing marked seen
    overview = json.loads(cli("watchlist", "list", "--format", "json", "--db", store.path).stdout)
    assert [(w["name"], w["error"]) for w in overview] == [("a-gone", gone), ("hooked", None)]
    assert [w["error"] for w in client.get("/api/watchlists").json()] == [gone, None]
    page = client.get("/watchlists")
    assert page.status_code == 200 and "cannot run now" in page.text


@pytest.mark.parametrize("through", [10**6, 10**30])
def test_a_seen_mark_past_the_latest_arrival_is_refused(client, store, through):
    """POST /seen with a `through` that no list gave (a typo, a timestamp) used to move the mark past
    every arrival to come, and a mark never moves back: the watch stayed silent for ever (or, past
    SQLite's integers, the server answered 500). Now it is a 400 and the mark stays."""
    assert client.post("/api/watchlists", json={"name": "harbour", "query": "harbour"}, headers=AUTH).status_code == 201
    refused = client.post("/api/watchlists/harbour/seen", json={"through": through}, headers=AUTH)
    assert refused.status_code == 400 and "past the latest arrival" in refused.json()["error"]
    add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    assert watch_alerts(store, "harbour").new == 1


def test_a_second_delivery_run_at_the_same_time_sends_nothing_twice(store, receiver):
    """A cron `collect` beside a running `watch` (or `alerts --deliver` by hand) read the same marks
    and POSTed the same items twice; now the run that finds another delivering sends nothing."""
    from presswatch.engine.alerts import DELIVERY_BUSY
    from presswatch.engine.locks import run_lock

    add_watch(store, "hooked", "harbour", webhook=receiver.url)
    fresh = add_article(store, "reopen", "Vellmar harbour reopened on Monday.")
    with run_lock(store, "alerts", DELIVERY_BUSY):  # the other run, mid-delivery
        with pytest.raises(BusyError, match="webhooks not sent by this run"):
            run_alerts(store, allow_private=True)
        by_hand = cli("alerts", "--deliver", "--allow-private-addresses", "--db", store.path)
        assert by_hand.exit_code == 0 and "webhooks not sent by this run" in by_hand.output
    assert receiver.received == []
    assert [(d.watch, d.items) for d in run_alerts(store, allow_private=True)] == [("hooked", 1)]
    assert run_alerts(store, allow_private=True) == [] and [i["id"] for i in receiver.received[0]["items"]] == [fresh]
