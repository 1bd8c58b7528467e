"""The whole foundation through the CLI: a mixed directory in, clean articles out, nothing lost."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.store import Store

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>{title} | The Orrin Courier</title>
<meta property="og:site_name" content="The Orrin Courier">
<meta property="article:published_time" content="2025-04-0{day}T09:30:00+00:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{title}</h1><p class="byline">By Tamsin Hale</p>
<p>{lead} The river authority said the barrier at Velmouth held through the night, although water
reached the lower quays before dawn and several warehouses were flooded.</p>
<p>Engineers from the authority inspected the structure on Tuesday morning and reported cracks in two
of the older sections, which were built in the nineteen-sixties and have not been reinforced since.</p>
<p>Residents of the quarter were told to keep away from the embankment until the inspection is
complete, and the council opened two schools as temporary shelters for families forced from home.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Budget talks stall</a></li><li><a href="/b">Ferry strike ends</a></li></ul></aside>
<footer>© 2025 The Orrin Courier · Privacy · Cookies</footer>
</body></html>"""


def page(title: str, lead: str, day: int) -> str:
    return ARTICLE_HTML.format(title=title, lead=lead, day=day)


@pytest.fixture
def mixed_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "one.html").write_text(page("Velmouth barrier holds", "Storm surge tested the city overnight.", 1))
    (d / "two.html").write_text(page("Cracks found in barrier", "Inspectors found damage on Tuesday.", 2))
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (d / "empty.html").write_text("")
    (d / "utf16.html").write_text(page("Shelters open in two schools", "The council acted fast.", 3), encoding="utf-16")
    (d / "broken.html").write_text(page("Quays flooded before dawn", "Water rose quickly.", 4)[:-300] + "<div><p><b>")
    big = d / "huge.html"
    with open(big, "wb") as handle:  # sparse: quick to make, still 50 MB on the size check
        handle.seek(50_000_000)
        handle.write(b"\0")
    return d


def run(*args):
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_mixed_directory_keeps_good_pages_and_reports_bad_ones(mixed_dir, tmp_path):
    db = str(tmp_path / "p.db")
    code, output = run("ingest", str(mixed_dir), "--db", db)
    assert code == 3, output  # partial success
    for bad in ("image.png", "empty.html", "huge.html"):
        assert "rejected" in output and bad in output
    with Store(db) as store:
        titles = sorted(a.title for a in store.articles())
        assert store.counts()["rejections"] == 3
    assert titles == ["Cracks found in barrier", "Quays flooded before dawn", "Shelters open in two schools",
                      "Velmouth barrier holds"]

    code, output = run("ingest", str(mixed_dir), "--db", db)  # idempotent re-run
    assert "stored 0" in output and "duplicates 4" in output
    with Store(db) as store:
        assert store.counts()["articles"] == 4


def test_articles_search_show_export(mixed_dir, tmp_path):
    db = str(tmp_path / "p.db")
    run("ingest", str(mixed_dir), "--db", db)
    code, output = run("articles", "--db", db, "--format", "jsonl", "--since", "2025-04-02")
    rows = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and {r["title"] for r in rows} == {
        "Cracks found in barrier", "Shelters open in two schools", "Quays flooded before dawn"}
    assert all(r["outlet"] == "The Orrin Courier" for r in rows)
    assert all("Budget talks stall" not in r["body"] and "Home" not in r["paragraphs"] for r in rows)

    code, output = run("search", "inspection OR inspectors", "--db", db)
    assert code == 0 and "Cracks found in barrier" in output
    code, output = run("search", '"unbalanced', "--db", db)
    assert code == 1 and "a double quote" in output and "Traceback" not in output and "fts5" not in output

    article_id = rows[0]["id"]
    code, output = run("show", article_id[:8], "--db", db)
    assert code == 0 and rows[0]["title"] in output

    code, output = run("export", "--db", db, "--format", "csv")
    exported = list(csv.DictReader(io.StringIO(output)))
    assert code == 0 and len(exported) == 4 and "paragraphs" not in exported[0]


def test_near_duplicate_wire_copies_are_linked_not_dropped(tmp_path):
    d = tmp_path / "wire"
    d.mkdir()
    lead = "Storm surge tested the city overnight."
    (d / "a.html").write_text(page("Velmouth barrier holds", lead, 1))
    (d / "b.html").write_text(page("Velmouth barrier holds overnight", lead + " Officials were relieved.", 1)
                              .replace("The Orrin Courier", "Kestrel Wire"))
    db = str(tmp_path / "w.db")
    code, output = run("ingest", str(d), "--db", db)
    assert code == 0, output
    with Store(db) as store:
        ids = [a.id for a in store.articles()]
        assert len(ids) == 2
        assert [other for other, _ in store.near_duplicates(ids[0])] == [ids[1]]


def test_ingest_analyses_statements_and_a_rerun_adds_nothing(mixed_dir, tmp_path):
    db = str(tmp_path / "p.db")
    run("ingest", str(mixed_dir), "--db", db)
    code, output = run("statements", "--db", db, "--format", "jsonl")
    said = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and said
    authority = [s for s in said if "river authority" in (s["speaker"] or "").lower()]
    assert authority and authority[0]["cue"] == "said" and "barrier at Velmouth held" in authority[0]["content"]
    assert all(s["date"] and s["date"].startswith("2025-04-0") for s in authority)  # dated by their article

    code, output = run("analyse", "--db", db)
    assert code == 0 and "analysed 0 articles" in output
    code, again = run("statements", "--db", db, "--format", "jsonl")
    assert len(again.splitlines()) == len(said)


