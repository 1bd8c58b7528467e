"""Article extraction from a text-browser page dump (`lynx -dump`): menus, notices and lists removed.

Three learned line classifiers do the work, all gradient-boosted trees run here with numpy from the
weights in `textdump_model.json`: the first scores each non-blank line as article body or not, from
the features in `lines.py`; the second scores it again from the first one's scores around it (the
page's main text region, neighbouring body lines: a learned decoding step); the third picks the
headline, with the body scores as context. A short rule-based step then fills small gaps inside the
text, drops repeated summaries of it, and joins wrapped lines back into paragraphs.

The weights were trained by `tools/train_textdump.py` on synthetic pages only: articles from the
TRAIN halves of PolNeAR (`eval/attribution/train.jsonl`) and ECB+ (`eval/stories/train.jsonl`)
wrapped in generated page chrome and rendered by Debian's lynx; see that script for the details.
No reported data set (any `dev.jsonl`, the seed pages) was used for training.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, groupby
from pathlib import Path

import numpy as np

from presswatch.errors import DataFormatError
from presswatch.extract.assemble import assemble_article
from presswatch.extract.boilerplate import ADDRESSES_READER, CLOCK_ONLY, CONSENT
from presswatch.extract.dates import DATE_PATTERNS, find_date, hinted_date
from presswatch.extract.language import detect_language
from presswatch.extract.lines import (
    FEATURE_NAMES,
    Dump,
    featurise_with_words,
    split_dump,
)
from presswatch.extract.slug import (
    SLUG_MIN_SHARE,
    SLUG_MIN_WORDS,
    mentioned_slug_words,
    slug_share,
    slug_words,
)
from presswatch.extract.textmeta import text_metadata
from presswatch.records import Article, Page

MODEL_PATH = Path(__file__).with_name("textdump_model.json")
# Rows scored at once by a forest: a few MB of node indices per block (150 trees), and big pages
# ran as fast per row as with larger blocks (bench/limits.py).
MARGIN_BLOCK_ROWS = 4096


@dataclass(frozen=True)
class Forest:
    """Gradient-boosted trees as flat arrays, walked one level per step for all rows and trees at once.

    Node k of the flattened forest splits on `nodes[k]["feature"]`; its children are `nodes[k]["child"]`
    (x <= threshold) and that + 1 (x > threshold). A leaf is its own child with an infinite
    threshold, so extra steps leave it in place. A node's three fields sit in one 8-byte record
    (while the indices fit 16 bits), so each step reads them with a single gather.
    """

    nodes: np.ndarray  # records (feature, child, threshold)
    value: np.ndarray
    roots: np.ndarray  # index of each tree's root node
    depth: int

    @classmethod
    def from_json(cls, spec: dict) -> Forest:
        threshold = np.asarray(spec["threshold"], dtype=np.float64)
        threshold[threshold >= 1e38] = np.inf
        index = np.int16 if len(threshold) <= np.iinfo(np.int16).max else np.int32
        nodes = np.empty(len(threshold), dtype=[("feature", index), ("child", index), ("threshold", np.float32)])
        nodes["feature"] = spec["feature"]
        nodes["child"] = spec["child"]
        nodes["threshold"] = threshold  # exported as float32 values: comparisons stay exact
        return cls(
            nodes=nodes,
            value=np.asarray(spec["value"], dtype=np.float64),
            roots=np.asarray(spec["roots"], dtype=np.intp),
            depth=int(spec["depth"]),
        )

    def margin(self, *columns: np.ndarray) -> np.ndarray:
        """Summed leaf values per row, a block of rows at a time: the walk holds a node index per row
        and tree, which for a whole 20 MB dump of short lines would take gigabytes.

        The input is the column groups given, side by side (the line features, then the refine
        columns): each block is joined and made row-major on its own, so neither the joined matrix nor
        a row-major copy of the column-major features is ever held for the whole page.
        """
        n = len(columns[0])
        blocks = (np.ascontiguousarray(np.hstack([part[k:k + MARGIN_BLOCK_ROWS] for part in columns], dtype=np.float32))
                  for k in range(0, n, MARGIN_BLOCK_ROWS))
        return np.concatenate([*map(self._block_margin, blocks), np.zeros(0)])

    def _block_margin(self, x: np.ndarray) -> np.ndarray:
        flat = x.ravel()
        row_base = (np.arange(x.shape[0], dtype=np.int32) * x.shape[1])[:, None]
        # the first level is the same node for every row: split all rows on the roots at once
        roots = self.nodes[self.roots]
        node = roots["child"].astype(np.intp) + (x.take(roots["feature"], axis=1) > roots["threshold"])
        # every index is in range by construction: mode="clip" skips numpy's bounds errors (a few % faster)
        for _ in range(self.depth - 1):
            split = self.nodes.take(node, mode="clip")
            node = split["child"] + (flat.take(split["feature"] + row_base, mode="clip") > split["threshold"])
        return self.value.take(node, mode="clip").sum(axis=1)

    def probability(self, *columns: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.margin(*columns)))


@dataclass(frozen=True)
class TextdumpModel:
    body: Forest  # line features -> body score
    refine: Forest  # line features + the page's body scores around the line -> body score
    title: Forest  # line features + headline context -> headline score
    body_threshold: float

    @classmethod
    def from_json(cls, spec: dict) -> TextdumpModel:
        if (tuple(spec.get("features", ())) != FEATURE_NAMES or tuple(spec.get("refine_features", ())) != REFINE_FEATURES
                or tuple(spec.get("title_features", ())) != TITLE_FEATURES):
            raise DataFormatError(f"{MODEL_PATH.name} was trained on other line features; retrain with tools/train_textdump.py")
        return cls(Forest.from_json(spec["body"]), Forest.from_json(spec["refine"]), Forest.from_json(spec["title"]),
                   float(spec["body_threshold"]))

    def body_scores(self, dump: Dump, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First-pass and refined body probabilities of every row."""
        first = self.body.probability(x)
        return first, self.refine.probability(x, refine_features(dump, first))


