"""What people type into a search box, turned into an FTS5 query (or a QueryError saying what to fix).

People type `NATO's`, `U.S.`, `search-and-rescue`, `Korhel: door` and `rescue centre?`; handed to
FTS5 as they are, each is a syntax error (`'`, `.`, `-`, `:` and `?` are FTS5 syntax or not allowed
in a bare word). The advanced forms still work:

- `"a phrase"` (typographic quotes “…” count too), `word*` and `"a phra"*` for prefixes;
- `AND`, `OR`, `NOT` in capitals, binding as in FTS5: NOT tightest, then AND (also implied between
  neighbours), then OR; `( … )` to group;
- `NEAR(word word …, 10)`.

Every other word is searched as the words the index's tokenizer reads in it: `NATO's` is the phrase
`"NATO s"`, which is exactly how those characters were indexed. A word with nothing to search
(`?`, `-`, `&`) is left out. Operators written in lower case are words. FTS5 column filters
(`title:`) are not offered: a colon after a name is far more often punctuation.

Written by hand because no library fits: FTS5's grammar is small and its own (binary NOT, NEAR
groups, prefix marks on phrases), a general parser library (lark, pyparsing) would be a new
dependency for about as many lines as the grammar itself, and the query parsers on PyPI target
Lucene or SQL WHERE clauses. The output is always fully parenthesised with explicit ANDs and every
word quoted, so FTS5's own precedence and keyword rules never come into play (SQLite 3.40 even
refuses an implicit AND before a parenthesis).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presswatch.errors import QueryError

OPERATORS = ("AND", "OR", "NOT")
UNREADABLE = "cannot read the search query"
# NEAR's default distance in FTS5, the one used when the query gives none; and a bound far above
# any useful distance (an article is a few thousand words).
NEAR_DEFAULT, MAX_NEAR = 10, 100_000
# Parentheses nest at most this deep: far beyond what anyone types, well within FTS5's limit (256).
MAX_DEPTH = 20
_NEAR_EXAMPLE = "NEAR(dam minister, 10)"
# An example of each operator, for the hints.
_EXAMPLES = {"AND": "dam AND minister", "OR": "dam OR reservoir", "NOT": "dam NOT river"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"'})
# Lexical pieces: a quoted phrase (possibly unclosed), a parenthesis, or a run of anything else.
_PIECE = re.compile(r'"[^"]*"?\*?|[()]|[^\s"()]+')


@dataclass(frozen=True)
class ParsedQuery:
    """A query as FTS5 reads it, and its words as typed without operators (for a sentence model)."""

    fts: str
    plain: str


def parse_query(text: str) -> ParsedQuery:
    """The FTS5 form of a typed query. Raises QueryError, opening with UNREADABLE and saying in
    words what to change, when it cannot be read."""
    try:
        parser = _Parser(_pieces(text.translate(_QUOTES)))
        tree = parser.expression()
        if parser.peek() is not None:  # only a ')' with no '(' stops the grammar early
            raise QueryError("a closing parenthesis ')' has no '(' before it: remove it or add the '('")
        if tree is None:
            raise QueryError("it has no words to search for (punctuation alone is not indexed)")
    except QueryError as exc:
        raise QueryError(f"{UNREADABLE}: {exc}") from None
    return ParsedQuery(_fts(tree), " ".join(_plain(tree)))


def index_tokens(text: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer reads in a text: runs of letters, digits and private-use
    characters (Unicode categories L*, N* and Co); everything else separates them."""
    return "".join(c if _token_char(c) else " " for c in text).split()


def _token_char(c: str) -> bool:
    category = unicodedata.category(c)
    return category[0] in "LN" or category == "Co"


def _pieces(text: str) -> list[str]:
    pieces = []
    for piece in _PIECE.findall(text):
        if piece.startswith('"') and (len(piece) == 1 or not piece.rstrip("*").endswith('"') or piece.rstrip("*") == '"'):
            raise QueryError('a double quote (") is not closed: close the phrase, or remove the quote to search the words')
        pieces.append(piece)
    return pieces


# A query tree: ("words", tokens, prefix, as typed) | ("and"|"or", [children]) | ("not", left, right)
# | ("near", [words nodes], distance).


