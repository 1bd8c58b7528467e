"""The CLI in the hands of a careless user: a mistyped --db, an output path that cannot be
written, a date that is not one, an unknown id, and stored text that holds terminal escapes or
Rich markup. Each gets one line that says what is wrong and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import damage_a_body
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.store import Store

ESCAPES = "\x1b]0;owned\x07\x1b[31m"  # set the terminal's title, then turn it red


def run(*args):
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    return result.exit_code, result.output


@pytest.fixture
def db(example_db, tmp_path):
    path = tmp_path / "examples.db"
    shutil.copy(example_db, path)
    return path


@pytest.mark.parametrize("command", [
    ["articles"], ["statements"], ["search", "barrier"], ["entities"], ["stories"], ["narratives"], ["brief"],
    ["export"], ["show", "abc"], ["analyse"], ["entity", "Someone"], ["summary", "abc"],
])
def test_read_commands_on_a_missing_database_say_so(tmp_path, command):
    typo = tmp_path / "presswatch.dbb"
    code, output = run(*command, "--db", typo)
    assert code == 1 and f"no database at {typo}" in output and "Traceback" not in output
    assert not typo.exists()


@pytest.mark.parametrize("command", [["articles"], ["stories"], ["entity", "Someone"], ["export"]])
@pytest.mark.parametrize("content", ["empty", "another program's"])
def test_read_commands_refuse_a_file_presswatch_did_not_write(tmp_path, command, content):
    import sqlite3

    other = tmp_path / "other.db"
    other.touch()
    if content != "empty":
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE notes (text)")
    before = other.read_bytes()
    code, output = run(*command, "--db", other)
    assert code == 1 and output.startswith("error: ") and "Traceback" not in output, output
    assert other.read_bytes() == before  # no presswatch schema written into it


def test_ingest_refuses_another_programs_database(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text)")
    page = tmp_path / "page.txt"
    page.write_text("Velmouth council met on Tuesday. " * 20)
    code, output = run("ingest", page, "--db", other, "--no-analyse")
    assert code == 1 and "not a presswatch database" in output, output
    with sqlite3.connect(other) as conn:
        assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


@pytest.mark.parametrize(("command", "listing"), [(["entity", "Nobody Atall"], "`presswatch entities` lists them"),
                                                  (["alerts", "nobody"], "`presswatch watchlist list` lists them")])
def test_an_unknown_name_points_at_the_command_that_lists_them(db, command, listing):
    code, output = run(*command, "--db", db)
    assert code == 1 and listing in output, output


@pytest.mark.parametrize("analyse", ["--analyse", "--no-analyse"])
def test_ingest_of_a_mistyped_path_leaves_no_new_database(tmp_path, analyse):
    new = tmp_path / "new.db"
    code, output = run("ingest", tmp_path / "pagess", "--db", new, analyse)
    assert code == 1 and "Traceback" not in output, output
    assert "no database was created" in output
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_ingest_of_a_mistyped_path_keeps_an_existing_database(db, tmp_path):
    with Store(db) as store:
        before = store.counts()
    code, output = run("ingest", tmp_path / "pagess", "--db", db, "--no-analyse")
    assert code == 1 and "rejected" in output, output
    with Store(db, create=False) as store:  # kept, its rejection log one longer
        assert store.counts() == before | {"rejections": before["rejections"] + 1}


@pytest.mark.parametrize("command", [["export", "-o"], ["brief", "-o"], ["export", "--format", "csv", "-o"]])
@pytest.mark.parametrize("where", ["missing/dir/out.txt", "folder", "/proc/presswatch-x.csv"])
def test_an_output_that_cannot_be_written_is_one_line(db, tmp_path, command, where):
    (tmp_path / "folder").mkdir()
    target = where if where.startswith("/") else tmp_path / where
    code, output = run(*command, target, "--db", db)
    assert code == 1 and output.startswith(f"error: cannot write {target}: "), output
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["articles"], ["statements"], ["search", "barrier"], ["brief"], ["stories"]])
@pytest.mark.parametrize("date", ["yesterday", "2025-13-45", "2025-02-30", "20250402"])
def test_dates_that_are_not_iso_dates_are_usage_errors(db, command, date):
    code, output = run(*command, "--since", date, "--db", db)
    assert code == 2 and "is not an ISO date" in output and "Traceback" not in output


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_points_to_the_lists(db, query):
    code, output = run("search", query, "--db", db)
    assert code == 1 and "empty search query" in output and "presswatch articles" in output
    assert "Traceback" not in output


def test_an_iso_date_or_datetime_is_accepted(db):
    for date in ("2025", "2025-04", "2025-04-02", "2025-04-02T09:30", "2025-04-02T09:30:00+02:00"):
        assert run("articles", "--since", date, "--db", db)[0] == 0


@pytest.mark.parametrize("command", [["show"], ["story"], ["narrative"], ["summary"], ["entity"]])
def test_unknown_ids_are_one_line(db, command):
    code, output = run(*command, "zzzz-no-such-id", "--db", db)
    assert code == 1 and output.startswith("error: ") and len(output.strip().splitlines()) == 1, output


def test_stored_escapes_and_markup_never_reach_the_terminal(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    title = f"Barrier [/bold] holds {ESCAPES}at Velmouth"
    sentence = ("The river authority said the barrier held through the night, although water reached the"
                f" lower quays {ESCAPES} before dawn and several warehouses were flooded.")
    body = " ".join([sentence] * 3)
    (pages / f"evil{ESCAPES}name.html").write_text(
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p>"
        f"<p>{body}</p></article></body></html>")
    (pages / f"empty{ESCAPES}.html").write_text("")
    db = tmp_path / "p.db"
    code, ingested = run("ingest", pages, "--db", db, "--no-analyse")
    assert code == 3 and "rejected" in ingested
    code, listed = run("articles", "--db", db)
    article_id = listed.split("│")[1].strip() if "│" in listed else None
    assert code == 0 and article_id
    code, shown = run("show", article_id, "--db", db)
    assert code == 0 and "[/bold]" in shown  # the brackets are the title's, shown as written
    code, found = run("search", "Velmouth", "--db", db)
    assert code == 0
    for output in (ingested, listed, shown, found):
        assert "\x1b" not in output and "\x07" not in output
    assert "␛]0;owned␇" in shown  # each control character drawn as its picture, offsets kept


def test_speaker_filters_match_percent_and_underscore_as_themselves(example_db):
    from presswatch.store.search import SearchFilters, list_statements

    with Store(example_db) as store:
        anyone = list_statements(store, SearchFilters(), limit=1000)
        named = next(s.speaker_name for s in anyone if s.speaker_name)
        assert list_statements(store, SearchFilters(speaker=named), limit=1000)
        for wildcard in ("%", "_%", "%%", named[:2] + "%"):
            assert list_statements(store, SearchFilters(speaker=wildcard), limit=1000) == []


EVAL_TASKS = ["extraction", "attribution", "entities", "stories", "narratives"]


@pytest.mark.parametrize("task", EVAL_TASKS)
@pytest.mark.parametrize("content", ["{not json\n", "[1, 2]\n", '{"unrelated": 1}\n', "", "\n\n"])
def test_a_malformed_eval_file_is_one_line(tmp_path, task, content):
    data = tmp_path / "gold.jsonl"
    data.write_text(content)
    code, output = run("eval", task, data)
    assert code == 1 and output.startswith(f"error: {data}"), output
    assert len(output.strip().splitlines()) == 1, output


@pytest.mark.parametrize("task, row", [
    ("stories", {"text": 5, "subtopic": "a", "topic": "b"}),
    ("attribution", {"id": "a", "text": "Ana said so.", "attributions": [5]}),
    ("attribution", {"id": "a", "text": "Ana said so.", "attributions": [{"cue": "said"}]}),
    ("attribution", {"id": "a", "text": "Ana said so.", "attributions": [{"cue": [{"fragments": [[4]]}]}]}),
    ("extraction", {"html": "<p>Ana said so.</p>", "gold_article_body": 5}),
    ("extraction", {"html": "<p>Ana said so.</p>", "with": "Ana said so."}),
    ("extraction", {"html": "<p>Ana said so.</p>", "gold_article_body": "Ana", "gold_metadata": "Ana"}),
])
def test_a_gold_field_of_the_wrong_shape_is_one_line(tmp_path, task, row):
    import json

    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps(row) + "\n")
    result = CliRunner().invoke(app, ["eval", task, str(data)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith(f"error: {data}:") and len(result.output.strip().splitlines()) == 1, result.output


def test_eval_seeds_on_a_folder_without_gold_says_what_it_needs(tmp_path):
    code, output = run("eval", "seeds", tmp_path / "nowhere")
    assert code == 1 and len(output.strip().splitlines()) == 1, output
    assert "gold.json and its pages/*.txt" in output and "Errno" not in output, output


@pytest.mark.parametrize("gold", [
    '{"documents": [{}]}', '{"documents": [{"title": "x"}]}', '{"documents": [5]}', '{"documents": [{"id": 7}]}',
    '{"documents": [{"id": "a"}], "stories": {"groups": [["a"]]}}',
    '{"documents": [{"id": "a", "statements": 5}], "stories": {"groups": [["a"]]}}',
    '{"documents": [{"id": "a", "statements": [{"speaker": 5}]}], "stories": {"groups": [["a"]]}}',
    '{"documents": [{"id": "a", "statements": []}]}',
    '{"documents": [{"id": "a", "statements": []}], "stories": {"groups": 5}}',
])
def test_seed_gold_not_in_the_seeds_format_is_one_line(tmp_path, gold):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("Ana Berg said the bridge would open in May.\n")
    (tmp_path / "gold.json").write_text(gold)
    code, output = run("eval", "seeds", tmp_path)
    assert code == 1 and output.startswith("error: ") and "Traceback" not in output, output
    assert len(output.strip().splitlines()) == 1, output


def test_load_from_a_path_where_nothing_is_says_so(tmp_path):
    typo = tmp_path / "resluts"
    code, output = run("load", typo, "--db", tmp_path / "p.db")
    assert code == 1 and f"no dataset at {typo}" in output and "did not end" not in output, output


@pytest.mark.parametrize("command", [["articles"], ["export", "-o", "out.jsonl"]])
def test_a_database_damaged_after_it_opens_is_one_line(db, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    damage_a_body(db)
    result = CliRunner().invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert result.output.strip().splitlines()[-1].startswith("error: the database "), result.output


@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_a_failed_export_leaves_the_file_it_would_replace(db, tmp_path, format):
    target = tmp_path / "out" / f"articles.{format}"
    target.parent.mkdir()
    target.write_text("last week's export\n")
    damage_a_body(db)
    code, output = run("export", "--format", format, "-o", target, "--db", db)
    assert code == 1 and "error: " in output, output
    assert target.read_text() == "last week's export\n"
    assert [path.name for path in target.parent.iterdir()] == [target.name]  # nothing half-written left beside it


@pytest.mark.parametrize("noun", ["articles", "statements", "stories", "narratives"])
def test_an_empty_page_says_why(db, tmp_path, noun):
    code, past_the_end = run(noun, "--offset", 100000, "--db", db)
    assert code == 0 and f"no {noun} on this page" in past_the_end and "--offset 0" in past_the_end, past_the_end
    empty = tmp_path / "empty.db"
    Store(empty).close()  # a database with nothing in it
    code, nothing = run(noun, "--db", empty)
    assert code == 0 and nothing.strip() == f"no {noun} match", nothing


@pytest.mark.parametrize("command", [["articles"], ["ingest", "nothing-here"]])
def test_a_folder_as_database_says_so(tmp_path, command):
    code, output = run(*command, "--db", tmp_path)
    assert code == 1 and f"{tmp_path} is a folder" in output, output


def test_a_new_database_in_a_missing_folder_says_so(tmp_path):
    code, output = run("ingest", "nothing-here", "--db", tmp_path / "no" / "such" / "p.db")
    assert code == 1 and f"no folder {tmp_path / 'no' / 'such'}" in output, output


def test_merging_two_names_of_one_entity_is_refused(db):
    """Both names already stand for one entity: a recorded merge would change nothing yet be kept
    and replayed on every later run, so it is refused and nothing is recorded."""
    code, output = run("entity", "merge", "Lomatsky", "Yevgeny Lomatskiy", "--db", db)
    assert code == 1 and "already" in output and "Evgeny Lomatskiy" in output, output
    with Store(db) as store:
        assert not store.conn.execute("SELECT 1 FROM entity_decisions").fetchone()


def test_stories_since_a_date_list_only_dated_stories_in_range(db):
    """An undated story cannot be said to be seen since a date; the engine still reads undated
    stories as open (`engine.corpus._open_stories`), the listing does not show them."""
    with Store(db) as store:
        undated = {r[0] for r in store.conn.execute("SELECT id FROM stories WHERE last_seen IS NULL")}
    assert undated, "the examples hold undated pages"
    code, output = run("stories", "--since", "2025-06", "--format", "json", "--db", db)
    page = json.loads(output)
    assert code == 0 and page["items"] and page["total"] == len(page["items"])
    assert all(s["last_seen"] >= "2025-06" for s in page["items"]) and not undated & {s["id"] for s in page["items"]}
    everything = json.loads(run("stories", "--format", "json", "--db", db)[1])
    assert undated <= {s["id"] for s in everything["items"]}


@pytest.mark.parametrize("command", [["stories"], ["search", "alliance"], ["statements"], ["narratives"]])
@pytest.mark.parametrize("option", ["--offset", "--limit"])
def test_a_page_position_past_any_list_is_one_line(db, command, option):
    code, output = run(*command, option, "99999999999999999999", "--db", db)
    assert code == 1 and output.startswith("error: ") and "Traceback" not in output, output


def test_ctrl_c_says_what_was_kept(tmp_path, monkeypatch):
    """Typer ended an interrupted run at 130 without a word (the message presswatch meant to print
    was never reached): Ctrl-C in `collect` or `ingest` left the user guessing what was stored."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    Store(tmp_path / "kept.db").close()
    monkeypatch.setattr("presswatch.engine.collect.collect_due", interrupted)
    code, output = run("collect", "--db", tmp_path / "kept.db")
    assert code == 130 and "interrupted; everything stored before now is kept" in output


@pytest.mark.parametrize("command", [["ingest", "missing.html"], ["collect"]])
@pytest.mark.parametrize("option", [["--max-mb", "inf"], ["--max-mb", "0"]])
def test_a_size_limit_of_nothing_or_infinity_is_a_usage_error(tmp_path, command, option):
    """--max-mb inf ended in an OverflowError traceback, --max-mb 0 or less refused every input."""
    Store(tmp_path / "x.db").close()
    code, output = run(*command, *option, "--db", tmp_path / "x.db")
    assert code == 2 and "--max-mb" in output and "Traceback" not in output


def test_serve_on_a_port_another_server_holds_says_so_before_serving(db, monkeypatch):
    import socket

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("uvicorn started on a taken port"))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, output = run("serve", "--db", db, "--port", port)
    assert code == 1 and "serving" not in output, output
    assert f"cannot listen on 127.0.0.1:{port}" in output and "give another --port" in output, output
