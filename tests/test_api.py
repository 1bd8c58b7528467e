"""The HTTP API through FastAPI's TestClient: reads, paging, errors as JSON, the body limit, and
token-guarded ingest."""

from __future__ import annotations

import io
import shutil

import pytest
from conftest import damage_a_body
from fastapi.testclient import TestClient

from presswatch.api.app import MAX_BODY_BYTES, create_app
from presswatch.query.listings import LISTED_EVIDENCE
from presswatch.records import UNKNOWN_OUTLET
from presswatch.server import create_server

TOKEN = "test-token-1234"
LOCAL = "http://127.0.0.1"  # the server answers only to the Host names it is configured for
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} | The Orrin Courier</title>
<meta property="og:site_name" content="The Orrin Courier">
<meta property="article:published_time" content="2025-04-02T09:30:00+00:00"></head><body>
<article><h1>{title}</h1><p class="byline">By Tamsin Hale</p>
<p>The river authority said the barrier at Velmouth held through the night, although water reached the
lower quays before dawn and several warehouses were flooded. {extra}</p>
<p>Engineers from the authority inspected the structure on Tuesday morning and reported cracks in two of
the older sections, which were built in the nineteen-sixties and have not been reinforced since.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def client(example_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "examples.db"
    shutil.copy(example_db, path)
    # What `presswatch serve` runs: the API with the web UI beside it.
    with TestClient(create_server(str(path), token=TOKEN), base_url=LOCAL) as test_client:
        yield test_client


@pytest.fixture
def empty_client(tmp_path):
    # With a token the app creates its database up front; its requests never create one.
    with TestClient(create_app(str(tmp_path / "new.db"), token=TOKEN), base_url=LOCAL) as test_client:
        yield test_client


def test_lists_page_with_bounds(client):
    first = client.get("/api/statements", params={"limit": 5}).json()
    second = client.get("/api/statements", params={"limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}
    everything = client.get("/api/statements", params={"limit": 200}).json()
    assert everything["next_offset"] is None
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "ten"}):
        answer = client.get("/api/statements", params=bad)
        assert answer.status_code == 422 and set(answer.json()) == {"error"}
        assert answer.json()["error"].split(":")[0] in bad


def test_each_collection_and_its_records(client):
    article = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    detail = client.get(f"/api/articles/{article['id'][:8]}").json()
    assert detail["article"]["id"] == article["id"] and detail["article"]["body"] and detail["sources"]
    statement = client.get("/api/statements", params={"speaker": "Ostrogin", "limit": 1}).json()["items"][0]
    assert client.get(f"/api/statements/{statement['id']}").json() == statement
    entity = client.get("/api/entities", params={"type": "person", "limit": 1}).json()["items"][0]
    assert client.get(f"/api/entities/{entity['id']}").json()["summary"]["name"] == entity["name"]
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]
    story_detail = client.get(f"/api/stories/{story['id']}").json()
    assert [a["id"] for a in story_detail["articles"]] == story["article_ids"]
    summary = client.get(f"/api/stories/{story['id']}/summary", params={"sentences": 2}).json()
    assert 1 <= len(summary["sentences"]) <= 2 and summary["sentences"][0]["article_id"] in story["article_ids"]
    narrative = client.get("/api/narratives", params={"limit": 1, "min_outlets": 2}).json()["items"][0]
    trail = client.get(f"/api/narratives/{narrative['id'][:10]}").json()
    # A listing carries the start of the trail and counts all of it; the narrative carries it whole.
    assert narrative["statements"] == len(trail["evidence"]) > len(narrative["evidence"]) == LISTED_EVIDENCE
    assert trail["evidence"][:LISTED_EVIDENCE] == narrative["evidence"]
    assert narrative["outlets"] == trail["outlets"] == len({e["outlet"] or UNKNOWN_OUTLET for e in trail["evidence"]})


def test_filters_reach_the_lists(client):
    spt = client.get("/api/articles", params={"outlet": "Selvan Public Television"}).json()["items"]
    assert spt and {a["outlet"] for a in spt} == {"Selvan Public Television"}
    said = client.get("/api/statements", params={"speaker": "Yevgeny Lomatsky", "since": "2025-01-01",
                                                 "limit": 200}).json()["items"]
    # the examples spell him three ways (agencies_ostrogin_forum.txt: "Yevgeny Lomatskiy, who told …")
    assert said and {s["speaker_name"] for s in said} <= {"Yevgeny Lomatsky", "Evgeny Lomatskiy", "Yevgeny Lomatskiy"}


