"""Statements in the store: an article's set replaced whole, inside the transaction of the analysis
batch that found it (store/analysis.save_analyses); read per article."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from presswatch.records import Statement
from presswatch.store.database import Store

STATEMENT_COLUMNS = (
    "id, article_id, speaker, speaker_name, speaker_role, speaker_kind, cue, content, mode, cue_start, cue_end,"
    " speaker_start, speaker_end, content_spans, venue, addressee, date, confidence, claim"
)


# The order statements are listed in: newest first by `statements.day` (STATEMENT_DAY kept, off the
# statements_day index; SQLite sorts NULL lowest, so undated last), in reading order within an article.
LISTING_ORDER = "s.day DESC, s.article_id, s.cue_start"


def statement_day(date: str, published: str) -> str:
    """SQL for when a statement was made, as an ISO date: its own date where the text gave one
    that could be normalised ("2025-03-11"), else its article's ("in January" cannot be placed
    in a window)."""
    return f"(CASE WHEN {date} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN {date} ELSE {published} END)"


def replace_statements(store: Store, article_id: str, statements: Sequence[Statement]) -> None:
    """Swap an article's statements for a new set in a transaction of its own (the analysis pass
    writes them inside its batch's, with `write_statements`; this serves tests and scripts)."""
    with store.transaction() as conn:
        write_statements(conn, article_id, statements)


def write_statements(conn: sqlite3.Connection, article_id: str, statements: Sequence[Statement]) -> None:
    """Replace an article's statements inside the caller's transaction."""
    conn.execute("DELETE FROM unclustered_statements WHERE statement_id IN"
                 " (SELECT id FROM statements WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM statements WHERE article_id = ?", (article_id,))
    conn.executemany(f"INSERT INTO statements ({STATEMENT_COLUMNS}) VALUES ({', '.join('?' * 19)})", [_row(s) for s in statements])
    # Their day is kept, so listings page off the statements_day index instead of sorting them all.
    conn.execute(f"UPDATE statements SET day = {statement_day('date', '(SELECT published FROM articles WHERE id = ?)')}"
                 " WHERE article_id = ?", (article_id, article_id))
    # Queued for clustering (engine/narratives.py), unless an earlier analysis clustered its claim.
    conn.executemany(
        "INSERT OR IGNORE INTO unclustered_statements SELECT ? WHERE NOT EXISTS"
        " (SELECT 1 FROM claim_members WHERE statement_id = ?)", [(s.id, s.id) for s in statements])


def _row(s: Statement) -> tuple:
    speaker_start, speaker_end = s.speaker_span or (None, None)
    return (
        s.id, s.article_id, s.speaker, s.speaker_name, s.speaker_role, s.speaker_kind, s.cue, s.content, s.mode,
        s.cue_span[0], s.cue_span[1], speaker_start, speaker_end, json.dumps([list(p) for p in s.content_spans]),
        s.venue, s.addressee, s.date, s.confidence, s.claim,
    )


def statement_from_row(row: sqlite3.Row) -> Statement:
    speaker_span = (row["speaker_start"], row["speaker_end"]) if row["speaker_start"] is not None else None
    return Statement(
        id=row["id"], article_id=row["article_id"], speaker=row["speaker"], speaker_name=row["speaker_name"],
        speaker_role=row["speaker_role"], speaker_kind=row["speaker_kind"], cue=row["cue"], content=row["content"],
        mode=row["mode"], cue_span=(row["cue_start"], row["cue_end"]), speaker_span=speaker_span,
        content_spans=tuple(tuple(p) for p in json.loads(row["content_spans"])), venue=row["venue"],
        addressee=row["addressee"], date=row["date"], confidence=row["confidence"], claim=row["claim"],
    )


def article_statements(store: Store, article_id: str) -> list[Statement]:
    """An article's statements in reading order. Statements across articles, filtered and paged,
    are `presswatch.query.listings.statements`."""
    rows = store.conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE article_id = ? ORDER BY cue_start", (article_id,))
    return [statement_from_row(r) for r in rows]


def listed_dates(store: Store, statement_ids: Sequence[str]) -> list[tuple[str, str | None, str | None]]:
    """(id, own date, article's date) of each of these statements, in LISTING_ORDER: an entity's
    statements are counted by date and paged through without being read whole."""
    return [(r[0], r[1], r[2]) for r in store.conn.execute(
        # each article's date from the index, not its row with the body
        "SELECT s.id, s.date, a.published FROM statements s JOIN articles a INDEXED BY articles_published_by_id"
        f" ON a.id = s.article_id WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY {LISTING_ORDER}",
        (json.dumps(list(statement_ids)),))]


def latest_statement_day(store: Store) -> str | None:
    """The last calendar day (YYYY-MM-DD) a statement was made on, None when no statement has one:
    the top of the statements_day index, where working out every statement's day from its article
    took 550 ms CPU on bench/listings.py's 100k store."""
    row = store.conn.execute(
        "SELECT substr(day, 1, 10) FROM statements WHERE day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
        " ORDER BY day DESC LIMIT 1").fetchone()
    return row[0] if row else None
