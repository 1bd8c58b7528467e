"""Briefings as PDF, laid out by fpdf2 (the `pdf` extra: pure Python, renders offline).

The text is set in DejaVu Sans, a TrueType font with the scripts news quotes come in (PDF's
built-in fonts hold Latin-1 only: a quote in Cyrillic or a “curly” mark could not be printed).
fpdf2 ships no font, so the system's is used: Debian's fonts-dejavu-core, or the folder named by
PRESSWATCH_PDF_FONTS holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSans-Oblique.ttf.
Each statement links to its article (`article_href`, else its original URL where that is a web
address) and each speaker that resolves to an entity to its page (`entity_href`), else to its entry
in the "People quoted" list at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

from presswatch.errors import MissingExtra
from presswatch.summarize.briefing import Briefing
from presswatch.summarize.render import (
    PEOPLE_HEADING,
    PEOPLE_NOTE,
    ArticleHref,
    EntityHref,
    counted,
    group_count_phrase,
    person_facts,
    quoted,
    short_id,
    shown_speakers,
    stance_phrase,
    tally_phrase,
    web_url,
    where_phrase,
    window_phrase,
)

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MUTED = (95, 107, 118)
INK = (31, 41, 51)


def briefing_pdf(briefing: Briefing, *, article_href: ArticleHref | None = None,
                 entity_href: EntityHref | None = None) -> bytes:
    """The briefing as a PDF document. Raises MissingExtra without fpdf2 or a DejaVu Sans font."""
    try:
        from fpdf import FPDF
    except ImportError:
        raise MissingExtra("PDF needs the pdf extra: pip install 'presswatch[pdf]'") from None
    fonts = _font_dir()
    pdf = FPDF(format="A4")
    pdf.set_title(f"Briefing: {briefing.focus}")
    pdf.set_creator("presswatch")
    for style, file in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / file))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_text_color(*INK)
    canonical = briefing.canonical_names()
    # Without an entity page to link to, a speaker links to its entry in "People quoted", placed
    # when that list is written.
    entries = {} if entity_href else {person.entity_id: pdf.add_link() for person in briefing.people}
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, f"Briefing: {briefing.focus}", new_x="LMARGIN", new_y="NEXT")
    _small(pdf, f"{window_phrase(briefing.since, briefing.until)} · {tally_phrase(briefing)}")
    if briefing.truncated:
        _small(pdf, f"Only the first {briefing.statements} matches are shown; narrow the window or the focus.")
    if briefing.speakers:
        _labelled(pdf, "Who: ", "; ".join(counted(briefing.speakers)))
        _labelled(pdf, "Where: ", "; ".join(counted(briefing.outlets)))
    for group in briefing.groups:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12.5)
        heading = f"Narrative: {quoted(group.label)}" if group.narrative_id else "Statements in no narrative"
        pdf.multi_cell(0, 6.5, heading, new_x="LMARGIN", new_y="NEXT")
        if group.narrative_id:
            _small(pdf, f"narrative {short_id(group.narrative_id)} · {group_count_phrase(group)} · "
                        f"outlets: {', '.join(group.outlets)}")
        for line in group.lines:
            pdf.ln(1.5)
            pdf.set_font("DejaVu", "", 10)
            pdf.write(5, f"{(line.date or 'undated')[:10]} · {stance_phrase(line)}")
            speakers = shown_speakers(line, canonical)
            for i, person in enumerate(speakers):
                pdf.set_font("DejaVu", "B", 10)
                target = person.entity_id and (entity_href(person.entity_id) if entity_href else entries[person.entity_id])
                pdf.write(5, person.name, link=target or "")
                pdf.set_font("DejaVu", "", 10)
                pdf.write(5, (f" ({person.note})" if person.note else "")
                          + (" and " if i == len(speakers) - 2 else ", " if i < len(speakers) - 2 else ""))
            pdf.write(5, f" {line.cue} · {where_phrase(line)}")
            pdf.ln(5.5)
            pdf.set_font("DejaVu", "I", 10.5)
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 5.2, quoted(line.quote), align="L", new_x="LMARGIN", new_y="NEXT")
            reference = f"article {short_id(line.article_id)}"
            if line.title:
                reference += f" “{line.title}”"
            href = article_href(line.article_id) if article_href else web_url(line.url)
            _small(pdf, f"{reference} · statement {line.statement_id}", link=href or "", indent=5)
    if not briefing.groups:
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, "Nothing matched.", new_x="LMARGIN", new_y="NEXT")
    if briefing.people:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12.5)
        pdf.multi_cell(0, 6.5, PEOPLE_HEADING, new_x="LMARGIN", new_y="NEXT")
        _small(pdf, PEOPLE_NOTE)
        for person in briefing.people:
            pdf.ln(1.5)
            if pdf.get_y() + 5 > pdf.page_break_trigger:  # the entry starts where its link points
                pdf.add_page()
            if person.entity_id in entries:
                pdf.set_link(entries[person.entity_id], y=pdf.get_y())
            pdf.set_font("DejaVu", "B", 10)
            pdf.write(5, person.name, link=entity_href(person.entity_id) if entity_href else "")
            pdf.set_font("DejaVu", "", 10)
            pdf.write(5, f" · {person_facts(person)}")
            pdf.ln(5.5)
    return bytes(pdf.output())


def _font_dir() -> Path:
    given = os.environ.get("PRESSWATCH_PDF_FONTS")
    for folder in ([Path(given)] if given else []) + list(FONT_DIRS):
        if all((folder / file).is_file() for file in FONT_FILES.values()):
            return folder
    raise MissingExtra(
        "PDF needs the DejaVu Sans font: install it (Debian: apt-get install fonts-dejavu-core) or set"
        f" PRESSWATCH_PDF_FONTS to a folder holding {', '.join(FONT_FILES.values())}"
    )


def _small(pdf, text: str, *, link: str = "", indent: float = 0) -> None:
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, 4.5, text, link=link, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _labelled(pdf, label: str, text: str) -> None:
    pdf.set_font("DejaVu", "B", 10)
    pdf.write(5.5, label)
    pdf.set_font("DejaVu", "", 10)
    pdf.write(5.5, text)
    pdf.ln(6)
