"""Hostile and careless input: odd names, pathological sizes and shapes, fragments, garbage, re-runs.

Each regression test here failed before its fix (issue 13); the hostile corpus is made at test time
and ingested in one batch; the property tests run the fuzz targets of `fuzzing.py` (bench/fuzz.py
runs them longer).
"""

from __future__ import annotations

import base64
import bz2
import gzip
import os
import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from fuzzing import TARGETS, WARMUP
from hypothesis import HealthCheck, given, settings

from presswatch.engine.local import ingest
from presswatch.errors import InputError, PresswatchError
from presswatch.extract import extract, textdump
from presswatch.extract.lines import split_dump
from presswatch.ingest import read_sources
from presswatch.ingest.feed import read_feed
from presswatch.records import HTML, TEXT, Page, Rejection
from presswatch.store import Store
from presswatch.store.schema import MIGRATIONS

PROSE = ("The harbour council said on Monday that the new plan would cost more than expected, and residents "
         "of the eastern district raised concerns about traffic and the loss of a park. ")


def article_html(title: str, paragraphs: int = 4) -> bytes:
    body = "".join(f"<p>{title} story, part {i}. {PROSE}</p>" for i in range(paragraphs))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


def stored_and_rejected(db: Path) -> tuple[set[str], dict[str, str]]:
    conn = sqlite3.connect(db)
    try:
        stored = {row[0] for row in conn.execute("SELECT source FROM pages")}
        rejected = dict(conn.execute("SELECT source, reason FROM rejections"))
    finally:
        conn.close()
    return stored, rejected


# --- 1: file names that are not UTF-8 --------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_ingested_and_the_batch_goes_on(tmp_path):
    folder = os.fsencode(tmp_path / "batch")
    os.mkdir(folder)
    with open(os.path.join(folder, b"latin1_\xe9t\xe9.html"), "wb") as out:
        out.write(article_html("Harbour plan"))
    with open(os.path.join(folder, b"z_bad_\xff.txt"), "wb") as out:
        out.write(b"\x00\x01" * 50)  # rejected: its rejection must be storable too
    (tmp_path / "batch" / "z_later.html").write_bytes(article_html("Later story"))
    with Store(tmp_path / "p.db") as store:
        report = ingest([str(tmp_path / "batch")], store)
    stored, rejected = stored_and_rejected(tmp_path / "p.db")
    assert len(report.stored) == 2 and len(report.rejected) == 1
    assert str(tmp_path / "batch" / "latin1_\\xe9t\\xe9.html") in stored
    assert str(tmp_path / "batch" / "z_later.html") in stored
    assert list(rejected) == [str(tmp_path / "batch" / "z_bad_\\xff.txt")]


# --- 2: time and memory linear in the input --------------------------------------------------------


def test_leading_label_lines_are_skipped_in_linear_time():
    """30,000 short non-sentence lines of one body: the old loop rescanned the rows for every line
    (minutes); one pass takes well under a second."""
    dump = split_dump("\n\n".join(f"label {i}" for i in range(30_000)))
    rows = list(range(len(dump.rows)))
    start = time.process_time()
    assert textdump._after_leading_labels(dump, rows) == rows[-1:]
    assert time.process_time() - start < 3


def test_forest_scores_in_blocks_match_scores_at_once(monkeypatch):
    x = np.random.default_rng(3).random((1000, len(textdump.FEATURE_NAMES)), dtype=np.float32) * 3
    forest = textdump.load_model().body
    whole = forest.margin(x)
    monkeypatch.setattr(textdump, "MARGIN_BLOCK_ROWS", 97)
    np.testing.assert_array_equal(forest.margin(x), whole)


# --- 3: fragments: a feed entry or an upload of one paragraph or of plain text ---------------------


