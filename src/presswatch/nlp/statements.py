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
`speakers`; people named side by side as the source are one statement's joint speaker. A
statement relayed by "according to" ("Kask said the ferry would run, according to the Board") is
the speaker's, ending before "according to", in the statements scope; PolNeAR marks it as the
"according to"'s content, with no cue of its own inside. The statements scope then reports one utterance once: a cue that only names a topic
joins the participle or conjoined cue of its subject, and a statement inside its own speaker's
other statement is dropped, unless it is a participle cue after the cue ("…, adding that …"),
cut out of the other's content wherever the parser hung it (PolNeAR's attributions scope
keeps every cue apart, cuts any statement hung off a word of another's content out of that
content, and gives one standing wholly inside another's content no content of its own). It also reports no negated or withheld cue ("did not
respond to a request for comment"), and names the speaker without the clauses said of it ("X, who
chairs the board,"), where PolNeAR's source spans keep them.

This module holds the entry points and the flow of one article: score the cues, build a frame (the
token sets of one statement, `frames.Frame`) for each, then pass the frames through the rules kept
by what they do: `layout_cues` (speaker labels, signed quotations, a verb beside a quotation),
`statement_sources` (who spoke, where the parse hung the speaker elsewhere), `quoted_content`
(quotations a statement goes on into) and `frame_filters` (frames dropped, cut or joined by scope);
each frame becomes a `Statement` at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import pairwise

from presswatch.nlp.cues import (
    CONTENT,
    CUE_SUBTREE,
    CUE_TOKEN,
    REPORTING_WORDS,
    SOURCE,
    CueModel,
    cue_word,
    extended_cue_word,
    load_cue_model,
)
from presswatch.nlp.details import statement_date, venue_and_addressee
from presswatch.nlp.frame_filters import (
    is_pleasantry,
    is_question,
    is_withheld,
    one_per_speaker_mention,
    relays_whole,
    without_asked_quotations,
    without_doubtful_cues,
    without_echoed_content,
    without_other_statements,
    without_relays,
    without_restatements,
)
from presswatch.nlp.frames import SURE_CUE, Frame, runs
from presswatch.nlp.furniture import dateline_spans, furniture_spans
from presswatch.nlp.layout_cues import (
    closes_quotation,
    interview_answer_frames,
    line_starts,
    opens_quotation,
    signed_quotation_frames,
    speaker_label_frame,
)
from presswatch.nlp.mentions import mentions_from_doc
from presswatch.nlp.pipeline import PARSE_BATCH, doc_text, load_nlp
from presswatch.nlp.quoted_content import (
    claim_lone_quotations,
    continue_open_quotations,
    continue_quotations,
    continue_quoted_paragraphs,
    quote_complete,
)
from presswatch.nlp.quotes import QuoteIndex
from presswatch.nlp.spans import SpanIndex
from presswatch.nlp.speakers import ArticleEntities, resolve_speaker
from presswatch.nlp.statement_sources import (
    antecedent_speaker,
    asked_aside_subject,
    inherited_source,
    named_after_quotation,
    put_to_subject,
    speaker_after_venue,
    stranded_subject,
    subject_beside,
    without_a_first_conjunct,
    without_aside_clauses,
)
from presswatch.records import (
    LABEL_CUE,
    PERSON,
    UNKNOWN_SPEAKER,
    Article,
    Mention,
    Statement,
)