def test_search_and_its_errors(client):
    found = client.get("/api/search", params={"q": '"Lerin Strait"', "kind": "statement", "mode": "text"}).json()
    assert found["mode"] == "text" and found["items"] and {h["kind"] for h in found["items"]} == {"statement"}
    # every kind counted whichever one is listed: the statement count is this page's total, and the
    # two together are what a search over both kinds totals
    both = client.get("/api/search", params={"q": '"Lerin Strait"', "mode": "text"}).json()
    assert found["totals_by_kind"]["statement"] == found["total"] and found["totals_by_kind"] == both["totals_by_kind"]
    assert sum(both["totals_by_kind"].values()) == both["total"] and both["totals_by_kind"]["article"] > 0
    broken = client.get("/api/search", params={"q": '"unbalanced'})
    assert broken.status_code == 400 and "double quote" in broken.json()["error"]
    assert "fts5" not in broken.json()["error"]
    dangling = client.get("/api/search", params={"q": "strait AND"})
    assert dangling.status_code == 400 and "AND needs words after it" in dangling.json()["error"]
    typed = client.get("/api/search", params={"q": "search-and-rescue centre?", "mode": "text"}).json()
    newest = client.get("/api/search", params={"q": "search-and-rescue centre?", "mode": "text", "sort": "date"}).json()
    assert typed["items"] and newest["sort"] == "date" and {h["id"] for h in newest["items"]} == {h["id"] for h in typed["items"]}
    assert [h["date"] for h in newest["items"]] == sorted((h["date"] for h in newest["items"]), reverse=True)
    assert all(h["similarity"] is None for h in typed["items"])  # found by words alone
    assert client.get("/api/search", params={"q": "x", "sort": "loudest"}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "mode": "fuzzy"}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "entity": "Nobody Atall"}).status_code == 404


def test_the_api_root_lists_its_endpoints(client):
    index = client.get("/api").json()
    paths = {e["path"]: e for e in index["endpoints"]}
    assert {"/api/search", "/api/articles/{article_id}", "/api/health", "/api/briefing"} <= set(paths)
    assert paths["/api/ingest"]["methods"] == ["POST"] and paths["/api/search"]["summary"]
    assert index["docs"] == "/docs" and client.get(index["openapi"]).status_code == 200