def test_plain_rss_items_of_plain_text_or_one_paragraph_are_stored(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Kestrel News</title>'
        "<item><title>Bridge reopens</title><link>http://example.org/a</link><description>The bridge over the river"
        " reopened on Tuesday after two years of repairs, the city said.</description></item>"
        f"<item><title>Harbour plan</title><link>http://example.org/b</link><description>&lt;p&gt;{PROSE}&lt;/p&gt;"
        "</description></item></channel></rss>", encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        report = ingest([str(feed)], store)
    assert len(report.stored) == 2 and not report.rejected


def test_an_entry_dated_in_a_year_before_1_is_kept_without_its_date():
    """Found by bench/fuzz.py: feedparser reads "00" as the year -99 (in 2-digit-year arithmetic), which datetime refuses."""
    feed = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title><entry><title>Old</title>'
            f"<content type='html'>&lt;p&gt;{PROSE}&lt;/p&gt;</content><updated>00</updated></entry></feed>")
    (page,) = read_feed("feed.xml", feed.encode())
    assert isinstance(page, Page) and "published" not in page.hints


@pytest.mark.parametrize("content", [PROSE, f"<p>{PROSE}</p>", f"<div><p>{PROSE}</p></div>"])
def test_a_single_paragraph_upload_is_an_article(content):
    assert extract(Page.make("upload", HTML, content)).body.startswith("The harbour council")


# --- 4: a dump of long single tokens ----------------------------------------------------------------


def test_a_dump_of_long_single_tokens_does_not_raise():
    rng = random.Random(4)
    blob = "\n".join(base64.b64encode(rng.randbytes(300)).decode() for _ in range(20))
    article = extract(Page.make("blob.txt", TEXT, blob))  # an article of the blob, or a reason
    assert article.body


# --- 5: no article, mis-decoded text ------------------------------------------------------------


@pytest.mark.parametrize("content", ["<nav>menu</nav>", ("<html><body><nav><a href='/'>Home</a> menu</nav>"
                                     "<footer>© Ledger</footer></body></html>"), "<ul><li><a href='/'>Home</a></li></ul>"])
def test_a_page_of_navigation_only_is_rejected(content):
    with pytest.raises(InputError, match="no article"):
        extract(Page.make("nav.html", HTML, content))


def test_a_header_does_not_hide_the_article_next_to_it():
    page = "<html><body><header><nav>Home</nav></header><!-- x -->" + PROSE + "</body></html>"
    assert "The harbour council" in extract(Page.make("p.html", HTML, page)).body


def test_undecodable_bytes_are_rejected_as_mis_decoded(tmp_path):
    rng = random.Random(5)
    (tmp_path / "latin.txt").write_bytes(bytes(rng.choice(b"abcdefghij \xe9\xe8\xe0\xfc\xf6\xe4") for _ in range(4000)))
    (tmp_path / "wide.txt").write_bytes(b"\xff\xfe" + rng.randbytes(4000))
    items = list(read_sources([str(tmp_path)]))
    assert all(isinstance(item, Rejection) and "mis-decoded" in item.reason for item in items), items
    assert len(items) == 2


# --- 6: rejections once per source -----------------------------------------------------------------


def test_re_runs_record_each_rejection_once(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 100)
    for _ in range(3):
        with Store(tmp_path / "p.db") as store:
            ingest([str(bad)], store)
    assert Store(tmp_path / "p.db").counts()["rejections"] == 1
    bad.write_text(PROSE * 3)  # fixed: stored, and no longer listed as rejected
    with Store(tmp_path / "p.db") as store:
        ingest([str(bad)], store)
        assert store.counts()["rejections"] == 0


def test_the_migration_keeps_the_latest_of_repeated_rejections(tmp_path):
    before = next(i for i, script in enumerate(MIGRATIONS) if "rejections_source" in script)
    conn = sqlite3.connect(tmp_path / "old.db")
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.executemany("INSERT INTO rejections (source, reason, at) VALUES (?, ?, ?)",
                     [("a", "old", "1"), ("b", "only", "1"), ("a", "new", "2")])
    conn.execute(f"PRAGMA user_version={before}")
    conn.commit()
    conn.close()
    with Store(tmp_path / "old.db") as store:
        assert dict(store.conn.execute("SELECT source, reason FROM rejections")) == {"a": "new", "b": "only"}


# --- the hostile corpus -------------------------------------------------------------------------


