"""Who said what: the statements an article reports.

One pass over the spaCy parse. A learned cue model picks the reporting words ("said", "according
to", "warned", "emphasizing"); a learned role table says which of each cue's dependents extend the
cue, name the source or carry the content; parse rules fill the rest (the subject of the governing
verb for "…, adding that …", the clause around "according to X", a quotation opened after a colon,
a quotation continued after "he said." or in the quoted paragraphs that follow, a quotation no
statement says going with its paragraph's speaker, a cue clause set as an aside in what was said
(also where the parser reads "…, Kask said, …" as a conjunct), a passive agent, a speaker the parser hung off a neighbouring noun or set between a quotation and
its verb); a cue inside another statement's content must be surer than the rest, and a line's
dateline is none of cue, source or content. A cue keeps its words as said mid-sentence ("according
to", not "According to" where it opens the sentence). Speakers are resolved within the article by
`speakers`; people named side by side as the source are one statement's joint speaker. The statements scope then reports one utterance once: a cue that only names a topic
joins the participle or conjoined cue of its subject, and a statement inside its own speaker's
other statement is dropped (PolNeAR's attributions scope keeps every cue apart, cuts a statement
hung off a word of another's content out of that content, and gives one standing wholly inside
another's content no content of its own). It also reports no negated or withheld cue ("did not
respond to a request for comment"), and names the speaker without the clauses said of it ("X, who
chairs the board,"), where PolNeAR's source spans keep them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import pairwise

from presswatch.nlp.cues import (
    CONTENT,
    CUE_SUBTREE,
    CUE_TOKEN,
    QUESTION_CUES,
    REPORTING_WORDS,
    SOURCE,
    CueModel,
    cue_word,
    extended_cue_word,
    load_cue_model,
)
from presswatch.nlp.details import statement_date, venue_and_addressee
from presswatch.nlp.furniture import dateline_spans, furniture_spans
from presswatch.nlp.mentions import mentions_from_doc
from presswatch.nlp.pipeline import PARSE_BATCH, doc_text, load_nlp
from presswatch.nlp.quotes import QUOTE_MARKS, QuoteIndex
from presswatch.nlp.roles import introduces_a_speaker, role_start_after_venue
from presswatch.nlp.spans import SpanIndex
from presswatch.nlp.speakers import ArticleEntities, resolve_speaker
from presswatch.records import PERSON, UNKNOWN_SPEAKER, Article, Mention, Statement

DIRECT, INDIRECT, MIXED, ACCORDING_TO = "direct", "indirect", "mixed", "according_to"

# Dependencies through which a cue word inherits its governor's subject: "…, adding that",
# "went on to say", "laughed and said", "Galuzin, speaking at …".
_INHERITS_SUBJECT = {"advcl", "xcomp", "conj", "pcomp", "ccomp", "acl", "prep"}
_EDGE_PUNCT = set(",;:—–-(.")
_COMPLEMENTS = {"dobj", "ccomp", "xcomp", "attr", "dative"}
# A cue's dependents that add a statement of their own rather than say what the cue said:
# "went after Bush, calling him …", "rejected the plan and said …".
_ADDED_CLAUSES = {"advcl", "conj"}
_MAX_CHILD_DEPTH = 3
# A doubtful cue (nested in another statement's content, or with no content) needs this
# probability; chosen by 2-fold CV on PolNeAR train, where 0.6-0.9 score alike.
_SURE_CUE = 0.7
_MAX_CUE_PHRASE = 5  # longer phrases are content or context, not part of the cue
_MAX_CUE_SENTENCE_TAIL = 200  # characters between a cue and a quotation that continues its statement
_MAX_APPOSED_SPEAKER = 25  # '"…," NAME, an apposition or participle clause, said': longer is a sentence
_MAX_SUBJECT_WORDS = 4
# A quotation this long is a sentence someone said, not a phrase quoted in passing: on PolNeAR
# train, unclaimed quotations of 6 words or more touch a gold content 77% of the time, shorter
# ones 29% (scare quotes, names); 5-fold CV content overlap with 3, 4, 5, 6, 8 words: .7936,
# .7941, .7940, .7938, .7932 (`tools/train_statements.py --cv-only`).
_MIN_QUOTED_SENTENCE = 5
_MAX_TITLE_WORDS = 8  # a quoted programme or book name; a longer quotation in title case is a headline
_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from"})  # '"…," Deputy Mayor Anna Kask added': a longer subject is a sentence of its own
# A quotation's closing mark, a dash and a name of one to five words ending the line.
_SIGNATURE = re.compile(
    r"[”\"][ \t\u00a0]*([―—–]|--?)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,4}?)\.?[ \t\u00a0]*(?=\n|$)"
)
# Words that open a line with a colon without naming a speaker: news labels and the interview's
# "Q:" / "A:" (a question is not a statement; an answer's speaker is named elsewhere).
_LABELS = frozenset(
    "update updated breaking watch listen video photos photo editor's note note correction clarification "
    "exclusive analysis opinion live read related source sources q a".split()
) | {"editor's note", "read more", "see also"}
_SPEAKER_ENTS = {"PERSON", "ORG", "NORP", "GPE"}  # entity types that can speak
_NOUNS = ("NOUN", "PROPN", "PRON", "NUM")
# Words that open an indirect question.
QUESTION_WORDS = frozenset("whether if why how what when where who whom whose which".split())


# Scopes: what counts as a statement.
STATEMENTS = "statements"  # reported speech and stated positions, with something said
ATTRIBUTIONS = "attributions"  # everything PolNeAR annotates, beliefs, wishes and findings too


def extract_statements(
    article: Article, nlp=None, model: CueModel | None = None, scope: str = STATEMENTS
) -> list[Statement]:
    return extract_statements_batch([article], nlp=nlp, model=model, scope=scope)[0]


def extract_statements_batch(
    articles: Iterable[Article],
    nlp=None,
    batch_size: int = PARSE_BATCH,
    model: CueModel | None = None,
    scope: str = STATEMENTS,
) -> list[list[Statement]]:
    """Statements of each article, one list per article in input order, parsed with `nlp.pipe`."""
    articles = list(articles)
    nlp = nlp or load_nlp()
    model = model or load_cue_model()
    docs = nlp.pipe((a.body for a in articles), batch_size=batch_size)
    return [statements_from_doc(article, doc, model, scope) for article, doc in zip(articles, docs)]


def statements_from_doc(
    article: Article, doc, model: CueModel, scope: str = STATEMENTS, mentions: list[Mention] | None = None
) -> list[Statement]:
    """The statements of one article from its parse; `mentions` are the article's entity mentions
    from the same parse where the caller has them already (else found here)."""
    if scope not in (STATEMENTS, ATTRIBUTIONS):
        raise ValueError(f"unknown statements scope {scope!r}; use {STATEMENTS!r} or {ATTRIBUTIONS!r}")
    quotes = QuoteIndex(doc_text(doc))
    lexicon = model.lexicon if scope == ATTRIBUTIONS else model.lexicon & REPORTING_WORDS
    # looked up per token: an index, not a scan of every furniture line of a long article
    furniture = SpanIndex((s, e, None) for s, e in furniture_spans(quotes.text))
    filed_from = _dateline_tokens(doc, quotes.text)
    scored = []
    for token in doc:
        if furniture.containing(token.idx) or token.i in filed_from:
            continue
        if _closes_quotation(token, quotes) or _opens_quotation(token, quotes):
            scored.append((max(_SURE_CUE, model.probability(token, quotes)), token))
        elif cue_word(token) in lexicon:
            p = model.probability(token, quotes)
            if p >= model.threshold:
                scored.append((p, token))
    scored.sort(key=lambda x: (-x[0], x[1].i))
    frames = [f for f in map(_speaker_label_frame, _line_starts(doc, quotes.text, furniture)) if f is not None]
    frames += _signed_quotation_frames(doc, quotes)
    taken: set[int] = {i for f in frames for i in f.cue}
    for p, token in scored:
        if token.i in taken:
            continue
        frame = _Frame.build(token, model, quotes, p, scope)
        if frame.cue & taken:
            continue
        taken |= frame.cue
        frames.append(frame)
    frames.sort(key=lambda f: f.head.i)
    for frame in frames:
        # the parser reads a dateline into the sentence it opens, as its subject or a dependent
        frame.source -= filed_from
        frame.content -= filed_from
    frames = _without_doubtful_cues(frames)
    if scope == ATTRIBUTIONS:
        _without_other_statements(frames)
    _continue_quotations(frames, doc, quotes)
    _continue_open_quotations(frames, quotes)
    _continue_quoted_paragraphs(frames, quotes)
    _claim_lone_quotations(frames, quotes)
    if scope == ATTRIBUTIONS:
        _without_echoed_content(frames)
    entities = ArticleEntities.from_mentions(doc, mentions_from_doc(doc, article) if mentions is None else mentions)
    entities.exclude_within([span for f in frames for span in f.char_spans(f.content)])
    statements = []
    for frame in frames:
        st = frame.statement(article, doc, entities, quotes)
        if st.speaker_kind == PERSON and st.speaker_name:
            entities.note_speaker(st.cue_span[0], st.speaker_name)
        statements.append(st)
    if scope == STATEMENTS:
        # A statement needs something said and someone (or some body) saying it; a question
        # asserts nothing, whoever put it, and a cue the text says was not made reports nothing.
        kept = [
            frame for st, frame in zip(statements, frames)
            if st.content_spans and st.speaker_kind != UNKNOWN_SPEAKER and not _is_question(frame, st)
            and not _is_withheld(frame.head)
        ]
        made = {id(frame): st for st, frame in zip(statements, frames)}
        statements = [
            made.get(id(frame)) or frame.statement(article, doc, entities, quotes)
            for frame in _one_per_speaker_mention(kept)
        ]
        statements = _without_restatements(statements)
    return _carry_venues(statements)


class _Frame:
    """The token sets of one statement while it is being put together."""

    def __init__(self, head, probability: float):
        self.head = head
        self.probability = probability
        self.cue: set[int] = {head.i}
        self.source: set[int] = set()
        self.content: set[int] = set()
        self.extra_content: list[tuple[int, int]] = []  # char spans of quotations added by rules
        # A joined frame's (`_joined`) tokens said about the topic its governing cue names (its
        # quotations are all in `extra_content`); None: the whole content is the claim.
        self.claim: set[int] | None = None

    @classmethod
    def build(cls, head, model: CueModel, quotes: QuoteIndex, probability: float, scope: str = STATEMENTS) -> _Frame:
        frame = cls(head, probability)
        frontier = [(head, cue_word(head), 0)]
        while frontier:
            token, word, depth = frontier.pop()
            for child in token.children:
                role = model.role(word, child)
                if role == CUE_TOKEN:
                    frame.cue.add(child.i)
                    if depth + 1 < _MAX_CHILD_DEPTH:
                        frontier.append((child, extended_cue_word(word, child), depth + 1))
                elif role == CUE_SUBTREE and child.right_edge.i - child.left_edge.i < _MAX_CUE_PHRASE:
                    frame.cue.update(t.i for t in child.subtree)
                elif role == CUE_SUBTREE:
                    # "said in a statement that …": the clause the phrase carries is what was said
                    clauses = [t for t in child.subtree if t.dep_ in ("ccomp", "acl") and t.i > child.i]
                    if clauses:
                        frame.content.update(t.i for t in clauses[0].subtree)
                elif role in (SOURCE, CONTENT) and _names_a_time(child):
                    continue  # "warned on Wednesday", "Tuesday night, Kask said": when, not who or what
                elif role == SOURCE:
                    frame.source.update(t.i for t in child.subtree)
                elif role == CONTENT:
                    frame.content.update(t.i for t in child.subtree)
                elif child.dep_ == "agent" and depth == 0:
                    # "was first reported by the Gazette": the one who reported it, without the "by"
                    frame.source.update(t.i for obj in child.children for t in obj.subtree)
        grown = frame.cue
        frame.cue = _contiguous_around(head.i, frame.cue)
        if grown - frame.cue:
            # "Kask expressed his condolences": "his" belongs to a cue word cut off the cue, and
            # is no source of its own
            doc = head.doc
            frame.source = {i for i in frame.source if not any(a.i in grown - frame.cue for a in doc[i].ancestors)}
        paragraph = _paragraph_tokens(head, quotes.text)
        if not quotes.inside(head.idx):
            # the one speaking does not stand inside the quotation ('"…, warships tomorrow," he
            # added': the parser may take the quotation's last noun for a second subject)
            frame.source = {i for i in frame.source if not quotes.inside(head.doc[i].idx)}
        if not {i for i in frame.source if i in paragraph} - frame.cue:
            frame.source = (
                _inherited_source(head, frame.cue, paragraph)
                or _stranded_subject(head, frame.cue)
                or next((s for c in head.children if c.i < head.i and (s := _asked_aside_subject(c))), set())
            )
        if _put_to_subject(head):
            # "Kask, asked whether …, said", "Asked about it, Kask said": Kask was asked; the
            # one asking is only ever the passive's agent
            agents = [o for c in head.children if c.dep_ == "agent" for o in c.children]
            frame.source = {t.i for o in agents for t in o.subtree}
        frame.source = {i for i in frame.source if i in paragraph} - frame.cue
        if not frame.source:
            frame.source = _named_after_quotation(head, frame.cue, paragraph, quotes) or _subject_beside(
                head, frame.cue, paragraph, quotes)
        if scope == STATEMENTS:
            # the speaker as the person or body named, as the faces show it; PolNeAR's source
            # spans keep the relative pronoun and the clauses
            frame.source = _without_aside_clauses(_antecedent_speaker(head, frame.source), head.doc)
            frame.source = _without_a_first_conjunct(frame.source, min(frame.cue), head.doc)
            # a statement shown alone reads with the antecedent; PolNeAR marks the relative pronoun
            # itself (over train's gold cues heading an object or passive-subject relative clause,
            # the pronoun is content 113 times, the antecedent 16)
            frame.content = _antecedent_for_relative(head, frame.content)
        frame.content = {i for i in frame.content if i in paragraph} - (frame.cue | frame.source)
        taken = frame.cue | frame.source
        frame.content = _without_stray_marks(_gaps_filled(frame.content, taken, head.doc), taken, head.doc)
        if all(head.doc[i].is_punct for i in frame.content):
            frame.content = set()
            frame._fallback_content(quotes)
        return frame

    def _fallback_content(self, quotes: QuoteIndex) -> None:
        head = self.head
        doc = head.doc
        if head.lower_ == "according":
            clause = head.head
            while clause.dep_ in ("prep", "pobj", "pcomp") and clause.head.i != clause.i:
                clause = clause.head
            subject = self._give_back_subject(clause)
            skip = {t.i for t in head.subtree} | self.cue | self.source
            self.content = ({t.i for t in clause.subtree} - skip) | subject
            return
        if _is_aside(head):
            # "The harbour, Kask said, will close", "As the Gazette reported, the port …": the cue
            # clause is an aside in what was said
            clause = head.head
            aside = {t.i for t in head.subtree}
            paragraph = _paragraph_tokens(head, quotes.text)
            self.content = {t.i for t in clause.subtree if t.i in paragraph} - aside
            return
        clauses = [c for c in head.children if c.dep_ == "ccomp" and c.i > head.i]
        if clauses:
            # "He highlighted that there is no alternative": a that-clause is what was said even
            # where the learned table, short of examples for the word, said otherwise
            self.content = {t.i for t in clauses[0].subtree} - (self.cue | self.source)
            return
        # "X said:" / "X told reporters:" followed by a quotation
        last = doc[max(self.cue)]
        end = last.idx + len(last)
        following = quotes.regions_between(end, end + 4)
        if following and quotes.text[end : following[0][0]].strip() in ("", ":", ","):
            self.extra_content.append(following[0])
            return
        # '"…" Bush said.': the quotation just before the cue clause
        start = doc[min(self.cue | self.source)].idx
        preceding = quotes.regions_between(start - 4, start)
        if preceding and preceding[-1][1] <= start and not quotes.text[preceding[-1][1] : start].strip(" ,"):
            self.extra_content.append(preceding[-1])

    def _give_back_subject(self, clause) -> set[int]:
        """"According to X, Y and Z are …": when the clause has no subject, the parser has taken
        it for a conjunct of the source after a comma; that conjunct is the subject, so content."""
        doc = clause.doc
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
            return set()
        for i in sorted(self.source):
            commas = [c.i for c in doc[i].children if c.text == ","]
            if commas and any(c.dep_ == "conj" and c.i > min(commas) for c in doc[i].children):
                subject = {j for j in self.source if j > min(commas)}
                self.source -= subject | {min(commas)}
                return subject
        return set()

    def char_spans(self, tokens: set[int]) -> list[tuple[int, int]]:
        doc = self.head.doc
        spans = []
        for run in _runs(sorted(tokens)):
            while run and (doc[run[0]].is_space or doc[run[0]].text in _EDGE_PUNCT):
                run = run[1:]
            while run and (doc[run[-1]].is_space or doc[run[-1]].text in _EDGE_PUNCT):
                run = run[:-1]
            if run:
                spans.append((doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]])))
        return spans

    def statement(self, article: Article, doc, entities: ArticleEntities, quotes: QuoteIndex) -> Statement:
        cue_span = self.char_spans(self.cue)[0] if self.char_spans(self.cue) else (self.head.idx, self.head.idx + len(self.head))
        if quotes.text[cue_span[1] : cue_span[1] + 1] == ":":
            cue_span = (cue_span[0], cue_span[1] + 1)  # 'said:' — the colon that opens what was said is cue
        content_spans = _quote_complete(self.char_spans(self.content), cue_span, quotes) + self.extra_content
        content_spans = _merged(content_spans)
        claim_spans = [] if self.claim is None else _merged(
            _quote_complete(self.char_spans(self.claim), cue_span, quotes) + self.extra_content)
        source = _speaker_after_venue(self.source, doc, entities)
        source_spans = self.char_spans(source)
        speaker_span = (source_spans[0][0], source_spans[-1][1]) if source_spans else None
        if source:
            name, role, kind = resolve_speaker(doc, min(source), max(source) + 1, entities)
        else:
            name, role, kind = None, None, UNKNOWN_SPEAKER
        venue, addressee = venue_and_addressee(
            self.head, self.cue | self.content | source, min(source) if source else None)
        text = quotes.text
        return Statement(
            id=f"{article.id}:{cue_span[0]}-{cue_span[1]}",
            article_id=article.id,
            speaker=text[speaker_span[0] : speaker_span[1]] if speaker_span else None,
            speaker_name=name,
            speaker_role=role,
            speaker_kind=kind,
            cue=_cue_as_said(doc, cue_span, text),
            content=_pieces(text, content_spans),
            claim=_pieces(text, claim_spans) if claim_spans else None,
            mode=_mode(self.head, content_spans, quotes),
            cue_span=cue_span,
            speaker_span=speaker_span,
            content_spans=tuple(content_spans),
            venue=venue,
            addressee=addressee,
            date=statement_date(self.head, self.content, article.published),
            confidence=round(self.probability, 4),
        )


def _cue_as_said(doc, cue_span: tuple[int, int], text: str) -> str:
    """The cue's words as they would be said mid-sentence: "According to Kask, ..." is cued by
    "according to" (a briefing line reads "Kask according to · ..."); a cue opening its sentence is
    capitalised only by its place there, unless its first word is a name."""
    cue = text[cue_span[0] : cue_span[1]]
    first = doc.char_span(cue_span[0], cue_span[1], alignment_mode="expand")
    if first is not None and first[0].is_sent_start and first[0].pos_ != "PROPN" and not first[0].is_upper:
        return cue[:1].lower() + cue[1:]
    return cue


def _speaker_after_venue(source: set[int], doc, entities: ArticleEntities) -> set[int]:
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


def _one_per_speaker_mention(frames: list[_Frame]) -> list[_Frame]:
    """One statement where the text reports one utterance. "Kask criticised the timetable, warning
    that crossings would be cut", "Kask rejected the plan and said fares would rise": the
    participle or conjoined verb shares the governing verb's subject, so the parse gives frames
    with the very same source tokens. When the governing verb's content is only a noun phrase
    (what was criticised, rejected, highlighted), it names what the speaker spoke of and the other
    verbs say what was said about it: the frames become one statement with the governing cue and
    every frame's content. When it is a clause ("said the port would close, adding that …"), each
    verb carries a claim of its own and stays a statement of its own (narratives group claims).
    PolNeAR marks each verb apart, so only the statements scope joins them."""
    groups: dict[frozenset[int], list[_Frame]] = {}
    for frame in frames:
        if frame.source:
            groups.setdefault(frozenset(frame.source), []).append(frame)
    joined = {source: merged for source, group in groups.items()
              if len(group) > 1 and (merged := _joined(group)) is not None}
    out = []
    for frame in frames:
        source = frozenset(frame.source)
        if source not in joined:
            out.append(frame)
        elif frame is groups[source][0]:
            out.append(joined[source])
    return out


def _joined(group: list[_Frame]) -> _Frame | None:
    """The group's frames as one, when the governing verb only names a topic; else None."""
    governing = _governing_frame(group)
    if not _names_a_topic(governing):
        return None
    merged = _Frame(governing.head, max(f.probability for f in group))
    merged.cue = set(governing.cue)
    merged.source = set(governing.source)
    merged.content = set().union(*(f.content for f in group)) - merged.cue - merged.source
    merged.extra_content = sorted({span for f in group for span in f.extra_content})
    # What the other verbs say is the claim; the governing noun phrase is only what it is about.
    # "condemned the meddling of foreign powers, warning that the dam would flood the valley"
    # claims the flooding: the topic phrase recurs across a speaker's or a camp's unrelated claims
    # and would join them into one narrative (tests/test_narratives.py).
    # When every verb only names a topic, there is no clause to prefer: the content is the claim.
    claims = [f for f in group if f is not governing and not _names_a_topic(f)]
    if claims:
        merged.claim = set().union(*(f.content for f in claims)) - merged.cue - merged.source
    return merged


