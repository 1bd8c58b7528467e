"""Extract: from a raw Page to a clean Article (body, paragraphs, metadata, language).

Each input form has its own body extractor; metadata and language detection are shared so both
forms fill the same fields the same way.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from presswatch.errors import InputError
from presswatch.records import HTML, TEXT, Article, Page

_gc_lock = threading.Lock()
_gc_pauses = 0  # extractions running in this process with the collector paused
_gc_was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one page is extracted, back as it was after the last.

    A big page makes millions of short-lived objects (a string, a word list per line) and no cycles
    worth collecting; each full collection walks every live object, and the collector runs more of
    them the more objects it tracks, so on a 16 MB dump of short lines it made extraction time grow
    faster than the input (bench/limits.py). Counted, so threads extracting at once (the API's
    worker threads) turn it back on only when the last of them is done, and only if it was on.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def extract(page: Page) -> Article:
    """The article a page carries; InputError when the page holds no article text at all."""
    with _collector_paused():
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
