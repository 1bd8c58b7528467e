"""Cross-article entity resolution: which names, across all articles, denote one entity.

The unit is a *name node*: a name as written (its key) together with what it stood for in its
article ("Lomatsky" standing for "Yevgeny Lomatsky"). There is one node per distinct pair, however
many articles use it, so resolution works on distinct names, never on mentions, and its memory is
bounded by the vocabulary of names rather than the size of the corpus.

Nodes are joined by rules, each cheap because it only compares nodes within a block (one key,
one surname, one acronym, one organisation word); no rule looks at all pairs:
1. nodes with one name key are one entity (transliteration variants share a key), and so are
   the names of one country ("US" / "United States" / "U.S.", "Russia" / "Russian Federation",
   by ISO 3166 through pycountry and countryinfo) and the names of one outlet the corpus has
   articles from ("the Courier" on another outlet's page, "The Skelby Courier");
2. a person name with initials or without a middle name joins the one fuller compatible name;
3. organisation names with the same words in another order are one ("Ministry of Foreign
   Affairs of X" / "X Foreign Ministry");
4. an acronym used without definition joins the one expansion defined or spelled anywhere;
5. a bare surname, or a shortened organisation or place name (fewer words of the same kind of
   body, or the name cut short: "Free City" of "Free City of Caldrun"), used in an article with no
   fuller form joins the one compatible full name in the corpus, and only when the two share context (a
   co-occurring person or organisation, or a role word); with two candidates it stays apart.
Every join records why, and the user's decisions (merge, split) override the rules.

Every rule compares only nodes that share a key of `block_keys`, so a set of nodes closed under
shared keys resolves alone exactly as it does within all nodes: an update resolves only the
closure of the nodes its mentions touched and of the names closing in the last word of a touched
article's outlet (engine/entities.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from presswatch.names import (
    MEDIA_WORDS,
    PersonKey,
    acronym_letters,
    country_code,
    demonym_stem,
    given_compatible,
    initials,
    is_acronym,
    name_key,
    opens_with_a_given_name,
    org_bag,
    org_head,
    outlet_parts,
    outlet_tails,
    truncates,
)
from presswatch.records import NATIONALITY, ORGANIZATION, PERSON, PLACE

# A block larger than this is too common a word to decide anything by (and is skipped).
MAX_BLOCK = 200


@dataclass
class NameNode:
    id: int
    type: str
    own_key: str
    link_key: str
    name: str  # the name as written
    link_name: str  # what it stood for in its article
    mentions: int = 1
    evidenced: int = 0  # mentions typed on evidence in the text or the data, not by the model alone
    retyped_from: str | None = None
    type_reason: str | None = None  # why the corpus gave it its type, when its mentions disagree  # the type its mentions had, when most mentions say otherwise
    link_reason: str | None = None  # why it stands for its link name, where resolution linked it (`_link_outlets`)


@dataclass(frozen=True)
class Decision:
    """A user's ruling: "merge" two names into one entity, or "split" one name off on its own."""

    action: str
    name: str
    other: str | None = None


@dataclass(frozen=True)
class Join:
    a: int  # node ids
    b: int
    reason: str
    by: str  # "rule" | "user"


@dataclass
class Resolution:
    entity_of: dict[int, str]  # node id -> entity id
    entities: dict[str, tuple[str, str]]  # entity id -> (type, canonical name)
    joins: list[Join] = field(default_factory=list)


class _Components:
    """Union-find whose components carry split tags: a component holding a name the user split
    off only joins components that hold the same tag, so no chain of rules can undo a split."""

    def __init__(self, ids: Iterable[int], tag_of: dict[int, frozenset[str]]):
        self.parent = {i: i for i in ids}
        self.tags = {i: tag_of.get(i, frozenset()) for i in self.parent}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (not force and self.tags[ra] != self.tags[rb]):
            return False
        self.parent[rb] = ra
        self.tags[ra] = self.tags[ra] | self.tags[rb]
        return True