def _pieces(text: str, spans) -> str:
    """The text of a statement's spans, the gaps between them marked."""
    return " … ".join(text[s:e] for s, e in spans)


def _governing_frame(group: list[_Frame]) -> _Frame:
    """The frame whose cue is the verb its shared subject depends on (else the first)."""
    doc = group[0].head.doc
    source = group[0].source
    if not source:
        return group[0]
    root = next((doc[i] for i in sorted(source) if doc[i].head.i not in source), doc[min(source)])
    return next((f for f in group if f.head.i == root.head.i), group[0])


def _names_a_topic(frame: _Frame) -> bool:
    """What the frame says is only noun phrases ("the interference of Western powers", "concerns
    that …"), no clause and no quotation: the object of the speech act, not a claim of its own."""
    doc = frame.head.doc
    roots = [doc[i] for i in frame.content if doc[i].head.i not in frame.content and not doc[i].is_punct]
    return bool(roots) and not frame.extra_content and all(t.pos_ in ("NOUN", "PROPN", "PRON") for t in roots)


def _without_restatements(statements: list[Statement]) -> list[Statement]:
    """Drop a statement that lies wholly inside what its own speaker is reported to have said in
    another ("Kask argued that the port needs the ferry, which she described as its lifeline"):
    the host statement already carries every word of it."""

    def covered(span: tuple[int, int], host: Statement) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in host.content_spans)

    # a host's content holds the (never empty) cue's first character: look hosts up there rather
    # than comparing every pair of statements
    contents = SpanIndex((s, e, st) for st in statements for s, e in st.content_spans)
    return [
        st for st in statements
        if not any(
            host is not st and host.speaker_name and host.speaker_name == st.speaker_name
            and all(covered(span, host) for span in (st.cue_span, *st.content_spans))
            for host in contents.containing(st.cue_span[0])
        )
    ]


