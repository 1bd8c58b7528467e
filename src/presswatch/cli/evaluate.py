"""`presswatch eval …`: each task scores against labelled data in its documented format."""

from __future__ import annotations

from pathlib import Path

import typer

from presswatch.cli.common import embedder, eval_app, print_result, require_format


@eval_app.command("extraction")
def eval_extraction(
    data: Path = typer.Argument(..., help="JSONL with gold_article_body, or with/without + gold_metadata rows."),
    input: str = typer.Option("html", "--input", help="html: read the `html` field; text: read `page_text`."),
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Body (and metadata) extraction against a labelled corpus, in the corpus's own metric."""
    from presswatch.evaluate.extraction import evaluate_extraction

    require_format(input, ("html", "text"), what="input")
    print_result(evaluate_extraction(data, source=input), format)


@eval_app.command("seeds")
def eval_seeds(
    directory: Path = typer.Argument(..., help="A folder with pages/*.txt and gold.json."),
    semantic: bool = typer.Option(
        False, "--semantic", help="Stories and narratives with sentence embeddings (semantic extra)."
    ),
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """The seed pages against their hand gold."""
    from presswatch.evaluate.seeds import evaluate_seeds

    print_result(evaluate_seeds(directory, embed=embedder(semantic)), format)


@eval_app.command("attribution")
def eval_attribution(
    data: Path = typer.Argument(..., help="PolNeAR-format JSONL: text plus attributions with cue/source/content spans."),
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Cue, source and content spans against PolNeAR-style gold, exact and overlap match."""
    from presswatch.evaluate.attribution import evaluate_attribution

    print_result(evaluate_attribution(data), format)


@eval_app.command("entities")
def eval_entities(
    data: Path = typer.Argument(..., help="CoNLL-style JSONL: one sentence a line with doc_id, tokens and entities."),
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Named-entity recognition and typing: exact-span P/R/F1 for PER, ORG, LOC and their micro average."""
    from presswatch.evaluate.entities import score_conll

    require_format(format, ("table", "json"))
    print_result(score_conll(data), format)
