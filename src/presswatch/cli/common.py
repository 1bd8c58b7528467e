"""What every command module shares: the Typer apps, consoles, options and output helpers."""

from __future__ import annotations

import functools
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from presswatch import __version__
from presswatch.errors import PresswatchError, QueryError, UnknownRecord
from presswatch.query.listings import DEFAULT_LIMIT, page_json
from presswatch.store import Store, open_store
from presswatch.store.database import iso_date, store_failure

out = Console()
err = Console(stderr=True)


class PresswatchTyper(typer.Typer):
    """A Typer whose commands print a PresswatchError as one clear line and exit 1, no traceback, and
    say on Ctrl-C that what was stored is kept (exit 130)."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorator(func):
            @functools.wraps(func)
            def run(*call_args, **call_kwargs):
                try:
                    return func(*call_args, **call_kwargs)
                except PresswatchError as exc:
                    exit_with_error(exc)
                except sqlite3.DatabaseError as exc:
                    exit_with_error(store_failure(exc))
                except KeyboardInterrupt:  # caught here: Typer would end the run at 130 without a word
                    err.print("interrupted; everything stored before now is kept (the next run goes on from there)",
                              highlight=False)
                    raise typer.Exit(130) from None

            register(run)
            return func

        return decorator


# The exit status of a command that did part of its work (`ingest` with some inputs rejected, `collect`
# with some sources failed), so scripts tell it from full success (0) and from nothing done (1).
EXIT_PARTIAL = 3


# The command that lists the records an UnknownRecord's `listing` names.
LISTING_COMMANDS = {"entities": "presswatch entities", "watchlists": "presswatch watchlist list"}


def exit_with_error(exc: PresswatchError) -> NoReturn:
    message = str(exc)
    if isinstance(exc, UnknownRecord) and exc.listing:
        message += f"; `{LISTING_COMMANDS[exc.listing]}` lists them"
    err.print(f"[red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)  # one line, a path unbroken
    raise typer.Exit(1) from None


app = PresswatchTyper(
    help="presswatch: clean articles, who said what, entities and stories from a pile of news pages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        print(f"presswatch {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Options that stand before any command (Typer reads them from this callback)."""


eval_app = PresswatchTyper(help="Score presswatch against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DbOption = typer.Option(None, "--db", help="SQLite file (default: $PRESSWATCH_DB or ./presswatch.db).")
AllowPrivateOption = typer.Option(
    False, "--allow-private-addresses",
    help="Let URL fetches reach loopback, private and link-local addresses (default: $PRESSWATCH_ALLOW_PRIVATE_ADDRESSES).",
)
SemanticOption = typer.Option(
    False, "--semantic", help="Add sentence embeddings (needs the semantic extra installed)."
)


def open_db(db: str | None, *, create: bool = False) -> Store:
    """The --db store. Only commands that add pages create one: a read command on a mistyped path
    says there is no database there instead of leaving an empty one behind and showing no data."""
    return open_store(db, create=create)


def _date_option(value: str | None) -> str | None:
    try:
        return iso_date(value)
    except QueryError as exc:
        raise typer.BadParameter(str(exc)) from None


def MaxMbOption(help: str):
    """A --max-mb: from a kilobyte to a terabyte (0 or less refused every input, infinity was a traceback)."""
    return typer.Option(20.0, "--max-mb", min=0.001, max=1_000_000, help=help)


def DateOption(help: str):  # noqa: N802 - an Option like the others
    """A --since or --until: checked as the store checks dates, so a wrong one is a usage error."""
    return typer.Option(None, help=help, callback=_date_option)


# Control characters (escape sequences start with one) would act on the terminal; each is shown as
# one visible character instead, so offsets into the text (a statement's spans) stay right.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"}
_CONTROL_PICTURES |= {0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_CONTROL_PICTURES |= dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], 0xFFFD)  # bidi overrides


def safe(text: object) -> str:
    """Text from a page, a file name or the user, as the terminal may show it: no control characters."""
    return str(text).translate(_CONTROL_PICTURES)


def shown(text: object) -> str:
    """`safe` text for a Rich markup string or table cell: its brackets are text, not markup."""
    return escape(safe(text))


