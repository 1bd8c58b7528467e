"""One question, one answer: a table of queries run through the CLI (`--format json`), the HTTP API
and the web UI (the `data-id` attributes of a list's rows, and its pager's `data-total`) on the
bundled examples, each face's ids and total compared. All three call presswatch.query.listings;
this catches a face that filters, orders or counts on its own."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from presswatch.cli import app as cli_app
from presswatch.query import listings
from presswatch.server import create_server
from presswatch.store import Store
from presswatch.store.entities import find_entities

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def db(example_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("parity") / "examples.db"
    shutil.copy(example_db, path)
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_server(str(db)), base_url=LOCAL) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def named(db) -> dict[str, str]:
    """Ids the table refers to, looked up by what they are."""
    with Store(db) as store:
        return {
            "lomatsky": find_entities(store, "Yevgeny Lomatsky")[0],
            "narrative": listings.narratives(store, limit=1).items[0].id,
        }


# (question, filters as the API and the web take them). Pages of 4 or 5 so the later rows cross a
# page boundary; every filter appears at least once, speakers in more than one spelling.
QUERIES = [
    ("articles", {}),
    ("articles", {"limit": 4, "offset": 4}),
    ("articles", {"outlet": "The Harbour Ledger"}),
    ("articles", {"outlet": "the harbour ledger", "since": "2024-06-01"}),
    ("articles", {"speaker": "Lomatsky", "limit": 5}),
    ("articles", {"entity": "Pavel Ostrogin", "until": "2025-06-30"}),
    ("articles", {"language": "de"}),
    ("articles", {"narrative": "{narrative}"}),
    ("statements", {"speaker": "Lomatsky", "limit": 5, "offset": 5}),
    ("statements", {"speaker": "Yevgeny Lomatskiy"}),
    ("statements", {"speaker": "Yevgeny Lomatsky", "since": "2024-01-01"}),
    ("statements", {"entity": "Pavel Ostrogin"}),
    ("statements", {"outlet": "Kestrel News Agency", "language": "en"}),
    ("statements", {"narrative": "{narrative}"}),
    ("entities", {"limit": 5, "offset": 5}),
    ("entities", {"type": "person"}),
    ("stories", {"limit": 4}),
    ("stories", {"limit": 4, "offset": 4}),
    ("narratives", {"limit": 5, "offset": 5}),
    ("search", {"q": "rescue", "kind": "article"}),
    ("search", {"q": "strait", "kind": "statement", "speaker": "Lomatsky", "limit": 4}),
    ("search", {"q": "search-and-rescue centre?", "kind": "article", "sort": "date"}),
    ("search", {"q": "rescue", "kind": "both", "limit": 10}),
    ("search", {"q": "strait", "kind": "both", "sort": "date", "since": "2024-01-01", "limit": 5, "offset": 5}),
    ("entity statements", {"entity": "{lomatsky}", "limit": 5, "offset": 10}),
    ("narrative evidence", {"narrative": "{narrative}", "limit": 5, "offset": 5}),
]
# Where the web UI groups a page's rows (by article, by year), its rows keep the page's ids but not their order.
GROUPED = {"entity statements", "narrative evidence"}
CLI_KINDS = {"article": "articles", "statement": "statements", "both": "both"}


def _filled(params: dict, named: dict) -> dict:
    return {k: v.format(**named) if isinstance(v, str) else v for k, v in params.items()}


def _cli(db, question: str, params: dict) -> tuple[list[str], int]:
    params = dict(params)
    args = []
    if question == "search":
        args = ["search", params.pop("q"), "--what", CLI_KINDS[params.pop("kind")], "--mode", "text"]
    elif question == "entity statements":
        args = ["statements", "--speaker", params.pop("entity")]
    elif question == "narrative evidence":
        args = ["narrative", params.pop("narrative")]
    else:
        args = [question]
    if question == "entities":
        params.setdefault("limit", 50)
    for key, value in params.items():
        args += [f"--{key}", str(value)]
    result = CliRunner().invoke(cli_app, [*args, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    return [_id(item) for item in page["items"]], page["total"]


def _id(item: dict) -> str:
    """A record's id; a narrative's evidence is known by its statement's."""
    return item["id"] if "id" in item else item["statement_id"]


