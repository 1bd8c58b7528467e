import sqlite3

import pytest

from conftest import rewind_migrations
from presswatch.errors import QueryError, StoreError
from presswatch.extract.duplicates import body_minhash, fingerprint_bands, near_duplicates, signature_bytes
from presswatch.query import listings
from presswatch.records import HTML, REPORTS, Article, ArticleOrigin, Evidence, Narrative, Page
from presswatch.store import Store
from presswatch.store.database import store_failure
from presswatch.store.schema import MIGRATIONS
from presswatch.store.search import SearchFilters
from presswatch.store.stories import narrative, save_narratives


def make_article(page: Page, title: str, body: str, **fields) -> Article:
    return Article(
        id=page.id, page_id=page.id, url=page.url, title=title, body=body,
        paragraphs=tuple(body.split("\n\n")), body_hash=f"h-{page.id}", **fields,
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


def add(store, content, title, body, **fields):
    page = Page.make(f"/pages/{title}.html", HTML, content)
    article = make_article(page, title, body, **fields)
    store.add_page(page, article)
    return article


def test_new_file_is_migrated_to_latest_in_wal_mode(store):
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newer_schema_is_refused_with_advice(tmp_path):
    path = tmp_path / "new.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer presswatch"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store(path)


def test_a_write_to_a_read_only_database_says_what_to_do(tmp_path):
    path = tmp_path / "archive.db"
    Store(path).conn.close()
    # Opened read-only, as a file without write permission is for a user other than root.
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        conn.execute("DELETE FROM articles")
    message = str(store_failure(refused.value))
    assert "readonly" in message and "allow writing to the file and its folder" in message, message
    assert "damaged" not in message


def test_pages_and_articles_round_trip(store):
    article = add(store, "<p>x</p>", "Dam holds", "First paragraph.\n\nSecond one.", outlet="The Ledger",
                  published="2025-03-01", language="en")
    assert store.has_page(article.page_id)
    assert store.article(article.id[:6]) == article
    assert store.article_with_body_hash(article.body_hash) == article.id


def test_articles_are_read_by_full_id_many_at_a_time(store):
    first = add(store, "<p>a</p>", "Dam holds", "First body.", outlet="The Ledger", published="2025-03-01")
    second = add(store, "<p>b</p>", "Dam breaks", "Second body.")
    assert store.articles_by_id([second.id, first.id, "no-such-id", first.id]) == {first.id: first, second.id: second}


def test_article_origins_are_read_from_the_index_without_bodies(store):
    first = add(store, "<p>a</p>", "Dam holds", "First body. " * 2000, outlet="The Ledger", published="2025-03-01")
    second = add(store, "<p>b</p>", "Dam breaks", "Second body.")
    assert store.article_origins([second.id, first.id, "no-such-id"]) == {
        first.id: ArticleOrigin(first.id, "The Ledger", "2025-03-01"), second.id: ArticleOrigin(second.id, None, None)}
    plan = " ".join(row[-1] for row in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id, outlet, published FROM articles INDEXED BY articles_published_by_id"
        " WHERE id IN (?, ?)", (first.id, second.id)))
    assert "COVERING INDEX articles_published_by_id" in plan


def test_a_narrative_written_again_holds_exactly_its_new_timeline(store):
    """Only the evidence rows that differ are written again: rows moved, restanced, dropped or
    added must all come out as the new timeline says."""
    article = add(store, "<p>a</p>", "Dam holds", "First body.", outlet="The Ledger")

    def said(statement_id, day, stance="asserts"):
        return Evidence(statement_id, article.id, "Ilse Vesk", "The Ledger", day, f"words of {statement_id}", stance)

    first = (said("s1", "2025-01-01"), said("s2", "2025-01-02"), said("s3", "2025-01-03"))
    save_narratives(store, [Narrative("n1", "The dam holds", first, "2025-01-01", "2025-01-03")])
    grown = (said("s0", "2024-12-31"), said("s1", "2025-01-01", REPORTS), said("s3", "2025-01-03"), said("s4", "2025-01-04"))
    save_narratives(store, [Narrative("n1", "The dam holds", grown, "2024-12-31", "2025-01-04")], replacing={"n1"})
    assert narrative(store, "n1").evidence == grown
    rows = store.conn.execute("SELECT statement_id, stance FROM narrative_evidence ORDER BY statement_id").fetchall()
    assert [tuple(r) for r in rows] == [(e.statement_id, e.stance) for e in grown]


def test_adding_the_same_page_twice_keeps_one(store):
    add(store, "<p>x</p>", "Dam holds", "Body text.")
    add(store, "<p>x</p>", "Dam holds", "Body text.")
    assert store.counts()["pages"] == 1 and store.counts()["articles"] == 1


