"""Entity resolution at scale: N generated articles, time and peak memory of each phase.

    .venv/bin/python bench/entities.py --articles 10000 [--db /tmp/bench.db] [--keep]

Articles are made from a fictional vocabulary (invented people with romanisation variants,
organisations with acronyms, places, roles, and families sharing a surname) so the resolver meets
the same cases as on real news, at a size no hand corpus reaches. Prints one JSON object: time
of storing, reading (spaCy parse + mentions, stored in batches) and resolving, the peak resident
memory of the process, and the sizes of what was built, plus a check on the invented truth:
how many persons' spelling variants ended in one entity.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from presswatch.records import TEXT, Article, Page
from presswatch.store import Store
from presswatch.engine.analyse import analyse
from presswatch.engine.entities import update_entities
from presswatch.store.entities import find_entities

GIVEN = [("Yevgeny", "Evgeny"), ("Sergey", "Sergei"), ("Dmitry", "Dmitri"), ("Yuri", "Yury"), ("Aleksey", "Alexei"),
         ("Mikhail", "Mihail"), ("Tatyana", "Tatiana"), ("Mariya", "Maria"), ("Anneli",), ("Sigrun",), ("Piet",),
         ("Oskar",), ("Ruta",), ("Hanne",), ("Ilse",), ("Marek",), ("Jonas",), ("Clara",), ("Tobias",), ("Darya", "Daria")]
SURNAME_STEMS = ["Lomat", "Vetr", "Ostrog", "Tamar", "Kulen", "Brovk", "Sann", "Zelen", "Tarkov", "Galen", "Moros",
                 "Kor", "Mael", "Dann", "Wend", "Renn", "Brisk", "Ulm", "Saltt", "Harv", "Kest", "Orl", "Sor", "Ilv"]
SURNAME_ENDINGS = [("sky", "skiy", "skyy"), ("ov",), ("in",), ("ova",), ("hel",), ("stad",), ("eker",), ("holm",)]
PLACE_PARTS = ["Salt", "Ald", "Var", "Tars", "Skel", "Cald", "Vysh", "Ler", "Mar", "Nor", "Quay", "Fen", "Brim"]
PLACE_ENDS = ["reach", "by", "ane", "nia", "run", "tal", "wick", "mouth", "holm", "stead"]
ORG_WORDS = ["Maritime", "Basin", "Harbour", "Northern", "Coastal", "Fisheries", "Energy", "Shipping", "Public",
             "Security", "Trade", "Rescue", "Strait", "Cable", "Weather"]
ORG_HEADS = ["Council", "Alliance", "Authority", "Agency", "Commission", "Union", "Board", "Institute"]
ROLES = ["Foreign Minister", "Deputy Foreign Minister", "Defence Minister", "Ministry spokesperson", "ambassador",
         "harbour master", "Trade Minister", "council chair", "union leader", "agency director"]


def vocabulary(rng: random.Random, people: int, orgs: int, places: int):
    persons, seen = [], set()
    while len(persons) < people:
        given = rng.choice(GIVEN)
        stem, endings = rng.choice(SURNAME_STEMS) + rng.choice(["", "a", "e", "i", "o"]), rng.choice(SURNAME_ENDINGS)
        if (given[0], stem, endings[0]) in seen:
            continue
        seen.add((given[0], stem, endings[0]))
        persons.append({"given": given, "surname": [stem + e for e in endings], "role": rng.choice(ROLES)})
    organisations = []
    for _ in range(orgs):
        words = rng.sample(ORG_WORDS, rng.choice([1, 2, 2, 3])) + [rng.choice(ORG_HEADS)]
        name = " ".join([rng.choice(PLACE_PARTS) + rng.choice(PLACE_ENDS)] + words)
        organisations.append({"name": name, "acronym": "".join(w[0] for w in name.split())})
    place_names = sorted({rng.choice(PLACE_PARTS) + rng.choice(PLACE_ENDS) + rng.choice(["", " Quay", " Bay"])
                          for _ in range(places * 2)})[:places]
    return persons, organisations, place_names


def make_article(rng: random.Random, number: int, persons, organisations, places) -> Article:
    cast = rng.sample(persons, 3)
    org, other = rng.sample(organisations, 2)
    place, where = rng.sample(places, 2)

    def full(p):
        return f"{rng.choice(p['given'])} {rng.choice(p['surname'])}"

    first, second, third = cast
    sentences = [
        (f"{first['role']} {full(first)} said on Monday that the {org['name']} ({org['acronym']}) would meet in "
         f"{place} next month."),
        f"{rng.choice(first['surname'])} added that the {other['name']} had not been consulted.",
        (f"{full(second)}, {second['role']} of {where}, told reporters in {place} that talks with the "
         f"{org['acronym']} would continue."),
        f"Officials in {where} said the {org['acronym']} had rejected the proposal.",
        f"{rng.choice(second['surname'])} said the dispute was about fishing quotas, not ships.",
        f"According to {full(third)}, the {other['name']} will publish its report in {where}.",
    ]
    rng.shuffle(sentences[3:])
    body = " ".join(sentences)
    published = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Article(id=f"bench{number:06d}", page_id=f"bench{number:06d}", url=None, title=None, body=body,
                   paragraphs=(body,), outlet=rng.choice(["Harbour Ledger", "Skelby Courier", "Lerin Coast Online"]),
                   published=published, language="en")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build (default: a temporary one).")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    persons, organisations, places = vocabulary(rng, args.people, args.orgs, args.places)
    workdir = tempfile.TemporaryDirectory()
    db = args.db or Path(workdir.name) / "bench.db"
    result: dict = {"generated": args.articles}
    with Store(db) as store:
        start = time.perf_counter()
        for number in range(args.articles):
            article = make_article(rng, number, persons, organisations, places)
            store.add_page(Page(id=article.page_id, source=article.id, kind=TEXT, content=article.body), article)
        result["store_seconds"] = round(time.perf_counter() - start, 1)
        result["peak_mb_after_store"] = round(peak_mb(), 1)
        from presswatch.nlp.pipeline import load_nlp

        load_nlp()  # timed apart from reading and resolving
        result["peak_mb_model_loaded"] = round(peak_mb(), 1)
        start = time.perf_counter()
        report = asdict(analyse(store))
        result["read_and_resolve_seconds"] = round(time.perf_counter() - start, 1)
        result.update(report)
        start = time.perf_counter()
        update_entities(store, force=True)
        result["resolve_only_seconds"] = round(time.perf_counter() - start, 1)
        result["peak_mb"] = round(peak_mb(), 1)
        result["name_nodes"] = store.conn.execute("SELECT count(*) FROM entity_names").fetchone()[0]
        # Of the invented people who appear, how many have all their spellings in one entity.
        seen = one = 0
        for person in persons[:500]:
            found = {e for s in person["surname"] for g in person["given"] for e in find_entities(store, f"{g} {s}")}
            seen += bool(found)
            one += len(found) == 1
        result["people_with_variants_in_one_entity"] = f"{one}/{seen}"
    workdir.cleanup()
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
