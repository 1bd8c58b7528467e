"""Narratives: claims grouped across outlets, speakers and time, with their evidence; seed scoring."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.evaluate.stories import score_seed_stories
from presswatch.records import Article, Page, Statement, content_id
from presswatch.store import open_store
from presswatch.store import statements as statement_store
from presswatch.store import stories as story_store
from presswatch.stories.features import DocumentFrequencies
from presswatch.stories.narratives import (
    NarrativeAssigner,
    claim_features,
    cluster_narratives,
    statement_features,
)
from presswatch.engine.narratives import update_narratives
from presswatch.stories.labels import clean_claim


def article(key: str, outlet: str | None, published: str | None, body: str = "") -> Article:
    article_id = content_id(key)
    return Article(id=article_id, page_id=article_id, url=None, title=key, body=body or key, paragraphs=(),
                   outlet=outlet, published=published)


def statement(art: Article, speaker: str, content: str, date: str | None = None) -> Statement:
    return Statement(
        id=content_id(f"{art.id}|{content}"), article_id=art.id, speaker=speaker, speaker_name=speaker,
        speaker_role=None, speaker_kind="person", cue="said", content=content, mode="indirect",
        cue_span=(0, 4), speaker_span=None, content_spans=((5, 5 + len(content)),), date=date,
    )


# An invented world: a claim made in 2024, repeated in other words by another speaker in 2025.
LEDGER = article("ledger", "The Harbour Ledger", "2024-03-03")
KESTREL = article("kestrel", "Kestrel", "2025-03-11")
RADIO = article("radio", "Radio Skelby", "2025-06-12")
CLAIM_2024 = statement(LEDGER, "Yevgeny Lomatsky", "the Northern Maritime Alliance is trying to return to the Lerin Strait through the back door")
CLAIM_2025 = statement(KESTREL, "Pavel Ostrogin", "the alliance was seeking to return its warships to the Lerin Strait")
OTHERS = [
    statement(LEDGER, "Anneli Korhel", "the rescue centre in Saltreach would be staffed by all four member states"),
    statement(KESTREL, "Sigrun Maelstad", "work on the power cable could begin in February"),
    statement(RADIO, "Halvard Risting", "the new cutters would carry rescue gear first and weapons second"),
    statement(RADIO, "Ottilie Brask", "the ferry timetable would change when the spring season starts"),
]
ARTICLES = {a.id: a for a in (LEDGER, KESTREL, RADIO)}


def test_a_claim_repeated_a_year_later_is_one_narrative_with_its_trail():
    (narrative,) = cluster_narratives([CLAIM_2024, *OTHERS, CLAIM_2025], ARTICLES)
    assert [e.statement_id for e in narrative.evidence] == [CLAIM_2024.id, CLAIM_2025.id]
    first, second = narrative.evidence
    assert (first.speaker, first.outlet, first.date, first.article_id) == (
        "Yevgeny Lomatsky", "The Harbour Ledger", "2024-03-03", LEDGER.id)
    assert second.quote == CLAIM_2025.content and second.outlet == "Kestrel"
    assert (narrative.first_seen, narrative.last_seen) == ("2024-03-03", "2025-03-11")
    # The label is a member's words without the reporting frame's leftovers.
    assert narrative.label in (clean_claim(CLAIM_2024.content), clean_claim(CLAIM_2025.content))


def test_a_claim_said_in_one_article_only_is_no_narrative():
    echo = statement(LEDGER, "Yevgeny Lomatsky", "the Northern Maritime Alliance is trying to return to the strait")
    assert cluster_narratives([CLAIM_2024, echo, *OTHERS], ARTICLES) == []
    every = cluster_narratives([CLAIM_2024, echo, *OTHERS], ARTICLES, min_articles=1)
    assert {CLAIM_2024.id, echo.id} in [{e.statement_id for e in n.evidence} for n in every]


def test_statement_date_wins_over_publication_date():
    dated = statement(RADIO, "Pavel Ostrogin", "the alliance is trying to return to the Lerin Strait", date="2025-06-09")
    (narrative,) = cluster_narratives([CLAIM_2024, dated], ARTICLES)
    assert narrative.evidence[-1].date == "2025-06-09"


def test_new_statements_attach_to_known_narratives():
    frequencies = DocumentFrequencies()
    for s in [CLAIM_2024, CLAIM_2025, *OTHERS]:
        frequencies.add(statement_features(s))
    assigner = NarrativeAssigner(frequencies)
    assigner.restore([[CLAIM_2024, CLAIM_2025]])
    late = statement(RADIO, "Pavel Ostrogin", "the alliance is trying to return to the Lerin Strait")
    assigner.add([late, OTHERS[3]])
    (narrative,) = assigner.narratives(ARTICLES)
    assert {e.statement_id for e in narrative.evidence} == {CLAIM_2024.id, CLAIM_2025.id, late.id}


def test_narratives_are_stored_and_shown(tmp_path):
    db = tmp_path / "t.db"
    with open_store(db) as store:
        for a in ARTICLES.values():
            store.add_page(Page(id=a.page_id, source=a.title, kind="text", content=a.body), a)
        for a in ARTICLES.values():
            statement_store.replace_statements(
                store, a.id, [s for s in [CLAIM_2024, CLAIM_2025, *OTHERS] if s.article_id == a.id])
        (made,) = update_narratives(store)
        assert update_narratives(store) == [] or len(story_store.narratives(store)) == 1
        assert story_store.narrative(store, made.id[:6]).evidence == made.evidence
    runner = CliRunner()
    listed = runner.invoke(app, ["narratives", "--db", str(db), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    (row,) = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    assert row["id"] == made.id and len(row["evidence"]) == 2
    shown = runner.invoke(app, ["narrative", made.id[:8], "--db", str(db)])
    assert shown.exit_code == 0
    assert "Pavel Ostrogin" in shown.stdout and "The Harbour Ledger" in shown.stdout and "2024-03-03" in shown.stdout


def test_seed_scoring_counts_document_pairs():
    fire = [article(f"fire {i}", "Post", "2024-05-01",
                    body=f"The harbour fire in Brenna destroyed 14 boats, Ilsa Vantorp said (report {i}).") for i in range(2)]
    vote = article("vote", "Radio", "2024-09-01", body="Pell Oskarsson won the Tarsen vote with 58 percent.")
    docs = {"d0": fire[0], "d1": fire[1], "d2": vote}
    statements = {
        "d0": [statement(fire[0], "Vantorp", "the harbour fire was started on purpose by the rival fleet")],
        "d1": [statement(fire[1], "Vantorp", "the rival fleet started the harbour fire on purpose")],
        "d2": [statement(vote, "Oskarsson", "the valley will get a new road before winter")],
    }
    gold = {"stories": {"groups": [["d0"], ["d1"], ["d2"]]},
            "narratives": [{"name": "arson", "documents": ["d0", "d1"]}, {"name": "road", "documents": ["d2", "d0"]}]}
    scores = score_seed_stories(gold, docs, statements)
    assert scores["stories"] == {"pairs_merged_wrongly": 1, "pairs_gold": 0}  # d0 and d1 share a story
    assert scores["narratives"]["precision"] == 1.0 and scores["narratives"]["recall"] == 0.5


def test_static_word_vectors_put_a_restatement_nearer_than_another_claim():
    from presswatch.stories.word_vectors import embed_words

    claim, restated, other = embed_words([
        "the alliance wants to station its warships in the strait again",
        "the bloc is planning to bring its fleet back to the strait",
        "the price of heating oil will be capped from January",
    ])
    assert claim @ restated > 0.5 > claim @ other
    (empty,) = embed_words(["Lerin Aldane Vyshtal"])  # names only: no known word, no direction
    assert not empty.any()


def test_a_restatement_joins_by_its_nearest_member_when_the_trail_is_broad():
    from dataclasses import replace

    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    def bag(*terms):
        return {"words": {t: 1 / len(terms) ** 0.5 for t in terms}}

    average_only = ClusterParams(weights={"words": 1.0}, join=0.5, merge=0.5, attach=0.5, pair=0.5, small=0)
    trail = [bag("return", "strait", "fleet"), bag("return", "strait", "warships"), bag("harbours", "ships", "deny")]
    echo = bag("return", "strait", "patrols")  # 2/3 to the first two, 0 to the third: average 0.44
    for params, joins in ((average_only, False), (replace(average_only, member_margin=0.1, member_floor=0.1), True)):
        clusterer = OnlineClusterer(params)
        known = clusterer.add_group((str(i), vectors, None, None) for i, vectors in enumerate(trail))
        assert (clusterer.add("echo", echo) == known) is joins


def test_eval_narratives_scores_labelled_claims(tmp_path):
    rows = [
        {"text": "that the alliance wants its warships back in the strait", "narrative": "return", "date": "2024-03-03"},
        {"text": "that the alliance is trying to return its warships to the strait", "narrative": "return", "date": "2025-03-11"},
        {"text": "that the ferry timetable changes in spring", "narrative": None},
    ]
    data = tmp_path / "claims.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "narratives", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert (scores["claims"], scores["gold_narratives"], scores["pairs"]["gold"]) == (3, 1, 1)
    assert scores["pairs"]["recall"] == 1.0 and scores["pairs"]["precision"] == 1.0

    data.write_text('{"text": "no label here"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "narratives", str(data)])
    assert result.exit_code != 0 and "claims.jsonl:1" in result.output


def test_unrelated_claims_sharing_one_topic_phrase_are_no_narrative_but_a_restatement_is():
    """Speakers of several outlets condemn one thing each in the same words and go on to unrelated
    claims: the shared topic phrase is what they spoke of, not what they claim, so it joins nothing;
    one of those claims restated elsewhere in other words still joins its restatement."""
    from presswatch.nlp import extract_statements_batch

    pages = [
        article("dam", "The Harbour Ledger", "2024-03-03", "Minister Oskar Vell condemned the meddling of foreign powers "
                "in the Tarn valley, warning that the new dam on the Serra river would flood three villages by spring."),
        article("quotas", "Kestrel", "2024-04-11", "Senator Ilse Marrow denounced the meddling of foreign powers in the "
                "Tarn valley, saying that the fishing quotas for the northern lakes would be halved next year."),
        article("tender", "Radio Skelby", "2024-05-20", "Governor Pell Tanner criticised the meddling of foreign powers "
                "in the Tarn valley, adding that the railway tender for the coastal line had been rigged from the start."),
        article("salaries", "Morning Quill", "2024-06-02", "Mayor Runa Hale attacked the meddling of foreign powers in "
                "the Tarn valley, arguing that teachers' salaries in the province had not risen for six years."),
        article("restated", "Tessary Wire", "2024-07-01", "Engineer Bram Olsen said that the Serra dam would drown "
                "three villages in the valley before the spring thaw."),
    ]
    statements = [s for found in extract_statements_batch(pages) for s in found]
    assert len(statements) == 5 and sum("meddling of foreign powers" in s.content for s in statements) == 4
    (narrative,) = cluster_narratives(statements, {a.id: a for a in pages})
    assert {e.article_id for e in narrative.evidence} == {pages[0].id, pages[-1].id}
    assert "meddling" not in narrative.label


def test_a_name_of_several_words_counts_as_one_word_of_a_claim():
    # Counted word by word, "the Tollbridge Canal League" weighed as three rare words, and a claim
    # that only names the league joined the league's narratives on the name alone.
    words = claim_features("the ferry must not become a hostage in the quarrel between Ormsby and the Tollbridge Canal League")["words"]
    assert words["leagu"] == 1 and "tollbridg" not in words and "canal" not in words
    assert words["ormsbi"] == 1 and words["ferri"] == 1
    # at a sentence's start too, and a word the claim also says on its own still counts there
    words = claim_features("Tollbridge Canal League barges use the canal. Corin Vale agreed.")["words"]
    assert words["canal"] == 1 and "tollbridg" not in words and words["barg"] == 1 and words["vale"] == 1


# An invented claim repeated day by day by the outlets of the Varnel valley; one outlet denies it.
VALLEY = [article(f"valley-{day}", f"The Varnel {name}", f"2025-04-{day:02d}")
          for day, name in ((1, "Courier"), (2, "Herald"), (4, "Echo"), (5, "Post"), (6, "Ledger"), (8, "Times"))]
VALLEY_CLAIM = "the Varnel dam will be closed for repairs in May"


def _valley_statements(art: Article) -> list[Statement]:
    said = [statement(art, "Mirela Dostan", VALLEY_CLAIM)]
    if art.outlet == "The Varnel Echo":
        said.append(statement(art, "Tomas Vell", f"it is not true that {VALLEY_CLAIM}"))
    return said


def _valley_store(path, articles: list[Article]):
    store = open_store(path)
    for a in articles:
        store.add_page(Page(id=a.page_id, source=a.title, kind="text", content=a.body), a)
        statement_store.replace_statements(store, a.id, _valley_statements(a))
    return store


def test_a_large_narrative_grown_mid_timeline_is_the_narrative_made_whole(tmp_path, monkeypatch):
    """A statement dated inside a large stored narrative's timeline (the Herald's, the 3rd, between
    the 2nd and the 4th) takes its place there: the narrative grown by it, without being made
    again, holds what making it whole from every statement gives (evidence in order with its
    stances, counts, dates, its counter-narrative), and the update reads none of its old evidence:
    every look-up it makes in narrative_evidence is by one statement or one outlet, none walks a
    timeline."""
    from presswatch.engine import narratives as engine_narratives

    monkeypatch.setattr(engine_narratives, "GROW_FROM", 3)
    monkeypatch.setattr(engine_narratives, "HOLD_WHOLE_BELOW", 3)
    grown = []
    grow = engine_narratives._grow
    monkeypatch.setattr(engine_narratives, "_grow", lambda *args: grown.append(grow(*args)) or grown[-1])
    late = article("valley-3", "The Varnel Herald", "2025-04-03")  # an outlet the narrative names already
    new_outlet = article("valley-7", "Radio Varnel", "2025-04-07")

    with _valley_store(tmp_path / "whole.db", [*VALLEY, late, new_outlet]) as store:
        update_narratives(store)
        (whole,) = story_store.narratives(store)
    assert grown == []  # made whole at once: nothing stored to grow

    with _valley_store(tmp_path / "grown.db", VALLEY) as store:
        update_narratives(store)
        (before,) = story_store.narratives(store)
        assert before.statements == len(VALLEY) and len(before.counters) == 1
        ran: list[str] = []
        store.conn.set_trace_callback(ran.append)
        for a in (late, new_outlet):
            store.add_page(Page(id=a.page_id, source=a.title, kind="text", content=a.body), a)
            statement_store.replace_statements(store, a.id, _valley_statements(a))
        update_narratives(store)
        store.conn.set_trace_callback(None)
        (after,) = story_store.narratives(store)
        plans = [detail for sql in ran if "narrative_evidence" in sql and not sql.lstrip().upper().startswith("INSERT")
                 for *_, detail in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert len(grown) == 1 and grown[0] is not None, "the narrative was made again, not grown"
    assert plans and not [d for d in plans if d.startswith("SCAN") or "narrative_evidence_timeline" in d], plans

    def timeline(n):
        return n.evidence, n.statements, n.outlets, n.first_seen, n.last_seen, n.counter_of

    assert [e.date for e in after.evidence] == sorted(e.date for e in after.evidence)
    assert [e.article_id for e in after.evidence][2] == late.id
    assert timeline(after) == timeline(whole)
    assert [timeline(c) for c in after.counters] == [timeline(c) for c in whole.counters]


# Twelve unrelated claims about one invented island, each from its own article, and one restatement.
VORSK = [
    "the Vorsk ferry would stop running in winter",
    "the Vorsk council had approved a new school budget",
    "fishing quotas around Vorsk would be cut by a third",
    "the Vorsk lighthouse keeper had retired after forty years",
    "the Vorsk post office would close on Saturdays",
    "the Vorsk museum would reopen with a whaling exhibition",
    "the Vorsk football club had signed a new goalkeeper",
    "electricity prices on Vorsk would rise in March",
    "the Vorsk hospital was short of nurses",
    "a new bridge to Vorsk would be built by 2030",
    "the Vorsk bakery had won a national prize",
    "the Vorsk choir would tour the mainland in May",
    "the ferry to Vorsk would not run this winter",
]


def _vorsk_store(path, per_update: int, texts=VORSK, seen=None) -> dict:
    """The claims `texts` stored `per_update` articles at a time, narratives updated after each
    (and their ids added to `seen`, where given): the clusters of statements, the stored
    narratives as id -> statement ids, and the ferry claims' ids."""
    articles = [article(f"vorsk{i}", f"Vorsk Outlet {i % 3}", f"2025-01-{i + 1:02d}") for i in range(len(texts))]
    claims = [statement(a, f"Vorsk Speaker {i}", text) for i, (a, text) in enumerate(zip(articles, texts))]
    with open_store(path) as store:
        for start in range(0, len(articles), per_update):
            for a, s in zip(articles[start:start + per_update], claims[start:start + per_update]):
                store.add_page(Page(id=a.page_id, source=a.title, kind="text", content=a.body), a)
                statement_store.replace_statements(store, a.id, [s])
            update_narratives(store)
            if seen is not None:
                seen.append({n.id for n in story_store.narratives(store)})
        clusters = {}
        for cluster_id, statement_id in store.conn.execute("SELECT cluster_id, statement_id FROM claim_members"):
            clusters.setdefault(cluster_id, set()).add(statement_id)
        narratives = {}
        for narrative_id, statement_id in store.conn.execute("SELECT narrative_id, statement_id FROM narrative_evidence"):
            narratives.setdefault(narrative_id, set()).add(statement_id)
    return {"clusters": {frozenset(c) for c in clusters.values()}, "narratives": narratives,
            "ferry": {s.id for s in claims if "ferry" in s.content}}


