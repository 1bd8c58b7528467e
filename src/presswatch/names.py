"""Name keys: spellings of one name that news pages treat as interchangeable map to one key.

Russian, Ukrainian and other Cyrillic names reach English pages through several romanisation
systems (BGN/PCGN, ISO 9, passport, Library of Congress, plain habit), so "Yevgeny"/"Evgeny",
"Dmitry"/"Dmitri", "Zelensky"/"Zelenskyy"/"Zelenskiy" and "Khodorov"/"Hodorov" are one name. Rather
than listing known names, `token_key` folds the letters on which those systems disagree, so any
name, including ones never seen before, gets the same key in each spelling. The folds are
deliberately few: each one also makes some unrelated names collide, and a false merge of two
people is worse than a missed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry
from countryinfo import CountryInfo
from unidecode import unidecode

# Honorifics carry no information about who someone is; they are dropped from names.
HONORIFICS = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "madam", "monsieur", "mme", "herr", "frau", "sr", "sra"]
)
# Generational suffixes belong to the name but not to its key (pages drop them freely).
NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])

# Words that head a job title. A capitalised one in front of a name ("Foreign Minister X") is a
# role, not part of the name; one in an apposition ("X, deputy minister of …") marks a role.
ROLE_HEADS = frozenset(
    ["president", "vice-president", "premier", "minister", "secretary", "spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy", "chief", "head", "director", "chairman", "chairwoman", "chairperson", "chair", "leader", "governor", "mayor", "commander", "general", "admiral", "marshal", "colonel", "lieutenant", "captain", "sergeant", "major", "brigadier", "chancellor", "senator", "congressman", "congresswoman", "representative", "deputy", "undersecretary", "king", "queen", "prince", "princess", "emir", "sheikh", "sultan", "pope", "patriarch", "bishop", "archbishop", "cardinal", "imam", "rabbi", "adviser", "advisor", "assistant", "aide", "official", "officer", "diplomat", "delegate", "negotiator", "spokesperson", "correspondent", "editor", "reporter", "journalist", "columnist", "analyst", "researcher", "expert", "professor", "lecturer", "judge", "justice", "prosecutor", "attorney", "lawyer", "counsel", "ceo", "cfo", "coo", "cto", "founder", "co-founder", "owner", "chairman", "executive", "manager", "administrator", "commissioner", "inspector", "superintendent", "ombudsman", "auditor", "speaker", "lawmaker", "legislator", "mp", "mep", "deputy-head", "coordinator", "representative", "rapporteur", "attaché", "attache", "consul", "counsellor", "counselor", "councillor", "councilor", "member", "candidate", "nominee", "economist", "scientist", "historian", "author", "activist", "campaigner", "organiser", "organizer", "lobbyist", "coach", "striker", "goalkeeper", "midfielder", "player", "referee", "master"]
)
# Words that may stand inside a title without heading it ("Deputy Foreign Minister").
ROLE_MODIFIERS = frozenset(
    ["deputy", "vice", "first", "second", "acting", "interim", "former", "ex", "outgoing", "incoming", "chief", "senior", "junior", "foreign", "defence", "defense", "interior", "finance", "justice", "health", "trade", "economy", "economic", "energy", "prime", "under", "assistant", "executive", "general", "principal", "special", "permanent", "presidential"]
)
# The words of a title before a name ("Mr", "Deputy Foreign Minister").
TITLE_WORDS = ROLE_HEADS | ROLE_MODIFIERS | HONORIFICS

# Words a broadcaster's name may open with as well as end with ("Radio New Zealand", "Harbour Radio").
BROADCAST_WORDS = frozenset(["radio", "tv", "television"])
# Words that end a news outlet's name ("Lerin Coast Online", "Harbour Radio", "The Caldrun
# Gazette"): such a name is an organisation whatever the model typed, a place's head noun before
# it ("Coast") notwithstanding.
MEDIA_WORDS = BROADCAST_WORDS | frozenset(
    ["news", "press", "times", "post", "herald", "journal", "gazette", "courier", "wire", "ledger", "tribune", "telegraph", "online", "broadcasting"]
)
# Words that close the name of a carrier or a transport service ("Nordvik Line", "Saltreach
# Ferries", "Baltavia Air", "Lerin Link"): such a name is an organisation whatever the model typed,
# as an outlet's is, unless the text calls it a facility ("the Lerin Link, an undersea power
# cable"). The small model types them a place (a route's name reads like one) or, saying
# something, a person. Not "ferry" (a vessel's name as often) nor a lone word ("Air").
SERVICE_WORDS = frozenset(["link", "line", "lines", "express", "ferries", "air", "airlines", "airways", "rail", "railways", "shipping"])
# Words that head an organisation's name: a span ending in one of them is an organisation even
# when the small NER model typed it as a person. Not the words a broadcaster's name opens with:
# the rules that look back from an organisation word for a person after it would cut "Radio" off
# "Radio New Zealand".
ORG_HEADS = (MEDIA_WORDS - BROADCAST_WORDS) | SERVICE_WORDS | frozenset(
    ["ministry", "department", "office", "agency", "service", "services", "council", "committee", "commission", "union", "organization", "organisation", "alliance", "federation", "confederation", "association", "syndicate", "consortium", "cooperative", "trust", "party", "bank", "fund", "court", "parliament", "assembly", "senate", "congress", "government", "administration", "army", "navy", "force", "forces", "guard", "police", "corporation", "company", "group", "institute", "institution", "university", "school", "academy", "foundation", "society", "league", "movement", "front", "coalition", "network", "authority", "board", "bureau", "directorate", "secretariat", "tribunal", "cabinet", "duma", "rada", "knesset", "staff", "command", "brigade", "battalion", "regiment", "club", "fc", "athletic", "united", "rovers", "division", "theatre", "theater", "museum", "library", "hospital"]
)
# Common nouns a name modifies as the name of a body ("the Halsted company", "a Varrow club
# spokesman"), never as a person's (`nlp.name_types`).
BODY_NOUNS = frozenset(["company", "firm", "group", "club", "bank", "corporation", "conglomerate", "consortium", "carrier", "airline", "brewery"])
# What a business is called, which no person is ("the largest employer in the valley", "a textile
# maker"), though WordNet's first sense of "employer" or "producer" is a person (`nlp.roles`).
BUSINESS_NOUNS = BODY_NOUNS | frozenset(["employer", "business", "manufacturer", "producer", "supplier", "retailer"])
# Words that head a place's name ("Free City of Caldrun", "Lerin Strait"): such a name is no
# person, whatever role the text gives it. Not words that end surnames as often ("Lane", "Hill",
# "Wood", "Park": CoNLL train ends 3, 11, 3 and 1 person names with them).
PLACE_HEADS = frozenset(
    ["city", "town", "village", "port", "point", "cove", "fjord", "beach", "isle", "cape", "republic", "kingdom", "state", "states", "island", "islands", "province", "region", "county", "district", "territory", "bay", "strait", "sea", "ocean", "gulf", "river", "lake", "mountain", "mountains", "valley", "coast", "peninsula", "quay", "harbour", "harbor", "square", "street", "avenue", "road", "bridge", "parade", "promenade", "esplanade", "quarry", "pier", "wharf"]
)
# Words that open the name of a storm ("Storm Hettie", "Hurricane Ida"): an event, which names no
# person nor body, though its second word is often a given name.
NAMED_WEATHER = frozenset(["storm", "hurricane", "typhoon", "cyclone"])
# Words that add nothing to an organisation's identity when comparing two of its names
# ("Ministry of Foreign Affairs" and "Foreign Ministry" are one name, as are "State Department"
# and "Department of State").
_ORG_FILLER = frozenset(["the", "of", "and", "for", "on", "in", "at", "a", "an", "affairs", "'s"])

_NON_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
# Endings shared by a place and its demonym ("Tarsenia"/"Tarsenian", "Pakistan"/"Pakistani"); "ani"
# is a place in -any once token_key has made its y an i ("Drevany"/"Drevan", "Germany"/"German").
# "-ania", "-anian" go whole, so that a place in -ania and a demonym in -an ("Selvania"/"Selvan"),
# or a place in -an and a demonym in -anian ("Jordan"/"Jordanian"), share the stem as "Albania"/
# "Albanian" still do; the pairs this links on the CoNLL train half are in MEASUREMENTS.md.
_DEMONYM_ENDINGS = ("anians", "anian", "ania", "ians", "ian", "ia", "ans", "ani", "an", "ese", "ish", "i", "a")


def fold(text: str) -> str:
    """ASCII transliteration with typographic apostrophes and dashes made plain."""
    return unidecode(text or "").replace("`", "'")


def tokens(name: str) -> list[str]:
    """The words of a name, transliterated, with possessive endings removed."""
    words = []
    for raw in _TOKEN.findall(fold(name)):
        word = re.sub(r"'s$|'$", "", raw).strip(".-'")
        if word:
            words.append(word)
    return words


# The mention rules key the same few hundred words and names of an article many times over (a
# name's key per rule that compares it); keyed once each, within a bound.
_KEYS_KEPT = 1 << 16


@lru_cache(maxsize=_KEYS_KEPT)
def token_key(word: str) -> str:
    """One word's transliteration-folded key; see the module docstring for why these folds."""
    t = _NON_LETTER.sub("", fold(word).lower())
    t = t.replace("kh", "h").replace("tch", "ch").replace("tz", "ts").replace("x", "ks")
    t = t.replace("y", "i")  # -y/-i/-iy/-ii endings, ya/ia, yu/iu, yo/io
    t = t.replace("ie", "e")  # ye/e once y is i: Yevgeny/Evgeny, Dostoyevsky/Dostoevsky
    return _DOUBLED.sub(r"\1", t)  # double letters: Zelenskyy, Kirill/Kiril, Gennady/Genady


