"""Who said it: a cue's source where the parse and the learned role table gave none, and the source
cut down to the one who spoke.

The parser often hangs the speaker elsewhere than on the cue. A participle, infinitive or conjoined
cue shares its governing verb's subject (`inherited_source`); a name set off by commas is taken for
a conjunct or apposition of a neighbouring noun (`stranded_subject`); "Kask, asked whether …, said"
makes Kask the one asking (`asked_aside_subject`, `put_to_subject`); a name between a quotation and
its verb, or just before a verb on its line, reads as what was said (`named_after_quotation`,
`subject_beside`). In the statements scope the source is then the person or body named: the noun a
relative clause hangs off (`antecedent_speaker`), without the clauses said of it
(`without_aside_clauses`) or a first conjoined verb read into it (`without_a_first_conjunct`); and
a fronted venue's last words are the venue's, not the speaker's (`speaker_after_venue`).
`statements` calls them in this order, over token ids.
"""

from __future__ import annotations

from presswatch.nlp.cues import QUESTION_CUES, REPORTING_WORDS, cue_word
from presswatch.nlp.quotes import QuoteIndex
from presswatch.nlp.roles import introduces_a_speaker, role_start_after_venue
from presswatch.nlp.speakers import ArticleEntities
from presswatch.records import PERSON

# Dependencies through which a cue word inherits its governor's subject: "…, adding that",
# "went on to say", "laughed and said", "Galuzin, speaking at …".
_INHERITS_SUBJECT = {"advcl", "xcomp", "conj", "pcomp", "ccomp", "acl", "prep"}
_MAX_APPOSED_SPEAKER = 25  # '"…," NAME, an apposition or participle clause, said': longer is a sentence
_NOUNS = ("NOUN", "PROPN", "PRON", "NUM")
_RELATIVE_TAGS = ("WP", "WP$", "WDT")


def inherited_source(head, cue: set[int], paragraph: range) -> set[int]:
    """The subject a participle, infinitive or conjoined cue shares with its governing verb, or
    the noun a relative clause or active participle modifies ("the group backing Kask", "a
    voter who said …"). The noun a passive one modifies ("the plan announced on Monday", "the
    plans that will be debated next week") is what was said, not who said it. Nor does a cue with
    a subject of its own that the role table did not make its source inherit one: "…, when the
    statement was signed", "…, but it was revealed that …" name no speaker (on PolNeAR train,
    given the gold cues, such cues inherited the gold speaker 5 times in 195)."""
    if _is_passive(head) or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in head.children):
        return set()
    token = head
    for _ in range(3):
        if _modifies_noun(token):
            if _is_passive(token):
                return set()
            return _noun_before(token) - cue
        if token.dep_ not in _INHERITS_SUBJECT or token.head.i == token.i:
            return set()
        token = token.head
        while token.dep_ == "ccomp" and token.head.i != token.i and token.head.i in paragraph:
            # "She said her father would …, saying …": the participle hangs off a verb of what
            # was said, but the one saying it is the reporting verb's subject (on the same line:
            # the parser also hangs a paragraph's verb off the previous paragraph's; 5-fold CV
            # on PolNeAR train, source overlap .7969 -> .7973)
            token = token.head
        for child in token.children:
            if aside := _reporting_aside_subject(child, head):
                # "Skelby will pay half, Kask said, warning that …": the participle hangs off the
                # verb of what was said, and the one warning is the cue set in as an aside
                return {t.i for t in aside.subtree} - cue
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i not in cue:
                return {t.i for t in child.subtree} - cue
    return set()


def _reporting_aside_subject(verb, participle):
    """'…, Kask said, warning …': the subject of a reporting verb set between commas before the
    participle, which the parser hangs off the clause it reports (as parataxis, or as a conjunct);
    None for any other verb."""
    doc = verb.doc
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if (
        subject is None or verb.dep_ not in ("parataxis", "conj") or verb.i > participle.i
        or cue_word(verb) not in REPORTING_WORDS
    ):
        return None
    set_off = subject.left_edge.i > 0 and doc[subject.left_edge.i - 1].text == ","
    return subject if set_off and verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," else None


def _modifies_noun(token) -> bool:
    """A relative clause or an active participle hung off a noun."""
    return token.dep_ in ("relcl", "acl") and token.head.pos_ in _NOUNS and token.head.i < token.i and (
        token.dep_ == "relcl" or token.tag_ in ("VBG", "VBN"))


