"""An article its outlet corrected or updated, ingested again at its address: one article, its text the
newest version read, with everything derived from the old text gone and the new text analysed
through the engine. Fictional outlets, people and places (Saltmere, the Courier, the Gull Post)."""

from __future__ import annotations

from pathlib import Path

import pytest

from presswatch.engine import local
from presswatch.engine.analyse import analyse
from presswatch.engine.local import ingest
from presswatch.store import Store
from presswatch.store.statements import article_statements

ADDRESS = "https://saltmere-courier.example/news/harbour-dredging"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Saltmere Courier</title>
<link rel="canonical" href="{address}">
<meta property="og:site_name" content="Saltmere Courier">
<meta property="article:published_time" content="{published}">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1><p class="byline">By {author}</p>
{paragraphs}
</article><footer>© 2026 Saltmere Courier</footer></body></html>"""

FIRST = [
    "Dredging of Saltmere harbour will begin in May, the harbour board said on Tuesday.",
    '"The quayside channel has silted up and the ferries scrape the bottom at low tide," said Odile Ferrant, '
    "the harbour master of Saltmere.",
    "The work is expected to cost four million crowns and to close the north berth for six weeks.",
    "Fishing crews said the closure would cost them the spring season, and asked the board to delay it.",
]
CORRECTED = [
    "Correction: an earlier version of this article said the work would begin in May.",
    "Dredging of Saltmere harbour will begin in June, the harbour board said on Tuesday.",
    '"We will keep the north berth open while the channel is dug," said Bram Ostrik, the board\'s engineer.',
    "The work is expected to cost four million crowns and to close the south berth for six weeks.",
    "Fishing crews said the closure would cost them the spring season, and asked the board to delay it.",
]
OTHER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Saltmere dredging set for spring | Gull Post</title>
<link rel="canonical" href="https://gull-post.example/saltmere-dredging">
<meta property="og:site_name" content="Gull Post">
<meta property="article:published_time" content="2026-03-04T15:00:00+00:00">
</head><body><article><h1>Saltmere dredging set for spring</h1>
<p>Saltmere harbour will be dredged this spring, the harbour board said on Tuesday.</p>
<p>"The quayside channel has silted up and the ferries scrape the bottom at low tide," said Odile Ferrant, the harbour master.</p>
<p>Fishing crews asked the board to delay the work until the autumn, when the season is over.</p>
</article></body></html>"""


def page(folder: Path, name: str, title: str, paragraphs: list[str], published: str = "2026-03-04T09:00:00+00:00",
         author: str = "Ines Kowal") -> str:
    path = folder / name
    path.write_text(PAGE.format(title=title, address=ADDRESS, published=published, author=author,
                                paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs)), encoding="utf-8")
    return str(path)


@pytest.fixture
def pages(tmp_path) -> dict[str, str]:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "other.html").write_text(OTHER, encoding="utf-8")
    return {
        "first": page(folder, "first.html", "Saltmere harbour to be dredged from May", FIRST),
        "corrected": page(folder, "corrected.html", "Saltmere harbour to be dredged from June", CORRECTED),
        "other": str(folder / "other.html"),
    }


def derived(store: Store) -> dict:
    """What the analysis derived, by content rather than by id (a store built from the corrected
    page alone gives its article another id), and the counts kept beside it."""
    def q(sql):
        return sorted((tuple(r) for r in store.conn.execute(sql)), key=repr)

    return {
        "articles": q("SELECT url, title, body FROM articles"),
        "statements": q("SELECT a.url, s.speaker_name, s.content FROM statements s JOIN articles a ON a.id = s.article_id"),
        "mentions": q("SELECT a.url, m.start, m.text, m.type FROM entity_mentions m JOIN articles a ON a.id = m.article_id"),
        "roles": q("SELECT n.name, r.role, a.url FROM entity_roles r JOIN entity_names n ON n.id = r.name_id"
                   " JOIN articles a ON a.id = r.article_id"),
        "entities": q("SELECT type, name, mentions, articles FROM entities WHERE mentions > 0"),
        "stories": q("SELECT group_concat(a.url, ' ') FROM story_articles s JOIN articles a ON a.id = s.article_id"
                     " GROUP BY s.story_id"),
        "story counts": q("SELECT label, articles, outlets FROM stories"),
        "narratives": q("SELECT n.label, n.statements, n.outlets, group_concat(s.content, ' | ') FROM narratives n"
                        " JOIN narrative_evidence e ON e.narrative_id = n.id JOIN statements s ON s.id = e.statement_id"
                        " GROUP BY n.id"),
        "facets": q("SELECT facet, value, count FROM facet_counts WHERE count > 0"),
        "words": q("SELECT a.url FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH 'quayside'"),
        "said": q("SELECT s.content FROM statements_fts f JOIN statements s ON s.rowid = f.rowid"
                  " WHERE statements_fts MATCH 'quayside'"),
    }


def leftovers(store: Store) -> dict[str, int]:
    """Rows that point at a statement or an article's analysis that is no more: none may be left."""
    def count(sql):
        return store.conn.execute(sql).fetchone()[0]

    return {
        "claims": count("SELECT count(*) FROM claim_members m WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = m.statement_id)"),
        "evidence": count("SELECT count(*) FROM narrative_evidence e WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = e.statement_id)"),
        "cluster sizes": count("SELECT count(*) FROM claim_clusters c WHERE size != (SELECT count(*) FROM claim_members m WHERE m.cluster_id = c.id)"),
        "narrative counts": count("SELECT count(*) FROM narratives n WHERE statements != (SELECT count(*) FROM narrative_evidence e WHERE e.narrative_id = n.id)"),
        "story counts": count("SELECT count(*) FROM stories s WHERE articles != (SELECT count(*) FROM story_articles a WHERE a.story_id = s.id)"),
        "unassigned": count("SELECT count(*) FROM unassigned_articles"),
        "unanalysed": count("SELECT count(*) FROM unanalysed_articles"),
        "unclustered": count("SELECT count(*) FROM unclustered_statements"),
    }