DIRECT, INDIRECT, MIXED, ACCORDING_TO = "direct", "indirect", "mixed", "according_to"
_COMPLEMENTS = {"dobj", "ccomp", "xcomp", "attr", "dative"}
_MAX_CHILD_DEPTH = 3
_MAX_CUE_PHRASE = 5  # longer phrases are content or context, not part of the cue


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
        if closes_quotation(token, quotes) or opens_quotation(token, quotes):
            scored.append((max(SURE_CUE, model.probability(token, quotes)), token))
        elif cue_word(token) in lexicon:
            p = model.probability(token, quotes)
            if p >= model.threshold:
                scored.append((p, token))
    scored.sort(key=lambda x: (-x[0], x[1].i))
    starts = line_starts(doc, quotes.text, furniture)
    frames = [f for f in map(speaker_label_frame, starts) if f is not None]
    if scope == STATEMENTS:
        # an answer is its speaker's statement with no word of the text saying so: PolNeAR, which
        # the attributions scope follows, annotates none (two Q/A transcripts in its train half)
        frames += interview_answer_frames(starts, article.title, article.author)
    frames += signed_quotation_frames(doc, quotes)
    taken: set[int] = {i for f in frames for i in f.cue}
    for p, token in scored:
        if token.i in taken:
            continue
        frame = _frame_of_cue(token, model, quotes, p, scope)
        if frame.cue & taken:
            continue
        taken |= frame.cue
        frames.append(frame)
    frames.sort(key=lambda f: f.head.i)
    for frame in frames:
        # the parser reads a dateline into the sentence it opens, as its subject or a dependent
        frame.source -= filed_from
        frame.content -= filed_from
    # before the doubtful cues go: a relayed cue stands in its relay's content
    frames = relays_whole(frames) if scope == ATTRIBUTIONS else without_relays(frames)
    frames = without_doubtful_cues(frames)
    without_other_statements(frames, added_by_the_speaker_only=scope == STATEMENTS)
    continue_quotations(frames, doc, quotes)
    continue_open_quotations(frames, quotes)
    continue_quoted_paragraphs(frames, quotes)
    claim_lone_quotations(frames, quotes)
    if scope == ATTRIBUTIONS:
        without_echoed_content(frames)
    else:
        without_asked_quotations(frames, quotes)
    entities = ArticleEntities.from_mentions(doc, mentions_from_doc(doc, article) if mentions is None else mentions)
    entities.exclude_within([span for f in frames for span in f.char_spans(f.content)])
    statements = []
    for frame in frames:
        st = _statement(frame, article, doc, entities, quotes)
        if st.speaker_kind == PERSON and st.speaker_name:
            entities.note_speaker(st.cue_span[0], st.speaker_name)
        statements.append(st)
    if scope == STATEMENTS:
        # A statement needs something said and someone (or some body) saying it; a question
        # asserts nothing, whoever put it, nor does a courtesy, and a cue the text says was not made
        # reports nothing.
        kept = [
            frame for st, frame in zip(statements, frames)
            if st.content_spans and st.speaker_kind != UNKNOWN_SPEAKER and not is_question(frame, st)
            and not is_withheld(frame.head) and not is_pleasantry(st)
        ]
        made = {id(frame): st for st, frame in zip(statements, frames)}
        reported = one_per_speaker_mention(kept)
        statements = [made.get(id(frame)) or _statement(frame, article, doc, entities, quotes) for frame in reported]
        statements = without_restatements(_one_date_per_occasion(statements, reported))
    return _carry_venues(statements)


