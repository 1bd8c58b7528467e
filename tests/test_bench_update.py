"""bench/update.py's store build resumes after an interruption and gives what one run gives."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
import update  # bench/ is no package: imported by path

# The derived tables, in an order that does not depend on when rows were written.
DERIVED = {
    "claim_members": "SELECT * FROM claim_members ORDER BY 1, 2",
    "story_articles": "SELECT * FROM story_articles ORDER BY 1, 2",
    "narratives": "SELECT id FROM narratives ORDER BY 1",
    "entities": "SELECT * FROM entities ORDER BY 1",
    "statements": "SELECT id FROM statements ORDER BY 1",
}


def _derived(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        return {name: conn.execute(query).fetchall() for name, query in DERIVED.items()}


def test_an_interrupted_build_resumes_to_the_store_one_run_builds(tmp_path, monkeypatch):
    monkeypatch.setattr(update, "CHUNK", 20)
    monkeypatch.setattr(update, "_vocabulary", lambda: [f"word{i}" for i in range(300)])
    whole = update.build(tmp_path / "whole.db", 40)
    assert whole["derived_through"] == 40 and whole["runs"] == 1

    derive = update.derive
    calls = []

    def derive_then_die(store):
        calls.append(1)
        if len(calls) == 2:  # the second chunk is stored but dies before it is brought up to date
            raise KeyboardInterrupt
        derive(store)

    monkeypatch.setattr(update, "derive", derive_then_die)
    with pytest.raises(KeyboardInterrupt):
        update.build(tmp_path / "resumed.db", 40)
    assert (tmp_path / "resumed.db.progress").exists()
    monkeypatch.setattr(update, "derive", derive)
    resumed = update.build(tmp_path / "resumed.db", 40)
    assert resumed["runs"] == 2 and not (tmp_path / "resumed.db.progress").exists()

    found, expected = _derived(tmp_path / "resumed.db"), _derived(tmp_path / "whole.db")
    assert all(expected.values()), "the generated store derives nothing to compare"
    assert found == expected