def test_claims_weighed_when_the_store_was_small_are_clustered_again_as_it_grows(tmp_path):
    """'Vorsk' is rare while the store holds a few claims, so two unrelated claims that share it
    join page by page; a batch, where every claim names it, keeps them apart. A stored cluster
    weighed before the store grew past engine/frequencies.REWEIGH_GROWTH is clustered again when
    an update brings it back, so page by page ends where the batch does (without it, the council's
    budget and the bridge stayed one narrative, 2026-12-08), and the narrative both builds hold is
    named alike."""
    batch = _vorsk_store(tmp_path / "batch.db", len(VORSK))
    pages = _vorsk_store(tmp_path / "pages.db", 1)
    assert pages["clusters"] == batch["clusters"]
    assert list(batch["narratives"].values()) == [batch["ferry"]]
    assert pages["narratives"] == batch["narratives"]


def test_a_narrative_clustered_again_alike_keeps_its_id(tmp_path):
    """A narrative made while the store was small, brought back by a restatement once the store has
    grown past REWEIGH_GROWTH, is clustered again from its claims: it gains the restatement under
    the id it had, which web links, watchlists and alerts hold (the id follows its first evidence,
    as a story's follows its first article)."""
    texts = [VORSK[0], VORSK[-1], *VORSK[1:-1], "no ferry would sail to Vorsk this winter, the harbour said"]
    seen: list[set[str]] = []
    pages = _vorsk_store(tmp_path / "pages.db", 1, texts, seen)
    (narrative_id, members), = pages["narratives"].items()
    assert members == pages["ferry"] and len(members) == 3
    assert seen[1] == {narrative_id} and all(ids == {narrative_id} for ids in seen[1:])


