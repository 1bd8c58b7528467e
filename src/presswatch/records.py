"""The core records that flow between stages.

They are small frozen dataclasses so a stage is a pure function from records to records and can run
in-process or be shipped to a Dask worker unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

T = TypeVar("T")

# What kind of content a page carries decides which extractor reads it.
HTML = "html"
TEXT = "text"


def content_id(text: str) -> str:
    """Ids come from content, so the same page ingested twice is stored once."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Page:
    """A raw page as a reader found it, already decoded to text.

    `hints` carries metadata the container gave alongside the page (a feed entry's title and date,
    a JSON Lines row's author) which extraction, of HTML and of text dumps alike, prefers over
    guessing from the content; a feed entry's `updated` date only where the page shows no date.
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
    def make(cls, source: str, kind: str, content: str, **kw) -> Page:
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
    language: str | None = None  # ISO 639-1 code when detected with confidence, else None
    language_flag: str | None = None  # "unknown" (language None), "unsupported: xx" (NLP skips it)
    body_hash: str = ""


@dataclass(frozen=True)
class ArticleOrigin:
    """Who published an article and when: all a narrative's evidence takes from its article, read
    from an index so that re-making a narrative of many thousand statements reads no bodies."""

    id: str
    outlet: str | None
    published: str | None


@dataclass(frozen=True)
class ArticleHeading:
    """An article's title, outlet and date: all a story's record takes from its members, so an
    update that grows a story of thousands of reports reads none of their bodies."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None


