"""Ingesting: read → extract (worker processes) → de-duplicate → store (this process), page by page.

Every page is its own transaction, and a page that fails becomes a Rejection with its reason; one
bad page never stops a batch, and nothing half-written is left behind. Extraction runs in
`workers` processes; de-duplication and writing stay in the one process that owns the store, in
input order, so the stored result is the same for any number of workers.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from presswatch.engine.corpus import story_without
from presswatch.engine.narratives import retract_claims
from presswatch.engine.pages import extract_page, warm_up
from presswatch.engine.workers import ordered_map
from presswatch.errors import PresswatchError
from presswatch.extract.duplicates import fingerprint_bands, near_duplicates, signature_from_bytes
from presswatch.extract.hosts import page_host
from presswatch.extract.textmeta import published_by, publisher_owner
from presswatch.ingest import read_sources
from presswatch.records import Article, ExtractedPage, Page, Rejection, SkippedRecords
from presswatch.store import Store
from presswatch.store.analysis import FINGERPRINT_BANDS, forget_article_analysis, is_stale, mark_fresh
from presswatch.store.stories import rename_outlet

# Signatures banded per transaction when indexing a store written before bands were kept.
BACKFILL_BATCH = 2000


@dataclass
class IngestReport:
    stored: list[str] = field(default_factory=list)  # article ids
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[SkippedRecords] = field(default_factory=list)  # an archive's records passed over on purpose
    updated: list[str] = field(default_factory=list)  # of `stored`, the articles whose text a new version replaced

    @property
    def partial(self) -> bool:
        return bool(self.rejected)


def extract_or_reject(item: Page | Rejection | SkippedRecords) -> ExtractedPage | Rejection | SkippedRecords:
    """The per-page step as a worker runs it: a page's article, or a Rejection saying why not
    (what a reader rejected or skipped passes through as it came)."""
    if not isinstance(item, Page):
        return item
    try:
        return extract_page(item)
    except PresswatchError as exc:
        return Rejection(item.source, str(exc))
    except Exception as exc:  # a bug on one odd page must not cost the user the rest of the batch
        return Rejection(item.source, f"internal error while processing it ({type(exc).__name__}: {exc})")


def save_extracted(extracted: ExtractedPage, store: Store, report: IngestReport) -> None:
    """Store one extracted page: an exact duplicate points at the article it repeats; a new version
    of an article the store holds at its address replaces that article's text; a new article is
    linked to the near-duplicates its fingerprint finds through the stored band index."""
    page, article = extracted.page, extracted.article
    if already_stored(page.source, page.id, store, report):
        return
    existing = store.article_with_body_hash(article.body_hash)
    if existing:
        store.add_page(page, None, duplicate_of=existing)
        report.duplicates.append((page.source, f"same article text as {existing}"))
        return
    article = _with_domain_outlet(article, store)
    signature = signature_from_bytes(extracted.fingerprint)
    bands = fingerprint_bands(signature)
    near = near_duplicates(signature, store.fingerprint_candidates(bands))
    previous = version_of(article, store, near)
    if previous is not None:
        save_version(store, page, previous, article, minhash=extracted.fingerprint, bands=bands, near=near)
        report.stored.append(previous)
        report.updated.append(previous)
        report.near_duplicates.extend((previous, other, sim) for other, sim in near if other != previous)
        return
    stored_meanwhile = store.add_page(page, article, minhash=extracted.fingerprint, bands=bands, near_duplicates=near,
                                      once_per_text=True)
    if stored_meanwhile:  # by another process, since the look above
        report.duplicates.append((page.source, "page already stored" if stored_meanwhile == article.id
                                  else f"same article text as {stored_meanwhile}"))
        return
    report.stored.append(article.id)
    report.near_duplicates.extend((article.id, other, sim) for other, sim in near)


def version_of(article: Article, store: Store, near: Sequence[tuple[str, float]]) -> str | None:
    """The id of the stored article `article` is a new version of, or None: an article stored at its
    address (an outlet's correction or update keeps the address) that is still that article by
    one of three signs: its text a near-duplicate (extract.duplicates' threshold: a few words
    corrected), the same headline (a rewrite), or the same date of publication and the same byline
    (outlets keep both through a correction that rewrites the headline and paragraphs: the
    corrected page of tests/test_versions.py shares 0.28 of its word shingles with the first).
    Another text under another headline, by another writer or of another day, is an article of its
    own, as before: a template that names one address for every page (a section's) must not make
    them one (the same writer's two articles of a day would be: a limit of this rule)."""
    similar = {other for other, _ in near}
    for stored in store.articles_at(article.url):
        if (stored.id in similar or _words(stored.title) == _words(article.title) != ""
                or (stored.published and stored.published == article.published
                    and _words(stored.author) == _words(article.author) != "")):
            return stored.id
    return None


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def save_version(store: Store, page: Page, article_id: str, article: Article, *, minhash: bytes | None,
                 bands: Sequence[int], near: Sequence[tuple[str, float]]) -> None:
    """Make `article` the text of the stored article `article_id`, and take out of the store, in the
    same transaction, everything derived from the text it replaces: its statements (and their
    claims and evidence in the narratives), mentions, roles and vector, and its place in its story.
    The article is then analysed and assigned to a story again like a new one, by the next analysis
    pass, so the cost follows the page and the clusters and story it was in, not the archive."""
    dropped = [r[0] for r in store.conn.execute("SELECT id FROM statements WHERE article_id = ?", (article_id,))]
    write_claims = retract_claims(store, dropped)
    write_story = story_without(store, article_id)
    with store.transaction() as conn:
        store.write_version(conn, page, article_id, article, minhash=minhash, bands=bands, near_duplicates=near)
        forget_article_analysis(conn, article_id)
        write_claims(conn)
        write_story(conn)


def _with_domain_outlet(article: Article, store: Store) -> Article:
    """One outlet name for the pages of one site where some name only their publisher.

    A page whose only name for itself is its copyright holder ("© 2026 Kestrel Publishing") takes
    the name the site's other stored pages carry, most of them first, when that holder publishes
    it ("The Kestrel"; extract.textmeta.published_by); a page carrying such a name gives it to the
    site's pages stored before under its publisher's name. Pages of other sites keep theirs
    ("Kestrel Publishing" may publish a "Kestrel Times" elsewhere). The stories and narratives
    made before the renaming take the new name with it (store.stories.rename_outlet)."""
    host, outlet = page_host(article.url), article.outlet
    if not host or not outlet:
        return article
    owner = publisher_owner(outlet)
    if owner is not None:
        names = Counter()
        for name in {*store.outlets_starting(owner), *store.outlets_starting("The " + owner)}:
            if publisher_owner(name) is None and published_by(name, outlet):
                names[name] += sum(page_host(url) == host for _, url in store.articles_of_outlet(name))
        best = [(count, name) for name, count in names.items() if count]
        return replace(article, outlet=max(best)[1]) if best else article
    first_word = outlet.removeprefix("The ").split()[0]
    for holder in store.outlets_starting(first_word + " "):
        if published_by(outlet, holder):
            ids = [article_id for article_id, url in store.articles_of_outlet(holder) if page_host(url) == host]
            if ids:
                rename_outlet(store, ids, outlet)
    return article


def already_stored(source: str, page_id: str, store: Store, report: IngestReport) -> bool:
    """Whether the store has the page (a re-run read it again): then it counts as a duplicate, and
    is neither extracted nor parsed again."""
    if not store.has_page(page_id):
        return False
    report.duplicates.append((source, "page already stored"))
    return True


def index_old_fingerprints(store: Store) -> None:
    """Band the signatures of a store written before the band index existed (once per store: the
    schema migration marks such a store, and the mark goes when every signature is banded)."""
    if not is_stale(store, FINGERPRINT_BANDS):
        return
    while rows := store.unbanded_fingerprints(BACKFILL_BATCH):
        store.add_fingerprint_bands([(i, fingerprint_bands(signature_from_bytes(data))) for i, data in rows])
    mark_fresh(store, FINGERPRINT_BANDS)


def ingest_items(
    items: Iterable[Page | Rejection | SkippedRecords],
    store: Store,
    *,
    workers: int = 1,
    on_item: Callable[[Page | Rejection | SkippedRecords], None] | None = None,
) -> IngestReport:
    """Extract and store pages (and record rejections) from any reader: files, URLs, uploads."""
    report = IngestReport()
    index_old_fingerprints(store)

    def new_items() -> Iterator[Page | Rejection | SkippedRecords]:
        for item in items:
            if isinstance(item, Page) and already_stored(item.source, item.id, store, report):  # a re-run
                if on_item:
                    on_item(item)
                continue
            yield item

    for result in ordered_map(extract_or_reject, new_items(), workers, prepare=warm_up):
        save_result(result, store, report)
        if on_item:
            on_item(result.page if isinstance(result, ExtractedPage) else result)
    return report


def save_result(result: ExtractedPage | Rejection | SkippedRecords, store: Store, report: IngestReport) -> None:
    """Store what the per-page side made of one page, or record why it could not be used."""
    if isinstance(result, SkippedRecords):
        report.skipped.append(result)
        return
    rejection = result if isinstance(result, Rejection) else None
    if rejection is None:
        try:
            save_extracted(result, store, report)
        except PresswatchError as exc:
            rejection = Rejection(result.page.source, str(exc))
        except sqlite3.OperationalError:  # the database's fault (locked past its busy timeout, full), not the page's:
            raise  # the run stops with the database's error, and the next stores the page
        except Exception as exc:  # as for extraction: one odd page must not stop the batch
            rejection = Rejection(result.page.source, f"internal error while storing it ({type(exc).__name__}: {exc})")
    if rejection is not None:
        report.rejected.append(rejection)
        store.add_rejection(rejection)


def ingest(
    sources: Iterable[str],
    store: Store,
    *,
    workers: int = 1,
    on_item: Callable[[Page | Rejection], None] | None = None,
    **read_options,
) -> IngestReport:
    """Read sources (files, directories, globs, URLs) and store their articles."""
    return ingest_items(read_sources(sources, **read_options), store, workers=workers, on_item=on_item)
