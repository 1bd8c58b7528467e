"""The publication date of an HTML page: microdata's datePublished a reader can see, else
htmldate's, then the date the page shows by its headline, or the publication date it labels there,
or a dateline opening the article's text where no metadata states the date found, or the day shown
in the month its address names. Figures and how the rules were chosen: html.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from htmldate import find_date
from lxml.etree import Element, XPath
from lxml.html import HtmlElement

from presswatch.extract.dates import dateline
from presswatch.extract.dates import find_date as find_written_date
from presswatch.extract.htmlmeta import MetaTags, byline_scope, element_text, meta_contents
from presswatch.extract.textmeta import written_byline

# htmldate settings: "original" (first published, not last modified) with the extensive text
# search measured best on the trafilatura evaluation set (0.878 vs 0.842 without extensive search).
DATE_PARAMS = {"original_date": True, "extensive_search": True}

# What a class, id or itemprop says of an element holding an article's date line, matched with
# case as written here (as the XPath that selected these elements before did).
_DATE_HOLDER = re.compile(r"date|Date|time|Time|datum|publish|posted|meta|info|byline|fecha")
# A date line is the date and a few words around it (a label, the author, a time); a longer text
# that merely contains a date is a teaser or a comment. 40 and 60 scored alike on the metadata dev
# set (`presswatch eval extraction ../shared/eval/extraction-metadata/dev.jsonl`).
_DATE_LINE_EXTRA_CHARS = 40
_UPDATED_WORDS = re.compile(r"(?i)\b(?:updated|aktualisiert|actualizado|mis à jour|aggiornato)\b")


def _date_line(element: HtmlElement) -> str | None:
    """The date an element's text shows, when the element is a date line (see _DATE_LINE_EXTRA_CHARS)."""
    text = element_text(element)
    found = find_written_date(text) if len(text) <= 120 else None
    if found is None and element.tag == "time":
        found = find_written_date(element.get("datetime") or "")
    if found and (_UPDATED_WORDS.search(text) or len(text) - len(found) <= _DATE_LINE_EXTRA_CHARS
                  or written_byline(text)):  # "05.02.2020 - Redaktion: Ann Lee (Pressesprecherin)"
        return found
    return None


_TIME_STAMPS = XPath(".//time/@datetime", smart_strings=False)


def _visible_date(tree: HtmlElement, metadata_date: str | None) -> str | None:
    """The date the page shows a reader by the headline, where it differs from the metadata's.

    htmldate reads meta tags and JSON-LD first; pages often show another date under the headline (the
    day of the last update, or of the print edition) and that shown date is what readers and the
    metadata dev set take as the article's. The metadata date is kept whenever the headline's
    surroundings show it anywhere (measured on the metadata dev set, bench/extract.py quality).
    With no date line there, a publication date the surroundings label as such is taken.
    """
    scope = byline_scope(tree)
    if scope is None:
        return None
    first = None
    for element in _date_holders(scope):
        if not any("comment" in (a.get("class") or a.get("id") or "") for a in element.iterancestors()) \
                and not _hidden_from_reader(element):
            first = _date_line(element)
            if first is not None:
                break
    if first is None:
        return _labelled_date(_shown_text(scope))
    if metadata_date is None:
        return first
    # the dates the headline's surroundings show anywhere: in their text and in <time> stamps
    shown = _days_shown(scope)
    shown |= {found[:10] for stamp in _TIME_STAMPS(scope) if (found := find_written_date(stamp))}
    return None if metadata_date[:10] in shown else first


# An inline style that hides an element and all it holds
_HIDING_STYLE = re.compile(r"display:\s*none|visibility:\s*hidden")


def _hidden_from_reader(element: HtmlElement) -> bool:
    """Whether the element or one of its ancestors is hidden by an inline style or the `hidden`
    attribute: a date there is markup for machines (a template's copy of the metadata), not the
    date line a reader sees."""
    return any(a.get("hidden") is not None or _HIDING_STYLE.search(a.get("style") or "")
               for a in chain((element,), element.iterancestors()))


# A publication date the page labels as such: "Erschienen am: 13.10.2021", "Published on 3 May 2020",
# "Publié le …". The date follows the label in the same text or in the next text node (a label and
# its value are often two elements). A word followed by a quote or "=" is no label.
_PUBLISHED_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:erschienen|veröffentlicht|publiziert|published|posted|gepostet|publié|publicado|pubblicato|gepubliceerd|datum|date|dated)"
    r"(?:\s+(?:am|on|le|el|il|op))?\s*:?(?![\w-]|\s*[\"'=])")