def test_a_corrected_article_replaces_its_text_and_everything_derived_from_it(tmp_path, pages):
    with Store(tmp_path / "updated.db") as store:
        ingest([pages["first"], pages["other"]], store)
        analyse(store)
        (first_id,) = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE url = ?", (ADDRESS,))]
        assert any("quayside" in s.content for s in article_statements(store, first_id))
        assert store.conn.execute("SELECT count(*) FROM narratives").fetchone()[0] > 0  # the quote both outlets carry

        report = ingest([pages["corrected"]], store)
        assert report.updated == [first_id] and report.stored == [first_id] and not report.rejected
        analyse(store)
        # one article at the address, under its first id, with the corrected text
        assert [tuple(r) for r in store.conn.execute("SELECT id FROM articles WHERE url = ?", (ADDRESS,))] == [(first_id,)]
        article = store.article(first_id)
        assert "begin in June" in article.body and "begin in May, the harbour board" not in article.body
        assert store.counts()["articles"] == 2 and store.counts()["pages"] == 3  # the first version's page is kept
        assert sorted(store.sources_of(first_id)) == sorted([pages["first"], pages["corrected"]])
        assert leftovers(store) == dict.fromkeys(leftovers(store), 0)
        updated = derived(store)

    with Store(tmp_path / "fresh.db") as store:  # the same pages, the corrected one only
        ingest([pages["other"], pages["corrected"]], store)
        analyse(store)
        fresh = derived(store)
    assert updated == fresh
    assert sorted(speaker for _, speaker, _ in updated["statements"] if speaker) == ["Bram Ostrik", "Odile Ferrant"]
    assert updated["words"] == [("https://gull-post.example/saltmere-dredging",)]  # the old text is not found
    assert not any(value == "Odile Ferrant" and count > 1 for _, value, count in updated["facets"])


def test_the_first_version_read_again_changes_nothing(tmp_path, pages):
    with Store(tmp_path / "again.db") as store:
        ingest([pages["first"], pages["corrected"]], store)
        report = ingest([pages["first"]], store)
        assert report.duplicates and not report.updated
        (body,) = [r[0] for r in store.conn.execute("SELECT body FROM articles WHERE url = ?", (ADDRESS,))]
        assert "begin in June" in body


@pytest.mark.parametrize(("other_published", "other_author"), [
    ("2026-03-06T17:40:00+00:00", "Ines Kowal"),  # the same writer's article of another day
    ("2026-03-04T09:00:00+00:00", "Pell Andrist"),  # another writer's of the same day
])
def test_another_article_under_the_same_address_is_not_a_version(tmp_path, other_published, other_author):
    """A template naming one address for every page (a section's) must not merge articles: another
    headline over another text at the address stays an article of its own."""
    folder = tmp_path / "section"
    folder.mkdir()
    dredging = page(folder, "dredging.html", "Saltmere harbour to be dredged from May", FIRST)
    lighthouse = page(folder, "lighthouse.html", "Saltmere lighthouse keeper retires after forty years", [
        "Ewan Tolley climbed the lighthouse stairs for the last time on Friday.",
        '"I will miss the storms more than the calm days," said Tolley, who kept the light for forty years.',
    ], published=other_published, author=other_author)
    with Store(tmp_path / "section.db") as store:
        report = ingest([dredging, lighthouse], store)
        assert store.counts()["articles"] == 2 and not report.updated


def test_a_crash_while_replacing_leaves_the_old_version_whole(tmp_path, pages, monkeypatch):
    with Store(tmp_path / "crash.db") as store:
        ingest([pages["first"], pages["other"]], store)
        analyse(store)
        before = derived(store)

        def crash(store_, article_id):
            def write(conn):
                raise RuntimeError("power cut")
            return write

        monkeypatch.setattr(local, "story_without", crash)
        report = ingest([pages["corrected"]], store)
        assert report.rejected and "power cut" in report.rejected[0].reason
        assert derived(store) == before and store.counts()["pages"] == 2
        assert leftovers(store) == dict.fromkeys(leftovers(store), 0)


def test_a_large_narrative_loses_the_old_text_s_evidence_without_being_made_again(tmp_path, pages, monkeypatch):
    """A narrative of GROW_FROM statements or more is trimmed in SQL, not made again whole: here every
    narrative counts as large. Its evidence of the old text goes, its counts and timeline follow."""
    from presswatch.engine import narratives

    monkeypatch.setattr(narratives, "GROW_FROM", 1)
    monkeypatch.setattr(narratives, "HOLD_WHOLE_BELOW", 1)
    with Store(tmp_path / "large.db") as store:
        ingest([pages["first"], pages["other"]], store)
        analyse(store)
        held = store.conn.execute("SELECT count(*) FROM narrative_evidence").fetchone()[0]
        assert held >= 2
        ingest([pages["corrected"]], store)
        # before the new text is analysed too: the article waits for the analysis and a story, nothing else is left
        assert leftovers(store) == {**dict.fromkeys(leftovers(store), 0), "unassigned": 1, "unanalysed": 1}
        assert not store.conn.execute("SELECT 1 FROM narrative_evidence e JOIN statements s ON s.id = e.statement_id"
                                      " WHERE s.content LIKE '%quayside%' AND s.article_id IN"
                                      " (SELECT id FROM articles WHERE url = ?)", (ADDRESS,)).fetchall()
        analyse(store)
        assert leftovers(store) == dict.fromkeys(leftovers(store), 0)
