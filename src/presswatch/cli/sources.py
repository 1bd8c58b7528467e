"""Sources and continuous collection: `sources add/list/remove`, `collect` (once, for cron) and
`watch` (on a schedule until stopped)."""

from __future__ import annotations

import logging
import re
import signal
import threading
from typing import Optional

import typer
from rich.table import Table

from presswatch.cli.common import (
    EXIT_PARTIAL,
    AllowPrivateOption,
    DbOption,
    FormatOption,
    LimitOption,
    MaxMbOption,
    OffsetOption,
    PresswatchTyper,
    app,
    err,
    open_db,
    out,
    page_footer,
    print_empty_page,
    print_page,
    require_format,
    shown,
)
from presswatch.errors import PresswatchError
from presswatch.records import AUTO_KIND, SOURCE_KINDS

sources_app = PresswatchTyper(help="The feeds, sitemaps and front pages `collect` and `watch` fetch.",
                              no_args_is_help=True)
app.add_typer(sources_app, name="sources")

# Hand-written: a dozen lines, where a duration library (humanfriendly) would be a dependency for this alone.
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:(\d+)([smhd]))+")
_PART = re.compile(r"(\d+)([smhd])")
# No schedule presswatch keeps needs longer; far longer ones overflow datetime and thread timeouts.
LONGEST = 365 * _UNITS["d"]


def parse_duration(text: str, *, minimum: int = 1) -> int:
    """Seconds in a duration as people write one: 90s, 30m, 2h, 1h30m, 1d (a bare number is seconds),
    at most a year."""
    text = text.strip().lower()
    if text.isdigit():
        seconds = int(text)
    elif _DURATION.fullmatch(text):
        seconds = sum(int(number) * _UNITS[unit] for number, unit in _PART.findall(text))
    else:
        raise typer.BadParameter(f"{text!r} is not a duration: write it as 90s, 30m, 2h or 1h30m")
    if seconds < minimum:
        raise typer.BadParameter(f"a duration must be at least {shown_duration(minimum)}")
    if seconds > LONGEST:
        raise typer.BadParameter(f"a duration must be at most {shown_duration(LONGEST)}")
    return seconds


def _duration_option(value: str | None) -> int | None:
    return None if value is None else parse_duration(value)