def _without_doubtful_cues(frames: list[_Frame]) -> list[_Frame]:
    """Drop cues the model is not sure of when the frame gives a second reason for doubt: the cue
    stands inside another statement's content, or nothing said was found for it. On
    cross-validation over PolNeAR's train half, 43 % of nested cues were annotated against 85 % of
    the others, and a nested statement's content is mostly its host's."""
    said = [(f, f.char_spans(f.content) + f.extra_content) for f in frames]
    # the frames whose content holds a cue, looked up by offset rather than by comparing every pair
    contents = SpanIndex((s, e, f) for f, spans in said for s, e in spans)
    kept = []
    for frame, spans in said:
        nested = any(other is not frame for other in contents.containing(frame.head.idx))
        if frame.probability >= _SURE_CUE or (spans and not nested):
            kept.append(frame)
    return kept


def _without_other_statements(frames: list[_Frame]) -> None:
    """Take out of a statement's content another statement hung off a word of it ("called for the
    speechwriter to be fired and defended Trump", "her email use, which the FBI said was careless",
    "said it expanded the party, claiming that turnout rose"): PolNeAR gives that one its own
    content, and one span across both matches only one of them (5-fold CV on train, content
    overlap .7773 -> .7800, cue and source unchanged); so is a participle or conjoined cue hung
    off the cue itself that the content took in ("went after Bush, calling him …": .7837 ->
    .7853). A statement that heads the content ("said
    that he believed …") is what was said and stays; so does a sentence's root, which a colon
    label's or "according to" clause's content holds whole. The attributions scope only: the
    statements scope shows a statement whole and reports a restatement inside it once
    (`_without_restatements`)."""
    # Only a frame whose cue word is in the content can be cut out of it: found from the content's
    # tokens rather than by comparing every pair of frames, and taken in the frames' order (the
    # content shrinks as they are cut, so it is checked again below).
    order = {id(f): k for k, f in enumerate(frames)}
    by_head: dict[int, list[_Frame]] = {}
    for f in frames:
        by_head.setdefault(f.head.i, []).append(f)
    for frame in frames:
        in_content = sorted((o for i in frame.content for o in by_head.get(i, ())), key=lambda o: order[id(o)])
        for other in in_content:
            head = other.head
            if other is frame or head.head.i == head.i or head.i not in frame.content:
                continue
            if head.head.i not in frame.content and not (head.head.i in frame.cue and head.dep_ in _ADDED_CLAUSES):
                continue
            frame.content -= {t.i for t in head.subtree}
            # the "and" or comma that joined it goes too
            i = head.left_edge.i - 1
            while i in frame.content and (head.doc[i].is_punct or head.doc[i].is_space or head.doc[i].dep_ == "cc"):
                frame.content.discard(i)
                i -= 1