def _frame_of_cue(head, model: CueModel, quotes: QuoteIndex, probability: float, scope: str = STATEMENTS) -> Frame:
    """The frame of one scored cue: the cue, source and content the learned role table gives its
    dependents, then the parse rules for a source or content it gave none."""
    frame = Frame(head, probability)
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
    adverbs = _adverbs_after(head)
    after = head.i + len(adverbs) + 1
    following = head.doc[after] if after < len(head.doc) else None
    if following is not None and following.head.i != head.i and model.takes_as_particle(cue_word(head), following):
        # "pointed to alliance exercises": the parser read "to" as an infinitive's marker, but
        # the word takes it as its own, as PolNeAR's cues do ("pointed to" 13 times in train,
        # "pointed" alone before "to" never)
        frame.cue.add(following.i)
    if following is not None and following.i in frame.cue:
        # "called once more for a ban", "pointed again to": the adverbs between the word and its
        # particle are in the cue, which is one span; PolNeAR's annotators put them there ("called
        # again for", "cheered loudly for", "stuck firmly to": 13 of train's cues, none leaving the
        # adverb out, since no cue there is in two pieces)
        frame.cue.update(adverbs)
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
            inherited_source(head, frame.cue, paragraph)
            or stranded_subject(head, frame.cue)
            or next((s for c in head.children if c.i < head.i and (s := asked_aside_subject(c))), set())
        )
    if put_to_subject(head):
        # "Kask, asked whether …, said", "Asked about it, Kask said": Kask was asked; the
        # one asking is only ever the passive's agent
        agents = [o for c in head.children if c.dep_ == "agent" for o in c.children]
        frame.source = {t.i for o in agents for t in o.subtree}
    frame.source = {i for i in frame.source if i in paragraph} - frame.cue
    if not frame.source:
        frame.source = named_after_quotation(head, frame.cue, paragraph, quotes) or subject_beside(
            head, frame.cue, paragraph, quotes)
    if scope == STATEMENTS:
        # the speaker as the person or body named, as the faces show it; PolNeAR's source
        # spans keep the relative pronoun and the clauses
        frame.source = without_aside_clauses(antecedent_speaker(head, frame.source), head.doc)
        frame.source = without_a_first_conjunct(frame.source, min(frame.cue), head.doc)
        # a statement shown alone reads with the antecedent; PolNeAR marks the relative pronoun
        # itself (over train's gold cues heading an object or passive-subject relative clause,
        # the pronoun is content 113 times, the antecedent 16)
        frame.content = _antecedent_for_relative(head, frame.content)
    frame.content = {i for i in frame.content if i in paragraph} - (frame.cue | frame.source)
    taken = frame.cue | frame.source
    frame.content = _without_stray_marks(_gaps_filled(frame.content, taken, head.doc), taken, head.doc)
    if all(head.doc[i].is_punct for i in frame.content):
        frame.content = set()
        _fallback_content(frame, quotes)
    return frame


def _fallback_content(frame: Frame, quotes: QuoteIndex) -> None:
    """Content for a cue whose dependents said nothing: the clause around "according to X", the
    clause the cue is an aside in, a that-clause, or the quotation just after "said:" or just
    before the cue clause."""
    head = frame.head
    doc = head.doc
    if head.lower_ == "according":
        clause = head.head
        while clause.dep_ in ("prep", "pobj", "pcomp") and clause.head.i != clause.i:
            clause = clause.head
        subject = _give_back_subject(frame, clause)
        skip = {t.i for t in head.subtree} | frame.cue | frame.source
        frame.content = ({t.i for t in clause.subtree} - skip) | subject
        return
    if _is_aside(head):
        # "The harbour, Kask said, will close", "As the Gazette reported, the port …": the cue
        # clause is an aside in what was said
        clause = head.head
        aside = {t.i for t in head.subtree}
        paragraph = _paragraph_tokens(head, quotes.text)
        between = _between_semicolons(head, clause)
        frame.content = {t.i for t in clause.subtree if t.i in paragraph and t.i in between} - aside
        return
    clauses = [c for c in head.children if c.dep_ == "ccomp" and c.i > head.i]
    if clauses:
        # "He highlighted that there is no alternative": a that-clause is what was said even
        # where the learned table, short of examples for the word, said otherwise
        frame.content = {t.i for t in clauses[0].subtree} - (frame.cue | frame.source)
        return
    # "X said:" / "X told reporters:" followed by a quotation
    last = doc[max(frame.cue)]
    end = last.idx + len(last)
    following = quotes.regions_between(end, end + 4)
    if following and quotes.text[end : following[0][0]].strip() in ("", ":", ","):
        frame.extra_content.append(following[0])
        return
    # '"…" Bush said.': the quotation just before the cue clause
    start = doc[min(frame.cue | frame.source)].idx
    preceding = quotes.regions_between(start - 4, start)
    if preceding and preceding[-1][1] <= start and not quotes.text[preceding[-1][1] : start].strip(" ,"):
        frame.extra_content.append(preceding[-1])


