"""The search box's query language: what people type becomes a valid FTS5 query or a hint in words."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presswatch.errors import QueryError
from presswatch.store.fts_query import MAX_DEPTH, index_tokens, parse_query

DOCS = [
    "NATO's envoy met the U.S. delegation at the search-and-rescue centre.",
    "Anneli Korhel: the door to talks is open, she told the rescue centre?",
    "The dam collapse flooded the valley, the minister said.",
    "Dam engineers warned of a collapse long before; no minister replied.",
    "Fishing boats stayed in port as the storm closed the harbour.",
]


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO docs (rowid, body) VALUES (?, ?)", list(enumerate(DOCS)))
    yield conn
    conn.close()


def matches(conn, typed: str) -> set[int]:
    return {r[0] for r in conn.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (parse_query(typed).fts,))}


@pytest.mark.parametrize("typed, found", [
    ("NATO's", {0}),
    ("U.S.", {0}),
    ("search-and-rescue", {0}),
    ("Korhel: door", {1}),
    ("rescue centre?", {0, 1}),
    ('"dam collapse" AND minister', {2}),
    ("dam AND collapse AND minister", {2, 3}),
    ("dam collapse", {2, 3}),  # neighbours are ANDed
    ("harbour OR envoy", {0, 4}),
    ("dam NOT flooded", {3}),
    ("dam AND NOT flooded", {3}),  # as people write it; FTS5 alone refuses it
    ("(storm OR flooded) valley", {2}),
    ("engin*", {3}),
    ('"rescue cen"*', {0, 1}),
    ("NEAR(dam minister, 6)", {2}),  # five words apart in one, eight in the other
    ("“dam collapse”", {2}),  # typographic quotes, as word processors and phones write them
    ("search and rescue", {0}),  # operators in lower case are words
    ("door ?", {1}),  # punctuation on its own is left out
])
def test_typed_queries_find_what_they_say(fts, typed, found):
    assert matches(fts, typed) == found


@pytest.mark.parametrize("typed, hint", [
    ('"dam collapse', "double quote"),
    ("(dam OR river", "not closed"),
    ("dam)", "has no '('"),
    ("()", "nothing between"),
    ("dam AND", "AND needs words after it"),
    ("OR dam", "OR needs words before it"),
    ("NOT dam", "NOT needs words before it"),
    ("dam OR NOT river", "NOT needs words before it"),
    ("dam NOT", "NOT needs words after it"),
    ("AND", "write and"),
    ("NEAR(dam, 5)", "at least two words"),
    ("NEAR(dam minister, far)", "distance"),
    ("NEAR(dam minister", "not closed"),
    ("? !", "no words"),
    ("(" * (MAX_DEPTH + 1) + "dam" + ")" * (MAX_DEPTH + 1), "nest"),
])
def test_a_malformed_query_gets_a_hint_in_words(typed, hint):
    with pytest.raises(QueryError, match=re.escape(hint)) as caught:
        parse_query(typed)
    assert "fts5" not in str(caught.value).lower() and "syntax error" not in str(caught.value)


def test_the_meaning_words_are_as_typed_without_operators():
    assert parse_query('"dam collapse" AND NATO\'s NOT river').plain == "dam collapse NATO's"


def test_tokens_are_split_as_the_index_splits_them(fts):
    for number, text in enumerate(DOCS):
        for token in index_tokens(text):
            assert number in matches(fts, f'"{token}"'), token


# Pieces people and operators produce, so random strings hit the grammar's corners often.
PIECES = st.sampled_from(['"', "(", ")", "*", "AND", "OR", "NOT", "NEAR", "NEAR(", ",", " ", "  ", "'", "-", ".",
                          ":", "?", "^", "+", "{", "}", "dam", "rescue", "é", "ß", "🙂", "\u200b", "“", "”", "10", "_"])
TYPED = st.one_of(st.text(max_size=60), st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=25).map("".join))


@settings(max_examples=400, deadline=None)
@given(TYPED)
def test_anything_typed_is_a_valid_fts5_query_or_a_query_error(fts, typed):
    try:
        parsed = parse_query(typed)
    except QueryError as exc:
        assert str(exc) and "fts5" not in str(exc).lower()
        return
    fts.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (parsed.fts,)).fetchone()  # never raises
    assert parsed.plain.strip()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(DOCS) - 1).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.sampled_from(DOCS[n].split()), min_size=1, max_size=4))))
def test_words_taken_from_a_text_as_written_find_it(fts, doc_and_words):
    number, words = doc_and_words
    typed = " ".join(w for w in words if w not in ("AND", "OR", "NOT"))
    if index_tokens(typed):
        assert number in matches(fts, typed)


def test_long_flat_queries_stay_within_fts5_limits(fts):
    assert matches(fts, " OR ".join(["dam"] * 300)) == {2, 3}
    assert matches(fts, " ".join(["dam"] * 300)) == {2, 3}
