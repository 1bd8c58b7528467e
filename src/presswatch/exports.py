"""Exports of the stored records as JSON Lines, CSV or Parquet.

Rows stream from the database in batches, so an export needs memory for one batch, not the whole
table. JSON Lines and Parquet keep lists and nested records as they are; CSV, which is flat, holds
them as JSON text (and leaves out an article's paragraphs, since its body holds the same text).
Parquet needs pyarrow, from the `export` extra. A statement carries its speaker's links (the
entity each person it names resolves to) and each one's canonical name, as the lists of
statements give them (`query.listings.linked_statements`), and a narrative's evidence the same
names, so one person spelled two ways ("Yevgeny Lomatsky", "Evgeny Lomatskiy") groups as one. The
speakers of SPEAKERS_AT_ONCE statements are resolved together, in a few queries (bench/exports.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from itertools import islice
from pathlib import Path

from presswatch.errors import PresswatchError
from presswatch.query.listings import linked_statements
from presswatch.records import Evidence, SpeakerLink
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.database import ARTICLE_COLUMNS, article_from_row
from presswatch.store.entities import SPEAKERS_AT_ONCE, canonical_speakers, speakers_links
from presswatch.store.statements import STATEMENT_COLUMNS, statement_from_row

WHAT = ("articles", "statements", "entities", "stories", "narratives")
FORMATS = ("jsonl", "csv", "parquet")
BATCH = 1000
PARQUET_MISSING = "Parquet export needs pyarrow, from the export extra: pip install 'presswatch[export]'"

# Column names and kinds, in export order: the one place a table's shape is written down, so CSV
# headers and Parquet schemas cannot drift apart. Kinds: str, int, float, [str], [int], [[int]], evidence
# (records.Evidence with its speaker_canonical) and links (records.SpeakerLink).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("id", "str"), ("page_id", "str"), ("url", "str"), ("title", "str"), ("body", "str"), ("paragraphs", "[str]"),
        ("outlet", "str"), ("published", "str"), ("author", "str"), ("credited_source", "str"), ("language", "str"),
        ("language_flag", "str"), ("body_hash", "str"),
    ),
    "statements": (
        ("id", "str"), ("article_id", "str"), ("speaker", "str"), ("speaker_name", "str"), ("speaker_role", "str"),
        ("speaker_kind", "str"), ("cue", "str"), ("content", "str"), ("mode", "str"), ("cue_span", "[int]"),
        ("speaker_span", "[int]"), ("content_spans", "[[int]]"), ("venue", "str"), ("addressee", "str"),
        ("date", "str"), ("confidence", "float"), ("speaker_links", "links"), ("speaker_canonical", "[str]"),
    ),
    "entities": (
        ("id", "str"), ("type", "str"), ("name", "str"), ("mentions", "int"), ("articles", "int"),
        ("first_seen", "str"), ("last_seen", "str"), ("aliases", "[str]"),
    ),
    "stories": (
        ("id", "str"), ("label", "str"), ("first_seen", "str"), ("last_seen", "str"), ("article_ids", "[str]"),
        ("outlets", "[str]"), ("key_entities", "[str]"),
    ),
    "narratives": (
        ("id", "str"), ("label", "str"), ("first_seen", "str"), ("last_seen", "str"), ("counter_of", "str"),
        ("evidence", "evidence"),
    ),
}
_CSV_LEFT_OUT = {"articles": {"paragraphs"}}


def records(store: Store, what: str) -> Iterator[dict]:
    """The rows of one kind of record, as plain dicts with the keys of `COLUMNS[what]` in order."""
    names = [name for name, _ in COLUMNS.get(what, ())]
    for row in _rows(store, what):
        yield {name: row[name] for name in names}


def _rows(store: Store, what: str) -> Iterator[dict]:
    if what == "articles":
        for row in store.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY rowid"):
            yield asdict(article_from_row(row))
    elif what == "statements":
        # As the lists of statements give them (`linked_statements`), a part's speakers resolved at once.
        rows = store.conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements ORDER BY rowid")
        while part := rows.fetchmany(SPEAKERS_AT_ONCE):
            for statement in linked_statements(store, [statement_from_row(row) for row in part]):
                yield asdict(statement)
    elif what == "entities":
        rows = store.conn.execute(
            "SELECT e.id, e.type, e.name, e.mentions, e.articles, e.first_seen, e.last_seen,"
            " (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases WHERE entity_id = e.id"
            "  ORDER BY mentions DESC, alias)) AS aliases FROM entities e ORDER BY e.mentions DESC, e.id"
        )
        for row in rows:
            yield {**dict(row), "aliases": json.loads(row["aliases"])}
    elif what == "stories":
        for story in story_store.stories(store):
            yield asdict(story)
    elif what == "narratives":
        # A claim, then its counter-narratives (`counter_of` names the claim), one row each.
        for narrative in story_store.narratives(store):
            for row in (narrative, *narrative.counters):
                yield {**asdict(row), "evidence": _named_evidence(store, row.evidence)}
    else:
        raise PresswatchError(f"cannot export {what!r}; choose one of: {', '.join(WHAT)}")


def _named_evidence(store: Store, evidence: Sequence[Evidence]) -> list[dict]:
    """A trail's evidence, each with its speaker's `speaker_canonical` (as a statement's in the
    statements export), SPEAKERS_AT_ONCE resolved at once."""
    named = []
    for start in range(0, len(evidence), SPEAKERS_AT_ONCE):
        part = evidence[start:start + SPEAKERS_AT_ONCE]
        canonical = canonical_speakers(store, speakers_links(store, [(e.speaker, e.article_id) for e in part]))
        named += [{**asdict(e), "speaker_canonical": list(names)} for e, names in zip(part, canonical)]
    return named


def write_export(store: Store, what: str, format: str, output: str | Path | None = None) -> int:
    """Write every record of a kind to `output` (standard output when None); returns the count."""
    if what not in WHAT:
        raise PresswatchError(f"cannot export {what!r}; choose one of: {', '.join(WHAT)}")
    if format not in FORMATS:
        raise PresswatchError(f"unknown export format {format!r}; choose one of: {', '.join(FORMATS)}")
    rows = records(store, what)
    if format == "parquet":
        if output is None:
            raise PresswatchError("Parquet is binary: give a file to write with --output/-o")
        with _replacing(Path(output)) as partial:
            return _write_parquet(rows, what, partial)
    if output is None:
        return _write_text(rows, what, format, sys.stdout)
    with _replacing(Path(output)) as partial, open(partial, "w", encoding="utf-8", newline="") as handle:
        return _write_text(rows, what, format, handle)


@contextmanager
def _replacing(output: Path) -> Iterator[Path]:
    """A file beside `output` that takes its place only once written whole: an export that fails
    half-way (a damaged database, a full disk) leaves the previous export as it was.

    A pipe or a device (/dev/stdout, a FIFO a reader waits on) is written in place: replacing it
    would put a plain file where it was. A symlink's target is replaced, and the link kept."""
    if output.exists() and not (output.is_file() or output.is_dir()):
        yield output
        return
    output = Path(os.path.realpath(output))
    partial = output.with_name(f".{output.name}.partial")
    try:
        yield partial
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def _write_text(rows: Iterator[dict], what: str, format: str, handle) -> int:
    return _write_jsonl(rows, handle) if format == "jsonl" else _write_csv(rows, what, handle)