def test_a_claim_back_under_its_old_id_with_other_words_founds_a_cluster_of_its_own(tmp_path):
    """A statement's id is its article's and its cue's place, so a new version of an article can
    bring back an id whose claim was taken out of a cluster that kept its other members, and was
    named after it. The claim now says something else and founds a cluster: it takes a name no
    stored cluster holds, and the one it was named after keeps its members and its row."""
    from presswatch.engine.narratives import retract_claims

    ferry = [article(f"ferry{i}", f"Vorsk Outlet {i}", f"2025-01-0{i + 1}") for i in range(2)]
    claims = [statement(a, "Vorsk Speaker", text) for a, text in zip(ferry, (VORSK[0], VORSK[-1]))]
    # The island's other claims, stored with them, so the next update finds their cluster as weighed.
    others = [article(f"vorsk{i}", "Vorsk Outlet", f"2025-01-{i + 10}") for i in range(len(VORSK) - 2)]
    with open_store(tmp_path / "t.db") as store:
        for a, s in [*zip(ferry, claims), *((a, statement(a, "Vorsk Speaker", t)) for a, t in zip(others, VORSK[1:-1]))]:
            store.add_page(Page(id=a.page_id, source=a.title, kind="text", content=a.body), a)
            statement_store.replace_statements(store, a.id, [s])
        update_narratives(store)
        (name,) = {store.conn.execute("SELECT cluster_id FROM claim_members WHERE statement_id = ?", (s.id,)).fetchone()[0]
                   for s in claims}
        (named,) = [s for s in claims if "c" + s.id == name]
        (kept,) = [s for s in claims if s is not named]
        write = retract_claims(store, [named.id])
        with store.transaction() as conn:
            write(conn)
        tram = "the Vorsk tram line would close for repairs"
        other = Statement(**{**named.__dict__, "content": tram, "content_spans": ((5, 5 + len(tram)),)})
        statement_store.replace_statements(store, named.article_id, [other])
        update_narratives(store)
        clusters = dict(store.conn.execute("SELECT statement_id, cluster_id FROM claim_members"))
        assert clusters[kept.id] == name and clusters[other.id] != name
        assert [tuple(r) for r in store.conn.execute(
            "SELECT c.id, c.size, count(m.statement_id) FROM claim_clusters c JOIN claim_members m ON m.cluster_id = c.id"
            " GROUP BY c.id HAVING c.size != count(m.statement_id)")] == []