@lru_cache(maxsize=2)
def load_model(path: Path | None = None) -> TextdumpModel:
    path = path or MODEL_PATH
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFormatError(f"cannot read the text-dump model {path}: {exc}") from exc
    return TextdumpModel.from_json(spec)


REFINE_FEATURES = ("p", "unit_p", "block_p", "block_max_p", "win1_p", "win3_p", "win8_p", "win20_p", "page_max_p",
                   "page_mean_p", "rel_p", "max_before", "max_after", "rows_to_strong_before", "rows_to_strong_after",
                   "in_main_segment", "rows_to_segment", "strong_share_before", "strong_share_after")


def refine_input(dump: Dump, x: np.ndarray, first: np.ndarray) -> np.ndarray:
    return np.hstack([x, refine_features(dump, first)])


def _windowed_means(values: np.ndarray, weights: np.ndarray, halves: tuple[int, ...]) -> np.ndarray:
    """Weighted means of `values` over the rows within each half-width of each row, one column per half-width."""
    cum_v = np.concatenate([[0.0], np.cumsum(values * weights)])
    cum_w = np.concatenate([[0.0], np.cumsum(weights)])
    idx = np.arange(len(values))[:, None]
    reach = np.asarray(halves)
    lo, hi = np.maximum(idx - reach, 0), np.minimum(idx + reach + 1, len(values))
    return (cum_v[hi] - cum_v[lo]) / np.maximum(cum_w[hi] - cum_w[lo], 1e-9)


def main_segment(p: np.ndarray, weight: np.ndarray) -> tuple[int, int]:
    """First and last row of the page's main text region: the run of rows with the largest sum of
    (score - 0.5) weighted by length (Kadane's maximum-sum segment)."""
    best, best_lo, best_hi, run, run_lo = -np.inf, 0, -1, 0.0, 0
    for i, g in enumerate(((p - 0.5) * weight).tolist()):
        if run <= 0:
            run, run_lo = g, i
        else:
            run += g
        if run > best:
            best, best_lo, best_hi = run, run_lo, i
    return best_lo, best_hi


def _row_weights(dump: Dump) -> np.ndarray:
    return np.sqrt(np.fromiter(map(len, dump.texts), dtype=np.float64, count=len(dump.texts)))


