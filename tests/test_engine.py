"""The engine: the stored result does not depend on how many workers ran, on whether pages came
one at a time or all at once, or on where an earlier run was interrupted."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import astuple
from pathlib import Path

import pytest
from conftest import ROOT

from presswatch.engine.analyse import analyse
from presswatch.engine.local import ingest
from presswatch.evaluate.metrics import pairwise_agreement
from presswatch.ingest import source_files
from presswatch.store import Store
from presswatch.stories.stance import Signals, polarity


def snapshot(path: Path) -> dict:
    """Everything the engine derives, by id and content, without timestamps."""
    with Store(path) as store:
        def q(sql):
            return [tuple(r) for r in store.conn.execute(sql)]

        return {
            "articles": sorted(q("SELECT id, title, outlet, published, language FROM articles")),
            "statements": sorted(q("SELECT id, article_id, speaker_name, content, date FROM statements")),
            "mentions": sorted(q("SELECT article_id, start, end, text, type, refers_to FROM entity_mentions")),
            "entities": sorted(q("SELECT id, type, name, mentions, articles FROM entities")),
            "links": sorted(q("SELECT article_id, other_id FROM article_links")),
            "stories": sorted(q("SELECT story_id, article_id FROM story_articles")),
            "narratives": sorted(q("SELECT narrative_id, statement_id FROM narrative_evidence")),
            "progress": sorted(q("SELECT article_id, statements, mentions, skipped FROM analysis_progress")),
        }


def partition(pairs) -> set[frozenset]:
    groups: dict = {}
    for group, member in pairs:
        groups.setdefault(group, set()).add(member)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def reference(example_db) -> dict:
    return snapshot(example_db)


def test_two_workers_store_what_one_does(tmp_path, reference):
    path = tmp_path / "two.db"
    with Store(path) as store:
        report = ingest([str(ROOT / "examples")], store, workers=2)
        assert not report.rejected
        analyse(store, workers=2)
    assert snapshot(path) == reference


def test_pages_one_at_a_time_give_what_a_batch_gives(tmp_path, reference):
    """Incremental updates against the batch built from the same pages in the same order. Articles,
    statements, mentions, entities and stories come out the same; narratives are clustered
    online, each statement weighed by the frequencies of the claims before it, so their grouping
    may differ a little: the bound is on pairwise agreement."""
    path = tmp_path / "one-by-one.db"
    files = [f for f in source_files([str(ROOT / "examples")]) if isinstance(f, str)]
    assert len(files) > 10
    with Store(path) as store:
        for file in files:
            ingest([file], store)
            analyse(store)
    found = snapshot(path)
    for table in ("articles", "statements", "mentions", "entities", "links", "progress"):
        assert found[table] == reference[table], table
    assert partition(found["stories"]) == partition(reference["stories"])
    # Measured 0.83 (2026-12-04), 0.907 (2026-12-07), 0.973 once stale clusters were clustered again (2026-12-08);
    # the examples gold scores both alike (document pairs P 0.94, R 0.71). The bound follows: 0.8 let
    # the clustering again of stale narratives be lost unseen (0.793 without it, with number words
    # as claim stop words).
    assert pairwise_agreement(partition(found["narratives"]), partition(reference["narratives"])) >= 0.9


def test_pages_in_reverse_order_agree_with_the_batch_and_keep_each_cluster_named_by_a_statement_it_holds(tmp_path, reference):
    """Page by page from the last file to the first, stale narratives are clustered again often
    (engine/narratives.py): the grouping stays near the batch's (measured 1.0, 2026-12-08; 0.875
    before stale clusters were clustered again), and every stored cluster is still named "c" and a
    statement it holds, which is what keeps a name from falling to two clusters (a first version
    named a cluster clustered again after a member other than the one its name holds, and another
    order then found every name it could take taken)."""
    path = tmp_path / "reversed.db"
    files = [f for f in source_files([str(ROOT / "examples")]) if isinstance(f, str)]
    with Store(path) as store:
        for file in reversed(files):
            ingest([file], store)
            analyse(store)
        assert store.conn.execute("SELECT count(*) FROM claim_clusters").fetchone()[0] > 10
        assert store.conn.execute(
            "SELECT count(*) FROM claim_clusters c WHERE NOT EXISTS (SELECT 1 FROM claim_members m"
            " WHERE m.cluster_id = c.id AND 'c' || m.statement_id = c.id)").fetchone()[0] == 0
    assert pairwise_agreement(partition(snapshot(path)["narratives"]), partition(reference["narratives"])) >= 0.9


# Six gale days of one fictional ferry service, told in the same three templates: only the town,
# the island, the weekday and the figures tell the events apart.
GALE_DAYS = [("Quillhaven", "Brask"), ("Tarsen", "Lune"), ("Oskal", "Sarn"), ("Brenna", "Cald"), ("Mirow", "Vell"),
             ("Vashta", "Dorr")]
GALE_OPENINGS = ["Gales cancelled every ferry out of {town} on {day}, the harbour board said.",
                 "No ferry left {town} on {day} as gales swept the coast, according to the harbour board.",
                 "Ferries between {town} and {isle} were called off on {day} because of gales."]
GALE_DETAILS = [("Orla Venn, who chairs the {town} harbour board, said {sailings} sailings were cancelled and "
                 "{waiting} passengers waited in the terminal."),
                "\"We will not put crews at risk,\" said Orla Venn, adding that {sailings} crossings to {isle} were off.",
                ("About {waiting} travellers were stranded in {town}, Orla Venn said, and the board expects the "
                 "service back by {back}.")]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def test_near_identical_stories_built_page_by_page_agree_with_the_batch(tmp_path):
    """Same-kind events told in one template are kept apart by a batch build; page by page, the
    first reports of each were once attached to the first story formed and never split from it
    (six stories in a batch, one page by page, agreement 0.21). A stale story's articles are now
    clustered again (engine/frequencies.py REWEIGH_GROWTH), so the early merges are undone."""
    from presswatch.engine.corpus import update_stories

    reports = []
    for n, (town, isle) in enumerate(GALE_DAYS):
        fill = {"town": town, "isle": isle, "day": WEEKDAYS[n], "sailings": 12 + 7 * n, "waiting": 340 + 55 * n,
                "back": WEEKDAYS[(n + 2) % 6]}
        for r in range(5):
            lines = (GALE_OPENINGS[r % 3], GALE_DETAILS[r % 3], GALE_DETAILS[(r + 1) % 3])
            reports.append(" ".join(line.format(**fill) for line in lines))
    order = list(range(len(reports)))
    random.Random(0).shuffle(order)

    def stories(path, size):
        with Store(path) as store:
            for start in range(0, len(order), size):
                for n in order[start : start + size]:
                    _stored_article(store, f"gale{n}.txt", reports[n])
                update_stories(store)
            return partition(store.conn.execute("SELECT story_id, article_id FROM story_articles"))

    batch = stories(tmp_path / "batch.db", len(order))
    assert len(batch) == len(GALE_DAYS)
    # Measured 1.0 (2026-12-07; 0.21 before); ECB+ train page by page: tools/stories_incremental.py.
    assert pairwise_agreement(stories(tmp_path / "pages.db", 1), batch) >= 0.9


def test_large_narratives_grow_in_place_and_agree_with_the_batch(tmp_path, monkeypatch, reference):
    """A narrative of GROW_FROM statements or more gains new evidence in its stored timeline where
    its dates put it, its new statements' stances read among its latest STANCE_CONTEXT ones. With both
    lowered so the examples' narratives grow that way page by page, the stored timelines stay
    whole (counts, dates, outlets) and the narratives agree with the batch as the updates above do."""
    from presswatch.engine import narratives as engine_narratives

    monkeypatch.setattr(engine_narratives, "GROW_FROM", 2)
    monkeypatch.setattr(engine_narratives, "STANCE_CONTEXT", 2)
    grown = []
    grow = engine_narratives._grow
    monkeypatch.setattr(engine_narratives, "_grow", lambda *args: grown.append(grow(*args)) or grown[-1])
    path = tmp_path / "grown.db"
    files = [f for f in source_files([str(ROOT / "examples")]) if isinstance(f, str)]
    with Store(path) as store:
        for file in files:
            ingest([file], store)
            analyse(store)
        for narrative_id, statements, outlets, first_seen, last_seen in store.conn.execute(
                "SELECT id, statements, outlets, first_seen, last_seen FROM narratives"):
            rows = store.conn.execute(
                "SELECT outlet, date FROM narrative_evidence WHERE narrative_id = ?", (narrative_id,)).fetchall()
            assert len(rows) == statements
            assert outlets == len({r[0] or "" for r in rows})
            assert (first_seen, last_seen) == (min((r[1] for r in rows if r[1]), default=None),
                                               max((r[1] for r in rows if r[1]), default=None))
        # A grown narrative keeps its polarity counts, which are what counting its members gives.
        kept = store.conn.execute("SELECT id, polarity FROM claim_clusters WHERE polarity IS NOT NULL").fetchall()
        assert kept
        for cluster_id, counts in kept:
            members = engine_narratives.claim_store.member_signals(store, cluster_id)
            whole = polarity([Signals.from_bits(bits) for _, bits, _ in members], [date for _, _, date in members])
            assert json.loads(counts) == list(astuple(whole))
    # Measured 1.0 (2026-12-06): 4 of 21 growths appended, the others turned a claim's polarity
    # or brought statements dated before the end of a timeline, and were made whole. 2026-12-08:
    # 0.822 with 3 of 26 growths appended (main at d46af79), 0.822 with 23 of 26 grown once a
    # timeline is ordered by date (migration 37); the other 3 were made whole.
    assert sum(g is not None for g in grown) > len(grown) / 2
    assert pairwise_agreement(partition(snapshot(path)["narratives"]), partition(reference["narratives"])) >= 0.8

def test_large_clusters_brought_back_in_part_give_what_whole_ones_give(tmp_path, monkeypatch):
    """A stored cluster of HOLD_WHOLE_BELOW members or more comes back with its first and latest
    members only. With both that and the size from which narratives grow lowered (and the
    best-member link's sample cut to two), the examples ingested page by page store the same
    narratives, clusters and memberships as when every cluster comes back whole."""
    from dataclasses import replace

    from presswatch.engine import narratives as engine_narratives

    monkeypatch.setattr(engine_narratives, "DEFAULT_NARRATIVE_PARAMS",
                        replace(engine_narratives.DEFAULT_NARRATIVE_PARAMS, member_sample=2))
    monkeypatch.setattr(engine_narratives, "GROW_FROM", 2)
    held_in_part = []
    clusters = engine_narratives.claim_store.clusters
    monkeypatch.setattr(engine_narratives.claim_store, "clusters", lambda *args, **kw: held_in_part.extend(
        c for c in clusters(*args, **kw) if len(c.members) < c.size) or clusters(*args, **kw))
    files = [f for f in source_files([str(ROOT / "examples")]) if isinstance(f, str)]
    found = {}
    for hold_whole_below in (3, 10**9):
        monkeypatch.setattr(engine_narratives, "HOLD_WHOLE_BELOW", hold_whole_below)
        with Store(tmp_path / f"held{hold_whole_below}.db") as store:
            for file in files:
                ingest([file], store)
                analyse(store)
            found[hold_whole_below] = [sorted(tuple(r) for r in store.conn.execute(sql)) for sql in (
                "SELECT narrative_id, statement_id, stance FROM narrative_evidence",
                "SELECT id, label, statements, outlets, counter_of FROM narratives",
                "SELECT id, size, sums FROM claim_clusters",
                "SELECT statement_id, cluster_id FROM claim_members")]
            # The postings, written where a weight moved and found by their key, are the sums.
            postings = sorted(tuple(r) for r in store.conn.execute("SELECT channel, term, weight, cluster_id FROM claim_postings"))
            assert postings == sorted((channel, term, weight, cluster_id) for cluster_id, sums in store.conn.execute(
                "SELECT id, sums FROM claim_clusters") for channel, bag in json.loads(sums).items() for term, weight in bag.items())
        if hold_whole_below == 3:
            assert held_in_part, "no cluster came back in part"
    assert found[3] == found[10**9]



@pytest.mark.parametrize("output", ["entities", "stories", "narratives", "all"])
def test_rebuild_recomputes_a_derived_output_from_its_inputs(tmp_path, example_db, reference, output):
    path = tmp_path / "rebuilt.db"
    shutil.copy(example_db, path)
    with Store(path) as store:
        analyse(store, rebuild=output)
    assert snapshot(path) == reference


@pytest.mark.parametrize("dies_in", ["update_entities", "update_stories", "update_narratives"])
def test_a_run_interrupted_between_steps_is_completed_by_the_next(tmp_path, monkeypatch, reference, dies_in):
    path = tmp_path / "interrupted.db"
    with Store(path) as store:
        ingest([str(ROOT / "examples")], store)

        def die(*args, **kwargs):
            raise KeyboardInterrupt

        module = {"update_entities": "presswatch.engine.entities", "update_stories": "presswatch.engine.corpus",
                  "update_narratives": "presswatch.engine.narratives"}[dies_in]
        with monkeypatch.context() as patch:
            patch.setattr(f"{module}.{dies_in}", die)
            with pytest.raises(KeyboardInterrupt):
                analyse(store)
        analyse(store)
    assert snapshot(path) == reference


def test_an_unknown_rebuild_is_refused(tmp_path):
    from presswatch.errors import QueryError

    with Store(tmp_path / "x.db") as store, pytest.raises(QueryError, match="cannot rebuild"):
        analyse(store, rebuild="everything")


def test_parse_batches_are_formed_after_the_language_filter(tmp_path):
    """Mixed-language input still gives full batches of readable articles to the parse."""
    from presswatch.records import TEXT, Article, ArticleAnalysis, Page

    seen = []

    def parse(articles):
        seen.append([a.language for a in articles])
        return [ArticleAnalysis(a.id) for a in articles]

    with Store(tmp_path / "mixed.db") as store:
        for n in range(40):
            body = f"Article number {n} about the harbour."
            page = Page.make(f"{n}.txt", TEXT, body)
            store.add_page(page, Article(id=page.id, page_id=page.id, url=None, title=None, body=body,
                                         paragraphs=(body,), language="en" if n % 2 else "de", body_hash=page.id))
        report = analyse(store, batch_size=8, parse=parse)
    assert [len(batch) for batch in seen] == [8, 8, 4] and all(set(b) == {"en"} for b in seen)
    assert report.articles == 20 and len(report.skipped_language) == 20


def _stored_article(store, name: str, body: str):
    from presswatch.records import TEXT, Article, Page

    page = Page.make(name, TEXT, body)
    store.add_page(page, Article(id=page.id, page_id=page.id, url=None, title=None, body=body,
                                 paragraphs=(body,), language="en", body_hash=page.id))
    return page.id


FERRY_NEWS = ('The Quillhaven ferry will run twice a day from May, the harbour board said on Monday. '
              '"We have waited long enough for this," said Orla Venn, who chairs the board.')


def test_an_article_too_long_to_parse_is_skipped_with_its_reason_and_the_rest_analysed(tmp_path):
    """spaCy refuses a text longer than its max_length; such an article stopped every analysis
    pass, this one and all later ones, before its batch was stored."""
    with Store(tmp_path / "long.db") as store:
        long_id = _stored_article(store, "long.txt", (FERRY_NEWS + " ") * 6200)
        short_id = _stored_article(store, "short.txt", FERRY_NEWS)
        report = analyse(store)
        assert report.unparsed == [(long_id, "too long to parse (1,010,600 characters; the parser reads up to 1,000,000)")]
        assert report.articles == 1 and report.statements >= 1
        progress = dict(store.conn.execute("SELECT article_id, skipped FROM analysis_progress"))
        assert progress == {short_id: None, long_id: report.unparsed[0][1]}
        assert analyse(store).unparsed == []  # recorded: not tried again


def test_an_article_a_stage_raises_on_is_skipped_and_its_batch_analysed(tmp_path, monkeypatch):
    from presswatch.nlp import statements

    find = statements.statements_from_doc

    def failing(article, doc, *rest, **options):
        if "Marsk" in article.body:
            raise IndexError("a bug on one odd article")
        return find(article, doc, *rest, **options)

    monkeypatch.setattr(statements, "statements_from_doc", failing)
    with Store(tmp_path / "raises.db") as store:
        ids = [_stored_article(store, f"{n}.txt", FERRY_NEWS.replace("Quillhaven", place))
               for n, place in enumerate(["Quillhaven", "Marsk", "Eddery"])]
        report = analyse(store)
        assert report.unparsed == [(ids[1], "internal error while analysing it (IndexError: a bug on one odd article)")]
        assert report.articles == 2
        said = dict(store.conn.execute("SELECT article_id, statements FROM analysis_progress"))
        assert said[ids[0]] >= 1 and said[ids[2]] >= 1 and said[ids[1]] == 0


def _kestrel_page(slug: str, masthead: str | None, host: str = "kestrel.example", holder: str = "Kestrel Publishing"):
    """A fictional page of The Kestrel's site: named by its og:site_name, or only by its copyright
    line; the harbourmaster's words make a narrative of the pages that carry them."""
    from presswatch.records import HTML, Page

    meta = f"<meta property='og:site_name' content='{masthead}'>" if masthead else ""
    paragraphs = "".join(
        f"<p>The harbour board of Mirrenholm met on {day} to discuss the ferry timetable, and members said the "
        f"winter crossings to Skellan Isle would run twice a day until the ice closed the sound ({slug}).</p>"
        for day in ("Monday", "Tuesday", "Wednesday")
    ) + ("<p>\u201cThe winter ferry to Skellan Isle will run twice a day until the ice closes the sound,\u201d "
         "said Ilse Varga, the harbourmaster of Mirrenholm.</p>")
    html = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ferry timetable {slug}</title>{meta}</head>"
            f"<body><article><h1>Ferry timetable {slug}</h1>{paragraphs}</article>"
            f"<footer>© 2026 {holder}. All rights reserved.</footer></body></html>")
    url = f"https://{host}/news/{slug}"
    return Page.make(url, HTML, html, url=url)


