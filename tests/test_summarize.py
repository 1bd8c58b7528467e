"""Story summaries and briefings: verbatim, cited, grouped by narrative, escaped when rendered."""

from __future__ import annotations

from dataclasses import replace

import pytest
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.errors import MissingExtra, QueryError
from presswatch.query import build_briefing, summarize_story
from presswatch.query.briefing import _speaker_tally
from presswatch.records import UNKNOWN_OUTLET, Article, SpeakerLink
from presswatch.store import Store
from presswatch.store import stories as story_store
from presswatch.store.search import statement_by_id
from presswatch.summarize import Briefing, BriefingGroup, BriefingLine, BriefingPerson
from presswatch.summarize.pdf import briefing_pdf
from presswatch.summarize.render import (
    briefing_html,
    briefing_markdown,
    group_count_phrase,
    summary_html,
    venue_phrase,
)
from presswatch.summarize.story import split_sentences, summarize_articles


@pytest.fixture(scope="module")
def examples(example_db):
    with Store(example_db) as store:
        yield store


# -- story summaries --------------------------------------------------------------------------------


def test_every_summary_sentence_is_a_cited_sentence_of_the_story(examples):
    for story in story_store.stories(examples):
        summary = summarize_story(examples, story.id[:12], sentences=3)
        assert 1 <= len(summary.sentences) <= 3
        for sentence in summary.sentences:
            article = examples.article(sentence.article_id)
            assert sentence.article_id in story.article_ids
            assert " ".join(sentence.text.split()) in " ".join(article.body.split())
            assert (sentence.outlet, sentence.published) == (article.outlet, article.published)


def test_a_summary_spreads_over_the_coverage_and_skips_repeats():
    lead = "The harbour authority closed the port on Monday after the storm damaged the northern breakwater."
    articles = [
        _article("a", "2025-01-02", "Wire Service", [lead, "Engineers will inspect the breakwater on Tuesday morning.",
                                                      "The port handled four million tonnes of cargo last year."]),
        _article("b", "2025-01-02", "City Paper", [lead, "Ferry passengers were moved to buses for the crossing.",
                                                    "The port handled four million tonnes of cargo last year."]),
        _article("c", "2025-01-03", "Evening Post", ["The port reopened on Wednesday after divers checked the breakwater.",
                                                      "Shipping companies said the delays had cost them little."]),
    ]
    chosen = summarize_articles(articles, sentences=3)
    texts = [c.text for c in chosen]
    assert texts.count(lead) == 1
    assert len({c.article_id for c in chosen}) >= 2
    assert [c.published for c in chosen] == sorted(c.published for c in chosen)


def test_sentences_split_without_breaking_titles_or_quotes():
    text = 'Mr. Brask met the U.S. envoy on Monday. "We are calm," she said. It rained.'
    assert split_sentences([text]) == ["Mr. Brask met the U.S. envoy on Monday.", '"We are calm," she said.', "It rained."]


@pytest.mark.parametrize(
    "quotation",
    [
        '"We argued about the quay for years. Now we can build it," said Mayor Anna Kask.',
        "“We argued about the quay for years. Now we can build it,” said Mayor Anna Kask.",
        'Kask said: "We argued about the quay for years. Now we can build it."',
    ],
)
def test_a_quotation_of_several_sentences_is_never_cut(quotation):
    assert split_sentences([f"The ferry sailed. {quotation} It rained."]) == ["The ferry sailed.", quotation, "It rained."]


def test_a_dateline_is_no_part_of_a_summary_sentence():
    assert split_sentences(["KESTREL, March 3 (Harbour Gazette) - The ferry sailed on time. It rained."]) == [
        "The ferry sailed on time.", "It rained."]


def test_an_unknown_story_is_a_query_error(examples):
    with pytest.raises(QueryError, match="no story"):
        summarize_story(examples, "zzzz")


def _article(key: str, published: str, outlet: str, paragraphs: list[str]) -> Article:
    return Article(id=key, page_id=key, url=None, title=None, body="\n\n".join(paragraphs),
                   paragraphs=tuple(paragraphs), outlet=outlet, published=published, language="en")


# -- briefings ---------------------------------------------------------------------------------------