def _without_echoed_content(frames: list[_Frame]) -> None:
    """A statement standing wholly inside what another says ("KASK: … I think the harbour needs
    …", '"…" Orlov said, according to the letter') keeps its cue and speaker but no content:
    its words are its host's content, which PolNeAR marks once (5-fold CV on PolNeAR train: such
    nested content matched a gold span of its own 15 times in 133; content overlap .7853 -> .7872)."""
    said = {f: f.char_spans(f.content) + f.extra_content for f in frames}
    # the hosts of a cue looked up by offset rather than by comparing every pair of frames
    contents = SpanIndex((s, e, f) for f, spans in said.items() for s, e in spans)
    echoed = []
    for frame, spans in said.items():
        hosts = [said[other] for other in contents.containing(frame.head.idx) if other is not frame]
        if spans and hosts and all(any(s <= a and b <= e for o_spans in hosts for s, e in o_spans) for a, b in spans):
            echoed.append(frame)
    for frame in echoed:
        frame.content, frame.extra_content = set(), []


def _dateline_tokens(doc, text: str) -> set[int]:
    """Token ids of the datelines opening lines ("SKELBY, March 3 (Kestrel) — "): where the report
    was filed, neither a cue, nor a source, nor what was said."""
    tokens: set[int] = set()
    for start, end in dateline_spans(text):
        span = doc.char_span(start, end, alignment_mode="contract")
        tokens.update(range(span.start, span.end) if span is not None else ())
    return tokens


