"""Article body and metadata from an HTML page.

trafilatura finds the body (here: fast mode first, its full readability/justext cascade and recall
mode for short results) and the metadata candidates; presswatch then chooses among candidates the
way the page shows them to a reader (htmlmeta.py: title, author, outlet; htmldates.py: the
publication date), because trafilatura prefers meta tags: a `<title>` carries the site
name ("Headline | Site"), a headline its kicker, and its author normalisation rewrites names
("Marwan H. Adwan" → "Marwan H Adwan", "A, B" → "A; B"). Measured with `bench/extract.py quality`
on the dev halves (trafilatura 2.3.1 alone in brackets): article-extraction F1 0.970 (0.955),
trafilatura-evaluation F 0.932 (0.922), title 0.873 (0.581), author 0.712 (0.550), date 0.929
(0.883: microdata's datePublished a reader can see, else the same htmldate call, then the date the
page shows by its headline, or the publication date it labels there, or a dateline opening the
article's text where no metadata states the date found, or the day shown in the month its address
names). Rules added since 0.852/0.675/0.891 were chosen on half A of the metadata set, whose misses
`tools/metadata_halves.py --errors FIELD` lists; half B, whose pages are never looked at, went from
0.878/0.671/0.889 to 0.878/0.671/0.894 (title/author/date), to 0.899 with the next round (half A
0.929 -> 0.941: the labelled date searched by the headline only, hidden dates left out), to 0.904
with the dateline (half A 0.947) and to 0.878/0.678/0.914 with bylines and date lines looked for in
the <article> holding the headline (half A 0.867/0.750/0.947). An update the page shows before its
publication date, taken as the date, was right on 3 of 3 such pages of half A and lost 2 of half B:
left out. Searching the labelled date in the page's whole visible text cost 1.1 ms a page, which put
`bench/extract.py`'s HTML ratio under its 0.8 bar; by the headline it costs nothing measurable.
"""

from __future__ import annotations

import logging

import trafilatura
from lxml.etree import ElementDefaultClassLookup, ParserError, XPath, iterwalk
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
    fromstring,
)
from trafilatura.utils import DOCTYPE_TAG, is_dubious_html, repair_faulty_html

from presswatch.errors import InputError
from presswatch.extract.assemble import assemble_article
from presswatch.extract.dates import hinted_date
from presswatch.extract.hosts import page_host
from presswatch.extract.htmldates import published_date
from presswatch.extract.htmlmeta import (
    match_key,
    home_link_names,
    MetaTags,
    json_ld_objects,
    meta_tags,
    page_author,
    page_metadata,
    page_outlet,
    page_title,
    site_name_keys,
    squeezed,
)
from presswatch.extract.textmeta import credited_source_from_body, written_byline
from presswatch.records import Article, Page

LOGGER = logging.getLogger(__name__)

# Below this many characters of body, trafilatura's balanced extraction is retried in recall mode.
MIN_BODY_CHARS = 250
# trafilatura's fast mode (its own extractor, without the readability/justext comparison) is as
# good or better on full articles and a quarter cheaper; the comparison pays off on short or
# unusual pages, so it runs when fast mode finds less than this many characters. Measured on the
# dev halves (bench/extract.py quality): extraction F1 0.966 (full cascade 0.959), trafilatura
# evaluation F 0.928 (0.927), with the full cascade run on 7 of 90 news pages.
FULL_CASCADE_BELOW = 1000


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (squeezed(line) for line in (text or "").split("\n")) if p)


def _chars(paragraphs: tuple[str, ...]) -> int:
    return sum(len(p) for p in paragraphs)


# What only a layout table holds: a data table's cells carry values, not headings and paragraphs.
_LAYOUT_CONTENT = ("h1", "h2", "h3", "p")
_LAYOUT_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    """Pages laid out with tables (menu in one cell, article in the next) become divisions, which
    trafilatura reads as blocks; left as a table, it renders the whole page as one table row,
    menu and advertisements included."""
    for table in list(tree.iter("table")):
        cells = [cell for cell in table.iter("td", "th") if _owning_table(cell) is table]
        if any(child.tag in _LAYOUT_CONTENT for cell in cells for child in cell):
            for element in [table, *(e for e in table.iter() if e.tag in _LAYOUT_TAGS and _owning_table(e) is table)]:
                element.tag = "div"