def hostile_corpus(folder: Path) -> list[str]:
    """Files an attacker or an old archive would hand over, plus two good pages after them; returns
    the sources expected to come out (as pages, duplicates or rejections)."""
    rng = random.Random(13)
    files: dict[bytes, bytes] = {
        b"binary.html": rng.randbytes(5000),
        b"png.txt": b"\x89PNG\r\n\x1a\n" + rng.randbytes(500),
        b"zip_bomb.html.gz": gzip.compress(b"<p>" + b"a" * 2_000_000),
        b"bz2.txt": bz2.compress(b"x" * 100_000),
        b"empty.html": b"",
        b"blank.txt": b" \n\t\n" * 100,
        b"huge_one_line.txt": b"word " * 400_000,
        b"short_lines.txt": "\n".join(f"item {i}" for i in range(40_000)).encode(),
        b"long_tokens.txt": b"\n".join(base64.b64encode(rng.randbytes(400)) for _ in range(50)),
        b"deep.html": b"<html><body>" + b"<div>" * 50_000 + PROSE.encode() + b"</div>" * 50_000 + b"</body></html>",
        b"deep_tables.html": b"<html><body>" + b"<table><tr><td><p>x</p>" * 3000 + b"</body></html>",
        b"entities.html": b"<html><body><p>" + b"&amp;&#0;&#xD800;&#x110000;&bogus;&#99999999999;" * 20_000 + b"</p></body></html>",
        b"billion_laughs.xml": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                                           for i in range(1, 10))
                                + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>t</title>'
                                  b"<description>&lol9;</description></item></channel></rss>"),
        b"external_entity.xml": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                 b'<rss version="2.0"><channel><title>t</title><item><description>&x;</description></item>'
                                 b"</channel></rss>"),
        b"feed_cut.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut',
        b"utf16_nobom.html": ("<html><body><p>" + PROSE + "</p></body></html>").encode("utf-16-le"),
        b"utf32.txt": ("\ufeff" + PROSE * 3).encode("utf-32"),
        b"shift_jis.html": "<html><body><p>東京都は火曜日、新しい防災計画を発表した。知事は記者団に対し述べた。</p></body></html>".encode("shift_jis"),
        b"mojibake.txt": bytes(rng.choice(b"abcdefghij \xe9\xe8\xe0\xfc\xf6\xe4") for _ in range(4000)),
        b"nul_text.txt": (PROSE * 3).encode().replace(b" ", b"\x00"),
        b"nav_only.html": b"<nav>menu</nav>",
        b"control_chars.html": b"<html><body><p>" + PROSE.encode() + bytes(range(1, 32)) + b"</p></body></html>",
        b"jsonl_odd.jsonl": b'{"text": "\\ud800 ' + PROSE.encode() + b'"}\n[1,2]\n{"html": 5}\n\xff\xfe\nnot json\n',
        b"warc_torn.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\n",
        b"latin1_\xe9t\xe9.html": article_html("Latin name"),
        b"line\nbreak.html": article_html("Line break name"),
        b"\x1b[31mred.html": article_html("Escape name"),
        b"-leading-dash.html": article_html("Dash name"),
        b"zz_good_1.html": article_html("Good one"),
        b"zz_good_2.txt": (PROSE * 5).encode(),
    }
    base = os.fsencode(folder)
    for name, data in files.items():
        with open(os.path.join(base, name), "wb") as out:
            out.write(data)
    os.symlink(base, os.path.join(base, b"loop"))
    return sorted(os.fsdecode(os.path.join(base, name)) for name in files)


