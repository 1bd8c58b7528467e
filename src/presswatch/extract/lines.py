"""Line features of a text-browser page dump, for the learned line classifier in `textdump`.

A dump is a list of lines: wrapped paragraphs (several lines of one blank-line separated block),
menus (short bullet lines), headings, form and image placeholders. Each non-blank line gets a
feature vector from its own text, its wrapped paragraph ("unit"), its block, its neighbours and the
page as a whole, so the classifier sees the context a person reading the dump would use.

Hand-written rather than a library: no package reads lynx dumps, and the features must stay cheap
(plain loops over lines, numpy for the window sums) to extract hundreds of pages per second.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, repeat

import numpy as np

# Function words of the languages most pages come in. Used as a text-vs-chrome signal: running prose
# is dense in them, menus and headlines are not. Written out here because they are short and fixed.
STOPWORDS = frozenset(
    """
    a an the and or but of to in on at by for with from as is are was were be been has have had it its
    this that these those he she they we you i his her their our not no will would can could said says
    who which what when where there than then also after before about into over more
    der die das und oder aber ein eine einen einem eines den dem des ist sind war waren hat haben wird
    werden nicht mit von zu im in auf für bei aus nach auch sich er sie es wir ihr dass wie als noch nur
    le la les un une des du de et ou mais est sont était ont avec pour dans sur par pas ce cette qui que
    il elle ils nous vous au aux se plus
    el los las unos unas del y o pero es son fue con para en por no lo que su sus se al como más
    il lo gli uno di da e non con per su che è sono era anche nel della alla
    o os um uma do da dos das em com não que é são foi por
    het een van en of maar is zijn was met voor op niet dat die er ook bij aan
    """.split()  # noqa: SIM905
)

# Words that mark page chrome in many languages: menus, sharing, consent, subscription, legal.
# Matched per token (exact words, then prefixes): far cheaper than one big alternation regex.
_CHROME_WORDS = frozenset(
    """
    cookie cookies privacy datenschutz newsletter login logout signin signup anmelden register share
    teilen partager compartir facebook twitter instagram whatsapp linkedin youtube pinterest telegram
    copyright advertisement advertising anzeige werbung sponsored weiterlesen comment comments kommentar
    kommentare reply antworten related recommended trending popular impressum imprint terms contact
    kontakt menu menü search suche print email mail tags tag archive archiv download button iframe
    subscribe subscribed subscriber subscribers subscription subscriptions abonnieren abonnement abonnez
    abo advertise advertisements publicité publicidad sign log more mehr home startseite sponsor
    categories category kategorie kategorien schlagwörter schlagworte newsletters registrieren
    registration partagez commenter commentaires comentarios kommentieren rights droits derechos
    """.split()  # noqa: SIM905
)
_CHROME_MARKS = ("©", "(c)", "read more", "all rights", "skip to", "follow us", "app store", "google play")
# "\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b", written to start with a digit (the
# look-behind is the leading \b) so the regular expression engine skips ahead to digits: twice as fast
_NUMERIC_DATE = re.compile(r"\d(?<!\w\d)(?:\d?[./-]\d{1,2}[./-]\d{2,4}|\d{3}-\d{2}-\d{2})\b")
# Month names and their short forms; a line with one of them and a number reads as a date.
_MONTHS = frozenset(
    """
    jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
    september october november december januar februar märz juni juli oktober dezember janvier février
    mars avril mai juin juillet août septembre octobre novembre décembre enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno
    luglio settembre ottobre dicembre
    """.split()  # noqa: SIM905
)
_STOPWORD, _CHROME_WORD, _MONTH_WORD, _PAGE_WORD = 1, 2, 4, 8
_LISTED_WORDS = {word: (_STOPWORD * (word in STOPWORDS) | _CHROME_WORD * (word in _CHROME_WORDS)
                        | _MONTH_WORD * (word in _MONTHS)) for word in STOPWORDS | _CHROME_WORDS | _MONTHS}
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_BYLINE = re.compile(r"^(by|von|par|por|di|door|posted by|written by|author|autor|auteur)\b", re.IGNORECASE)
_URLISH = re.compile(r"https?:|www\.|\.com\b|\.de\b|\.org\b|@\w")
_PLACEHOLDER = re.compile(r"\(BUTTON\)|\[[^\]\n]{0,80}\]|__{3,}|IFRAME:|\[INS:")
_WORD = re.compile(r"\w+")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s")
_ITEM_MARKER = re.compile(r"^(?:[*+•◦▪]|\d{1,3}[.)])\s+")
_BULLETS = frozenset("*+o•◦▪-–·►▸»›>#|")
_SENTENCE_END = frozenset(".!?。！？")
_CLOSERS = "\"'”’»)]*"

# Column groups, by name, so training and inference index the same matrix the same way.
LINE_FEATURES = (
    "indent", "log_chars", "log_words", "rel_len", "ends_sentence", "ends_colon", "ends_ellipsis",
    "ends_plain", "bullet", "numbered", "starts_upper", "starts_lower", "cap_ratio", "upper_ratio",
    "digit_ratio", "punct_ratio", "commas_per_word", "inner_sentences", "stop_ratio", "page_word_ratio",
    "mean_word_len", "separators", "chrome_hits", "urlish", "placeholder", "date", "time", "byline",
    "log_repeats", "position", "blank_before", "blank_after", "alpha_ratio", "non_ascii_ratio",
    "continues_prev", "continued_next",
)
UNIT_FEATURES = ("unit_log_chars", "unit_log_words", "unit_ends_sentence", "unit_sentences", "unit_stop_ratio",
                 "unit_lines", "unit_pos")
BLOCK_FEATURES = ("block_log_lines", "block_log_chars", "block_sentence_ratio", "block_bullet_ratio",
                  "block_stop_ratio", "block_mean_rel_len", "block_pos", "block_chrome_ratio", "block_short_ratio")
CONTEXT_SOURCE = ("unit_log_chars", "unit_ends_sentence", "stop_ratio", "bullet", "log_words", "chrome_hits",
                  "block_sentence_ratio", "block_log_chars", "indent", "cap_ratio")
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
PAGE_FEATURES = ("density_10", "density_30", "dist_dense", "text_before", "text_after", "page_stop",
                 "page_log_lines", "indent_is_mode")


def feature_names() -> list[str]:
    names = list(LINE_FEATURES) + list(UNIT_FEATURES) + list(BLOCK_FEATURES)
    for off in CONTEXT_OFFSETS:
        names += [f"{name}@{off:+d}" for name in CONTEXT_SOURCE]
    return names + list(PAGE_FEATURES)


FEATURE_NAMES = tuple(feature_names())
_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
_CONTEXT_SOURCE_COLS = [_COL[name] for name in CONTEXT_SOURCE]
_CONTEXT_COLS = [slice(_COL[f"{CONTEXT_SOURCE[0]}@{off:+d}"], _COL[f"{CONTEXT_SOURCE[0]}@{off:+d}"] + len(CONTEXT_SOURCE))
                 for off in CONTEXT_OFFSETS]


@dataclass(frozen=True)
class Dump:
    """A page dump cut into lines, with the structure the features and the decoder both need."""

    lines: list[str]  # every line of the page, right-stripped
    rows: list[int]  # indices (into lines) of the non-blank lines: one feature row each
    texts: list[str]  # per row: its line without the margin
    units: list[int]  # per row: the wrapped paragraph it belongs to
    blocks: list[int]  # per row: the blank-line separated block it belongs to
    width: int  # the wrapping width the dump appears to use


# `lynx -dump` without -nolist numbers each link ("[7]Corin Ashdown") and lists the addresses at the
# end, under "References" (split into "Visible links" and "Hidden links" when the page hides some).
# The list and the numbers are the browser's, not the page's: the list is cut and a number before a
# link's text dropped (after the lines are grouped, which reads their widths as lynx wrapped them).
_LINK_LIST_HEADING = "References"
_LINK_LIST_LINE = re.compile(r"^\s*(?:\d+\.\s+\S+|Visible links:?|Hidden links:?)?\s*$")
_LINK_NUMBER = re.compile(r"\[\d+\](?=\S)")


def _link_list_start(lines: list[str]) -> int | None:
    """The line where lynx's list of links begins, if the dump ends with one."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index] == _LINK_LIST_HEADING:
            listed = lines[index + 1:]
            return index if any(listed) and all(map(_LINK_LIST_LINE.match, listed)) else None
        if not _LINK_LIST_LINE.match(lines[index]):
            return None
    return None