def day(moment: str | None, missing: str = "") -> str:
    """The day of a stored ISO date or moment ("2024-03-04T08:15:00" -> "2024-03-04"), as the CLI shows
    when something was first and last seen: dates are stored as precise as the page gave them, so a
    range or a column would otherwise mix days and times."""
    return moment[:10] if moment else missing


def day_range(first: str | None, last: str | None) -> str:
    """"2024-10-09 → 2024-10-11", each end a day ("?" when unknown)."""
    return f"{day(first, '?')} → {day(last, '?')}"


@contextmanager
def writing(output: Path | None):
    """A file that cannot be written (no such folder, a directory, no permission) as one line."""
    try:
        yield
    except OSError as exc:
        if output is None:
            raise
        raise PresswatchError(f"cannot write {output}: {(exc.strerror or str(exc)).lower()}") from None


def embedder(semantic: bool):
    """The sentence model's embedder when asked for, else None (the default representations)."""
    if not semantic:
        return None
    from presswatch.semantic import embed_texts

    return embed_texts


def require_format(value: str, allowed: tuple[str, ...], what: str = "format") -> None:
    if value not in allowed:
        raise PresswatchError(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")


# The filters of every listing and search (presswatch.store.search.SearchFilters), worded once.
OutletOption = typer.Option(None, "--outlet", help="Only this outlet (its name, case-insensitive).")
SpeakerOption = typer.Option(None, "--speaker", help="Said by this speaker, in any spelling of the name (articles: holding such a statement).")
EntityOption = typer.Option(None, "--entity", help="Naming this entity (id or any spelling of its name).")
NarrativeOption = typer.Option(None, "--narrative", help="Part of this narrative (a unique id prefix is enough).")
LanguageOption = typer.Option(None, "--language", help="Language code, e.g. en.")

LIST_FORMATS = ("table", "json", "jsonl")
FormatOption = typer.Option("table", "--format", help="table; json (one page: items, total, offset, limit); jsonl (items only).")
LimitOption = typer.Option(DEFAULT_LIMIT, "--limit", min=1, help="Items per page.")
OffsetOption = typer.Option(0, "--offset", min=0, help="Items to skip (the next page starts at offset + limit).")


def print_page(page, format: str) -> bool:
    """Print a `ResultPage` as JSON (the page, as the HTTP API answers it) or JSON Lines (its
    items) when that is the format asked for, and say True; False leaves the table to the caller,
    which ends it with `page_footer`."""
    require_format(format, LIST_FORMATS)
    if format == "jsonl":
        print_jsonl(page.items)
        return True
    if format == "json":
        print(safe_json(json.dumps(page_json(page), ensure_ascii=False, indent=2)))
        return True
    return False


def print_empty_page(page, noun: str) -> bool:
    """Say why a page of a list is empty, nothing matching or an offset past the end, instead of
    a bare table header; True when it was empty."""
    if page.items:
        return False
    if page.total:
        out.print(f"no {noun} on this page: {page.total} in all, from --offset 0", highlight=False)
    else:
        out.print(f"no {noun} match")
    return True


def page_footer(page, noun: str) -> None:
    """Which part of the total the table showed, and how to get the next part."""
    if not page.items:
        return
    line = f"[dim]{page.offset + 1}–{page.offset + len(page.items)} of {page.total} {noun}"
    if page.next_offset is not None:
        line += f"; the next page: --offset {page.next_offset}"
    out.print(line + "[/]", highlight=False)


def print_jsonl(records) -> None:
    """Records (dataclasses) as JSON Lines on standard output, one per line."""
    for record in records:  # JSON escapes C0 control characters itself; C1 ones too, here
        print(safe_json(json.dumps(asdict(record), ensure_ascii=False)))


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _CONTROL_PICTURES}


def safe_json(text: str) -> str:
    """JSON with every character `safe` would replace written as a \\u escape (the same value)."""
    return text.translate(_JSON_ESCAPES)


def print_result(result: dict, format: str) -> None:
    require_format(format, ("table", "json"))
    if format == "json":
        print(json.dumps(result, indent=2))
        return
    table = Table("measure", "value")
    for key, value in _flatten(result):
        table.add_row(shown(key), _shown_measure(value))
    out.print(table)


def _shown_measure(value: object) -> str:
    """A score to three places; None, a score nothing was there to measure, as "n/a"."""
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else shown(value)


def _flatten(result: dict, prefix: str = ""):
    for key, value in result.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