@dataclass(frozen=True)
class Rejection:
    """A page or file that could not be used, with a reason a user can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class SkippedRecords:
    """The records of an archive passed over on purpose, counted by why ("revisit", "status 404",
    "image/png"): none is an error, but a crawl that yields few pages should say where the rest
    went, as `ingest` reports what it rejected."""

    source: str
    counts: tuple[tuple[str, int], ...]  # (why, how many), most first

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


# The cue of a line opened by its speaker's name and a colon, a transcript's "STRAND: Why …?" or an
# interview's answer: the colon itself, as PolNeAR marks it. The rest of the line is the speaker's own
# words (a statement in "direct" mode).
LABEL_CUE = ":"


@dataclass(frozen=True)
class Statement:
    """One reported statement in an article: who said what, how, where and to whom.

    Offsets index `Article.body`. `content_spans` is a tuple because a quote can be split by its
    own attribution ("The plan", she said, "is dead."). `speaker_name` is the in-article resolution
    of `speaker` ("He" -> the named person); cross-article entity resolution happens later. People
    who spoke together are one statement whose `speaker_name` joins theirs ("Anna Kask and Bengt
    Oyen", `names.joint_name`), with no role; the store credits it to each of them.
    """

    id: str
    article_id: str
    speaker: str | None  # the mention as written; None when the text names no source
    speaker_name: str | None
    speaker_role: str | None
    speaker_kind: str  # PERSON, ORGANIZATION, GROUP or UNKNOWN_SPEAKER (below)
    cue: str  # the cue's words, without the colon `cue_span` may take as PolNeAR's spans do ("said:"); LABEL_CUE
    content: str
    mode: str  # "direct" | "indirect" | "mixed" | "according_to"
    cue_span: tuple[int, int]
    speaker_span: tuple[int, int] | None
    content_spans: tuple[tuple[int, int], ...]
    venue: str | None = None
    addressee: str | None = None
    # when it was said: ISO at the precision the text gives (YYYY-MM-DD, YYYY-MM or YYYY), else None
    date: str | None = None
    confidence: float = 1.0
    # What is claimed, where the content also names the topic the speaker spoke of ("condemned the
    # meddling of foreign powers, warning that the dam would flood the valley": the warning), as
    # the content's text; None where the whole content is the claim. Narratives group claims.
    claim: str | None = None

    @property
    def claim_text(self) -> str:
        """What narratives group and label this statement by."""
        return self.claim or self.content


@dataclass(frozen=True)
class SpeakerLink:
    """A person or body a statement's speaker names, and the entity that denotes in the statement's
    article (None where none, or more than one, does). A joint speaker ("Anna Kask and Bengt Oyen")
    gives one link per person, so each is linked where a lone speaker would be."""

    name: str
    entity_id: str | None


@dataclass(frozen=True)
class LinkedStatement(Statement):
    """A statement as the lists of statements give it (`query.listings`: the CLI's JSON, the HTTP
    API, the web's downloads): with its speaker's links, one per person who spoke together, none
    where the text names no source; and per person the entity's canonical name, else the name as
    the article gives it, so two spellings of one person group as one."""

    speaker_links: tuple[SpeakerLink, ...] = ()
    speaker_canonical: tuple[str, ...] = ()


def role_beside(speaker: str | None, role: str | None) -> str | None:
    """The role to show beside a speaker as the faces name it: none where the speaker's words
    already hold it (an unnamed speaker known by a role: "A spokesman for the Port Authority",
    role "spokesman for the Port Authority")."""
    return None if role and speaker and role.casefold() in speaker.casefold() else role


def dated_to_month(date: str | None) -> str | None:
    """The date when it names at least its year and month (YYYY-MM...), else None (a bare year, or
    words): what can be placed in a time window or on a monthly axis. The store's SQL reads a
    statement's date the same way (store/statements.statement_day)."""
    return date if date and len(date) >= 7 and date[:4].isdigit() and date[4] == "-" and date[5:7].isdigit() else None


@dataclass(frozen=True)
class Story:
    """Articles that report one event. The id derives from the founding article, so it is stable."""

    id: str
    article_ids: tuple[str, ...]  # in publication order
    first_seen: str | None
    last_seen: str | None
    outlets: tuple[str, ...]  # story_outlets of its articles' outlets
    key_entities: tuple[str, ...]
    label: str  # the earliest member's headline, or the top terms when no member has one


def story_outlets(outlets: Iterable[str | None]) -> tuple[str, ...]:
    """A story's outlets from its articles' outlets in publication order: most articles first,
    the first to publish first among equals; the articles naming none are one more, UNKNOWN_OUTLET,
    as `presswatch story` and a narrative's outlets count them. One definition for
    `stories.make_story` and the store, which lists them again when an outlet is renamed (schema
    migration 31 lists a stored story's again)."""
    counts: dict[str, int] = {}
    for outlet in map(outlet_named, outlets):
        counts[outlet] = counts.get(outlet, 0) + 1
    return tuple(sorted(counts, key=lambda outlet: -counts[outlet]))


# The types of a named entity (nlp/name_gazetteer.py and nlp/name_types.py type them; store, faces and evaluation read them).
PERSON, ORGANIZATION, PLACE, NATIONALITY = "person", "organization", "place", "nationality"
ENTITY_TYPES = (PERSON, ORGANIZATION, PLACE, NATIONALITY)
# Who says a statement (Statement.speaker_kind; nlp/speakers.py decides): a person or an organisation,
# named or not, in the entity types' words; an anonymous group ("officials", "analysts"); or unknown.
GROUP, UNKNOWN_SPEAKER = "group", "unknown"


# How a statement stands to the claim of the narrative that holds it (stories/stance.py decides).
# Denials and disputes of a claim form its counter-narrative, never its evidence.
ASSERTS = "asserts"  # makes the claim
REPORTS = "reports"  # relays the claim (someone's claim, an allegation, a question) without taking it up
DENIES = "denies"  # says it is not so ("denied any plan", "has no plans to")
DISPUTES = "disputes"  # argues against it: a counter-account ("to save lives, not to ..."), "baseless"
STANCES = (ASSERTS, REPORTS, DENIES, DISPUTES)
OPPOSING = frozenset({DENIES, DISPUTES})
# What an outlet count calls the outlet of an article that names none: one outlet, not one per article.
UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_named(outlet: str | None) -> str:
    """An article's outlet as every face writes it, UNKNOWN_OUTLET where it names none: a briefing's
    lines say what its tallies and group lists count (the web's templates: the `outlet` filter)."""
    return outlet or UNKNOWN_OUTLET


# What a narrative's trail, its opponents and a briefing call a statement's speaker the text does not name.
UNNAMED_SOURCE = "(unnamed source)"


@dataclass(frozen=True)
class Evidence:
    """One statement that carries a narrative's claim (or, in a counter-narrative, opposes the
    claim it counters): who said it, where, when, in which words, and its stance."""

    statement_id: str
    article_id: str
    speaker: str | None
    outlet: str | None
    date: str | None
    quote: str
    stance: str = ASSERTS


@dataclass(frozen=True)
class Narrative:
    """A claim that recurs across outlets, speakers and time, with the statements that make it.

    The statements that deny or dispute it form its counter-narratives (`counters`), each with
    `counter_of` naming this narrative; they are shown beside the claim, never in its evidence.
    A listing carries only the start of the timeline in `evidence` (a narrative repeated ten
    thousand times would otherwise make one page megabytes long); `statements` and `outlets` count
    all of it, and are counted from `evidence` when not given."""

    id: str
    label: str  # the claim: the most central statement that reads as a clause with its subject
    evidence: tuple[Evidence, ...]  # in date order: the timeline, or its start in a listing
    first_seen: str | None
    last_seen: str | None
    counter_of: str | None = None
    counters: tuple[Narrative, ...] = ()
    statements: int = -1  # statements that carry the claim; -1: len(evidence)
    outlets: int = -1  # len(outlets_of(all its evidence)); -1: counted from evidence
    # Each (stance, speaker) of its evidence once, in that order; read from `evidence` when not given.
    # Who opposes a claim is read from its counters' voices, which the store gives from all their
    # evidence, as a listing's `evidence` may stop short (a claim's own, from what it holds).
    voices: tuple[tuple[str, str | None], ...] | None = None

    def __post_init__(self) -> None:
        if self.statements < 0:
            object.__setattr__(self, "statements", len(self.evidence))
        if self.outlets < 0:
            object.__setattr__(self, "outlets", len(outlets_of(self.evidence)))
        if self.voices is None:
            object.__setattr__(self, "voices", voices_of(self.evidence))


def outlets_of(evidence: tuple[Evidence, ...] | list[Evidence]) -> list[str]:
    """The outlets that carried some evidence, by name; articles naming none count as one
    UNKNOWN_OUTLET. The one definition of a narrative's outlet count (CLI, API, web, store order)."""
    return sorted({e.outlet or UNKNOWN_OUTLET for e in evidence})


def voices_of(evidence: tuple[Evidence, ...] | list[Evidence]) -> tuple[tuple[str, str | None], ...]:
    """Each (stance, speaker) of some evidence once, sorted (an unnamed speaker first)."""
    return sorted_voices({(e.stance, e.speaker) for e in evidence})


def sorted_voices(voices: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str | None], ...]:
    """(stance, speaker) pairs once each, in the order a Narrative keeps them."""
    return tuple(sorted(set(voices), key=lambda v: (v[0], v[1] or "")))


# How the faces name who opposes a claim: "denied by ...", "disputed by ...".
OPPOSED_AS = {DENIES: "denied", DISPUTES: "disputed"}


def opponents(narrative: Narrative) -> list[tuple[str, list[str]]]:
    """Who opposes a claim, per way of opposing it: [("denied", speakers), ("disputed", speakers)],
    from its counter-narratives; ways nobody took are left out."""
    found = []
    for stance, verb in OPPOSED_AS.items():
        who = sorted({speaker or UNNAMED_SOURCE for c in narrative.counters for said, speaker in c.voices if said == stance})
        if who:
            found.append((verb, who))
    return found


@dataclass(frozen=True)
class Mention:
    """A name in an article: a person, organisation, place or nationality.

    Offsets index `Article.body` and `body[start:end] == text`, the name without possessive,
    article or title ("Russia's" -> "Russia", "President Ilves" -> "Ilves"). `refers_to` is the
    in-article resolution: the fullest form of the same name in the article ("Galuzin" ->
    "Mikhail Galuzin", "CSTO" -> "Collective Security Treaty Organization"), `text` when none.
    """

    article_id: str
    start: int
    end: int
    text: str
    type: str  # "person" | "organization" | "place" | "nationality"
    refers_to: str
    link_reason: str | None = None  # why refers_to differs from text
    role: str | None = None  # a role the text gives the named person here
    # What in the text or the data gave the name its type here ("'in Vyshtal'", "the role 'envoy'");
    # None: the model's type alone (nlp/name_types.py).
    type_evidence: str | None = None


@dataclass(frozen=True)
class Entity:
    """One real person, organisation or place, however many ways pages name it.

    `roles` holds (role, date, article_id) triples, oldest first, so a change of office reads as
    history.
    """

    id: str
    type: str  # "person" | "organization" | "place" | "nationality"
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[tuple[str, str | None, str], ...] = ()


@dataclass(frozen=True)
class ExtractedPage:
    """What the per-page side of ingesting makes of one page: its article (None when it holds
    none) and the article's MinHash fingerprint, computed where the page was extracted so the
    process that writes the store only compares fingerprints."""

    page: Page
    article: Article | None
    fingerprint: bytes | None = None


@dataclass(frozen=True)
class ArticleAnalysis:
    """What the per-article side of analysis finds in one article, from one parse.

    `skipped` says why an article was not parsed (a language the models do not read, a text the
    parse cannot take: engine/pages.analyse_articles); it is then recorded as analysed with nothing
    found, so no later run parses it again.
    """

    article_id: str
    statements: tuple[Statement, ...] = ()
    mentions: tuple[Mention, ...] = ()
    skipped: str | None = None


@dataclass(frozen=True)
class Watch:
    """A saved search (`presswatch watchlist add`): its new items are what arrived after `seen_through`.

    Marks are arrival numbers (`store/watchlists.py`): the items stored up to `seen_through` have been
    seen, those up to `notified_through` sent to the webhook. `filters` are (search filter, value)
    pairs, the ones the search's filters take.
    """

    name: str
    query: str | None  # None: every item that passes the filters
    mode: str
    kinds: tuple[str, ...]
    filters: tuple[tuple[str, str], ...]
    webhook: str | None
    created_at: str
    seen_through: int
    seen_at: str | None
    notified_through: int
    notified_at: str | None = None
    notify_error: str | None = None


@dataclass(frozen=True)
class WatchItem:
    """One article or statement a watch matched, with when it arrived (was first stored).

    `arrival` orders arrivals (a sequence number); `date` is the publication date of an article and
    the date a statement was made, as in search.
    """

    kind: str  # "article" | "statement"
    id: str
    article_id: str
    title: str | None
    outlet: str | None
    date: str | None
    speaker: str | None
    snippet: str
    arrival: int
    arrived_at: str


@dataclass(frozen=True)
class ResultPage(Generic[T]):
    """One page of a listing or a search, as every face shows it: the items, how many match in all,
    and where the page lies. The faces (CLI, HTTP API, web UI) get the same page for the same
    question from `presswatch.query.listings`."""

    items: tuple[T, ...]
    total: int  # every match of the question, not only this page's
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, None on the last page."""
        return self.offset + self.limit if self.offset + self.limit < self.total else None
# What a source's URL lists: a feed's entries, a (news) sitemap's URLs, a front page's article links.
# AUTO_KIND until the first fetch tells which it is (ingest/listing.py reads each kind).
AUTO_KIND, FEED_KIND, SITEMAP_KIND, FRONT_KIND = "auto", "feed", "sitemap", "front"
SOURCE_KINDS = (AUTO_KIND, FEED_KIND, SITEMAP_KIND, FRONT_KIND)


@dataclass(frozen=True)
class Source:
    """A place presswatch collects from on a schedule, with the health of its last fetches.

    `etag` and `last_modified` are the validators of the last answer, sent back so an unchanged
    listing costs a 304; `errors_in_row` stretches the wait before the next try (backoff).
    """

    id: int
    url: str
    name: str | None
    kind: str  # one of SOURCE_KINDS
    every_seconds: int
    added_at: str
    next_due_at: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: str | None = None
    last_status: str | None = None  # "new items", "no new items", "not modified" or "error"
    last_error: str | None = None
    errors_in_row: int = 0
    new_items_last: int = 0  # items first seen by the last fetch
    fetches: int = 0
    not_modified: int = 0  # fetches answered 304
    items_seen: int = 0
    items_stored: int = 0  # items whose page was stored (the rest were rejected or duplicates)
    # Items listed and not fetched yet, or to be tried again: past a pass's ITEMS_PER_PASS, or left by a
    # round their host's Crawl-delay would have held too long (due at its next turn), or whose fetch failed.
    items_waiting: int = 0
    item_fetched_at: str | None = None  # when one of its items was last asked for
    # Child sitemaps of its index still to read before the index's next fetch (at its host's next
    # turns: those a round's wait did not reach).
    sitemaps_waiting: int = 0
    # Items not fetched again: gone (404, 410), disallowed by robots.txt, failing ITEM_ATTEMPTS times,
    # not an article, or their address refused by the run's settings (at once: no retry mends it).
    items_given_up: int = 0
    last_given_up: str | None = None  # the latest of them: "URL: why"

    @property
    def label(self) -> str:
        return self.name or self.url

    @property
    def due_now(self) -> bool:
        """Whether its next fetch is due already (a source left with items waiting is due at once):
        the faces say "due now" rather than a moment past."""
        return self.next_due_at <= now_iso()