def test_a_speaker_briefing_holds_every_spelling_grouped_by_narrative(examples):
    briefing = build_briefing(examples, since="2024-01-01", speaker="Yevgeny Lomatsky")
    spellings = {line.speaker for group in briefing.groups for line in group.lines}
    assert {"Yevgeny Lomatsky", "Evgeny Lomatskiy"} <= spellings
    # one entity, under its most used spelling
    assert briefing.speakers[0][0] == "Evgeny Lomatskiy" and len(briefing.speakers) == 1
    narratives = [g for g in briefing.groups if g.narrative_id]
    assert narratives and all(g.narrative_id for g in briefing.groups[: len(narratives)])  # narratives first
    for group in narratives:
        evidence = {e.statement_id for e in story_store.narrative(examples, group.narrative_id).evidence}
        assert {line.statement_id for line in group.lines} <= evidence
    for group in briefing.groups:
        for line in group.lines:
            assert statement_by_id(examples, line.statement_id).content == line.quote
            assert line.statement_id.startswith(line.article_id)
    assert briefing.statements == sum(len(g.lines) for g in briefing.groups)


def test_the_window_bounds_a_briefing(examples):
    early = build_briefing(examples, until="2024-12-31", speaker="Lomatsky")
    late = build_briefing(examples, since="2025-01-01", speaker="Lomatsky")
    assert early.statements and late.statements
    assert all(line.date <= "2024-12-31" for g in early.groups for line in g.lines)
    assert all(line.date >= "2025-01-01" for g in late.groups for line in g.lines)


def test_a_query_briefing_and_a_limit(examples):
    briefing = build_briefing(examples, query='"rescue centre"', limit=2)
    assert briefing.statements == 2 and briefing.truncated
    assert all("rescue centre" in line.quote.lower() for g in briefing.groups for line in g.lines)
    with pytest.raises(QueryError):
        build_briefing(examples, entity="Nobody Atall")


def test_a_narratives_group_says_how_many_of_its_statements_the_briefing_shows(examples):
    briefing = build_briefing(examples, speaker="Piet Danneker")
    partial = [g for g in briefing.groups if g.narrative_id and g.narrative_statements > len(g.lines)]
    assert partial  # the spokesman carries a narrative others carry too
    markdown, html = briefing_markdown(briefing), briefing_html(briefing)
    for group in briefing.groups:
        if group.narrative_id is None:
            assert group.narrative_statements is None
            continue
        assert group.narrative_statements == story_store.narrative(examples, group.narrative_id).statements
        phrase = (f"{len(group.lines)} of its {group.narrative_statements} statements" if group in partial
                  else f"{len(group.lines)} statement{'s' if len(group.lines) > 1 else ''}")
        assert f"narrative {group.narrative_id[:10]} · {phrase} · " in markdown
        assert f"narrative {group.narrative_id[:10]} · {phrase} · " in html


def _line(speaker: str, role: str | None, links: tuple[SpeakerLink, ...] = (), *, statement: str = "abc:1-2",
          outlet: str | None = "Harbour Gazette", stance: str | None = None) -> BriefingLine:
    return BriefingLine(
        statement_id=statement, article_id=statement.split(":")[0], date="2025-01-01", speaker=speaker,
        speaker_links=links, speaker_role=role, speaker_kind="person", cue="said", quote="The quay will close.",
        mode="indirect", venue=None, addressee=None, outlet=outlet, title="T", url=None, stance=stance,
    )


# A fictional briefing: Marta Vell (entity Evell) quoted as "Marta Vell", as "Marta Vel" and with Odd
# Stam (no entity), and a harbour office spelled with a straight and a curly apostrophe.
VELL = BriefingPerson("Evell", "Marta Vell", "person", 3, (("Marta Vell", 2), ("Marta Vel", 1)),
                      ("Mayor",))
VELL_LINES = (
    _line("Marta Vell", "Mayor", (SpeakerLink("Marta Vell", "Evell"),), statement="a1:1-2", stance="asserts"),
    _line("Marta Vel", "Mayor", (SpeakerLink("Marta Vel", "Evell"),), statement="a2:1-2", stance="denies",
          outlet=None),
    _line("Marta Vell and Odd Stam", None, (SpeakerLink("Marta Vell", "Evell"), SpeakerLink("Odd Stam", None)),
          statement="a3:1-2"),
)


