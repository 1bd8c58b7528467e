"""Search over articles and statements: by words (FTS5, bm25), by meaning (sentence vectors), or both.

The public functions here are what the query layer builds every list and search of the faces on
(`presswatch.query.listings`, the views, briefings, watchlists):

- `search(store, query, mode=..., kinds=..., filters=..., limit=..., offset=..., sort=...)` ranks
  articles and statements for a query (best or newest first) and returns `SearchResults`;
- `list_articles` / `list_statements` page through records that pass the same `SearchFilters`,
  newest first, with no query (`article_page` / `statement_page`: with their total).

Lists from different indexes (article words, statement words, article and statement meaning) are
merged by reciprocal rank fusion: bm25 and cosine scores are not on one scale, ranks are. What
people type is read by `fts_query.parse_query` (apostrophes, hyphens, dots and colons are words;
quotes, AND/OR/NOT, parentheses and prefix* are operators).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from presswatch.errors import QueryError, UnknownRecord
from presswatch.records import Article, Statement
from presswatch.store import stories as story_store
from presswatch.store.database import (
    ARTICLE_COLUMNS,
    LIKE_ESCAPE,
    Store,
    article_from_row,
    date_window,
    iso_date,
    like_literal,
)
from presswatch.store.entities import (
    entity_named,
    find_entities,
    resolve_name,
    speaker_statement_ids,
)
from presswatch.store.fts_query import ParsedQuery, parse_query
from presswatch.store.statements import (
    LISTING_ORDER,
    STATEMENT_COLUMNS,
    statement_day,
    statement_from_row,
)
from presswatch.store.vectors import (
    ARTICLE,
    KINDS,
    SEMANTIC_MISSING,
    STATEMENT,
    VectorMatrix,
    has_vectors,
    similarities,
)

TEXT, MEANING, HYBRID, AUTO = "text", "meaning", "hybrid", "auto"
MODES = (AUTO, TEXT, MEANING, HYBRID)
RELEVANCE, DATE = "relevance", "date"
SORTS = (RELEVANCE, DATE)
# What a search looks for, as the faces spell it: one kind (singular or plural) or both. The CLI
# grew "articles|statements|both", the API "all|article|statement", the web "article|statement";
# every face takes every spelling, so a search copied from one face to another means the same.
BOTH = "both"
KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    BOTH: KINDS, "all": KINDS,
    ARTICLE: (ARTICLE,), f"{ARTICLE}s": (ARTICLE,),
    STATEMENT: (STATEMENT,), f"{STATEMENT}s": (STATEMENT,),
}
# The relevance floor of search by meaning: an item whose cosine similarity to the query (all-MiniLM-L6-v2)
# is below it is not a match, however few items pass. Chosen by `tools/meaning_floor.py` on
# `tools/data/meaning_floor.jsonl` (24 invented news queries, each with 3 paraphrased related sentences
# and the other 69 as unrelated): the best F2 there (precision 0.73, recall 0.97 over the pairs). A
# statement and an article's headline are sentences such as those; an article's similarity is its
# headline's or its opening's, the higher (store/vectors.py). Over `tests/data/search_queries.jsonl`'s
# (query, article) pairs the floor passes 59 of 64 related and 129 of 1,145 unrelated with headlines,
# 56 and 118 by openings alone (`tools/search_ranking.py`).
MEANING_FLOOR = 0.30
MAX_QUERY_CHARS = 1000
# Reciprocal rank fusion's damping constant, the value its authors found robust (Cormack et al. 2009).
RRF_K = 60
# In hybrid search each list is cut at this depth before fusion (deeper when the page lies further on).
FUSION_DEPTH = 100
# How many words of an item every face shows as its snippet: FTS5's snippet around the matched words,
# and `opening_words` wherever there are none (a hit by meaning, a watchlist item, a list not searched).
SNIPPET_WORDS = 24
_MARK_START, _MARK_END = "\x02", "\x03"
# When a statement was made, as an ISO date (stored as statements.day, for the listing's order).
STATEMENT_DAY = statement_day("s.date", "a.published")
# Per kind: its table's alias, the rows the filter clauses read (a statement with its article), its date.
_TABLES = {
    ARTICLE: ("a", "articles a", "a.published"),
    STATEMENT: ("s", "statements s JOIN articles a ON a.id = s.article_id", STATEMENT_DAY),
}


@dataclass(frozen=True)
class SearchFilters:
    """What every hit must satisfy. All optional; dates are ISO (a day or a full timestamp).

    `speaker` is a name: it matches statements whose speaker resolves to the entity of that name
    (when exactly one entity has it) or whose speaker is written so (whole name or surname), and
    articles that hold such a statement. `entity` is an entity id or name: it matches articles that
    mention it and statements it made or that name it in their words. `narrative` is a narrative id
    (a unique prefix is enough): its statements, and the articles they come from. Dates are the
    publication date for articles and, for statements, the date it was made (its article's date when
    the text gives none that is a calendar date).

    `arrived_after` and `arrived_through` bound when an item was first stored, as arrival numbers
    (`store/watchlists.py`): a watchlist's new items are its search's hits that arrived after its
    last-seen mark.
    """

    outlet: str | None = None
    speaker: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    narrative: str | None = None
    arrived_after: int | None = None
    arrived_through: int | None = None

    def __post_init__(self) -> None:
        iso_date(self.since, "since")
        iso_date(self.until, "until")
        # `until` holds the whole of its period (2025 runs through 2025-12-31), so a window is empty
        # only when `since` is later and not within it; said, lest "no hits" read as "nothing said".
        if self.since and self.until and self.since > self.until and not self.since.startswith(self.until):
            raise QueryError(f"since {self.since!r} is after until {self.until!r}: no date falls between them")


@dataclass(frozen=True)
class Hit:
    """One article or statement that matched, with where it came from.

    `snippet` is plain text; `highlights` are (start, end) offsets into it of the words the query
    matched (none for meaning-only hits), so a face can mark them after escaping the text.
    `score` is higher for better hits and comparable only within one `SearchResults` (sorted by
    date, a hit found by words alone has score 0: the date order does not rank them);
    `similarity` is the cosine similarity of an item found by meaning to the query (an article's:
    the higher of its headline's and its opening's; 0 to 1 in practice, comparable across searches;
    never below MEANING_FLOOR), None for one found by words only.
    """

    kind: str  # "article" | "statement"
    id: str  # the article's or the statement's id
    article_id: str
    title: str | None  # the article's headline
    outlet: str | None
    date: str | None  # publication date of an article, date a statement was made
    speaker: str | None  # statements only
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    score: float = 0.0
    matched_by: tuple[str, ...] = ()  # "text", "meaning" or both
    similarity: float | None = None


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[Hit, ...]
    mode: str  # the mode that ran: "text", "meaning" or "hybrid" ("auto" resolved)
    total: int  # every match that passes the filters (hits is one page of them)
    sort: str = RELEVANCE  # "relevance" (best first) or "date" (newest first)
    notes: tuple[str, ...] = field(default=())  # e.g. why "auto" fell back to words only
    # Each kind searched -> its matches (`total` is their sum), so a face showing every kind's count
    # asks `match_totals` only for the kinds not searched.
    totals_by_kind: dict[str, int] = field(default_factory=dict)


def search(
    store: Store,
    query: str,
    *,
    mode: str = AUTO,
    kinds: Sequence[str] = KINDS,
    filters: SearchFilters = SearchFilters(),
    limit: int = 20,
    offset: int = 0,
    sort: str = RELEVANCE,
    snippets: bool = True,
) -> SearchResults:
    """Articles and statements for a query, best first (`sort="date"`: newest first).

    `mode`: "text" (words as typed; "a phrase", prefix*, AND/OR/NOT, parentheses, NEAR(a b, 10)),
    "meaning" (sentence vectors, down to MEANING_FLOOR; needs the semantic extra and
    `presswatch index`), "hybrid" (both, fused), or "auto" (hybrid where vectors exist, else text).
    `snippets=False` leaves every hit's snippet empty, for a view that counts the hits (volume,
    facets) rather than shows them.
    Raises QueryError, in words, for an empty, overlong or malformed query, an unknown mode, kind or
    sort, or meaning search without the extra or vectors.
    """
    run = _prepared(store, query, mode, kinds, sort, filters, limit=limit, offset=offset)
    # Words or meaning alone rank each kind once, so the page's own depth is enough; fusing both
    # needs deeper lists, as an item low in each can outrank one high in one.
    depth = max(FUSION_DEPTH, offset + limit) if run.mode == HYBRID else offset + limit
    lists: list[list[Hit]] = []
    newest = sort == DATE
    near = run.near(store)
    if run.mode in (TEXT, HYBRID):
        lists += [_text_hits(store, run.parsed.fts, kind, run.resolved, depth, newest) for kind in run.kinds]
    if run.vector is not None:
        lists += [_meaning_hits(store, *near[kind], kind, run.resolved, depth, newest) for kind in run.kinds]
    if len(lists) == 1:
        hits = lists[0]
    elif run.mode == MEANING:  # cosine similarities from one model compare across kinds
        hits = sorted((h for hits in lists for h in hits), key=lambda h: (-h.score, h.kind, h.id))
    else:
        hits = fuse(lists)
    if newest:  # each list holds its kind's newest matches; merged, the newest of all come first
        hits = sorted(hits, key=lambda h: (h.date or "", h.kind, h.id), reverse=True)
    totals = _match_totals(store, run, near)
    page = hits[offset : offset + limit]
    # Ranked without snippets, made for the page's hits alone: a volume's 10,000 hits by meaning
    # read each item's opening and a words list's made FTS5 snippets (bench/views.py).
    if snippets:
        page = _with_snippets(store, run.parsed.fts, page)
    return SearchResults(tuple(page), run.mode, sum(totals.values()), sort, run.notes, totals)


def match_totals(store: Store, query: str, *, mode: str = AUTO, kinds: Sequence[str] = KINDS,
                 filters: SearchFilters = SearchFilters()) -> dict[str, int]:
    """Kind -> how many items of it match the query and pass the filters: `search`'s `total` for
    that kind alone (a search over several kinds totals their sum), counted without ranking any.
    QueryError as `search` raises it."""
    run = _prepared(store, query, mode, kinds, RELEVANCE, filters)
    return _match_totals(store, run, run.near(store))


@dataclass(frozen=True)
class _Prepared:
    """A query read and checked, the kinds it looks for (once each), the mode it runs in ("auto"
    resolved, with why), the filters resolved and, for meaning, the query's vector: what ranking
    and counting a search share."""

    parsed: ParsedQuery
    kinds: tuple[str, ...]
    mode: str
    notes: tuple[str, ...]
    resolved: _Resolved
    vector: np.ndarray | None

    def near(self, store: Store) -> dict[str, tuple[VectorMatrix, np.ndarray]]:
        """Each kind's vectors and their similarities to the query (25 ms a kind at 100k), once for
        its hits and its count; none for words only."""
        return {kind: similarities(store, kind, self.vector) for kind in self.kinds} if self.vector is not None else {}


def _prepared(store: Store, query: str, mode: str, kinds: Sequence[str], sort: str, filters: SearchFilters, *,
              limit: int = 1, offset: int = 0) -> _Prepared:
    parsed = _checked_query(query)
    kinds = checked_options(kinds, mode, sort)
    if limit < 1 or offset < 0:
        raise QueryError("limit must be at least 1 and offset at least 0")
    notes: list[str] = []
    if mode == AUTO:
        mode, why = _auto_mode(store)
        if why:
            notes.append(why)
    elif mode in (MEANING, HYBRID):
        _require_meaning(store)
    vector = _query_vector(parsed.plain) if mode in (MEANING, HYBRID) else None
    return _Prepared(parsed, kinds, mode, tuple(notes), _Resolved.of(store, filters), vector)


def _match_totals(store: Store, run: _Prepared, near: dict[str, tuple[VectorMatrix, np.ndarray]]) -> dict[str, int]:
    fts = run.parsed.fts if run.mode != MEANING else None
    return {kind: _match_count(store, fts, near.get(kind), kind, run.resolved) for kind in run.kinds}


def _match_count(store: Store, fts_query: str | None, similar: tuple[VectorMatrix, np.ndarray] | None, kind: str,
                 resolved: _Resolved) -> int:
    """How many items of a kind match (by words, by meaning down to MEANING_FLOOR, or either) and
    pass the filters: the total a page of hits is one page of. `similar`: the kind's vectors and
    their similarities to the query, None for words only."""
    alias, rows, _ = _TABLES[kind]
    index = _TEXT_INDEXES[kind]
    clauses, params = _clauses(resolved, kind)
    if similar is None:
        # As in _text_hits, the unary + keeps FTS5 from re-running the match once per passing row.
        restrict = f" AND +rowid IN ({index.passing} {_where(clauses)})" if clauses else ""
        return store.conn.execute(f"SELECT count(*) FROM {index.fts} WHERE {index.fts} MATCH ?{restrict}",
                                  [fts_query, *params]).fetchone()[0]
    matrix, scores = similar
    near_positions = np.flatnonzero(scores >= MEANING_FLOOR)
    if clauses:
        # The items that pass, looked up in the scores: a filter's items are usually fewer than the
        # near ones (bench/search.py, 100k articles, a meaning search in one outlet since 2022: 206 ms
        # CPU asking SQLite which of the 80k near ids pass, 121 ms so; with a filter every item
        # passes, since 2020: 327 ms against 280 ms).
        by_meaning = _count_near(matrix, scores, _passing_ids(store, kind, resolved))
    else:
        # Triggers drop a vector with its item, so every vector is a stored item: no need to ask
        # SQLite about 100k ids (bench/search.py, 100k articles, a meaning search whose query's
        # vector is cached: CPU p50 152 ms with that question, 35 ms without).
        by_meaning = len(near_positions)
    if fts_query is None:
        return by_meaning
    # Either way: the word matches, and the meaning matches the words did not find. The word
    # matches' similarities are looked up here rather than their ids in a list of every near id.
    word_ids = [r[0] for r in store.conn.execute(
        f"SELECT {alias}.id FROM {rows} WHERE {index.matched(alias, check_rows=bool(clauses))}"
        f"{''.join(' AND ' + c for c in clauses)}", [fts_query, *params])]
    return len(word_ids) + by_meaning - _count_near(matrix, scores, word_ids)


def _count_near(matrix: VectorMatrix, scores: np.ndarray, ids: list[str]) -> int:
    """How many of the ids have a vector at least MEANING_FLOOR similar to the query."""
    positions = np.array([matrix.positions[i] for i in ids if i in matrix.positions], dtype=np.int64)
    return int(np.count_nonzero(scores[positions] >= MEANING_FLOOR))


def fuse(lists: Sequence[Sequence[Hit]]) -> list[Hit]:
    """Reciprocal rank fusion: an item's score is the sum of 1/(k + rank) over the lists it is in.

    A hit found both by words and by meaning keeps the words' snippet and highlights and the
    meaning's similarity.
    """
    scores: dict[tuple[str, str], float] = {}
    best: dict[tuple[str, str], Hit] = {}
    matched: dict[tuple[str, str], list[str]] = {}
    similarity: dict[tuple[str, str], float] = {}
    for hits in lists:
        for rank, hit in enumerate(hits, start=1):
            key = (hit.kind, hit.id)
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
            if key not in best or (hit.highlights and not best[key].highlights):
                best[key] = hit
            matched.setdefault(key, [])
            matched[key] += [m for m in hit.matched_by if m not in matched[key]]
            if hit.similarity is not None:
                similarity[key] = hit.similarity
    order = sorted(scores, key=lambda key: (-scores[key], key))
    return [_scored(best[key], scores[key], tuple(matched[key]), similarity.get(key)) for key in order]


def _scored(hit: Hit, score: float, matched_by: tuple[str, ...], similarity: float | None) -> Hit:
    """The hit with its score: `dataclasses.replace` reads the fields anew for every hit, which cost a
    volume's 10,000 hits by meaning about 120 ms."""
    return Hit(hit.kind, hit.id, hit.article_id, hit.title, hit.outlet, hit.date, hit.speaker, hit.snippet,
               hit.highlights, score, matched_by, similarity)