@pytest.mark.parametrize("publisher_first", [False, True])
def test_a_page_named_only_by_its_publisher_takes_its_sites_outlet_name(tmp_path, publisher_first):
    from presswatch.engine.local import ingest_items

    named = [_kestrel_page("one", "The Kestrel"), _kestrel_page("two", "The Kestrel")]
    bare = _kestrel_page("three", None)
    elsewhere = _kestrel_page("four", None, host="kestrel-times.example")
    with Store(tmp_path / "k.db") as store:
        assert len(ingest_items([bare, *named, elsewhere] if publisher_first else [*named, bare, elsewhere], store).stored) == 4
        outlets = dict(store.conn.execute("SELECT url, outlet FROM articles"))
    assert outlets[bare.url] == "The Kestrel"
    assert outlets[elsewhere.url] == "Kestrel Publishing"  # another site's publisher keeps its name


def test_renaming_a_sites_outlet_renames_it_in_its_stories_narratives_and_facets(tmp_path):
    """The stories and narratives made while a site's pages carried only their publisher's name
    show the name a later page of the site gives, as its articles do, without being made again."""
    from presswatch.engine.local import ingest_items
    from presswatch.query import listings
    from presswatch.query.facets import result_facets
    from presswatch.store.search import facet_counts

    early = [_kestrel_page("one", None), _kestrel_page("two", None),
             _kestrel_page("three", "The Velden Courier", host="velden.example", holder="Velden Media"),
             _kestrel_page("mirrored", "The Kestrel", host="kestrel-mirror.example")]  # another host of the site
    with Store(tmp_path / "k.db") as store:
        assert len(ingest_items(early, store).stored) == 4
        analyse(store)
        stories = listings.stories(store).items
        narratives = listings.narratives(store).items
        assert any("Kestrel Publishing" in s.outlets for s in stories)  # the case this test is about
        assert any(e.outlet == "Kestrel Publishing" for n in narratives for e in listings.narrative(store, n.id).evidence)
        assert {n.outlets for n in narratives} == {3}  # Kestrel Publishing, The Kestrel, The Velden Courier

        assert len(ingest_items([_kestrel_page("four", "The Kestrel")], store).stored) == 1
        stories = listings.stories(store).items
        assert [s.outlets for s in stories] == [("The Kestrel", "The Velden Courier")]
        narratives = listings.narratives(store).items
        for n in narratives:
            assert {e.outlet for e in listings.narrative(store, n.id).evidence} == {"The Kestrel", "The Velden Courier"}
            assert n.outlets == 2
        assert "Kestrel Publishing" not in dict(facet_counts(store, "outlet"))
        articles = [a.id for a in listings.articles(store).items]
        shown = {v.value for v in result_facets(store, "article", articles)["outlet"]}
        assert shown == {"The Kestrel", "The Velden Courier"}
