"""Commands over stories and narratives: list, show one as a timeline, and score against ECB+."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from presswatch.cli.common import (
    DateOption,
    DbOption,
    SemanticOption,
    app,
    embedder,
    eval_app,
    open_db,
    out,
    print_jsonl,
    print_result,
    require_format,
    shown,
)


def _listed(db, format: str, fetch) -> list | None:
    """Stored stories or narratives (the analysis pass keeps them up to date; listing never
    recomputes them); printed as JSON Lines when that is the format asked for (None is returned
    then), else returned for a table."""
    require_format(format, ("table", "jsonl"))
    with open_db(db) as store:
        found = fetch(store)
    if format == "jsonl":
        print_jsonl(found)
        return None
    return found


def _shortened(label: str, width: int) -> str:
    """A label cut at a word boundary, marked when cut."""
    return textwrap.shorten(label, width, placeholder=" …")


@app.command()
def stories(
    db: Optional[str] = DbOption,
    since: Optional[str] = DateOption("Only stories seen on or after this ISO date."),
    limit: int = typer.Option(30, min=1),
    format: str = typer.Option("table", help="table or jsonl."),
) -> None:
    """Stories (articles about one event), most recently seen first."""
    from presswatch.store import stories as story_store

    found = _listed(db, format, lambda store: story_store.stories(store, since=since, limit=limit))
    if found is None:
        return
    table = Table("id", "articles", "first seen", "last seen", "outlets", "label")
    for s in found:
        table.add_row(*map(shown, (
            s.id[:10], len(s.article_ids), (s.first_seen or "")[:10], (s.last_seen or "")[:10],
            ", ".join(s.outlets[:3]) + (" …" if len(s.outlets) > 3 else ""), _shortened(s.label, 80),
        )))
    out.print(table)


@app.command()
def story(story_id: str, db: Optional[str] = DbOption) -> None:
    """One story as a timeline of its coverage, outlet by outlet (a unique id prefix is enough)."""
    from presswatch.store import stories as story_store

    with open_db(db) as store:
        found = story_store.story(store, story_id)
        articles = [store.article(i) for i in found.article_ids]
    out.rule(shown(found.label))
    out.print(f"[bold]id:[/] {shown(found.id)}   [bold]articles:[/] {len(articles)}   "
              f"[bold]seen:[/] {shown(found.first_seen or '?')} → {shown(found.last_seen or '?')}", highlight=False)
    if found.key_entities:
        out.print(f"[bold]key entities:[/] {shown(', '.join(found.key_entities))}", highlight=False)
    by_outlet = defaultdict(list)
    for a in articles:
        by_outlet[a.outlet or "(unknown outlet)"].append(a)
    for outlet, items in by_outlet.items():
        out.print(f"\n[bold]{shown(outlet)}[/]", highlight=False)
        for a in items:
            out.print(shown(f"  {(a.published or 'undated')[:16]:16}  {a.id[:10]}  {a.title or '(untitled)'}"),
                      highlight=False)


@app.command()
def narratives(
    db: Optional[str] = DbOption,
    limit: int = typer.Option(30, min=1),
    min_outlets: int = typer.Option(1, min=1, help="Only claims carried by at least this many outlets."),
    format: str = typer.Option("table", help="table or jsonl."),
) -> None:
    """Narratives (claims repeated across articles), most widely carried first."""
    from presswatch.store import stories as story_store

    found = _listed(db, format, lambda store: story_store.narratives(
        store, min_outlets=min_outlets, limit=limit, evidence_limit=story_store.LISTED_EVIDENCE))
    if found is None:
        return
    table = Table("id", "statements", "outlets", "first seen", "last seen", "claim")
    for n in found:
        table.add_row(*map(shown, (n.id[:10], n.statements, n.outlets, (n.first_seen or "")[:10],
                                   (n.last_seen or "")[:10], _shortened(n.label, 90))))
    out.print(table)


@app.command()
def narrative(narrative_id: str, db: Optional[str] = DbOption) -> None:
    """One narrative: its claim and the evidence trail, in date order (a unique id prefix is enough)."""
    from presswatch.store import stories as story_store

    with open_db(db) as store:
        found = story_store.narrative(store, narrative_id)
    out.rule("narrative")
    out.print(f"[bold]claim:[/] {shown(found.label)}", highlight=False)
    out.print(f"[bold]id:[/] {shown(found.id)}   [bold]seen:[/] {shown(found.first_seen or '?')} → "
              f"{shown(found.last_seen or '?')}", highlight=False)
    for e in found.evidence:
        out.print(f"\n[bold]{shown((e.date or 'undated')[:10])}[/]  {shown(e.speaker or '(unnamed source)')}"
                  f"  ·  {shown(e.outlet or '(unknown outlet)')}  ·  article {shown(e.article_id[:10])}", highlight=False)
        out.print(f"  {shown(e.quote.strip())}", highlight=False)


@eval_app.command("stories")
def eval_stories(
    data: Path = typer.Argument(..., help="ECB+ JSONL: text, topic, subtopic per document."),
    level: str = typer.Option("subtopic", help="subtopic (the event) or topic (the kind of event)."),
    seed: int = typer.Option(0, help="Seed of the random document order."),
    semantic: bool = SemanticOption,
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Story clustering against ECB+: B-cubed precision, recall, F1 and adjusted Rand index."""
    from presswatch.evaluate.stories import LEVELS, evaluate_stories

    require_format(level, LEVELS, what="level")
    print_result(evaluate_stories(data, level, seed=seed, embed=embedder(semantic)), format)


@eval_app.command("narratives")
def eval_narratives(
    data: Path = typer.Argument(..., help="JSONL: text and narrative (null for a one-off claim) per claim."),
    semantic: bool = SemanticOption,
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Narrative grouping against hand-labelled claims: pairwise precision, recall and F1."""
    from presswatch.evaluate.narratives import evaluate_narratives

    print_result(evaluate_narratives(data, embed=embedder(semantic)), format)