def _is_passive(verb) -> bool:
    """"was announced", "announced by" as a participle after its noun."""
    return any(c.dep_ == "auxpass" for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def _noun_before(clause) -> set[int]:
    """The noun phrase a clause modifies, up to the clause: "the major group" of "the major
    group backing Kask, which …"."""
    noun = clause.head
    return {t.i for t in noun.doc[noun.left_edge.i : min(noun.i + 1, clause.left_edge.i)]}


def stranded_subject(head, cue: set[int]) -> set[int]:
    """The speaker the parser hung off a neighbouring noun: "… the unrest in Nevada, Senator X,
    the minority leader, said" (X taken for a conjunct of Nevada) and '"…," said X, who heads
    the Y group' (X taken for the subject of a later verb). Found from the words beside the cue."""
    doc = head.doc
    first, last = min(cue), max(cue)
    if head.pos_ not in ("VERB", "AUX"):
        return set()
    if first >= 2 and doc[first - 1].text == ",":
        node = doc[first - 2]
        for _ in range(8):
            if node.dep_ == "conj" or (node.dep_ == "appos" and node.head.pos_ != "PROPN"):
                break
            if node.head.i == node.i or node.head.i >= first:
                return set()
            node = node.head
        else:
            return set()
        set_off = node.left_edge.i > 0 and doc[node.left_edge.i - 1].text == ","
        if set_off and node.pos_ in ("PROPN", "NOUN", "PRON"):
            return {t.i for t in node.subtree if t.i < first - 1}
        return set()
    after = last + 1
    if after < len(doc) and first > 0 and doc[first - 1].is_punct and doc[after].pos_ in ("PROPN", "NOUN", "DET"):
        node = doc[after]
        while node.dep_ in ("compound", "det", "amod") and node.head.i > node.i:
            node = node.head
        if node.pos_ in ("PROPN", "NOUN"):
            return {t.i for t in node.subtree if t.i > last}
    return set()


def asked_aside_subject(head) -> set[int]:
    """"Kask, asked whether …, said …" misread as Kask asking: a question verb set off by a
    comma from the subject the parser gave it, inside a later verb's clause. The subject is the
    later verb's, and the one asked."""
    doc = head.doc
    if head.tag_ not in ("VBD", "VBN") or head.i == 0 or doc[head.i - 1].text != "," or head.head.i <= head.i:
        return set()
    for child in head.children:
        if child.dep_ == "nsubj" and child.i < head.i - 1:
            return {t.i for t in child.subtree if t.i < head.i - 1}
    return set()


def put_to_subject(head) -> bool:
    """A question verb as a passive or a bare participle: its subject is the one asked."""
    if head.lemma_.lower() not in QUESTION_CUES:
        return False
    if head.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "expl") for c in head.children):
        return True
    return bool(asked_aside_subject(head))


def named_after_quotation(head, cue: set[int], paragraph: range, quotes: QuoteIndex) -> set[int]:
    """'"…," harbour delegate Ivo Marsh, wearing a yellow coat, said': the words between a
    quotation's close and its cue verb name the speaker, however the parser hung them (often
    off the quotation's last noun, as an apposition, so that they read as what was said)."""
    doc = head.doc
    first = min(cue)
    if head.pos_ not in ("VERB", "AUX") or first == 0 or any(c.dep_ == "auxpass" for c in head.children):
        return set()
    start = doc[first].idx
    closed = [r for r in quotes.regions_between(max(0, start - 300), start) if r[1] <= start]
    # a quotation that closes on a comma, question or exclamation mark runs on into its cue clause
    if not closed or closed[-1][1] <= doc[paragraph.start].idx or quotes.text[closed[-1][1] - 2] not in ",?!—–-":
        return set()
    i = first - 1
    phrase = []
    while i in paragraph and doc[i].idx >= closed[-1][1]:
        phrase.append(doc[i])
        i -= 1
    phrase.reverse()
    while phrase and (phrase[0].is_punct or phrase[0].is_space):
        phrase = phrase[1:]
    while phrase and (phrase[-1].is_punct or phrase[-1].is_space):
        phrase = phrase[:-1]
    if (
        not phrase
        or len(phrase) > _MAX_APPOSED_SPEAKER
        or phrase[0].pos_ not in ("PROPN", "NOUN", "DET", "PRON", "ADJ", "NUM")
        or any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") or quotes.inside(t.idx) for t in phrase)
    ):
        return set()
    return {t.i for t in phrase}


def subject_beside(head, cue: set[int], paragraph: range, quotes: QuoteIndex) -> set[int]:
    """The noun phrase written just before a finite cue verb on its line ("Anna Kask said",
    "Harbour master Ilsa Vantorp says"), with an apposition set off by commas between them ("Anna Kask,
    the harbour's director, said"), when the parse gave the verb no subject there: the parser
    hangs a name after a headline or a line break off the previous line's words, and an
    apposed name off the clause before it (the apposition: 5-fold CV on PolNeAR train, source
    overlap .7964 -> .7969)."""
    doc = head.doc
    first = min(cue)
    if head.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in head.children):
        return set()
    i = first - 1
    apposition: list[int] = []
    if i in paragraph and doc[i].text == ",":
        j = i - 1
        while j in paragraph and i - j <= _MAX_APPOSED_SPEAKER and doc[j].text != "," and not quotes.inside(doc[j].idx):
            j -= 1
        between = doc[j + 1 : i]
        if j in paragraph and doc[j].text == "," and len(between) and not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in between):
            apposition, i = list(range(j, i)), j - 1
    phrase = []
    while i in paragraph and i >= 0 and not quotes.inside(doc[i].idx):
        t = doc[i]
        if t.pos_ in ("PROPN", "NOUN", "PRON", "NUM") or (phrase and (t.pos_ in ("DET", "ADJ") or t.tag_ == "POS")):
            phrase.append(i)
            i -= 1
        else:
            break
    if not phrase or doc[phrase[0]].pos_ not in ("PROPN", "NOUN", "PRON"):
        return set()
    return set(phrase) | set(apposition)


