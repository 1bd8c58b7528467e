"""Commands over pages and articles: ingest, load, analyse, list, show, search (export is in cli/faces.py)."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import Optional

import typer
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from presswatch.cli.common import (
    EXIT_PARTIAL,
    AllowPrivateOption,
    DateOption,
    DbOption,
    EntityOption,
    FormatOption,
    LanguageOption,
    LimitOption,
    MaxMbOption,
    NarrativeOption,
    OffsetOption,
    OutletOption,
    SpeakerOption,
    app,
    err,
    open_db,
    out,
    page_footer,
    print_empty_page,
    print_page,
    require_format,
    safe,
    shown,
)
from presswatch.errors import PresswatchError
from presswatch.extract.language import unanalysed_note, unsupported_flag
from presswatch.query import listings
from presswatch.records import role_beside
from presswatch.store.database import default_db_path
from presswatch.store.search import SearchFilters
from presswatch.summarize.render import venue_phrase

WorkersOption = typer.Option(
    None, "--workers", "-w", min=1,
    help="Processes that extract and parse, this one included (default: the machine's cores); the stored result is the same for any number.")


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, directories, globs, http(s) URLs, or storage URLs (s3://...)."),
    db: Optional[str] = DbOption,
    fetch_links: bool = typer.Option(False, help="For feeds: fetch each entry's link instead of its content."),
    max_mb: float = MaxMbOption("Refuse files and downloads larger than this many MB."),
    analyse: bool = typer.Option(True, help="Then find statements, entities, stories and narratives."),
    workers: Optional[int] = WorkersOption,
    cluster: Optional[str] = typer.Option(
        None, help="Run the per-page side on Dask: tcp://HOST:8786 (a running scheduler) or local[:N] "
                   "(N worker processes here). Needs the cluster extra."),
    out_dir: Optional[str] = typer.Option(
        None, "--out", help="Write the per-page results as a Parquet dataset in this folder (or storage URL) instead of "
                   "storing them; merge it later with `presswatch load`."),
    partition_files: int = typer.Option(
        8, min=1, help="With --cluster or --out: files per partition (a WARC or JSONL file is one alone)."),
    allow_private_addresses: bool = AllowPrivateOption,
) -> None:
    """Read pages, extract their articles, and store them (a re-run skips what is stored)."""
    read_options = {"fetch_feed_links": fetch_links, "max_bytes": int(max_mb * 1_000_000),
                    "allow_private_addresses": allow_private_addresses or None}  # None: as the environment says
    if cluster or out_dir:
        _ingest_partitioned(sources, db, read_options, analyse=analyse, cluster=cluster, out_dir=out_dir,
                            files_per_partition=partition_files)
        return
    from presswatch.engine.local import ingest as run_ingest
    from presswatch.engine.pages import warm_up
    from presswatch.engine.workers import default_workers, start_helpers

    workers = workers or default_workers()
    created = not _database_exists(db)
    with open_db(db, create=True) as store:
        start_helpers(workers, partial(warm_up, parse=analyse))  # before the progress display's thread starts
        with _progress(
            SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} pages"), TimeElapsedColumn(),
        ) as progress:
            task = progress.add_task("ingesting", total=None)
            report = run_ingest(
                sources, store, storage=True, workers=workers, **read_options,
                on_item=lambda item: progress.update(task, advance=1,
                                                     description=f"ingesting {shown(item.source[-50:])}"),
            )
        counts = store.counts()
    _finish_ingest(report, store, counts, db, created=created, analyse=analyse, workers=workers)


def _database_exists(db: str | None) -> bool:
    path = db or default_db_path()
    return path == ":memory:" or Path(path).exists()


def _remove_database(path: str) -> None:
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        Path(name).unlink(missing_ok=True)


def _finish_ingest(report, store, counts: dict, db: str | None, *, created: bool, analyse: bool, workers: int,
                   parse=None) -> None:
    """Print what was stored and rejected, analyse (unless told not to), exit partial on rejections.
    A database this run created and put no page in is removed: a mistyped input path would otherwise
    leave an empty database behind, which later read commands show as one with nothing in it."""
    if created and not counts["pages"]:
        _remove_database(store.path)
        _print_rejections(report.rejected)
        _print_skipped(report.skipped)
        out.print(f"nothing was read, so no database was created at {shown(store.path)}", highlight=False)
        raise typer.Exit(1)
    out.print(
        f"[bold]stored[/] {len(report.stored)}  [bold]duplicates[/] {len(report.duplicates)}  "
        f"[bold]near-duplicates linked[/] {len(report.near_duplicates)}  [bold]rejected[/] {len(report.rejected)}"
        + (f"  [bold]new versions of stored articles[/] {len(report.updated)}" if report.updated else "")
        + (f"  [bold]archive records skipped[/] {sum(s.total for s in report.skipped)}" if report.skipped else "")
    )
    out.print(f"database {shown(store.path)}: {counts['articles']} articles from {counts['pages']} pages", highlight=False)
    for source, why in report.duplicates:
        out.print(f"  [dim]duplicate[/] {shown(source)}: {shown(why)}")
    _print_rejections(report.rejected)
    _print_skipped(report.skipped)
    if analyse:
        run_analysis(db, workers=workers, parse=parse)
    if report.rejected:
        raise typer.Exit(EXIT_PARTIAL if report.stored or report.duplicates else 1)


def _print_skipped(skipped) -> None:
    for archive in skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in archive.counts)
        out.print(f"  [dim]skipped[/] {archive.total} records of {shown(archive.source)}: {shown(reasons)}", highlight=False)


def _print_rejections(rejected) -> None:
    for rejection in rejected:
        out.print(f"  [red]rejected[/] {shown(rejection.source)}: {shown(rejection.reason)}")


def _progress(*columns) -> Progress:
    """A progress display on a terminal's standard error, gone when done; none elsewhere (a log, a
    pipe, cron), where it would only leave a blank line before the summary."""
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def _file_progress() -> Progress:
    return _progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    )


def _ingest_partitioned(sources, db, read_options, *, analyse: bool, cluster: str | None, out_dir: str | None,
                        files_per_partition: int) -> None:
    """`ingest --cluster` and `--out`: the per-page side in partitions (on Dask, or here without
    --cluster), the store written here in input order, or a dataset written instead of the store."""
    from presswatch.engine.cluster import connect, ingest_cluster, precomputed, write_dataset

    with contextlib.ExitStack() as stack:
        client = stack.enter_context(connect(cluster)) if cluster else None
        if client is not None:
            err.print(f"Dask dashboard: {client.dashboard_link}", highlight=False)
        progress = stack.enter_context(_file_progress())
        task = progress.add_task("reading, extracting, parsing", total=None)
        options = dict(
            analyse=analyse, files_per_partition=files_per_partition,
            on_total=lambda total: progress.update(task, total=total),
            on_done=lambda files: progress.update(task, advance=files), **read_options,
        )
        if out_dir:
            written = write_dataset(sources, out_dir, client, **options)
        else:
            created = not _database_exists(db)
            store = stack.enter_context(open_db(db, create=True))
            report, analyses = ingest_cluster(sources, store, client, **options)
            counts = store.counts()
    if out_dir:
        out.print(f"[bold]wrote[/] {written.pages} pages to {shown(out_dir)}  [bold]rejected[/] {len(written.rejected)}; "
                  f"merge them into a database with: presswatch load {shown(out_dir)}", highlight=False)
        _print_rejections(written.rejected)
        _print_skipped(written.skipped)
        if written.rejected:
            raise typer.Exit(EXIT_PARTIAL if written.pages else 1)
        return
    _finish_ingest(report, store, counts, db, created=created, analyse=analyse, workers=1, parse=precomputed(analyses))


@app.command()
def load(
    dataset: str = typer.Argument(..., help="A folder (or storage URL) written by `presswatch ingest --out`."),
    db: Optional[str] = DbOption,
    analyse: bool = typer.Option(True, help="Then update entities, stories and narratives."),
) -> None:
    """Merge a Parquet dataset of per-page results into the database, in the order it was read."""
    from presswatch.engine.cluster import load_dataset, precomputed

    created = not _database_exists(db)
    with open_db(db, create=True) as store, _progress(
        SpinnerColumn(), TextColumn("loading {task.description}"), TimeElapsedColumn(),
    ) as progress:
        progress.add_task(shown(dataset), total=None)
        report, analyses = load_dataset(dataset, store)
        counts = store.counts()
    _finish_ingest(report, store, counts, db, created=created, analyse=analyse, workers=1, parse=precomputed(analyses))


@app.command("analyse")
def analyse_command(
    db: Optional[str] = DbOption,
    workers: Optional[int] = WorkersOption,
    rebuild: Optional[str] = typer.Option(
        None, help="First recompute one derived output from its inputs: entities, stories, narratives, or all "
                   "(all parses every article again)."),
) -> None:
    """Find statements and entities in articles not analysed yet; update entities, stories and narratives."""
    from presswatch.engine.workers import default_workers

    run_analysis(db, workers=workers or default_workers(), rebuild=rebuild)


def run_analysis(db: str | None, *, workers: int, rebuild: str | None = None, parse=None) -> None:
    """The analysis pass; `parse` answers the per-article side from a cluster's results."""
    from presswatch.engine.analyse import analyse as run_analyse
    from presswatch.engine.pages import analyse_articles, warm_up
    from presswatch.engine.workers import start_helpers

    with open_db(db) as store:
        start_helpers(workers, warm_up)  # before the progress display's thread starts
        with _progress(
            SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} articles"), TimeElapsedColumn(),
        ) as progress:
            task = progress.add_task("analysing", total=None)
            report = run_analyse(store, workers=workers, rebuild=rebuild, parse=parse or analyse_articles,
                                 on_article=lambda article: progress.update(task, advance=1))
    out.print(
        f"[bold]analysed[/] {report.articles} articles: {report.statements} statements, {report.mentions} entity "
        f"mentions → {report.entities} entities; stories changed {report.stories_changed}, narratives changed "
        f"{report.narratives_changed}"
        + (f"; {len(report.skipped_language)} not in a language the models read" if report.skipped_language else "")
        + (f"; {report.vectors} vectors made for search by meaning" if report.vectors else "")
    )
    for article_id, why in report.unparsed:
        out.print(f"  [red]not analysed[/] {article_id}: {shown(why)}", highlight=False)
    for article_id, language in report.skipped_language:
        out.print(f"  [yellow]not analysed[/] {article_id}: in language {shown(language)}, stored and searchable; "
                  f"{unanalysed_note(unsupported_flag(language))}", highlight=False)


