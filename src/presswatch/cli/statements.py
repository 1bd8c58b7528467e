"""`presswatch statements`: who said what, across the stored articles."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from presswatch.cli.common import DbOption, app, out, print_jsonl, require_format
from presswatch.store import open_store
from presswatch.store.statements import statements as stored_statements


@app.command()
def statements(
    db: Optional[str] = DbOption,
    speaker: Optional[str] = typer.Option(None, help="Speaker name or surname (case-insensitive)."),
    since: Optional[str] = typer.Option(None, help="Said on or after this ISO date."),
    until: Optional[str] = typer.Option(None, help="Said on or before this ISO date."),
    limit: int = typer.Option(100, min=1),
    format: str = typer.Option("table", help="table or jsonl."),
) -> None:
    """List statements: speaker, role, cue, what was said, venue, addressee and date."""
    require_format(format, ("table", "jsonl"))
    with open_store(db) as store:
        found = stored_statements(store, speaker=speaker, since=since, until=until, limit=limit)
    if format == "jsonl":
        print_jsonl(found)
        return
    table = Table("date", "speaker", "cue", "said", "where / to whom", "article")
    for s in found:
        who = s.speaker_name or s.speaker or "(unnamed)"
        if s.speaker_role:
            who += f"\n[dim]{s.speaker_role}[/]"
        if s.speaker_kind == "group":
            who += "\n[yellow](anonymous group)[/]"
        where = "; ".join(part for part in (s.venue, f"to {s.addressee}" if s.addressee else None) if part)
        table.add_row((s.date or "")[:10], who, f"{s.cue}\n[dim]{s.mode}[/]", s.content, where, s.article_id[:10])
    out.print(table)
