"""The per-page results of a run as a partitioned Parquet dataset, merged into a store later.

`presswatch ingest --out DIR` has each partition's worker write its results here, so no worker
needs the SQLite file; `presswatch load DIR` merges the dataset into a store in input order, and
the store's side (de-duplication, entities, stories, narratives) runs then. DIR may be a local
folder or any fsspec URL the workers and the loading machine can both reach.

Layout: one folder per record kind, one file per input partition, `<kind>/part-NNNNN.parquet`
(NNNNN the partition's place in the input order), plus `presswatch.json`, written last by the
client, which says the run finished ({"format": 1, "partitions": N}); `load` refuses a dataset
without it. Every table is written for every partition, empty where it has no rows.

Tables (columns are the record's fields from records.py, under the same names; text is `string`,
counts `int64`, scores `double`, the fingerprint `binary`, and tuples and dicts are JSON text):
- pages: Page, plus `seq` (int64, as every count), the item's place in its partition, shared with rejections.
- rejections: Rejection, plus `seq`: the pages and files that could not be used, and why.
- articles: Article (`paragraphs` JSON), one per page that holds one (article id = page id).
- fingerprints: `article_id`, `fingerprint` (the article's MinHash signature bytes).
- analyses: `article_id`, `skipped` (null when the article was parsed, else why not): one row for
  every article the analysis saw, so an article with no statements is known to be analysed.
- statements: Statement (`cue_span`, `speaker_span`, `content_spans` JSON), in the article's order.
- mentions: Mention, in the article's order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from presswatch.errors import DataFormatError, PresswatchError
from presswatch.records import (
    Article,
    ArticleAnalysis,
    ExtractedPage,
    Mention,
    Page,
    Rejection,
    SkippedRecords,
    Statement,
)

FORMAT = 1
MANIFEST = "presswatch.json"

# What one partition's worker found for one input item, in input order: the per-page result and,
# when the page gave an article that was analysed, the article's analysis.
Outcome = tuple[ExtractedPage | Rejection, ArticleAnalysis | None]


@dataclass(frozen=True)
class _Analysed:
    """An ArticleAnalysis's own row (its statements and mentions have tables of their own)."""

    article_id: str
    skipped: str | None


@dataclass(frozen=True)
class _Fingerprint:
    article_id: str
    fingerprint: bytes | None


_ORDERED = {"seq": "int"}  # the extra column of the tables whose rows interleave in input order
TABLES: dict[str, tuple[type, dict[str, str]]] = {
    "pages": (Page, _ORDERED),
    "rejections": (Rejection, _ORDERED),
    "articles": (Article, {}),
    "fingerprints": (_Fingerprint, {}),
    "analyses": (_Analysed, {}),
    "statements": (Statement, {}),
    "mentions": (Mention, {}),
}


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise PresswatchError("Parquet datasets need pyarrow: pip install 'presswatch[cluster]'") from None
    return pyarrow


def _arrow_type(annotation: str):
    pa = _pyarrow()
    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bytes": pa.binary()}
    return kinds.get(annotation.replace(" | None", ""), pa.string())  # anything else: JSON text


def _columns(kind: str) -> list[tuple[str, str]]:
    record, extra = TABLES[kind]
    return [(f.name, f.type) for f in fields(record)] + list(extra.items())


def schema(kind: str):
    pa = _pyarrow()
    return pa.schema([(name, _arrow_type(annotation)) for name, annotation in _columns(kind)])


def _is_json(annotation: str) -> bool:
    return annotation.replace(" | None", "") not in ("str", "int", "float", "bytes")


def _row(record, **extra) -> dict[str, Any]:
    row = {}
    for f in fields(record):
        value = getattr(record, f.name)
        row[f.name] = json.dumps(value, ensure_ascii=False) if _is_json(f.type) and value is not None else value
    return {**row, **extra}


def _record(kind: str, row: dict[str, Any]):
    record, _ = TABLES[kind]
    values = {}
    for f in fields(record):
        value = row[f.name]
        values[f.name] = _tuples(json.loads(value)) if _is_json(f.type) and value is not None else value
    return record(**values)


