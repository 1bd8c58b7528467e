"""Watchlists and alerts: save a search as a watch, list what is new for it, deliver its webhook."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from presswatch.cli.common import (
    EXIT_PARTIAL,
    AllowPrivateOption,
    DateOption,
    DbOption,
    LanguageOption,
    OutletOption,
    PresswatchTyper,
    app,
    err,
    open_db,
    out,
    require_format,
    safe_json,
    shown,
)
from presswatch.errors import BusyError

watchlist_app = PresswatchTyper(
    help="Saved searches whose new items `presswatch alerts` lists (and the web UI, the API and feeds show).",
    no_args_is_help=True,
)
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("add")
def watchlist_add(
    name: str = typer.Argument(..., help="A short name: letters, digits, '-' or '_' (it is part of the feed's URL)."),
    query: str | None = typer.Option(
        None, "--query", "-q", help="Search words, as `presswatch search` takes them (none: every item the filters pass)."),
    db: str | None = DbOption,
    mode: str = typer.Option("auto", help="auto, text, meaning or hybrid (meaning needs the semantic extra)."),
    what: str = typer.Option("both", help="articles, statements or both (article, statement and all too)."),
    outlet: str | None = OutletOption,
    speaker: str | None = typer.Option(None, help="Statements by this speaker (any spelling) and their articles."),
    entity: str | None = typer.Option(None, help="Articles and statements that name this entity."),
    narrative: str | None = typer.Option(None, help="Statements of this narrative (id or unique prefix)."),
    since: str | None = DateOption("Published (articles) or said (statements) on or after this ISO date."),
    until: str | None = DateOption("Published or said on or before this ISO date."),
    language: str | None = LanguageOption,
    include_stored: bool = typer.Option(
        False, "--include-stored", help="Count what is already stored as new too (default: only what arrives next)."),
    webhook: str | None = typer.Option(
        None, help="POST new items as JSON to this URL whenever alerts run (collection, `alerts --deliver`)."),
) -> None:
    """Save a search as a watch. What is stored now counts as seen (unless --include-stored): its alerts
    are what arrives next."""
    from presswatch.store.search import KIND_SPELLINGS, SearchFilters
    from presswatch.store.watchlists import add_watch

    require_format(what, tuple(KIND_SPELLINGS), what="--what")
    kinds = KIND_SPELLINGS[what]
    filters = SearchFilters(outlet=outlet, speaker=speaker, entity=entity, narrative=narrative, since=since,
                            until=until, language=language)
    with open_db(db) as store:
        saved = add_watch(store, name, query, mode=mode, kinds=kinds, filters=filters, webhook=webhook,
                          include_stored=include_stored)
    out.print(f"watch [bold]{shown(saved.name)}[/] saved; `presswatch alerts {shown(saved.name)}` lists what arrives"
              " for it", highlight=False)


@watchlist_app.command("list")
def watchlist_list(db: str | None = DbOption, format: str = typer.Option("table", help="table or json.")) -> None:
    """Every watch with its search, how many items are new, and its webhook's last delivery."""
    from presswatch.query.watchlists import describe, watchlist_overview

    require_format(format, ("table", "json"))
    with open_db(db) as store:
        overview = watchlist_overview(store)
    if format == "json":
        print(safe_json(json.dumps([{"name": s.watch.name, "query": s.watch.query, "filters": dict(s.watch.filters),
                                     "kinds": list(s.watch.kinds), "mode": s.watch.mode, "new": s.new,
                                     "error": s.error,
                                     "webhook": s.watch.webhook, "notified_at": s.watch.notified_at,
                                     "notify_error": s.watch.notify_error} for s in overview],
                                   ensure_ascii=False, indent=2)))
        return
    if not overview:
        out.print("no watches; `presswatch watchlist add NAME --query WORDS` saves one")
        return
    table = Table("name", "search", "new", "webhook")
    for summary in overview:
        saved = summary.watch
        hook = "" if not saved.webhook else (f"failing: {saved.notify_error}" if saved.notify_error
                                             else f"sent {saved.notified_at or 'nothing yet'}")
        new = f"[red]cannot search: {shown(summary.error)}[/]" if summary.error else str(summary.new)
        table.add_row(shown(saved.name), shown(describe(saved)), new, shown(hook))
    out.print(table)