def shown_duration(seconds: int) -> str:
    parts = []
    for unit in "dhms":
        count, seconds = divmod(seconds, _UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


@sources_app.command("add")
def add(
    url: str = typer.Argument(..., help="An RSS/Atom feed, a (news) sitemap or a front page whose article links are followed."),
    db: Optional[str] = DbOption,
    name: Optional[str] = typer.Option(None, "--name", help="A short name to show and to refer to it by."),
    every: str = typer.Option("30m", "--every", help="How often to fetch it: 90s, 30m, 2h, 1h30m."),
    kind: str = typer.Option(AUTO_KIND, help=f"{', '.join(SOURCE_KINDS)}: auto tells it from the first fetch."),
) -> None:
    """Add a source for `collect` and `watch` (nothing is fetched until then)."""
    from presswatch.engine.collect import register_source

    require_format(kind, SOURCE_KINDS, what="kind")
    every_seconds = parse_duration(every)
    with open_db(db, create=True) as store:
        added = register_source(store, url, name=name, kind=kind, every_seconds=every_seconds)
    out.print(f"added source {added.id} {shown(added.label)}, fetched every {shown_duration(added.every_seconds)}; "
              "`presswatch collect` fetches what is due, `presswatch watch` keeps doing it", highlight=False)


@sources_app.command("list")
def list_command(
    db: Optional[str] = DbOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """The sources with their health: last fetch and its outcome, new items, errors, next fetch."""
    from presswatch.query import listings

    with open_db(db) as store:
        found = listings.sources(store, limit=limit, offset=offset)
    if print_page(found, format):
        return
    if not found.total:
        out.print("no sources yet: `presswatch sources add URL` adds one")
        return
    if print_empty_page(found, "sources"):
        return
    table = Table("id", "source", "kind", "every", "last fetch", "outcome", "new", "stored", "304s", "next due")
    for s in found.items:
        outcome = s.last_status or "never fetched"
        if s.last_error:
            outcome += f" ({s.errors_in_row} in a row): {s.last_error}"
        table.add_row(str(s.id), shown(s.label), s.kind, shown_duration(s.every_seconds), _moment(s.last_fetch_at),
                      shown(outcome), str(s.new_items_last),
                      f"{s.items_stored}/{s.items_seen}" + (f", {s.items_waiting} waiting" if s.items_waiting else "")
                      + (f", {s.items_given_up} given up" if s.items_given_up else "")
                      + (f", {s.sitemaps_waiting} child sitemaps to read" if s.sitemaps_waiting else ""),
                      f"{s.not_modified}/{s.fetches}", "due now" if s.due_now else _moment(s.next_due_at))
    out.print(table)
    for s in found.items:  # why items are not fetched any more: said in full, where the table would cut it
        if s.last_given_up:
            out.print(f"{shown(s.label)}: {s.items_given_up} item{'s' if s.items_given_up != 1 else ''} given up;"
                      f" the latest, {shown(s.last_given_up)}", highlight=False)
    page_footer(found, "sources")


def _moment(value: str | None) -> str:
    return (value or "")[:19].replace("T", " ")


@sources_app.command("remove")
def remove(
    source: str = typer.Argument(..., help="The source's id, URL or name."),
    db: Optional[str] = DbOption,
) -> None:
    """Stop collecting from a source; the articles it brought in stay."""
    from presswatch.store.sources import remove_source

    with open_db(db) as store:
        removed = remove_source(store, source)
    out.print(f"removed source {removed.id} {shown(removed.label)}", highlight=False)


RateOption = typer.Option("1s", "--rate", help="At least this long between two requests to one host, 0 for no wait "
                                                "(robots.txt may ask for more).")
TimeoutOption = typer.Option(20.0, min=0.1, max=3600, help="Seconds one fetch may take.")
DownloadCapOption = MaxMbOption("Refuse downloads larger than this many MB.")
AnalyseOption = typer.Option(True, help="Then find statements, entities, stories and narratives in what came in.")
WorkersOption = typer.Option(1, "--workers", "-w", min=1, help="Processes that parse new articles, this one included.")


def _fetcher(allow_private: bool, rate: str, timeout: float, max_mb: float):
    from presswatch.ingest.polite import PoliteFetcher
    from presswatch.ingest.web import Fetcher

    seconds = parse_duration(rate, minimum=0)
    return PoliteFetcher(Fetcher(timeout=timeout, max_bytes=int(max_mb * 1_000_000), allow_private=allow_private or None),
                         host_interval=seconds)


def _print_report(report) -> None:
    for s in report.sources:
        line = f"{shown(s.source.label)}: {s.status}"
        if s.error:
            line += f": {shown(s.error)}"
        counts = [f"{n} {what}" for n, what in ((s.new_items, "new"), (s.stored, "stored"), (s.duplicates, "already in"),
                                                 (s.rejected, "rejected"), (s.retrying, "to retry"),
                                                 (s.refused, "refused for their address, given up"),
                                                 (s.waiting, "waiting for the next rounds"),
                                                 (s.sitemaps_waiting, "child sitemaps to read")) if n]
        out.print(line + (f" ({', '.join(counts)})" if counts else ""), highlight=False)
        if s.refused:
            err.print(f"[dim]  a run with --allow-private-addresses fetches the {s.refused} refused for their address[/]",
                      highlight=False)
        if s.deferred_reason:
            err.print(f"[dim]  {shown(s.deferred_reason)}[/]", highlight=False)
    if report.analysis:
        a = report.analysis
        out.print(f"analysed {a.articles} articles: {a.statements} statements, {a.mentions} entity mentions",
                  highlight=False)
    if report.analysis_note:
        err.print(f"[dim]{shown(report.analysis_note)}[/]", highlight=False)
    for d in report.deliveries:
        if d.error:
            err.print(f"[red]webhook of watch {shown(d.watch)} failed:[/] {shown(d.error)} (retried next round)",
                      highlight=False)
        else:
            out.print(f"webhook of watch {shown(d.watch)}: {d.items} new items sent", highlight=False)


@app.command()
def collect(
    db: Optional[str] = DbOption,
    rate: str = RateOption,
    timeout: float = TimeoutOption,
    max_mb: float = DownloadCapOption,
    analyse: bool = AnalyseOption,
    workers: int = WorkersOption,
    allow_private_addresses: bool = AllowPrivateOption,
) -> None:
    """Fetch every source that is due, once, and ingest the new items (for cron). Exits 1 when every
    due source failed, 3 when some did."""
    from presswatch.engine.collect import collect_due

    from presswatch.store.sources import list_sources

    with open_db(db) as store, _fetcher(allow_private_addresses, rate, timeout, max_mb) as fetcher:
        report = collect_due(store, fetcher, analyse=analyse, workers=workers)
        waiting = [] if report.sources else list_sources(store)
    if not report.sources:
        out.print(_nothing_due(waiting), highlight=False)
    _print_report(report)
    if report.failed:
        raise typer.Exit(1 if len(report.failed) == len(report.sources) else EXIT_PARTIAL)


def _nothing_due(sources: list) -> str:
    """Why a collect fetched nothing: no source at all, or when the next one is due (a source that
    failed waits longer, so a user who mended the cause learns when it is tried again)."""
    if not sources:
        return "no sources yet: `presswatch sources add URL` adds one"
    first = min(sources, key=lambda s: s.next_due_at)
    return (f"no source is due; the next, {shown(first.label)}, at {_moment(first.next_due_at)} UTC"
            " (`presswatch sources list` shows each)")


@app.command()
def watch(
    db: Optional[str] = DbOption,
    check_every: str = typer.Option("1m", "--check-every", help="How often to look for due sources: 30s, 1m, 5m."),
    stop_after: Optional[str] = typer.Option(None, "--stop-after", callback=_duration_option,
                                             help="Stop after this long (default: run until interrupted)."),
    rate: str = RateOption,
    timeout: float = TimeoutOption,
    max_mb: float = DownloadCapOption,
    analyse: bool = AnalyseOption,
    workers: int = WorkersOption,
    allow_private_addresses: bool = AllowPrivateOption,
) -> None:
    """Keep collecting: fetch each source when it is due, ingest and analyse the new items, until
    interrupted (Ctrl-C) or --stop-after. Sources added meanwhile are picked up."""
    from presswatch.engine.collect import watch as run_watch

    from presswatch.store.sources import list_sources

    with open_db(db) as store:  # a mistyped --db is an error now, not at every check
        db_path = store.path
        if not list_sources(store, limit=1):
            err.print("no sources yet: `presswatch sources add URL` adds one (watch picks it up)", highlight=False)
    every = parse_duration(check_every)
    # APScheduler warns when a check is skipped because the last one is still running; that is
    # the intended behaviour here, not something to show.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    out.print(f"watching the sources of {shown(db_path)}; checking every "
              f"{shown_duration(every)} (Ctrl-C stops)", highlight=False)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a service manager's stop ends it as Ctrl-C does
    with _fetcher(allow_private_addresses, rate, timeout, max_mb) as fetcher:
        run_watch(db_path, fetcher, check_every=every, stop_after=stop_after, stop=stop, analyse=analyse,
                  workers=workers, on_report=_print_report,
                  on_error=lambda exc: err.print(f"[red]error:[/] {shown(_reason(exc))}", highlight=False))
    out.print("stopped watching")


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, PresswatchError) else f"internal error ({type(exc).__name__}: {exc}); please report it"
