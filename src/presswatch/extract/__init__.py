"""Extract: from a raw Page to a clean Article (body, paragraphs, metadata, language).

Each input form has its own body extractor; metadata and language detection are shared so both
forms fill the same fields the same way.
"""

from __future__ import annotations

from presswatch.errors import InputError
from presswatch.records import HTML, TEXT, Article, Page


def extract(page: Page) -> Article:
    """The article a page carries; InputError when the page holds no article text at all."""
    if page.kind == HTML:
        from presswatch.extract.html import extract_html

        article = extract_html(page)
    elif page.kind == TEXT:
        from presswatch.extract.textdump import extract_textdump

        article = extract_textdump(page)
    else:
        raise InputError(f"{page.source}: unknown page kind {page.kind!r}")
    if not article.body.strip():
        raise InputError(f"{page.source}: no article text found on the page")
    return article
