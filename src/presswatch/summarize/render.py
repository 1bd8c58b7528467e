"""Briefings and story summaries as Markdown, HTML or JSON-ready dicts.

HTML goes through Jinja2 with autoescaping on, so a quote holding markup is shown, never run.
`article_href`, when given, turns each article id into a link (the HTTP API and the web UI point
it at their own pages); without it the id is plain text and the article's original URL is linked.
`entity_href` does the same for the people quoted: each speaker that resolves to an entity links to
its page; without it, the HTML and PDF link each speaker to its entry in the "People quoted" list
every format ends with (canonical name, entity id, the articles' spellings and roles), and the
Markdown names them there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from jinja2 import Environment

from presswatch.names import joint_name
from presswatch.records import LABEL_CUE, SpeakerLink, outlet_named, role_beside
from presswatch.summarize.briefing import (
    Briefing,
    BriefingGroup,
    BriefingLine,
    BriefingPerson,
)
from presswatch.summarize.story import StorySummary

ArticleHref = Callable[[str], str]
EntityHref = Callable[[str], str]
SHORT_ID = 10

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str | None) -> str:
    """Text as Markdown shows it literally: its markup characters escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def web_url(url: str | None) -> str | None:
    """An article's own URL, if it is http(s): a page can claim any URL, `javascript:` included."""
    return url if url and re.match(r"https?://", url, re.IGNORECASE) and not re.search(r"[\s<>]", url) else None


def window_phrase(since: str | None, until: str | None) -> str:
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "all dates"


_QUOTE_MARKS = "\"“”‘’'«»„ "


def quoted(text: str | None) -> str:
    """A quotation in typographic marks, without the marks (and the comma before a closing mark) it
    already has, so it is not quoted twice."""
    inner = (text or "").strip()
    if inner[:1] in _QUOTE_MARKS and inner[-1:] in _QUOTE_MARKS:
        inner = inner.strip(_QUOTE_MARKS).rstrip(",")
    return f"“{inner}”"


# Venues are stored as the noun phrase the article used ("an interview with Kestrel", "a press
# conference in Port Aldane"); said "in" a text or a talk, "at" an event or a place.
_SAID_IN = re.compile(
    r"^(?:(?:an?|the|his|her|their|its|this|that)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:interview|statement|speech|letter|post|article|op-ed|column|address|message|report|tweet|video|"
    r"broadcast|podcast|remarks|comments|briefing note|communiqué|decree|book)s?\b",
    re.IGNORECASE,
)


def venue_phrase(venue: str) -> str:
    """'an interview with Kestrel' -> 'in an interview with Kestrel'; 'a press conference' -> 'at a …'."""
    if re.match(r"(?:in|at|on|during|after|before|from)\s", venue, re.IGNORECASE):
        return venue
    return f"{'in' if _SAID_IN.match(venue) else 'at'} {venue}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def group_count_phrase(group: BriefingGroup) -> str:
    """How many statements a briefing's group shows: "3 statements" when that is all its narrative
    holds, else "1 of its 3 statements" (the focus or the window left the others out)."""
    shown = len(group.lines)
    if group.narrative_statements is None or group.narrative_statements <= shown:
        return _count(shown, "statement")
    return f"{shown} of its {_count(group.narrative_statements, 'statement')}"


def tally_phrase(briefing: Briefing) -> str:
    return (f"{_count(briefing.statements, 'statement')} by {_count(len(briefing.speakers), 'speaker')} in "
            f"{_count(len(briefing.outlets), 'outlet')}")


@dataclass(frozen=True)
class ShownSpeaker:
    """One person or body of a briefing line's speaker as every format shows it."""

    name: str  # the entity's canonical name; the article's words for a speaker resolving to none
    entity_id: str | None
    # what follows the name in brackets: the article's spelling where it is not the canonical name,
    # and, after the last person of the line, the speaker's role
    note: str | None