def refine_features(dump: Dump, p: np.ndarray) -> np.ndarray:
    """How the first-pass body scores look around each row: the page-level decoding, made learnable.

    A row amid strong body rows is body even when its own score is middling; a lone strong row far
    from the page's main text region is likely a teaser. The main segment is the run of rows with the
    largest sum of (score - 0.5) weighted by length.
    """
    n = len(p)
    out = np.zeros((n, len(REFINE_FEATURES)), dtype=np.float32)
    if not n:
        return out
    units, blocks = np.asarray(dump.units), np.asarray(dump.blocks)
    chars = np.fromiter(map(len, dump.texts), dtype=np.float64, count=n)
    weight = np.sqrt(chars)
    unit_p = (np.bincount(units, weights=p * weight) / np.maximum(np.bincount(units, weights=weight), 1e-9))[units]
    block_p = (np.bincount(blocks, weights=p * weight) / np.maximum(np.bincount(blocks, weights=weight), 1e-9))[blocks]
    block_max = np.maximum.reduceat(p, np.flatnonzero(np.diff(blocks, prepend=-1)))  # blocks are runs of rows
    strong = p > 0.5
    idx = np.arange(n)
    last_strong = np.maximum.accumulate(np.where(strong, idx, -1))
    next_strong = np.minimum.accumulate(np.where(strong, idx, n)[::-1])[::-1]
    best_lo, best_hi = main_segment(p, weight)
    strong_chars = np.where(strong, chars, 0.0)
    cum_strong = np.cumsum(strong_chars)
    total_strong = cum_strong[-1] or 1.0
    out[:, 0] = p
    out[:, 1] = unit_p
    out[:, 2] = block_p
    out[:, 3] = block_max[blocks]
    out[:, 4:8] = _windowed_means(p, weight, (1, 3, 8, 20))
    out[:, 8] = p.max()
    out[:, 9] = float((p * chars).sum() / max(chars.sum(), 1.0))
    out[:, 10] = p / max(p.max(), 1e-9)
    out[:, 11] = np.concatenate([[0.0], np.maximum.accumulate(p)[:-1]])
    out[:, 12] = np.concatenate([np.maximum.accumulate(p[::-1])[::-1][1:], [0.0]])
    out[:, 13] = np.minimum(np.where(last_strong >= 0, idx - last_strong, 99), 99)
    out[:, 14] = np.minimum(np.where(next_strong < n, next_strong - idx, 99), 99)
    out[:, 15] = (idx >= best_lo) & (idx <= best_hi)
    out[:, 16] = np.clip(np.where(idx < best_lo, idx - best_lo, np.where(idx > best_hi, idx - best_hi, 0)), -99, 99)
    out[:, 17] = (cum_strong - strong_chars) / total_strong
    out[:, 18] = (total_strong - cum_strong) / total_strong
    return out


TITLE_FEATURES = ("body_p", "body_p_next", "body_p_prev", "rows_to_body", "after_first_body", "title_repeats",
                  "title_contained", "title_log_words", "title_rank")


# Headlines stand above the start of the body, near it: rows further above than this are not
# considered (menus and link lists far from the text are most of the short lines), nor rows more
# than a few below it, inside the article (a deck or a first line can score as body before the
# headline does). On the metadata dev set 3 of 363 headlines stood further below; the rows below
# were two thirds of the candidates.
_TITLE_REACH = 60
_TITLE_BELOW = 5


def title_candidates(x: np.ndarray, first: int) -> np.ndarray:
    """Rows the headline classifier looks at: 1 to 32 words, from _TITLE_REACH rows above `first`
    (where the body starts) to _TITLE_BELOW rows below it, and not list items (menus and link lists
    were a third of such rows; on the metadata dev set no headline was one)."""
    words = x[:, FEATURE_NAMES.index("log_words")]
    idx = np.arange(len(x))
    near = (idx >= first - _TITLE_REACH) & (idx <= first + _TITLE_BELOW)
    return np.flatnonzero((words > 0.6) & (words < 3.5) & near & (x[:, FEATURE_NAMES.index("bullet")] == 0))


def first_body(dump: Dump, body_p: np.ndarray) -> int:
    """The first strong body row of the page's main text region: a lone strong line above the
    headline (an advertisement, a teaser) is not where the article starts."""
    strong = np.flatnonzero(body_p > 0.5)
    if not len(strong):
        return len(body_p)
    start, _ = main_segment(body_p, _row_weights(dump))
    in_main = strong[strong >= start]
    return int(in_main[0]) if len(in_main) else int(strong[0])


def title_scores(model: TextdumpModel, dump: Dump, x: np.ndarray, body_p: np.ndarray) -> np.ndarray:
    scores = np.zeros(len(x))
    first = first_body(dump, body_p)
    rows = title_candidates(x, first)
    if len(rows):
        scores[rows] = model.title.probability(np.hstack([x[rows], title_features(dump, x, body_p, rows, first)]))
    return scores