def resolve(
    nodes: list[NameNode],
    decisions: Iterable[Decision] = (),
    context: Callable[[int], frozenset[str]] | None = None,
    outlets: Iterable[str] = (),
) -> Resolution:
    """Group name nodes into entities. `context(node_id)` gives the co-occurring names and role
    words of a node's articles; without it, bare names never join across articles. `outlets` are
    the names of the outlets the corpus's articles come from: a name of one in any article is
    that outlet (`_link_outlets`)."""
    by_id = {n.id: n for n in nodes}
    _link_outlets(nodes, outlets)
    _reconcile_types(nodes)
    splits, merges = _effective_decisions(decisions)
    tag_of: dict[int, frozenset[str]] = {}
    for node in nodes:
        tags = frozenset(k for k in (node.own_key, node.link_key) if k in splits)
        if tags:
            tag_of[node.id] = tags
    components = _Components(by_id, tag_of)
    joins: list[Join] = []

    def join(a: NameNode, b: NameNode, reason: str, by: str = "rule") -> None:
        if components.union(a.id, b.id, force=by == "user"):
            joins.append(Join(a.id, b.id, reason, by))

    _join_same_key(nodes, join)
    _join_countries([n for n in nodes if n.type == PLACE], join)
    people = [n for n in nodes if n.type == PERSON]
    _join_person_variants(people, join)
    orgs = [n for n in nodes if n.type == ORGANIZATION]
    _join_org_word_orders(orgs, join)
    _join_acronyms(orgs, join, components)
    if context is not None:
        _join_bare_people(people, join, components, context)
        _join_short_names(orgs, join, components, context)
        _join_short_names([n for n in nodes if n.type == PLACE], join, components, context)
    for split_key in splits:
        group = [n for n in nodes if split_key in (n.own_key, n.link_key)]
        for other in group[1:]:
            join(group[0], other, f"kept together when the user split off {group[0].name!r}", by="user")
    for a_key, b_key, a_name, b_name in merges:
        named = [n for n in nodes if a_key in (n.own_key, n.link_key) or b_key in (n.own_key, n.link_key)]
        for node in named[1:]:
            join(named[0], node, f"merged by the user ({a_name!r} = {b_name!r})", by="user")
    return _entities(nodes, components, joins)


def block_keys(node: NameNode, link_types: Iterable[str]) -> frozenset[str]:
    """Every key by which a rule here can relate this node to another, whatever type it ends up
    with. `link_types` are the types of every node with its link key: `_reconcile_types` can give
    it any of them, or make a single word a place. Keys: its own and link key (type votes,
    same-key groups, entity ids), last word (surname blocks, the surnames a lone word is checked
    against), demonym stem, country; and for a name that can be a body or place, its first word
    (lone words of longer names), acronym letters or initials, and organisation words. Two nodes
    that share no key are never compared; a rule added here must add its block to these keys."""
    words = node.link_key.split() or [""]
    keys = {"link:" + node.link_key, "own:" + node.own_key, "dem:" + demonym_stem(node.link_key),
            "word:" + words[-1]}
    code = country_code(node.link_name)
    if code is not None:
        keys.add("country:" + code)
    if len(words) == 1 or {ORGANIZATION, PLACE} & {node.type, *link_types}:
        keys.add("word:" + words[0])
        for text in (node.name, node.link_name):
            keys.add("letters:" + (acronym_letters(text) if is_acronym(text) else initials(text)))
            keys.update("bag:" + w for w in org_bag(text))
    return frozenset(keys)


# -- rules ----------------------------------------------------------------------------------------


def _link_outlets(nodes: list[NameNode], outlets: Iterable[str]) -> None:
    """A name of an outlet the corpus has articles from stands for that outlet in every article,
    as the page's own outlet does on its pages (`name_types.type_the_outlet`): "the Skelby
    Courier" or "the Courier" on another outlet's page is The Skelby Courier. A name standing for
    nothing else whose key, "the" aside, is one of an outlet's names, or the short form closing
    one in a media word (`outlet_tails`) of that one outlet alone, links to that outlet's name. A
    short form, or an outlet's one-word name with no media word ("Goalmouth", which may name a
    place too), only where the name is typed a body already; a longer name typed a place becomes
    a body (one typed a person is left alone: its block keys have no body's, `block_keys`).
    Every node so linked shares its last word with the outlet's name (`block_keys`), so an update
    resolves them together (`engine.entities` seeds the closure with the touched articles' outlets)."""
    named: dict[str, set[str]] = defaultdict(set)  # key without "the" -> names of outlets
    short: dict[str, set[str]] = defaultdict(set)
    for outlet in outlets:
        parts = [p.strip() for p in outlet_parts(outlet) if p.strip()]
        for part in parts:
            named[name_key(part).removeprefix("the ")].add(part)
        for tail, part in outlet_tails(parts).items():
            short[tail].add(part)
    for node in nodes:
        key = node.own_key.removeprefix("the ")
        if node.own_key != node.link_key or key not in named and key not in short:
            continue
        full = key in named
        parts = named[key] if full else short[key]
        if len(parts) != 1 or node.type != ORGANIZATION and not (
                node.type == PLACE and full and (" " in key or key.split()[-1] in MEDIA_WORDS)):
            continue
        part = next(iter(parts))
        if node.type != ORGANIZATION:
            node.retyped_from, node.type = node.type, ORGANIZATION
            node.type_reason = f"organization as the name of the outlet {part!r}"
        if name_key(part) != node.own_key:
            node.link_key, node.link_name = name_key(part), part
            node.link_reason = f"{node.name!r} names the outlet {part!r}"


