"""Faults: `kill -9` at random moments and at every step boundary of ingest and analyse loses
nothing, duplicates nothing, and the next plain run ends where an uninterrupted one does; a second
analysis on the same database is refused while one runs (by CLI and by API); two ingests storing
the same text at once store it once; a page that cannot be stored because another process holds
the database is not rejected.

The processes are real `presswatch` processes. To die at a chosen step boundary, the CLI runs under
`DIE_AT` (below), which replaces one engine function with a SIGKILL of its own process at its Nth
call, so the product carries no test hook.
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from fastapi.testclient import TestClient
from test_engine import snapshot

from presswatch.api.app import create_app
from presswatch.engine.analyse import analyse
from presswatch.engine.local import ingest
from presswatch.errors import BusyError
from presswatch.store import Store

# argv: TARGET (module:function) N, then the presswatch command line. The call before which the
# process kills itself; every earlier call runs as usual.
DIE_AT = """
import importlib, os, signal, sys
target, nth, *args = sys.argv[1:]
module_name, name = target.split(":")
module, calls = importlib.import_module(module_name), []
original = getattr(module, name)
def dying(*a, **k):
    calls.append(1)
    if len(calls) == int(nth):
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*a, **k)
setattr(module, name, dying)
sys.argv = ["presswatch", *args]
from presswatch.cli import main
main()
"""
# The step boundaries of a run, in order: after the first parse batch is stored (call 1 stores the
# article no model reads), before entities, before stories, before narratives.
BOUNDARIES = [("presswatch.engine.analyse:save_analyses", 2), ("presswatch.engine.entities:update_entities", 1),
              ("presswatch.engine.corpus:update_stories", 1), ("presswatch.engine.narratives:update_narratives", 1)]
KILLS = 8  # random ones: each run costs a spaCy load (~3-8 s here), so the file stays under ~90 s
RUN_TIMEOUT = 180  # seconds; one clean run of the examples takes ~10 s on a 2-core machine
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}


def presswatch(*args: str) -> list[str]:
    return [sys.executable, "-c", "from presswatch.cli import main; main()", *args]


def dying_at(target: str, nth: int, *args: str) -> list[str]:
    return [sys.executable, "-c", DIE_AT, target, str(nth), *args]


def ingest_examples(db: Path) -> list[str]:
    # One worker: the parent is the process killed, and a run costs one spaCy load, not three.
    return ["ingest", str(ROOT / "examples"), "--db", str(db), "--workers", "1"]


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)


def assert_whole(path: Path, reference: dict, reference_pages: list) -> None:
    """Intact, every page once, counters equal to what they count, the full-text indexes holding
    exactly their tables' rows, no row pointing at one that is not there, derived tables as a
    clean run's."""
    with Store(path) as store:
        def q(sql):
            return [tuple(r) for r in store.conn.execute(sql)]

        assert q("PRAGMA integrity_check") == [("ok",)]
        assert q("PRAGMA foreign_key_check") == []
        for index in ("articles_fts", "statements_fts"):  # rank 1: against the table, not only itself
            store.conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        assert q("SELECT statement_id FROM claim_members m WHERE NOT EXISTS "
                 "(SELECT 1 FROM claim_clusters c WHERE c.id = m.cluster_id)") == []
        assert sorted(q("SELECT id FROM pages")) == reference_pages
        assert q("SELECT article_id, cue_start, content FROM statements GROUP BY 1, 2, 3 HAVING COUNT(*) > 1") == []
        assert q("SELECT id FROM entity_names n WHERE mentions != "
                 "(SELECT COUNT(*) FROM entity_mentions m WHERE m.name_id = n.id)") == []
        assert q("SELECT article_id FROM analysis_progress p WHERE statements != "
                 "(SELECT COUNT(*) FROM statements s WHERE s.article_id = p.article_id) OR mentions != "
                 "(SELECT COUNT(*) FROM entity_mentions m WHERE m.article_id = p.article_id)") == []
    assert snapshot(path) == reference