def _owning_table(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors("table"), None)


def _body_text(tree: HtmlElement, url: str | None) -> tuple[str, ...]:
    # trafilatura works on its own copy of the tree: copying is four times faster than re-parsing
    def run(**options) -> tuple[str, ...]:
        document = trafilatura.bare_extraction(tree, url=url, include_comments=False, **options)
        return _paragraphs(document.text if document else None)

    paragraphs = run(fast=True)
    if _chars(paragraphs) < FULL_CASCADE_BELOW:
        paragraphs = run()
    if _chars(paragraphs) < MIN_BODY_CHARS:
        retried = run(favor_recall=True)
        if _chars(retried) > _chars(paragraphs):
            paragraphs = retried
    return paragraphs


# A label set above the headline in an element of its own ("Interview", "Press release", "Live"):
# a few words, no sentence.
_KICKER_MAX_WORDS = 3


def _without_headline(paragraphs: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    """The body without the headline trafilatura keeps at its top, and without the kicker above it:
    the title has its own field."""
    headline = match_key(title) if title else ""
    if not headline or not paragraphs:
        return paragraphs
    kicker = len(paragraphs) > 1 and len(paragraphs[0].split()) <= _KICKER_MAX_WORDS \
        and not paragraphs[0].rstrip()[-1:] in ".!?"
    for start in (0, 1) if kicker else (0,):
        first = match_key(paragraphs[start])
        # the headline element may carry a kicker the title leaves out: "Klimaschutz: Bohren, bis…"
        if headline in first and len(first) <= 1.5 * len(headline) + 20:
            return paragraphs[start + 1:]
    return paragraphs



# trafilatura's parser settings (trafilatura.utils.HTML_PARSER), with the element classes chosen in
# C: lxml.html's own choice (a special class for form elements, which nothing here uses) is a Python
# call for every element the metadata readers, trafilatura and htmldate touch, in this tree and in
# every copy trafilatura makes of it (copies keep their parser). Measured on the extraction dev pages
# (bench/extract.py speed): a tenth of the HTML path's time. tests/test_html_extract.py checks
# that the trees are the ones trafilatura's loader makes. Shared by the API's worker threads as
# trafilatura's own module-level parser is (4 threads gave the serial run's articles on the dev pages).
_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True)

# trafilatura's main extractor tests the article it found for paragraph text with
# `subtree.xpath("//p//text()")` (trafilatura 2.3.1, main_extractor.py `_extract`, once per candidate
# body), which libxml2 (2.14) evaluates in time quadratic in the text nodes of all the page's
# paragraphs: each paragraph's text nodes are merged into the result after a duplicate check against
# every node found so far (xpath.c, xmlXPathNodeSetMergeAndClear). `//text()[ancestor::p]` is the same
# node-set, so the same strings in the same document order, found in one walk of the page.
# On bench/limits.py's 4, 8 and 16 MB pages (10,345, 20,825 and 41,609 such text nodes), fastest of
# three under load 5: 0.19, 0.71 and 3.83 CPU s for the first, 0.03, 0.05 and 0.12 s for the second.
_PARAGRAPH_TEXT = "//p//text()"
_PARAGRAPH_TEXT_LINEAR = XPath("//text()[ancestor::p]")


class _PageElement(HtmlElement):
    """An element of a page presswatch parsed, and of each copy trafilatura makes of it (a copy keeps
    its parser, so its element class): it answers trafilatura's paragraph-text XPath in linear time."""

    def xpath(self, _path, *args, **kwargs):
        if _path == _PARAGRAPH_TEXT and not args and not kwargs:
            return _PARAGRAPH_TEXT_LINEAR(self)
        return super().xpath(_path, *args, **kwargs)


_PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=_PageElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


# The characters XML forbids, which trafilatura's repair deletes (trafilatura.utils.INVALID_XML_CHARS).
_INVALID_XML_CHARS = tuple(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def _repaired(html: str, beginning: str) -> str:
    """The page as `trafilatura.utils.repair_faulty_html` repairs it. Its first step deletes the
    characters XML forbids by a regular expression run over the whole page, half the time the page
    then takes to parse; most pages hold none, which substring searches tell in a third of that time
    (0.28 against 0.76 CPU ms a page on the extraction dev pages, none of which held any). Such a
    page needing neither of its two other repairs (a doctype on the first line holding a slash, or
    that line ending the page; a self-closed <html/> on one of the first four lines) would come back
    as it is; any other page is left to trafilatura's function."""
    if any(char in html for char in _INVALID_XML_CHARS):
        return repair_faulty_html(html, beginning)
    first_line, newline, _ = html.partition("\n")
    if "doctype" in beginning and (not newline or DOCTYPE_TAG.match(first_line)):
        return repair_faulty_html(html, beginning)
    if any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4]):
        return repair_faulty_html(html, beginning)
    return html


def _loaded(html: str) -> HtmlElement | None:
    """The page as `trafilatura.utils.load_html` parses a string (the same repair, the same bytes
    fallback, the same refusal of a text that is not quite HTML), through `_PARSER`."""
    beginning = html[:50].lower()
    html = _repaired(html, beginning)
    tree, parsed_bytes = None, False
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:  # a string with an encoding declaration: lxml wants its bytes
        tree, parsed_bytes = _loaded_bytes(html), True
    except Exception:  # as trafilatura's loader: an unparsable page has no tree
        LOGGER.debug("lxml could not parse the page as a string", exc_info=True)
    if (tree is None or len(tree) < 1) and not parsed_bytes:
        tree = _loaded_bytes(html)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _loaded_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # as trafilatura's loader
        LOGGER.debug("lxml could not parse the page as bytes", exc_info=True)
        return None


def _page_tree(page: Page) -> HtmlElement:
    """The page parsed; a fragment (a feed entry's paragraph or plain text, an uploaded snippet),
    which trafilatura's loader refuses as not quite HTML, is read as the body of a page."""
    tree = _loaded(page.content)
    if tree is None:
        try:
            tree = document_fromstring(page.content)
        except (ParserError, ValueError):  # nothing to parse, or an XML declaration on a non-page
            raise InputError("not a readable HTML page") from None
    return tree


# Where a page's navigation and its invisible parts stand: text only there is no article.
_INVISIBLE = frozenset({"head", "script", "style", "noscript", "template"})
_NAVIGATION = frozenset({"nav", "header", "footer", "aside", "menu", "a"})
# ...unless the navigation holds paragraphs: a menu left unclosed wraps the page after it (8 of the
# 495 metadata dev pages have their article inside a <nav> or <header> so).
_HOLDS_TEXT = XPath("boolean(.//p|.//article|.//main)")


def _has_article_text(tree: HtmlElement) -> bool:
    """Whether the page has text outside navigation, links and invisible parts: trafilatura's
    recall mode turns a page of menus alone into a body ("menu"). One walk, stopping at the first
    such text (the parser caps nesting at 256 levels, so the paragraph look-ups stay linear)."""
    walk = iterwalk(tree, events=("start", "end", "comment"))
    for event, element in walk:
        if event == "start" and (element.tag in _INVISIBLE or element.tag in _NAVIGATION and not _HOLDS_TEXT(element)):
            walk.skip_subtree()
        elif event == "start" and element.text and not element.text.isspace():
            return True
        if event != "start" and element is not tree and element.tail and not element.tail.isspace():
            return True
    return False


# Where a page names its own address: a canonical link, else its Open Graph address.
_CANONICAL_LINKS = XPath('.//link[@href and contains(translate(@rel, "CANONICAL", "canonical"), "canonical")]/@href')