_LABELLED_DATE_CHARS = 40
_BLANK_LINES = re.compile(r"\n[\s\n]*\n")


def _labelled_date(text: str) -> str | None:
    """The one publication day `text` (a page part's shown text) labels as such, or None (none, or
    several: a listing). Searched only around the headline and only where no date line stands
    there: the page's whole text cost 1.1 ms a page (bench/extract.py speed), too much."""
    text = _BLANK_LINES.sub("\n", text)
    found = set()
    for label in _PUBLISHED_LABEL.finditer(text):
        rest = text[label.end():label.end() + 2 * _LABELLED_DATE_CHARS].lstrip(" \t")
        rest = (rest.lstrip("\n") if rest.startswith("\n") else rest).split("\n", 1)[0][:_LABELLED_DATE_CHARS]
        if _YEAR.search(rest) and (date := find_written_date(rest, other_languages=False)):
            found.add(date)
    return min(found) if len({date[:10] for date in found}) == 1 else None


def _date_holders(scope: HtmlElement) -> Iterator[HtmlElement]:
    """The elements under `scope` that may hold the date line, in document order: <time>, or a
    class, id or itemprop naming a date. Walked lazily, because the first date line found is the
    one taken and it stands near the headline: an XPath selecting them all read every element of
    the article (on the metadata dev pages, 0.60 s against 0.24 s for the date lines found so)."""
    for element in scope.iterdescendants(Element):
        get = element.get
        if element.tag == "time" or _DATE_HOLDER.search(f'{get("class") or ""} {get("id") or ""} {get("itemprop") or ""}'):
            yield element


_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\b\d\d\.\d\d\.\d\d\b")


_TEXT_NODES = XPath(".//text()")
_UNSHOWN = frozenset({"script", "style"})


def _shown_text(element: HtmlElement) -> str:
    """The text a reader sees in an element, a line for each text node (scripts and styles left out:
    the parser keeps their content as their own text, so a test of the node's parent suffices, and
    costs three quarters of an ancestor test: the same 59,928 text nodes of the extraction dev pages'
    bodies). The parent is tested here rather than in the XPath, where libxml2 evaluated the step for
    every node: a third of the time on the extraction dev pages' bodies (0.37 against 1.15 ms a page).
    A text node lxml reports as an element's tail stands in that element's parent."""
    shown = []
    for text in _TEXT_NODES(element):
        holder = text.getparent()
        if text.is_tail:
            holder = holder.getparent()
        if holder.tag not in _UNSHOWN:
            shown.append(text)
    return "\n".join(shown)


def _days_shown(element: HtmlElement) -> set[str]:
    """The days (ISO) a reader sees written in an element's text."""
    return _days_in(_shown_text(element))


def _days_in(text: str) -> set[str]:
    """The days (ISO) written in a shown text: the lines holding a year (one pass over the text in
    C), then a date search on those few lines."""
    return {found[:10] for line in text.split("\n")
            if _YEAR.search(line) and (found := find_written_date(line, other_languages=False))}


def _page_body(tree: HtmlElement) -> HtmlElement | None:
    return next(tree.getroottree().getroot().iter("body"), None)


# A date in the page address's path: "/2010/05/", "/2012/08/22/".
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([01]\d)/")


def _url_month_date(tree: HtmlElement, url: str | None, published: str | None) -> str | None:
    """The day the page shows within the month its address dates it to, when the date found lies
    outside that month and the page shows exactly one such day: a blog's address is written when the
    post is published, while metadata found elsewhere may be an archive's or a template's (on half A
    of the metadata dev set, the date found fell in the address's month on 36 of 38 pages so dated)."""
    months = _URL_MONTH.findall(url or "")
    if not months or (published or "")[:7] == "-".join(months[-1]):
        return None
    body = _page_body(tree)
    month = "-".join(months[-1])
    days = {day for day in _days_shown(body) if day.startswith(month)} if body is not None else set()
    return days.pop() if len(days) == 1 else None


# Microdata's publication date: `itemprop="datePublished"` on a <time>, <meta> or any element.
_MICRODATA_PUBLISHED = XPath('//*[@itemprop="datePublished"]')


def _writes_microdata_published(html: str) -> bool:
    """Whether a page's source writes `itemprop="datePublished"` (or `itemprop = 'datePublished'`,
    `itemprop=datePublished`): looked for in the source first, as most pages have none and the
    XPath walks every element. Each "datePublished" is read backwards from the word, found by a
    substring search: most pages write it in their JSON-LD only, and a regular expression over the
    whole source took two and a half times as long on the extraction dev pages."""
    at = html.find("datePublished")
    while at >= 0:
        end = _space_starts(html, at - 1 if at and html[at - 1] in "\"'" else at)
        if end and html[end - 1] == "=" and html.endswith("itemprop", 0, _space_starts(html, end - 1)):
            return True
        at = html.find("datePublished", at + 1)
    return False


