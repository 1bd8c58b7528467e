"""Request and response shapes of the HTTP API that the core records do not already give."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from presswatch.records import (
    Article,
    Evidence,
    Narrative,
    Statement,
    Story,
)
from presswatch.store.search import Hit

T = TypeVar("T")

MAX_UPLOADED_PAGES = 1000
MAX_URLS = 100


class ErrorResponse(BaseModel):
    error: str = Field(description="What went wrong, in words a user can act on.")


class ItemsPage(BaseModel, Generic[T]):
    """One page of a list; the CLI (`--format json`) and the web UI's JSON downloads give the same shape."""

    items: list[T]
    total: int = Field(description="How many items match in all, on every page.")
    limit: int = Field(description="Items per page asked for.")
    offset: int = Field(description="Items skipped before this page.")
    next_offset: int | None = Field(description="Offset of the next page, or null when this page is the last.")

    @classmethod
    def of(cls, page, item=lambda x: x, **more) -> ItemsPage:
        """The model of a `presswatch.records.ResultPage`, each item through `item` (`more`: a
        subclass's own fields)."""
        return cls(items=[item(i) for i in page.items], total=page.total, limit=page.limit, offset=page.offset,
                   next_offset=page.next_offset, **more)


class SearchPage(ItemsPage[Hit]):
    """One page of search hits, with how the search ran."""

    mode: str = Field(description='The mode that ran: "text", "meaning" or "hybrid" ("auto" resolved).')
    sort: str = Field(description='"relevance" (best first) or "date" (newest first).')
    notes: list[str] = Field(description="Why the search ran as it did, e.g. auto falling back to words only.")
    totals_by_kind: dict[str, int] = Field(description=(
        "Matches of every kind (article, statement) for the same words and filters, whichever kinds this "
        "page lists: the counts the web search page's tabs show."))


class ArticleBrief(BaseModel):
    """An article without its text, for lists."""

    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    author: str | None
    language: str | None

    @classmethod
    def of(cls, article: Article) -> ArticleBrief:
        return cls(id=article.id, url=article.url, title=article.title, outlet=article.outlet,
                   published=article.published, author=article.author, language=article.language)


class NearDuplicate(BaseModel):
    article_id: str
    similarity: float


class ArticleDetail(BaseModel):
    article: Article
    statements: list[Statement]
    sources: list[str] = Field(description="Where its pages were read from (files, URLs, archive records).")
    near_duplicates: list[NearDuplicate]


class StoryDetail(BaseModel):
    story: Story
    articles: list[ArticleBrief] = Field(description="In publication order.")


class RequestBody(BaseModel):
    """A body a client sends: a field it misspells is refused, where ignoring it would store a page
    without its URL, or save a watch without the filter the client meant (a watch on everything)."""

    model_config = ConfigDict(extra="forbid")


class UploadedPage(RequestBody):
    content: str = Field(min_length=1, description="The page as text: HTML, a plain-text dump, a feed, JSON Lines.")
    name: str | None = Field(None, max_length=500, description="What to call its source (default: upload N).")
    url: str | None = Field(None, max_length=4000, description="The URL it was saved from, if known.")


class IngestRequest(RequestBody):
    pages: list[UploadedPage] = Field(default_factory=list, max_length=MAX_UPLOADED_PAGES)
    urls: list[str] = Field(
        default_factory=list, max_length=MAX_URLS,
        description="http(s) URLs for the server to fetch (pages or feeds).",
    )
    analyse: bool = Field(True, description="Then find statements, entities, stories and narratives.")

    @model_validator(mode="after")
    def _has_something_to_ingest(self) -> IngestRequest:
        """An empty request is a client's mistake (a misplaced body), not a successful ingest of nothing."""
        if not self.pages and not self.urls:
            raise ValueError("nothing to ingest: give `pages` (each with its `content`) or `urls`")
        return self


class Rejected(BaseModel):
    source: str
    reason: str


class Skipped(BaseModel):
    source: str
    records: int = Field(description="How many of the archive's records were skipped.")
    reasons: dict[str, int] = Field(description="How many for each reason: 'revisit', 'status 404', a media type.")


class IngestResponse(BaseModel):
    stored: list[str] = Field(description="Ids of the articles stored.")
    updated: list[str] = Field(
        default_factory=list, description="Of those, the articles whose text a new version at their address replaced.")
    duplicates: list[Rejected] = Field(description="Pages already stored, with why.")
    rejected: list[Rejected]
    skipped: list[Skipped] = Field(
        default_factory=list, description="Per WARC archive, the responses and revisits passed over on purpose.")
    analysis: dict[str, int] | None = Field(description="Counts from the analysis pass, when it ran.")


class NarrativeView(BaseModel):
    """A narrative with its counts as every face counts them (`records.outlets_of`), and its
    counter-narratives: the statements that deny or dispute the claim, kept out of its evidence."""

    id: str
    label: str = Field(description="The claim, as a clause with its subject.")
    first_seen: str | None
    last_seen: str | None
    counter_of: str | None = Field(description="For a counter-narrative, the narrative whose claim it opposes.")
    statements: int = Field(description="Statements that carry the claim (all of them, not only those listed).")
    outlets: int = Field(description="Outlets that carried it; articles naming none count as one.")
    evidence: list[Evidence] = Field(description="In date order, each with its stance (asserts, reports, denies,"
                                     " disputes); a listing carries the first few, a narrative's own page all.")
    counters: list[NarrativeView] = Field(description="Counter-narratives: who denied or disputed the claim, and how.")

    @classmethod
    def of(cls, narrative: Narrative) -> NarrativeView:
        return cls(
            id=narrative.id, label=narrative.label, first_seen=narrative.first_seen, last_seen=narrative.last_seen,
            counter_of=narrative.counter_of, statements=narrative.statements, outlets=narrative.outlets,
            evidence=list(narrative.evidence), counters=[cls.of(c) for c in narrative.counters],
        )
