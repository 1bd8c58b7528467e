"""`presswatch statements`: who said what, across the stored articles."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from presswatch.cli.common import (
    DateOption,
    DbOption,
    app,
    open_db,
    out,
    print_jsonl,
    require_format,
    shown,
)
from presswatch.store.statements import statements as stored_statements


@app.command()
def statements(
    db: Optional[str] = DbOption,
    speaker: Optional[str] = typer.Option(None, help="Speaker name or surname (case-insensitive)."),
    since: Optional[str] = DateOption("Said on or after this ISO date."),
    until: Optional[str] = DateOption("Said on or before this ISO date."),
    limit: int = typer.Option(100, min=1),
    format: str = typer.Option("table", help="table or jsonl."),
) -> None:
    """List statements: speaker, role, cue, what was said, venue, addressee and date."""
    require_format(format, ("table", "jsonl"))
    with open_db(db) as store:
        found = stored_statements(store, speaker=speaker, since=since, until=until, limit=limit)
    if format == "jsonl":
        print_jsonl(found)
        return
    table = Table("date", "speaker", "cue", "said", "where / to whom", "article")
    for s in found:
        who = shown(s.speaker_name or s.speaker or "(unnamed)")
        if s.speaker_role:
            who += f"\n[dim]{shown(s.speaker_role)}[/]"
        if s.speaker_kind == "group":
            who += "\n[yellow](anonymous group)[/]"
        where = "; ".join(part for part in (s.venue, f"to {s.addressee}" if s.addressee else None) if part)
        table.add_row(shown((s.date or "")[:10]), who, f"{shown(s.cue)}\n[dim]{s.mode}[/]", shown(s.content), shown(where),
                      shown(s.article_id[:10]))
    out.print(table)