def title_features(dump: Dump, x: np.ndarray, body_p: np.ndarray, rows: np.ndarray, first: int) -> np.ndarray:
    """Extra columns for the headline classifier at the given rows: where each sits relative to the body.

    A headline stands shortly before the body, is often printed twice, and is often repeated inside
    a breadcrumb or the page's <title> line.
    """
    extra = np.zeros((len(rows), len(TITLE_FEATURES)), dtype=np.float32)
    if not len(rows):
        return extra
    padded = np.concatenate([[0.0], body_p, [0.0, 0.0]])
    extra[:, 0] = body_p[rows]
    extra[:, 1] = np.maximum(padded[rows + 2], padded[rows + 3])
    extra[:, 2] = padded[rows]
    extra[:, 3] = np.clip(first - rows, -50, 50)
    extra[:, 4] = rows > first
    texts = dump.texts
    # how often each line's text stands on the page, as the line features counted it
    repeats = np.rint(np.expm1(x[:, FEATURE_NAMES.index("log_repeats")].astype(np.float64))) + 1
    # where a headline is quoted inside another line: breadcrumbs, "Section|Headline" bars, link lines.
    # A line can only hold a longer-or-equal text, so the lines are joined longest first and each
    # candidate counts its occurrences in the part of the join made of lines at least as long.
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    by_length = np.argsort(-lengths, kind="stable")
    by_length = by_length[lengths[by_length] < 300]
    haystack = "\n".join(map(texts.__getitem__, by_length.tolist()))
    ends = np.concatenate([[0], np.cumsum(lengths[by_length] + 1)])  # ends[k]: where the first k lines end
    # per candidate: where in the join the lines at least as long as it end (none: every line is longer
    # than the join takes, a dump of long single tokens)
    reach = np.searchsorted(-lengths[by_length], -lengths[rows], side="right")
    reach_ends = ends[reach].tolist()
    contained: dict[str, int] = {}  # per distinct text: a menu entry can be a candidate twice
    in_page = []
    for text, reach_end, own in zip(map(texts.__getitem__, rows.tolist()), reach_ends, repeats[rows].tolist()):
        if len(text) > 3 and text not in contained:
            contained[text] = haystack.count(text, 0, reach_end) - int(own)
        in_page.append(contained.get(text, 0))
    extra[:, 5] = repeats[rows]
    extra[:, 6] = in_page
    extra[:, 7] = x[rows, FEATURE_NAMES.index("log_words")]
    extra[:, 8] = np.minimum(np.abs(rows - first), 30)
    return extra


def _joined(dump: Dump, rows: list[int]) -> list[str]:
    """Paragraph texts of the chosen rows: wrapped lines of one unit joined with a space."""
    paragraphs: list[str] = []
    last_unit = None
    for i in rows:
        text = dump.texts[i]
        if dump.units[i] == last_unit:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        last_unit = dump.units[i]
    return paragraphs


def select_body(dump: Dump, body_p: np.ndarray, threshold: float, words: list[list[str]]) -> list[int]:
    """Rows kept as body: a line's score is mixed with its wrapped paragraph's, then thresholded.

    A page where no line clears the threshold still has an article more often than not (a short
    item in heavy chrome): then the lines scoring at least half the page's best are kept.
    """
    if not len(body_p):
        return []
    units = np.asarray(dump.units)
    sums = np.bincount(units, weights=body_p)
    counts = np.bincount(units)
    unit_p = (sums / np.maximum(counts, 1))[units]
    score = 0.5 * body_p + 0.5 * unit_p
    if score.max() <= threshold:
        threshold = score.max() * 0.5
    rows = [int(i) for i in np.flatnonzero(score > threshold)]
    return drop_repeats(dump, words, fill_gaps(rows, score))


# A run of at most this many rows between two body rows is taken in when no row of it scores below
# the floor: small enough that a whole related-links box never fits, large enough for a short table.
GAP_ROWS = 3
GAP_FLOOR = 0.05


def fill_gaps(rows: list[int], score: np.ndarray) -> list[int]:
    """Take in short runs of rows between two body rows: a table, a list or a short line inside the text."""
    filled: list[int] = []
    for a, b in zip(rows, rows[1:] + [None]):
        filled.append(a)
        if b is not None and 1 < b - a <= GAP_ROWS + 1 and (score[a + 1:b] > GAP_FLOOR).all():
            filled.extend(range(a + 1, b))
    return filled


