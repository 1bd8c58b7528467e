"""What one update costs as the archive grows: adding 1 and 10 pages to an N-article store.

    .venv/bin/python bench/update.py --articles 10000 --format json

The N-article store is filled from generated records directly (articles with their fingerprints,
about 5 statements each, most of them one-off claims and some restating recurring ones, and the
entity mentions of the names they hold), then brought up to date by the engine's corpus-wide side
(entities, stories, narratives) after every chunk of 10,000 articles, as daily updates would; that
build is not what is measured (it is cached under /work/bench-cache/, and an interrupted one resumes). Then, each in a fresh
process on a fresh copy of the store: ingesting 1 page with analysis into an empty store (the
reference: the fixed cost of loading models and opening the store), 1 page into the full store, and
10 pages into the full store; and a changed page (`update_1_changed_full_s`): a new version of the
newest stored article at its address, its last statement replaced by another, which takes the old
text's statements, claims and story place out and analyses the new text (engine/local.save_version);
and a new page dated inside a timeline (`update_1_mid_full_s`): dated on the day of the middle piece
of evidence of the largest stored narrative, with that narrative's claim among its statements, so it
joins the narrative there, not at the end of its timeline. Pages are generated HTML news pages with
quotes, parsed for real.

Goal (issue 12): `ratio` = update_1_full_s / update_1_empty_s <= 1.2, and peak memory of the full
update within 1.2x of the empty one, at N = 10,000 and at N = 100,000.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Anneli", "Yevgeny", "Oleg", "Marta", "Tomas", "Ilse", "Piret", "Karel", "Sanna", "Dmitri", "Lena", "Arvo"]
LAST = ["Korhel", "Lomatsky", "Tamarin", "Vesk", "Orlan", "Brandt", "Kallas", "Moreno", "Haldane", "Ostrow", "Pekk", "Rudd"]
PLACES = ["Port Aldane", "Caldrun", "Skelby", "Lerin", "Oskal", "Brenna", "Tarsen", "Saltreach", "Vashta", "Mirow"]
ORGS = ["Basin Council", "Harbour Authority", "Selvan Foreign Ministry", "Northern Alliance", "Coast Guard"]
VERBS = ["expand", "close", "rebuild", "inspect", "fund", "delay", "review", "protect", "reopen", "cut"]
NOUNS = ["dam", "harbour", "rescue centre", "rail link", "school", "budget", "fleet", "border post", "bridge", "clinic"]
CLAIMS = [f"the {o} is preparing to {v} the {n} in {p}" for o in ORGS for v in VERBS[:4] for n in NOUNS[:3] for p in PLACES[:2]]
OUTLETS = ["The Harbour Ledger", "Skelby Courier", "Lerin Coast Online", "Kestrel News Agency", "Radio Skelby"]


def _vocabulary() -> list[str]:
    """Content words for one-off claims: the English words the static vectors know, past the
    commonest (as bench/narratives.py draws them), so one-off claims differ as real ones do."""
    import numpy as np

    from presswatch.stories.word_vectors import VECTORS

    with np.load(VECTORS, allow_pickle=False) as data:
        return [str(w) for w in data["words"][200:20000]]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randrange(40)}"


def article_text(rng: random.Random, number: int, words: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """A news text of a few paragraphs with about five statements, most of them one-off claims and
    some (15%) restating a recurring one; returns it and its (speaker, claim) pairs."""
    place = rng.choice(PLACES)
    said = []
    paragraphs = [f"Officials in {place} met on day {number} to discuss the {rng.choice(NOUNS)} and its future."]
    for _ in range(5):
        speaker = _person(rng)
        if rng.random() < 0.15:
            claim = rng.choice(CLAIMS)
        else:
            claim = f"the {rng.choice(ORGS)} would " + " ".join(rng.choice(words) for _ in range(8))
        said.append((speaker, claim))
        paragraphs.append(f"{speaker}, a spokesperson for the {rng.choice(ORGS)}, said {claim}.")
    return "\n\n".join(paragraphs), said


def page_html(rng: random.Random, number: int, words: list[str], *, day: str | None = None, claim: str | None = None) -> str:
    """A generated page, dated `day` (else a day of March 2026, after every stored article), with
    `claim` said in a paragraph of its own besides its article_text."""
    body, _ = article_text(rng, number, words)
    if claim:
        body += f"\n\n{_person(rng)}, a spokesperson for the {rng.choice(ORGS)}, said {claim}."
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<html><head><title>Update {number}</title><meta property='og:site_name' content='{rng.choice(OUTLETS)}'>"
            f"<meta property='article:published_time' content='{day or f'2026-03-{1 + number % 28:02d}'}'></head>"
            f"<body><nav>Home News Sport</nav><article><h1>Update {number} on the {rng.choice(NOUNS)}</h1>"
            f"{paragraphs}</article><footer>Cookie policy</footer></body></html>")


# Articles stored and then brought up to date at a time while building: the corpus-wide side runs
# once per chunk, as a daily update would, so the build holds one chunk in memory and can resume
# after the last chunk that finished (a 100k build outlasts a session on a shared machine).
# At N = 10,000 the build is one chunk: the same store as filling everything, then deriving.
CHUNK = 10_000


def build(path: Path, count: int, seed: int = 3) -> dict:
    """An N-article store filled from generated records, brought up to date chunk by chunk.

    Progress is kept beside the store (`<path>.progress`): a rerun skips the chunks it records
    (restoring the generator's state after them, so the rest is what one run makes) and fills the
    next chunk again, which stores the same records under the same ids (statements already
    clustered stay so), then lets the engine finish what the interrupted run left."""
    import fcntl

    progress_path, lock_path = Path(f"{path}.progress"), Path(f"{path}.lock")
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another process is building {path}; wait for it to finish") from None
        progress = _build_chunks(path, progress_path, count, seed)
    lock_path.unlink()
    return progress


def arrival_day(number: int, count: int) -> str:
    """Article `number`'s day: `count` articles spread over four years in the order they arrive, as
    an archive grows by daily updates (so a chunk reopens only the stories of its own weeks)."""
    return (date(2022, 1, 1) + timedelta(days=number * 4 * 365 // count)).isoformat()


def _build_chunks(path: Path, progress_path: Path, count: int, seed: int) -> dict:
    from presswatch.store import Store

    resuming = progress_path.exists() and path.exists()
    progress = json.loads(progress_path.read_text()) if resuming else {
        "articles": count, "derived_through": 0, "fill_s": 0.0, "derive_s": 0.0, "cpu_s": 0.0, "runs": 0}
    progress["runs"] += 1
    rng = random.Random(seed)
    if resuming:  # where the generator stood after the last chunk that finished
        version, internal, gauss = progress["generator_state"]
        rng.setstate((version, tuple(internal), gauss))
    words = _vocabulary()
    with Store(path) as store:
        for start in range(progress["derived_through"], count, CHUNK):
            numbers = range(start, min(start + CHUNK, count))
            wall, cpu = time.perf_counter(), time.process_time()
            fill(store, rng, words, numbers, count, day_of=lambda number: arrival_day(number, count))
            stored = time.perf_counter()
            derive(store)
            progress["fill_s"] = round(progress["fill_s"] + stored - wall, 1)
            progress["derive_s"] = round(progress["derive_s"] + time.perf_counter() - stored, 1)
            progress["cpu_s"] = round(progress["cpu_s"] + time.process_time() - cpu, 1)
            progress["derived_through"] = numbers.stop
            progress["generator_state"] = rng.getstate()
            progress_path.write_text(json.dumps(progress))
            print(json.dumps({k: v for k, v in progress.items() if k != "generator_state"}), file=sys.stderr, flush=True)
    progress_path.unlink()
    del progress["generator_state"]
    return progress


def derive(store) -> None:
    """Bring the corpus-wide outputs up to date, as an analysis pass ends (engine/analyse.py)."""
    from presswatch.engine.corpus import update_stories
    from presswatch.engine.entities import update_entities
    from presswatch.engine.local import index_old_fingerprints
    from presswatch.engine.narratives import update_narratives

    index_old_fingerprints(store)
    update_entities(store)
    update_stories(store)
    update_narratives(store)


def fill(store, rng: random.Random, words: list[str], numbers: range, count: int, day_of=None) -> None:
    """Store generated articles `numbers` (of `count` spread over four years, or dated by
    `day_of(number)`) with their fingerprints, statements and mentions, as if ingested and analysed."""
    from presswatch.extract.duplicates import body_minhash, fingerprint_bands, signature_bytes
    from presswatch.records import TEXT, Article, ArticleAnalysis, Mention, Page, Statement, content_id
    from presswatch.store.analysis import save_analyses

    batch = []
    for number in numbers:
        body, said = article_text(rng, number, words)
        page = Page.make(f"generated/{number}.txt", TEXT, body)
        day = day_of(number) if day_of else f"20{22 + number * 4 // count:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        article = Article(id=page.id, page_id=page.id, url=None, title=f"Generated {number}", body=body,
                          paragraphs=tuple(body.split("\n\n")), outlet=rng.choice(OUTLETS), published=day,
                          language="en", body_hash=content_id("body:" + body))
        signature = body_minhash(body)
        store.add_page(page, article, minhash=signature_bytes(signature), bands=fingerprint_bands(signature))
        statements, mentions = [], []
        for k, (speaker, claim) in enumerate(said):
            start = body.index(speaker)
            content_start = body.index(claim, start)
            statements.append(Statement(
                id=content_id(f"{page.id}:{k}"), article_id=page.id, speaker=speaker, speaker_name=speaker,
                speaker_role="spokesperson", speaker_kind="person", cue="said", content=claim, mode="indirect",
                cue_span=(content_start - 5, content_start - 1), speaker_span=(start, start + len(speaker)),
                content_spans=((content_start, content_start + len(claim)),), date=day))
            mentions.append(Mention(page.id, start, start + len(speaker), speaker, "person", speaker))
        batch.append((article, ArticleAnalysis(page.id, tuple(statements), tuple(mentions))))
        if len(batch) == 500:
            save_analyses(store, batch)
            batch = []
    if batch:
        save_analyses(store, batch)


CACHE = Path(os.environ.get("PRESSWATCH_BENCH_CACHE", "/work/bench-cache"))


def cached_store(count: int, seed: int = 3) -> tuple[Path, dict]:
    """The built N-article store, kept under CACHE so a rerun skips the build. The file name holds a
    hash of the generator, so a change to it builds a new one (a newer schema is applied when a
    copy is opened); callers copy it before writing (`copy_store`)."""
    source = inspect.getsource(article_text) + inspect.getsource(fill) + inspect.getsource(arrival_day)
    if count > CHUNK:  # a store of one chunk does not depend on it
        source += f"chunk={CHUNK}"
    key = hashlib.sha1(source.encode()).hexdigest()[:10]
    path = CACHE / f"update-{count}-s{seed}-{key}.db"
    info = path.with_suffix(".json")
    if path.exists() and info.exists():
        return path, json.loads(info.read_text())
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")  # one name, so an interrupted build resumes
    built = build(partial, count, seed)  # closing the store folds its write-ahead log into the file
    partial.rename(path)
    info.write_text(json.dumps(built))
    return path, built


def copy_store(source: Path, target: Path) -> None:
    """Copy a store and flush the copy to disk: an update's commit and close sync the file, and on a
    copy just made that sync also wrote out the copy's gigabytes still in the page cache (4.3 of a
    1-page update's 8.5 s on the 100k store, 2026-12-06), which no user's store asks of an update."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
            with open(f"{target}{suffix}", "rb+") as copied:
                os.fsync(copied.fileno())


def migrate(db: Path) -> None:
    """Bring a copied store to this presswatch's schema before it is timed: the cached store keeps
    the schema it was built with, and a migration (an index over 100k articles) is a one-off per
    store, not part of an update's cost."""
    from presswatch.store import Store

    Store(db).close()


def mid_timeline(db: Path) -> tuple[str, str]:
    """The claim of the largest stored narrative and the day of its middle piece of evidence: a page
    of that day saying it joins the narrative inside its timeline."""
    from presswatch.store import Store

    with Store(db) as store:
        narrative_id, statements = store.conn.execute(
            "SELECT id, statements FROM narratives ORDER BY statements DESC LIMIT 1").fetchone()
        quote, day = store.conn.execute(
            "SELECT quote, date FROM narrative_evidence WHERE narrative_id = ? ORDER BY date LIMIT 1 OFFSET ?",
            (narrative_id, statements // 2)).fetchone()
    return quote, day


def measure(db: Path, pages: int, seed: int, mid: bool = False) -> dict:
    """Ingest `pages` generated pages with analysis into `db`, timed, in this (fresh) process; with
    `mid`, pages dated inside the largest narrative's timeline and saying its claim (mid_timeline)."""
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest_items
    from presswatch.records import HTML, Page
    from presswatch.store import Store

    rng = random.Random(seed)
    words = _vocabulary()
    claim, day = mid_timeline(db) if mid else (None, None)
    items = [Page.make(f"new/{i}.html", HTML, page_html(rng, 10_000_000 + seed * 100 + i, words, day=day, claim=claim))
             for i in range(pages)]
    started = time.perf_counter()
    with Store(db) as store:
        report = ingest_items(items, store)
        analysis = analyse(store)
    seconds = time.perf_counter() - started
    assert len(report.stored) == pages and analysis.articles == pages, (report, analysis)
    return {"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


ADDRESS = "https://bench.example/articles/"


def give_address(db: Path) -> str:
    """Give the newest stored article an address (the generated ones have none), as a page read
    from the web would have, before a new version of it is timed; returns its id."""
    from presswatch.store import Store

    with Store(db) as store, store.transaction() as conn:
        article_id = conn.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        conn.execute("UPDATE articles SET url = ? WHERE id = ?", (ADDRESS + article_id, article_id))
    return article_id


def measure_changed(db: Path, article_id: str, seed: int) -> dict:
    """Ingest a new version of the stored article `article_id` with analysis, timed, in this process:
    its page at its address, under its headline and date, its last statement another one."""
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest_items
    from presswatch.records import HTML, Page
    from presswatch.store import Store

    rng = random.Random(seed)
    with Store(db) as store:
        stored = store.article(article_id)
    _, said = article_text(rng, 20_000_000 + seed, _vocabulary())
    speaker, claim = said[0]
    paragraphs = [*stored.paragraphs[:-1], f"{speaker}, a spokesperson for the {rng.choice(ORGS)}, said {claim}."]
    html = (f"<html><head><title>{stored.title}</title><link rel='canonical' href='{stored.url}'>"
            f"<meta property='og:site_name' content='{stored.outlet}'>"
            f"<meta property='article:published_time' content='{stored.published}'></head>"
            f"<body><nav>Home News Sport</nav><article><h1>{stored.title}</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article><footer>Cookie policy</footer></body></html>")
    started = time.perf_counter()
    with Store(db) as store:
        report = ingest_items([Page.make("changed.html", HTML, html)], store)
        analysis = analyse(store)
    seconds = time.perf_counter() - started
    assert report.updated == [article_id] and analysis.articles == 1, (report, analysis)
    return {"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _in_child(db: Path, pages: int, seed: int, changed: str | None = None, mid: bool = False) -> dict:
    more = (["--changed", changed] if changed else []) + (["--mid"] if mid else [])
    done = subprocess.run([sys.executable, __file__, "--measure", str(db), "--pages", str(pages), "--seed", str(seed), *more],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each update; the fastest counts")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pages", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--changed", help=argparse.SUPPRESS)
    parser.add_argument("--mid", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        found = (measure_changed(args.measure, args.changed, args.seed) if args.changed
                 else measure(args.measure, args.pages, args.seed, mid=args.mid))
        print(json.dumps(found))
        return
    full, built = cached_store(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def run(on_full: bool, pages: int, changed: bool = False, mid: bool = False) -> dict:
            best = None
            for attempt in range(args.repeat):
                db = tmp / f"run-{pages}-{attempt}.db"
                # Every run follows the same copy of the full store, into the empty store's run too
                # (as a file it never opens): right after writing those gigabytes the machine runs
                # slower for a while, and work that never touches the store (loading the language
                # model for extraction) took 0.2 s more in the runs that had copied (py-spy, three
                # runs each on the 100k store, 2026-12-06); the ratio is the store's, not the copy's.
                copy_store(full, db if on_full else tmp / "copied.db")
                if on_full:
                    migrate(db)
                found = _in_child(db, pages, seed=attempt + 1, changed=give_address(db) if changed else None, mid=mid)
                for used in (db, tmp / "copied.db"):
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{used}{suffix}").unlink(missing_ok=True)
                best = found if best is None or found["seconds"] < best["seconds"] else best
            return best

        empty, one, ten = run(False, 1), run(True, 1), run(True, 10)
        changed, mid = run(True, 1, changed=True), run(True, 1, mid=True)
    result = {
        "articles": args.articles,
        "update_1_empty_s": round(empty["seconds"], 2),
        "update_1_full_s": round(one["seconds"], 2),
        "update_10_full_s": round(ten["seconds"], 2),
        "ratio": round(one["seconds"] / empty["seconds"], 2),
        "update_1_changed_full_s": round(changed["seconds"], 2),
        "changed_over_new": round(changed["seconds"] / one["seconds"], 2),
        "update_1_mid_full_s": round(mid["seconds"], 2),
        "mid_over_new": round(mid["seconds"] / one["seconds"], 2),
        "peak_rss_mb_empty": round(empty["peak_rss_mb"], 1),
        "peak_rss_mb_full": round(one["peak_rss_mb"], 1),
        "build": built,
    }
    print(json.dumps(result) if args.format == "json" else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