def _line_starts(doc, text: str, furniture: SpanIndex) -> list:
    """The first token of each line that is not furniture."""
    starts = []
    for token in doc:
        at = token.idx
        opens_line = at == 0 or text[at - 1] == "\n"
        if opens_line and not token.is_space and not furniture.containing(at):
            starts.append(token)
    return starts


def _speaker_label_frame(first) -> _Frame | None:
    """A line opened by a speaker's name and a colon: a transcript's "PENCE: Well, look, …" or a
    headline's "Graham: Trump's rhetoric is dangerous". The colon is the cue, the name the source
    and the rest of the line what was said, as PolNeAR marks them. The name is one to four
    capitalised words the parser reads as a name, or a transcript's capitalised surname (which
    the parser often takes for a common noun); a label ("UPDATE:", "Q:") is no speaker."""
    doc = first.doc
    start = first.i + (1 if first.is_quote else 0)
    head_words = doc[start : start + _MAX_SUBJECT_WORDS + 1]
    colon = next((t for t in head_words if t.text == ":" or "\n" in t.text), None)
    if colon is None or colon.text != ":" or colon.i == start or colon.i + 1 >= len(doc):
        return None
    name = doc[start : colon.i]
    if name.text.lower() in _LABELS or not all(
        t.text[:1].isupper() and (t.pos_ in ("PROPN", "NOUN") or t.ent_type_ in _SPEAKER_ENTS or (t.is_upper and len(t) > 1))
        for t in name
    ):
        return None
    end = colon.i + 1
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    if end - colon.i < 3:
        return None
    frame = _Frame(colon, _SURE_CUE)
    frame.source = set(range(name.start, name.end))
    frame.content = set(range(colon.i + 1, end))
    return frame


def _signed_quotation_frames(doc, quotes: QuoteIndex) -> list[_Frame]:
    """'"…" ― Pamela Padilla': a quotation signed with a dash and a name closing its line, as
    readers' voices and pull quotes are set. The dash is the cue."""
    frames = []
    for m in _SIGNATURE.finditer(quotes.text):
        dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        name = doc.char_span(m.start(2), m.end(2), alignment_mode="contract")
        said = quotes.regions_between(m.start() - 1, m.start() + 1)
        if dash is None or name is None or not said or any(t.pos_ not in ("PROPN", "PUNCT") for t in name):
            continue
        frame = _Frame(dash[0], _SURE_CUE)
        frame.cue = {t.i for t in dash}
        frame.source = {t.i for t in name}
        frame.extra_content.append(said[-1])
        frames.append(frame)
    return frames


def _antecedent_for_relative(head, content: set[int]) -> set[int]:
    """"drills held off the coast, which she described as a rehearsal": what she described is the
    noun phrase the relative clause hangs off, not "which"."""
    if head.dep_ != "relcl":
        return content
    relative = {i for i in content if head.doc[i].tag_ in ("WDT", "WP") and head.doc[i].head.i == head.i}
    if not relative:
        return content
    noun = head.head
    before = head.doc[noun.left_edge.i : head.left_edge.i]
    phrase = [t.i for t in before if not t.is_punct or t.i < head.left_edge.i - 1]
    return (content - relative) | set(phrase)


_RELATIVE_TAGS = ("WP", "WP$", "WDT")


def _antecedent_speaker(head, source: set[int]) -> set[int]:
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


def _without_aside_clauses(source: set[int], doc) -> set[int]:
    """"Varnia's defence minister, who chairs the board,", "an alliance official, speaking on
    condition of anonymity,": a relative or participle clause set off by commas after the
    speaker says something of the speaker, and is not part of who it is."""
    aside: set[int] = set()
    for i in source:
        token = doc[i]
        set_off = token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == ","
        if set_off and token.head.i in source and token.head.i < token.i and (
            token.dep_ == "relcl" or token.dep_ == "acl" and token.tag_ in ("VBG", "VBN")
        ):
            aside |= {t.i for t in token.subtree} | {token.left_edge.i - 1}
            after = token.right_edge.i + 1
            if after < len(doc) and doc[after].text == ",":
                aside.add(after)
    return source - aside if source - aside else source