def test_a_hostile_corpus_is_ingested_in_one_batch_with_nothing_lost(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    expected = hostile_corpus(folder)
    with Store(tmp_path / "p.db") as store:
        report = ingest([str(folder)], store)
    stored, rejected = stored_and_rejected(tmp_path / "p.db")
    duplicates = {source for source, _ in report.duplicates}
    seen = {source.split("#")[0] for source in stored | set(rejected) | duplicates}
    expected_sources = {source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                        for source in expected}
    assert expected_sources <= seen, expected_sources - seen
    assert not [reason for reason in rejected.values() if "internal error" in reason]
    assert {str(folder / "zz_good_1.html"), str(folder / "zz_good_2.txt")} <= stored
    assert "mis-decoded" in rejected[str(folder / "mojibake.txt")]
    assert "no article" in rejected[str(folder / "nav_only.html")]
    assert "root:" not in " ".join(row[0] for row in store_bodies(tmp_path / "p.db"))  # no external entity read


def store_bodies(db: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT body FROM articles").fetchall()
    finally:
        conn.close()


# --- property tests: every reader and parser ------------------------------------------------------


def _check(target, value) -> None:
    try:
        target(value)
    except PresswatchError as exc:
        assert str(exc)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_readers_and_parsers_take_any_input(name):
    target, strategy = TARGETS[name]

    # bounded time: no single input may take more than a few seconds (a quadratic path would)
    # dateparser, which the date parser falls back on, takes about 0.1 s a string: fewer examples
    @settings(max_examples=20 if name == "dates" else 60, deadline=timedelta(seconds=5), database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def run(value):
        _check(target, value)

    _check(target, WARMUP[name])
    run()


def test_the_migration_keeps_ranks_spellings_days_and_the_clustering_queue(tmp_path):
    """A store written before listings kept their ranks: the migration fills them from what is
    stored, so listings and updates read the same answers as on a store written after."""
    before = next(i for i, script in enumerate(MIGRATIONS) if "narratives_rank" in script)
    conn = sqlite3.connect(tmp_path / "old.db")
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.execute("INSERT INTO pages (id, source, kind, ingested_at, content) VALUES ('p', 'p', 'text', '1', 'x')")
    for article_id, outlet, published in (("a1", "Skelby Courier", "2024-05-02"), ("a2", None, "2024-05-03")):
        conn.execute("INSERT INTO articles (id, page_id, body, paragraphs, outlet, published, body_hash)"
                     " VALUES (?, 'p', 'x', '[]', ?, ?, ?)", (article_id, outlet, published, article_id))
    for statement_id, article_id, date in (("s1", "a1", "2024-04"), ("s2", "a2", "last week"), ("s3", "a2", None)):
        conn.execute("INSERT INTO statements (id, article_id, speaker_kind, cue, content, mode, cue_start, cue_end, content_spans,"
                     " date, confidence) VALUES (?, ?, 'person', 'said', 'x', 'indirect', 0, 1, '[]', ?, 1.0)",
                     (statement_id, article_id, date))
    conn.execute("INSERT INTO claim_members (statement_id, cluster_id, vector) VALUES ('s1', 'c', '{}')")
    conn.execute("INSERT INTO narratives (id, label) VALUES ('n', 'x')")
    conn.executemany("INSERT INTO narrative_evidence (statement_id, narrative_id, article_id, outlet, quote, position)"
                     " VALUES (?, 'n', ?, ?, 'x', ?)", [("s1", "a1", "Skelby Courier", 0), ("s2", "a2", None, 1)])
    conn.execute("INSERT INTO stories (id, label, outlets, key_entities) VALUES ('t', 'x', '[]', '[]')")
    conn.executemany("INSERT INTO story_articles (article_id, story_id, position) VALUES (?, 't', ?)", [("a1", 0), ("a2", 1)])
    conn.execute("INSERT INTO entity_names (id, type, own_key, link_key, name, link_name, mentions)"
                 " VALUES (1, 'person', 'korhel', 'korhel', 'Korhel', 'Korhel', 3)")
    conn.executemany("INSERT INTO entity_mentions (article_id, start, end, text, type, refers_to, name_id)"
                     " VALUES (?, ?, 0, ?, 'person', ?, 1)",
                     [("a1", 0, "Korhel", "Korhel"), ("a1", 5, "KORHEL", "KORHEL"), ("a2", 0, "KORHEL", "KORHEL")])
    conn.commit()
    # This migration alone: the stance migration after it drops narratives and queues every
    # statement again, on purpose (tests/test_stance.py checks that one).
    conn.executescript(MIGRATIONS[before])
    with conn:
        def q(sql):
            return [tuple(r) for r in conn.execute(sql)]

        assert q("SELECT outlets, statements FROM narratives") == [(2, 2)]  # an outlet, and an article without one
        assert q("SELECT articles FROM stories") == [(2,)]
        assert q("SELECT id, day FROM statements ORDER BY id") == [("s1", "2024-04"), ("s2", "2024-05-03"),
                                                                   ("s3", "2024-05-03")]
        assert q("SELECT statement_id FROM unclustered_statements ORDER BY 1") == [("s2",), ("s3",)]
        assert q("SELECT text, mentions FROM name_spellings ORDER BY text") == [("KORHEL", 2), ("Korhel", 1)]
        assert q("SELECT 1 FROM stale_outputs WHERE output = 'name_blocks'") == [(1,)]
    conn.close()


def test_the_story_state_migration_queues_every_article_for_stories_again(tmp_path):
    """Stories stored before they kept their clustering state cannot be brought back: the migration
    drops them and their frequencies, and every article waits for the next update's stories."""
    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE story_sums" in script)
    conn = sqlite3.connect(tmp_path / "old.db")
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.execute("INSERT INTO pages (id, source, kind, ingested_at, content) VALUES ('p', 'p', 'text', '1', 'x')")
    for article_id in ("a1", "a2"):
        conn.execute("INSERT INTO articles (id, page_id, body, paragraphs, body_hash) VALUES (?, 'p', 'x', '[]', ?)",
                     (article_id, article_id))
    conn.execute("INSERT INTO stories (id, label, outlets, key_entities) VALUES ('t', 'x', '[]', '[]')")
    conn.executemany("INSERT INTO story_articles (article_id, story_id, position) VALUES (?, 't', ?)", [("a1", 0), ("a2", 1)])
    conn.execute("INSERT INTO term_documents VALUES ('stories', 'words', 'fire', 2)")
    conn.execute("UPDATE kind_documents SET documents = 2 WHERE kind = 'stories'")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM unassigned_articles").fetchone()[0] == 0
    conn.executescript(MIGRATIONS[before])
    assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert [r[0] for r in conn.execute("SELECT article_id FROM unassigned_articles ORDER BY 1")] == ["a1", "a2"]
    assert conn.execute("SELECT count(*) FROM term_documents WHERE kind = 'stories'").fetchone()[0] == 0
    assert conn.execute("SELECT documents FROM kind_documents WHERE kind = 'stories'").fetchone()[0] == 0
    conn.close()


def test_the_postings_and_pending_mentions_migrations_keep_what_an_update_reads(tmp_path):
    """Migrations 19 to 21 on a store written before them: the postings move to their new key
    whole and are read heaviest first, and mentions waiting for entity resolution are counted
    whole once (the articles they came from are marked as analysed again)."""
    from presswatch.engine.entities import update_entities
    from presswatch.store import Store

    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE touched_articles" in script)
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version={before}")
    conn.executemany("INSERT INTO claim_postings (channel, term, cluster_id, weight) VALUES ('words', ?, ?, ?)",
                     [("harbour", "c1", 0.5), ("harbour", "c2", 0.9), ("dam", "c1", 0.2)])
    conn.execute("INSERT INTO pages (id, source, kind, ingested_at, content) VALUES ('p', 'p', 'text', '1', 'x')")
    conn.executemany("INSERT INTO articles (id, page_id, body, paragraphs, published, body_hash) VALUES (?, 'p', 'x', '[]', ?, ?)",
                     [("a1", "2024-05-02", "a1"), ("a2", "2024-05-09", "a2")])
    conn.execute("INSERT INTO entity_names (id, type, own_key, link_key, name, link_name, mentions)"
                 " VALUES (1, 'person', 'korhel', 'korhel', 'Korhel', 'Korhel', 2)")
    conn.executemany("INSERT INTO entity_mentions (article_id, start, end, text, type, refers_to, name_id)"
                     " VALUES (?, 0, 6, 'Korhel', 'person', 'Korhel', 1)", [("a1",), ("a2",)])
    conn.execute("INSERT INTO name_spellings (name_id, text, mentions) VALUES (1, 'Korhel', 2)")
    conn.execute("INSERT INTO touched_names (name_id) VALUES (1)")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert [tuple(r) for r in store.conn.execute("SELECT article_id, again FROM touched_articles ORDER BY 1")] == [
            ("a1", 1), ("a2", 1)]
        assert [tuple(r) for r in store.conn.execute(
            "SELECT cluster_id, weight FROM claim_postings WHERE channel = 'words' AND term = 'harbour'")] == [
            ("c2", 0.9), ("c1", 0.5)]
        update_entities(store)
        assert [tuple(r) for r in store.conn.execute(
            "SELECT name, mentions, articles, first_seen, last_seen FROM entities")] == [
            ("Korhel", 2, 2, "2024-05-02", "2024-05-09")]
        assert store.conn.execute("SELECT count(*) FROM touched_articles").fetchone()[0] == 0
