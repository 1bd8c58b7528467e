"""Commands over stories and narratives: list, show one as a timeline, and score them (stories
against ECB+, narratives against labelled claims)."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from pathlib import Path

import typer
from rich.table import Table

from presswatch.cli.common import (
    DateOption,
    DbOption,
    FormatOption,
    OffsetOption,
    SemanticOption,
    app,
    day,
    day_range,
    embedder,
    eval_app,
    open_db,
    out,
    page_footer,
    print_empty_page,
    print_page,
    print_result,
    require_format,
    shown,
)
from presswatch.query import listings
from presswatch.records import UNNAMED_SOURCE, opponents, outlet_named


def _shortened(label: str, width: int) -> str:
    """A label cut at a word boundary, marked when cut."""
    return textwrap.shorten(label, width, placeholder=" …")


@app.command()
def stories(
    db: str | None = DbOption,
    since: str | None = DateOption("Only stories seen on or after this ISO date (undated ones left out)."),
    limit: int = typer.Option(30, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """Stories (articles about one event), most recently seen first (stored by the analysis pass;
    listing never recomputes them)."""
    with open_db(db) as store:
        page = listings.stories(store, since=since, limit=limit, offset=offset)
    if print_page(page, format):
        return
    if print_empty_page(page, "stories"):
        return
    table = Table("id", "articles", "first seen", "last seen", "outlets", "label")
    for s in page.items:
        table.add_row(*map(shown, (
            s.id[:10], len(s.article_ids), day(s.first_seen), day(s.last_seen),
            ", ".join(s.outlets[:3]) + (" …" if len(s.outlets) > 3 else ""), _shortened(s.label, 80),
        )))
    out.print(table)
    page_footer(page, "stories")


@app.command()
def story(story_id: str, db: str | None = DbOption) -> None:
    """One story as a timeline of its coverage, outlet by outlet (a unique id prefix is enough)."""
    from presswatch.store import stories as story_store

    with open_db(db) as store:
        found = story_store.story(store, story_id)
        articles = [store.article(i) for i in found.article_ids]
    out.rule(shown(found.label))
    out.print(f"[bold]id:[/] {shown(found.id)}   [bold]articles:[/] {len(articles)}   "
              f"[bold]seen:[/] {shown(day_range(found.first_seen, found.last_seen))}", highlight=False)
    if found.key_entities:
        out.print(f"[bold]key entities:[/] {shown(', '.join(found.key_entities))}", highlight=False)
    by_outlet = defaultdict(list)
    for a in articles:
        by_outlet[outlet_named(a.outlet)].append(a)
    for outlet, items in by_outlet.items():
        out.print(f"\n[bold]{shown(outlet)}[/]", highlight=False)
        for a in items:
            out.print(shown(f"  {(a.published or 'undated')[:16]:16}  {a.id[:10]}  {a.title or '(untitled)'}"),
                      highlight=False)


@app.command()
def narratives(
    db: str | None = DbOption,
    limit: int = typer.Option(30, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    min_outlets: int = typer.Option(1, min=1, help="Only claims carried by at least this many outlets."),
    format: str = FormatOption,
) -> None:
    """Narratives (claims repeated across articles), most widely carried first."""
    with open_db(db) as store:
        page = listings.narratives(store, min_outlets=min_outlets, limit=limit, offset=offset)
    if print_page(page, format):
        return
    if print_empty_page(page, "narratives"):
        return
    table = Table("id", "statements", "outlets", "first seen", "last seen", "claim", "opposed by")
    for n in page.items:
        table.add_row(*map(shown, (n.id[:10], n.statements, n.outlets, day(n.first_seen), day(n.last_seen),
                                   _shortened(n.label, 90), _opposed_by(n))))
    out.print(table)
    page_footer(page, "narratives")


def _opposed_by(narrative) -> str:
    """Who denies or disputes the claim, as one line: "denied by NMA, Piet Danneker; disputed by …"."""
    return "; ".join(f"{verb} by {', '.join(who)}" for verb, who in opponents(narrative))


@app.command()
def narrative(
    narrative_id: str,
    db: str | None = DbOption,
    limit: int = typer.Option(50, "--limit", min=1, help="Evidence per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """One narrative: its claim and the evidence trail, in date order (a unique id prefix is enough);
    `--format json` prints a page of the evidence."""
    with open_db(db) as store:
        found, evidence = listings.narrative_evidence(store, narrative_id, limit=limit, offset=offset)
    if print_page(evidence, format):
        return
    out.rule("counter-narrative" if found.counter_of else "narrative")
    out.print(f"[bold]claim:[/] {shown(found.label)}", highlight=False)
    if found.counter_of:
        out.print(f"[bold]counters:[/] narrative {shown(found.counter_of[:10])}", highlight=False)
    out.print(f"[bold]id:[/] {shown(found.id)}   [bold]seen:[/] {shown(day_range(found.first_seen, found.last_seen))}"
              f"   [bold]statements:[/] {found.statements}   "
              f"[bold]outlets:[/] {found.outlets}", highlight=False)
    if found.counters:
        out.print(f"[bold]opposed:[/] {shown(_opposed_by(found))}", highlight=False)
    _trail(evidence.items)
    page_footer(evidence, "statements")
    # Beside the claim, never in its evidence: who denied or disputed it, and in which words.
    for counter in found.counters:
        out.rule(f"counter-narrative {counter.id[:10]}: denied or disputed")
        out.print(f"[bold]counter-claim:[/] {shown(counter.label)}", highlight=False)
        _trail(counter.evidence)


def _trail(evidence) -> None:
    for e in evidence:
        out.print(f"\n[bold]{shown((e.date or 'undated')[:10])}[/]  {shown(e.speaker or UNNAMED_SOURCE)}"
                  f"  ·  {shown(outlet_named(e.outlet))}  ·  {shown(e.stance)}  ·  article {shown(e.article_id[:10])}",
                  highlight=False)
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