def shown_speakers(line: BriefingLine, canonical: Mapping[str, str]) -> tuple[ShownSpeaker, ...]:
    """A line's speaker, person by person, under the canonical names (`Briefing.canonical_names`),
    so "Yevgeny Lomatsky" and "Evgeny Lomatskiy" read as one person, the spelling kept beside it."""
    links = line.speaker_links or (SpeakerLink(line.speaker, None),)
    role = role_beside(line.speaker, line.speaker_role)
    shown = []
    for i, link in enumerate(links):
        name = canonical.get(link.entity_id, link.name) if link.entity_id else link.name
        notes = [f"spelled “{link.name}”"] if name != link.name else []
        if role and i == len(links) - 1:
            notes.append(role)
        shown.append(ShownSpeaker(name, link.entity_id if link.entity_id in canonical else None,
                                  "; ".join(notes) or None))
    return tuple(shown)


def _with_note(name: str, note: str | None) -> str:
    """'Evgeny Lomatskiy (spelled “Yevgeny Lomatsky”; Deputy Foreign Minister)'."""
    return f"{name} ({note})" if note else name


def stance_phrase(line: BriefingLine) -> str:
    """A line's stance to its group's claim, as its lines open with it ("" in no narrative)."""
    return f"{line.stance} · " if line.stance else ""


def person_facts(person: BriefingPerson) -> str:
    """What the "People quoted" list says of a person after its name, in every format."""
    facts = [person.type, _count(person.statements, "statement"), f"entity {person.entity_id}",
             "spelled " + ", ".join(f"“{spelling}” ({count})" for spelling, count in person.spellings)]
    if person.roles:
        facts.append("roles: " + ", ".join(person.roles))
    return " · ".join(facts)


PEOPLE_HEADING = "People quoted"
PEOPLE_NOTE = ("Each speaker that resolves to one entity, under the entity's canonical name, with the spellings"
               " and roles the articles gave it.")


def counted(tally: Sequence[tuple[str, int]]) -> list[str]:
    """A briefing's Who and Where tallies as every format writes them, one "Name (count)" each."""
    return [f"{name} ({count})" for name, count in tally]


def short_id(value: str | None) -> str:
    """An id as a briefing shows it: a unique prefix is enough to find it again."""
    return (value or "")[:SHORT_ID]


def cue_phrase(cue: str) -> str:
    """A line's cue as its speaker's verb: a transcript's or an interview's colon (LABEL_CUE) reads
    "said", so a line is "**Brennan** said · …", not "**Brennan** : · …"."""
    return "said" if cue == LABEL_CUE else cue


def where_phrase(line: BriefingLine) -> str:
    parts = [outlet_named(line.outlet)]
    if line.venue:
        parts.append(venue_phrase(line.venue))
    if line.addressee:
        parts.append(f"to {line.addressee}")
    return ", ".join(parts)


# -- briefing -------------------------------------------------------------------------------------


def briefing_dict(briefing: Briefing) -> dict:
    return asdict(briefing)


def _article_markdown(article_id: str, url: str | None, article_href: ArticleHref | None) -> str:
    """An article cited in Markdown: linked through `article_href` when given, else to its own web
    address when it has one, else its short id alone."""
    article = f"article {article_id[:SHORT_ID]}"
    if article_href:
        return f"[{article}]({article_href(article_id)})"
    if web_url(url):
        return f"[{article}](<{url}>)"
    return article


