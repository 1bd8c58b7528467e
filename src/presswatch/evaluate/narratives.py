"""`presswatch eval narratives DATA.jsonl`: narrative grouping against claims labelled by hand.

The format is one JSON object a line, one reported claim each:
    {"text": "that the alliance wants to return to the strait", "narrative": "alliance-return",
     "date": "2024-03-03", "outlet": "Harbour Ledger", "speaker": "Yevgeny Lomatsky"}
`narrative` names the recurring claim the text is about, or is null for a claim made once; `date`,
`outlet` and `speaker` are optional. Each row stands for a statement in an article of its own, so
a narrative needs two rows to exist, as it needs two articles in presswatch.

Rows may also give `stance` (asserts, reports, denies or disputes: how the text stands to the
narrative's claim) and `cue` (the reporting word, "denied"; "said" when absent). Then the denials
and disputes of a claim are expected in its counter-narrative, apart from its evidence, and the
result adds stance accuracy: each row's stance as presswatch marks it in the narrative or
counter-narrative that holds it, or on its own when none does. How the stance sets in tests/data
are labelled, so that a second annotator labels them the same way:
- asserts: the speaker takes the claim up as true, in any words, including evidence for it told as
  fact ("managers from Sarvonne have been measuring the terminals" for "the airport is being sold").
- reports: passes the claim on without taking it up: an attribution ("according to", "reportedly",
  "rumours that"), a question ("asked whether"), a hedge or condition, "could not be confirmed".
- denies: says the claim is not so: a denial verb ("denied", "rejected", "dismissed it as untrue"),
  a negation of the claim, or its plain opposite stated as fact ("the runway is perfectly sound"
  against "the runway is cracking").
- disputes: answers the claim with another account that would make it false or misleading (what
  really happened, what a figure really counts, the evidence re-identified), or, without a denial
  verb, calls it false by description ("called the story a myth", "described it as an invention").
- a one-off claim (narrative null) is labelled by its own words on the same scale: "denied that he
  was to play the king" denies, "asked the council when the baths reopen" reports, a plain
  statement asserts; presswatch marks it the same way, on its own.
tools/stance_agreement.py measures how far a second annotator following these reaches the same
labels (tools/data/stance_second_annotator/).

Scored pairwise over rows, the way the seeds are scored over documents: two rows are together when
one narrative (or one counter-narrative) holds both. `tools/data/narrative_claims.jsonl` is a
labelled set without stance; the `tests/data/stance_claims_*.jsonl` sets have it (tests/data/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import numbered_rows
from presswatch.evaluate.metrics import pairs_of, prf
from presswatch.records import OPPOSING, STANCES, UNKNOWN_SPEAKER, Article, Statement, content_id
from presswatch.semantic import Embedder
from presswatch.stories.cluster import ClusterParams
from presswatch.stories.narratives import cluster_narratives
from presswatch.stories.stance import DEFAULT_STANCE_PARAMS, StanceParams, stances


def load_claims(path: Path) -> list[dict]:
    rows = []
    for number, row in numbered_rows(path):
        try:
            text, narrative = row["text"], row["narrative"]
        except KeyError as exc:
            raise DataFormatError(f"{path}:{number}: expected an object with text and narrative ({exc})") from exc
        if not isinstance(text, str) or not text.strip() or not (narrative is None or isinstance(narrative, str)):
            raise DataFormatError(f"{path}:{number}: text must be a non-empty string, narrative a string or null")
        if row.get("stance") is not None and row["stance"] not in STANCES:
            raise DataFormatError(f"{path}:{number}: stance must be one of {', '.join(STANCES)}, not {row['stance']!r}")
        rows.append({**row, "line": number})
    return rows


# "transport minister Edvin Soll": a lower-case role in front of a capitalised name, which the
# pipeline keeps apart (speaker_role, speaker_name); "editor of the X" names no one, so it stays whole.
_ROLE_THEN_NAME = re.compile(r"^((?:[a-z][\w'’-]*\s+)*[a-z][\w'’-]*(?<!\bof)(?<!\bthe)(?<!\bfor)(?<!\bat))\s+"
                             r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$")


def _role_and_name(speaker: str | None) -> tuple[str | None, str | None]:
    match = _ROLE_THEN_NAME.match(speaker or "")
    return (match.group(1), match.group(2)) if match else (None, speaker)


def as_statements(rows: list[dict]) -> tuple[list[Statement], dict[str, Article]]:
    """One article per row, carrying the claim as its only statement."""
    statements, articles = [], {}
    for row in rows:
        role, name = _role_and_name(row.get("speaker"))
        article_id = content_id(f"claim-article:{row['line']}:{row['text']}")
        articles[article_id] = Article(
            id=article_id,
            page_id=article_id,
            url=None,
            title=None,
            body=row["text"],
            paragraphs=(row["text"],),
            outlet=row.get("outlet"),
            published=row.get("date"),
        )
        statements.append(
            Statement(
                id=content_id(f"claim:{row['line']}:{row['text']}"),
                article_id=article_id,
                speaker=row.get("speaker"),
                speaker_name=name,
                speaker_role=role,
                speaker_kind=UNKNOWN_SPEAKER,
                cue=row.get("cue") or "said",
                content=row["text"],
                mode="indirect",
                cue_span=(0, 0),
                speaker_span=None,
                content_spans=((0, len(row["text"])),),
                date=row.get("date"),
            )
        )
    return statements, articles


def score_claims(
    rows: list[dict],
    params: ClusterParams | None = None,
    embed: Embedder | None = None,
    stance_params: StanceParams = DEFAULT_STANCE_PARAMS,
) -> dict:
    statements, articles = as_statements(rows)
    row_of = {s.id: i for i, s in enumerate(statements)}
    narratives = cluster_narratives(statements, articles, params=params, embed=embed, stance_params=stance_params)
    predicted, marked = set(), {}
    for narrative in narratives:
        for group in (narrative, *narrative.counters):
            predicted |= pairs_of({row_of[e.statement_id] for e in group.evidence})
            marked.update((row_of[e.statement_id], e.stance) for e in group.evidence)
    groups: dict[tuple[str, bool], set[int]] = {}
    for i, row in enumerate(rows):
        if row["narrative"] is not None:
            groups.setdefault((row["narrative"], row.get("stance") in OPPOSING), set()).add(i)
    expected = set().union(*(pairs_of(g) for g in groups.values())) if groups else set()
    hits = len(predicted & expected)
    result = {
        "claims": len(rows),
        "narratives": len(narratives),
        "counter_narratives": sum(len(n.counters) for n in narratives),
        "gold_narratives": sum(len(g) > 1 for (_, opposing), g in groups.items() if not opposing),
        "pairs": {
            **prf(hits, len(predicted) - hits, len(expected) - hits),
            "hits": hits,
            "predicted": len(predicted),
            "gold": len(expected),
        },
    }
    labelled = [i for i, row in enumerate(rows) if row.get("stance") is not None]
    if labelled:
        for i, s in enumerate(statements):
            if i not in marked:
                marked[i] = stances([s], stance_params)[s.id]
        result["stance"] = score_stance([rows[i]["stance"] for i in labelled], [marked[i] for i in labelled])
    return result


def score_stance(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, and per gold stance how many rows carry it and how many were marked so."""
    per_stance = {
        stance: {"gold": sum(g == stance for g in gold), "correct": sum(g == p == stance for g, p in zip(gold, predicted)),
                 "marked": sum(p == stance for p in predicted)}
        for stance in STANCES
    }
    return {"accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold), "n": len(gold), "per_stance": per_stance}


def evaluate_narratives(path: Path, embed: Embedder | None = None) -> dict:
    return score_claims(load_claims(path), embed=embed)


def score_claim_sets(
    paths: Sequence[Path],
    params: ClusterParams | None = None,
    embed: Embedder | None = None,
    stance_params: StanceParams = DEFAULT_STANCE_PARAMS,
) -> dict:
    """Several labelled files scored one by one (each its own world, as `eval narratives` scores
    it) and pooled: pairs and stance counts summed, so a bigger file weighs more."""
    results = [score_claims(rows, params=params, embed=embed, stance_params=stance_params)
               for rows in map(load_claims, paths)]
    hits = sum(r["pairs"]["hits"] for r in results)
    predicted = sum(r["pairs"]["predicted"] for r in results)
    gold = sum(r["pairs"]["gold"] for r in results)
    pooled = {"claims": sum(r["claims"] for r in results),
              "pairs": {**prf(hits, predicted - hits, gold - hits), "hits": hits, "predicted": predicted,
                                        "gold": gold}}
    stanced = [r["stance"] for r in results if "stance" in r]
    if stanced:
        per_stance = {s: {k: sum(r["per_stance"][s][k] for r in stanced) for k in ("gold", "correct", "marked")}
                      for s in STANCES}
        n = sum(r["n"] for r in stanced)
        pooled["stance"] = {"accuracy": sum(v["correct"] for v in per_stance.values()) / n, "n": n,
                            "per_stance": per_stance}
    return pooled
