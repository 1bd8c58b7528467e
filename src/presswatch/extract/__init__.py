"""Extract: from a raw Page to a clean Article (body, paragraphs, metadata, language).

Each input form has its own extractor (html.py, textdump.py), which finds the body and chooses the
metadata as that form shows it; the rules for written dates, bylines and credited sources (dates.py,
textmeta.py) and the last step (assemble.py: boilerplate, language, body hash) are shared, so both
forms fill the same fields the same way.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from presswatch.errors import InputError
from presswatch.records import HTML, TEXT, Article, Page

_gc_lock = threading.Lock()
_gc_pauses = 0  # extractions running in this process with the collector paused
_gc_was_enabled = False
_huge_pages_were_advised = False
# numpy asks the kernel for transparent huge pages on every big array; its switch is private (the
# public one, NUMPY_MADVISE_HUGEPAGE, is read only when numpy is imported), so it is used only when
# this numpy has it
_advise_huge_pages = getattr(getattr(np, "_core", None), "multiarray", None)
_advise_huge_pages = getattr(_advise_huge_pages, "_set_madvise_hugepage", None)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector and numpy's huge-page advice off while pages are extracted, back
    as they were after the last one.

    A big page makes millions of short-lived objects (a string, a word list per line) and no cycles
    worth collecting; each full collection walks every live object, and the collector runs more of
    them the more objects it tracks, so on a 16 MB dump of short lines it made extraction time grow
    faster than the input. The kernel's time faulting in the huge pages numpy asks for (compacting
    memory to find them) grew 4-5 times per doubling of a text dump, while the extraction itself ran
    no faster with them (bench/limits.py and per-process user/system times, 4 and 8 MB dumps).
    Counted, so threads extracting at once (the API's worker threads) restore both only when the
    last of them is done, and only as they were before the first.
    """
    global _gc_pauses, _gc_was_enabled, _huge_pages_were_advised
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
            _huge_pages_were_advised = bool(_advise_huge_pages and _advise_huge_pages(False))
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                if _gc_was_enabled:
                    gc.enable()
                if _huge_pages_were_advised:
                    _advise_huge_pages(True)


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
            raise InputError(f"unknown page kind {page.kind!r}")
    if not article.body.strip():
        raise InputError("no article text found on the page")
    return article
