"""`presswatch statements`: who said what, across the stored articles."""

from __future__ import annotations

from rich.table import Table

from presswatch.cli.common import (
    DateOption,
    DbOption,
    EntityOption,
    FormatOption,
    LanguageOption,
    LimitOption,
    NarrativeOption,
    OffsetOption,
    OutletOption,
    SpeakerOption,
    app,
    open_db,
    out,
    page_footer,
    print_empty_page,
    print_page,
    shown,
)
from presswatch.query import listings
from presswatch.records import GROUP, role_beside
from presswatch.store.search import SearchFilters


@app.command()
def statements(
    db: str | None = DbOption,
    speaker: str | None = SpeakerOption,
    entity: str | None = EntityOption,
    outlet: str | None = OutletOption,
    narrative: str | None = NarrativeOption,
    since: str | None = DateOption("Said on or after this ISO date (the article's date when the text gives none)."),
    until: str | None = DateOption("Said on or before this ISO date."),
    language: str | None = LanguageOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """List statements, newest first: speaker, role, cue, what was said, venue, addressee and date."""
    filters = SearchFilters(outlet=outlet, speaker=speaker, entity=entity, narrative=narrative, since=since,
                            until=until, language=language)
    with open_db(db) as store:
        page = listings.statements(store, filters, limit=limit, offset=offset)
    if print_page(page, format):
        return
    if print_empty_page(page, "statements"):
        return
    table = Table("date", "speaker", "cue", "said", "where / to whom", "article")
    for s in page.items:
        who = shown(s.speaker_name or s.speaker or "(unnamed)")
        if role := role_beside(s.speaker_name or s.speaker, s.speaker_role):
            who += f"\n[dim]{shown(role)}[/]"
        if s.speaker_kind == GROUP:
            who += "\n[yellow](anonymous group)[/]"
        where = "; ".join(part for part in (s.venue, f"to {s.addressee}" if s.addressee else None) if part)
        table.add_row(shown((s.date or "")[:10]), who, f"{shown(s.cue)}\n[dim]{s.mode}[/]", shown(s.content), shown(where),
                      shown(s.article_id[:10]))
    out.print(table)
    page_footer(page, "statements")