class _Parser:
    """Recursive descent over the pieces; one method per precedence level."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.at = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> str | None:
        at = self.at + ahead
        return self.pieces[at] if at < len(self.pieces) else None

    def take(self) -> str:
        self.at += 1
        return self.pieces[self.at - 1]

    def expression(self):
        """or := and ("OR" and)*"""
        parts = [self._operand(self.conjunction, "OR", first=True)]
        while self.peek() == "OR":
            self.take()
            parts.append(self._operand(self.conjunction, "OR"))
        return _joined("or", parts)

    def conjunction(self):
        """and := not (["AND"] not)* — stops before OR, ')' or the end. `a AND NOT b`, as many
        write it, is read as FTS5's `a NOT b`."""
        parts = [self._operand(self.negation, "AND", first=True)]
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND" and self.peek(1) == "NOT":
                self.take()
                parts[-1] = self._negated(parts[-1])
            elif self.peek() == "AND":
                self.take()
                parts.append(self._operand(self.negation, "AND"))
            else:
                parts.append(self.negation())
        return _joined("and", parts)

    def negation(self):
        """not := primary ("NOT" primary)*"""
        tree = self._operand(self.primary, "NOT", first=True)
        while self.peek() == "NOT":
            tree = self._negated(tree)
        return tree

    def _negated(self, tree):
        self.take()  # NOT
        right = self._operand(self.primary, "NOT")
        if tree is None:
            raise QueryError(_hint("NOT", "before"))
        return tree if right is None else ("not", tree, right)

    def primary(self):
        """primary := "(" or ")" | NEAR(...) | phrase | word. None for a piece with nothing to search."""
        piece = self.take()
        if piece == "(":
            if self.peek() == ")":
                raise QueryError("there is nothing between '(' and ')': put words inside or remove them")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"parentheses nest more than {MAX_DEPTH} deep: write the query more simply")
            tree = self.expression()
            if self.peek() != ")":
                raise QueryError("a parenthesis '(' is not closed: add ')' or remove the '('")
            self.take()
            self.depth -= 1
            return tree
        if piece == "NEAR" and self.peek() == "(":
            return self._near()
        return _words(piece)

    def _near(self):
        self.take()  # "("
        inside = []
        while self.peek() not in (None, ")"):
            inside.append(self.take())
        if self.peek() != ")":
            raise QueryError(f"NEAR( is not closed: write it as {_NEAR_EXAMPLE}")
        self.take()
        distance = NEAR_DEFAULT
        text = " ".join(inside)
        if "," in text:
            text, _, after = text.rpartition(",")
            if not after.strip().isdigit() or int(after) > MAX_NEAR:
                raise QueryError(f"NEAR's distance is a number of words up to {MAX_NEAR}, as in: {_NEAR_EXAMPLE}")
            distance = int(after)
        groups = []
        for piece in _pieces(text):
            if piece in OPERATORS or piece in "()":
                raise QueryError(f"NEAR takes words and a distance, as in: {_NEAR_EXAMPLE}")
            groups.append(_words(piece))
        groups = [g for g in groups if g is not None]
        if len(groups) < 2:
            raise QueryError(f"NEAR needs at least two words, as in: {_NEAR_EXAMPLE}")
        return ("near", groups, distance)

    def _operand(self, read, operator: str, first: bool = False):
        """An operand of `operator`, with a hint when it is missing (a dangling operator)."""
        if first and self.peek() is None:  # an empty query, or one ending in '('
            return None
        if first and self.peek() in OPERATORS:
            raise QueryError(_hint(self.peek(), "before"))
        if first and self.peek() == ")":
            raise QueryError("a closing parenthesis ')' has no '(' before it: remove it or add the '('")
        if not first and self.peek() == "NOT":
            raise QueryError(_hint("NOT", "before"))
        if not first and self.peek() in (None, ")", *OPERATORS):
            raise QueryError(_hint(operator, "after"))
        return read()


def _hint(operator: str, side: str) -> str:
    return (f"{operator} needs words {side} it, as in: {_EXAMPLES[operator]} "
            f"(to search for the word itself, write {operator.lower()})")


def _joined(kind: str, parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else (kind, parts)


def _words(piece: str):
    """A phrase or bare word as the tokens the index holds; None when it holds none."""
    prefix = piece.endswith("*")
    raw = piece.rstrip("*").strip('"').strip()
    tokens = index_tokens(raw)
    return ("words", tuple(tokens), prefix, raw) if tokens else None


def _fts(tree) -> str:
    kind = tree[0]
    if kind == "words":
        return '"' + " ".join(tree[1]) + '"' + ("*" if tree[2] else "")
    if kind == "not":
        return f"({_fts(tree[1])} NOT {_fts(tree[2])})"
    if kind == "near":
        return "NEAR(" + " ".join(_fts(g) for g in tree[1]) + f", {tree[2]})"
    return "(" + f" {kind.upper()} ".join(_fts(child) for child in tree[1]) + ")"


def _plain(tree) -> list[str]:
    """The words a query asks for, leaving out those after NOT."""
    kind = tree[0]
    if kind == "words":
        return [tree[3]]
    if kind == "not":
        return _plain(tree[1])
    children = tree[1]
    return [word for child in children for word in _plain(child)]