def drop_repeats(dump: Dump, words: list[list[str]], rows: list[int]) -> list[int]:
    """Drop runs of rows that repeat text already kept: summaries and teasers of the article itself.

    Runs are taken longest first, so the full article text wins over its shorter repetitions.
    `words` holds each row's lower-cased words, as featurise_with_words found them.
    """
    runs: list[list[int]] = []
    for i in rows:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) < 2:
        return rows
    tokens = [list(chain.from_iterable(map(words.__getitem__, run))) for run in runs]
    # a run's length: of its lines joined by spaces and lower-cased
    lengths = [sum(map(len, map(str.lower, map(dump.texts.__getitem__, run)))) + len(run) - 1 for run in runs]
    seen: set[tuple[str, ...]] = set()
    kept: list[int] = []
    for k in sorted(range(len(runs)), key=lambda k: -lengths[k]):
        grams = set(zip(tokens[k], tokens[k][1:], tokens[k][2:], tokens[k][3:]))
        if grams and len(grams & seen) >= 0.5 * len(grams):
            continue
        seen |= grams
        kept.extend(runs[k])
    return sorted(kept)


# Advertising is labelled as such at the start of its line ("Ad:", "Advertisement", "Sponsored by").
_ADVERT_LABEL = re.compile(
    r"^\W*(?:ads?|advert(?:isement)?|advertising|anzeige|werbung|publicité|publicidad|pubblicità|advertentie"
    r"|sponsored(?:\s+(?:content|post|story|links?))?)(?:\s*[:|–—-]|\s*$|\s+(?:for|by|from|von|pour|por|per)\b)",
    re.IGNORECASE)
# News pages print a headline and under it a longer deck (standfirst) that the dumper wraps over
# several lines, while a headline fits one. When the best-scoring line opens such a wrapped
# paragraph and a plausible one-line headline of fewer words stands right above it, that one wins.
DECK_HEADLINE_MIN_P = 0.05
DECK_HEADLINE_MIN_WORDS = 3


# What a text browser writes for form fields, embeds and images, a label before a value, an image's
# file name, a handle or an address: never a headline (on the metadata dev set these were a fifth of
# the wrong text-dump headlines).
# A line wholly in brackets is how lynx writes an image (its alt text or file name) or an inserted
# element ("[INS: :INS]"); a bare domain is the site's name; a "skip to content" link is for screen readers.
_NOT_A_HEADLINE = re.compile(
    r"_{4,}|^\[.*\]$|[.(](?:jpe?g|png|gif|webp|svg)\)?$|:$|@\w|^\W*(?:search|suche|recherche|buscar)\b"
    r"|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,10}$|^\W*(?:skip\s+to|skip\s+navigation|zum\s+inhalt|navigation\s+überspringen|"
    r"springe?\s+zu|aller\s+au\s+contenu|saltar\s+al)\b",
    re.IGNORECASE)


def never_headline(text: str) -> bool:
    """A consent notice, a labelled advertisement, a form field, a file name or a date alone:
    never the headline, whatever its shape. A consent banner stands where a headline does, just
    above the article, and is about as long: a line on cookies or consent that addresses the reader
    or carries the consent button (boilerplate's CONSENT and ADDRESSES_READER) is never the headline."""
    return bool(CONSENT.search(text) and ADDRESSES_READER.search(text) or _ADVERT_LABEL.match(text)
                or _NOT_A_HEADLINE.search(text.strip()) or _only_a_date(text))


def _only_a_date(text: str) -> bool:
    """A date line: a date and a few words besides it ("Mi, 18. Oktober 2023 um 12:50 Uhr", "Updated: …")."""
    if find_date(text) is None:
        return False
    for pattern in DATE_PATTERNS:
        text = pattern.sub(" ", text)
    return len(re.sub(r"[\W\d]+", "", text)) <= _DATE_LINE_LETTERS


# Letters a date line holds besides its date: a label ("Updated", "Veröffentlicht am"), "Uhr", a zone
# (set by hand from such lines, checked on half A of the metadata dev set: tools/metadata_halves.py).
_DATE_LINE_LETTERS = 16


def select_title(dump: Dump, title_p: np.ndarray) -> int | None:
    """The best-scoring headline row, notices and advertisements passed over; none when even the best is
    implausible."""
    for best in np.argsort(-title_p, kind="stable").tolist():
        if title_p[best] <= 0.02:
            return None
        if not never_headline(" ".join(_joined(dump, _unit_rows(dump, best)))):
            headline = _headline_above_deck(dump, title_p, best)
            return best if headline is None else headline
    return None