def _reconcile_types(nodes: list[NameNode]) -> None:
    """One name typed two ways across articles takes the type the corpus's evidence supports.

    Mentions typed on evidence (where the text puts a name, its head noun, a role, the country
    data: `Mention.type_evidence`) vote first, as they do within an article: "talks in Vyshtal" in
    one article outweighs "Vyshtal would never accept" typed a body by the model in three. Where
    no type has more evidence than another, most mentions decide. A full name never becomes a
    nationality (demonyms are single words); on a tie a single word is taken for a place or body
    rather than a person, as the model over-predicts people, and any other tie goes to the type
    of the longer names that open or close with it, else by a fixed order (`_type_vote`), so a
    name is one entity whatever its count. Each retyped node keeps the reason.
    """
    demonyms = {demonym_stem(n.link_key): n.link_key for n in nodes if n.type == NATIONALITY and " " not in n.link_key}
    for node in nodes:
        stem = demonym_stem(node.link_key)
        if node.type in (ORGANIZATION, PERSON) and " " not in node.link_key and demonyms.get(stem, node.link_key) != node.link_key:
            node.retyped_from, node.type = node.type, PLACE  # the country of a demonym seen in the corpus
            node.evidenced = node.mentions
            node.type_reason = f"place as the country of {demonyms[stem]!r}, a demonym in the corpus"
    votes: dict[str, Counter] = defaultdict(Counter)
    counts: dict[str, Counter] = defaultdict(Counter)  # the mentions alone, as the reason counts them
    evidence: dict[str, Counter] = defaultdict(Counter)
    surnames = set()
    for node in nodes:
        votes[node.link_key][node.type] += node.mentions
        counts[node.link_key][node.type] += node.mentions
        evidence[node.link_key][node.type] += node.evidenced
        if node.type == PERSON and len(node.link_key.split()) > 1:
            surnames.add(node.link_key.split()[-1])
    # A lone "person" word that is the first or last word of longer names of one other type
    # ("Kestrel" of "Kestrel News Agency") votes with them.
    for node in nodes:
        words = node.link_key.split()
        if node.type in (ORGANIZATION, PLACE) and len(words) > 1:
            for word in {words[0], words[-1]}:
                if word in votes and PERSON in votes[word] and word not in surnames:
                    votes[word][node.type] += 0.5
    framing = _framing_types(nodes, {key for key, types in votes.items() if len(types) > 1})
    decided: dict[str, tuple[str, str]] = {}
    for node in nodes:
        key = node.link_key
        if len(votes[key]) < 2:
            continue
        if key not in decided:
            decided[key] = _type_vote(votes[key], counts[key], evidence[key], framing[key], single=" " not in key,
                                      surname=key in surnames, given=opens_with_a_given_name(node.link_name))
        best, reason = decided[key]
        single = len(key.split()) == 1
        if best != node.type and (single or NATIONALITY not in (best, node.type)):
            node.retyped_from, node.type = node.type, best
        if best == node.type:
            node.type_reason = reason


# The order that settles a tie nothing else decides: a place before a body (a capital or a
# country often stands for its government: "Vyshtal would never accept"), a body before a
# person (the model over-predicts people), a nationality last (only single words can be one).
_TIE_ORDER = (PLACE, ORGANIZATION, PERSON, NATIONALITY)


