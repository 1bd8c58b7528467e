"""The SQLite store: WAL mode, migrations on open, one transaction per page.

Writing page by page means an interrupted batch keeps every page it finished, and a re-run finds
those pages by id and skips them, so ingesting is idempotent.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np

from presswatch.errors import QueryError, StoreError, UnknownRecord
from presswatch.records import Article, ArticleHeading, ArticleOrigin, Page, Rejection, now_iso
from presswatch.store.schema import MIGRATIONS

DEFAULT_DB = "presswatch.db"
BUSY_TIMEOUT = 5.0  # seconds a statement waits for another connection's lock before giving up

ARTICLE_COLUMNS = (
    "id, page_id, url, title, body, paragraphs, outlet, published, author, credited_source, "
    "language, language_flag, body_hash"
)


# An ISO 8601 day, month or year, optionally with a time and offset: what the store compares as
# text. The API documents its date parameters with this very pattern.
ISO_DATE_PATTERN = (
    r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])"
    r"(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?)?)?$"
)
ISO_DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD, a time may follow (2025-04-02T09:30)"
LIKE_ESCAPE = "\\"  # the ESCAPE character of every LIKE whose pattern holds a user's words


def iso_date(value: str | None, name: str = "date") -> str | None:
    """`value` when it is an ISO date (a year, a month or a day, optionally with a time) or empty
    (no date), else QueryError. Dates are compared as text in the store, so anything else would match nothing."""
    if not value:
        return value
    day = re.match(ISO_DATE_PATTERN, value)
    try:
        if day is None:
            raise ValueError(value)
        # The pattern bounds months and days; the calendar knows which months have a 31st or a 29th.
        # Years repeat their leap days every 400 years, so year 0000 is checked as 2000 is.
        year, month, dom = (int(part) if part else 1 for part in day.groups()[:3])
        date(2000 + year % 400, month, dom)
    except ValueError:
        raise QueryError(f"{name} {value!r} is not an ISO date: give {ISO_DATE_FORMS}") from None
    return value


def date_window(column: str, since: str | None, until: str | None) -> tuple[list[str], list]:
    """Clauses (and their parameters) keeping the rows whose ISO date `column` falls within
    [since, until], either end open when None; `until` holds the whole of its period (2025 runs
    through 2025-12-31): an ISO date compares below every timestamp on that day, so it is bounded by
    the next character."""
    clauses, params = [], []
    if since:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{column} <= ?")
        params.append(until + "\uffff")
    return clauses, params


def like_literal(text: str) -> str:
    """`text` in a LIKE pattern (with ESCAPE LIKE_ESCAPE) standing for itself: its % and _ are no wildcards."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def default_db_path() -> str:
    return os.environ.get("PRESSWATCH_DB") or DEFAULT_DB


def _article_values(article: Article) -> tuple:
    """An article's columns after its id, in ARTICLE_COLUMNS' order."""
    return (
        article.page_id, article.url, article.title, article.body,
        json.dumps(list(article.paragraphs), ensure_ascii=False), article.outlet,
        article.published, article.author, article.credited_source, article.language,
        article.language_flag, article.body_hash,
    )


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        page_id=row["page_id"],
        url=row["url"],
        title=row["title"],
        body=row["body"],
        paragraphs=tuple(json.loads(row["paragraphs"])),
        outlet=row["outlet"],
        published=row["published"],
        author=row["author"],
        credited_source=row["credited_source"],
        language=row["language"],
        language_flag=row["language_flag"],
        body_hash=row["body_hash"],
    )


# Words of SQLite errors that mean the file itself is damaged, not busy, full or read-only.
_DAMAGE_SIGNS = ("malformed", "not a database", "could not decode")
_REASON_CHARS = 160  # SQLite quotes an undecodable cell's whole text; the reason stays one line


def store_failure(exc: sqlite3.DatabaseError) -> StoreError:
    """The StoreError for an SQLite error met after the database opened (a page damaged on disk,
    text another writer left undecodable, a full disk), so the faces print it instead of a traceback."""
    reason = " ".join(str(exc).split())
    if len(reason) > _REASON_CHARS:
        reason = reason[:_REASON_CHARS] + "…"
    if any(sign in reason.lower() for sign in _DAMAGE_SIGNS):
        hint = "; the file is damaged: `sqlite3 FILE .recover` salvages what it can"
    elif "readonly" in reason.lower():
        # SQLite writes its -wal and -shm files beside the database, so the folder counts too.
        hint = "; this command writes: allow writing to the file and its folder, or copy it where you can write"
    else:
        hint = ""
    return StoreError(f"the database failed ({reason}){hint}")