def _without_a_first_conjunct(source: set[int], cue_start: int, doc) -> set[int]:
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


def _put_to_subject(head) -> bool:
    """A question verb as a passive or a bare participle: its subject is the one asked."""
    if head.lemma_.lower() not in QUESTION_CUES:
        return False
    if head.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "expl") for c in head.children):
        return True
    return bool(_asked_aside_subject(head))


def _asked_aside_subject(head) -> set[int]:
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


def _is_question(frame: _Frame, statement: Statement) -> bool:
    """What was said is a question: a question verb with an indirect question ("asked whether
    …", "wondered why …") or a quotation ending in a question mark ('"Will it close?" she asked')."""
    if frame.head.lemma_.lower() not in QUESTION_CUES:
        return False
    first = statement.content.lstrip(QUOTE_MARKS + " ").split(" ", 1)[0].lower()
    return first in QUESTION_WORDS or statement.content.rstrip(QUOTE_MARKS + " ").endswith("?")


# Verbs that say a cue was withheld: "declined to say whether …", "refused to comment on …".
_WITHHOLDING_VERBS = frozenset({"decline", "refuse"})


def _is_withheld(head) -> bool:
    """A cue the text says was not made: "did not respond to a request for comment", "would not
    say when …", "has not commented on …", "declined to say whether …". Nothing was said, so
    nothing is reported. The statements scope only: PolNeAR annotates a negated cue as an
    attribution like any other."""
    if any(c.dep_ == "neg" for c in head.children):
        return True
    return head.dep_ == "xcomp" and head.head.lemma_.lower() in _WITHHOLDING_VERBS


def _closes_quotation(token, quotes: QuoteIndex) -> bool:
    """A verb set right after a quotation that closes on a comma, question or exclamation mark,
    with only its subject between ('"…," he added', '"…?" she continued', '"…," said Kask'):
    news prose puts a speech cue there whatever the verb, so the cue model's doubt about rarer
    verbs ("continued", "went on") is overruled."""
    if token.pos_ != "VERB" or quotes.inside(token.idx):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj" and not quotes.inside(c.idx)]
    if not subjects:
        return False
    subject = min(subjects, key=lambda c: abs(c.i - token.i))
    doc = token.doc
    if subject.i < token.i:
        first = subject.left_edge
        between = doc[first.i : token.i]
        if len(between) > _MAX_SUBJECT_WORDS or any(t.i > subject.i and t.dep_ != "advmod" for t in between):
            return False
        before = first.idx
    elif subject.i - token.i <= _MAX_SUBJECT_WORDS:
        before = token.idx
    else:
        return False
    text = quotes.text
    for start, end in quotes.regions_between(max(0, before - 3), before):
        if end <= before and not text[end:before].strip() and end - start > 2:
            return text[end - 2] in ",?!—–-" or text[end - 3 : end - 1] == "--"
    return False


def _opens_quotation(token, quotes: QuoteIndex) -> bool:
    """A verb right after its subject whose colon opens a quotation ('He continued: "…"', 'She
    went on: "…"'): the mirror of `_closes_quotation`, and a speech cue whatever the verb."""
    if token.pos_ != "VERB" or quotes.inside(token.idx):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj" and c.i < token.i]
    if not subjects or token.i - subjects[-1].left_edge.i > _MAX_SUBJECT_WORDS:
        return False
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].head.i == token.i and doc[end].dep_ in ("prt", "advmod"):
        end += 1  # "went on", "continued later"
    if end >= len(doc) or doc[end].text != ":":
        return False
    after = doc[end].idx + 1
    opened = quotes.regions_between(after, after + 3)
    return bool(opened) and not quotes.text[after : opened[0][0]].strip()


def _carry_venues(statements: list[Statement]) -> list[Statement]:
    """A speaker's later statements in an article were made where the text last said they spoke
    ("In an interview with Izvestia, Galuzin said … He added …")."""
    last_venue: dict[str, str] = {}
    out = []
    for st in statements:
        if st.speaker_name and st.venue:
            last_venue[st.speaker_name] = st.venue
        elif st.speaker_name and st.speaker_name in last_venue:
            st = replace(st, venue=last_venue[st.speaker_name])
        out.append(st)
    return out


def _contiguous_around(head: int, tokens: set[int]) -> set[int]:
    """The unbroken run of cue tokens through the head: a cue is one span, and an extension
    separated from the head by other words ("where he argued") is not part of it."""
    lo = hi = head
    while lo - 1 in tokens:
        lo -= 1
    while hi + 1 in tokens:
        hi += 1
    return set(range(lo, hi + 1))


def _paragraph_tokens(head, text: str) -> range:
    """Token ids of the line the cue stands on. The parser reads across line breaks and hangs a
    previous paragraph's quotation off the next paragraph's verb; a statement's parsed source and
    content stay on its own line (quotation rules, not the parse, carry content across lines)."""
    doc = head.doc
    start = text.rfind("\n", 0, head.idx) + 1
    end = text.find("\n", head.idx)
    end = len(text) if end < 0 else end
    span = doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(head.i, head.i + 1)


def _gaps_filled(content: set[int], taken: set[int], doc) -> set[int]:
    """Content runs joined across the words between them ("attacked [Romney] for [being …]",
    "[a complaint]: [that …]"): what one cue's dependents say on one side of it is one span,
    unless the cue or source stands between."""
    filled = set(content)
    ordered = sorted(i for i in content if not doc[i].is_punct)  # a stray comma anchors nothing
    for a, b in pairwise(ordered):
        gap = range(a + 1, b)
        if gap and not any(i in taken or "\n" in doc[i].text for i in gap):
            filled.update(gap)
    return filled


