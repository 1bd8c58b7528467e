"""The last step of every body extractor: paragraphs and metadata become an Article.

Body, language and body hash are derived the same way whatever the input form, so an HTML page
and a text dump of the same article hash alike and are caught as duplicates; page furniture left
among the paragraphs (breadcrumbs, notices, captions, lines that only date the article:
boilerplate.py) is dropped here for both, and so are what the metadata fields catch beside their
value: a job or a photo credit beside the writer's name, an outlet credited as its own source, a
web address standing for the outlet's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from presswatch.extract.address import article_address
from presswatch.extract.boilerplate import without_boilerplate
from presswatch.extract.language import detect_language
from presswatch.extract.textmeta import byline_names, credits_itself, is_bare_address, normalised_body_hash
from presswatch.records import Article, Page


def assemble_article(
    page: Page,
    *,
    title: str | None,
    paragraphs: Sequence[str],
    outlet: str | None,
    published: str | None,
    author: str | None,
    credited_source: str | None,
    named_address: str | None = None,
) -> Article:
    """The article of `page`; `named_address` is the address the page names as its own (its
    canonical link), kept as the article's where it is on the page's site (extract.address)."""
    paragraphs = without_boilerplate(paragraphs)
    if outlet and is_bare_address(outlet):
        outlet = None  # an address is where the page was, not a name it gave itself
    if credits_itself(credited_source, outlet):
        credited_source = None
    body = "\n\n".join(paragraphs)
    language, language_flag = detect_language(body or title or "")
    return Article(
        id=page.id,
        page_id=page.id,
        url=article_address(page.url, named_address),
        title=title,
        body=body,
        paragraphs=tuple(paragraphs),
        outlet=outlet,
        published=published,
        author=byline_names(author),
        credited_source=credited_source,
        language=language,
        language_flag=language_flag,
        body_hash=normalised_body_hash(body),
    )