@lru_cache(maxsize=_KEYS_KEPT)
def name_key(name: str) -> str:
    """The key of a whole name: its words' keys in order, honorifics and suffixes dropped."""
    words = [w for w in tokens(name) if w.lower() not in HONORIFICS]
    while len(words) > 1 and words[-1].lower() in NAME_SUFFIXES:
        words.pop()
    return " ".join(k for k in map(token_key, words) if k)


def joint_name(names: list[str]) -> str:
    """The one speaker name of people who spoke together: "Anna Kask and Bengt Oyen",
    "Anna Kask, Bengt Oyen and Pavel Orlov" (`joint_speakers` reads it back)."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def joint_speakers(name: str) -> list[str]:
    """The names a joint speaker name is made of; a name with no " and " is one. A body's own name
    with "and" in it ("Marks and Spencer") splits too, so a caller tries the whole name first."""
    first, sep, last = name.rpartition(" and ")
    return [*first.split(", "), last] if sep else [name]


@dataclass(frozen=True)
class PersonKey:
    """A person's name split for comparison: given names (keys) and the surname's key."""

    given: tuple[str, ...]
    surname: str

    @classmethod
    def parse(cls, key: str) -> PersonKey:
        parts = key.split()
        return cls(tuple(parts[:-1]), parts[-1] if parts else "")

    @property
    def is_bare(self) -> bool:
        return not self.given


def given_compatible(a: PersonKey, b: PersonKey) -> bool:
    """Whether two people with one surname can be the same person, judged by their given names.

    The first given names must agree (an initial agrees with any name it starts); middle names
    (patronymics) are often left out, so one side may lack them, but when both give one they
    must agree as well.
    """
    if a.surname != b.surname:
        return False
    if a.is_bare or b.is_bare:
        return True
    return all(_part_compatible(x, y) for x, y in zip(a.given, b.given))


def _part_compatible(x: str, y: str) -> bool:
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return x == y


def is_acronym(text: str) -> bool:
    """An acronym as pages write one: 2–8 letters, mostly capitals ("NMA", "LMTO", "SelCom")."""
    letters = re.sub(r"[.\-&]", "", text)
    return 2 <= len(letters) <= 8 and letters.isalpha() and sum(c.isupper() for c in letters) >= len(letters) - 1 and letters[0].isupper()


def acronym_fits(acronym: str, expansion: str) -> bool:
    """Whether the letters of `acronym` can be read off the words of `expansion`, in order.

    Every content word gives the acronym its first letter, optionally followed by later letters
    of the same word ("SELCOM" from "SELvan COMmunications", "LMTO" from "Lerin Maritime Treaty
    Organisation"); fillers ("of", "the") may give their initial or nothing. Hand-written
    (a small memoised search) because the well-known greedy Schwartz–Hearst matcher lets one
    long word swallow letters that belong to its neighbours, and the package that ships it
    (scispacy) is far too heavy a dependency for this.
    """
    short = acronym_letters(acronym)
    # (word, optional): fillers, and the parts after a hyphen ("Co-operation"), may give nothing.
    words: list[tuple[str, bool]] = []
    for chunk in re.split(r"[\s/]+", fold(expansion).lower()):
        parts = [re.sub(r"[^a-z]", "", p) for p in chunk.split("-")]
        parts = [p for p in parts if p]
        words += [(p, n > 0 or p in _ORG_FILLER) for n, p in enumerate(parts)]
    if not short or not words:
        return False

    @cache
    def fits(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(short)
        word, optional = words[w]
        if optional and fits(i, w + 1):
            return True
        if i == len(short) or word[0] != short[i]:
            return False
        for extra in range(len(short) - i):
            if extra and not _is_subsequence(short[i + 1 : i + 1 + extra], word[1:]):
                break
            if fits(i + 1 + extra, w + 1):
                return True
        return False

    return fits(0, 0)


def _is_subsequence(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(c in letters for c in needle)


def acronym_letters(acronym: str) -> str:
    return re.sub(r"[^a-z]", "", fold(acronym).lower())


def initials(name: str) -> str:
    """The acronym a name spells in the plainest way: its content words' first letters."""
    return "".join(w[0].lower() for w in tokens(name) if w.lower() not in _ORG_FILLER)


@lru_cache(maxsize=_KEYS_KEPT)
def demonym_stem(word_key: str) -> str:
    """Shared stem of a place and its demonym ("tarsenia"/"tarsenian" -> "tarsen").

    Words share a stem by their endings, unless the country data (pycountry, countryinfo) knows
    the word and says the stem is another country's too: "Mauritian" (Mauritius's people) and
    "Mauritania" both spell "maurit", so each takes its own country's stem instead ("mauritius",
    which "Mauritius" has; "=MRT", which "Mauritanian" has). The invented names of fiction, and
    most words of the news, go by their endings."""
    own = _spelled_stem(word_key)
    codes = _known_countries_of(word_key)
    if not codes or _stem_is_theirs(own, codes):
        return own
    if len(codes) == 1:
        return _country_stem(next(iter(codes)))
    return "=" + "/".join(sorted(codes))


def _spelled_stem(word_key: str) -> str:
    for ending in _DEMONYM_ENDINGS:
        if word_key.endswith(ending) and len(word_key) - len(ending) >= 4:
            return word_key[: -len(ending)]
    return word_key


def _known_countries_of(word_key: str) -> frozenset[str]:
    """The ISO codes of the country a name key names, or of the countries whose people a demonym
    key ("mauritian", also the plural "mauritians") names; empty for a word the data does not know."""
    country_keys, demonym_keys = _country_word_keys()
    if word_key in country_keys:
        return frozenset([country_keys[word_key]])
    return demonym_keys.get(word_key) or demonym_keys.get(word_key.removesuffix("s"), frozenset())


def _country_stem(code: str) -> str:
    """A country's stem: the spelled stem of its common name ("ukraine", "jord"), unless a word of
    another country spells to it too; then its code ("=MRT": "Mauritian" spells "maurit" too)."""
    stem = _spelled_stem(name_key(_countries()[4].get(code, "")))  # a historic country has no common name here
    return stem if stem and _stem_is_theirs(stem, frozenset([code])) else "=" + code


def _stem_is_theirs(stem: str, codes: frozenset[str]) -> bool:
    """Whether every country name and demonym that spells to `stem` names one of `codes`."""
    return all(theirs & codes for theirs in _stem_claims().get(stem, ()))


@cache
def _country_word_keys() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Name keys of every country name (-> its code) and of every demonym (-> its countries' codes)."""
    country_keys = {name_key(name): code for name, code in _countries()[0].items()}
    demonym_keys: dict[str, set[str]] = {}
    for demonym, codes in _countries()[3].items():
        demonym_keys.setdefault(name_key(demonym), set()).update(codes)
    return {k: c for k, c in country_keys.items() if k}, {k: frozenset(c) for k, c in demonym_keys.items() if k}


@cache
def _stem_claims() -> dict[str, list[frozenset[str]]]:
    """Spelled stem -> the countries of each country name and demonym that spells to it."""
    claims: dict[str, list[frozenset[str]]] = {}
    country_keys, demonym_keys = _country_word_keys()
    for key, code in country_keys.items():
        claims.setdefault(_spelled_stem(key), []).append(frozenset([code]))
    for key, codes in demonym_keys.items():
        claims.setdefault(_spelled_stem(key), []).append(codes)
    return claims


def org_head(name: str) -> str | None:
    """The word that says what kind of body a name is: the last organisation word before any
    "of" ("Ministry" in "Foreign Ministry of the Selvan Federation"), else the last one."""
    words = [w.lower() for w in tokens(name)]
    if "of" in words:
        before = [w for w in words[: words.index("of")] if w in ORG_HEADS]
        if before:
            return before[-1]
    heads = [w for w in words if w in ORG_HEADS]
    return heads[-1] if heads else None


def truncates(short: str, full: str) -> bool:
    """Whether the name `short` is `full` cut short, as a second mention shortens a body or place:
    before its "of" ("Free City" of "Free City of Caldrun", "Foreign Ministry" of "Foreign Ministry
    of Varnia"), or before the one head noun a headless name leaves out ("Inter-Island Ferry" of
    "Inter-Island Ferry Company"). Two words at least; a name with a head of its own is no cut of a
    longer one ("European Union" of "European Union Council"), nor one more words follow
    ("United Nations" of "United Nations Security Council")."""
    short_words, full_words = [w.lower() for w in tokens(short)], [w.lower() for w in tokens(full)]
    n = len(short_words)
    if not 2 <= n < len(full_words) or [token_key(w) for w in full_words[:n]] != [token_key(w) for w in short_words]:
        return False
    rest = full_words[n:]
    return rest[0] == "of" or (len(rest) == 1 and rest[0] in ORG_HEADS | PLACE_HEADS
                               and short_words[-1] not in ORG_HEADS | PLACE_HEADS)


def org_bag(name: str) -> frozenset[str]:
    """An organisation name as a set of word stems: word order, fillers and demonym endings aside.

    "Varnian Foreign Ministry", "Ministry of Foreign Affairs of Varnia" and "Varnia's Ministry of
    Foreign Affairs" all become {varn, foreign, ministr}; a hyphenated word counts as its parts, so
    "Anti-Corruption Bureau" and "Anti Corruption Bureau" are one bag.
    """
    return frozenset(
        demonym_stem(token_key(part))
        for w in tokens(name) if w.lower() not in _ORG_FILLER
        for part in w.split("-") if token_key(part)
    )


# -- countries ------------------------------------------------------------------------------------


def _country_key(name: str) -> str:
    """ "the U.S." / "US" / "Russian Federation" -> "us" / "us" / "russian federation"."""
    text = re.sub(r"\s+", " ", fold(name).replace(".", "").strip().lower())
    return text.removeprefix("the ")


@cache
def _countries() -> tuple[dict[str, str], dict[str, str], frozenset[str], dict[str, frozenset[str]], dict[str, str]]:
    """Names of countries (key -> ISO 3166 alpha-3), their codes (for names written in capitals
    only: "US", "UK", "RUS"), their capitals (keys), their peoples' demonyms ("french" -> the
    codes of the countries it names) and each code's common name ("RUS" -> "Russia").

    pycountry gives the ISO names (short, official, common: "Russian Federation", "United States
    of America", "Viet Nam"); countryinfo adds the names news uses that ISO leaves out ("Russia",
    "Turkey", "UK", "Great Britain") and each country's capital.
    """
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    demonyms: dict[str, set[str]] = {}
    common: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(country, attr, None):
                names[_country_key(getattr(country, attr))] = country.alpha_3
        codes[country.alpha_2.lower()] = codes[country.alpha_3.lower()] = country.alpha_3
    for country in pycountry.historic_countries:  # "USSR", "Yugoslavia": still in the news
        for name in country.name.split(", "):
            names.setdefault(_country_key(name), country.alpha_3)
    capitals = set()
    for info in CountryInfo.all().values():
        alpha_3 = (info.get("ISO") or {}).get("alpha3")
        if not alpha_3:
            continue
        for name in [info.get("name"), *(info.get("altSpellings") or [])]:
            if not name:
                continue
            if re.fullmatch(r"[A-Z]{2,3}", name):
                codes.setdefault(name.lower(), alpha_3)
            else:
                names.setdefault(_country_key(name), alpha_3)
        common.setdefault(alpha_3, info.get("name") or "")
        for demonym in re.split(r"[,/]", (info.get("demonym") or "").lower()):  # "antiguan,barbudan"
            if demonym.strip():
                demonyms.setdefault(demonym.strip(), set()).add(alpha_3)
        capital = info.get("capital")
        for city in capital if isinstance(capital, list) else [capital]:  # a few countries list several
            if city:
                capitals.add(_country_key(city))
    for country in pycountry.countries:
        if not common.get(country.alpha_3):
            common[country.alpha_3] = getattr(country, "common_name", None) or country.name
    return names, codes, frozenset(capitals), {d: frozenset(c) for d, c in demonyms.items()}, common


def country_code(name: str) -> str | None:
    """The ISO 3166 alpha-3 code of a country named any common way, else None.

    A two- or three-letter code counts only written in capitals ("US", "UK"), so that "us" or
    "Can" never become countries."""
    names, codes = _countries()[:2]
    key = _country_key(name)
    if key in names:
        return names[key]
    letters = fold(name).replace(".", "").strip()
    return codes.get(key) if re.fullmatch(r"[A-Z]{2,3}", letters) else None


def is_capital(name: str) -> bool:
    """Whether a name is a country's capital city ("Yerevan", "Moscow")."""
    return _country_key(name) in _countries()[2]


def is_demonym(word: str) -> bool:
    """Whether a word names a country's people ("French", "Dutch", "Swiss")."""
    return word.lower() in _countries()[3]


# Scripts whose letters fold to Latin as names are spelled on English pages (Latin, Greek,
# Cyrillic): "Аркадий" -> "Arkadii", the key of "Arkady". Other scripts transliterate into
# syllables no English page spells a name by.
_ROMANISED_SCRIPTS = re.compile(r"^[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff'’-]+$")


@cache
def _given_name_keys() -> frozenset[str]:
    """The keys of the given names of Faker's person providers, every locale written in a script
    of `_ROMANISED_SCRIPTS` (about 20,000 names: Nordic, Baltic, Slavic, German, Romance, English
    ...), less the keys of a country's or a capital's one-word name ("Jordan", "Chyna", "Victoria").

    Why Faker: it is the offline list of given names most widely kept up (monthly releases, each
    locale's names written by its speakers), shipped on PyPI under the MIT licence. The other
    offline sources are narrower: the CoNLL train half's 618 names (`name_gazetteer`), the `names`
    package's US census lists (2013), gender-guesser's 2007 dictionary; and the small spaCy model
    has neither word probabilities nor vectors, nor a person score for a word on its own."""
    import faker.providers.person as person
    from importlib import import_module
    from pkgutil import iter_modules

    found: set[str] = set()
    for module in iter_modules(person.__path__):
        provider = getattr(import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names = vars(provider).get(attribute) if provider is not None else None
            if isinstance(names, (list, tuple, dict, set, frozenset)):
                found.update(n for n in names if isinstance(n, str) and _ROMANISED_SCRIPTS.match(n))
    names, _, capitals = _countries()[:3]
    places = {token_key(name) for name in (*names, *capitals) if " " not in name}
    return frozenset(map(token_key, found)) - places - {""}


def is_given_name(word: str) -> bool:
    """Whether a word is a known given name in any common spelling ("Dagny", "Yevgeny"/"Evgeny")."""
    return token_key(word) in _given_name_keys()


def opens_with_a_given_name(name: str) -> bool:
    """Whether a name of two or more words opens with a known given name and holds no body's or
    place's word ("Dagny Holt"; not "Anna Fund", "Clara Bay"): a person's full name, where the
    model's types of it are tied."""
    words = tokens(name)
    return len(words) >= 2 and is_given_name(words[0]) and not {w.lower() for w in words} & (ORG_HEADS | PLACE_HEADS)


# How an outlet's name joins its short and long forms: "SPT - Selvan Public Television".
_OUTLET_PARTS = re.compile(r"\s+[-–—|:]\s+")


def outlet_parts(outlet: str | None) -> list[str]:
    """An outlet's name and, where it joins a short and a long form, each of them: "SPT - Selvan
    Public Television", "SPT", "Selvan Public Television"."""
    return [outlet or "", *_OUTLET_PARTS.split(outlet or "")]


def outlet_tails(parts: list[str]) -> dict[str, str]:
    """The short forms of an outlet's names that pages use ("told the Gazette" for The Caldrun
    Gazette, "the Evening Post" for the Saltreach Evening Post), by key without "the": the words
    closing a name of two words or more, ending in a media word, each with the name it stands
    for. A tail ending otherwise ("Quay" of "Lantern & Quay") may name anything."""
    tails = {}
    for part in filter(None, (p.strip() for p in parts)):
        words = name_key(part).removeprefix("the ").split()
        if len(words) >= 2 and part.split()[-1].lower() in MEDIA_WORDS:
            for size in range(1, len(words)):
                tails.setdefault(" ".join(words[-size:]), part)
    return tails
