"""Whole-pipeline golden files: the bundled example pages in, articles and statements out
(pipeline.json), and the narratives made of them with their stances and counter-narratives
(narratives.json).

Any change in what presswatch extracts from the examples shows up here as a readable diff.
After checking that a change is an improvement, regenerate with:
    PRESSWATCH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_pipeline.py
"""

from pathlib import Path

from conftest import ROOT, golden

from presswatch.query import listings
from presswatch.records import opponents, outlets_of
from presswatch.store import Store
from presswatch.store.statements import article_statements
from presswatch.store.stories import narratives

GOLDEN = ROOT / "tests" / "golden" / "pipeline.json"
NARRATIVES = ROOT / "tests" / "golden" / "narratives.json"


def snapshot(path: Path) -> dict:
    with Store(path) as store:
        by_source = {}
        for article in store.articles():
            source = Path(store.sources_of(article.id)[0]).relative_to(ROOT).as_posix()
            said = article_statements(store, article.id)
            by_source[source] = {
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published,
                "author": article.author,
                "credited_source": article.credited_source,
                "language": article.language or article.language_flag,
                "paragraphs": len(article.paragraphs),
                "body_start": article.body[:100],
                "near_duplicates": len(store.near_duplicates(article.id)),
                "statements": [
                    {
                        "speaker": s.speaker_name or s.speaker,
                        "role": s.speaker_role,
                        "cue": s.cue,
                        "mode": s.mode,
                        "content": s.content[:120],
                        "venue": s.venue,
                        "addressee": s.addressee,
                        "date": s.date,
                    }
                    for s in said
                ],
            }
    return dict(sorted(by_source.items()))


def test_examples_through_the_whole_pipeline_match_the_golden_file(example_db):
    found = snapshot(example_db)
    expected = golden(GOLDEN, found)
    assert sorted(found) == sorted(expected), "the set of stored example pages changed"
    for source in expected:
        assert found[source] == expected[source], f"{source} differs from the golden file"


def narrative_snapshot(path: Path) -> list[dict]:
    """The stored narratives as an analyst reads them: the claim, its counts, its evidence with
    stances, and beside it who denied or disputed it (named as the faces name them), with their words."""

    def trail(evidence):
        return [f"{e.stance}: {e.speaker} ({e.outlet}): {e.quote[:100]}" for e in evidence]

    with Store(path) as store:
        return [
            {
                "claim": n.label,
                "statements": len(n.evidence),
                "outlets": outlets_of(n.evidence),
                "opposed": [f"{verb} by {', '.join(who)}" for verb, who in opponents(n)],
                "evidence": trail(n.evidence),
                "counters": [{"counter_claim": c.label, "evidence": trail(c.evidence)} for c in n.counters],
            }
            for n in (listings.narrative(store, stored.id) for stored in narratives(store))
        ]


def test_the_examples_narratives_match_the_golden_file(example_db):
    found = narrative_snapshot(example_db)
    assert found == golden(NARRATIVES, found)