def _framing_types(nodes: list[NameNode], keys: set[str]) -> dict[str, Counter]:
    """For each of `keys`, the mentions by type of the longer names that close with its words
    ("Ledger" in "The Harbour Ledger") or, for a body or place, open with them ("Lerin" in
    "Lerin Strait"): only those share a block key with it (`block_keys`: every name's last word,
    a body's or place's first), so an update's closure counts the same names as a rebuild."""
    framing: dict[str, Counter] = defaultdict(Counter)
    for node in nodes:
        words = node.link_key.split()
        for size in range(1, len(words)):
            runs = {" ".join(words[-size:])} | ({" ".join(words[:size])} if node.type in (ORGANIZATION, PLACE) else set())
            for run in runs & keys:
                framing[run][node.type] += node.mentions
    return framing


def _type_vote(votes: Counter, counts: Counter, evidence: Counter, framing: Counter, *, single: bool, surname: bool,
               given: bool = False) -> tuple[str, str]:
    """The type of a name typed two ways, and why, in the words an entity's
    page shows: of the types with most mentions typed on evidence, the one with most votes; on a
    tie, a person where the name opens with a given name (`given`: the model types unfamiliar
    full names a body as often as a person), else the type of most mentions of the longer names
    that open or close with it, else the first in `_TIE_ORDER`, so that one name is never split
    in two entities by its type alone."""
    most = max(evidence.values(), default=0)
    candidates = [t for t in votes if evidence[t] == most]
    ranked = sorted(candidates, key=lambda t: -votes[t])
    tied = [t for t in ranked if votes[t] == votes[ranked[0]]]
    if PERSON in tied and single and (len(tied) > 1 or not surname):
        # A lone word never given a first name anywhere, and typed otherwise elsewhere, is
        # taken for what the other mentions say; the model over-predicts people.
        tied = [t for t in ranked if t != PERSON][:1] or tied
    tie = ""
    if len(tied) > 1 and given and PERSON in tied:
        tied = [PERSON]
        tie = "; the tie decided by its first word, a given name"
    if len(tied) > 1:
        widest = max(framing[t] for t in tied)
        framed = [t for t in tied if framing[t] == widest]
        if widest and len(framed) == 1:
            tie = f"; the tie decided by the longer names that open or close with it ({_mentions(widest)} {framed[0]})"
        else:
            framed = [min(tied, key=_TIE_ORDER.index)]
            tie = f"; the tie decided by the fixed order {', '.join(t for t in _TIE_ORDER if t in tied)}"
        tied = framed
    best = tied[0]
    others = "; ".join(f"{t} in {_mentions(counts[t])}" + (f", {evidence[t]} on evidence" if evidence[t] else ", by the model alone")
                       for t in sorted(votes, key=lambda t: -votes[t]) if t != best and counts[t])
    why = (f"{best} on the evidence of {_mentions(evidence[best])} in the text" if most and len(candidates) < len(votes)
           else f"{best} in most of its mentions ({counts[best]})" if not tie
           else f"{best} in as many of its mentions ({counts[best]}) as another type")
    return best, why + tie + (f"; {others}" if others else "")


def _mentions(n: int) -> str:
    return f"{n} mention" + ("s" if n != 1 else "")


def _join_same_key(nodes: list[NameNode], join) -> None:
    groups: dict[tuple[str, str], list[NameNode]] = defaultdict(list)
    for node in nodes:
        groups[(node.type, node.link_key)].append(node)
    for group in groups.values():
        # The node that is its own full form anchors the group, so reasons read naturally; one
        # linked by its article before one linked by resolution.
        group.sort(key=lambda n: (n.own_key != n.link_key, n.link_reason is not None, -n.mentions))
        anchor = group[0]
        for node in group[1:]:
            if node.link_reason:
                reason = node.link_reason
            elif node.own_key != node.link_key:
                reason = f"{node.name!r} stands for {node.link_name!r} in the same article"
            elif node.name == anchor.name:
                reason = f"one name typed two ways: {anchor.type_reason or anchor.type + ' in most of its mentions'}"
            else:
                reason = f"{node.name!r} and {anchor.name!r} are spellings of one name (key {node.link_key!r})"
            join(anchor, node, reason)


def _join_countries(places: list[NameNode], join) -> None:
    anchor: dict[str, NameNode] = {}
    for node in sorted(places, key=lambda n: -n.mentions):
        code = country_code(node.link_name)
        if code is None:
            continue
        if code in anchor:
            join(anchor[code], node, f"{node.name!r} and {anchor[code].name!r} name one country (ISO 3166 {code})")
        else:
            anchor[code] = node


