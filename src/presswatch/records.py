"""The core records that flow between stages.

They are small frozen dataclasses so a stage is a pure function from records to records and can run
in-process or be shipped to a Dask worker unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

# What kind of content a page carries decides which extractor reads it.
HTML = "html"
TEXT = "text"


def content_id(text: str) -> str:
    """Ids come from content, so the same page ingested twice is stored once."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Page:
    """A raw page as a reader found it, already decoded to text.

    `hints` carries metadata the container gave alongside the page (a feed entry's title and date,
    a WARC record's target URI) which extraction may prefer over guessing from the content.
    """

    id: str
    source: str  # file path, URL, or "file.warc#record" style locator
    kind: str  # HTML or TEXT
    content: str
    url: str | None = None
    encoding: str | None = None
    ingested_at: str = field(default_factory=now_iso)
    hints: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def make(cls, source: str, kind: str, content: str, **kw) -> "Page":
        return cls(id=content_id(content), source=source, kind=kind, content=content, **kw)


@dataclass(frozen=True)
class Article:
    """The article a page carries: its clean body and metadata. Empty fields stay None."""

    id: str  # same as the page id: one article per page
    page_id: str
    url: str | None
    title: str | None
    body: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    published: str | None = None  # ISO date, with time where the page gives one
    author: str | None = None
    credited_source: str | None = None
    language: str | None = None  # ISO 639-1 code, or None when unknown/unsupported
    language_flag: str | None = None  # why language is None ("unknown", "unsupported: xx")
    body_hash: str = ""


@dataclass(frozen=True)
class Rejection:
    """A page or file that could not be used, with a reason a user can act on."""

    source: str
    reason: str
