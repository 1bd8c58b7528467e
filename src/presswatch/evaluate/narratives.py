"""`presswatch eval narratives DATA.jsonl`: narrative grouping against claims labelled by hand.

The format is one JSON object a line, one reported claim each:
    {"text": "that the alliance wants to return to the strait", "narrative": "alliance-return",
     "date": "2024-03-03", "outlet": "Harbour Ledger", "speaker": "Yevgeny Lomatsky"}
`narrative` names the recurring claim the text makes, or is null for a claim made once; `date`,
`outlet` and `speaker` are optional. Each row stands for a statement in an article of its own, so
a narrative needs two rows to exist, as it needs two articles in presswatch.

Scored pairwise over rows, the way the seeds are scored over documents: two rows are together when
one narrative holds both. `tools/data/narrative_claims.jsonl` is a labelled set in this format.
"""

from __future__ import annotations

from pathlib import Path

from presswatch.errors import DataFormatError
from presswatch.evaluate.jsonl import numbered_rows
from presswatch.evaluate.metrics import pairs_of, prf
from presswatch.records import Article, Statement, content_id
from presswatch.stories.cluster import ClusterParams
from presswatch.stories.narratives import cluster_narratives
from presswatch.semantic import Embedder


def load_claims(path: Path) -> list[dict]:
    rows = []
    for number, row in numbered_rows(path):
        try:
            text, narrative = row["text"], row["narrative"]
        except KeyError as exc:
            raise DataFormatError(f"{path}:{number}: expected an object with text and narrative ({exc})") from exc
        if not isinstance(text, str) or not text.strip() or not (narrative is None or isinstance(narrative, str)):
            raise DataFormatError(f"{path}:{number}: text must be a non-empty string, narrative a string or null")
        rows.append({**row, "line": number})
    if not rows:
        raise DataFormatError(f"{path}: no claims found")
    return rows


def as_statements(rows: list[dict]) -> tuple[list[Statement], dict[str, Article]]:
    """One article per row, carrying the claim as its only statement."""
    statements, articles = [], {}
    for row in rows:
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
                speaker_name=row.get("speaker"),
                speaker_role=None,
                speaker_kind="unknown",
                cue="said",
                content=row["text"],
                mode="indirect",
                cue_span=(0, 0),
                speaker_span=None,
                content_spans=((0, len(row["text"])),),
                date=row.get("date"),
            )
        )
    return statements, articles


def score_claims(rows: list[dict], params: ClusterParams | None = None, embed: Embedder | None = None) -> dict:
    statements, articles = as_statements(rows)
    row_of = {s.id: i for i, s in enumerate(statements)}
    narratives = cluster_narratives(statements, articles, params=params, embed=embed)
    predicted = set()
    for narrative in narratives:
        predicted |= pairs_of({row_of[e.statement_id] for e in narrative.evidence})
    groups: dict[str, set[int]] = {}
    for i, row in enumerate(rows):
        if row["narrative"] is not None:
            groups.setdefault(row["narrative"], set()).add(i)
    expected = set().union(*(pairs_of(g) for g in groups.values())) if groups else set()
    hits = len(predicted & expected)
    return {
        "claims": len(rows),
        "narratives": len(narratives),
        "gold_narratives": sum(len(g) > 1 for g in groups.values()),
        "pairs": {
            **prf(hits, len(predicted) - hits, len(expected) - hits),
            "predicted": len(predicted),
            "gold": len(expected),
        },
    }


def evaluate_narratives(path: Path, embed: Embedder | None = None) -> dict:
    return score_claims(load_claims(path), embed=embed)
