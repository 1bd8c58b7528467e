"""The HTTP API through FastAPI's TestClient: reads, paging, errors as JSON, the body limit, and
token-guarded ingest."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from presswatch.api.app import MAX_BODY_BYTES, create_app

TOKEN = "test-token-1234"
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
    with TestClient(create_app(str(path), token=TOKEN)) as test_client:
        yield test_client


@pytest.fixture
def empty_client(tmp_path):
    with TestClient(create_app(str(tmp_path / "new.db"), token=TOKEN)) as test_client:
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
    assert client.get(f"/api/narratives/{narrative['id'][:10]}").json()["evidence"] == narrative["evidence"]


def test_filters_reach_the_lists(client):
    spt = client.get("/api/articles", params={"outlet": "Selvan Public Television"}).json()["items"]
    assert spt and {a["outlet"] for a in spt} == {"Selvan Public Television"}
    said = client.get("/api/statements", params={"speaker": "Yevgeny Lomatsky", "since": "2025-01-01",
                                                 "limit": 200}).json()["items"]
    assert said and {s["speaker_name"] for s in said} <= {"Yevgeny Lomatsky", "Evgeny Lomatskiy"}


def test_search_and_its_errors(client):
    found = client.get("/api/search", params={"q": '"Lerin Strait"', "kind": "statement", "mode": "text"}).json()
    assert found["mode"] == "text" and found["hits"] and {h["kind"] for h in found["hits"]} == {"statement"}
    broken = client.get("/api/search", params={"q": '"unbalanced'})
    assert broken.status_code == 400 and "cannot parse search query" in broken.json()["error"]
    assert client.get("/api/search", params={"q": "x", "mode": "fuzzy"}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "entity": "Nobody Atall"}).status_code == 404


def test_missing_records_and_routes_are_json_404s(client):
    for path in ("/api/articles/ffffffff", "/api/statements/nope", "/api/entities/Nobody", "/api/stories/zzz",
                 "/api/stories/zzz/summary", "/api/narratives/zzz", "/api/no-such-thing"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"], path


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


# -- ingest -------------------------------------------------------------------------------------------


def test_ingest_is_disabled_without_a_configured_token(tmp_path):
    with TestClient(create_app(str(tmp_path / "x.db"))) as client:
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
    hits = empty_client.get("/api/search", params={"q": "barrier", "mode": "text"}).json()["hits"]
    assert [h["id"] for h in hits] == result["stored"]


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


def test_ingest_then_analysis_feeds_statements(empty_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = PAGE.format(title="Cracks found in barrier", extra="")
    answer = empty_client.post("/api/ingest", json={"pages": [{"content": page, "name": "cracks.html"}]}, headers=auth)
    assert answer.status_code == 200
    analysis = answer.json()["analysis"]
    assert analysis["articles"] == 1 and analysis["statements"] > 0
    listed = empty_client.get("/api/statements").json()["items"]
    assert len(listed) == analysis["statements"] and listed[0]["article_id"] == answer.json()["stored"][0]
