"""The in-process runner: read → extract → de-duplicate → store, one page at a time.

Every page is its own transaction, and a page that fails becomes a Rejection with its reason; one
bad page never stops a batch, and nothing half-written is left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from presswatch.errors import PresswatchError
from presswatch.extract import extract
from presswatch.extract.duplicates import NearDuplicateIndex, body_minhash, signature_bytes, signature_from_bytes
from presswatch.ingest import read_sources
from presswatch.records import Page, Rejection
from presswatch.store import Store


@dataclass
class IngestReport:
    stored: list[str] = field(default_factory=list)  # article ids
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.rejected)


def load_near_duplicate_index(store: Store) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    for article_id, data in store.minhashes():
        index.add(article_id, signature_from_bytes(data))
    return index


def ingest_page(page: Page, store: Store, index: NearDuplicateIndex, report: IngestReport) -> None:
    if store.has_page(page.id):
        report.duplicates.append((page.source, "page already stored"))
        return
    article = extract(page)
    existing = store.article_with_body_hash(article.body_hash)
    if existing:
        store.add_page(page, None, duplicate_of=existing)
        report.duplicates.append((page.source, f"same article text as {existing}"))
        return
    signature = body_minhash(article.body)
    near = index.matches(signature)
    store.add_page(page, article, minhash=signature_bytes(signature), near_duplicates=near)
    index.add(article.id, signature)
    report.stored.append(article.id)
    report.near_duplicates.extend((article.id, other, sim) for other, sim in near)


def ingest(
    sources: Iterable[str],
    store: Store,
    *,
    on_item: Callable[[Page | Rejection], None] | None = None,
    **read_options,
) -> IngestReport:
    report = IngestReport()
    index = load_near_duplicate_index(store)
    for item in read_sources(sources, **read_options):
        rejection = item if isinstance(item, Rejection) else None
        if rejection is None:
            try:
                ingest_page(item, store, index, report)
            except PresswatchError as exc:
                rejection = Rejection(item.source, str(exc))
            except Exception as exc:  # a bug on one odd page must not cost the user the rest of the batch
                rejection = Rejection(item.source, f"internal error while processing it ({type(exc).__name__}: {exc})")
        if rejection is not None:
            report.rejected.append(rejection)
            store.add_rejection(rejection)
        if on_item:
            on_item(item)
    return report
