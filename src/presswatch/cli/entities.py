"""Commands over entities: list them, show one, and merge or split them by hand."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.table import Table

from presswatch.cli.common import (
    DbOption,
    FormatOption,
    OffsetOption,
    app,
    day,
    open_db,
    out,
    page_footer,
    print_page,
    require_format,
    safe_json,
    shown,
)
from presswatch.errors import QueryError
from presswatch.query import listings
from presswatch.records import ENTITY_TYPES, ORGANIZATION

TYPES = {**{type_: type_ for type_ in ENTITY_TYPES}, "org": ORGANIZATION}


@app.command()
def entities(
    db: str | None = DbOption,
    type: str | None = typer.Option(None, "--type", help="person, org, place or nationality."),
    top: int = typer.Option(30, "--top", "--limit", min=1, help="How many, most mentioned first."),
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """The people, organisations and places of the stored articles, most mentioned first."""
    if type is not None and type not in TYPES:
        raise QueryError(f"unknown entity type {type!r}; choose one of: person, org, place, nationality")
    with open_db(db) as store:
        page = listings.entities(store, type=TYPES.get(type), limit=top, offset=offset)
    if print_page(page, format):
        return
    if not page.items:
        out.print("no entities yet; `presswatch ingest` (or `presswatch analyse`) finds them" if not page.total
                  else "no entities on this page")
        return
    table = Table("name", "type", "mentions", "articles", "first seen", "last seen", "id")
    for e in page.items:
        table.add_row(*map(shown, (e.name, e.type, e.mentions, e.articles, day(e.first_seen), day(e.last_seen), e.id)))
    out.print(table)
    page_footer(page, "entities")


@app.command(context_settings={"allow_extra_args": False})
def entity(
    words: list[str] = typer.Argument(
        ..., help="NAME (or id) to show it; `merge A B` to join two names; `split NAME` to set a name apart."
    ),
    db: str | None = DbOption,
    format: str = typer.Option("table", help="table or json."),
) -> None:
    """Show one entity (aliases, roles over time, statements, outlets), or merge/split by hand.

    Merges and splits are kept and win over the automatic rules on every later run.
    """
    from presswatch.engine.entities import update_entities
    from presswatch.store.entities import add_decision, entities_named

    require_format(format, ("table", "json"))
    action = words[0] if words[0] in ("merge", "split") and len(words) > 1 else None
    with open_db(db) as store:
        if action == "merge":
            if len(words) != 3:
                raise QueryError("usage: presswatch entity merge NAME_A NAME_B (quote names with spaces)")
            found = [entities_named(store, name) for name in words[1:]]
            if found[0] == found[1] and len(found[0]) == 1:
                # A kept decision that changes nothing would still be replayed and listed on every run.
                one = listings.entity(store, found[0][0]).entity
                raise QueryError(f"{words[1]!r} and {words[2]!r} are already one entity, {one.name} ({one.id}):"
                                 " nothing to merge")
            add_decision(store, "merge", words[1], words[2])
        elif action == "split":
            if len(words) != 2:
                raise QueryError("usage: presswatch entity split NAME (quote a name with spaces)")
            entities_named(store, words[1])
            add_decision(store, "split", words[1])
        if action:
            update_entities(store, force=True)
            out.print(f"{action} recorded; entities rebuilt")
            name = words[1]
        else:
            name = " ".join(words)
        detail = listings.entity(store, name)
    if format == "json":
        print(safe_json(json.dumps({**asdict(detail.entity), **asdict(detail.summary), "outlets": detail.outlets,
                                    "statements": detail.statements, "merges": detail.merges,
                                    "type_evidence": detail.type_evidence}, ensure_ascii=False, indent=2)))
        return
    e, s = detail.entity, detail.summary
    out.rule(shown(f"{e.name} ({e.type})"))
    out.print(f"[bold]id:[/] {shown(e.id)}", highlight=False)
    out.print(f"[bold]mentions:[/] {s.mentions} in {s.articles} articles; first seen {shown(day(s.first_seen, '?'))}, "
              f"last seen {shown(day(s.last_seen, '?'))}")
    out.print(f"[bold]statements:[/] {detail.statements}")
    out.print(f"[bold]aliases:[/] {shown(', '.join(e.aliases))}", highlight=False)
    if detail.outlets:
        out.print("[bold]outlets:[/] " + ", ".join(f"{shown(o)} ({n})" for o, n in detail.outlets), highlight=False)
    if e.roles:
        table = Table("date", "role", "article", title="roles over time")
        for role, date, article_id in e.roles:
            table.add_row(shown(date or ""), shown(role), shown(article_id[:10]))
        out.print(table)
    if detail.type_evidence:
        out.print(f"[bold]why {shown(e.type)}:[/] what typed its mentions")
        for type_, evidence, mentions, articles, article_id in detail.type_evidence:
            said = shown(evidence) if evidence else "the model's type alone"
            out.print(f"  {shown(type_)}: {said} ({mentions} in {articles} articles, e.g. {shown(article_id[:10])})",
                      highlight=False)
    if detail.merges:
        out.print("[bold]why these names are one:[/]")
        for a, b, reason, by in detail.merges:
            out.print(f"  {shown(a)} + {shown(b)}: {shown(reason)}" + (" [dim](your decision)[/]" if by == "user" else ""),
                      highlight=False)