def _api(client, question: str, params: dict) -> tuple[list[str], int]:
    params = dict(params)
    if question == "search":
        path = "/api/search"
        params["mode"] = "text"
    elif question == "entity statements":
        path = f"/api/entities/{params.pop('entity')}/statements"
    elif question == "narrative evidence":
        path = f"/api/narratives/{params.pop('narrative')}/evidence"
    else:
        path = f"/api/{question}"
    answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    page = answer.json()
    return [_id(item) for item in page["items"]], page["total"]


def _web(client, question: str, params: dict) -> tuple[list[str], int]:
    params = dict(params)
    if question in ("articles", "statements"):
        path = "/search"
        params["kind"] = question[:-1]
    elif question == "search":
        path = "/search"
        params["mode"] = "text"
    elif question == "entity statements":
        path = f"/entities/{params.pop('entity')}"
    elif question == "narrative evidence":
        path = f"/narratives/{params.pop('narrative')}"
    else:
        path = f"/{question}"
    answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    total = re.search(r'data-total="(\d+)"', answer.text)
    assert total, f"{path} shows no total"
    rows = re.findall(r'data-id="([^"]+)"(?: data-rank="(\d+)")?', answer.text)
    if any(rank for _, rank in rows):  # wire copies are shown folded under the first: their rank says where they were
        rows = sorted(rows, key=lambda row: int(row[1]))
    return [item_id for item_id, _ in rows], int(total.group(1))


@pytest.mark.parametrize(("question", "params"), QUERIES, ids=[f"{q} {p}" for q, p in QUERIES])
def test_every_face_gives_the_same_page(db, client, named, question, params):
    params = _filled(params, named)
    cli_ids, cli_total = _cli(db, question, params)
    api_ids, api_total = _api(client, question, params)
    web_ids, web_total = _web(client, question, params)
    assert cli_total == api_total == web_total, (cli_total, api_total, web_total)
    assert cli_ids == api_ids, "CLI and API"
    if question in GROUPED:
        assert sorted(web_ids) == sorted(api_ids), "web and API"
    else:
        assert web_ids == api_ids, "web and API"
    # The page is the part of the total its offset and limit say.
    limit, offset = params.get("limit", 50), params.get("offset", 0)
    assert len(api_ids) == max(0, min(limit, api_total - offset))


def test_the_table_asks_questions_with_answers(db, client, named):
    """A parity of empty answers would prove nothing: most rows must find something."""
    found = [_api(client, question, _filled(params, named))[1] for question, params in QUERIES]
    assert sum(total > 0 for total in found) == len(QUERIES), found


# Searches whose counts the web's tabs show: words, with filters of every kind.
COUNTED = [
    {"q": "rescue"},
    {"q": "strait", "since": "2024-01-01", "until": "2025-12-31"},
    {"q": "strait", "speaker": "Lomatsky"},
    {"q": "Saltreach OR council", "outlet": "Kestrel News Agency"},
    {"q": "minister", "entity": "Pavel Ostrogin", "language": "en"},
    {"q": "strait", "narrative": "{narrative}"},
]


@pytest.mark.parametrize("params", COUNTED, ids=[str(p) for p in COUNTED])
def test_the_web_search_pages_counts_are_the_apis_and_the_clis(db, client, named, params):
    """Each tab of the web's search page counts what /api/search and `presswatch search` total for
    its kind, and "both" what they total by default, whichever tab is open."""
    params = _filled(params, named)
    expected = {kind: _api(client, "search", {**params, "kind": kind, "limit": 1})[1]
                for kind in ("article", "statement", "both")}
    assert expected["both"] == expected["article"] + expected["statement"]
    cli = CliRunner().invoke(cli_app, ["search", params["q"], "--db", str(db), "--mode", "text", "--format", "json",
                                       *[arg for key, value in params.items() if key != "q" for arg in (f"--{key}", value)]])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout)["total"] == expected["both"]
    for kind in ("article", "statement", "both"):
        page = client.get("/search", params={**params, "kind": kind, "mode": "text"})
        assert page.status_code == 200, page.text
        shown = dict(re.findall(r'data-kind="(\w+)" data-count="(\d+)"', page.text))
        assert {k: int(v) for k, v in shown.items()} == expected, kind


