"""The queries behind the pages that were slow on a large store (bench/listings.py's 100k store):
checked by what SQLite is asked and how it plans it, not by timing. Each test names the cost it
guards against; the figures are in MEASUREMENTS.md, "Pages at 100k articles"."""

from __future__ import annotations

import pytest

from presswatch.query import listings
from presswatch.query.briefing import briefing_example
from presswatch.query.facets import result_facets
from presswatch.query.volume import volume
from presswatch.records import Article, Page, Statement
from presswatch.store import Store
from presswatch.store.entities import find_entities, speaker_statement_ids
from presswatch.store.search import STATEMENT_DAY, SearchFilters, date_span, period_counts
from presswatch.store.statements import latest_statement_day, replace_statements


@pytest.fixture(scope="module")
def lomatsky(example_store) -> str:
    return find_entities(example_store, "Yevgeny Lomatsky")[0]


def _traced(store: Store, run) -> tuple[object, list[str]]:
    """What `run()` returns and the SQL it ran, each statement once."""
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    try:
        found = run()
    finally:
        store.conn.set_trace_callback(None)
    return found, list(dict.fromkeys(ran))


def _plan(store: Store, sql: str) -> list[str]:
    return [step for (*_, step) in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def test_an_entity_page_reads_its_statements_once_and_walks_no_speaker_names(example_store, lomatsky):
    """Its detail, its page of statements and its chart's dates each read the entity's statements
    (resolving the speakers of every article naming it) and walked every statement for a speaker
    written as its id: 1.6 s CPU for an entity named in 3,600 articles."""
    profile, ran = _traced(example_store, lambda: listings.entity_profile(example_store, lomatsky, limit=3, offset=1))
    speakers_read = [sql for sql in ran if "AS who" in sql]
    assert len(speakers_read) == 1, speakers_read
    assert not [sql for sql in ran if "speaker_name LIKE" in sql or "speaker LIKE" in sql]
    said = speaker_statement_ids(example_store, lomatsky)
    assert profile.detail.statements == profile.statements.total == len(profile.reported) == len(said) > 3
    # The same page as the entity's statements in the API, and as the speaker filter lists them
    # (no speaker is written as an entity id).
    api = listings.entity_statements(example_store, lomatsky, limit=3, offset=1)
    listed = listings.statements(example_store, SearchFilters(speaker=lomatsky), limit=3, offset=1)
    assert profile.statements == api == listed


def test_a_window_of_statements_is_a_range_of_the_day_index(example_store, lomatsky):
    """A statement's day in a window was worked out from its article for every statement walked:
    the example briefing's month of a speaker with fewer statements there than it asks for walked
    all 500k (528 ms CPU); on `statements.day`, the index bounds the walk."""
    filters = SearchFilters(speaker=lomatsky, since="2024-01-01", until="2025-06-30")
    _, ran = _traced(example_store, lambda: listings.statements(example_store, filters, limit=2))
    listed = [sql for sql in ran if sql.lstrip().startswith("SELECT s.rowid FROM statements s")]
    assert listed
    steps = [step for sql in listed for step in _plan(example_store, sql)]
    assert any("statements_day (day>? AND day<?)" in step for step in steps), steps


def _days(store: Store) -> dict[str, str | None]:
    return dict(store.conn.execute(f"SELECT s.id, {STATEMENT_DAY} FROM statements s JOIN articles a ON a.id = s.article_id"))


# The last two part a statement dated "2025-03" by its text from its article of 2025-06-10.
@pytest.mark.parametrize("since, until", [("2024-01-01", None), (None, "2024-06"), ("2024-03-01", "2025-02"),
                                          ("2025-04", None), ("2025-03-05", "2025-03")])
def test_a_windowed_speaker_filter_passes_what_the_whole_reading_passes(example_store, lomatsky, since, until):
    """The speaker's statements are resolved for the window only (those made or reported within it):
    a window's listing is the unwindowed one's items within it, statements by their day, articles
    by their date."""
    days, end = _days(example_store), (until or "") + "\uffff"
    window = SearchFilters(speaker=lomatsky, since=since, until=until)
    every = SearchFilters(speaker=lomatsky)
    within = [s.id for s in listings.statements(example_store, every, limit=1000).items
              if days[s.id] and (not since or days[s.id] >= since) and (not until or days[s.id] <= end)]
    assert [s.id for s in listings.statements(example_store, window, limit=1000).items] == within
    published = [a.id for a in listings.articles(example_store, every, limit=1000).items
                 if a.published and (not since or a.published >= since) and (not until or a.published <= end)]
    assert [a.id for a in listings.articles(example_store, window, limit=1000).items] == published
    assert set(speaker_statement_ids(example_store, lomatsky, since=since, until=until)) >= set(within)


def test_the_example_briefing_reads_the_last_day_off_the_index(example_store):
    """Its last day was worked out from every statement's article (550 ms CPU at 500k statements)."""
    example, ran = _traced(example_store, lambda: briefing_example(example_store))
    days = [day for day in _days(example_store).values() if day and day[:10].count("-") == 2]
    assert example["until"] == latest_statement_day(example_store) == max(day[:10] for day in days)
    latest = [sql for sql in ran if "ORDER BY day DESC LIMIT 1" in sql]
    assert latest and all("JOIN" not in sql for sql in latest)
    assert any("statements_day" in step for sql in latest for step in _plan(example_store, sql))


@pytest.fixture
def harbour_store(tmp_path):
    """Fictional articles most of which hold a common word, with one statement each."""
    with Store(tmp_path / "harbour.db") as store:
        for number in range(12):
            body = f"The harbour of Vellmoor{number} reopened, the pilot said." if number % 4 else "Quiet day."
            page = Page.make(f"{number}.txt", "text", body)
            store.add_page(page, Article(id=page.id, page_id=page.id, url=None, title=f"Vellmoor {number}", body=body,
                                         paragraphs=(body,), outlet=f"Courier {number % 3}",
                                         published=f"2025-0{1 + number % 3}-1{number % 9}", language="en",
                                         body_hash=str(number)))
            replace_statements(store, page.id, [Statement(
                id=f"{page.id}:0", article_id=page.id, speaker="Oda Brenn", speaker_name="Oda Brenn",
                speaker_role=None, speaker_kind="person", cue="said", content=body, mode="indirect",
                cue_span=(0, 4), speaker_span=None, content_spans=((0, len(body)),), date=None)])
        yield store


def test_a_volume_of_a_common_word_reads_a_covering_index_and_ranks_nothing(harbour_store):
    """The dates and outlets of the articles a word matches in many were read off each one's row,
    past its body (262 ms a week's counts for 92k matches), and the mode "auto" runs in was learned by
    ranking them all first; the counts equal one count per item."""
    found, ran = _traced(harbour_store, lambda: volume(harbour_store, kind="article", query="harbour"))
    assert not [sql for sql in ran if "bm25(" in sql]
    matched = [sql for sql in ran if "MATCH" in sql and "+a.rowid" in sql]
    assert len(matched) == 2, ran
    steps = [step for sql in matched for step in _plan(harbour_store, sql)]
    assert not [step for step in steps if "rowid=?" in step] and any("COVERING INDEX" in step for step in steps)
    items = harbour_store.conn.execute(
        "SELECT a.published, a.outlet FROM articles a JOIN articles_fts f ON f.rowid = a.rowid"
        " WHERE articles_fts MATCH 'harbour'").fetchall()
    assert found.total == len(items) == 9
    by_outlet = {v.outlet: v.total for v in found.outlets}
    assert by_outlet == {outlet: sum(1 for _, o in items if o == outlet) for outlet in by_outlet}
    assert date_span(harbour_store, "article", query="harbour") == (min(p for p, _ in items), max(p for p, _ in items))
    per_month = [tuple(r) for r in period_counts(harbour_store, "article", query="harbour", period="month")]
    assert sorted(per_month) == sorted(
        (month + "-01", outlet, sum(1 for p, o in items if p[:7] == month and o == outlet))
        for month, outlet in {(p[:7], o) for p, o in items})


def test_the_narrative_facet_finds_evidence_by_article(example_store):
    """The narratives of 500 articles were found by reading every piece of evidence (migration 33)."""
    ids = [r[0] for r in example_store.conn.execute("SELECT DISTINCT article_id FROM narrative_evidence LIMIT 5")]
    assert ids
    facets, ran = _traced(example_store, lambda: result_facets(example_store, "article", ids))
    assert facets["narrative"]
    evidence = [sql for sql in ran if "FROM narrative_evidence" in sql]
    steps = [step for sql in evidence for step in _plan(example_store, sql)]
    assert any("narrative_evidence_article" in step for step in steps), steps