def _full_people(people: list[NameNode]) -> dict[str, list[str]]:
    """Surname key -> distinct full-name keys with that surname (the person blocks)."""
    blocks: dict[str, set[str]] = defaultdict(set)
    for node in people:
        key = PersonKey.parse(node.link_key)
        if not key.is_bare:
            blocks[key.surname].add(node.link_key)
    return {s: sorted(keys) for s, keys in blocks.items()}


def _join_person_variants(people: list[NameNode], join) -> None:
    """ "Y. Vetrov" / "Yevgeny Pavlovich Vetrov" join "Yevgeny Vetrov" when it is the only fit."""
    anchor = _anchors(people)
    for keys in _full_people(people).values():
        if len(keys) < 2 or len(keys) > MAX_BLOCK:
            continue
        for key in keys:
            short = PersonKey.parse(key)
            fits = [k for k in keys if k != key and given_compatible(short, PersonKey.parse(k)) and _fuller(k, key)]
            target = _single_fullest(fits)
            if target is not None:
                join(anchor[target], anchor[key], f"{anchor[key].name!r} fits {anchor[target].name!r}, the one compatible fuller name")


def _fuller(a: str, b: str) -> bool:
    return len(a.split()) > len(b.split()) or len(a) > len(b)


def _single_fullest(keys: list[str]) -> str | None:
    if not keys:
        return None
    best = max(keys, key=lambda k: (len(k.split()), len(k)))
    best_key = PersonKey.parse(best)
    return best if all(given_compatible(PersonKey.parse(k), best_key) for k in keys) else None


def _anchors(nodes: list[NameNode]) -> dict[str, NameNode]:
    """For each link key, the node that is its own full form (or any node standing for it)."""
    anchor: dict[str, NameNode] = {}
    for node in sorted(nodes, key=lambda n: (n.own_key != n.link_key, -n.mentions)):
        anchor.setdefault(node.link_key, node)
    return anchor


def _join_org_word_orders(orgs: list[NameNode], join) -> None:
    by_bag: dict[frozenset, NameNode] = {}
    for node in sorted(orgs, key=lambda n: -n.mentions):
        if is_acronym(node.link_name):
            continue
        bag = org_bag(node.link_name)
        if not bag:
            continue
        if bag in by_bag:
            join(by_bag[bag], node, f"{node.link_name!r} and {by_bag[bag].link_name!r} have the same words")
        else:
            by_bag[bag] = node


def _join_acronyms(orgs: list[NameNode], join, components: _Components) -> None:
    """An acronym used bare joins the one expansion defined for it, or the one name it spells."""
    defined: dict[str, set[int]] = defaultdict(set)  # acronym -> components of its expansions
    spelled: dict[str, list[NameNode]] = defaultdict(list)  # initials -> names
    for node in orgs:
        if node.own_key != node.link_key and is_acronym(node.name):
            defined[acronym_letters(node.name)].add(components.find(node.id))
        elif not is_acronym(node.link_name):
            spelled[initials(node.link_name)].append(node)
    expansion_of_root = {components.find(n.id): n for n in orgs if not is_acronym(n.link_name)}
    for node in orgs:
        if node.own_key != node.link_key or not is_acronym(node.name):
            continue
        letters = acronym_letters(node.name)
        candidates: dict[int, NameNode] = {}
        for root in defined.get(letters, ()):
            if root in expansion_of_root:
                candidates[root] = expansion_of_root[root]
        for expansion in spelled.get(letters, ())[:MAX_BLOCK]:
            candidates.setdefault(components.find(expansion.id), expansion)
        candidates.pop(components.find(node.id), None)
        if len(candidates) == 1:
            target = next(iter(candidates.values()))
            how = "is defined as" if letters in defined else "spells"
            join(target, node, f"{node.name!r} {how} {target.link_name!r} elsewhere in the corpus, and nothing else")


def _join_bare_people(people: list[NameNode], join, components: _Components, context) -> None:
    blocks = _full_people(people)
    anchor = _anchors(people)
    for node in people:
        key = PersonKey.parse(node.link_key)
        if not key.is_bare or node.own_key != node.link_key:
            continue
        keys = blocks.get(key.surname, [])
        if not keys or len(keys) > MAX_BLOCK:
            continue
        roots = {components.find(anchor[k].id) for k in keys}
        if len(roots) != 1:
            continue  # two different people carry this surname: the bare name stays apart
        target = anchor[keys[0]]
        shared = context(node.id) & frozenset().union(*(context(anchor[k].id) for k in keys))
        if shared:
            join(target, node, f"bare {node.name!r}: {target.name!r} is the only person of that name, sharing context ({', '.join(sorted(shared)[:3])})")