def test_the_counted_searches_find_something_of_each_kind(client, named):
    """Counts of nothing would agree by accident: most of the table finds both kinds."""
    found = [[_api(client, "search", {**_filled(params, named), "kind": kind})[1] for kind in ("article", "statement")]
             for params in COUNTED]
    assert sum(all(counts) for counts in found) >= len(COUNTED) - 1, found


def test_every_spelling_of_a_speaker_gives_every_statement(client, named):
    """The issue's example: the bare surname, each spelling and the id give the entity's statements."""
    by_id = _api(client, "entity statements", {"entity": named["lomatsky"], "limit": 200})
    for spelling in ("Lomatsky", "Yevgeny Lomatsky", "Yevgeny Lomatskiy", "Evgeny Lomatskiy", "lomatsky"):
        ids, total = _api(client, "statements", {"speaker": spelling, "limit": 200})
        assert set(by_id[0]) <= set(ids) and total >= by_id[1] > 0, spelling
    detail = client.get(f"/api/entities/{named['lomatsky']}").json()
    assert detail["statements"] == by_id[1]  # the entity's count and its list come from one reading


def test_a_briefings_counts_read_the_same_in_every_face(db, client):
    api = client.get("/api/briefing", params={"speaker": "Piet Danneker"}).json()
    page = client.get("/briefing", params={"about": "speaker", "focus": "Piet Danneker"})
    cli = CliRunner().invoke(cli_app, ["brief", "--db", str(db), "--speaker", "Piet Danneker"])
    assert page.status_code == 200 and cli.exit_code == 0, cli.output
    statements = sum(len(g["lines"]) for g in api["groups"])
    tally = f"{statements} statements by {len(api['speakers'])} speaker in {len(api['outlets'])} outlets"
    assert api["statements"] == statements and tally in page.text and tally in cli.output
    partial = [g for g in api["groups"] if g["narrative_id"] and g["narrative_statements"] > len(g["lines"])]
    assert partial  # the spokesman carries a narrative others carry too
    for group in partial:
        phrase = f"{len(group['lines'])} of its {group['narrative_statements']} statements"
        assert phrase in page.text and phrase in cli.output


def test_people_who_spoke_together_are_each_linked_in_every_face(tmp_path):
    """A joint speaker ("Anna Kask and Bengt Oyen") is linked and counted person by person wherever a
    lone speaker is: the web's statement lists, article page and briefing, and the briefing's tally
    in the CLI, the API and the web."""
    from presswatch.engine.analyse import analyse
    from presswatch.engine.entities import update_entities
    from presswatch.records import TEXT, Article, Page

    body = ("Mayor Anna Kask and Harbour Master Bengt Oyen said the Vell quay would reopen in May. "
            "Kask said the ferry would follow in June. Oyen said the tugs were ready.")
    path = tmp_path / "joint.db"
    with Store(path) as store:
        store.add_page(Page(id="j1", source="j1", kind=TEXT, content=body),
                       Article(id="j1", page_id="j1", url=None, title="Quay to reopen", body=body, paragraphs=(body,),
                               outlet="The Tern Courier", published="2026-03-03", language="en"))
        analyse(store)
        update_entities(store)
        kask, oyen = (find_entities(store, name)[0] for name in ("Anna Kask", "Bengt Oyen"))
    links = {f'href="/entities/{kask}">Anna Kask</a>', f'href="/entities/{oyen}">Bengt Oyen</a>'}
    with TestClient(create_server(str(path)), base_url=LOCAL) as client:
        for page in ("/search?kind=statement&q=quay", "/articles/j1", "/briefing?about=speaker&focus=Bengt+Oyen"):
            shown = client.get(page).text
            assert all(link in shown for link in links), page
        text = client.get("/articles/j1").text  # the article's own words "Mayor Anna Kask and Harbour Master Bengt Oyen"
        for entity_id, name in ((kask, "Anna Kask"), (oyen, "Bengt Oyen")):
            assert re.search(f'<a class="speaker-link" href="/entities/{entity_id}"><span [^>]*>{name}</span></a>', text), name
        api_statements = client.get("/api/statements").json()
        api = client.get("/api/briefing").json()
        web = [client.get("/briefing", params={"since": "2026-01-01"}).text,
               client.get("/briefing/download", params={"format": "html"}).text]
    quay = next(line for g in api["groups"] for line in g["lines"] if "quay" in line["quote"])
    assert [(link["name"], link["entity_id"]) for link in quay["speaker_links"]] == [("Anna Kask", kask), ("Bengt Oyen", oyen)]
    assert dict(api["speakers"]) == {"Anna Kask": 2, "Bengt Oyen": 2}
    cli_statements = json.loads(CliRunner().invoke(cli_app, ["statements", "--db", str(path), "--format", "json"]).stdout)
    for page in (api_statements, cli_statements):
        quay = next(item for item in page["items"] if "quay" in item["content"])
        assert [(link["name"], link["entity_id"]) for link in quay["speaker_links"]] == [("Anna Kask", kask), ("Bengt Oyen", oyen)]
    cli = CliRunner().invoke(cli_app, ["brief", "--db", str(path)])
    assert cli.exit_code == 0, cli.output
    for face in (cli.output, *web):
        assert "2 speakers" in face and "Anna Kask (2)" in face and "Bengt Oyen (2)" in face