def test_a_speaker_reads_under_its_canonical_name_with_the_articles_spelling_beside_it():
    briefing = Briefing("all statements", None, None,
                        (BriefingGroup("n1", "The quay will close", VELL_LINES[:2], 2), BriefingGroup(None, None, VELL_LINES[2:])),
                        (("Marta Vell", 3), ("Odd Stam", 1)), (("Harbour Gazette", 2), ("(unknown outlet)", 1)), 3, False,
                        people=(VELL,))
    assert briefing.groups[0].outlets == ("Harbour Gazette", "(unknown outlet)")  # as the Where tally counts it
    markdown = briefing_markdown(briefing)
    assert "- 2025-01-01 · asserts · **Marta Vell (Mayor)** said" in markdown
    assert "- 2025-01-01 · denies · **Marta Vell (spelled “Marta Vel”; Mayor)** said" in markdown
    assert "- 2025-01-01 · **Marta Vell and Odd Stam** said" in markdown
    assert "outlets: Harbour Gazette, (unknown outlet)" in markdown
    # a line of an article naming no outlet says what the tallies and group lists count it as
    assert markdown.count("said · (unknown outlet)") == 1 and "unknown outlet" not in markdown.replace(UNKNOWN_OUTLET, "")
    assert markdown.endswith("- **Marta Vell** · person · 3 statements · entity Evell · spelled “Marta Vell” (2), "
                             "“Marta Vel” (1) · roles: Mayor\n")
    linked = briefing_markdown(briefing, entity_href=lambda e: f"https://pw.example/entities/{e}")
    assert "**[Marta Vell][Evell] (spelled “Marta Vel”; Mayor)**" in linked and "[Odd Stam]" not in linked
    assert linked.endswith("[Evell]: <https://pw.example/entities/Evell>\n")
    html = briefing_html(briefing)
    assert html.count('<a href="#Evell"><strong>Marta Vell</strong></a>') == 3 and '<li id="Evell">' in html
    assert '<strong>Odd Stam</strong>' in html and '<span class="stance">denies</span>' in html
    assert html.count(f"said · {UNKNOWN_OUTLET}") == 1 and "unknown outlet" not in html.replace(UNKNOWN_OUTLET, "")
    assert 'href="https://pw.example/entities/Evell"' in briefing_html(
        briefing, entity_href=lambda e: f"https://pw.example/entities/{e}")
    pypdf = pytest.importorskip("pypdf")
    import io
    try:
        document = pypdf.PdfReader(io.BytesIO(briefing_pdf(briefing)))
    except MissingExtra:
        pytest.skip("no fpdf2 or DejaVu Sans")
    text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    assert "denies · Marta Vell (spelled “Marta Vel”; Mayor) said" in text and "People quoted Each" in text
    assert "said · (unknown outlet)" in text and "unknown outlet" not in text.replace(UNKNOWN_OUTLET, "")
    # each of the three lines links to the People entry
    assert sum(1 for page in document.pages for a in page.get("/Annots") or [] if "/Dest" in a.get_object()) == 3


def test_a_speaker_resolving_to_no_entity_is_counted_once_whatever_its_apostrophes():
    lines = [_line("the harbour office's spokesman", None, (SpeakerLink("the harbour office's spokesman", None),)),
             _line("the harbour office’s spokesman", None, (SpeakerLink("the harbour office’s spokesman", None),)),
             *VELL_LINES]
    assert _speaker_tally((VELL,), lines) == (("Marta Vell", 3), ("the harbour office's spokesman", 2), ("Odd Stam", 1))


@pytest.mark.parametrize(
    ("shown", "lines", "phrase"),
    [(None, 1, "1 statement"), (1, 1, "1 statement"), (3, 1, "1 of its 3 statements"), (2, 2, "2 statements")],
)
def test_group_count_phrase(shown, lines, phrase):
    group = BriefingGroup("n1" if shown else None, "label", tuple(_line("Kask", None) for _ in range(lines)), shown)
    assert group_count_phrase(group) == phrase


def test_a_role_the_speakers_words_hold_is_not_repeated_beside_them():
    unnamed = _line("A spokesman for the Port Authority", "spokesman for the Port Authority")
    named = _line("Anna Kask", "Mayor")
    briefing = Briefing("all statements", None, None, (BriefingGroup(None, None, (unnamed, named)),),
                        (("Anna Kask", 1),), (("Harbour Gazette", 2),), 2, False)
    for text in (briefing_markdown(briefing), briefing_html(briefing)):
        assert "(spokesman for the Port Authority)" not in text and "A spokesman for the Port Authority" in text
        assert "Anna Kask</strong> (Mayor)" in text or "Anna Kask (Mayor)" in text


