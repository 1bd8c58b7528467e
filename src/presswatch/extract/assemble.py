"""The last step of every body extractor: paragraphs and metadata become an Article.

Body, language and body hash are derived the same way whatever the input form, so an HTML page
and a text dump of the same article hash alike and are caught as duplicates; page furniture left
among the paragraphs (breadcrumbs, notices, captions: boilerplate.py) is dropped here for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from presswatch.extract.boilerplate import without_boilerplate
from presswatch.extract.language import detect_language
from presswatch.extract.textmeta import normalised_body_hash
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
) -> Article:
    paragraphs = without_boilerplate(paragraphs)
    body = "\n\n".join(paragraphs)
    language, language_flag = detect_language(body or title or "")
    return Article(
        id=page.id,
        page_id=page.id,
        url=page.url,
        title=title,
        body=body,
        paragraphs=tuple(paragraphs),
        outlet=outlet,
        published=published,
        author=author,
        credited_source=credited_source,
        language=language,
        language_flag=language_flag,
        body_hash=normalised_body_hash(body),
    )