def _without_stray_marks(content: set[int], taken: set[int], doc) -> set[int]:
    """Drop runs of punctuation alone, set apart from the cue clause by other words, beside
    content with words: a closing quote mark the parser hung off the cue would otherwise be
    widened to the whole quotation ('pointed to X, noting that "…"' gave "pointed to" the
    quotation "noting" reports). A mark next to the cue clause ('"…," he said') stays: it stands
    for the quotation the parser left outside the cue's tree."""
    def marks_only(run):
        return all(doc[i].is_punct or doc[i].is_space for i in run)

    def beside_cue(run):
        for step, i in ((-1, run[0] - 1), (1, run[-1] + 1)):
            while 0 <= i < len(doc) and (doc[i].is_punct or doc[i].is_space) and i not in taken:
                i += step
            if i in taken:
                return True
        return False

    runs = _runs(sorted(content))
    if all(marks_only(run) for run in runs):
        return content
    return {i for run in runs if not marks_only(run) or beside_cue(run) for i in run}


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _inherited_source(head, cue: set[int], paragraph: range) -> set[int]:
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


def _names_a_time(phrase) -> bool:
    """A dependent that only says when: a date or time with at most its preposition and
    determiners ("on Wednesday", "Tuesday night", "this week"). As content, out of fold on
    PolNeAR train, such spans matched gold 23% of the time (5-fold CV content overlap .7872 ->
    .7879)."""
    words = [t for t in phrase.subtree if not (t.is_punct or t.is_space)]
    return any(t.ent_type_ in ("DATE", "TIME") for t in words) and all(
        t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("ADP", "DET") for t in words)


def _is_passive(verb) -> bool:
    """"was announced", "announced by" as a participle after its noun."""
    return any(c.dep_ == "auxpass" for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def _noun_before(clause) -> set[int]:
    """The noun phrase a clause modifies, up to the clause: "the major group" of "the major
    group backing Kask, which …"."""
    noun = clause.head
    return {t.i for t in noun.doc[noun.left_edge.i : min(noun.i + 1, clause.left_edge.i)]}


def _is_aside(head) -> bool:
    """A cue clause inserted in, or tacked onto, the clause that carries what was said. Such an
    aside has no complement of its own: "…, as the agency has warned about X" reports X."""
    if head.head.i == head.i:
        return False
    if any(c.dep_ in _COMPLEMENTS or (c.dep_ == "prep" and c.lower_ in ("about", "of")) for c in head.children):
        return False
    if head.dep_ == "parataxis":
        return True
    if head.dep_ == "conj" and head.head.i < head.i:
        # "Skelby will pay 30 per cent, Harbour Minister Anna Kask said, warning …": the parser
        # can take a reporting clause set off by a comma, with no "and", for a second conjunct
        subject = next((c for c in head.children if c.dep_ == "nsubj" and c.i < head.i), None)
        joined = any(c.dep_ == "cc" and head.head.i < c.i < head.i for c in head.head.children)
        return (subject is not None and not joined and cue_word(head) in REPORTING_WORDS
                and subject.left_edge.i > 0 and head.doc[subject.left_edge.i - 1].text == ",")
    if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in head.children):
        return True
    left = head.left_edge.i
    return head.dep_ in ("ccomp", "advcl") and head.head.i < left and left > 0 and head.doc[left - 1].text == ","


def _named_after_quotation(head, cue: set[int], paragraph: range, quotes: QuoteIndex) -> set[int]:
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


def _subject_beside(head, cue: set[int], paragraph: range, quotes: QuoteIndex) -> set[int]:
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


def _stranded_subject(head, cue: set[int]) -> set[int]:
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


def _quote_complete(spans, cue_span, quotes: QuoteIndex) -> list[tuple[int, int]]:
    """Widen content that starts or ends inside a quotation to the whole quotation."""
    out = []
    for s, e in spans:
        for qs, qe in quotes.regions_between(s - 1, e):
            inside_cue = qs <= cue_span[0] and cue_span[1] <= qe
            if not inside_cue and qe > s:
                s, e = min(s, qs), max(e, qe)
        out.append((s, e))
    return out


def _continue_quotations(frames: list[_Frame], doc, quotes: QuoteIndex) -> None:
    """'"…," he said in an interview. "…" "…"' — quotations that follow a quoted statement's cue
    continue it: the first may come after the rest of the cue's sentence, the next ones must follow
    each other directly; all within the paragraph and up to a quotation with a cue of its own."""
    text = quotes.text
    cue_offsets = sorted(f.head.idx for f in frames)
    # what each statement says already, looked up by range: a quotation another cue says ('"…," she
    # said, adding: "…"') is not more of this one
    said_already = SpanIndex((s, e, f) for f in frames for s, e in f.char_spans(f.content) + f.extra_content)
    clause_heads = sorted((f.head for f in frames if f.head.tag_ not in ("VBG", "VBN")), key=lambda t: t.idx)
    clause_offsets = [t.idx for t in clause_heads]
    for frame in frames:
        said = frame.char_spans(frame.content) + frame.extra_content
        if not said or not _ends_quoted(said, quotes):
            continue
        last = doc[max(frame.cue | frame.source | frame.content)]
        end = max([last.idx + len(last)] + [e for _, e in frame.extra_content])
        paragraph_end = text.find("\n", end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        first = True
        for qs, qe in quotes.iter_between(end, paragraph_end):
            gap = text[end:qs]
            # a cue between ends the statement, but not a participle after the cue ('"…," she
            # said, adding that …. "…"') nor a cue in a clause of the cue's own ('"…," Kask said
            # after the mayor announced …. "…"'; with a quotation closing on a full stop ending
            # its own sentence, 5-fold CV on PolNeAR train content overlap .7879 -> .7884); the
            # finite cues are sorted once and bisected here (a list of them per frame grew with
            # the square of the article's cues)
            between = clause_heads[bisect.bisect_left(clause_offsets, end) : bisect.bisect_left(clause_offsets, qs)]
            if qs < end or any(not frame.head.is_ancestor(t) for t in between) or any(
                other is not frame and not qs <= other.head.idx < qe for other in said_already.overlapping(qs, qe)
            ):
                break
            if first and _is_a_title(text[qs:qe]):
                continue  # 'said on Fox News' "Sunday Morning Futures."': a show's name, not more said
            if first:
                # the rest of the cue's sentence: one clause ending where the quotation opens
                if len(gap) > _MAX_CUE_SENTENCE_TAIL or re.search(r"[.?!;:]\s+\S", gap.rstrip()):
                    break
            elif gap.strip(" .,;"):
                break
            # the quotation's sentence, which ends with it when it closes on a full stop
            sentence_end = qe if text[qs:qe].rstrip(QUOTE_MARKS + " ")[-1:] in (".", "?", "!") else text.find(". ", qe, paragraph_end)
            sentence_end = paragraph_end if sentence_end < 0 else sentence_end
            if _any_between(cue_offsets, qs, sentence_end):
                break
            frame.extra_content.append((qs, qe))
            end, first = qe, False


def _any_between(offsets: list[int], start: int, end: int) -> bool:
    """Whether the sorted `offsets` hold one in [start, end): a bisection, not a scan of every cue
    of a long article per quotation."""
    k = bisect.bisect_left(offsets, start)
    return k < len(offsets) and offsets[k] < end


def _is_a_title(quotation: str) -> bool:
    """A quoted name in title case ("Meet the Press", "Good Morning America"): a programme,
    book or slogan named, not words someone said."""
    words = quotation.strip(QUOTE_MARKS + " .,").split()
    if not 0 < len(words) <= _MAX_TITLE_WORDS:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in _TITLE_SMALL_WORDS for w in words)


