from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a clean skip where the folder is absent (a plain clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


ROOT = Path(__file__).resolve().parents[1]


def golden(path: Path, found):
    """What a golden file holds; rewritten from `found` first when PRESSWATCH_UPDATE_GOLDEN is set,
    which is how an intended change is recorded (then review the diff before committing)."""
    if os.environ.get("PRESSWATCH_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_db(tmp_path_factory) -> Path:
    """The bundled example pages ingested and analysed once for every test that reads them."""
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest
    from presswatch.store import Store

    path = tmp_path_factory.mktemp("examples") / "examples.db"
    with Store(path) as store:
        report = ingest([str(ROOT / "examples")], store)
        assert not report.rejected, report.rejected
        analyse(store)
    return path


@pytest.fixture(scope="module")
def example_store(example_db):
    """`example_db` open, for a module's tests that only read it."""
    from presswatch.store import Store

    with Store(example_db) as store:
        yield store


def rewind_migrations(conn, script_part: str) -> None:
    """Mark a store as made before the migration whose script holds `script_part`, so opening it runs
    that one and the later ones again: the columns the later ones add are dropped first (adding one
    twice fails). The caller undoes the named migration itself, as its test requires."""
    from presswatch.store.schema import MIGRATIONS

    number = MIGRATIONS.index(next(m for m in MIGRATIONS if script_part in m))
    for script in MIGRATIONS[number + 1:]:
        for table, column in re.findall(r"ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", script):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute(f"PRAGMA user_version = {number}")


def hashing_embed(texts):
    """A stand-in sentence model: bags of hashed word stems, enough to tell topics apart."""
    rows = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            rows[row, int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % 64] += 1.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


@pytest.fixture
def stand_in_model(monkeypatch):
    """Search by meaning with `hashing_embed` for the model, as if the semantic extra were installed."""
    from presswatch.store import search as search_module

    monkeypatch.setattr(search_module, "_query_vector", lambda text: hashing_embed([text])[0])
    monkeypatch.setattr("presswatch.semantic.semantic_available", lambda: True)


def damage_a_body(path):
    """Bytes that are not UTF-8 where the store keeps text: what a damaged disk or a foreign writer leaves."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE articles SET body = CAST(x'56656c6d6f7574682cff20626172726965' AS TEXT)"
                     " WHERE rowid = (SELECT min(rowid) FROM articles)")
