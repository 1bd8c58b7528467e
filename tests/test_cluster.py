"""The engine on Dask and through Parquet datasets: the stored result equals a local run's.

The reference is the session's local run over examples/ (conftest `example_db`); every table is
compared whole but for its timestamps, so ids, offsets, entities, stories and narratives must all
match, at any partitioning and number of workers. Clusters are loopback LocalClusters.
"""

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.engine.analyse import analyse
from presswatch.engine.cluster import (
    connect,
    ingest_cluster,
    load_dataset,
    partitions,
    precomputed,
    write_dataset,
)
from presswatch.engine.local import ingest
from presswatch.records import Rejection
from presswatch.store import Store

distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

EXAMPLES = str(Path(__file__).resolve().parent.parent / "examples")
TIMESTAMPS = {"ingested_at", "analysed_at", "at", "arrived_at"}


def snapshot(db) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that record when something happened."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
    found = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in TIMESTAMPS]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        found[table] = sorted(rows, key=repr)
    conn.close()
    return found


def assert_same_store(db, reference) -> None:
    mine, theirs = snapshot(db), snapshot(reference)
    assert mine.keys() == theirs.keys()
    for table in theirs:
        assert mine[table] == theirs[table], table
    # the comparison is not vacuous: the examples fill every kind of output
    for table in ("articles", "statements", "entity_mentions", "entities", "stories", "narratives"):
        assert theirs[table], table


def run_on(client, db, sources=(EXAMPLES,), files_per_partition=3):
    with Store(db) as store:
        report, analyses = ingest_cluster(list(sources), store, client, files_per_partition=files_per_partition)
        analyse(store, parse=precomputed(analyses))
    return report


def test_a_one_worker_cluster_equals_a_local_run(example_db, tmp_path):
    with connect("local:1", processes=False, dashboard_address=None) as client:
        run_on(client, tmp_path / "one.db", files_per_partition=1)
    assert_same_store(tmp_path / "one.db", example_db)


def test_two_workers_at_a_tcp_address_through_the_cli_equal_a_local_run(example_db, tmp_path):
    # Thread workers behind a loopback TCP scheduler: the address route of `--cluster` without the
    # cost of starting worker processes (bench/workers.py runs a LocalCluster of processes).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        db = tmp_path / "two.db"
        result = CliRunner().invoke(app, ["ingest", EXAMPLES, "--db", str(db), "--cluster", cluster.scheduler_address,
                                          "--partition-files", "5"])
    assert result.exit_code == 0, result.output
    assert "stored 21" in result.output and "analysed 20 articles" in result.output
    assert_same_store(db, example_db)


def test_out_then_load_equals_a_direct_run(example_db, tmp_path):
    out = tmp_path / "dataset"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", EXAMPLES, "--out", str(out), "--partition-files", "4"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"pages", "articles", "statements", "mentions", "presswatch.json"}
    assert not (tmp_path / "presswatch.db").exists()  # no store was touched
    db = tmp_path / "loaded.db"
    result = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert_same_store(db, example_db)


def test_an_unfinished_dataset_is_refused(tmp_path):
    with Store(tmp_path / "x.db") as store, pytest.raises(Exception, match="not a finished presswatch dataset"):
        load_dataset(str(tmp_path), store)