def test_a_transcript_lines_colon_cue_reads_said():
    answer = replace(_line("Anna Kask", "Mayor"), cue=":", mode="direct")
    briefing = Briefing("all statements", None, None, (BriefingGroup(None, None, (answer,)),),
                        (("Anna Kask", 1),), (("Harbour Gazette", 1),), 1, False)
    assert "**Anna Kask (Mayor)** said · Harbour Gazette" in briefing_markdown(briefing)
    html = briefing_html(briefing)
    assert " said · " in html and " : · " not in html


def test_html_briefing_escapes_what_pages_said():
    line = BriefingLine(
        statement_id="abc:1-2", article_id="abc", date="2025-01-01", speaker="<b>Eve</b>", speaker_links=(),
        speaker_role=None, speaker_kind="person", cue="said", quote='<script>alert("x")</script> & more',
        mode="direct", venue=None, addressee=None, outlet="Paper & Co", title="T", url="javascript:alert(1)",
    )
    briefing = Briefing("speaker “<b>Eve</b>”", "2025-01-01", None, (BriefingGroup(None, None, (line,)),),
                        (("<b>Eve</b>", 1),), (("Paper & Co", 1),), 1, False)
    html = briefing_html(briefing)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>Eve</b>" not in html
    assert "javascript:" not in html and "Paper &amp; Co" in html
    markdown = briefing_markdown(briefing)
    assert r"\<script\>" in markdown and "javascript:" not in markdown and "statement `abc:1-2`" in markdown


def test_summary_html_links_articles_where_asked(examples):
    story = story_store.stories(examples, limit=1)[0]
    html = summary_html(summarize_story(examples, story.id), article_href=lambda a: f"/a/{a}")
    summary = summarize_story(examples, story.id)
    assert all(f'href="/a/{s.article_id}"' in html for s in summary.sentences) and summary.sentences


def test_brief_and_summary_commands(example_db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["brief", "--db", str(example_db), "--since", "2025-01-01", "--speaker",
                                 "Yevgeny Lomatsky", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Briefing: speaker “Yevgeny Lomatsky”") and "## Narrative:" in result.output
    out = tmp_path / "b.html"
    result = runner.invoke(app, ["brief", "--db", str(example_db), "--speaker", "Lomatsky", "--format", "html",
                                 "-o", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("<!doctype html>")
    result = runner.invoke(app, ["brief", "--db", str(example_db), "--format", "docx"])  # pdf is one (test_views)
    assert result.exit_code == 1 and "unknown format" in result.output
    result = runner.invoke(app, ["brief", "--db", str(example_db), "-q", "rescue", "--match", "auto"])
    assert result.exit_code == 0 and "# Briefing: search “rescue”" in result.output
    result = runner.invoke(app, ["brief", "--db", str(example_db), "-q", "rescue", "--match", "telepathy"])
    assert result.exit_code == 1 and "unknown search mode" in result.output
    with Store(example_db) as store:
        story_id = story_store.stories(store, limit=1)[0].id
    result = runner.invoke(app, ["summary", story_id[:8], "--db", str(example_db), "--sentences", "2"])
    assert result.exit_code == 0 and result.output.count("\n- ") == 2


@pytest.mark.parametrize(
    "venue, phrase",
    [
        ("an interview with the Kestrel News Agency", "in an interview with the Kestrel News Agency"),
        ("an emailed statement", "in an emailed statement"),
        ("a press conference in Port Aldane", "at a press conference in Port Aldane"),
        ("a forum of regional parties", "at a forum of regional parties"),
        ("during a visit to Skelby", "during a visit to Skelby"),
    ],
)
def test_a_venue_is_said_in_a_text_and_at_an_event(venue, phrase):
    assert venue_phrase(venue) == phrase


def test_two_entities_of_one_name_are_tallied_as_their_people_entries_count_them():
    ministries = (BriefingPerson("Eport1", "Port Ministry", "organization", 2, (("Port Ministry", 2),), ()),
                  BriefingPerson("Eport2", "Port Ministry", "organization", 1, (("Port Ministry", 1),), ()))
    lines = [_line("Port Ministry", None, (SpeakerLink("Port Ministry", entity),), statement=f"{i}:1-2")
             for i, entity in enumerate(("Eport1", "Eport2", "Eport1"))]
    assert _speaker_tally(ministries, lines) == (("Port Ministry", 2), ("Port Ministry", 1))