class Store:
    """One connection to the database at `path`, its schema brought up to date on open.

    `create=False` refuses a path where no database is (a mistyped --db would otherwise leave an
    empty database behind and answer every question with "no data").
    """

    def __init__(self, path: str | Path, *, create: bool = True):
        self.path = str(path)
        if Path(self.path).is_dir():
            raise StoreError(f"{self.path} is a folder: give a database file, as in --db {Path(self.path) / DEFAULT_DB}")
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise self._no_database()
        if self.path != ":memory:" and not Path(self.path).parent.is_dir():
            raise StoreError(f"no folder {Path(self.path).parent} for the database {self.path}: create it first")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            # First, so that every later statement waits for another process's lock.
            self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            self._refuse_a_file_presswatch_did_not_write(create)
            self._enter_wal()
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _no_database(self) -> StoreError:
        return StoreError(f"no database at {self.path}: `presswatch ingest` creates one (check --db or $PRESSWATCH_DB)")

    def _refuse_a_file_presswatch_did_not_write(self, create: bool) -> None:
        """Checked before anything is written: another program's SQLite database must not gain
        presswatch's tables (nor WAL mode), and a read command must not turn an empty file into an
        empty database that answers every question with "no data"."""
        if self.path == ":memory:" or self._schema_version() > 0:
            return
        if self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            raise StoreError(
                f"{self.path} is not a presswatch database (it holds another program's tables); give another --db"
            )
        if not create:
            raise self._no_database()

    def _enter_wal(self) -> None:
        """Switch to WAL mode (once per file; it persists). Two processes switching a new file at
        once can each hold the lock the other waits for; SQLite then answers "database is locked" at
        once rather than call the busy handler, so the switch is retried until BUSY_TIMEOUT."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        """Apply the migrations this database lacks, safely when several processes open it at once.

        The version is read again under the write lock (`transaction`): a process that waited for
        another to create the schema then finds it created, instead of creating it a second time.
        The statements run one by one because executescript would commit the transaction first.
        """
        if self._schema_version() == len(MIGRATIONS):
            return  # the usual case, with no write lock taken
        with self.transaction():
            version = self._schema_version()
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={number}")

    def _schema_version(self) -> int:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer presswatch (schema {version}, this one knows "
                f"{len(MIGRATIONS)}); upgrade presswatch"
            )
        return version

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole or, on any error or interrupt, rolled back whole.

        BEGIN IMMEDIATE takes the write lock at the start, so two writers wait for each other
        (busy_timeout) instead of failing half-way.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # -- writes --------------------------------------------------------------------------------

    def has_page(self, page_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM pages WHERE id = ?", (page_id,)).fetchone() is not None

    def article_with_body_hash(self, body_hash: str) -> str | None:
        row = self.conn.execute("SELECT id FROM articles WHERE body_hash = ? LIMIT 1", (body_hash,)).fetchone()
        return row["id"] if row else None

    def articles_at(self, url: str | None) -> list[Article]:
        """The articles stored at the address `url` (schema migration 34), first stored first."""
        if not url:
            return []
        rows = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = ? ORDER BY rowid", (url,))
        return [article_from_row(row) for row in rows]

    def outlets_starting(self, prefix: str) -> list[str]:
        """The distinct outlet names that open with `prefix` (any case), off the outlet index."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet LIKE ? ESCAPE '\\'", (pattern,))
        return [row["outlet"] for row in rows]

    def articles_of_outlet(self, outlet: str) -> list[tuple[str, str | None]]:
        """(id, url) of every article stored under the outlet name `outlet`."""
        rows = self.conn.execute("SELECT id, url FROM articles WHERE outlet = ?", (outlet,))
        return [(row["id"], row["url"]) for row in rows]

    def add_page(
        self,
        page: Page,
        article: Article | None,
        *,
        duplicate_of: str | None = None,
        minhash: bytes | None = None,
        bands: Sequence[int] = (),
        near_duplicates: Sequence[tuple[str, float]] = (),
        once_per_text: bool = False,
    ) -> str | None:
        """Store a page with its article (or a pointer to the article it duplicates), atomically.

        `bands` are the LSH band keys of the article's fingerprint, which `fingerprint_candidates`
        looks up for later articles. With `once_per_text`, an article whose text (body hash) the
        store already holds is not stored again: the page points at the stored one. That is checked
        under the write lock, so two processes storing the same text at once store it once (a
        caller's own look before it let both store it). Returns the id of the article the page
        was stored as a duplicate of, None when its own article was stored."""
        with self.transaction() as conn:
            if once_per_text and article is not None and duplicate_of is None:
                duplicate_of = self.article_with_body_hash(article.body_hash)
            self._add_page_row(page, duplicate_of or (article.id if article else None))
            if article is not None and duplicate_of is None:
                conn.execute(
                    f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}, minhash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article.id, *_article_values(article), minhash),
                )
                self._add_bands(article.id, bands)
                self._link_near_duplicates(article.id, near_duplicates)
        return duplicate_of

    def write_version(
        self, conn: sqlite3.Connection, page: Page, article_id: str, article: Article, *, minhash: bytes | None,
        bands: Sequence[int], near_duplicates: Sequence[tuple[str, float]],
    ) -> None:
        """Make `article` (read from `page`) the text of the stored article `article_id`, a new version
        of it, inside the caller's transaction (the engine's, which forgets what was derived from
        the old text in the same one). The article keeps its id and first arrival; its row, full-text
        and facet counts (by triggers), fingerprint bands and near-duplicate links follow the new text.
        The earlier versions' pages stay, pointing at the article: nothing read is lost."""
        self._add_page_row(page, article_id)
        conn.execute(
            "UPDATE articles SET (page_id, url, title, body, paragraphs, outlet, published, author, credited_source,"
            " language, language_flag, body_hash, minhash) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?",
            (*_article_values(article), minhash, article_id),
        )
        conn.execute("DELETE FROM fingerprint_bands WHERE article_id = ?", (article_id,))
        self._add_bands(article_id, bands)
        conn.execute("DELETE FROM article_links WHERE article_id = ? OR other_id = ?", (article_id, article_id))
        self._link_near_duplicates(article_id, [(other, sim) for other, sim in near_duplicates if other != article_id])

    def _add_page_row(self, page: Page, article_id: str | None) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO pages (id, source, kind, url, encoding, ingested_at, content, article_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (page.id, page.source, page.kind, page.url, page.encoding, page.ingested_at, page.content, article_id),
        )
        # a source once rejected and now read (a fixed file, a newer presswatch) is no longer rejected
        self.conn.execute("DELETE FROM rejections WHERE source = ?", (page.source,))

    def _link_near_duplicates(self, article_id: str, near_duplicates: Sequence[tuple[str, float]]) -> None:
        for other_id, similarity in near_duplicates:
            for a, b in ((article_id, other_id), (other_id, article_id)):
                self.conn.execute(
                    "INSERT OR IGNORE INTO article_links (article_id, other_id, kind, similarity)"
                    " VALUES (?, ?, 'near_duplicate', ?)",
                    (a, b, similarity),
                )

    def _add_bands(self, article_id: str, bands: Sequence[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO fingerprint_bands (band, article_id) VALUES (?, ?)", [(b, article_id) for b in bands]
        )

    def add_fingerprint_bands(self, rows: Sequence[tuple[str, Sequence[int]]]) -> None:
        """Index the fingerprints of articles stored before the bands were kept (a one-off per store)."""
        with self.transaction():
            for article_id, bands in rows:
                self._add_bands(article_id, bands)

    def unbanded_fingerprints(self, limit: int) -> list[tuple[str, bytes]]:
        rows = self.conn.execute(
            "SELECT a.id, a.minhash FROM articles a WHERE a.minhash IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM fingerprint_bands b WHERE b.article_id = a.id) LIMIT ?",
            (limit,),
        )
        return [(r[0], r[1]) for r in rows]

    def fingerprint_candidates(self, bands: Sequence[int]) -> list[tuple[str, bytes]]:
        """Articles sharing at least one band key with a fingerprint, with their signatures."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self.conn.execute(
            f"SELECT a.id, a.minhash FROM articles a WHERE a.id IN"
            f" (SELECT DISTINCT article_id FROM fingerprint_bands WHERE band IN ({marks}))",
            list(bands),
        )
        return [(r[0], r[1]) for r in rows]

    def add_rejection(self, rejection: Rejection) -> None:
        """Record why a source was not used: once per source, a re-run's reason replacing the last."""
        self.conn.execute(
            "INSERT INTO rejections (source, reason, at) VALUES (?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET reason = excluded.reason, at = excluded.at",
            (rejection.source, rejection.reason, now_iso()),
        )

    # -- reads ---------------------------------------------------------------------------------

    def resolve_article_id(self, prefix: str) -> str:
        """Accept a unique id prefix, as git does for commits, since full ids are long to type."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "\U0010ffff")
        ).fetchall()
        if not rows:
            raise UnknownRecord(f"no article with id {prefix!r}")
        if len(rows) > 1:
            raise QueryError(f"id prefix {prefix!r} is ambiguous; give more characters")
        return rows[0]["id"]

    def article(self, article_id: str) -> Article:
        full = self.resolve_article_id(article_id)
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (full,)).fetchone()
        return article_from_row(row)

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """Articles by their full ids, read a few hundred a query: the engine reads every member of
        the stories and narratives an update touches, one query each would cost twice the reading."""
        found = {}
        for part in in_list_parts(list(dict.fromkeys(article_ids))):
            for row in self.conn.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(part))})", part
            ):
                found[row["id"]] = article_from_row(row)
        return found

    def article_origins(self, article_ids: Iterable[str]) -> dict[str, ArticleOrigin]:
        """Outlet and date of articles by their full ids, from the covering index alone: the
        outlet column is stored after the body, so a plain read walks every body's pages."""
        found = {}
        for part in in_list_parts(list(dict.fromkeys(article_ids))):
            for row in self.conn.execute(
                "SELECT id, outlet, published FROM articles INDEXED BY articles_published_by_id"
                f" WHERE id IN ({','.join('?' * len(part))})", part
            ):
                found[row["id"]] = ArticleOrigin(row["id"], row["outlet"], row["published"])
        return found

    def article_headings(self, article_ids: Iterable[str]) -> dict[str, ArticleHeading]:
        """Title, outlet and date of articles by their full ids: the outlet and date from the covering
        index (they are stored after the body), the title from the row, where it comes before the body."""
        found = {}
        for part in in_list_parts(list(dict.fromkeys(article_ids))):
            for row in self.conn.execute(
                "SELECT o.id, a.title, o.outlet, o.published FROM articles o INDEXED BY articles_published_by_id"
                f" JOIN articles a ON a.rowid = o.rowid WHERE o.id IN ({','.join('?' * len(part))})", part
            ):
                found[row["id"]] = ArticleHeading(row["id"], row["title"], row["outlet"], row["published"])
        return found

    def articles(self) -> list[Article]:
        """Every stored article, newest first (undated last). Filtered pages of articles are
        `presswatch.query.listings.articles`."""
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY published IS NULL, published DESC, id"
        return [article_from_row(r) for r in self.conn.execute(sql)]

    def sources_of(self, article_id: str) -> list[str]:
        rows = self.conn.execute("SELECT source FROM pages WHERE article_id = ? ORDER BY source", (article_id,))
        return [r["source"] for r in rows]

    def near_duplicates(self, article_id: str) -> list[tuple[str, float]]:
        rows = self.conn.execute(
            "SELECT other_id, similarity FROM article_links WHERE article_id = ? AND kind = 'near_duplicate'"
            " ORDER BY similarity DESC",
            (article_id,),
        )
        return [(r["other_id"], r["similarity"]) for r in rows]

    def counts(self) -> dict[str, int]:
        return {
            table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("pages", "articles", "article_links", "rejections")
        }


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of `script`, split where SQLite's own parser says one is complete (so a
    trigger's body, with its inner semicolons, stays whole)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
    if statement.strip():
        yield statement


# SQLite's default limit on the host parameters of one statement is 32766; `IN (...)` lists of ids
# are sent in parts well below it.
IN_LIST_PART = 500


def dense_from_blob(data: bytes | None) -> np.ndarray | None:
    """A summed embedding as stored (float32 bytes), or None."""
    return np.frombuffer(data, dtype=np.float32).copy() if data is not None else None


def dense_blob(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def in_list_parts(items: Sequence, size: int = IN_LIST_PART) -> Iterator[Sequence]:
    """`items` in parts small enough for one `IN (?, ...)` list each."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """The store at `path` (default: $PRESSWATCH_DB or ./presswatch.db); with `create=False` a
    missing one is an error (the CLI's read commands)."""
    return Store(path or default_db_path(), create=create)


def request_store(request) -> Iterator[Store]:
    """A web request's store, as a FastAPI dependency of the API and the web UI alike: one
    connection per request (SQLite in WAL mode lets readers run beside the one writer), opened on
    the database the application was configured with (`app.state.db_path`). Never created here:
    `serve` creates it up front when it may ingest, so one deleted while the server runs is refused
    (503) rather than silently recreated empty and shown as a database with nothing in it."""
    store = Store(request.app.state.db_path, create=False)
    try:
        yield store
    finally:
        store.close()