@pytest.fixture
def bad_inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_empty.html").write_text("")
    (d / "b_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (d / "c_rows.jsonl").write_text('{"text": "not enough to be an article"}\nnot json\n\n{"html": 3}\n')
    (d / "d_torn.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 900\r\n\r\nHTTP/1.1 200")
    (d / "e_blank.html").write_text("<html><body><nav>Home</nav></body></html>")
    return [str(d), str(tmp_path / "missing.html"), str(tmp_path / "nothing-*.html")]


def test_bad_inputs_are_rejected_as_in_a_local_run(bad_inputs, tmp_path):
    with Store(tmp_path / "local.db") as store:
        local = ingest(bad_inputs, store)
    for size in (1, 2, 100):
        partitioned = run_on(None, tmp_path / f"parts{size}.db", bad_inputs, files_per_partition=size)
        assert partitioned.rejected == local.rejected and len(local.rejected) >= 7
        assert partitioned.stored == local.stored
    dataset = tmp_path / "dataset"
    written = write_dataset(bad_inputs, str(dataset), None, files_per_partition=2)
    assert written.rejected == local.rejected and written.pages == len(local.stored)
    with Store(tmp_path / "loaded.db") as store:
        loaded, _ = load_dataset(str(dataset), store)
    assert loaded.rejected == local.rejected and loaded.stored == local.stored
    for db in ("parts2.db", "loaded.db"):
        assert snapshot(tmp_path / db)["rejections"] == snapshot(tmp_path / "local.db")["rejections"]


def test_storage_urls_are_read_through_fsspec(tmp_path):
    page_dir = Path(EXAMPLES) / "html"
    with Store(tmp_path / "local.db") as store:
        local = ingest([str(page_dir)], store)
    with Store(tmp_path / "url.db") as store:
        report, _ = ingest_cluster([page_dir.as_uri(), (tmp_path / "gone").as_uri()], store, None, analyse=False)
    assert report.stored == local.stored and len(local.stored) == 4
    assert [r.source for r in report.rejected] == [(tmp_path / "gone").as_uri()]


def test_containers_are_partitions_of_their_own():
    entries = ["a.html", "b.html", "c.warc.gz", "d.html", Rejection("x", "y"), "e.jsonl", "f.txt"]
    assert partitions(entries, 2) == [["a.html", "b.html"], ["c.warc.gz"], ["d.html", Rejection("x", "y")],
                                      ["e.jsonl"], ["f.txt"]]


def test_a_cluster_address_that_is_not_one_is_refused():
    for spec in ("local:0", "local:two", "10.0.0.1:8786"):
        with pytest.raises(Exception, match="--cluster"), connect(spec):
            pass


def test_a_re_run_on_a_cluster_extracts_and_parses_only_the_new_pages(tmp_path, monkeypatch):
    """The workers cannot see the store, so a re-run of `ingest --cluster` extracted and parsed every
    page again, to find it stored only when writing; now the client looks up what they read first,
    as a local run does, and only new pages are extracted and parsed."""
    from datetime import datetime, timedelta, timezone

    from feedsite import article_html, make_story

    import presswatch.engine.cluster
    import presswatch.engine.local

    folder = tmp_path / "pages"
    folder.mkdir()

    def write_story(number):
        story = make_story("The Saltcombe Herald", number, datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
                           + timedelta(hours=number))
        (folder / f"story-{number}.html").write_text(article_html("The Saltcombe Herald", story), encoding="utf-8")

    extracted, parsed = [], []
    extract, parse = presswatch.engine.local.extract_page, presswatch.engine.cluster.analyse_articles
    monkeypatch.setattr(presswatch.engine.local, "extract_page", lambda page: extracted.append(page.source) or extract(page))
    monkeypatch.setattr(presswatch.engine.cluster, "analyse_articles",
                        lambda articles: parsed.extend(a.id for a in articles) or parse(articles))
    for number in range(1, 5):
        write_story(number)
    with connect("local:1", processes=False, dashboard_address=None) as client, Store(tmp_path / "c.db") as store:
        first, _ = ingest_cluster([str(folder)], store, client, files_per_partition=2)
        assert len(first.stored) == 4 and len(extracted) == 4 == len(parsed)
        write_story(5)
        extracted.clear(), parsed.clear()
        again, analyses = ingest_cluster([str(folder)], store, client, files_per_partition=2)
    assert extracted == [str(folder / "story-5.html")] and parsed == again.stored == list(analyses)
    with Store(tmp_path / "local.db") as store:  # the same report as a local re-run's
        ingest([str(folder / f"story-{n}.html") for n in range(1, 5)], store)
        local = ingest([str(folder)], store)
    assert again.duplicates == local.duplicates and len(local.duplicates) == 4
    assert again.stored == local.stored