def test_a_failed_write_leaves_nothing_half_written(store):
    page = Page.make("/p.html", HTML, "<p>y</p>")
    bad = make_article(page, "T", "Body")
    # Pointing near-duplicate links at an article that does not exist breaks the foreign key
    # after the page and article rows were written: the whole page must roll back.
    with pytest.raises(sqlite3.IntegrityError):
        store.add_page(page, bad, near_duplicates=[("missing-article", 0.9)])
    assert store.counts() == {"pages": 0, "articles": 0, "article_links": 0, "rejections": 0}
    assert not store.conn.in_transaction


def test_filters_and_order(store):
    add(store, "a", "Old", "Body one.", outlet="Ledger", published="2024-01-02")
    add(store, "b", "New", "Body two.", outlet="Herald", published="2025-05-06T10:00")
    add(store, "c", "Undated", "Body three.", outlet="Ledger")
    assert [a.title for a in store.articles()] == ["New", "Old", "Undated"]

    def titles(**filters):
        page = listings.articles(store, SearchFilters(**filters), limit=2)
        return [a.title for a in page.items], page.total

    assert titles() == (["New", "Old"], 3)
    assert titles(outlet="ledger") == (["Old", "Undated"], 2)
    assert titles(since="2025-01-01") == (["New"], 1)
    assert titles(until="2025-05-06") == (["New", "Old"], 2)


def test_unknown_or_ambiguous_ids_are_query_errors(store):
    with pytest.raises(QueryError, match="no article"):
        store.article("ffff")
    add(store, "a", "One", "Body one.")
    add(store, "b", "Two", "Body two.")
    with pytest.raises(QueryError, match="ambiguous"):
        store.article("")


def test_near_duplicate_index_links_wire_copies_only():
    wire = " ".join(f"word{i} sentence about the harbour dam and the flood number {i}." for i in range(60))
    copy = wire.replace("word7 ", "changed ")
    other = " ".join(f"budget{i} line about taxes and schools in year {i}." for i in range(60))
    signatures = {name: body_minhash(text) for name, text in (("wire", wire), ("other", other))}
    query = body_minhash(copy)
    matches = near_duplicates(query, ((n, signature_bytes(s)) for n, s in signatures.items()))
    assert [m[0] for m in matches] == ["wire"] and matches[0][1] > 0.8
    # The band index proposes the near copy and not the unrelated text.
    shared = {n for n, s in signatures.items() if set(fingerprint_bands(s)) & set(fingerprint_bands(query))}
    assert shared == {"wire"}


def test_band_index_finds_candidates_in_the_store(store):
    wire = " ".join(f"word{i} sentence about the harbour dam and the flood number {i}." for i in range(60))
    page = Page.make("wire.html", HTML, "<p>wire</p>")
    signature = body_minhash(wire)
    store.add_page(page, make_article(page, "Wire", wire), minhash=signature_bytes(signature),
                   bands=fingerprint_bands(signature))
    copy = body_minhash(wire.replace("word7 ", "changed "))
    assert [i for i, _ in store.fingerprint_candidates(fingerprint_bands(copy))] == [page.id]
    assert store.fingerprint_candidates(fingerprint_bands(body_minhash("nothing like it at all, budget lines"))) == []


def test_stored_signatures_round_trip():
    from presswatch.extract.duplicates import signature_bytes, signature_from_bytes

    signature = body_minhash("a wire story about the harbour dam and the flood that followed it")
    assert signature_from_bytes(signature_bytes(signature)).jaccard(signature) == 1.0