@app.command()
def articles(
    db: Optional[str] = DbOption,
    outlet: str | None = OutletOption,
    speaker: str | None = SpeakerOption,
    entity: str | None = EntityOption,
    narrative: str | None = NarrativeOption,
    since: str | None = DateOption("Published on or after this ISO date."),
    until: str | None = DateOption("Published on or before this ISO date."),
    language: str | None = LanguageOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """List stored articles, newest first."""
    filters = SearchFilters(outlet=outlet, speaker=speaker, entity=entity, narrative=narrative, since=since,
                            until=until, language=language)
    with open_db(db) as store:
        page = listings.articles(store, filters, limit=limit, offset=offset)
    if print_page(page, format):
        return
    if print_empty_page(page, "articles"):
        return
    table = Table("id", "published", "outlet", "title", "lang")
    for a in page.items:
        table.add_row(*map(shown, (a.id[:10], (a.published or "")[:16], a.outlet or "", a.title or "",
                                   a.language or a.language_flag or "")))
    out.print(table)
    page_footer(page, "articles")


@app.command()
def show(article_id: str, db: Optional[str] = DbOption) -> None:
    """Show one article (a unique id prefix is enough) with its metadata and statements marked."""
    from presswatch.store.statements import article_statements

    with open_db(db) as store:
        article = store.article(article_id)
        sources = store.sources_of(article.id)
        near = store.near_duplicates(article.id)
        said = article_statements(store, article.id)
    out.rule(shown(article.title or "(untitled)"))
    for label, value in (
        ("id", article.id), ("outlet", article.outlet), ("published", article.published), ("author", article.author),
        ("credited source", article.credited_source), ("language", _language_shown(article)),
        ("url", article.url), ("pages", ", ".join(sources)),
    ):
        if value:
            out.print(f"[bold]{label}:[/] {shown(value)}", highlight=False)
    for other, similarity in near:
        out.print(f"[bold]near-duplicate:[/] {shown(other)} (similarity {similarity:.2f})")
    out.print()
    out.print(marked_body(article.body, said))
    out.print()
    for number, s in enumerate(said, 1):
        role = role_beside(s.speaker_name or s.speaker, s.speaker_role)
        role = f" ({shown(role)})" if role else ""
        where = venue_phrase(s.venue) if s.venue else None  # "in an interview", "at a press conference"
        extras = "".join(f"; {shown(v)}" for v in (where, s.addressee and f"to {s.addressee}", s.date and f"on {s.date}") if v)
        out.print(f"[bold]{number}.[/] [underline]{shown(s.speaker_name or s.speaker or '(unnamed)')}[/]{role} "
                  f"[bold]{shown(s.cue)}[/] [dim]({shown(s.mode)}{extras})[/]", highlight=False)


def _language_shown(article) -> str | None:
    """The article's language, with why it has no statements where its language was not analysed."""
    note = unanalysed_note(article.language_flag)
    return f"{article.language} (not analysed: {note})" if note else article.language or article.language_flag


def marked_body(body: str, said) -> Text:
    """The body with every statement's content in colour, its cue in bold and its speaker underlined."""
    text = Text(safe(body))  # safe keeps every character's offset, so the spans still fit
    for s in said:
        for start, end in s.content_spans:
            text.stylize("cyan", start, end)
        text.stylize("bold", *s.cue_span)
        if s.speaker_span:
            text.stylize("underline", *s.speaker_span)
    return text


@app.command()
def search(
    query: str = typer.Argument(..., help=(
        'Words as you would write them; "a phrase", prefix*, AND/OR/NOT in capitals and (groups) '
        "for more; plain words for meaning.")),
    db: Optional[str] = DbOption,
    mode: str = typer.Option("auto", help="auto, text, meaning or hybrid (meaning needs the semantic extra)."),
    what: str = typer.Option("both", help="articles, statements or both (article, statement and all too, as the API and web spell them)."),
    sort: str = typer.Option("relevance", help="relevance (best first) or date (newest first)."),
    outlet: str | None = OutletOption,
    speaker: str | None = SpeakerOption,
    entity: str | None = EntityOption,
    narrative: str | None = NarrativeOption,
    since: str | None = DateOption("Published (articles) or said (statements) on or after this ISO date."),
    until: str | None = DateOption("Published or said on or before this ISO date."),
    language: str | None = LanguageOption,
    limit: int = typer.Option(listings.SEARCH_LIMIT, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """Search articles and statements, best matches (or newest) first; a match found by meaning
    shows its similarity to the query."""
    from presswatch.store.search import KIND_SPELLINGS, SORTS

    if not query.strip():
        # the web's search form left blank lists everything; here the list commands do that
        raise PresswatchError("empty search query: give words to search for, or list everything newest first"
                              " with `presswatch articles` or `presswatch statements`")
    require_format(what, tuple(KIND_SPELLINGS), what="--what")
    require_format(sort, SORTS, what="--sort")
    kinds = KIND_SPELLINGS[what]
    filters = SearchFilters(outlet=outlet, speaker=speaker, entity=entity, narrative=narrative, since=since,
                            until=until, language=language)
    with open_db(db) as store:
        page = listings.search(store, query, mode=mode, kinds=kinds, filters=filters, limit=limit, offset=offset,
                               sort=sort)
    for note in page.notes:
        err.print(f"[dim]{shown(note)}[/]", highlight=False)
    if print_page(page, format):
        return
    if not page.items:
        out.print("no matches")
    for hit in page.items:
        who = f"{shown(hit.speaker)}: " if hit.speaker else ""
        similarity = f" similarity {hit.similarity:.2f}" if hit.similarity is not None else ""
        out.print(f"[bold]{shown(hit.article_id[:10])}[/] [dim]{hit.kind}[/] {shown(hit.title or '(untitled)')}  "
                  f"[dim]{shown(hit.outlet or '')} {shown((hit.date or '')[:10])}{similarity}[/]", highlight=False)
        out.print(f"    {who}{shown(hit.snippet)}", highlight=False)
    page_footer(page, "matches")