def briefing_markdown(briefing: Briefing, *, article_href: ArticleHref | None = None,
                      entity_href: EntityHref | None = None) -> str:
    """The briefing in Markdown. With `entity_href`, each speaker that resolves to an entity is a
    reference-style link (`[Name][entity id]`) to its page, the references listed at the end."""
    canonical = briefing.canonical_names()
    out = [
        f"# Briefing: {_md(briefing.focus)}",
        "",
        f"{window_phrase(briefing.since, briefing.until)} · {tally_phrase(briefing)}",
    ]
    if briefing.truncated:
        out.append(f"(only the first {briefing.statements} matches are shown; narrow the window or the focus)")
    if briefing.speakers:
        out += ["", "**Who:** " + "; ".join(map(_md, counted(briefing.speakers)))]
        out += ["**Where:** " + "; ".join(map(_md, counted(briefing.outlets)))]
    for group in briefing.groups:
        heading = f"Narrative: {_md(quoted(group.label))}" if group.narrative_id else "Statements in no narrative"
        out += ["", f"## {heading}", ""]
        if group.narrative_id:
            outlets = _md(", ".join(group.outlets))
            out += [f"narrative {short_id(group.narrative_id)} · {group_count_phrase(group)} · outlets: {outlets}", ""]
        for line in group.lines:
            article = _article_markdown(line.article_id, line.url, article_href)
            speaker = joint_name([_with_note(_person_markdown(p.name, p.entity_id, entity_href), p.note and _md(p.note))
                                  for p in shown_speakers(line, canonical)])
            out.append(
                f"- {(line.date or 'undated')[:10]} · {stance_phrase(line)}**{speaker}** {_md(cue_phrase(line.cue))} · "
                f"{_md(where_phrase(line))}: {_md(quoted(line.quote))} ({article}; statement `{line.statement_id}`)"
            )
    if not briefing.groups:
        out += ["", "Nothing matched."]
    if briefing.people:
        out += ["", f"## {PEOPLE_HEADING}", "", PEOPLE_NOTE, ""]
        out += [f"- **{_person_markdown(person.name, person.entity_id, entity_href)}** · {_md(person_facts(person))}"
                for person in briefing.people]
        if entity_href:
            out += ["", *(f"[{person.entity_id}]: <{entity_href(person.entity_id)}>" for person in briefing.people)]
    return "\n".join(out) + "\n"


def _person_markdown(name: str, entity_id: str | None, entity_href: EntityHref | None) -> str:
    """A speaker's name in Markdown, a reference to its entity's page where there is one to link."""
    return f"[{_md(name)}][{entity_id}]" if entity_href and entity_id else _md(name)


_environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_environment.filters["short"] = short_id
_environment.filters["counted"] = counted
_environment.filters["outlet"] = outlet_named
_environment.filters["day"] = lambda value: (value or "undated")[:10]
_environment.filters["web_url"] = web_url
_environment.filters["quoted"] = quoted
_environment.filters["count"] = _count
_environment.filters["venue_phrase"] = venue_phrase
_environment.filters["cue_phrase"] = cue_phrase
_environment.filters["group_count"] = group_count_phrase
_environment.filters["person_facts"] = person_facts
_environment.globals["shown_speakers"] = shown_speakers

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta, .evidence { color: #666; font-size: .9rem; }
blockquote { margin: .2rem 0 .2rem 1rem; }
li { margin-bottom: .8rem; }
.stance { color: #555; font-variant: small-caps; }
"""

_BRIEFING_HTML = _environment.from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Briefing: {{ b.focus }}</title><style>{{ style }}</style></head>
<body>
<h1>Briefing: {{ b.focus }}</h1>
<p class="meta">{{ window }} · {{ tally }}</p>
{% if b.truncated %}<p class="meta">Only the first {{ b.statements }} matches are shown; narrow the window or the focus.</p>{% endif %}
{% if b.speakers %}
<p><strong>Who:</strong> {{ b.speakers|counted|join("; ") }}<br>
<strong>Where:</strong> {{ b.outlets|counted|join("; ") }}</p>
{% endif %}
{% for group in b.groups %}
<section>
{% if group.narrative_id %}
<h2>Narrative: {{ group.label|quoted }}</h2>
<p class="meta">narrative {{ group.narrative_id|short }} · {{ group|group_count }} · outlets: {{ group.outlets|join(", ") }}</p>
{% else %}
<h2>Statements in no narrative</h2>
{% endif %}
<ul>
{% for line in group.lines %}
<li><strong>{{ line.date|day }}</strong> · {% if line.stance %}<span class="stance">{{ line.stance }}</span> · {% endif %}
{% for p in shown_speakers(line, canonical) %}{% if p.entity_id %}<a href="{{ entity_href(p.entity_id) if entity_href else '#' ~ p.entity_id }}"><strong>{{ p.name }}</strong></a>{% else %}<strong>{{ p.name }}</strong>{% endif %}{% if p.note %} ({{ p.note }}){% endif %}{% if loop.revindex == 2 %} and {% elif not loop.last %}, {% endif %}{% endfor %}
 {{ line.cue|cue_phrase }} · {{ line.outlet|outlet }}{% if line.venue %}, {{ line.venue|venue_phrase }}{% endif %}{% if line.addressee %}, to {{ line.addressee }}{% endif %}
<blockquote>{{ line.quote|quoted }}</blockquote>
<span class="evidence">{% set href = article_href(line.article_id) if article_href else line.url|web_url %}
{% if href %}<a href="{{ href }}">article {{ line.article_id|short }}</a>{% else %}article {{ line.article_id|short }}{% endif %}
{% if line.title %} “{{ line.title }}”{% endif %} · statement <code>{{ line.statement_id }}</code></span></li>
{% endfor %}
</ul>
</section>
{% else %}
<p>Nothing matched.</p>
{% endfor %}
{% if b.people %}
<section class="people">
<h2>{{ people_heading }}</h2>
<p class="meta">{{ people_note }}</p>
<ul>
{% for person in b.people %}
<li id="{{ person.entity_id }}">{% if entity_href %}<a href="{{ entity_href(person.entity_id) }}"><strong>{{ person.name }}</strong></a>{% else %}<strong>{{ person.name }}</strong>{% endif %} · {{ person|person_facts }}</li>
{% endfor %}
</ul>
</section>
{% endif %}
</body></html>
""")


def briefing_html(briefing: Briefing, *, article_href: ArticleHref | None = None,
                  entity_href: EntityHref | None = None) -> str:
    """The briefing as a standalone HTML page: each speaker that resolves to an entity links to its
    page through `entity_href`, else to its entry in the page's own "People quoted" list."""
    return _BRIEFING_HTML.render(b=briefing, window=window_phrase(briefing.since, briefing.until), tally=tally_phrase(briefing),
                                 style=_STYLE, canonical=briefing.canonical_names(), people_heading=PEOPLE_HEADING,
                                 people_note=PEOPLE_NOTE, article_href=article_href, entity_href=entity_href)


# -- story summary --------------------------------------------------------------------------------


def summary_dict(summary: StorySummary) -> dict:
    return {"story": asdict(summary.story), "articles": summary.articles,
            "sentences": [asdict(s) for s in summary.sentences]}


def summary_markdown(summary: StorySummary, *, article_href: ArticleHref | None = None) -> str:
    story = summary.story
    out = [
        f"# {_md(story.label)}",
        "",
        (f"story {story.id[:SHORT_ID]} · {_count(summary.articles, 'article')} · "
         f"{_count(len(story.outlets), 'outlet')} · {(story.first_seen or '?')[:10]} to {(story.last_seen or '?')[:10]}"),
        "",
    ]
    for sentence in summary.sentences:
        article = _article_markdown(sentence.article_id, sentence.url, article_href)
        out.append(f"- {_md(sentence.text)} ({_md(outlet_named(sentence.outlet))}, "
                   f"{(sentence.published or 'undated')[:10]}; {article})")
    if not summary.sentences:
        out.append("(no sentence long enough to quote)")
    return "\n".join(out) + "\n"


_SUMMARY_HTML = _environment.from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ s.story.label }}</title><style>{{ style }}</style></head>
<body>
<h1>{{ s.story.label }}</h1>
<p class="meta">story {{ s.story.id|short }} · {{ s.articles|count("article") }} · {{ s.story.outlets|length|count("outlet") }} ·
{{ s.story.first_seen|day }} to {{ s.story.last_seen|day }}</p>
<ul>
{% for sentence in s.sentences %}
<li>{{ sentence.text }} <span class="evidence">({{ sentence.outlet|outlet }}, {{ sentence.published|day }};
{% set href = article_href(sentence.article_id) if article_href else sentence.url|web_url %}
{% if href %}<a href="{{ href }}">article {{ sentence.article_id|short }}</a>{% else %}article {{ sentence.article_id|short }}{% endif %})</span></li>
{% else %}
<li>(no sentence long enough to quote)</li>
{% endfor %}
</ul>
</body></html>
""")


def summary_html(summary: StorySummary, *, article_href: ArticleHref | None = None) -> str:
    return _SUMMARY_HTML.render(s=summary, style=_STYLE, article_href=article_href)