def _pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    import io

    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_one_person_spelled_two_ways_reads_as_one_in_every_briefing_format(db, client, tmp_path):
    """The examples spell the Selvan deputy foreign minister "Yevgeny Lomatsky" and "Evgeny
    Lomatskiy": every briefing format names him by his entity's canonical name, shows the article's
    other spelling beside it, and lists him once under "People quoted" with both spellings."""
    params = {"speaker": "Lomatsky", "since": "2024-01-01"}
    briefing = client.get("/api/briefing", params=params).json()
    person, = briefing["people"]
    spellings = dict(person["spellings"])
    assert {"Yevgeny Lomatsky", "Evgeny Lomatskiy"} <= set(spellings) and sum(spellings.values()) == person["statements"]
    assert person["name"] == "Evgeny Lomatskiy" and briefing["speakers"] == [[person["name"], briefing["statements"]]]
    lines = [line for group in briefing["groups"] for line in group["lines"]]
    assert all([link["entity_id"] for link in line["speaker_links"]] == [person["entity_id"]] for line in lines)
    respelled = sum(1 for line in lines if line["speaker"] != person["name"])
    assert respelled == sum(count for spelling, count in spellings.items() if spelling != person["name"]) > 0

    cli = ["brief", "--db", str(db), "--speaker", "Lomatsky", "--since", "2024-01-01"]
    pdf_file = tmp_path / "b.pdf"
    assert CliRunner().invoke(cli_app, [*cli, "--format", "pdf", "-o", str(pdf_file)]).exit_code == 0
    download = {"about": "speaker", "focus": "Lomatsky", "since": "2024-01-01"}
    faces = {
        "cli md": CliRunner().invoke(cli_app, cli).stdout,
        "cli html": CliRunner().invoke(cli_app, [*cli, "--format", "html"]).stdout,
        "cli pdf": _pdf_text(pdf_file.read_bytes()),
        "api md": client.get("/api/briefing", params={**params, "format": "md"}).text,
        "api html": client.get("/api/briefing", params={**params, "format": "html"}).text,
        "api pdf": _pdf_text(client.get("/api/briefing", params={**params, "format": "pdf"}).content),
        "web page": client.get("/briefing", params=download).text,
        "web md": client.get("/briefing/download", params={**download, "format": "md"}).text,
        "web pdf": _pdf_text(client.get("/briefing/download", params={**download, "format": "pdf"}).content),
    }
    for face, text in faces.items():
        # each line once under the canonical name; the other spelling only beside it, never as a name
        assert text.count(f"{person['name']}") >= briefing["statements"], face
        assert text.count("spelled “Yevgeny Lomatsky”") == spellings["Yevgeny Lomatsky"], face
        assert "People quoted" in text and f"entity {person['entity_id']}" in text, face
        assert "“Yevgeny Lomatsky” (" in text and "“Evgeny Lomatskiy” (" in text, face  # the People entry's spellings
        assert not re.search(r"(\*\*|<strong>|>)Yevgeny Lomatsky\b", text), face
    # where the face knows the web UI's address, the name links to the entity's page
    entity_page = f"{LOCAL}/entities/{person['entity_id']}"
    assert all(f"[{person['entity_id']}]: <{entity_page}>" in faces[face] for face in ("api md", "web md"))
    assert f'href="{entity_page}"' in faces["api html"] and f'href="/entities/{person["entity_id"]}"' in faces["web page"]
    based = CliRunner().invoke(cli_app, [*cli, "--base-url", "http://10.0.0.5:8000/"]).stdout
    assert f"[Evgeny Lomatskiy][{person['entity_id']}]" in based
    assert f"[{person['entity_id']}]: <http://10.0.0.5:8000/entities/{person['entity_id']}>" in based
    assert "](http://10.0.0.5:8000/articles/" in based
    refused = CliRunner().invoke(cli_app, [*cli, "--base-url", "localhost:8000"])
    assert refused.exit_code == 1 and "not a web address" in refused.output


