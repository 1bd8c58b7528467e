"""What every command module shares: the Typer apps, consoles, options and output helpers."""

from __future__ import annotations

import functools
import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from presswatch.errors import PresswatchError

out = Console()
err = Console(stderr=True)


class PresswatchTyper(typer.Typer):
    """A Typer whose commands print a PresswatchError as one clear line and exit 1, no traceback."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorator(func):
            @functools.wraps(func)
            def run(*call_args, **call_kwargs):
                try:
                    return func(*call_args, **call_kwargs)
                except PresswatchError as exc:
                    err.print(f"[red]error:[/] {exc}", highlight=False)
                    raise typer.Exit(1) from None

            register(run)
            return func

        return decorator


app = PresswatchTyper(
    help="presswatch: clean articles, who said what, entities and stories from a pile of news pages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = PresswatchTyper(help="Score presswatch against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DbOption = typer.Option(None, "--db", help="SQLite file (default: $PRESSWATCH_DB or ./presswatch.db).")
SemanticOption = typer.Option(
    False, "--semantic", help="Add sentence embeddings (needs the semantic extra installed)."
)


def embedder(semantic: bool):
    """The sentence model's embedder when asked for, else None (the default representations)."""
    if not semantic:
        return None
    from presswatch.semantic import embed_texts

    return embed_texts


def require_format(value: str, allowed: tuple[str, ...], what: str = "format") -> None:
    if value not in allowed:
        raise PresswatchError(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")


def print_jsonl(records) -> None:
    """Records (dataclasses) as JSON Lines on standard output, one per line."""
    for record in records:
        print(json.dumps(asdict(record), ensure_ascii=False))


def print_result(result: dict, format: str) -> None:
    require_format(format, ("table", "json"))
    if format == "json":
        print(json.dumps(result, indent=2))
        return
    table = Table("measure", "value")
    for key, value in _flatten(result):
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    out.print(table)


def _flatten(result: dict, prefix: str = ""):
    for key, value in result.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