def test_missing_records_and_routes_are_json_404s(client):
    for path in ("/api/articles/ffffffff", "/api/statements/nope", "/api/entities/Nobody", "/api/stories/zzz",
                 "/api/stories/zzz/summary", "/api/narratives/zzz", "/api/no-such-thing"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"], path


@pytest.mark.parametrize(("path", "route"), [("/api/entities/Nobody", "/api/entities"),
                                             ("/api/watchlists/nobody", "/api/watchlists")])
def test_a_404_names_the_api_route_that_lists_them(client, path, route):
    error = client.get(path).json()["error"]
    assert f"GET {route} lists them" in error and "presswatch" not in error, error


def test_an_ambiguous_id_prefix_is_a_400_not_a_404(client):
    ids = sorted(a["id"] for a in client.get("/api/articles", params={"limit": 200}).json()["items"])
    shared = next(a[:1] for a, b in zip(ids, ids[1:]) if a[:1] == b[:1])  # a one-character prefix of two ids
    answer = client.get(f"/api/articles/{shared}")
    assert answer.status_code == 400 and "ambiguous" in answer.json()["error"]


def test_a_database_damaged_after_it_opens_is_a_json_503(example_db, tmp_path):
    path = tmp_path / "damaged.db"
    shutil.copy(example_db, path)
    damage_a_body(path)
    with TestClient(create_app(str(path)), base_url=LOCAL) as damaged:
        answer = damaged.get("/api/articles")
    assert answer.status_code == 503 and answer.json()["error"].startswith("the database failed"), answer.text


def test_briefing_formats(client):
    params = {"speaker": "Yevgeny Lomatsky", "since": "2025-01-01"}
    briefing = client.get("/api/briefing", params=params).json()
    assert briefing["statements"] > 0 and briefing["groups"][0]["lines"][0]["statement_id"]
    markdown = client.get("/api/briefing", params={**params, "format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text.startswith("# Briefing")
    html = client.get("/api/briefing", params={**params, "format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<h1>Briefing" in html.text
    assert client.get("/api/briefing", params={"since": "last week"}).status_code == 422


def test_docs_and_spec_are_served(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn." not in docs.text  # offline: the scripts come from the package
    script = docs.text.split('<script src="')[1].split('"')[0]
    assert client.get(script).status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/search", "/api/briefing", "/api/ingest", "/api/articles/{article_id}"} <= set(spec["paths"])


def _inline_script_hash(html: str) -> str:
    import base64
    import hashlib

    inline = html.split("<script>", 1)[1].split("</script>", 1)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'"


def test_every_html_answer_has_a_content_security_policy(client):
    pages = [client.get(path) for path in ("/", "/docs", "/api/briefing?format=html", "/articles/ffffffff")]
    for page in pages:
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    docs = pages[1]
    # the docs page runs the bundle it loads from this server, and its one inline script by hash
    assert _inline_script_hash(docs.text) in docs.headers["content-security-policy"]
    assert _inline_script_hash(docs.text) not in pages[0].headers["content-security-policy"]
    assert client.get("/api/health").headers["x-content-type-options"] == "nosniff"
    assert client.get("/redoc").status_code == 404  # only the Swagger page: ReDoc would need more allowed


@pytest.mark.parametrize("host, answered", [
    ("127.0.0.1", True), ("localhost:8000", True), ("[::1]:8000", True), ("LOCALHOST", True),
    ("attacker.example", False), ("127.0.0.1.attacker.example", False), ("", False),
])
def test_only_the_configured_host_names_are_answered(client, host, answered):
    answer = client.get("/api/health", headers={"Host": host})
    assert (answer.status_code == 200) is answered


def test_the_allowed_host_names_are_configurable(tmp_path):
    from presswatch.cli.faces import served_hosts

    hosts = served_hosts("0.0.0.0", ["News.Example"])
    assert hosts == ["127.0.0.1", "localhost", "[::1]", "news.example"]
    assert served_hosts("::1", []) == ["127.0.0.1", "localhost", "[::1]"]
    assert served_hosts("192.168.1.5", []) == ["127.0.0.1", "localhost", "[::1]", "192.168.1.5"]
    with TestClient(create_app(str(tmp_path / "x.db"), allowed_hosts=hosts), base_url="http://news.example") as named:
        assert named.get("/api/health").status_code == 200
        assert named.get("/api/health", headers={"Host": "other.example"}).status_code == 400


# -- ingest -------------------------------------------------------------------------------------------


def test_ingest_is_disabled_without_a_configured_token(tmp_path):
    with TestClient(create_app(str(tmp_path / "x.db")), base_url=LOCAL) as client:
        answer = client.post("/api/ingest", json={"pages": [{"content": "hello"}]},
                             headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 403 and "PRESSWATCH_TOKEN" in answer.json()["error"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
def test_ingest_needs_the_token(empty_client, headers):
    answer = empty_client.post("/api/ingest", json={"pages": [{"content": "hello"}]}, headers=headers)
    assert answer.status_code in (401, 403) and answer.json()["error"]


def test_uploaded_pages_are_stored_and_searchable(empty_client, tmp_path):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    pages = [{"content": PAGE.format(title="Velmouth barrier holds", extra=""), "name": "one.html"},
             {"content": PAGE.format(title="Velmouth barrier holds", extra=""), "name": "again.html"},
             {"content": "<html><body></body></html>", "name": "empty.html"}]
    answer = empty_client.post("/api/ingest", json={"pages": pages, "urls": ["file:///etc/passwd"], "analyse": False},
                               headers=auth)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert len(result["stored"]) == 1 and len(result["duplicates"]) == 1
    assert {r["source"] for r in result["rejected"]} == {"empty.html", "file:///etc/passwd"}
    assert result["analysis"] is None
    hits = empty_client.get("/api/search", params={"q": "barrier", "mode": "text"}).json()["items"]
    assert [h["id"] for h in hits] == result["stored"]


def test_an_uploaded_warc_says_which_records_it_skipped(empty_client):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    archive = io.BytesIO()
    writer = WARCWriter(archive, gzip=False)
    for uri, status, body in (("http://news.test/a", "200 OK", PAGE.format(title="Velmouth barrier holds", extra="")),
                              ("http://news.test/gone", "404 Not Found", "<html><body>gone</body></html>")):
        http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body.encode()), http_headers=http))
    writer.write_record(writer.create_revisit_record("http://news.test/a", digest="sha1:AAAA",
                                                     refers_to_uri="http://news.test/a", refers_to_date="2026-01-05T10:00:00Z"))
    answer = empty_client.post("/api/ingest", json={"pages": [{"content": archive.getvalue().decode(), "name": "crawl.warc"}],
                                                    "analyse": False}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert len(result["stored"]) == 1 and result["rejected"] == []
    assert result["skipped"] == [{"source": "crawl.warc", "records": 2, "reasons": {"revisit": 1, "status 404": 1}}]


def test_bodies_over_the_limit_are_refused(empty_client):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    declared = empty_client.post("/api/ingest", content=b"x" * (MAX_BODY_BYTES + 1), headers=auth)
    assert declared.status_code == 413 and "limit" in declared.json()["error"]

    def chunks():  # no Content-Length: the limit is counted as the body streams in
        for _ in range(MAX_BODY_BYTES // 1_000_000 + 2):
            yield b" " * 1_000_000

    streamed = empty_client.post("/api/ingest", content=chunks(), headers=auth)
    assert streamed.status_code == 413
    assert empty_client.get("/api/health").json()["status"] == "ok"


def test_malformed_ingest_bodies_are_422(empty_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert empty_client.post("/api/ingest", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
                             ).status_code == 422
    assert empty_client.post("/api/ingest", json={"pages": [{"content": ""}]}, headers=auth).status_code == 422
    assert empty_client.post("/api/ingest", json={"urls": ["http://x.example"] * 101}, headers=auth).status_code == 422


def test_a_body_that_is_not_json_says_so(empty_client):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for path in ("/api/ingest", "/api/watchlists"):
        answer = empty_client.post(path, content=b"{not json", headers=auth)
        assert answer.status_code == 422 and "not valid JSON" in answer.json()["error"], answer.text


@pytest.mark.parametrize("path, body, named", [
    ("/api/ingest", {"page": [{"content": "hello"}]}, "page"),
    ("/api/ingest", {"pages": [{"contents": "hello"}]}, "contents"),
    ("/api/watchlists", {"name": "dam", "speakr": "Soll"}, "speakr"),
])
def test_a_misspelled_field_is_refused_not_ignored(empty_client, path, body, named):
    answer = empty_client.post(path, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422 and named in answer.json()["error"], answer.text
    assert empty_client.get("/api/watchlists").json() == []


def test_an_ingest_with_nothing_to_ingest_is_refused(empty_client):
    answer = empty_client.post("/api/ingest", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422 and "pages" in answer.json()["error"], answer.text


def test_ingest_then_analysis_feeds_statements(empty_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = PAGE.format(title="Cracks found in barrier", extra="")
    answer = empty_client.post("/api/ingest", json={"pages": [{"content": page, "name": "cracks.html"}]}, headers=auth)
    assert answer.status_code == 200
    analysis = answer.json()["analysis"]
    assert analysis["articles"] == 1 and analysis["statements"] > 0 and analysis["unparsed"] == 0
    listed = empty_client.get("/api/statements").json()["items"]
    assert len(listed) == analysis["statements"] and listed[0]["article_id"] == answer.json()["stored"][0]


@pytest.mark.parametrize("date", ["garbage", "2025-13-45", "2025-02-30"])
def test_invalid_dates_are_refused_by_the_api_and_the_web_pages(client, date):
    for path in ("/api/articles", "/api/statements", "/api/search?q=barrier", "/api/briefing"):
        answer = client.get(path, params={"since": date})
        assert answer.status_code == 422 and answer.json()["error"].startswith("since: "), (path, answer.text)
    for path in ("/search", "/briefing"):
        page = client.get(path, params={"since": date})
        assert page.status_code == 400 and "is not an ISO date" in page.text


def test_search_kinds_take_every_faces_spelling(client):
    def ids(kind):
        answer = client.get("/api/search", params={"q": "rescue", "kind": kind, "limit": 200})
        assert answer.status_code == 200, answer.text
        return [hit["id"] for hit in answer.json()["items"]]

    assert ids("statements") == ids("statement") and ids("articles") == ids("article")
    assert ids("both") == ids("all") and len(ids("all")) == len(ids("article")) + len(ids("statement")) > 0
    assert client.get("/api/search", params={"q": "rescue", "kind": "quotes"}).status_code == 422