def test_search_takes_typed_punctuation_sorts_by_date_and_names_the_extra(mixed_dir, tmp_path, monkeypatch):
    db = str(tmp_path / "p.db")
    run("ingest", str(mixed_dir), "--db", db, "--no-analyse")
    code, output = run("search", "Storm-surge tested?", "--db", db, "--mode", "text")
    assert code == 0 and "Velmouth barrier holds" in output and "Cracks found" not in output
    code, output = run("search", "barrier", "--db", db, "--mode", "text", "--sort", "date", "--what", "articles")
    dates = [line.split()[-1] for line in output.splitlines() if line[:1].isalnum() and "article" in line]
    assert code == 0 and len(dates) >= 3 and dates == sorted(dates, reverse=True)
    monkeypatch.setattr("presswatch.semantic.semantic_available", lambda: False)
    code, output = run("search", "barrier", "--db", db, "--mode", "meaning")
    assert code == 1 and "pip install 'presswatch[semantic]'" in " ".join(output.split())


def test_version_and_the_serve_help_name_what_is_real():
    from presswatch import __version__

    assert run("--version") == (0, f"presswatch {__version__}\n")
    code, output = run("serve", "--help")
    assert code == 0 and "POST /api/ingest" in " ".join(output.replace("│", " ").split())


def test_story_and_narrative_labels_are_cut_between_words(example_db, monkeypatch):
    from presswatch.cli.common import out
    from presswatch.store import stories as story_store

    monkeypatch.setattr(out, "width", 250)  # one row per story, as in a wide terminal
    with Store(example_db) as store:
        long = [s.label for s in story_store.stories(store, limit=100) if len(s.label) > 80]
    code, output = run("stories", "--db", str(example_db))
    assert code == 0 and long
    for label in long:
        row = next(line for line in output.splitlines() if label[:40] in line)
        shown = row.split("│")[-2].strip()
        assert shown.endswith(" …") and label.startswith(shown[:-2]) and label[len(shown) - 2] == " ", shown


def test_ctrl_c_says_what_was_stored_is_kept(tmp_path, monkeypatch):
    """Typer turned the KeyboardInterrupt into exit status 130 without a word (the message in
    cli.main was never reached)."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("presswatch.engine.entities.update_entities", interrupted)
    db = str(tmp_path / "p.db")
    Store(db).close()
    result = CliRunner().invoke(app, ["analyse", "--db", db, "--workers", "1"])
    assert result.exit_code == 130
    assert "interrupted; everything stored before now is kept" in result.output


def test_show_says_a_statement_was_made_in_an_interview_and_at_a_conference(example_db):
    with Store(example_db) as store:
        venues = dict(store.conn.execute(
            "SELECT venue, article_id FROM statements WHERE venue LIKE 'an interview%' OR venue LIKE 'a press conference%'"))
    interview = next(v for v in venues if v.startswith("an interview"))
    conference = next(v for v in venues if v.startswith("a press conference"))
    for venue, phrase in ((interview, f"in {interview}"), (conference, f"at {conference}")):
        code, output = run("show", venues[venue], "--db", str(example_db))
        flat = " ".join(output.split())
        assert code == 0 and phrase in flat and f"at {interview}" not in flat


def test_ingest_into_a_log_shows_no_progress_and_no_blank_lines(tmp_path):
    """Standard error that is not a terminal (a log, a pipe, cron) gets no progress display: it
    would leave only blank lines before the summary and before the analysis line."""
    (tmp_path / "one.html").write_text(page("Velmouth barrier holds", "Storm surge tested the city overnight.", 1))
    code, output = run("ingest", str(tmp_path / "one.html"), "--db", str(tmp_path / "p.db"), "--workers", "1")
    assert code == 0, output
    assert output.startswith("stored 1") and "\n\n" not in output, repr(output)


def test_first_and_last_seen_are_days_however_precise_the_dates(example_db):
    """Stored dates are as precise as the pages gave them; a range shown mixing "2024-10-09" and
    "2024-10-09T15:40:00" reads as two kinds of thing."""
    import re

    db = str(example_db)
    stories = json.loads(run("stories", "--db", db, "--format", "json", "--limit", "200")[1])["items"]
    story = next(s for s in stories if "T" in s["first_seen"] + s["last_seen"])  # a moment at one end at least
    entities = json.loads(run("entities", "--db", db, "--format", "json", "--limit", "200")[1])["items"]
    entity = next(e for e in entities if "T" in (e["first_seen"] or "") + (e["last_seen"] or ""))
    code, shown_story = run("story", story["id"], "--db", db)
    assert code == 0 and re.search(r"seen: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d\n", shown_story), shown_story
    code, shown_entity = run("entity", entity["id"], "--db", db)
    assert code == 0 and re.search(r"first seen \d{4}-\d\d-\d\d, last seen \d{4}-\d\d-\d\d\n", shown_entity), shown_entity


def test_search_what_takes_every_faces_spelling(example_db):
    def ids(what):
        code, output = run("search", "rescue", "--what", what, "--db", str(example_db), "--format", "json", "--limit", "200")
        assert code == 0, output
        return [hit["id"] for hit in json.loads(output[output.index("{"):])["items"]]  # past a note on stderr

    assert ids("statement") == ids("statements") and ids("article") == ids("articles") and ids("all") == ids("both")
    code, output = run("search", "rescue", "--what", "quotes", "--db", str(example_db))
    assert code == 1 and "both" in output and "statement" in output