@watchlist_app.command("remove")
def watchlist_remove(name: str = typer.Argument(...), db: str | None = DbOption) -> None:
    """Delete a watch (its search and marks; the stored articles stay)."""
    from presswatch.store.watchlists import remove_watch

    with open_db(db) as store:
        remove_watch(store, name)
    out.print(f"watch {shown(name)} removed", highlight=False)


@app.command()
def alerts(
    name: str | None = typer.Argument(None, help="One watch (default: every watch)."),
    db: str | None = DbOption,
    mark_seen: bool = typer.Option(False, "--mark-seen",
                                   help="Mark every new item seen, those past --limit too (a watch keeps one mark)."),
    limit: int = typer.Option(50, min=1, max=1000, help="Items listed per watch."),
    format: str = typer.Option("table", help="table or json."),
    deliver: bool = typer.Option(False, "--deliver", help="Also POST new items to each watch's webhook now."),
    allow_private: bool = AllowPrivateOption,
) -> None:
    """What arrived for your watches since you last marked them seen, latest first."""
    from presswatch.query.watchlists import all_alerts, watch_alerts
    from presswatch.store.watchlists import mark_seen as mark

    require_format(format, ("table", "json"))
    with open_db(db) as store:
        deliveries = []
        found = [watch_alerts(store, name, limit=limit)] if name else all_alerts(store, limit=limit)
        if mark_seen:
            for listed in found:
                mark(store, listed.watch.name, listed.through)
        if deliver:
            from presswatch.engine.alerts import run_alerts

            try:
                deliveries = run_alerts(store, allow_private=allow_private or None)
            except BusyError as exc:
                err.print(shown(str(exc)), highlight=False)
            for delivery in deliveries:
                status = f"[red]failed:[/] {shown(delivery.error)}" if delivery.error else "sent"
                err.print(f"webhook of {shown(delivery.watch)}: {delivery.items} item{'s' if delivery.items != 1 else ''} {status}",
                          highlight=False)
    if format == "json":
        print(safe_json(json.dumps([listed.payload() for listed in found], ensure_ascii=False, indent=2)))
    else:
        _print_alerts(found, mark_seen=mark_seen)
    failed = sum(1 for delivery in deliveries if delivery.error)
    if failed:  # as `collect` does: 1 when every webhook failed, 3 when some did
        raise typer.Exit(1 if failed == len(deliveries) else EXIT_PARTIAL)


def _print_alerts(found, *, mark_seen: bool) -> None:
    if not found:
        out.print("no watches; `presswatch watchlist add NAME --query WORDS` saves one")
    for listed in found:
        if listed.error:
            out.print(f"[bold]{shown(listed.watch.name)}[/]: [red]cannot search:[/] {shown(listed.error)}", highlight=False)
            continue
        count = f"{listed.new} new" + (f", the latest {len(listed.items)} listed" if listed.more else "")
        if mark_seen:  # one mark per watch: the items past --limit are older than those listed, marked too
            count += f" (all {listed.new} now marked seen)" if listed.more else " (now marked seen)"
        out.print(f"[bold]{shown(listed.watch.name)}[/]: {count}", highlight=False)
        for item in listed.items:
            who = f"{shown(item.speaker)}: " if item.speaker else ""
            out.print(f"  [bold]{shown(item.article_id[:10])}[/] [dim]{item.kind}[/] {shown(item.title or '(untitled)')}"
                      f"  [dim]{shown(item.outlet or '')} {shown((item.date or '')[:10])}"
                      f" arrived {shown(item.arrived_at[:16])}[/]", highlight=False)
            out.print(f"      {who}{shown(item.snippet)}", highlight=False)
