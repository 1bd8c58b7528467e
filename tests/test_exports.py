"""Exports: every kind of record in JSON Lines, CSV and Parquet, with the same rows in each."""

from __future__ import annotations

import builtins
import csv
import json
import os
import stat
import threading

import pytest
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.errors import PresswatchError
from presswatch.exports import COLUMNS, WHAT, write_export
from presswatch.store import Store

TABLES = {"articles": "articles", "statements": "statements", "entities": "entities", "stories": "stories",
          "narratives": "narratives"}


@pytest.fixture(scope="module")
def examples(example_db):
    with Store(example_db) as store:
        yield store


def _count(store, what):
    return store.conn.execute(f"SELECT count(*) FROM {TABLES[what]}").fetchone()[0]


@pytest.mark.parametrize("what", WHAT)
def test_jsonl_and_csv_hold_every_record_with_the_documented_columns(examples, what, tmp_path):
    jsonl, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    assert write_export(examples, what, "jsonl", jsonl) == _count(examples, what) > 0
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(rows) == _count(examples, what)
    assert list(rows[0]) == [name for name, _ in COLUMNS[what]]
    assert write_export(examples, what, "csv", table) == len(rows)
    with table.open(newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [r["id"] for r in read] == [r["id"] for r in rows]
    listed = [name for name, kind in COLUMNS[what] if kind not in ("str", "int", "float") and name in read[0]]
    for name in listed:  # lists and nested records survive as JSON text
        assert [json.loads(r[name]) for r in read] == [rows[i][name] for i in range(len(rows))]


@pytest.mark.parametrize("what", WHAT)
def test_parquet_has_the_same_rows(examples, what, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "out.parquet"
    count = write_export(examples, what, "parquet", path)
    table = pq.read_table(path)
    assert table.num_rows == count == _count(examples, what)
    assert table.column_names == [name for name, _ in COLUMNS[what]]
    jsonl = tmp_path / "out.jsonl"
    write_export(examples, what, "jsonl", jsonl)
    first = json.loads(jsonl.read_text().splitlines()[0])
    assert json.loads(json.dumps(table.slice(0, 1).to_pylist()[0])) == first


def test_parquet_without_pyarrow_names_the_extra(examples, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(PresswatchError, match=r"pip install 'presswatch\[export\]'"):
        write_export(examples, "articles", "parquet", tmp_path / "x.parquet")


def test_unknown_kinds_and_formats_are_refused(examples):
    with pytest.raises(PresswatchError, match="cannot export"):
        write_export(examples, "pages", "jsonl")
    with pytest.raises(PresswatchError, match="unknown export format"):
        write_export(examples, "articles", "xml")
    with pytest.raises(PresswatchError, match="give a file"):
        write_export(examples, "articles", "parquet")


def test_export_command(example_db, tmp_path):
    pytest.importorskip("pyarrow")
    runner = CliRunner()
    out = tmp_path / "statements.parquet"
    result = runner.invoke(app, ["export", "--db", str(example_db), "--what", "statements", "--format", "parquet",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "statements to" in result.output and out.stat().st_size > 0
    result = runner.invoke(app, ["export", "--db", str(example_db), "--what", "entities"])
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["aliases"]
    result = runner.invoke(app, ["export", "--db", str(example_db), "--what", "pages"])
    assert result.exit_code == 1 and "unknown kind of record" in result.output


def test_an_output_of_dash_is_the_terminal(example_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", "--db", str(example_db), "--what", "entities", "-o", "-"])
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["aliases"]
    assert not (tmp_path / "-").exists()


def test_an_export_to_a_symlink_or_a_pipe_writes_through_it(tmp_path):
    """`-o latest.csv` (a link to the real file) and `-o /dev/stdout` or a FIFO used to be replaced by a
    plain file: the link's target kept its old rows, a pipe's reader waited for ever."""
    with Store(tmp_path / "empty.db") as store:
        target = tmp_path / "kept" / "statements.csv"
        target.parent.mkdir()
        target.write_text("old rows\n")
        link = tmp_path / "latest.csv"
        link.symlink_to(target)
        write_export(store, "statements", "csv", link)
        assert link.is_symlink() and target.read_text().startswith("id,article_id,")

        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        read: list[str] = []
        reader = threading.Thread(target=lambda: read.append(fifo.read_text()), daemon=True)
        reader.start()
        write_export(store, "statements", "csv", fifo)
        reader.join(10)
        assert stat.S_ISFIFO(fifo.stat().st_mode) and read and read[0].startswith("id,article_id,")


def test_a_statements_speaker_is_exported_with_its_entity_and_canonical_name(examples, tmp_path):
    """The examples spell one minister "Yevgeny Lomatsky" and "Evgeny Lomatskiy": the export gives
    both spellings one entity id and one canonical name (the entities export's), in every format."""
    jsonl, table = tmp_path / "st.jsonl", tmp_path / "st.csv"
    write_export(examples, "statements", "jsonl", jsonl)
    write_export(examples, "statements", "csv", table)
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    entity_name = dict(examples.conn.execute("SELECT id, name FROM entities").fetchall())
    lomatsky = [r for r in rows if "Lomats" in (r["speaker_name"] or r["speaker"] or "")]
    assert {r["speaker_links"][0]["name"] for r in lomatsky} >= {"Yevgeny Lomatsky", "Evgeny Lomatskiy"}
    entity_id, = {r["speaker_links"][0]["entity_id"] for r in lomatsky}
    assert entity_id and {tuple(r["speaker_canonical"]) for r in lomatsky} == {(entity_name[entity_id],)}
    for row in rows:
        assert len(row["speaker_canonical"]) == len(row["speaker_links"])
        assert row["speaker_canonical"] == [entity_name[link["entity_id"]] if link["entity_id"] else link["name"]
                                            for link in row["speaker_links"]]
    with table.open(newline="") as handle:
        assert [json.loads(r["speaker_canonical"]) for r in csv.DictReader(handle)] == [r["speaker_canonical"] for r in rows]


def test_a_narratives_evidence_names_its_speakers_as_the_statements_export_does(examples, tmp_path):
    statements, narratives = tmp_path / "st.jsonl", tmp_path / "n.jsonl"
    write_export(examples, "statements", "jsonl", statements)
    write_export(examples, "narratives", "jsonl", narratives)
    canonical = {row["id"]: row["speaker_canonical"] for row in map(json.loads, statements.read_text().splitlines())}
    evidence = [e for row in map(json.loads, narratives.read_text().splitlines()) for e in row["evidence"]]
    assert evidence and all(e["speaker_canonical"] == canonical[e["statement_id"]] for e in evidence)
    spelled = {e["speaker"] for e in evidence if e["speaker_canonical"] == ["Evgeny Lomatskiy"]}
    assert {"Yevgeny Lomatsky", "Evgeny Lomatskiy"} <= spelled


def test_speakers_are_resolved_a_part_at_a_time_and_read_as_each_alone(examples, tmp_path, monkeypatch):
    """The statements export resolves a part's speakers at once (a few queries a part, not a few a
    statement: 1M statements took 5 minutes that way, against 1 before speakers were named), and a
    speaker read among others reads as it does alone, whatever the part's size."""
    from presswatch import exports
    from presswatch.store.entities import speakers_links

    said = [(r[0], r[1]) for r in examples.conn.execute(
        "SELECT coalesce(speaker_name, speaker), article_id FROM statements ORDER BY rowid")]
    article = said[0][1]
    said[3:3] = [(None, article),  # a statement whose text names no source
                 ("Anneli Korhel and Yevgeny Lomatsky", article), ("Lomatsky", article), ("Lomatsky", said[-1][1])]
    assert len(said) > 50
    assert speakers_links(examples, said) == [speakers_links(examples, [one])[0] for one in said]

    queries = []
    examples.conn.set_trace_callback(queries.append)
    try:
        whole = tmp_path / "whole.jsonl"
        write_export(examples, "statements", "jsonl", whole)
    finally:
        examples.conn.set_trace_callback(None)
    assert len(queries) <= 10, queries
    monkeypatch.setattr(exports, "SPEAKERS_AT_ONCE", 7)
    parts = tmp_path / "parts.jsonl"
    write_export(examples, "statements", "jsonl", parts)
    assert parts.read_text() == whole.read_text()


def test_a_storys_export_counts_every_article_and_outlet_as_presswatch_story_does(example_db, examples, tmp_path):
    """An article naming no outlet is one of its story's articles and counts as the one outlet
    '(unknown outlet)', in the export and the listings as in `presswatch story` (the examples hold
    one such article)."""
    from presswatch.query import listings
    from presswatch.records import UNKNOWN_OUTLET

    exported = tmp_path / "stories.jsonl"
    write_export(examples, "stories", "jsonl", exported)
    rows = [json.loads(line) for line in exported.read_text().splitlines()]
    assert any(UNKNOWN_OUTLET in row["outlets"] for row in rows)
    listed = {s.id: s.outlets for s in listings.stories(examples, limit=100).items}
    for row in rows:
        shown = CliRunner().invoke(app, ["story", row["id"], "--db", str(example_db)], terminal_width=200)
        assert shown.exit_code == 0, shown.output
        assert f"articles: {len(row['article_ids'])} " in shown.output
        headings = [block.splitlines()[0] for block in shown.output.split("\n\n")[1:]]
        assert sorted(headings) == sorted(row["outlets"]) == sorted(listed[row["id"]]), row["id"]