def split_dump(text: str) -> Dump:
    lines = list(map(str.rstrip, text.expandtabs().replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    link_list = _link_list_start(lines)
    if link_list is not None:
        lines = lines[:link_list]
    rows = list(compress(range(len(lines)), lines))
    texts = list(map(str.lstrip, map(lines.__getitem__, rows)))
    lengths = sorted(map(len, map(lines.__getitem__, rows)))
    # the wrap width: the longest lines of a wrapped dump pile up just under it
    width = lengths[int(len(lengths) * 0.97)] if lengths else 80
    width = max(width, 40)
    units, blocks = [], []
    unit = block = -1
    prev = -2
    for k, r in enumerate(rows):
        if r != prev + 1:
            block += 1
            unit += 1
        elif not wraps_into(lines[prev], texts[k - 1], lines[r], texts[k], width):
            unit += 1
        units.append(unit)
        blocks.append(block)
        prev = r
    if link_list is not None:
        lines = [_LINK_NUMBER.sub("", line) for line in lines]
        texts = [_LINK_NUMBER.sub("", text) for text in texts]
    return Dump(lines, rows, texts, units, blocks, width)


def wraps_into(previous: str, previous_text: str, line: str, text: str, width: int) -> bool:
    """Whether `line` continues `previous` because the dumper wrapped it, not because of a break
    (`text` and `previous_text` are the lines without their margin)."""
    if text[0] in "*+•◦▪" or (text[0].isdigit() and _NUMBERED.match(text)):
        return False
    # indented further than a wrapped line hangs under its item's marker ("* ", "10. ")
    hang = len(marker.group()) if (marker := _ITEM_MARKER.match(previous_text)) else 2
    if len(line) - len(text) > len(previous) - len(previous_text) + hang:
        return False
    return len(previous) + 1 + len(text.split(" ", 1)[0]) > width - 1


# Character classes of every code point up to _LAST_CODE (any code above is classed like it: a
# letter outside the symbol blocks), one bit each, so a page's characters are classed with a
# single table look-up.
_LETTER_BIT, _UPPER_BIT, _DIGIT_BIT, _SPACE_BIT, _HIGH_BIT, _WORD_BIT, _STOP_BIT, _BAR_BIT = (1 << bit for bit in range(8))
_LAST_CODE = 0x10000


def _class_table() -> np.ndarray:
    """Letters outside ASCII are approximated by code-point ranges (symbol, punctuation and box-drawing
    blocks excluded): exact `str.isalpha` per character costs far more and changes nothing here."""
    codes = np.arange(_LAST_CODE + 1)
    ascii_upper = (codes >= 65) & (codes <= 90)
    high = codes > 127
    symbol = ((codes >= 0x80) & (codes <= 0xBF)) | (codes == 0xD7) | (codes == 0xF7) | (
        (codes >= 0x2000) & (codes <= 0x2BFF)) | ((codes >= 0x3000) & (codes <= 0x303F)) | (
        (codes >= 0xFF00) & (codes <= 0xFF0F)) | ((codes >= 0xE000) & (codes <= 0xF8FF))
    letter = ascii_upper | ((codes >= 97) & (codes <= 122)) | (high & ~symbol)
    digit = (codes >= 48) & (codes <= 57)
    classes = {
        _LETTER_BIT: letter,
        _UPPER_BIT: ascii_upper | ((codes >= 0xC0) & (codes <= 0xDE) & (codes != 0xD7)) | ((codes >= 0x410) & (codes <= 0x42F)),
        _DIGIT_BIT: digit,
        _SPACE_BIT: codes == 32,
        _HIGH_BIT: high,
        _WORD_BIT: letter | digit | (codes == 95),
        _STOP_BIT: (codes == 46) | (codes == 63) | (codes == 33),  # a sentence end when a space follows
        _BAR_BIT: (codes == 124) | (codes == 0xB7) | (codes == 0xBB) | (codes == 0x203A),  # separators in any place
    }
    table = np.zeros(len(codes), dtype=np.uint8)
    for bit, members in classes.items():
        table[members] |= bit
    return table


_CHAR_CLASS = _class_table()


def _char_counts(texts: list[str]) -> dict[str, np.ndarray]:
    """Per-text character-class counts, computed on code points with numpy for the whole page at once."""
    joined = "\n".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    classes = _CHAR_CLASS.take(np.minimum(codes, _LAST_CODE))

    def has(bit: int) -> np.ndarray:
        return (classes & bit).astype(bool)

    letter, upper, space, word = has(_LETTER_BIT), has(_UPPER_BIT), has(_SPACE_BIT), has(_WORD_BIT)
    previous = np.concatenate([[False], word[:-1]])
    word_start = word & ~previous
    nonspace = ~space & (codes != 10)
    next_space = np.concatenate([space[1:], [True]])
    inner_end = has(_STOP_BIT) & next_space | (codes == 0x3002)
    separator = has(_BAR_BIT) | (((codes == 47) | (codes == 62)) & next_space & np.concatenate([[False], space[:-1]]))
    previous_nonspace = np.concatenate([[False], nonspace[:-1]])

    def per_text(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask, starts, dtype=np.int32) if len(texts) else np.zeros(0)

    return {
        "letters": per_text(letter),
        "digits": per_text(has(_DIGIT_BIT)),
        "upper": per_text(upper),
        "spaces": per_text(space),
        "high": per_text(has(_HIGH_BIT)),
        "words": per_text(nonspace & ~previous_nonspace),
        "alpha_starts": per_text(word_start & letter),
        "upper_starts": per_text(word_start & upper),
        "commas": per_text(codes == 44),
        "inner_ends": per_text(inner_end),
        "separators": per_text(separator),
        "chars": lengths,
    }


_ROW_FEATURES = ("ends_sentence", "ends_colon", "ends_ellipsis", "ends_plain", "bullet", "numbered", "starts_upper",
                 "starts_lower", "chrome_hits", "urlish", "placeholder", "date", "time", "byline")
_BULLET_TAIL = frozenset(("", " "))
_FIRST_CHAR, _SECOND_CHAR, _LAST_CHAR = (operator.itemgetter(slice(a, b)) for a, b in ((0, 1), (1, 2), (-1, None)))
_BYLINE_INITIALS = frozenset("bBvVpPdDwWaA")


# What a line's first or last character is, one bit each (every bit lands in 0/1 columns below).
_STOP_EDGE, _COLON_EDGE, _ALNUM_EDGE, _BULLET_EDGE, _DIGIT_EDGE, _UPPER_EDGE, _LOWER_EDGE, _BYLINE_EDGE = (
    1 << bit for bit in range(8))


@lru_cache(maxsize=4096)
def _edge_char(char: str) -> int:
    """The edge bits of a character ("" for none), memoised: pages repeat the same few characters."""
    return (_STOP_EDGE * (char in _SENTENCE_END) | _COLON_EDGE * (char == ":") | _ALNUM_EDGE * char.isalnum()
            | _BULLET_EDGE * (char in _BULLETS) | _DIGIT_EDGE * char.isdigit() | _UPPER_EDGE * char.isupper()
            | _LOWER_EDGE * char.islower() | _BYLINE_EDGE * (char in _BYLINE_INITIALS))


def _text_marks(texts: list[str], lowered: list[str], lengths: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """The _ROW_FEATURES columns: what each line's text starts and ends with, and the marks it holds.

    Column by column over the page (one C-level pass each) rather than line by line in Python; a
    regular expression runs only on the lines that can match it (a date needs a digit, a byline its
    first letter), or once over the whole page where its matches are rare.
    """
    n = len(texts)
    marks = np.zeros((n, len(_ROW_FEATURES)), dtype=np.float32)

    def column(values) -> np.ndarray:
        return np.fromiter(values, dtype=bool, count=n)

    def set_rows(name: str, rows: list[int]) -> None:
        marks[rows, _ROW_FEATURES.index(name)] = 1.0

    first = np.fromiter(map(_edge_char, map(_FIRST_CHAR, texts)), dtype=np.uint8, count=n)
    last = np.fromiter(map(_edge_char, map(_LAST_CHAR, map(str.rstrip, texts, repeat(_CLOSERS)))), dtype=np.uint8,
                       count=n)
    marks[:, 0] = (last & _STOP_EDGE) > 0
    marks[:, 1] = (last & _COLON_EDGE) > 0
    marks[:, 2] = column(map(str.endswith, texts, repeat(("...", "…"))))
    marks[:, 3] = (last & _ALNUM_EDGE) > 0
    marks[:, 4] = ((first & _BULLET_EDGE) > 0) & column(map(_BULLET_TAIL.__contains__, map(_SECOND_CHAR, texts)))
    set_rows("numbered", [i for i in np.flatnonzero(first & _DIGIT_EDGE).tolist() if _NUMBERED.match(texts[i])])
    marks[:, 6] = (first & _UPPER_EDGE) > 0
    marks[:, 7] = (first & _LOWER_EDGE) > 0
    joined_lower = "\n".join(lowered)
    for mark in _CHROME_MARKS:
        if mark in joined_lower:
            marks[:, 8] += column(map(operator.contains, lowered, repeat(mark)))
    # no match of these spans two lines, so matches in the joined page fall in the lines that hold them
    joined = "\n".join(texts)
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    for name, pattern in (("urlish", _URLISH), ("placeholder", _PLACEHOLDER)):
        found = [match.start() for match in pattern.finditer(joined)]
        set_rows(name, np.searchsorted(starts, found, side="right") - 1)
    with_digits = np.flatnonzero(digits).tolist()
    set_rows("date", [i for i in with_digits if _NUMERIC_DATE.search(texts[i])])
    set_rows("time", [i for i in with_digits if ":" in texts[i] and _TIME.search(texts[i])])
    set_rows("byline", [i for i in np.flatnonzero(first & _BYLINE_EDGE).tolist() if _BYLINE.match(texts[i])])
    return marks


def _page_words(token_lists: list[list[str]], long_rows: np.ndarray) -> frozenset:
    """The page's own most frequent words: function words of whatever language the page is in."""
    counts = Counter(chain.from_iterable(compress(token_lists, long_rows.tolist())))
    words = list(counts)
    frequencies = np.fromiter(counts.values(), dtype=np.intp, count=len(words))
    # a stable sort, so words of equal count keep their first-seen order, as Counter.most_common does
    most_common = [words[i] for i in np.argsort(-frequencies, kind="stable")[:40].tolist()]
    return frozenset([w for w in most_common if not w.isdigit()][:25])


def _group_mean(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    sums = np.bincount(groups, weights=values, minlength=n_groups)
    counts = np.bincount(groups, minlength=n_groups)
    return (sums / np.maximum(counts, 1))[groups]


def _window_sums(values: np.ndarray, positions: np.ndarray, n_lines: int, halves: tuple[int, ...]) -> np.ndarray:
    """Sums of `values` over the lines within each half-width of each position, one row per half-width."""
    cumulative = np.cumsum(np.bincount(positions + 1, weights=values, minlength=n_lines + 1))
    reach = np.asarray(halves)[:, None]
    lo = np.clip(positions - reach, 0, n_lines)
    hi = np.clip(positions + reach + 1, 0, n_lines)
    return cumulative[hi] - cumulative[lo]


def featurise(dump: Dump) -> np.ndarray:
    """One row of FEATURE_NAMES per non-blank line of the dump, column-major: the features are
    written a column at a time, and the forests copy the rows they walk a block at a time, so no
    row-major copy of a whole page's matrix (hundreds of MB for a 20 MB dump) is ever made."""
    return featurise_with_words(dump)[0]


def featurise_with_words(dump: Dump) -> tuple[np.ndarray, list[list[str]]]:
    """featurise, and each row's words (lower-cased \\w+ runs), which the body decoder reads again."""
    n = len(dump.rows)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32, order="F")
    if not n:
        return out, []
    lines, rows, width = dump.lines, dump.rows, dump.width
    col = _COL
    texts = dump.texts
    raw_lengths = np.fromiter(map(len, map(lines.__getitem__, rows)), dtype=np.float64, count=n)
    counts = _char_counts(texts)
    chars = counts["chars"].astype(np.float64)
    lowered = [text.lower() for text in texts]
    out[:, [col[name] for name in _ROW_FEATURES]] = _text_marks(texts, lowered, counts["chars"], counts["digits"])
    token_lists = list(map(_WORD.findall, lowered))
    # word-list lookups for all rows at once: the page's tokens in one list, tagged with their row
    n_tokens = np.fromiter(map(len, token_lists), dtype=np.intp, count=n)
    tokens = list(chain.from_iterable(token_lists))
    token_row = np.repeat(np.arange(n), n_tokens)

    def per_row(hits: np.ndarray) -> np.ndarray:
        return np.bincount(token_row, weights=hits, minlength=n)

    # one dict look-up per token answers the three fixed word lists and the page's own words
    words_of = dict(_LISTED_WORDS)
    for word in _page_words(token_lists, chars > 40):
        words_of[word] = words_of.get(word, 0) | _PAGE_WORD
    listed = np.fromiter(map(words_of.get, tokens, repeat(0)), dtype=np.uint8, count=len(tokens))
    per_token = 1.0 / np.maximum(n_tokens, 1)
    out[:, col["stop_ratio"]] = per_row(listed & _STOPWORD > 0) * per_token
    out[:, col["chrome_hits"]] += per_row(listed & _CHROME_WORD > 0)
    has_month = (per_row(listed & _MONTH_WORD > 0) > 0) & (counts["digits"] > 0)
    out[:, col["date"]] = np.maximum(out[:, col["date"]], has_month)
    n_words = counts["words"].astype(np.float64)
    per_word = 1.0 / np.maximum(n_words, 1)
    out[:, col["commas_per_word"]] = counts["commas"] * per_word
    out[:, col["inner_sentences"]] = counts["inner_ends"] * per_word
    out[:, col["separators"]] = counts["separators"]
    out[:, col["indent"]] = np.minimum(raw_lengths - chars, 40) / 10.0
    out[:, col["log_chars"]] = np.log1p(chars)
    out[:, col["log_words"]] = np.log1p(n_words)
    out[:, col["rel_len"]] = raw_lengths / width
    letters = counts["letters"].astype(np.float64)
    out[:, col["cap_ratio"]] = counts["upper_starts"] / np.maximum(counts["alpha_starts"], 1)
    out[:, col["upper_ratio"]] = counts["upper"] / np.maximum(letters, 1)
    out[:, col["digit_ratio"]] = counts["digits"] / chars
    out[:, col["punct_ratio"]] = (chars - letters - counts["digits"] - counts["spaces"]) / chars
    out[:, col["alpha_ratio"]] = letters / chars
    out[:, col["non_ascii_ratio"]] = counts["high"] / chars
    out[:, col["mean_word_len"]] = (chars - counts["spaces"]) * per_word / 10.0
    out[:, col["page_word_ratio"]] = per_row(listed & _PAGE_WORD > 0) * per_token
    text_counts = Counter(texts)
    pos = np.asarray(rows)
    n_lines = len(lines)
    units = np.asarray(dump.units)
    blocks = np.asarray(dump.blocks)
    out[:, col["log_repeats"]] = np.log1p(np.fromiter(map(text_counts.__getitem__, texts), dtype=np.float64, count=n) - 1)
    out[:, col["position"]] = pos / max(n_lines - 1, 1)
    gaps = np.diff(pos)
    before = np.concatenate([[pos[0]], gaps - 1])
    after = np.concatenate([gaps - 1, [n_lines - 1 - pos[-1]]])
    out[:, col["blank_before"]] = np.minimum(before, 3)
    out[:, col["blank_after"]] = np.minimum(after, 3)
    same_unit_prev = np.concatenate([[False], units[1:] == units[:-1]])
    same_unit_next = np.concatenate([units[1:] == units[:-1], [False]])
    out[:, col["continues_prev"]] = same_unit_prev
    out[:, col["continued_next"]] = same_unit_next

    # wrapped paragraphs ("units")
    n_units = int(units[-1]) + 1
    words = n_words
    unit_chars = np.bincount(units, weights=chars + 1, minlength=n_units)
    unit_words = np.bincount(units, weights=words, minlength=n_units)
    unit_lines = np.bincount(units, minlength=n_units)
    last_of_unit = np.concatenate([units[1:] != units[:-1], [True]])
    unit_end = np.zeros(n_units)
    unit_end[units[last_of_unit]] = out[last_of_unit, col["ends_sentence"]]
    inner = out[:, col["inner_sentences"]] * np.maximum(words, 1)
    unit_sent = np.bincount(units, weights=inner, minlength=n_units) + unit_end
    stop_count = out[:, col["stop_ratio"]] * np.maximum(words, 1)
    unit_stop = np.bincount(units, weights=stop_count, minlength=n_units) / np.maximum(unit_words, 1)
    first_of_unit = np.concatenate([[True], units[1:] != units[:-1]])
    unit_index = np.arange(n) - np.maximum.accumulate(np.where(first_of_unit, np.arange(n), 0))
    out[:, col["unit_log_chars"]] = np.log1p(unit_chars[units])
    out[:, col["unit_log_words"]] = np.log1p(unit_words[units])
    out[:, col["unit_ends_sentence"]] = unit_end[units]
    out[:, col["unit_sentences"]] = np.log1p(unit_sent[units])
    out[:, col["unit_stop_ratio"]] = unit_stop[units]
    out[:, col["unit_lines"]] = np.log1p(unit_lines[units])
    out[:, col["unit_pos"]] = unit_index / np.maximum(unit_lines[units] - 1, 1)

    # blank-line separated blocks
    n_blocks = int(blocks[-1]) + 1
    block_lines = np.bincount(blocks, minlength=n_blocks)
    block_chars = np.bincount(blocks, weights=chars, minlength=n_blocks)
    first_of_block = np.concatenate([[True], blocks[1:] != blocks[:-1]])
    block_index = np.arange(n) - np.maximum.accumulate(np.where(first_of_block, np.arange(n), 0))
    unit_sentence_line = np.where(last_of_unit, out[:, col["ends_sentence"]], 0.0)
    block_units = np.bincount(blocks, weights=last_of_unit.astype(np.float64), minlength=n_blocks)
    block_sent = np.bincount(blocks, weights=unit_sentence_line, minlength=n_blocks) / np.maximum(block_units, 1)
    out[:, col["block_log_lines"]] = np.log1p(block_lines[blocks])
    out[:, col["block_log_chars"]] = np.log1p(block_chars[blocks])
    out[:, col["block_sentence_ratio"]] = block_sent[blocks]
    out[:, col["block_bullet_ratio"]] = _group_mean(out[:, col["bullet"]].astype(np.float64), blocks, n_blocks)
    out[:, col["block_stop_ratio"]] = _group_mean(out[:, col["stop_ratio"]].astype(np.float64), blocks, n_blocks)
    out[:, col["block_mean_rel_len"]] = _group_mean(out[:, col["rel_len"]].astype(np.float64), blocks, n_blocks)
    out[:, col["block_pos"]] = block_index / np.maximum(block_lines[blocks] - 1, 1)
    out[:, col["block_chrome_ratio"]] = _group_mean(np.minimum(out[:, col["chrome_hits"]], 1).astype(np.float64), blocks, n_blocks)
    out[:, col["block_short_ratio"]] = _group_mean((chars < 30).astype(np.float64), blocks, n_blocks)

    # neighbours (by non-blank line), -1 beyond the page edges
    reach = max(abs(off) for off in CONTEXT_OFFSETS)
    source = out[:, _CONTEXT_SOURCE_COLS]
    padded = np.full((n + 2 * reach, len(CONTEXT_SOURCE)), -1.0, dtype=np.float32)
    padded[reach:reach + n] = source
    for off, cols in zip(CONTEXT_OFFSETS, _CONTEXT_COLS):
        out[:, cols] = padded[reach + off:reach + off + n]

    # where the running text of the page lies
    prose = (unit_words[units] >= 12) & (unit_stop > 0.08)[units] | (unit_words[units] >= 25)
    prose_chars = np.where(prose, chars, 0.0)
    total = prose_chars.sum() or 1.0
    density_10, density_30, density_15 = _window_sums(prose_chars, pos, n_lines, (10, 30, 15))
    for dens, name in ((density_10, "density_10"), (density_30, "density_30")):
        out[:, col[name]] = dens / (dens.max() or 1.0)
    dense_at = pos[int(np.argmax(density_15))]
    out[:, col["dist_dense"]] = (pos - dense_at) / max(n_lines, 1) * 10
    before_text = np.cumsum(prose_chars) - prose_chars
    out[:, col["text_before"]] = before_text / total
    out[:, col["text_after"]] = (total - before_text - prose_chars) / total
    long_rows = chars > 40
    out[:, col["page_stop"]] = float(out[long_rows, col["stop_ratio"]].mean()) if long_rows.any() else 0.0
    out[:, col["page_log_lines"]] = np.log1p(n_lines)
    indents = out[:, col["indent"]]
    mode = Counter(indents[long_rows].tolist()).most_common(1)
    out[:, col["indent_is_mode"]] = (indents == mode[0][0]) if mode else 0.0
    return out, token_lists
