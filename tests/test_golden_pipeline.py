"""Whole-pipeline golden file: the bundled example pages in, articles and statements out.

Any change in what presswatch extracts from the examples shows up here as a readable diff.
After checking that a change is an improvement, regenerate with:
    PRESSWATCH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_pipeline.py
"""

from pathlib import Path

from conftest import ROOT, golden

from presswatch.store import Store
from presswatch.store.statements import article_statements

GOLDEN = ROOT / "tests" / "golden" / "pipeline.json"


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