def _space_starts(text: str, end: int) -> int:
    """Where the white space that ends at `end` in `text` starts (`end` when there is none)."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def _microdata_date(tree: HtmlElement, html: str | None = None) -> str | None:
    """The publication date the article's microdata states, when it states one day (a listing's
    teasers state several). htmldate asks generic meta tags ("date", "DC.date": often the day the
    page was last built) before microdata on a page's elements. `html`, the page's source, when given,
    rules a page without such markup out at once."""
    if html is not None and not _writes_microdata_published(html):
        return None
    found = {date for element in _MICRODATA_PUBLISHED(tree) if not _hidden_from_reader(element)
             and (date := find_written_date(element.get("content") or element.get("datetime") or element_text(element)))}
    days = {date[:10] for date in found}
    return min(found) if len(days) == 1 else None


def _shown_update(tree: HtmlElement, metas: MetaTags, ld: list[dict], published: str | None) -> str | None:
    """The metadata's date of the last update, when the page shows a reader that date and never the
    metadata's publication date (`published`): the page then presents itself as of the update
    (on half A of the metadata dev set, tools/metadata_halves.py, the shown update was the gold date
    on all 4 such pages; where both or neither are shown the publication date is, 22 of 26)."""
    first_published = meta_contents(metas, "article:published_time")
    first_published += [o["datePublished"] for o in ld if isinstance(o.get("datePublished"), str)]
    modified = meta_contents(metas, "article:modified_time", "og:updated_time")
    modified += [o["dateModified"] for o in ld if isinstance(o.get("dateModified"), str)]
    if not (published and first_published and modified):
        return None
    update, stated = find_written_date(modified[0]), find_written_date(first_published[0])
    if update is None or update[:10] == published[:10] or (stated or "")[:10] != published[:10]:
        return None
    body = _page_body(tree)
    shown = _days_shown(body) if body is not None else set()
    return update if update[:10] in shown and published[:10] not in shown else None


# How many of the body's first paragraphs a dateline may open (the first ones are often a kicker,
# a repeated headline or the byline): chosen on half A of the metadata dev set, where the datelines
# of the first three paragraphs (none further down) were the gold date on 6 of 7 pages, the seventh's
# gold date written nowhere on its page (tools/metadata_halves.py).
_DATELINE_PARAGRAPHS = 3


def _body_dateline(paragraphs: tuple[str, ...], published: str | None, metas: MetaTags, ld: list[dict]) -> str | None:
    """The date the article's text opens with ("Karlsruhe, (12.11.2021). …", see dates.dateline),
    where the date found is none the page's metadata states: htmldate's search through the text
    then took a date from a listing or a sidebar, while the dateline is the writer's own."""
    found = next((day for paragraph in paragraphs[:_DATELINE_PARAGRAPHS] if (day := dateline(paragraph))), None)
    if found is None or (published or "")[:10] == found[:10]:
        return None
    return None if published and published[:10] in _stated_days(metas, ld) else found


# Meta tag names and JSON-LD keys that carry a date: "article:published_time", "DC.date.issued",
# "og:updated_time", "datePublished", "uploadDate".
_DATE_KEY = re.compile(r"(?i)date|time|publish|modified|created|issued|updated")


def _stated_days(metas: MetaTags, ld: list[dict]) -> set[str]:
    """The days (ISO) the page's meta tags and JSON-LD state under any date-naming key."""
    values = [content for key, content in metas if _DATE_KEY.search(key)]
    values += [value for o in ld for key, value in o.items() if isinstance(value, str) and _DATE_KEY.search(key)]
    return {found[:10] for value in values if (found := find_written_date(value[:60]))}


def published_date(tree: HtmlElement, source: str, url: str | None, paragraphs: tuple[str, ...], metas: MetaTags,
                   ld: list[dict]) -> str | None:
    """The day (ISO, with its time where given) the page was published, as the readers above choose
    it; `source` is the page's HTML, `paragraphs` its body. htmldate is given the tree, not the text:
    it answers from meta tags and JSON-LD without copying the page, and copies it only for the
    slower search through the visible text."""
    published = _microdata_date(tree, source)
    if published is None:
        published = find_date(tree, url=url, **DATE_PARAMS)
        published = (_visible_date(tree, published) or _shown_update(tree, metas, ld, published)
                     or _body_dateline(paragraphs, published, metas, ld) or published)
        published = _url_month_date(tree, url, published) or published
    return published