def _join_short_names(nodes: list[NameNode], join, components: _Components, context) -> None:
    """A shortened organisation or place name used with no fuller form in its article ("Foreign
    Ministry", "Caldrun") joins the one fuller name of the same kind of body in the corpus whose
    words contain it, when the two share context."""
    postings: dict[str, list[NameNode]] = defaultdict(list)
    bags: dict[int, frozenset] = {}
    for node in nodes:
        if node.own_key == node.link_key and not is_acronym(node.name):
            bags[node.id] = org_bag(node.name)
            for word in bags[node.id]:
                postings[word].append(node)
    for node in nodes:
        bag = bags.get(node.id)
        if not bag:
            continue
        lists = sorted((postings[w] for w in bag), key=len)
        if len(lists[0]) > MAX_BLOCK:
            continue
        head = org_head(node.name)
        wider = [n for n in lists[0] if bag < bags[n.id] and _same_kind(node, head, n)]
        roots = {components.find(n.id) for n in wider} - {components.find(node.id)}
        if len(roots) != 1:
            continue
        target = max(wider, key=lambda n: n.mentions)
        shared = context(node.id) & frozenset().union(*(context(n.id) for n in wider))
        if shared:
            join(target, node, f"{node.name!r} is a shorter name of {target.name!r}, the only fuller one, sharing context ({', '.join(sorted(shared)[:3])})")


def _same_kind(short: NameNode, head: str | None, full: NameNode) -> bool:
    """Same kind of body ("Ministry" / "Ministry"), the name cut short ("Free City" of "Free City of
    Caldrun"), or a lone word opening or closing the name."""
    if truncates(short.name, full.name):
        return True
    if head is not None:
        return org_head(full.name) == head
    words = full.own_key.split()
    return " " not in short.own_key and short.own_key in (words[0], words[-1])


# -- decisions and output ---------------------------------------------------------------------


def _effective_decisions(decisions: Iterable[Decision]) -> tuple[set[str], list[tuple[str, str, str, str]]]:
    """Replay decisions in order: a split undoes the user's earlier merges of that name."""
    splits: set[str] = set()
    merges: list[tuple[str, str, str, str]] = []
    for decision in decisions:
        if decision.action == "split":
            key = name_key(decision.name)
            splits.add(key)
            merges = [m for m in merges if key not in m[:2]]
        elif decision.action == "merge" and decision.other:
            merges.append((name_key(decision.name), name_key(decision.other), decision.name, decision.other))
    return splits, merges


def _entities(nodes: list[NameNode], components: _Components, joins: list[Join]) -> Resolution:
    members: dict[int, list[NameNode]] = defaultdict(list)
    for node in nodes:
        members[components.find(node.id)].append(node)
    entity_of: dict[int, str] = {}
    entities: dict[str, tuple[str, str]] = {}
    for group in members.values():
        type_votes = Counter()
        for node in group:
            type_votes[node.type] += node.mentions
        type_ = type_votes.most_common(1)[0][0]
        canonical = max(group, key=lambda n: _canonical_rank(n, type_))
        # A group none of whose names is written in full is named by what they stand for: "told
        # the Gazette" stands for the page's outlet, The Caldrun Gazette, which its text may never spell.
        key, name = ((canonical.own_key, canonical.name) if any(n.own_key == n.link_key for n in group)
                     else (canonical.link_key, canonical.link_name))
        entity_id = _entity_id(type_, key)
        while entity_id in entities:  # two groups with one canonical key (after a split)
            entity_id = _entity_id(type_, key + "#" + entity_id)
        entities[entity_id] = (type_, name)
        for node in group:
            entity_of[node.id] = entity_id
    return Resolution(entity_of, entities, joins)


def _canonical_rank(node: NameNode, type_: str):
    """The entity's name: a full name over a short one, a spelled-out name over an acronym, then
    the most used spelling."""
    full = node.own_key == node.link_key and node.type == type_
    multiword = len(node.own_key.split()) >= 2 and not is_acronym(node.name)
    return (full, multiword, node.mentions, len(node.name), node.name)


def _entity_id(type_: str, key: str) -> str:
    return "E" + hashlib.sha1(f"{type_}:{key}".encode()).hexdigest()[:12]