def _tuples(value):
    """JSON arrays back into the tuples the records hold (dicts, such as a page's hints, stay)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _filesystem(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise PresswatchError("Parquet datasets are written through fsspec: pip install 'presswatch[cluster]'") from None
    return url_to_fs(url)


def _part(index: int) -> str:
    return f"part-{index:05d}.parquet"


def write_partition(out: str, index: int, outcomes: Sequence[Outcome]) -> None:
    """Write one partition's outcomes, every table (an interrupted run rewrites whole partitions)."""
    pa = _pyarrow()
    rows: dict[str, list[dict]] = {kind: [] for kind in TABLES}
    for seq, (result, analysis) in enumerate(outcomes):
        if isinstance(result, Rejection):
            rows["rejections"].append(_row(result, seq=seq))
            continue
        if isinstance(result, SkippedRecords):  # reported by the run that writes the dataset, not kept in it
            continue
        rows["pages"].append(_row(result.page, seq=seq))
        if result.article is not None:
            rows["articles"].append(_row(result.article))
            rows["fingerprints"].append(_row(_Fingerprint(result.article.id, result.fingerprint)))
        if analysis is not None:
            rows["analyses"].append(_row(_Analysed(analysis.article_id, analysis.skipped)))
            rows["statements"].extend(_row(s) for s in analysis.statements)
            rows["mentions"].extend(_row(m) for m in analysis.mentions)
    fs, root = _filesystem(out)
    for kind, table_rows in rows.items():
        fs.makedirs(f"{root}/{kind}", exist_ok=True)
        table = pa.Table.from_pylist(table_rows, schema=schema(kind))
        pa.parquet.write_table(table, f"{root}/{kind}/{_part(index)}", filesystem=fs)


def write_manifest(out: str, partitions: int) -> None:
    fs, root = _filesystem(out)
    fs.makedirs(root, exist_ok=True)
    with fs.open(f"{root}/{MANIFEST}", "w") as handle:
        json.dump({"format": FORMAT, "partitions": partitions}, handle)


def read_outcomes(out: str) -> Iterator[Outcome]:
    """The dataset's outcomes in input order, one partition in memory at a time."""
    fs, root = _filesystem(out)
    if not fs.exists(root):
        raise DataFormatError(f"no dataset at {out}: give the folder (or storage URL) `presswatch ingest --out` wrote")
    try:
        with fs.open(f"{root}/{MANIFEST}") as handle:
            manifest = json.load(handle)
    except FileNotFoundError:
        raise DataFormatError(
            f"{out} is not a finished presswatch dataset (no {MANIFEST}: the run that wrote it did not end)"
        ) from None
    except ValueError as exc:
        raise DataFormatError(f"{out}/{MANIFEST} is not valid JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise DataFormatError(f"{out} is in dataset format {manifest.get('format')!r}; this presswatch reads {FORMAT}")
    for index in range(int(manifest["partitions"])):
        yield from _partition_outcomes(fs, root, index)


def _partition_outcomes(fs, root: str, index: int) -> Iterator[Outcome]:
    pa = _pyarrow()
    tables = {}
    for kind in TABLES:
        path = f"{root}/{kind}/{_part(index)}"
        try:
            tables[kind] = pa.parquet.read_table(path, filesystem=fs, schema=schema(kind)).to_pylist()
        except FileNotFoundError:
            raise DataFormatError(f"the dataset lacks {path}: it was not written whole") from None
    articles = {row["page_id"]: _record("articles", row) for row in tables["articles"]}
    prints = {row["article_id"]: row["fingerprint"] for row in tables["fingerprints"]}
    said, named = defaultdict(list), defaultdict(list)
    for row in tables["statements"]:
        said[row["article_id"]].append(_record("statements", row))
    for row in tables["mentions"]:
        named[row["article_id"]].append(_record("mentions", row))
    analyses = {
        row["article_id"]: ArticleAnalysis(row["article_id"], tuple(said[row["article_id"]]),
                                           tuple(named[row["article_id"]]), row["skipped"])
        for row in tables["analyses"]
    }
    items = [(row["seq"], "pages", row) for row in tables["pages"]]
    items += [(row["seq"], "rejections", row) for row in tables["rejections"]]
    for _, kind, row in sorted(items, key=lambda item: item[0]):
        if kind == "rejections":
            yield _record(kind, row), None
            continue
        page = _record(kind, row)
        article = articles.get(page.id)
        if article is None:
            yield ExtractedPage(page, None), None
        else:
            yield ExtractedPage(page, article, prints.get(article.id)), analyses.get(article.id)