# -- listing without a query --------------------------------------------------------------------


def list_articles(store: Store, filters: SearchFilters = SearchFilters(), *, limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles that pass the filters, newest first (undated last)."""
    return _articles(store, _Resolved.of(store, filters), limit, offset)


def article_page(store: Store, filters: SearchFilters, *, limit: int, offset: int) -> tuple[list[Article], int]:
    """A page of `list_articles` and how many articles pass the filters in all (names resolved once)."""
    resolved = _Resolved.of(store, filters)
    return _articles(store, resolved, limit, offset), _listed_count(store, ARTICLE, resolved)


def listed_totals(store: Store, filters: SearchFilters, kinds: Sequence[str] = KINDS) -> dict[str, int]:
    """Kind -> how many items of it pass the filters: the totals of `article_page` and
    `statement_page`, with the names in the filters resolved once for all kinds."""
    resolved = _Resolved.of(store, filters)
    return {kind: _listed_count(store, kind, resolved) for kind in _checked_kinds(kinds)}


def _listed_count(store: Store, kind: str, resolved: _Resolved) -> int:
    clauses, params = _clauses(resolved, kind)
    # Unfiltered, a statement's count needs no article (every statement has one): joining them all
    # cost more than the page at 250k statements (bench/listings.py).
    rows = _TABLES[kind][1] if clauses else ("articles a" if kind == ARTICLE else "statements s")
    return store.conn.execute(f"SELECT count(*) FROM {rows} {_where(clauses)}", params).fetchone()[0]


def _articles(store: Store, resolved: _Resolved, limit: int, offset: int) -> list[Article]:
    clauses, params = resolved.article_clauses()
    # The page's rows are chosen on the date index alone, then read whole: sorting full rows would
    # read every article's body (100k articles: 560 ms against 1 ms). DESC puts NULL dates last.
    rowids = [r[0] for r in store.conn.execute(
        f"SELECT a.rowid FROM articles a {_where(clauses)} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?",
        [*params, limit, offset])]
    return [article_from_row(row) for row in _rows_in_order(store, "articles", ARTICLE_COLUMNS, rowids)]


def _rows_in_order(store: Store, table: str, columns: str, keys: Sequence, key: str = "rowid") -> list[sqlite3.Row]:
    """The rows whose `key` is one of `keys` (a page chosen off an index by rowid, statements asked
    by id), read whole in one query and kept in the order asked; a key no longer stored is left out."""
    rows = {r["_key"]: r for r in store.conn.execute(
        f"SELECT {key} AS _key, {columns} FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
        (json.dumps(list(keys)),))}
    return [rows[k] for k in keys if k in rows]


def list_statements(store: Store, filters: SearchFilters = SearchFilters(), *, limit: int = 50, offset: int = 0) -> list[Statement]:
    """Statements that pass the filters, newest first (then in reading order within an article)."""
    return _statements(store, _Resolved.of(store, filters), limit, offset)


def statement_page(store: Store, filters: SearchFilters, *, limit: int, offset: int) -> tuple[list[Statement], int]:
    """A page of `list_statements` and how many statements pass the filters in all (names resolved once)."""
    resolved = _Resolved.of(store, filters)
    return _statements(store, resolved, limit, offset), _listed_count(store, STATEMENT, resolved)


def _statements(store: Store, resolved: _Resolved, limit: int, offset: int) -> list[Statement]:
    clauses, params = resolved.statement_clauses()
    rowids = [r[0] for r in store.conn.execute(
        f"SELECT s.rowid FROM statements s JOIN articles a ON a.id = s.article_id {_where(clauses)}"
        f" ORDER BY {LISTING_ORDER} LIMIT ? OFFSET ?",
        [*params, limit, offset])]
    return [statement_from_row(row) for row in _rows_in_order(store, "statements", STATEMENT_COLUMNS, rowids)]


def statement_by_id(store: Store, statement_id: str) -> Statement:
    row = store.conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE id = ?", (statement_id,)).fetchone()
    if row is None:
        raise UnknownRecord(f"no statement with id {statement_id!r}")
    return statement_from_row(row)


def statements_by_ids(store: Store, statement_ids: Sequence[str]) -> list[Statement]:
    """The statements of `statement_ids` in their order, read in one query (a page of search hits,
    a narrative's evidence: one query per id cost a page as many round trips); an id no longer
    stored (its article analysed again since) is left out."""
    return [statement_from_row(row) for row in _rows_in_order(store, "statements", STATEMENT_COLUMNS, statement_ids, "id")]


# -- filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    """Filters with names turned into entity ids and statement ids, once per search."""

    filters: SearchFilters
    speaker_statements: tuple[str, ...]  # statements by the speaker's entity
    entity_id: str | None
    entity_statements: tuple[str, ...]  # statements by the entity
    narrative_id: str | None

    @classmethod
    def of(cls, store: Store, filters: SearchFilters) -> _Resolved:
        speaker_statements: tuple[str, ...] = ()
        if filters.speaker:
            # Any spelling of a stored name, else a short form that only one person carries ("Lomatsky").
            found = find_entities(store, filters.speaker) or [
                entity_id for entity_id in [resolve_name(filters.speaker, store)] if entity_id]
            if len(found) == 1:
                speaker_statements = tuple(speaker_statement_ids(store, found[0], since=filters.since,
                                                                 until=filters.until))
        entity_id = None
        if filters.entity:
            entity_id = entity_named(store, filters.entity)
        entity_statements = tuple(speaker_statement_ids(store, entity_id, since=filters.since,
                                                        until=filters.until)) if entity_id else ()
        narrative_id = None
        if filters.narrative:
            try:
                narrative_id = story_store.narrative(store, filters.narrative).id
            except QueryError as exc:
                raise UnknownRecord(str(exc)) from exc
        return cls(filters, speaker_statements, entity_id, entity_statements, narrative_id)

    def _speaker_clause(self) -> tuple[str, list]:
        """Over statements `s`: said by the speaker's entity, or by a speaker written with that name."""
        name = self.filters.speaker
        return (
            (f"(s.id IN (SELECT value FROM json_each(?)) OR s.speaker_name LIKE ? ESCAPE '{LIKE_ESCAPE}'"
             f" OR s.speaker LIKE ? ESCAPE '{LIKE_ESCAPE}' OR s.speaker_name LIKE ? ESCAPE '{LIKE_ESCAPE}')"),
            [json.dumps(self.speaker_statements), like_literal(name), like_literal(name), f"% {like_literal(name)}"],
        )

    def _mentions_entity(self) -> str:
        return (
            "SELECT m.article_id FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id WHERE n.entity_id = ?"
        )

    def _article_and_dates(self, day: str) -> tuple[list[str], list]:
        """The clauses on the article (outlet, language) and on the date that `day` gives, which
        articles and statements share."""
        f = self.filters
        clauses, params = [], []
        if f.outlet:
            clauses.append("a.outlet = ? COLLATE NOCASE")
            params.append(f.outlet)
        if f.language:
            clauses.append("a.language = ?")
            params.append(f.language)
        dated, dated_params = date_window(day, f.since, f.until)
        return clauses + dated, params + dated_params

    def article_clauses(self) -> tuple[list[str], list]:
        f = self.filters
        clauses, params = self._article_and_dates("a.published")
        if f.speaker:
            speaker, speaker_params = self._speaker_clause()
            clauses.append(f"a.id IN (SELECT s.article_id FROM statements s WHERE {speaker})")
            params += speaker_params
        if self.entity_id:
            clauses.append(f"a.id IN ({self._mentions_entity()})")
            params.append(self.entity_id)
        if self.narrative_id:
            clauses.append("a.id IN (SELECT e.article_id FROM narrative_evidence e WHERE e.narrative_id = ?)")
            params.append(self.narrative_id)
        return self._arrival_clauses(ARTICLE, "a", clauses, params)

    def statement_clauses(self) -> tuple[list[str], list]:
        f = self.filters
        # A statement's day is STATEMENT_DAY kept: a window is a range of the statements_day index
        # (bench/listings.py's 100k store, the example briefing's month of one speaker, 71 statements:
        # 528 ms CPU with every statement's day worked out from its article, 4 ms so).
        clauses, params = self._article_and_dates("s.day")
        if f.speaker:
            speaker, speaker_params = self._speaker_clause()
            clauses.append(speaker)
            params += speaker_params
        if self.entity_id:
            clauses.append(
                "(s.id IN (SELECT value FROM json_each(?)) OR EXISTS ("
                " SELECT 1 FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id"
                " WHERE n.entity_id = ? AND m.article_id = s.article_id"
                " AND m.start >= json_extract(s.content_spans, '$[0][0]')"
                " AND m.end <= json_extract(s.content_spans, '$[#-1][1]')))"
            )
            params += [json.dumps(self.entity_statements), self.entity_id]
        if self.narrative_id:
            clauses.append("s.id IN (SELECT e.statement_id FROM narrative_evidence e WHERE e.narrative_id = ?)")
            params.append(self.narrative_id)
        return self._arrival_clauses(STATEMENT, "s", clauses, params)

    def _arrival_clauses(self, kind: str, alias: str, clauses: list[str], params: list) -> tuple[list[str], list]:
        """`clauses` with the arrival window added, when the filters give one."""
        f = self.filters
        if f.arrived_after is None and f.arrived_through is None:
            return clauses, params
        clauses.append(f"{alias}.id IN (SELECT r.item_id FROM arrivals r WHERE r.kind = ? AND r.seq > ? AND r.seq <= ?)")
        params += [kind, f.arrived_after or 0, f.arrived_through if f.arrived_through is not None else 2**63 - 1]
        return clauses, params


def _where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


# -- words ----------------------------------------------------------------------------------------


def _checked_query(query: str) -> ParsedQuery:
    if query is None or not query.strip():
        raise QueryError("empty search query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"search query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    return parse_query(query)


def checked_options(kinds: Sequence[str], mode: str, sort: str) -> tuple[str, ...]:
    """The kinds to search, once each; QueryError, in words, for an unknown kind, mode or sort (a
    form may send them without a query, and a wrong one must not pass unnoticed there either)."""
    if mode not in MODES:
        raise QueryError(f"unknown search mode {mode!r}; choose one of: {', '.join(MODES)}")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; choose one of: {', '.join(SORTS)}")
    return _checked_kinds(kinds)


def kinds_spelled(spelling: str) -> tuple[str, ...]:
    """The kinds a spelling of KIND_SPELLINGS names; QueryError, listing them, for another."""
    try:
        return KIND_SPELLINGS[spelling]
    except KeyError:
        raise QueryError(f"unknown kind {spelling!r}; choose one of: {', '.join(KIND_SPELLINGS)}") from None


def _checked_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = (kinds,)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise QueryError(f"unknown kind {', '.join(unknown) or '(none)'}; choose from: {', '.join(KINDS)}")
    return tuple(dict.fromkeys(kinds))


@dataclass(frozen=True)
class _TextIndex:
    """A kind's FTS table, its bm25 call, the column snippets come from (-1: the best), the rows
    the filters pass (as a query to add WHERE to), its date, and a hit's fields by rowid."""

    fts: str
    bm25: str
    column: int
    passing: str
    date: str
    fields: str

    def matched(self, table: str, *, check_rows: bool) -> str:
        """A WHERE clause (taking the FTS query as its parameter) for the rows of `table` (an alias)
        the words match. `check_rows`: with the unary +, SQLite reads the rows the rest of the
        clauses pass and checks each against the matches; without it, it looks the matches up by
        rowid, which under a filter it did once per filtered row (bench/listings.py's 100k store,
        "harbour" in one outlet's statements: over 30 CPU s, 0.2-0.3 s with the +)."""
        return f"{'+' if check_rows else ''}{table}.rowid IN (SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH ?)"


_TEXT_INDEXES = {
    # An article's title weighs five times its body.
    ARTICLE: _TextIndex("articles_fts", "bm25(articles_fts, 5.0, 1.0)", -1, f"SELECT a.rowid FROM {_TABLES[ARTICLE][1]}",
                        _TABLES[ARTICLE][2],
                        ("SELECT a.rowid, a.id, a.id AS article_id, a.title, a.outlet, a.published AS date,"
                         " NULL AS speaker FROM articles a")),
    STATEMENT: _TextIndex("statements_fts", "bm25(statements_fts)", 0, f"SELECT s.rowid FROM {_TABLES[STATEMENT][1]}",
                          _TABLES[STATEMENT][2],
                          (f"SELECT s.rowid, s.id, s.article_id, a.title, a.outlet, {STATEMENT_DAY} AS date,"
                           " coalesce(s.speaker_name, s.speaker) AS speaker"
                           " FROM statements s JOIN articles a ON a.id = s.article_id")),
}


def _text_hits(store: Store, fts_query: str, kind: str, resolved: _Resolved, depth: int, newest: bool) -> list[Hit]:
    """The best (or newest) `depth` matches of a kind, in steps: choose the rows, then read their
    fields and snippets. Joining the table while ranking would read every match's row and make
    every match's snippet before LIMIT (100k articles: 175 ms against 30 ms, measured)."""
    index = _TEXT_INDEXES[kind]
    clauses, params = _clauses(resolved, kind)
    table = _TABLES[kind][0]
    if newest:
        # Matches by date: the date index is walked newest first and each row checked against the
        # set of matches, so a page of a common word's matches costs a page of index entries. No
        # bm25 here: it counts each phrase's matches over the whole index again (100k articles:
        # +70 ms a query, measured), for a score the date order does not use. Ties of date are
        # broken by id, as `search` orders the page: the cut at `depth` then holds the same items
        # whatever the depth, and no page repeats or loses a match of a busy day.
        # Articles: with many matches, the date index is walked (the unary +) and each entry checked
        # against the matches; looking every match up by rowid instead reads each row, past its
        # body, for its date (100k articles, `harbour`, 37,500 matches: 65 ms against 5 ms; with
        # no match the walk costs 5 ms, the look-ups nothing). Statements' dates are in no index.
        # Statements under a filter: their rows are checked too (`_TextIndex.matched`).
        walk = bool(clauses)
        if kind == ARTICLE:
            walk = _walks_matches(store, index, fts_query)
        chosen = [(r[0], 0.0) for r in store.conn.execute(
            f"{index.passing} WHERE {index.matched(table, check_rows=walk)}"
            f"{''.join(' AND ' + c for c in clauses)} ORDER BY {index.date} DESC, {table}.id DESC LIMIT ?",
            [fts_query, *params, depth])]
    else:
        # The unary + keeps SQLite from handing the rowid list to FTS5, which would re-run the match
        # once per passing row (100k articles, one outlet: 2 s against 10 ms).
        restrict = f" AND +rowid IN ({index.passing} {_where(clauses)})" if clauses else ""
        chosen = store.conn.execute(
            f"SELECT rowid, {index.bm25} AS rank FROM {index.fts} WHERE {index.fts} MATCH ?{restrict}"
            " ORDER BY rank LIMIT ?", [fts_query, *params, depth]).fetchall()
    if not chosen:
        return []
    rows = {r["rowid"]: r for r in store.conn.execute(
        f"{index.fields} WHERE {table}.rowid IN (SELECT value FROM json_each(?))",
        (json.dumps([rowid for rowid, _ in chosen]),))}
    return [Hit(kind, row["id"], row["article_id"], row["title"], row["outlet"], row["date"], row["speaker"], "", (),
                -rank, (TEXT,)) for row, rank in ((rows[rowid], rank) for rowid, rank in chosen)]


def _with_snippets(store: Store, fts_query: str, hits: Sequence[Hit]) -> list[Hit]:
    """The hits with their snippets: FTS5's around the matched words for a hit found by words (also
    when meaning found it too), the item's opening words for one found by meaning alone."""
    made: dict[tuple[str, str], tuple[str, tuple[tuple[int, int], ...]]] = {}
    for kind in KINDS:
        by_words = [h.id for h in hits if h.kind == kind and TEXT in h.matched_by]
        if by_words:
            made.update(((kind, item), found) for item, found in _word_snippets(store, fts_query, kind, by_words).items())
        by_meaning = [h.id for h in hits if h.kind == kind and TEXT not in h.matched_by]
        if by_meaning:
            table, text = ("articles", "body") if kind == ARTICLE else ("statements", "content")
            made.update(((kind, r[0]), (opening_words(r[1]), ())) for r in store.conn.execute(
                f"SELECT id, substr({text}, 1, 300) FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(by_meaning),)))
    return [replace(h, snippet=made[h.kind, h.id][0], highlights=made[h.kind, h.id][1]) if (h.kind, h.id) in made else h
            for h in hits]


def _word_snippets(store: Store, fts_query: str, kind: str, ids: list[str]) -> dict[str, tuple[str, tuple]]:
    """Item id -> FTS5's snippet around the words matched in it, unmarked, with its highlights."""
    index = _TEXT_INDEXES[kind]
    rowids = dict(store.conn.execute(
        f"SELECT rowid, id FROM {'articles' if kind == ARTICLE else 'statements'}"
        " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall())
    if not rowids:
        return {}
    # The snippets come from one pass over the matches between the first and the last rowid, made
    # only for those (the unary +): looked up by rowid one at a time, FTS5 expands a prefix query's
    # terms again for every row (100k articles, `fish*`: 24 ms against 1.5 ms).
    return {rowids[rowid]: _unmarked(marked) for rowid, marked in store.conn.execute(
        f"SELECT rowid, snippet({index.fts}, {index.column}, '{_MARK_START}', '{_MARK_END}', ' … ', {SNIPPET_WORDS})"
        f" FROM {index.fts} WHERE {index.fts} MATCH ? AND rowid BETWEEN ? AND ?"
        " AND +rowid IN (SELECT value FROM json_each(?))",
        (fts_query, min(rowids), max(rowids), json.dumps(list(rowids))))}


def _unmarked(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """FTS5's snippet with its marks taken out, and where the marks were."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = None
    for part in re.split(f"([{_MARK_START}{_MARK_END}])", marked or ""):
        if part == _MARK_START:
            start = length
        elif part == _MARK_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            part = re.sub(r"\s+", " ", part)  # a snippet is one line, whatever the body's layout
            plain.append(part)
            length += len(part)
    return "".join(plain), tuple(spans)


# -- meaning --------------------------------------------------------------------------------------

def _require_meaning(store: Store) -> None:
    from presswatch.semantic import semantic_available

    if not semantic_available():
        raise QueryError(SEMANTIC_MISSING)
    if not has_vectors(store):
        raise QueryError("no vectors are stored yet: run `presswatch index` to compute them")


def search_mode(store: Store, query: str, mode: str) -> str:
    """The mode `search` runs a query in ("auto" resolved), the query and the mode checked as it
    checks them, without running it: a volume of words counts their matches in SQL, and ranking
    them to learn the mode cost the search page's volume of "harbour" half its time (bench/listings.py)."""
    _checked_query(query)
    checked_options(KINDS, mode, RELEVANCE)
    return _auto_mode(store)[0] if mode == AUTO else mode


def _auto_mode(store: Store) -> tuple[str, str | None]:
    from presswatch.semantic import semantic_available

    if not semantic_available():
        return TEXT, f"words only: {SEMANTIC_MISSING}"
    if not has_vectors(store):
        return TEXT, "words only: no vectors are stored yet (`presswatch index` computes them)"
    return HYBRID, None


@lru_cache(maxsize=256)
def _query_vector(text: str) -> np.ndarray:
    """Queries repeat (paging, refining filters), and embedding one is most of a meaning search.

    One short query is embedded on one thread: waking a second costs more than it gains, and on a
    busy machine waiting for it made the median 8x slower (28 ms against 220 ms, measured).
    """
    import torch

    from presswatch.semantic import embed_texts

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        vector = embed_texts([text])[0]
    finally:
        torch.set_num_threads(threads)
    vector.setflags(write=False)
    return vector


def _meaning_hits(store: Store, matrix: VectorMatrix, scores: np.ndarray, kind: str, resolved: _Resolved, depth: int,
                  newest: bool) -> list[Hit]:
    """The items nearest the query (`scores`: each vector's similarity to it), down to MEANING_FLOOR,
    that pass the filters (`newest`: the newest of those).

    The nearest items are tried first, as they usually pass; when the filters turn most of them
    away, only the items that pass (asked of SQLite) are ranked, so a narrow filter costs one query
    over its matches instead of a walk down the whole ranking.
    """
    if not len(scores):
        return []
    if newest:
        return _scored_hits(store, kind, matrix, scores, np.flatnonzero(scores >= MEANING_FLOOR), resolved, depth)
    ranked = _ranked_slice(scores, 0, 2 * depth)
    nearest = ranked[scores[ranked] >= MEANING_FLOOR]
    hits = _scored_hits(store, kind, matrix, scores, nearest, resolved)
    # Enough hits, or every item was tried, or the floor was reached within the slice.
    if len(hits) >= depth or len(ranked) == len(scores) or len(nearest) < len(ranked):
        return hits[:depth]
    passing = np.array([matrix.positions[i] for i in _passing_ids(store, kind, resolved) if i in matrix.positions],
                       dtype=np.int64)
    passing = passing[scores[passing] >= MEANING_FLOOR]
    ranked = passing[np.lexsort((passing, -scores[passing]))][:depth]
    return _scored_hits(store, kind, matrix, scores, ranked, resolved)


def _scored_hits(store, kind, matrix, scores, positions: np.ndarray, resolved: _Resolved,
                 newest: int | None = None) -> list[Hit]:
    """Hits for the items at `positions` that pass the filters, in that order (`newest`: that many
    of them, newest first)."""
    ids = [str(i) for i in matrix.ids[positions]]
    if newest:
        ids = _newest_ids(store, kind, ids, resolved, newest, walk_dates=_walks_dates(len(ids), len(scores)))
    found = _hit_rows(store, kind, ids, resolved)
    order = [matrix.positions[i] for i in ids if i in found] if newest else [
        p for p in positions if matrix.ids[p] in found]
    hits = []
    for p in order:
        row, score = found[matrix.ids[p]], float(scores[p])
        hits.append(Hit(kind, row["id"], row["article_id"], row["title"], row["outlet"], row["date"], row["speaker"], "",
                        (), score, (MEANING,), score))
    return hits


def _clauses(resolved: _Resolved, kind: str) -> tuple[list[str], list]:
    return resolved.article_clauses() if kind == ARTICLE else resolved.statement_clauses()


def _passing_ids(store: Store, kind: str, resolved: _Resolved) -> list[str]:
    alias, rows, _ = _TABLES[kind]
    clauses, params = _clauses(resolved, kind)
    return [r[0] for r in store.conn.execute(f"SELECT {alias}.id FROM {rows} {_where(clauses)}", params)]


def _newest_ids(store: Store, kind: str, ids: list[str], resolved: _Resolved, count: int,
                walk_dates: bool) -> list[str]:
    """The newest `count` of the ids that pass the filters, chosen on dates alone: sorting whole
    hits would read every candidate's text (bench/search.py, 100k articles and statements, a
    meaning query sorted by date: 240 ms CPU with whole hits sorted, 150 ms so).

    With `walk_dates` (many candidates), articles are read down the date index until enough are
    candidates (the unary + keeps SQLite from looking each id up instead): 12 ms against 98 ms
    for 28k candidates of 100k. A statement's date mixes its own and its article's, which no
    index holds, so statements are looked up by id."""
    alias, rows, date = _TABLES[kind]
    clauses, params = _clauses(resolved, kind)
    walk = "+" if walk_dates and kind == ARTICLE else ""
    return [r[0] for r in store.conn.execute(
        f"SELECT {alias}.id FROM {rows} WHERE {walk}{alias}.id IN (SELECT value FROM json_each(?))"
        f"{''.join(' AND ' + c for c in clauses)} ORDER BY {date} DESC, {alias}.id DESC LIMIT ?",
        [json.dumps(ids), *params, count])]


def _walks_matches(store: Store, index: _TextIndex, fts_query: str) -> bool:
    """`_walks_dates` for the articles the words match: whether they are many enough to read an
    index of every article and check each entry against them, rather than look each one up."""
    matches = store.conn.execute(f"SELECT count(*) FROM {index.fts} WHERE {index.fts} MATCH ?", (fts_query,)).fetchone()[0]
    stored = store.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
    return _walks_dates(matches, stored)


def _walks_dates(candidates: int, rows: int) -> bool:
    """Whether the newest of `candidates` items among `rows` are found faster by walking the date
    index and checking each entry than by looking every candidate up: from 1 in 100 on, measured on
    bench/search.py's 100k articles (see `_newest_ids` and `_text_hits`)."""
    return candidates * 100 >= rows


def _ranked_slice(scores: np.ndarray, start: int, end: int) -> np.ndarray:
    """Positions of the scores ranked start..end, best first, sorting only as far as needed: most
    searches stop in the first slice, and a partial sort of 100k scores is several times faster."""
    end = min(end, len(scores))
    if end < len(scores):
        top = np.argpartition(-scores, end - 1)[:end]
    else:
        top = np.arange(len(scores))
    ranked = top[np.lexsort((top, -scores[top]))]  # ties in position order, so results are stable
    return ranked[start:end]


def _hit_rows(store: Store, kind: str, ids: list[str], resolved: _Resolved) -> dict[str, sqlite3.Row]:
    """A hit's fields (`_TextIndex.fields`) for each of the ids that passes the filters."""
    alias = _TABLES[kind][0]
    clauses, params = _clauses(resolved, kind)
    rows = store.conn.execute(
        f"{_TEXT_INDEXES[kind].fields} WHERE {alias}.id IN (SELECT value FROM json_each(?))"
        f" {''.join(' AND ' + c for c in clauses)}", [json.dumps(ids), *params]).fetchall()
    return {r["id"]: r for r in rows}


def opening_words(text: str) -> str:
    """The first SNIPPET_WORDS words of a text, as the snippet of an item no words were matched in (a hit
    found by meaning, a watchlist item, the web's list without a query), so it is as long as a searched one."""
    words = (text or "").split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


# -- counts over time -----------------------------------------------------------------------------


# The first day of the period a day (YYYY-MM-DD) falls in, in SQL; weeks start on Monday.
PERIOD_STARTS = {"day": "{day}", "week": "date({day}, 'weekday 0', '-6 days')", "month": "substr({day}, 1, 7) || '-01'"}


def period_counts(store: Store, kind: str, filters: SearchFilters = SearchFilters(), *, period: str = "day",
                  query: str | None = None) -> list[tuple[str | None, str | None, int]]:
    """(first day of the period, outlet, count) for every article or statement that passes the
    filters (and matches the words `query`, read as `search` reads them in text mode), counted in
    SQL so a volume chart over a whole store or a common word never reads the rows or ranks the
    matches (bench/views.py). The day is the publication day for an article and the statement's
    date as the filters read it (its article's when the text gives no calendar date); the period
    is None for the undated. `period`: "day", "week" (from Monday) or "month"."""
    if period not in PERIOD_STARTS:
        raise QueryError(f"unknown period {period!r}; choose one of: {', '.join(PERIOD_STARTS)}")
    return store.conn.execute(
        *_dated(store, kind, filters, query, f"SELECT {PERIOD_STARTS[period]} AS period, outlet, sum(n)",
                "GROUP BY period, outlet", outlets=True)).fetchall()


def date_span(store: Store, kind: str, filters: SearchFilters = SearchFilters(), *,
              query: str | None = None) -> tuple[str | None, str | None]:
    """The first and the last day of the items `period_counts` counts; (None, None) if none is dated."""
    sql, params = _dated(store, kind, filters, query, "SELECT min({day}), max({day})", "", outlets=False)
    first, last = store.conn.execute(sql, params).fetchone()
    return first, last


def _dated(store: Store, kind: str, filters: SearchFilters, query: str | None, select: str, tail: str, *,
           outlets: bool) -> tuple[str, list]:
    """SQL over the items that pass the filters and the words, `select` given `{day}` (a calendar
    day or NULL) over rows of `dated` (an item's stored date), `outlet` (with `outlets`) and `n` (how
    many items have that date and outlet). The items are counted per stored date first, so the day
    (and the caller's period) is worked out once per date rather than once per item: bench/listings.py's
    100k store, the 92k articles holding "harbour", a week's counts: 262 ms against 72 ms."""
    kind = _checked_kinds((kind,))[0]
    alias, rows, date = _TABLES[kind]
    clauses, params = _clauses(_Resolved.of(store, filters), kind)
    filtered = bool(clauses)
    if query is not None:
        index = _TEXT_INDEXES[kind]
        fts_query = _checked_query(query).fts
        # Articles the words match in many: their dates and outlets are read off a covering index
        # walked whole and checked against the matches, not off each match's row, past its body
        # (the same 92k articles, their first and last day: 181 ms against 72 ms).
        check_rows = filtered or (kind == ARTICLE and _walks_matches(store, index, fts_query))
        clauses = [index.matched(alias, check_rows=check_rows), *clauses]
        params = [fts_query, *params]
    count = "count(*)"
    if kind == STATEMENT:
        # A statement's day is STATEMENT_DAY kept (`statements.day`, written with it; an article's
        # date never changes).
        date = "s.day"
        if not filtered:
            # Every statement (or every one the words match) is counted per day and article and each
            # article's outlet read once, not once per statement, off a covering index (not the row,
            # past its body). bench/listings.py's 100k store, 500k statements, a week's counts: 1,290
            # ms against 375 ms (the 120k matching "harbour": 950 against 614); their first and last
            # day without the articles: 770 ms against 200 ms (527 against 153).
            if outlets:
                rows = (f"(SELECT day, article_id, count(*) AS n FROM statements s {_where(clauses)}"
                        " GROUP BY day, article_id) s JOIN articles a INDEXED BY articles_published_by_id"
                        " ON a.id = s.article_id")
                clauses, count = [], "sum(s.n)"
            else:
                rows = "statements s"
    # Statements some clause reads are grouped as they come (the unary +): grouped in date order,
    # SQLite walked the statements_day index and read each row out of order (an entity's statements:
    # 1.8 s against 1.5 s their first and last day). Every clause on articles reads a covering
    # index, which in date order groups faster ("harbour"'s months: 71 ms against 110).
    by = f"{'+' if clauses and kind == STATEMENT else ''}{date}{', a.outlet' if outlets else ''}"
    counted = (f"SELECT {date} AS dated{', a.outlet AS outlet' if outlets else ''}, {count} AS n FROM {rows}"
               f" {_where(clauses)} GROUP BY {by}")
    day = "(CASE WHEN dated GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(dated, 1, 10) END)"
    return f"{select.format(day=day)} FROM ({counted}) {tail}", params


def facet_counts(store: Store, facet: str, limit: int = -1) -> list[tuple[str, int]]:
    """The values of a search facet (outlet, language, speaker) with how many articles or statements
    have each, most first, then by value: read from the counts the triggers of schema migration 15
    keep, as `GROUP BY` over the whole store would answer."""
    return [(r[0], r[1]) for r in store.conn.execute(
        "SELECT value, count FROM facet_counts WHERE facet = ? AND count > 0 ORDER BY count DESC, value LIMIT ?",
        (facet, limit))]