def _between_semicolons(head, clause) -> range:
    """Token ids of the clause's stretch around the cue that no semicolon crosses: "The pier, Kask
    said, was safe; the ferry, she added, would run": the parser hangs the first clause off the
    second's verb, but "she added" is an aside in the second alone."""
    doc = head.doc
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    before = [t.i for t in doc[start : head.i] if t.text == ";"]
    after = [t.i for t in doc[head.i : end] if t.text == ";"]
    return range(before[-1] + 1 if before else start, after[0] if after else end)


def _give_back_subject(frame: Frame, clause) -> set[int]:
    """"According to X, Y and Z are …": when the clause has no subject, the parser has taken
    it for a conjunct of the source after a comma; that conjunct is the subject, so content."""
    doc = clause.doc
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
        return set()
    for i in sorted(frame.source):
        commas = [c.i for c in doc[i].children if c.text == ","]
        if commas and any(c.dep_ == "conj" and c.i > min(commas) for c in doc[i].children):
            subject = {j for j in frame.source if j > min(commas)}
            frame.source -= subject | {min(commas)}
            return subject
    return set()


def _statement(frame: Frame, article: Article, doc, entities: ArticleEntities, quotes: QuoteIndex) -> Statement:
    """The frame as the record the faces show: its character spans, the speaker resolved within
    the article, and where, to whom and when it was said."""
    cue_span = frame.char_spans(frame.cue)[0] if frame.char_spans(frame.cue) else (frame.head.idx, frame.head.idx + len(frame.head))
    if quotes.text[cue_span[1] : cue_span[1] + 1] == ":":
        cue_span = (cue_span[0], cue_span[1] + 1)  # 'said:' — the colon that opens what was said is cue
    content_spans = quote_complete(frame.char_spans(frame.content), cue_span, quotes) + frame.extra_content
    content_spans = _merged(content_spans)
    claim_spans = [] if frame.claim is None else _merged(
        quote_complete(frame.char_spans(frame.claim), cue_span, quotes) + frame.extra_content)
    source = speaker_after_venue(frame.source, doc, entities)
    source_spans = frame.char_spans(source)
    speaker_span = (source_spans[0][0], source_spans[-1][1]) if source_spans else None
    if source:
        name, role, kind = resolve_speaker(doc, min(source), max(source) + 1, entities)
    else:
        name, role, kind = None, None, UNKNOWN_SPEAKER
    venue, addressee = venue_and_addressee(
        frame.head, frame.cue | frame.content | source, min(source) if source else None, frame.content)
    text = quotes.text
    return Statement(
        id=f"{article.id}:{cue_span[0]}-{cue_span[1]}",
        article_id=article.id,
        speaker=_speaker_text(text, source_spans) if source_spans else None,
        speaker_name=name,
        speaker_role=role,
        speaker_kind=kind,
        cue=_cue_as_said(doc, cue_span, text),
        content=_pieces(text, content_spans),
        claim=_pieces(text, claim_spans) if claim_spans else None,
        mode=_mode(frame.head, content_spans, quotes),
        cue_span=cue_span,
        speaker_span=speaker_span,
        content_spans=tuple(content_spans),
        venue=venue,
        addressee=addressee,
        date=statement_date(frame.head, frame.content, article.published),
        confidence=round(frame.probability, 4),
    )


# Marks a cue span may end on without their being words of the cue.
_CUE_TRAILING_MARKS = " :;,"