# Each process waits for the same moment, then opens its database (and says what happened).
_OPEN_AT = """
import sys, time
from presswatch.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
try:
    Store(sys.argv[1]).close()
    print("ok")
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def test_processes_opening_a_new_database_at_once_create_its_schema_once(tmp_path):
    import os
    import subprocess
    import sys
    import time

    paths = [str(tmp_path / f"new-{trial}.db") for trial in range(4)]
    start = time.time() + 1.5  # after every process has started and imported the store
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [subprocess.Popen([sys.executable, "-c", _OPEN_AT, path, str(start)], stdout=subprocess.PIPE,
                                  text=True, env=environment)
                 for path in paths for _ in range(2)]
    outcomes = [process.communicate(timeout=60)[0].strip() for process in processes]
    assert outcomes == ["ok"] * len(outcomes), sorted(set(outcomes))
    for path in paths:
        with Store(path) as store:
            assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_missing_database_is_created_only_when_asked(tmp_path):
    from presswatch.store import open_store

    with pytest.raises(StoreError, match="no database at .*presswatch ingest` creates one"):
        open_store(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()
    open_store(tmp_path / "new.db").close()
    open_store(tmp_path / "new.db", create=False).close()


def test_stored_facet_counts_and_queues_follow_every_write(store):
    """The counts and queues migration 15's triggers keep answer what counting the tables would."""
    from presswatch.records import ArticleAnalysis, Statement
    from presswatch.store.analysis import forget_analyses, pending_article_ids, save_analyses
    from presswatch.store.search import facet_counts
    from presswatch.store.stories import delete_stories, unassigned_article_ids

    def said(article, k, speaker):
        return Statement(id=f"{article.id}:{k}", article_id=article.id, speaker=speaker, speaker_name=speaker,
                         speaker_role=None, speaker_kind="person", cue="said", content=f"claim {k}", mode="indirect",
                         cue_span=(0, 4), speaker_span=(0, 4), content_spans=((5, 12),), date="2025-01-02")

    def counted(sql):
        return [(r[0], r[1]) for r in store.conn.execute(sql + " ORDER BY 2 DESC, 1")]

    articles = [add(store, f"<p>{n}</p>", f"T{n}", f"Body {n}.", outlet=outlet, language=language)
                for n, (outlet, language) in enumerate([("Ledger", "en"), ("Courier", "en"), ("Ledger", "de"), (None, None)])]
    assert pending_article_ids(store) == unassigned_article_ids(store) == sorted(a.id for a in articles)
    save_analyses(store, [(a, ArticleAnalysis(a.id, tuple(said(a, k, s) for k, s in enumerate(speakers)), ()))
                          for a, speakers in zip(articles[:3], [["Ann Vesk", "Oleg Orlan"], ["Ann Vesk"], []])])
    assert pending_article_ids(store) == [articles[3].id]
    store.conn.execute("UPDATE articles SET outlet = 'Courier' WHERE id = ?", (articles[0].id,))
    store.conn.execute("INSERT INTO stories (id, label, outlets, key_entities) VALUES ('s1', 'One', '[]', '[]')")
    store.conn.execute("INSERT INTO story_articles VALUES (?, 's1', 0)", (articles[1].id,))
    assert unassigned_article_ids(store) == sorted(a.id for a in articles if a is not articles[1])
    for facet, sql in (("outlet", "SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"),
                       ("language", "SELECT language, count(*) FROM articles WHERE language IS NOT NULL GROUP BY language"),
                       ("speaker", "SELECT speaker_name, count(*) FROM statements GROUP BY speaker_name")):
        assert facet_counts(store, facet) == counted(sql) != []
    assert facet_counts(store, "speaker", 1) == [("Ann Vesk", 2)]
    forget_analyses(store)
    delete_stories(store)
    assert facet_counts(store, "speaker") == []
    assert pending_article_ids(store) == unassigned_article_ids(store) == sorted(a.id for a in articles)


def test_the_migration_counts_a_storys_articles_naming_no_outlet_as_one_outlet(example_db, tmp_path):
    """A store made before migration 31 listed a story's outlets without its articles naming none:
    the migration lists them as records.story_outlets does now."""
    import json
    import shutil

    from presswatch.records import UNKNOWN_OUTLET, story_outlets

    path = tmp_path / "old.db"
    shutil.copy(example_db, path)
    conn = sqlite3.connect(path)
    made = dict(conn.execute("SELECT id, outlets FROM stories"))
    assert any(UNKNOWN_OUTLET in json.loads(outlets) for outlets in made.values())
    conn.executemany("UPDATE stories SET outlets = ? WHERE id = ?",
                     [(json.dumps([o for o in json.loads(outlets) if o != UNKNOWN_OUTLET]), story_id)
                      for story_id, outlets in made.items()])
    conn.executescript(next(script for script in MIGRATIONS if "'(unknown outlet)'" in script))
    conn.close()
    with Store(path) as store:
        for story_id, outlets in store.conn.execute("SELECT id, outlets FROM stories"):
            members = [r[0] for r in store.conn.execute(
                "SELECT a.outlet FROM story_articles s JOIN articles a ON a.id = s.article_id"
                " WHERE s.story_id = ? ORDER BY s.position", (story_id,))]
            assert json.loads(outlets) == list(story_outlets(members)) == json.loads(made[story_id]), story_id


def test_the_migration_drops_the_colon_a_stored_cue_took_from_its_span(example_db, tmp_path):
    """A store made before a cue's text dropped the colon of its span kept "said:" as the cue: the
    migration gives the cue an analysis gives now ("said"), the span unchanged, and leaves a cue
    that is only a colon (a speaker label's) alone."""
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(example_db, path)
    conn = sqlite3.connect(path)
    made = dict(conn.execute("SELECT id, cue FROM statements"))
    colon_spans = [r[0] for r in conn.execute(
        "SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id"
        " WHERE substr(a.body, s.cue_end, 1) = ':' AND s.cue_end - s.cue_start > 1")]
    assert colon_spans and all(not made[i].endswith(":") for i in colon_spans)
    # the old form: the cue's text was its span's
    conn.executemany("UPDATE statements SET cue = cue || ':' WHERE id = ?", [(i,) for i in colon_spans])
    label = next(iter(made))
    conn.execute("UPDATE statements SET cue = ':' WHERE id = ?", (label,))
    rewind_migrations(conn, "rtrim(cue")
    conn.commit()
    conn.close()
    with Store(path) as store:
        stored = dict(store.conn.execute("SELECT id, cue FROM statements"))
    assert stored == {**made, label: ":"}