def _unit_rows(dump: Dump, row: int) -> list[int]:
    """The rows of the wrapped paragraph `row` belongs to (units are runs of rows)."""
    units = dump.units
    first, last = row, row
    while first > 0 and units[first - 1] == units[row]:
        first -= 1
    while last + 1 < len(units) and units[last + 1] == units[row]:
        last += 1
    return list(range(first, last + 1))


def _headline_above_deck(dump: Dump, title_p: np.ndarray, row: int) -> int | None:
    """The one-line headline printed right above the wrapped deck that `row` belongs to, if there is one."""
    units = dump.units
    unit = _unit_rows(dump, row)
    first, last = unit[0], unit[-1]
    above = first - 1
    if (last == first or above < 0 or (above > 0 and units[above - 1] == units[above])
            or title_p[above] < DECK_HEADLINE_MIN_P or never_headline(dump.texts[above])):
        return None
    headline_words = len(dump.texts[above].split())
    deck_words = sum(len(text.split()) for text in dump.texts[first:last + 1])
    return above if DECK_HEADLINE_MIN_WORDS <= headline_words < deck_words else None


def slug_headline(dump: Dump, chosen: int | None, slug: frozenset[str]) -> int | None:
    """The headline the address spells out, where the classifier's choice does not: the line sharing
    most words with the slug (wherever it stands: the classifier looks near the body only, and a page
    whose body it misplaces has its headline elsewhere)."""
    if not slug:
        return chosen
    def paragraph(row: int) -> str:
        return " ".join(_joined(dump, _unit_rows(dump, row)))
    current = slug_share(paragraph(chosen), slug) if chosen is not None else 0.0
    if current >= 1.0:  # the classifier's choice spells the slug out: no line can share more
        return chosen
    best, best_share = chosen, max(current, SLUG_MIN_SHARE - 1e-9)
    # one search for the slug's words over the whole page first: most lines hold none of them (in
    # lower case, as slug words are: a search with IGNORECASE took three times as long)
    mentions = re.compile("|".join(map(_spelled_any_way, sorted(slug, key=len, reverse=True))))
    page = "\n".join(dump.texts).lower()
    # the rows mentioning one, a search per such row: its first mention is enough (a search for every
    # mention of a short slug word, "the" in "other", took a fifth longer)
    mentioning, at_row, pos = [], 0, 0
    while (match := mentions.search(page, pos)) is not None:
        at_row += page.count("\n", pos, match.start())
        mentioning.append(at_row)
        pos = page.find("\n", match.end())
        if pos < 0:
            break
    seen_units: set[int] = set()
    for row in mentioning:
        text = dump.texts[row]
        if len(text) > _SLUG_LINE_CHARS or _LIST_ITEM.match(text) or dump.units[row] in seen_units:
            continue
        # a wrapped paragraph's rows all share its text: the first of them eligible decides for it
        seen_units.add(dump.units[row])
        text = paragraph(row)
        # a paragraph mentioning too few of the slug's words cannot win, and finding them is a
        # fraction of the cost of slug_share (most paragraphs mention one or two)
        mentioned = len(mentioned_slug_words(text, slug))
        if mentioned < SLUG_MIN_WORDS or mentioned / len(slug) <= best_share:
            continue
        if (value := slug_share(text, slug)) > best_share and not never_headline(text):
            best, best_share = row, value
    return best


