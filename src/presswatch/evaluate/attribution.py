"""Scoring "who said what" against PolNeAR and against the seed pages' gold statements.

Both scorers follow the letter of the data READMEs (`shared/eval/README.md`, attribution section,
and `shared/seeds/README.md`), so figures here are comparable with the references quoted there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import numbered_rows
from presswatch.evaluate.metrics import prf
from presswatch.nlp.quotes import QUOTE_MARKS
from presswatch.records import Article, Statement

ROLES = ("cue", "source", "content")
_TRIM = " \t\r\n\f\v\u00a0" + QUOTE_MARKS

Span = tuple[int, int]


def trim_span(text: str, start: int, end: int) -> Span | None:
    """Shrink a span past leading/trailing whitespace and quote marks; None if nothing is left."""
    while start < end and (text[start] in _TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        end -= 1
    return (start, end) if start < end else None


def _clean(text: str, spans: Iterable[Span]) -> set[Span]:
    return {t for s, e in spans if (t := trim_span(text, s, e)) is not None}


def overlap_pairs(gold: set[Span], predicted: set[Span]) -> dict[Span, Span]:
    """One-to-one matching of spans sharing at least a character, greedily by largest overlap:
    each matched gold span -> its predicted span."""
    pairs = []
    for g in gold:
        for p in predicted:
            shared = min(g[1], p[1]) - max(g[0], p[0])
            if shared > 0:
                pairs.append((shared, g, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    matched: dict[Span, Span] = {}
    used_pred: set[Span] = set()
    for _, g, p in pairs:
        if g not in matched and p not in used_pred:
            matched[g] = p
            used_pred.add(p)
    return matched


def overlap_matches(gold: set[Span], predicted: set[Span]) -> int:
    return len(overlap_pairs(gold, predicted))


def gold_spans(row: Mapping) -> dict[str, list[Span]]:
    """Every contiguous fragment of every annotated cue, source and content (content2 included)."""
    out: dict[str, list[Span]] = {role: [] for role in ROLES}
    for attribution in row["attributions"]:
        for role, keys in (("cue", ("cue",)), ("source", ("source",)), ("content", ("content", "content2"))):
            for key in keys:
                for span in attribution.get(key) or []:
                    out[role].extend((int(s), int(e)) for s, e in span["fragments"])
    return out


def predicted_spans(statements: Iterable[Statement]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {role: [] for role in ROLES}
    for st in statements:
        out["cue"].append(st.cue_span)
        if st.speaker_span is not None:
            out["source"].append(st.speaker_span)
        out["content"].extend(st.content_spans)
    return out


def score_spans(texts: Mapping[str, str], gold: Mapping[str, dict], predicted: Mapping[str, dict]) -> dict:
    """Micro-averaged exact and overlap P/R/F1 per role over articles keyed by id."""
    counts = {role: {"gold": 0, "predicted": 0, "exact": 0, "overlap": 0} for role in ROLES}
    for doc_id, text in texts.items():
        for role in ROLES:
            g = _clean(text, gold.get(doc_id, {}).get(role, ()))
            p = _clean(text, predicted.get(doc_id, {}).get(role, ()))
            c = counts[role]
            c["gold"] += len(g)
            c["predicted"] += len(p)
            c["exact"] += len(g & p)
            c["overlap"] += overlap_matches(g, p)
    result: dict = {"articles": len(texts)}
    for role, c in counts.items():
        result[role] = {
            kind: prf(c[kind], c["predicted"] - c[kind], c["gold"] - c[kind]) for kind in ("exact", "overlap")
        }
    return result


def read_polnear(path: str | Path) -> list[dict]:
    rows = []
    for number, row in numbered_rows(Path(path)):
        if not isinstance(row.get("text"), str) or not isinstance(row.get("attributions"), list) or "id" not in row:
            raise DataFormatError(f"{path}:{number}: a PolNeAR row needs 'id', 'text' and 'attributions'")
        try:
            gold_spans(row)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise DataFormatError(
                f"{path}:{number}: each attribution must be an object whose cue, source and content are lists"
                ' of {"fragments": [[start, end], ...]}'
            ) from exc
        rows.append(row)
    return rows


def polnear_article(row: Mapping) -> Article:
    """The whole `text` (title line included) is the body, so statement offsets are gold offsets."""
    text = row["text"]
    return Article(
        id=str(row["id"]),
        page_id=str(row["id"]),
        url=None,
        title=row.get("title"),
        body=text,
        paragraphs=tuple(p for p in text.split("\n\n") if p.strip()),
        published=row.get("publication_date"),
    )


def evaluate_attribution(path: str | Path, nlp=None) -> dict:
    from presswatch.nlp.statements import ATTRIBUTIONS, extract_statements_batch

    rows = read_polnear(path)
    articles = [polnear_article(r) for r in rows]
    by_article = dict(zip((a.id for a in articles), extract_statements_batch(articles, nlp=nlp, scope=ATTRIBUTIONS)))
    texts = {a.id: a.body for a in articles}
    gold = {str(r["id"]): gold_spans(r) for r in rows}
    predicted = {doc_id: predicted_spans(sts) for doc_id, sts in by_article.items()}
    return score_spans(texts, gold, predicted)


# --- the seed pages ---------------------------------------------------------------------------

_NOT_COMPARED = re.compile("[\\s" + re.escape(QUOTE_MARKS) + "]+")


def _squash(text: str | None) -> str:
    return _NOT_COMPARED.sub("", text or "").lower()


def _name_key(name: str | None) -> str:
    words = (name or "").lower().replace("’", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _speaker_names(speaker: str, same_entity: list[list[str]]) -> set[str]:
    names = {speaker}
    for group in same_entity:
        if any(_name_key(n) == _name_key(speaker) for n in group):
            names.update(group)
    surnames = {n.split()[-1] for n in names if n.split()}
    return {_name_key(n) for n in names | surnames}


def _statement_matches(gold_st: Mapping, names: set[str], st: Statement) -> bool:
    said_by = {_name_key(st.speaker_name), _name_key(st.speaker)} - {""}
    return bool(said_by & names) and _squash(gold_st["content_anchor"]) in _squash(st.content)


def _venue_agrees(gold_venue: str, venue: str | None) -> bool:
    g, p = _name_key(gold_venue), _name_key(venue)
    return bool(p) and (g in p or p in g)


def score_seed_statements(gold: Mapping, statements_by_doc: Mapping[str, list[Statement]]) -> dict:
    """The seeds README's rule: recall over core statements, precision over everything predicted."""
    same_entity = gold.get("same_entity", [])
    core = found = predicted = matched_predicted = venue_n = venue_correct = 0
    for doc in gold["documents"]:
        statements = statements_by_doc.get(doc["id"], [])
        predicted += len(statements)
        matched: set[int] = set()
        for gold_st in doc["statements"]:
            names = _speaker_names(gold_st["speaker"], same_entity)
            hits = [i for i, st in enumerate(statements) if _statement_matches(gold_st, names, st)]
            matched.update(hits)
            if gold_st.get("core"):
                core += 1
                found += bool(hits)
            if gold_st.get("venue"):
                venue_n += 1
                venue_correct += any(_venue_agrees(gold_st["venue"], statements[i].venue) for i in hits)
        matched_predicted += len(matched)
    return {
        "core_recall": found / core if core else 0.0,
        "precision": matched_predicted / predicted if predicted else 0.0,
        "core": core,
        "found": found,
        "predicted": predicted,
        "venues": {"correct": venue_correct, "n": venue_n},
    }