def _declared_body(ld: list[dict]) -> tuple[str, ...]:
    """The paragraphs of the longest `articleBody` the page's JSON-LD declares (schema.org's
    Article types): all the text a page has whose article a script draws, and what a reader sees
    of a page whose visible text is a teaser. Some sites put the body's HTML there."""
    bodies = [obj["articleBody"] for obj in ld if isinstance(obj.get("articleBody"), str)]
    body = max(bodies, key=len, default="")
    if "<" in body and ">" in body:
        try:
            fragment = document_fromstring(body)
        except (ParserError, ValueError):
            return _paragraphs(body)
        blocks = fragment.iter("p", "h2", "h3", "li", "blockquote")
        return tuple(p for p in (squeezed(block.text_content()) for block in blocks) if p) \
            or _paragraphs(fragment.text_content())
    return _paragraphs(body)


def extract_html(page: Page) -> Article:
    tree = _page_tree(page)
    ld = json_ld_objects(tree)
    paragraphs: tuple[str, ...] = ()
    if has_text := _has_article_text(tree):
        _unwrap_layout_tables(tree)  # in place: no metadata rule below reads table markup
        paragraphs = _body_text(tree, page.url)
    if _chars(paragraphs) < MIN_BODY_CHARS and _chars(declared := _declared_body(ld)) > _chars(paragraphs):
        paragraphs = declared
    elif not has_text:
        raise InputError(_no_article_reason(tree))
    hints = page.hints or {}
    host = page_host(page.url)
    metadata = page_metadata(tree)
    metas = meta_tags(tree)
    home_names = home_link_names(tree, host)
    site_keys = site_name_keys(metadata.sitename, host, home_names)
    title = hints.get("title") or page_title(tree, metas, metadata.title, ld, site_keys, home_names, page.url) \
        or hints.get("listed_title")
    title = title.replace("\xad", "") if title else title  # soft hyphens: invisible, but they split words
    paragraphs = _without_headline(paragraphs, title)
    published = hinted_date(hints.get("published"))
    if published is None:
        published = published_date(tree, page.content, page.url, paragraphs, metas, ld) \
            or hinted_date(hints.get("updated"))
    author = hints.get("author") or page_author(tree, metas, ld, metadata, host, paragraphs)
    paragraphs = _without_byline(paragraphs, author)
    return assemble_article(
        page,
        title=title,
        paragraphs=paragraphs,
        outlet=page_outlet(tree, metas, ld, hints.get("outlet"), metadata.sitename, title, page.url, home_names),
        published=published,
        author=author,
        credited_source=credited_source_from_body("\n\n".join(paragraphs)),
        named_address=_named_address(tree, metas),
    )


def _without_byline(paragraphs: tuple[str, ...], author: str | None) -> tuple[str, ...]:
    """The body without a byline line opening it that names the article's author ("Von Henrike
    Albrecht-Wolf"): trafilatura drops a byline its markup calls one (class "byline") and keeps
    one in a plain paragraph; the author has its own field."""
    if not paragraphs or not author:
        return paragraphs
    names = written_byline(paragraphs[0])
    return paragraphs[1:] if names and match_key(author) in match_key(names) else paragraphs


def _named_address(tree: HtmlElement, metas: MetaTags) -> str | None:
    """The address the page names as its own: its canonical link, else its og:url."""
    return next(iter(_CANONICAL_LINKS(tree)), None) or next((content for name, content in metas if name == "og:url"), None)


_SCRIPTS_WITH_SOURCE = XPath("boolean(//script[@src])")


def _no_article_reason(tree: HtmlElement) -> str:
    """Why a page with no article text gave none: a page whose scripts draw it says what to ingest instead."""
    if _SCRIPTS_WITH_SOURCE(tree):
        return ("no article text on the page: its scripts draw it in a browser, and it declares no articleBody"
                " (ingest a copy saved from the browser, or its site's feed)")
    return "no article on the page, only navigation, links or markup"
