"""The per-page side of the pipeline: plain functions from records to records.

They hold no state beyond the models each process loads once, and touch no store, so the same
functions run in-process, in worker processes (engine/workers.py) and on Dask workers; only the
process that owns the store writes what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import threading
from functools import lru_cache

from presswatch.extract import extract
from presswatch.extract.duplicates import body_minhash, signature_bytes
from presswatch.extract.language import SUPPORTED_NLP_LANGUAGES
from presswatch.nlp.pipeline import PARSE_BATCH
from presswatch.records import HTML, Article, ArticleAnalysis, ExtractedPage, Page, Statement



def extract_page(page: Page) -> ExtractedPage:
    """A page's article and fingerprint; raises PresswatchError when the page holds no article."""
    article = extract(page)
    return ExtractedPage(page, article, signature_bytes(body_minhash(article.body)))


# A made-up page that `warm_up` runs through the per-page side.
_WARM_UP_PAGE = """<html><head><title>Harbour board approves a new ferry timetable</title></head><body>
<article><h1>Harbour board approves a new ferry timetable</h1>
<p>The Port Avrel harbour board approved a new winter timetable for the island ferries on Tuesday,
after two months of talks with the crews and the town council.</p>
<p>"The boats will leave every forty minutes from December," said Mira Talvik, the board's chair.
She added that the early crossing would stay at six o'clock.</p>
<p>The ferry union said it welcomed the decision but would watch the new shifts closely.</p>
</article></body></html>"""


def warm_up(parse: bool = True) -> None:
    """Load every model and table the per-page side reads lazily (the language identifier, the
    public suffix list, the cue model and gazetteer, and with `parse` the spaCy pipeline) by running
    a made-up page, with an address, through it, so that worker processes forked from this one start
    with them loaded (engine/workers.py)."""
    found = extract_page(Page.make("presswatch:warm-up", HTML, _WARM_UP_PAGE, url="https://warm-up.presswatch.example/"))
    if parse:
        analyse_articles([found.article])


def is_readable(article: Article) -> bool:
    """Whether the models read the article's language; one whose language could not be told is given a try."""
    return article.language is None or article.language in SUPPORTED_NLP_LANGUAGES


def skipped_analysis(article: Article) -> ArticleAnalysis:
    return ArticleAnalysis(article.id, skipped=f"language {article.language or article.language_flag} not read")


def analyse_articles(articles: Sequence[Article]) -> list[ArticleAnalysis]:
    """Statements and entity mentions of readable articles, from one spaCy parse each.

    The caller filters by language first (`is_readable`), so every parse batch is full. An article
    the parse cannot take is skipped with the reason, as an unread language is, so that one odd
    article never stops its batch nor leaves every later pass failing on it: one longer than the
    parser reads (spaCy refuses it), or one that makes a stage raise (the batch is then parsed
    again an article at a time, to tell which).
    """
    from presswatch.nlp.pipeline import load_nlp

    with _PARSE_LOCK:
        nlp = load_nlp()
        parsable = [a for a in articles if len(a.body) <= nlp.max_length]
        try:
            found = _parse(nlp, parsable)
        except Exception:  # a bug on one odd article: which one, and the rest of the batch, found one by one
            found = {}
            for article in parsable:
                try:
                    found.update(_parse(nlp, [article]))
                except Exception as exc:
                    found[article.id] = ArticleAnalysis(
                        article.id, skipped=f"internal error while analysing it ({type(exc).__name__}: {exc})")
    return [found.get(a.id) or _too_long(a, nlp.max_length) for a in articles]


def _parse(nlp, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    from presswatch.nlp.mentions import mentions_from_doc
    from presswatch.nlp.statements import statements_from_doc

    model = _cue_model()
    found = {}
    for article, doc in zip(articles, nlp.pipe((a.body for a in articles), batch_size=PARSE_BATCH)):
        mentions = mentions_from_doc(doc, article)
        said = dated(statements_from_doc(article, doc, model, mentions=mentions), article)
        found[article.id] = ArticleAnalysis(article.id, tuple(said), tuple(mentions))
    return found


def _too_long(article: Article, limit: int) -> ArticleAnalysis:
    return ArticleAnalysis(
        article.id, skipped=f"too long to parse ({len(article.body):,} characters; the parser reads up to {limit:,})")


# One parse at a time in a process: a Dask worker may run tasks in several threads, and a spaCy
# pipeline (its vocabulary grows as it reads) is not made for concurrent calls. Processes, not
# threads, are how presswatch parses in parallel.
_PARSE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _cue_model():
    """The cue model, read once per process like the spaCy pipeline."""
    from presswatch.nlp.cues import load_cue_model

    return load_cue_model()


def dated(statements: list[Statement], article: Article) -> list[Statement]:
    """A statement the text gives no date for is dated by its article."""
    fallback = (article.published or "")[:10] or None
    return [s if s.date else replace(s, date=fallback) for s in statements]
