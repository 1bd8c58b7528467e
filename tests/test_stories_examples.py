"""Golden check on the fictional examples/: the Port Aldane meeting is one story, and the claim that
the alliance is "trying to return to the Lerin Strait", made in March 2024 and repeated in March
2025, is one narrative holding both statements (tests/data/examples_gold.json is the hand gold).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswatch.engine.local import ingest
from presswatch.nlp import extract_statements_batch
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.stories.narratives import cluster_narratives
from presswatch.stories.stories import cluster_stories

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "data" / "examples_gold.json").read_text(encoding="utf-8"))
GERMAN = "lerin_rundschau_rettungszentrum_de"


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """Articles of every example file by gold name, and the clustering inputs."""
    with Store(tmp_path_factory.mktemp("stories") / "examples.db") as store:
        report = ingest([str(ROOT / "examples")], store)
        assert not report.rejected, report.rejected
        articles = store.articles()
        by_name = {}
        for article in articles:
            for source in store.sources_of(article.id):
                relative = Path(source.split("#")[0]).relative_to(ROOT).as_posix()
                anchor = "#" + source.split("#", 1)[1] if "#" in source else ""
                by_name[relative + anchor] = article
                if relative.startswith("examples/pages/"):
                    by_name[Path(relative).stem] = article
        links = story_store.near_duplicate_pairs(store, [a.id for a in articles])
    return articles, by_name, links


def _story_of(examples) -> dict[str, str]:
    articles, _, links = examples
    return {a: s.id for s in cluster_stories(articles, links=links) for a in s.article_ids}


def test_the_port_aldane_meeting_is_one_story(examples):
    _, by_name, _ = examples
    story_of = _story_of(examples)
    event = GOLD["stories"]["events"][0]
    reports = [n for n in event["documents"] if n != GERMAN] + ["examples/html/vpb_rescue_pact.html"]
    assert all(name in by_name for name in reports), [n for n in reports if n not in by_name]
    assert len({story_of[by_name[name].id] for name in reports}) == 1
    # The October ministers' meeting in Skelby is an event of the same kind, and a different story.
    october = GOLD["stories"]["events"][1]["documents"]
    assert story_of[by_name[october[0]].id] != story_of[by_name[reports[0]].id]


def test_the_local_reaction_joins_the_port_aldane_story(examples):
    _, by_name, _ = examples
    story_of = _story_of(examples)
    meeting = story_of[by_name["harbour_ledger_rescue_pact"].id]
    assert story_of[by_name["examples/html/saltreach_evening_post_cafe.html"].id] == meeting


@pytest.mark.xfail(strict=True, reason="measured gap: across languages only names can match, and German capitalises "
                   "every noun, so the 8 names the report shares with the English ones are a small part of its name "
                   "channel (about 0.1 cosine); its words share nothing, so it stays under the words floor too")
def test_the_german_report_joins_the_port_aldane_story(examples):
    _, by_name, _ = examples
    story_of = _story_of(examples)
    assert story_of[by_name[GERMAN].id] == story_of[by_name["harbour_ledger_rescue_pact"].id]


def test_a_namesake_does_not_join_the_story(examples):
    """The undated match report shares a surname, place names and a year with the story, and no vocabulary."""
    _, by_name, _ = examples
    story_of = _story_of(examples)
    assert story_of[by_name["goalmouth_korhel_double"].id] != story_of[by_name["harbour_ledger_rescue_pact"].id]


def test_the_claim_repeated_a_year_later_is_one_narrative(examples):
    articles, by_name, _ = examples
    statements = [s for group in extract_statements_batch(articles) for s in group]
    narratives = cluster_narratives(statements, {a.id: a for a in articles})
    first, repeat = by_name["harbour_ledger_rescue_pact"].id, by_name["north_sound_observer_lomatskiy_repeat"].id

    def about_return(article_id):
        return {s.id for s in statements if s.article_id == article_id and "return" in s.content}

    found = [n for n in narratives if about_return(first) & {e.statement_id for e in n.evidence}]
    assert len(found) == 1
    trail = {e.statement_id for e in found[0].evidence}
    assert about_return(repeat) & trail
    dates = sorted(e.date[:10] for e in found[0].evidence if e.date)
    assert dates[0] == "2024-03-03" and dates[-1] >= "2025-03-11"