@pytest.fixture(scope="module")
def reference(example_db) -> tuple[dict, list]:
    with Store(example_db) as store:
        pages = sorted(tuple(r) for r in store.conn.execute("SELECT id FROM pages"))
    return snapshot(example_db), pages


def test_kills_at_every_step_boundary_and_at_random_lose_and_duplicate_nothing(tmp_path, reference):
    started = time.monotonic()
    # Every boundary in turn on one database: each run is killed at the next step the last one reached.
    path = tmp_path / "boundaries.db"
    for (target, nth), command in zip(BOUNDARIES, ["ingest", "analyse", "analyse", "analyse"]):
        args = ingest_examples(path) if command == "ingest" else ["analyse", "--db", str(path), "--workers", "1"]
        died = run(dying_at(target, nth, *args))
        assert died.returncode == -signal.SIGKILL, (target, died.stderr[-2000:])
    assert run(presswatch(*ingest_examples(path))).returncode == 0
    assert_whole(path, *reference)

    # Random moments, seeded: runs on one database killed until one is let finish (or ends first),
    # then the check and a fresh database, until KILLS kills have landed in a running process.
    chance, landed, runs, checked = random.Random(13), 0, 0, 1
    path = tmp_path / "random0.db"
    while landed < KILLS and runs < 3 * KILLS:
        runs += 1
        process = subprocess.Popen(presswatch(*ingest_examples(path)), env=ENV, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=chance.uniform(1.0, 6.0))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=RUN_TIMEOUT)
            landed += 1
            continue
        assert process.returncode == 0
        assert_whole(path, *reference)
        checked += 1
        path = tmp_path / f"random{runs}.db"
    if path.exists():
        assert run(presswatch(*ingest_examples(path))).returncode == 0
        assert_whole(path, *reference)
        checked += 1
    assert landed == KILLS, f"only {landed} of {runs} runs were still running when killed"
    print(f"{len(BOUNDARIES)} boundary kills and {landed} random kills in {runs} runs; {checked} databases "
          f"checked whole in {time.monotonic() - started:.0f} s")


def hold_run_lock(db: Path):
    """This test process takes the analysis lock as a running analysis would."""
    lock = open(f"{db}.analyse.lock", "a+", encoding="ascii")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    lock.truncate(0)
    lock.write(str(os.getpid()))
    lock.flush()
    return lock


@pytest.fixture
def pending_db(tmp_path) -> Path:
    path = tmp_path / "pending.db"
    with Store(path) as store:
        ingest([str(ROOT / "examples" / "html")], store)
    return path


def test_a_second_analysis_is_refused_while_another_process_runs_one(pending_db):
    with hold_run_lock(pending_db):
        refused = run(presswatch("analyse", "--db", str(pending_db), "--workers", "1"))
        assert refused.returncode == 1
        said = " ".join((refused.stdout + refused.stderr).split())
        assert f"another analysis is running on {pending_db} (pid {os.getpid()})" in said
        assert "Traceback" not in said
        with Store(pending_db) as store:
            assert store.conn.execute("SELECT COUNT(*) FROM analysis_progress").fetchone()[0] == 0
            with pytest.raises(BusyError, match="run again when it ends"):
                analyse(store)
    # Released (as the OS releases it when the holder dies): the next run goes ahead.
    with Store(pending_db) as store:
        assert analyse(store).articles > 0


def test_a_database_reached_through_a_symlink_is_refused_too(pending_db, tmp_path):
    """The lock was named after the path given: an analysis through a symlink took another lock,
    ran beside the first, and one of them died on a UNIQUE constraint of the claim postings."""
    link = tmp_path / "link.db"
    link.symlink_to(pending_db)
    with hold_run_lock(pending_db), Store(link) as store, pytest.raises(BusyError, match="another analysis is running"):
        analyse(store)


