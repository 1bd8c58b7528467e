"""The hand gold for examples/ must describe the example files exactly.

Every line number, title, body line and content anchor is checked against the page it names, so
an edit to a page that silently breaks its gold fails here rather than skewing a score later.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLD = json.loads((ROOT / "tests" / "data" / "examples_gold.json").read_text(encoding="utf-8"))
DOCS = {doc["id"]: doc for doc in GOLD["documents"]}
MODES = {"direct", "indirect", "mixed", "postposed", "according_to"}


def page_lines(doc: dict) -> list[str]:
    return (ROOT / doc["file"]).read_text(encoding="utf-8").split("\n")


def warc_response_uris() -> set[str]:
    with (EXAMPLES / "warc" / "crawl.warc.gz").open("rb") as handle:
        return {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle) if r.rec_type == "response"}


def feed_guids() -> set[str]:
    return {entry.id for entry in feedparser.parse(str(EXAMPLES / "feeds" / "wire.xml")).entries}


def test_every_text_page_is_annotated_under_its_file_stem():
    stems = {p.stem for p in (EXAMPLES / "pages").glob("*.txt")}
    assert stems == set(DOCS)
    for doc_id, doc in DOCS.items():
        assert doc["file"] == f"examples/pages/{doc_id}.txt"


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_title_and_body_lines_are_on_the_page(doc_id):
    doc, lines = DOCS[doc_id], page_lines(DOCS[doc_id])
    assert lines[doc["title_line"] - 1].strip() == doc["title"]
    body = doc["body_lines"]
    assert body == sorted(set(body)) and body[0] > doc["title_line"]
    assert all(lines[i - 1].strip() for i in body), "a body line is blank"
    assert doc["body_text"] == "\n".join(lines[i - 1].strip() for i in body)


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_statements_point_at_their_words(doc_id):
    doc, lines = DOCS[doc_id], page_lines(DOCS[doc_id])
    for st in doc["statements"]:
        assert st["line"] in doc["body_lines"], st
        assert st["content_anchor"] in lines[st["line"] - 1], st
        assert st["mode"] in MODES, st
        assert isinstance(st["core"], bool)
        assert st["speaker"] and st["cue"]


def test_core_speakers_are_known_people_or_named_organisations():
    grouped = {name for group in GOLD["same_entity"] for name in group}
    for doc in DOCS.values():
        known = set(doc["people"]) | set(doc["organizations"]) | grouped
        for st in doc["statements"]:
            if st["core"]:
                assert st["speaker"] in known, (doc["id"], st["speaker"])


def test_entity_groups_are_disjoint_and_keep_namesakes_apart():
    seen: dict[str, int] = {}
    for index, group in enumerate(GOLD["same_entity"]):
        for name in group:
            assert seen.setdefault(name, index) == index, f"{name} is in two same_entity groups"
    for distinct in GOLD["distinct_entities"]:
        groups = {seen.get(name) for name in distinct["names"]}
        assert None in groups or len(groups) == len(distinct["names"])


def test_stories_partition_the_annotated_pages():
    members = [doc_id for group in GOLD["stories"]["groups"] for doc_id in group]
    assert sorted(members) == sorted(DOCS)
    groups = {frozenset(g) for g in GOLD["stories"]["groups"]}
    for event in GOLD["stories"]["events"]:
        assert not event["documents"] or frozenset(event["documents"]) in groups, event["label"]
    for dup in GOLD["near_duplicates"]:
        assert any(set(dup["documents"]) <= g for g in groups)


def test_narratives_span_outlets_and_years():
    for narrative in GOLD["narratives"]:
        docs = [DOCS[d] for d in narrative["documents"]]
        assert len({d["outlet"] for d in docs}) >= 4
        assert len({d["published"][:4] for d in docs if d["published"]}) >= 2


def test_locators_outside_the_gold_name_real_files_and_records():
    guids, uris = feed_guids(), warc_response_uris()
    locators = [f for e in GOLD["stories"]["events"] for f in e["other_files"]]
    locators += [f for n in GOLD["narratives"] + GOLD["near_duplicates"] for f in n["other_files"]]
    for locator in locators:
        path, _, record = locator.partition("#")
        assert (ROOT / path).is_file(), locator
        if path.endswith(".xml"):
            assert record in guids, locator
        elif path.endswith(".warc.gz"):
            assert record in uris, locator


def test_committed_warc_is_what_the_script_builds(tmp_path):
    spec = importlib.util.spec_from_file_location("make_example_warc", ROOT / "tools" / "make_example_warc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_crawl(tmp_path / "crawl.warc.gz")
    assert (tmp_path / "crawl.warc.gz").read_bytes() == (EXAMPLES / "warc" / "crawl.warc.gz").read_bytes()


def test_windows_1252_page_is_really_saved_in_that_encoding():
    raw = (EXAMPLES / "html" / "saltreach_evening_post_cafe.html").read_bytes()
    assert b'charset="windows-1252"' in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Renée" in raw.decode("cp1252") and "“" in raw.decode("cp1252")


def test_examples_stay_small():
    assert sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file()) < 1_000_000