def _write_jsonl(rows: Iterator[dict], handle) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(rows: Iterator[dict], what: str, handle) -> int:
    left_out = _CSV_LEFT_OUT.get(what, set())
    fields = [name for name, _ in COLUMNS[what] if name not in left_out]
    writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(_csv_cells(row))
        count += 1
    return count


def _csv_cells(row: dict) -> dict:
    """A row for CSV, which is flat: lists and nested records as JSON text."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple, dict)) else v for k, v in row.items()}


def records_csv(records: Sequence) -> str:
    """Records of one dataclass (a page of a listing) as CSV text, columns in field order."""
    handle = io.StringIO()
    rows = [asdict(record) for record in records]
    writer = csv.DictWriter(handle, fieldnames=[f.name for f in dataclass_fields(records[0])] if records else [])
    writer.writeheader()
    writer.writerows(_csv_cells(row) for row in rows)
    return handle.getvalue()


def _write_parquet(rows: Iterator[dict], what: str, output: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise PresswatchError(PARQUET_MISSING) from exc
    kinds = {
        "str": pa.string(), "int": pa.int64(), "float": pa.float64(), "[str]": pa.list_(pa.string()),
        "[int]": pa.list_(pa.int64()), "[[int]]": pa.list_(pa.list_(pa.int64())),
        "evidence": pa.list_(pa.struct([*((f.name, pa.string()) for f in dataclass_fields(Evidence)),
                                        ("speaker_canonical", pa.list_(pa.string()))])),
        "links": pa.list_(pa.struct([(f.name, pa.string()) for f in dataclass_fields(SpeakerLink)])),
    }
    schema = pa.schema([(name, kinds[kind]) for name, kind in COLUMNS[what]])
    count = 0
    with pq.ParquetWriter(output, schema) as writer:
        while batch := list(islice(rows, BATCH)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