def test_the_api_answers_409_while_another_process_analyses(pending_db):
    page = "<html><head><title>Velmouth ferry resumes</title></head><body>" + "<p>The ferry runs again. " * 20 + "</p></body></html>"
    with hold_run_lock(pending_db), TestClient(create_app(str(pending_db), token="t"), base_url="http://127.0.0.1") as client:
        answer = client.post("/api/ingest", json={"pages": [{"content": page, "name": "ferry.html"}]},
                             headers={"Authorization": "Bearer t"})
    assert answer.status_code == 409, answer.text
    assert "another analysis is running" in answer.json()["error"]


def test_a_database_in_memory_needs_no_lock(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(":memory:") as store:
        assert analyse(store).articles == 0
    assert list(tmp_path.iterdir()) == []


MIRRORED_PAGE = ("<html><head><title>Marsk mill to close</title></head><body><article><h1>Marsk mill to close</h1>"
                 + "<p>The Marsk paper mill will close in June, its owners said on Tuesday, ending a century of "
                   "papermaking in the town. Four hundred workers will lose their jobs.</p>" * 3
                 + "</article></body></html>")


def test_two_processes_storing_the_same_text_at_once_store_it_once(tmp_path, monkeypatch):
    """Each ingest looks for a stored article with the same text before it stores its own. Two
    processes ingesting a page and its mirror (the same article, other markup) at once both looked
    before either stored, and stored the text twice (~70 of 150 mirrored pages, measured)."""
    from presswatch.engine import local
    from presswatch.records import HTML, Page

    page = Page.make("mill.html", HTML, MIRRORED_PAGE)
    mirror = Page.make("mirror/mill.html", HTML, MIRRORED_PAGE.replace("<body>", "<body><!-- mirrored -->"))
    path = tmp_path / "race.db"
    with Store(path) as store, Store(path) as other_process:
        find = local.near_duplicates

        def meanwhile(signature, candidates):  # between this process's look and its write
            monkeypatch.setattr(local, "near_duplicates", find)
            assert local.ingest_items([mirror], other_process).stored == [mirror.id]
            return find(signature, candidates)

        monkeypatch.setattr(local, "near_duplicates", meanwhile)
        report = local.ingest_items([page], store)
        assert report.stored == [] and report.duplicates == [("mill.html", f"same article text as {mirror.id}")]
        assert [r[0] for r in store.conn.execute("SELECT id FROM articles")] == [mirror.id]
        assert dict(store.conn.execute("SELECT id, article_id FROM pages")) == {page.id: mirror.id, mirror.id: mirror.id}


def test_a_page_the_database_is_too_busy_to_store_is_not_rejected(tmp_path, monkeypatch):
    """Another process writing for longer than the busy timeout (a long analysis step) made the
    page being stored a rejection once that process let go, 'internal error while storing it
    (database is locked)'; a collected item was then marked rejected for good, though nothing was
    wrong with it. The run now stops with the database's error, and the next stores the page."""
    import sqlite3

    from presswatch.engine import local
    from presswatch.records import HTML, Page

    page = Page.make("mill.html", HTML, MIRRORED_PAGE)
    path = tmp_path / "busy.db"
    with Store(path) as store:
        store.conn.execute("PRAGMA busy_timeout=50")
        other_process = sqlite3.connect(path, isolation_level=None)
        other_process.execute("BEGIN IMMEDIATE")
        save = local.save_extracted

        def busy_until_it_failed(*args):
            try:
                return save(*args)
            finally:  # the other process's write ends just after this one gave up waiting
                if other_process.in_transaction:
                    other_process.execute("ROLLBACK")

        monkeypatch.setattr(local, "save_extracted", busy_until_it_failed)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            local.ingest_items([page], store)
        other_process.close()
        assert store.conn.execute("SELECT COUNT(*) FROM rejections").fetchone()[0] == 0
        assert local.ingest_items([page], store).stored == [page.id]