def _continue_open_quotations(frames: list[_Frame], quotes: QuoteIndex) -> None:
    """A quotation left open at a paragraph's end goes on in the next paragraph when that one
    opens with a quote mark (the newspaper convention for a quotation of several paragraphs);
    a paragraph with a cue of its own starts a statement of its own."""
    text = quotes.text
    cue_offsets = sorted(f.head.idx for f in frames)
    for frame in frames:
        said = sorted(frame.char_spans(frame.content) + frame.extra_content)
        region = quotes.region_at(said[-1][1] - 1) if said else None
        while region is not None and _left_open(region, text):
            rest = text[region[1] :]
            opens = region[1] + len(rest) - len(rest.lstrip())
            nxt = quotes.region_at(opens)
            if nxt is None or nxt[0] != opens:
                break
            paragraph_end = text.find("\n", nxt[1])
            paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
            if _any_between(cue_offsets, nxt[0], paragraph_end):
                break
            frame.extra_content.append(nxt)
            region = nxt


def _continue_quoted_paragraphs(frames: list[_Frame], quotes: QuoteIndex) -> None:
    """'"…," Kask said.' or "Kask said the port would close." then a paragraph that is only a
    quotation, with no cue of its own: the quotation goes on with the statement its preceding
    paragraph ended on (the newspaper convention for a speaker quoted at length; 5-fold CV on
    PolNeAR train, content overlap .7932 -> .7938 once an unquoted statement is continued too);
    so do the quoted paragraphs after it, up to a paragraph that is anything else."""
    text = quotes.text
    current: _Frame | None = None
    for start, end, in_line in _frames_by_line(frames, text):
        if not text[start:end].strip():
            continue
        if in_line:
            current = in_line[-1]
            continue
        regions = quotes.regions_between(start, end)
        pieces, at = [], start  # joined once: adding to a string per quotation copies it each time
        for a, b in regions:
            pieces.append(text[at:a])
            at = max(at, b)
        outside = "".join(pieces) + text[at:end]
        if current is None or not regions or regions[0][0] < start or outside.strip(" \t.,;"):
            current = None
            continue
        current.extra_content.extend(r for r in regions if r not in current.extra_content)


def _claim_lone_quotations(frames: list[_Frame], quotes: QuoteIndex) -> None:
    """A quotation of a sentence's length that no statement of its paragraph says, where the
    paragraph has statements, is said by the paragraph's speaker: the one whose cue comes last
    before it, else the first after it ('"…," Kask said as the ferry left. Other words. "…"';
    a paragraph of news quotes one voice). 5-fold CV on PolNeAR train: content overlap .7884 ->
    .7941; 85% of the quotations it adds match a gold content, most of them of a cue the model
    missed (a second "said" of the same speaker), and where the gold names a speaker other than
    by a pronoun it is the one given here 170 times in 203. A quoted title is no speech
    (`_is_a_title`). A quotation in a paragraph without statements stays unclaimed: the previous
    paragraph's speaker is the gold one there less often than not (31 times in 110)."""
    text = quotes.text
    # what every statement says, looked up by range rather than scanned per quotation
    said = SpanIndex((s, e, f) for f in frames for s, e in f.char_spans(f.content) + f.extra_content)
    for start, end, in_line in _frames_by_line(frames, text):
        if not in_line:
            continue
        for qs, qe in quotes.regions_between(start, end):
            quotation = text[qs:qe]
            if len(quotation.split()) < _MIN_QUOTED_SENTENCE or _is_a_title(quotation) or said.overlapping(qs, qe):
                continue
            # the last cue before the quotation, bisected (a list of them per quotation grew
            # with the square of a long line's cues)
            k = bisect.bisect_left(in_line, qs, key=lambda f: f.head.idx)
            speaker = in_line[k - 1] if k else in_line[0]
            speaker.extra_content.append((qs, qe))
            said.add(qs, qe, speaker)


def _frames_by_line(frames: list[_Frame], text: str) -> Iterator[tuple[int, int, list[_Frame]]]:
    """Each line of the text (a paragraph, in news) with the statements whose cue is on it, in
    the order of their cues; one pass over the cues, however many lines there are."""
    by_cue = sorted(frames, key=lambda f: f.head.idx)
    k = 0
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.span()
        while k < len(by_cue) and by_cue[k].head.idx < start:
            k += 1
        in_line = []
        while k < len(by_cue) and by_cue[k].head.idx < end:
            in_line.append(by_cue[k])
            k += 1
        yield start, end, in_line


def _left_open(region: tuple[int, int], text: str) -> bool:
    """The quotation runs to its paragraph's end without a closing mark."""
    body = text[region[0] : region[1]].rstrip()
    return text[region[1] : region[1] + 1] == "\n" and len(body) > 1 and body[-1] not in "”»\"'"


def _ends_quoted(spans, quotes: QuoteIndex) -> bool:
    """What was said ends on a quotation ('the quay is also a "sleeping giant," Kask said.')."""
    end = max(e for _, e in spans)
    region = quotes.region_at(end - 1)
    return region is not None and region[1] <= end + 1


def _merged(spans) -> list[tuple[int, int]]:
    """Sorted fragments with overlapping ones joined: a widened quotation can swallow another."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _mode(head, content_spans, quotes: QuoteIndex) -> str:
    if head.lower_ == "according":
        return ACCORDING_TO
    if not content_spans:
        return INDIRECT
    quoted = 0
    for s, e in content_spans:
        region = quotes.region_at(s)
        if region and region[1] >= e:
            quoted += 1
        elif quotes.regions_between(s, e):
            return MIXED
    if quoted == len(content_spans):
        return DIRECT
    return MIXED if quoted else INDIRECT