def _spelled_any_way(slug_word: str) -> str:
    """A pattern for a slug's word as a line may write it: "rueckkehr" also as "rückkehr"."""
    pattern = re.escape(slug_word)
    for written_out, letter in (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß")):
        pattern = pattern.replace(written_out, f"(?:{written_out}|{letter})")
    return pattern


# Headline-length lines only; list items (menus, related links, a breadcrumb's entries) are not headlines.
_SLUG_LINE_CHARS = 300
_LIST_ITEM = re.compile(r"^\s*(?:[*+•#o-]|\d{1,2}\.)\s")


def locate_article(dump: Dump, model: TextdumpModel, url: str | None = None) -> tuple[list[int], list[int]]:
    """Rows of the headline (its wrapped lines) and rows of the body, both in page order."""
    if not dump.rows:
        return [], []
    x, words = featurise_with_words(dump)
    first_p, body_p = model.body_scores(dump, x)
    title_p = title_scores(model, dump, x, first_p)
    classified = select_title(dump, title_p)
    title_rows = _rows_of(dump, slug_headline(dump, classified, slug_words(url)))
    left_out = set(title_rows) | labelled_metadata(dump)
    chosen = set(select_body(dump, body_p, model.body_threshold, words)) | live_blog_entries(dump)
    body_rows = sorted(chosen - left_out)
    # where the body starts is the classifier's judgement: a headline found through the address may
    # stand anywhere (repeated in a teaser, a breadcrumb), and the text above it is not cut for that
    return title_rows, body_below_headline(dump, body_rows, _rows_of(dump, classified))


# What a page labels as facts about itself rather than writes as its text: a press release's or a
# government page's "From:", "Published", "Last updated", "Contact:". Such pages print them as a
# definition list, which lynx dumps as the label on a line of its own and the value on the lines
# under it, indented deeper; other dumpers put label and value on one line. This is structure, not
# style, so it is a rule: the line classifier sees only the block's shape, which an article's own
# label-and-value list (a fact box, a spec table) shares, and on the generator's press releases it
# kept the block as often as not (tests/test_analyst_pages.py). The date is still read from it: the
# metadata rules read the lines between the headline and the body.
_METADATA_LABELS = (r"from|published|first\s+published|last\s+updated|updated|date|issued(?:\s+by)?|released|"
                    r"location|part\s+of|applies\s+to|contact|herausgeber|veröffentlicht|aktualisiert|datum|"
                    r"publié\s+le|mis\s+à\s+jour|fecha|publicado")
_METADATA_LABEL_ALONE = re.compile(rf"(?i)^(?:{_METADATA_LABELS})\s*:?$")
_METADATA_LABEL_AND_VALUE = re.compile(rf"(?i)^(?:{_METADATA_LABELS})\s*:\s*\S")
# A value on the label's line is short: a name, a date, a place (longer, it is a sentence).
_METADATA_VALUE_WORDS = 12


def labelled_metadata(dump: Dump) -> set[int]:
    """Rows of labelled metadata: a label alone on its line with the lines under it indented deeper
    (its value), or two or more "Label: value" lines in a row."""
    found: set[int] = set()
    run: list[int] = []
    for i, text in enumerate(dump.texts):
        if _METADATA_LABEL_ALONE.match(text):
            value = list(_indented_under(dump, i))
            if value:
                found.update([i, *value])
        elif _METADATA_LABEL_AND_VALUE.match(text) and len(text.split()) <= _METADATA_VALUE_WORDS + 2:
            if run and (run[-1] != i - 1 or dump.blocks[i] != dump.blocks[run[-1]]):
                run = []
            run.append(i)
            if len(run) >= 2:
                found.update(run)
    return found


def _indented_under(dump: Dump, row: int):
    """The rows right under `row`, in its block, indented deeper than it."""
    indent = len(dump.lines[dump.rows[row]]) - len(dump.texts[row])
    for below in range(row + 1, len(dump.rows)):
        if dump.blocks[below] != dump.blocks[row] or len(dump.lines[dump.rows[below]]) - len(dump.texts[below]) <= indent:
            return
        yield below


# A live blog is a run of entries, newest first, each opened by its time on a line of its own and
# often closed by its own share links, with advertisements between entries. The line classifier,
# trained mostly on articles, reads an entry's text between a time line and a share bar as chrome:
# tests/data/analyst/fenwick_herald_storm_live.txt kept 3 of its 6 entries. A model retrained with
# the generator's live blogs kept them all, but lost 0.3 to 0.7 points of body F1 on held-out
# articles against a retrain on articles alone (tools/train_textdump.py), so the entries are found
# by their structure: where a page has at least LIVE_BLOG_MIN_STAMPS time lines, the paragraphs
# between one and the next that close like a sentence and run longer than a label are text, list
# items aside (a list of related articles with their leads). The last entry is taken to run no longer than the entries
# before it do as a rule, their median (what follows it is the page's footer). On the held-out pages
# of tools/textdump_heldout.py (seeds 11-13, the generator of 96c1ecf's live blogs): live blogs body
# F1 0.679/0.687/0.705 -> 0.785/0.799/0.791, articles 0.9323/0.9141/0.9185 -> 0.9318/0.9141/0.9185
# (an article quoting a news agency's timed updates took in a teaser between two of its times).
LIVE_BLOG_MIN_STAMPS = 3  # set by hand: an article prints two times at most (published, updated)


def live_blog_entries(dump: Dump) -> set[int]:
    """Rows of the sentence paragraphs between a live blog's time lines (none on another page)."""
    stamps = [i for i, text in enumerate(dump.texts) if CLOCK_ONLY.match(text)]
    if len(stamps) < LIVE_BLOG_MIN_STAMPS:
        return set()
    gaps = sorted(b - a for a, b in zip(stamps, stamps[1:]))
    ends = [*stamps[1:], stamps[-1] + gaps[len(gaps) // 2]]
    found: set[int] = set()
    for start, end in zip(stamps, ends):
        for _, group in groupby(range(start + 1, min(end, len(dump.rows))), key=dump.units.__getitem__):
            unit_rows = list(group)  # a wrapped paragraph: units are runs of rows
            text = " ".join(dump.texts[i] for i in unit_rows)
            if (_SENTENCE_CLOSE.search(text) and len(text.split()) > LABEL_MAX_WORDS
                    and not _LIST_ITEM.match(dump.texts[unit_rows[0]])):
                found.update(unit_rows)
    return found


def _rows_of(dump: Dump, row: int | None) -> list[int]:
    return [] if row is None else np.flatnonzero(np.asarray(dump.units) == dump.units[row]).tolist()


# The article's text follows its headline. Body lines above the headline are dropped (a line of
# advertising or a teaser that scored as text) when the text below it is at least this many times
# longer: a headline picked inside the article must not cut away the text above it.
BELOW_HEADLINE_SHARE = 3


def body_below_headline(dump: Dump, body_rows: list[int], title_rows: list[int]) -> list[int]:
    if not title_rows:
        return body_rows
    above = [i for i in body_rows if i < title_rows[0]]
    below = [i for i in body_rows if i > title_rows[0]]
    if above and sum(len(dump.texts[i]) for i in below) >= BELOW_HEADLINE_SHARE * sum(len(dump.texts[i]) for i in above):
        return below
    return body_rows


# A short line that is not a sentence ("By Ann Lee", "12 March 2024", "Listen to this article")
# opening the body may be kept as text, but it is where a byline or a date stands.
_SENTENCE_CLOSE = re.compile(r"[.!?:;…\"'”’»)]\s*$")
LABEL_MAX_WORDS = 8


def _after_leading_labels(dump: Dump, body_rows: list[int]) -> list[int]:
    """The body rows without the short non-sentence paragraphs it opens with, so the metadata rules
    read those as the byline block under the headline (the article body keeps them)."""
    start = 0  # body rows are in page order, so each wrapped paragraph is a run of them
    while start < len(body_rows):
        end = start + 1
        while end < len(body_rows) and dump.units[body_rows[end]] == dump.units[body_rows[start]]:
            end += 1
        text = " ".join(dump.texts[i] for i in body_rows[start:end])
        if end == len(body_rows) or len(text.split()) > LABEL_MAX_WORDS or _SENTENCE_CLOSE.search(text):
            break
        start = end
    return body_rows[start:]


# A kicker set apart from the headline in its own element is dumped before it with a space before the
# colon ("Auftragshoch bei FACC : Luftfahrtbranche hebt ab"), which written headlines never have, but
# in French, whose typography puts a space before every colon.
_KICKER = re.compile(r"^[^:]{2,60}?\s+:\s+(?=(?:\S+\s+){2}\S)")
# A headline printed twice in one line: an image's alt text and its caption ("Lemon cake Lemon cake").
_DOUBLED = re.compile(r"^(?P<once>.{8,}?)\s+(?P=once)$")


def _as_headline(title: str, body: str) -> str:
    title = _DOUBLED.sub(r"\g<once>", title)
    if not _KICKER.match(title) or detect_language(body)[0] == "fr":  # the language only when it matters
        return title
    return _KICKER.sub("", title)


def extract_textdump(page: Page) -> Article:
    dump = split_dump(page.content)
    title_rows, body_rows = locate_article(dump, load_model(), page.url)
    paragraphs = tuple(_joined(dump, body_rows))
    title = _as_headline(" ".join(_joined(dump, title_rows)), "\n".join(paragraphs)) or None
    meta = text_metadata(dump.lines, dump.rows[title_rows[0]] if title_rows else None,
                         [dump.rows[i] for i in _after_leading_labels(dump, body_rows)], page.url, page.content)
    # What the page came with (a feed entry's or a JSON Lines row's title, date, author, outlet)
    # wins over what is read from the text, as for HTML pages.
    hints = page.hints
    return assemble_article(
        page,
        title=hints.get("title") or title or hints.get("listed_title"),
        paragraphs=paragraphs,
        outlet=hints.get("outlet") or meta.outlet,
        published=hinted_date(hints.get("published")) or meta.published or hinted_date(hints.get("updated")),
        author=hints.get("author") or meta.author,
        credited_source=meta.credited_source,
    )