def _cue_as_said(doc, cue_span: tuple[int, int], text: str) -> str:
    """The cue's words as they would be said mid-sentence: "According to Kask, ..." is cued by
    "according to" (a briefing line reads "Kask according to · ..."); a cue opening its sentence is
    capitalised only by its place there, unless its first word is a name. A colon the span takes
    ("said:", PolNeAR's cue span) is punctuation, not a word of the cue; a layout's cue that is
    only a colon ("Kask: …") stays one."""
    cue = text[cue_span[0] : cue_span[1]]
    cue = cue.rstrip(_CUE_TRAILING_MARKS) or cue
    first = doc.char_span(cue_span[0], cue_span[1], alignment_mode="expand")
    if first is not None and first[0].is_sent_start and first[0].pos_ != "PROPN" and not first[0].is_upper:
        return cue[:1].lower() + cue[1:]
    return cue


def _speaker_text(text: str, spans) -> str:
    """The speaker as written, without a clause set off inside it ("Owners of the cafés, whose
    crêpes won praise, and crêperies along the quay": `without_aside_clauses`); a gap of commas
    and spaces only ("Kask, the mayor") is kept as written."""
    written = text[spans[0][0] : spans[0][1]]
    for (_, end), (start, stop) in zip(spans, spans[1:]):
        gap = text[end:start]
        written += (gap if not gap.strip(" ,") else " ") + text[start:stop]
    return written


def _pieces(text: str, spans) -> str:
    """The text of a statement's spans, the gaps between them marked."""
    return " … ".join(text[s:e] for s, e in spans)


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
    if head.text == LABEL_CUE:
        return DIRECT  # a transcript's line is the speaker's words, quoted or not
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


def _one_date_per_occasion(statements: list[Statement], frames: list[Frame]) -> list[Statement]:
    """Statements of one speaker mention in one sentence were made on one occasion: "Kask warned
    on Monday that … and urged …" dates the urging too, where the parser hung "urged" inside
    what was warned, out of reach of "on Monday"."""
    dates: dict[tuple, set[str]] = {}
    for st, frame in zip(statements, frames):
        if frame.source and st.date:
            dates.setdefault((frozenset(frame.source), frame.head.sent.start), set()).add(st.date)
    out = []
    for st, frame in zip(statements, frames):
        found = dates.get((frozenset(frame.source), frame.head.sent.start), set())
        out.append(replace(st, date=next(iter(found))) if st.date is None and len(found) == 1 else st)
    return out


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


def _dateline_tokens(doc, text: str) -> set[int]:
    """Token ids of the datelines opening lines ("SKELBY, March 3 (Kestrel) — "): where the report
    was filed, neither a cue, nor a source, nor what was said."""
    tokens: set[int] = set()
    for start, end in dateline_spans(text):
        span = doc.char_span(start, end, alignment_mode="contract")
        tokens.update(range(span.start, span.end) if span is not None else ())
    return tokens


def _names_a_time(phrase) -> bool:
    """A dependent that only says when: a date or time with at most its preposition and
    determiners ("on Wednesday", "Tuesday night", "this week"). As content, out of fold on
    PolNeAR train, such spans matched gold 23% of the time (5-fold CV content overlap .7872 ->
    .7879)."""
    words = [t for t in phrase.subtree if not (t.is_punct or t.is_space)]
    return any(t.ent_type_ in ("DATE", "TIME") for t in words) and all(
        t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("ADP", "DET") for t in words)


def _adverbs_after(head) -> list[int]:
    """Token ids of the adverbial modifiers right after a cue word ("called *once more* for",
    "pointed *again* to"; the parser tags "more" there as an adjective): at most three, each
    hung off the word or off another of them."""
    doc = head.doc
    run: list[int] = []
    i = head.i + 1
    while i < len(doc) and len(run) < 3 and doc[i].dep_ == "advmod":
        run.append(i)
        i += 1
    while run and not all(doc[j].head.i == head.i or doc[j].head.i in run for j in run):
        run.pop()
    return run


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

    content_runs = runs(sorted(content))
    if all(marks_only(run) for run in content_runs):
        return content
    return {i for run in content_runs if not marks_only(run) or beside_cue(run) for i in run}


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