def antecedent_speaker(head, source: set[int]) -> set[int]:
    """A cue in a relative clause whose subject is the relative word ("who", "whose office"):
    "Kask, who said the port would close, resigned" reports what Kask said, so the noun the clause
    hangs off is the speaker, not a fragment of the clause. Without a reported clause the relative
    clause only describes someone ("the mayor, whose office confirmed the closure, said …",
    "the pilot, who asked not to be named"): no speaker, so no statement of its own."""
    doc = head.doc
    if head.dep_ != "relcl" or not any(doc[i].tag_ in _RELATIVE_TAGS for i in source):
        return source
    if not any(c.dep_ == "ccomp" for c in head.children):
        return set()
    # the whole phrase before the clause: "its ambassador in Skelby, Oleg Tamarin, who said …"
    phrase = range(head.head.left_edge.i, head.left_edge.i)
    return {i for i in phrase if not doc[i].is_punct or i < phrase[-1]}


def without_aside_clauses(source: set[int], doc) -> set[int]:
    """"Varnia's defence minister, who chairs the board,", "an alliance official, speaking on
    condition of anonymity,", "Kask, 58,": a relative or participle clause, or an age, set off by
    commas after the speaker says something of the speaker, and is not part of who it is."""
    aside: set[int] = set()
    for i in source:
        token = doc[i]
        set_off = token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == ","
        if set_off and token.head.i in source and token.head.i < token.i and (
            token.dep_ == "relcl" or token.dep_ == "acl" and token.tag_ in ("VBG", "VBN")
            or token.dep_ == "appos" and token.like_num and token.left_edge.i == token.right_edge.i == i
        ):
            aside |= {t.i for t in token.subtree} | {token.left_edge.i - 1}
            after = token.right_edge.i + 1
            if after < len(doc) and doc[after].text == ",":
                aside.add(after)
    return source - aside if source - aside else source


def without_a_first_conjunct(source: set[int], cue_start: int, doc) -> set[int]:
    """'Lomatskiy, 58, described the drills as "a rehearsal" and said …': where the parser took
    the first of two conjoined verbs for a modifier of their subject, the source runs up to the
    "and" before the cue. The speaker ends before that first verb."""
    if not source or max(source) != cue_start - 1 or doc[cue_start - 1].pos_ != "CCONJ":
        return source
    verb = next((i for i in sorted(source) if doc[i].tag_ in ("VBD", "VBN", "VBZ", "VBP")), None)
    kept = {i for i in source if verb is not None and i < verb}
    while kept and doc[max(kept)].is_punct:
        kept.discard(max(kept))
    return kept or source


def speaker_after_venue(source: set[int], doc, entities: ArticleEntities) -> set[int]:
    """"At a rally in Port Aldane Councillor Aksel Hume said", "In an interview with the Harbour
    Gazette Mayor Anna Kask said": with no comma after a fronted venue, the parser runs the
    venue's last words into the speaker's name. Where the source follows a preposition and names a
    person further on, the speaker starts at that person's title; the words before it are the
    venue's (`venue_and_addressee` takes them). The parser may also hang a title's first words on
    the venue ("During a visit to Skelby US Under Secretary Ann Lee said": "Under" read as a
    preposition); the title run just before the source is then the speaker's."""
    if not source:
        return source
    first = min(source)
    person = next((i for i in sorted(source) if entities.by_offset.get(doc[i].idx, ("",))[0] == PERSON), None)
    if person is None:
        return source
    bound = doc[first].sent.start
    named = {i: entities.by_offset[doc[i].idx] for i in range(bound, person) if doc[i].idx in entities.by_offset}
    start = role_start_after_venue(doc, bound, person, named)
    if start < first:
        return source | set(range(start, first))
    if first == 0 or doc[first - 1].pos_ != "ADP" or introduces_a_speaker(doc[first - 1]):
        return source
    if start == first or any(t.is_punct for t in doc[first:start]):
        return source  # "by its envoy in Kestrel, Jorund Hale": an apposition, not a venue's words
    return {i for i in source if i >= start}
