"""Build the list of nouns that name a person, which nlp/roles.py reads, from WordNet 3.0.

    apt-get install wordnet-base    # Debian's WordNet 3.0 database, /usr/share/wordnet
    .venv/bin/python tools/person_nouns.py [/usr/share/wordnet]

A noun is kept when its most frequent sense (the first WordNet lists) is in the lexicographer file
noun.person (18) and is no instance (a named person: "Clinton", "Taylor"), spelled as one lower-case
word: "engineer", "fisherman", "shopkeeper", "farmer", "nurse", "witness", "resident" (5,869
nouns); "head" (a body part first), "star" and "agent" are left out. The statements stage needs it
where a name is set off beside what the person is ("Orlov, the harbour engineer,") and where only
that is said ("a fisherman said"): the hand list of title words (`names.ROLE_HEADS`) has officials
and no trades.
Why WordNet: PolNeAR train's gold sources tie a name to political roles (strategist, pollster,
host) and never to a fisherman, a shopkeeper, a plumber or a baker ("farmer" and "nurse" twice
each in all its sources); Faker's job titles, which the project already installs, lack the
fisherman, the farmer and the shopkeeper and their heads need cleaning ("Make", "Copy", "Sub").
WordNet is also the noun index the parser's lemmatizer carries (`name_spans.is_common_noun`).
Writes src/presswatch/nlp/person_nouns.json: {"source": ..., "nouns": [...]}.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

PERSON_LEXFILE = 18  # noun.person
OUT = Path(__file__).resolve().parents[1] / "src" / "presswatch" / "nlp" / "person_nouns.json"


def person_nouns(wordnet: Path) -> list[str]:
    synsets: dict[str, tuple[int, list[str], bool]] = {}  # offset -> (lexfile, words, is an instance)
    with open(wordnet / "data.noun", encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):  # the licence
                continue
            fields = line.split()
            count = int(fields[3], 16)
            synsets[fields[0]] = (int(fields[1]), [fields[4 + 2 * k] for k in range(count)], " @i " in line)
    nouns = []
    with open(wordnet / "index.noun", encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, senses = fields[0], int(fields[2])
            lexfile, words, instance = synsets[fields[-senses]]  # the first sense: the most frequent
            if lexfile == PERSON_LEXFILE and not instance and lemma.isalpha() and lemma in words:
                nouns.append(lemma)
    return sorted(nouns)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wordnet", type=Path, nargs="?", default=Path("/usr/share/wordnet"))
    args = ap.parse_args(argv)
    nouns = person_nouns(args.wordnet)
    table = {"source": "WordNet 3.0 (Debian wordnet-base), built by tools/person_nouns.py", "nouns": nouns}
    OUT.write_text(json.dumps(table, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(nouns)} nouns -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