def test_claim_clusters_stored_before_their_weighing_was_kept_count_as_weighed_at_the_upgrade(example_db, tmp_path):
    """Migration 36: a claim cluster keeps how many claims the store counted when it was weighed;
    those stored before are taken as weighed when the store is upgraded, so the first updates do
    not cluster again every cluster they bring back."""
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(example_db, path)
    conn = sqlite3.connect(path)
    (counted,) = conn.execute("SELECT documents FROM kind_documents WHERE kind = 'claims'").fetchone()
    clusters = conn.execute("SELECT count(*) FROM claim_clusters").fetchone()[0]
    assert counted > 0 and clusters > 0
    conn.execute("ALTER TABLE claim_clusters DROP COLUMN weighed_at")
    conn.execute(f"PRAGMA user_version={MIGRATIONS.index(next(m for m in MIGRATIONS if 'ADD COLUMN weighed_at' in m))}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert [tuple(r) for r in store.conn.execute("SELECT weighed_at, count(*) FROM claim_clusters GROUP BY 1")] == [(counted, clusters)]


def test_statements_are_read_by_id_in_one_query_in_the_order_asked(example_db):
    """A page of search hits or a narrative's evidence reads its statements in one query, in the
    order asked; an id no longer stored is left out."""
    from presswatch.store.search import statement_by_id, statements_by_ids

    with Store(example_db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM statements ORDER BY id DESC LIMIT 5")]
        asked = [ids[3], "gone", ids[0], ids[4]]
        queries: list[str] = []
        store.conn.set_trace_callback(queries.append)
        found = statements_by_ids(store, asked)
        store.conn.set_trace_callback(None)
        assert [s.id for s in found] == [ids[3], ids[0], ids[4]]
        assert found == [statement_by_id(store, i) for i in (ids[3], ids[0], ids[4])]
        assert len([q for q in queries if q.lstrip().upper().startswith("SELECT")]) == 1


def test_the_migration_orders_timelines_by_their_evidence_and_keeps_every_one(example_db, tmp_path):
    """A store written before timelines were ordered by their evidence's date, article and statement
    kept a position per piece of evidence: the migration drops it and keeps every piece (each
    column) and every timeline's order, which is then read off the narrative_evidence_timeline index."""
    import shutil

    from presswatch.store import stories as story_store

    path = tmp_path / "old.db"
    shutil.copy(example_db, path)
    with Store(path) as store:
        made = story_store.narratives(store)
    assert any(len(n.evidence) > 2 for n in made)
    first = next(m for m in MIGRATIONS if "CREATE TABLE narrative_evidence (" in m)
    conn = sqlite3.connect(path)
    columns = "statement_id, narrative_id, article_id, speaker, outlet, date, quote, stance"
    # the old table, each timeline numbered in the order the store gives it now
    conn.executescript(
        "DROP INDEX narrative_evidence_timeline; DROP INDEX narrative_evidence_outlet;"
        " DROP INDEX narrative_evidence_article;"
        f" CREATE TABLE numbered AS SELECT {columns}, row_number() OVER (PARTITION BY narrative_id"
        " ORDER BY date IS NULL, date, article_id, statement_id) - 1 AS position FROM narrative_evidence;"
        " DROP TABLE narrative_evidence;"
        + first[first.index("CREATE TABLE narrative_evidence"):]
        + " ALTER TABLE narrative_evidence ADD COLUMN stance TEXT NOT NULL DEFAULT 'asserts';"
        f" INSERT INTO narrative_evidence ({columns}, position) SELECT {columns}, position FROM numbered ORDER BY random();"
        " DROP TABLE numbered;"
        " CREATE INDEX narrative_evidence_article ON narrative_evidence(article_id, narrative_id);")
    rewind_migrations(conn, "narrative_evidence_timeline")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert story_store.narratives(store) == made
        assert "position" not in {r[1] for r in store.conn.execute("PRAGMA table_info(narrative_evidence)")}
        plan = " ".join(r[-1] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM narrative_evidence WHERE narrative_id = ?"
            " ORDER BY date IS NULL, date, article_id, statement_id LIMIT 5", (made[0].id,)))
        assert "narrative_evidence_timeline" in plan and "TEMP B-TREE" not in plan