def test_a_statements_stance_reads_the_same_in_every_briefing_format(db, client):
    """Each line of a narrative's group says how it stands to the claim (the narrative page's
    stance): a denial in a counter-narrative's group reads as one in every format."""
    params = {"speaker": "Piet Danneker"}
    briefing = client.get("/api/briefing", params=params).json()
    stances = [(line["statement_id"], line["stance"]) for group in briefing["groups"] for line in group["lines"]
               if group["narrative_id"]]
    assert stances and all(stance for _, stance in stances) and "denies" in {stance for _, stance in stances}
    for group in briefing["groups"]:
        if group["narrative_id"] is None:
            assert all(line["stance"] is None for line in group["lines"])
            continue
        evidence = client.get(f"/api/narratives/{group['narrative_id']}").json()["evidence"]
        marked = {e["statement_id"]: e["stance"] for e in evidence}
        assert all(marked[line["statement_id"]] == line["stance"] for line in group["lines"])
    markdown = client.get("/api/briefing", params={**params, "format": "md"}).text
    html = client.get("/api/briefing", params={**params, "format": "html"}).text
    page = client.get("/briefing", params={"about": "speaker", "focus": "Piet Danneker"}).text
    pdf = _pdf_text(client.get("/api/briefing", params={**params, "format": "pdf"}).content)
    for stance in {stance for _, stance in stances}:
        count = sum(1 for _, said in stances if said == stance)
        assert markdown.count(f" · {stance} · **") == count
        assert html.count(f'<span class="stance">{stance}</span>') == count
        assert page.count(f'<span class="stance">{stance}</span>') == count
        assert pdf.count(f" · {stance} · ") == count


def test_every_list_of_statements_names_speakers_as_the_statements_export_does(db, client, tmp_path):
    """`speaker_canonical` (per person, the entity's name, else the article's spelling) is one
    field with one definition: the CLI's JSON, the API's lists and one statement, the web's JSON
    download of a statement search and the statements export give each statement the same."""
    from presswatch.exports import write_export

    exported = tmp_path / "statements.jsonl"
    with Store(db) as store:
        write_export(store, "statements", "jsonl", exported)
    canonical = {row["id"]: row["speaker_canonical"] for row in map(json.loads, exported.read_text().splitlines())}
    assert "Evgeny Lomatskiy" in {name for names in canonical.values() for name in names}
    cli = CliRunner().invoke(cli_app, ["statements", "--db", str(db), "--format", "json", "--limit", "200"])
    pages = [json.loads(cli.stdout), client.get("/api/statements", params={"limit": 200}).json(),
             client.get("/search", params={"kind": "statement", "format": "json", "limit": 200}).json()]
    lomatsky = find_entities(Store(db), "Evgeny Lomatskiy")[0]
    pages.append(client.get(f"/api/entities/{lomatsky}/statements", params={"limit": 200}).json())
    for page in pages:
        assert page["items"] and all(item["speaker_canonical"] == canonical[item["id"]] for item in page["items"])
        assert len(page["items"]) == len(canonical) or {tuple(i["speaker_canonical"]) for i in page["items"]} == {("Evgeny Lomatskiy",)}
    one = next(iter(canonical))
    assert client.get(f"/api/statements/{one}").json()["speaker_canonical"] == canonical[one]
