"""Entities: mentions over fictional text, resolution rules, the store, decisions, CLI, scoring.

Every name here is invented. The spaCy model is loaded once per module (about a second).
"""

from __future__ import annotations

import json

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from presswatch.cli import app
from presswatch.engine.analyse import analyse
from presswatch.engine.entities import update_entities
from presswatch.evaluate.entities import score_seed_entities
from presswatch.nlp.mentions import extract_mentions, mentions_from_doc
from presswatch.nlp.pipeline import load_nlp
from presswatch.nlp.resolve import Decision, NameNode, resolve
from presswatch.records import (
    NATIONALITY,
    ORGANIZATION,
    PERSON,
    PLACE,
    TEXT,
    Article,
    Page,
    SpeakerLink,
)
from presswatch.store import Store
from presswatch.store.entities import (
    add_decision,
    entity_detail,
    find_entities,
    list_entities,
    resolve_name,
    speakers_links,
)
from presswatch.store.statements import article_statements


def article(id_: str, body: str, published: str = "2024-03-03", outlet: str = "The Harbour Ledger") -> Article:
    return Article(id=id_, page_id=id_, url=None, title=None, body=body, paragraphs=(body,), outlet=outlet,
                   published=published, language="en")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions_of(nlp, body: str):
    return mentions_from_doc(nlp(body), article("a", body))


# -- mentions -------------------------------------------------------------------------------------

PACT = (
    "The Lerin Basin Council (LBC) met in Port Aldane. Varnia's Foreign Minister Anneli Korhel, who chaired "
    "the talks, said the LBC would meet again. Korhel thanked the Selvan envoy.\n\n"
    "Arvid Tannberg, deputy minister of trade of Selvania, told reporters that the Skelby Harbour Authority "
    "(SHA) was not consulted. Tannberg added that the SHA had been informed in writing."
)


def test_offsets_index_the_body_and_names_are_clean(nlp):
    found = mentions_of(nlp, PACT)
    assert found
    for m in found:
        assert PACT[m.start : m.end] == m.text
        assert not m.text.endswith(("'s", "’s")) and not m.text.lower().startswith("the ")
    assert ("Varnia", PLACE) in {(m.text, m.type) for m in found}


def test_short_forms_and_defined_acronyms_link_to_the_full_name(nlp):
    links = {(m.text, m.refers_to) for m in mentions_of(nlp, PACT)}
    assert ("Korhel", "Anneli Korhel") in links
    assert ("Tannberg", "Arvid Tannberg") in links
    assert ("LBC", "Lerin Basin Council") in links
    assert ("SHA", "Skelby Harbour Authority") in links


def test_roles_from_titles_and_appositions(nlp):
    roles = {m.text: m.role for m in mentions_of(nlp, PACT) if m.role}
    assert roles["Anneli Korhel"] == "Varnia's Foreign Minister"
    assert roles["Arvid Tannberg"] == "deputy minister of trade of Selvania"
    body = "President Oskar Vellin met the alliance's special envoy, Hanne Orlov, in Saltreach."
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert found["Oskar Vellin"].role == "President"  # the title is cut off the name
    assert found["Hanne Orlov"].type == PERSON and found["Hanne Orlov"].role == "alliance's special envoy"


@pytest.mark.parametrize(("body", "name", "role"), [
    # the model finds no name at all in these; an occupation is no title word (names.ROLE_HEADS)
    ("Pavel Orlov, the harbour engineer, said the pier was rotten.", "Pavel Orlov", "harbour engineer"),
    ("Orlov, the harbour engineer, said the pier was rotten.", "Orlov", "harbour engineer"),
    # typed a body or a place by the model
    ("The harbour engineer, Orlov, said the pier was rotten.", "Orlov", "harbour engineer"),
    ("Agnes Pold, the shopkeeper, said the pier was rotten.", "Agnes Pold", "shopkeeper"),
])
def test_a_name_set_off_beside_a_trade_is_a_person_with_that_role(nlp, body, name, role):
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert (found[name].type, found[name].role, found[name].type_evidence) == (PERSON, role, f"the role '{role}'")


@pytest.mark.parametrize("body", [
    "Tarsby, the mayor's home town, voted on Monday.",  # a role word in the phrase, not its head
    "The ferry sails from Tarsby, a town of fishermen, every morning.",
])
def test_a_place_set_off_beside_a_phrase_naming_people_stays_a_place(nlp, body):
    assert {m.text: m.type for m in mentions_of(nlp, body)}.get("Tarsby") != PERSON


def test_a_sentences_opening_adverb_is_not_part_of_the_name_after_it(nlp):
    body = "Ilse Varn, the doctor, said the clinic was full. Later Varn insisted the ferry would run."
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert "Later Varn" not in found and found["Varn"].type == PERSON and found["Varn"].refers_to == "Ilse Varn"


def test_a_surname_the_model_took_for_a_people_is_the_person_named_in_full(nlp):
    body = "Dagny Brask, the nurse, said the pier was rotten. Later Brask insisted the ferry would run."
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert found["Brask"].type == PERSON and found["Brask"].refers_to == "Dagny Brask"


def test_a_role_phrase_swallowing_a_person_is_split(nlp):
    body = "Deputy Head of the Presidential Office Pavel Sorin said that the plan was dead."
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert found["Pavel Sorin"].type == PERSON
    assert found["Pavel Sorin"].role == "Deputy Head of the Presidential Office"


def test_demonyms_stay_apart_from_places(nlp):
    found = {(m.text, m.type) for m in mentions_of(nlp, "Evgeny Lomatsky, the Selvan envoy, left early.")}
    assert ("Selvan", NATIONALITY) in found


def test_two_people_with_one_surname_leave_the_bare_surname_unlinked(nlp):
    body = "Harbour master Marek Toll met Mayor Ilse Toll in Saltreach on Monday. Toll said the quay would reopen."
    found = mentions_of(nlp, body)
    bare = [m for m in found if m.text == "Toll"]
    assert bare and all(m.refers_to == "Toll" for m in bare)
    assert {"Marek Toll", "Ilse Toll"} <= {m.text for m in found if m.type == PERSON}


def test_batch_wrapper_matches_single_parses(nlp):
    articles = [article("x", PACT), article("y", "Anneli Korhel spoke in Skelby.")]
    batch = list(extract_mentions(articles, nlp=nlp, batch_size=1))
    assert [a.id for a, _ in batch] == ["x", "y"]
    assert batch[0][1] == mentions_from_doc(nlp(PACT), articles[0])


def test_site_furniture_and_section_names_are_never_entities(nlp):
    body = (
        "Home | World | Politics | Tarsenia\n"
        "Anneli Korhel met Hanne Orlov in Skelby on Monday to discuss the ferry timetable.\n"
        "Our website uses cookies. By clicking on \"I accept cookies\" you consent to our Cookie Policy "
        "and to the Privacy Policy of the Skelby Courier Group."
    )
    found = mentions_of(nlp, body)
    names = {m.text for m in found}
    assert {"Anneli Korhel", "Hanne Orlov"} <= names
    assert not names & {"Cookie Policy", "Privacy Policy", "Politics", "World", "Home", "Skelby Courier Group"}
    assert all(m.start > body.index("\n") and m.end < body.rindex("\n") for m in found)


def test_capitals_countries_and_demonyms_get_their_types(nlp):
    body = "Armenian officials met Anneli Korhel in Vilnius. Korhel later flew to Yerevan, and the US envoy joined them."
    types = {m.text: m.type for m in mentions_of(nlp, body)}
    assert types.get("Vilnius") == PLACE and types.get("Yerevan") == PLACE and types.get("US") == PLACE
    assert types.get("Armenian") == NATIONALITY
    assert types.get("Korhel") == PERSON


def test_a_person_set_off_after_a_role_phrase_and_her_surname_are_people_and_credits_name_no_one(nlp):
    body = (
        "The Selvan Federation sent its ambassador to Tarsenia, Orla Venmark, rather than a minister. "
        "According to Venmark, Vyshtal will decide by the end of the year.\n"
        "(Reporting by Tilde Arnsen; editing by Marit Olse)"
    )
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert found["Orla Venmark"].type == PERSON and found["Orla Venmark"].role == "ambassador to Tarsenia"
    assert found["Venmark"].type == PERSON and found["Venmark"].refers_to == "Orla Venmark"
    # the wire story's credits name who made the report, not anyone in it
    assert not {"Tilde Arnsen", "Marit Olse"} & set(found)


def test_the_place_of_a_city_name_keeps_its_type(nlp):
    body = "Ministers met off the Free City of\nCaldrun in January. Caldrun hosts the next meeting in May."
    types = [(m.text, m.type) for m in mentions_of(nlp, body) if "Caldrun" in m.text]
    assert types and all(t == PLACE for _, t in types)


def test_a_name_headed_by_a_place_noun_is_a_place(nlp):
    body = (
        "Residents of Mirren Bay welcomed the news, Gulls Point mayor Tova Elling said on Monday.\n\n"
        "North Harbour said on Monday it would close the quay. Crews from North Harbour and Port Elsby met. "
        "Port Elsby Council voted. Mirren Bay said no."
    )
    found = mentions_of(nlp, body)
    for place in ("Mirren Bay", "Gulls Point", "Port Elsby", "North Harbour"):
        assert {m.type for m in found if m.text == place} == {PLACE}, place
    types = {m.text: m.type for m in found}
    assert types.get("Tova Elling") == PERSON
    assert types.get("Port Elsby Council") == ORGANIZATION  # an organisation word heads it
    # the head of "X of Y" stands before "of"; in a results table a town names its team
    teams = "Results on Saturday :\nMirren City 2 Port Elsby 1\nThe Union of Island States met in Mirren Bay."
    types = {m.text: m.type for m in mentions_of(nlp, teams)}
    assert types.get("Mirren City") == ORGANIZATION and types.get("Port Elsby") == ORGANIZATION
    assert types.get("Union of Island States") == ORGANIZATION and types.get("Mirren Bay") == PLACE


def test_a_place_the_model_missed_is_found_by_its_demonym(nlp):
    body = (
        "Drevany has closed its border. The Drevan Union said the Drevan government would reopen it. "
        "Drevany will talk to Varnia. Drevan officials met in Skelby. Drevans were angry."
    )
    types = {m.text: m.type for m in mentions_of(nlp, body)}
    assert types.get("Drevany") == PLACE and types.get("Drevan") == NATIONALITY
    assert "Drevans" not in types  # another demonym, not the place


def test_a_place_in_ania_is_found_by_its_demonym_in_an(nlp):
    body = "Velsania said on Monday it would not sign. Velsan officials met in Skelby. Velsania wants more time, the Velsan envoy said."
    mentions = mentions_of(nlp, body)
    assert {m.type for m in mentions if m.text == "Velsania"} == {PLACE}  # the model typed the first an organisation
    assert {m.type for m in mentions if m.text == "Velsan"} == {NATIONALITY}


@pytest.mark.parametrize("body", [
    # the model typed the first two a person, the last a place
    "The minister said Dravholm would never accept foreign warships. Dravholm will decide on its share of the costs, he said after talks in Dravholm.",
    # a dateline, where the model found no name
    "KORVETSK, May 2 (Lerin Wire) - The ferry operator said Korvetsk would block the deal.",
    "Analysts said Orsenvik would raise the matter again. Officials in the capital, Orsenvik, declined to comment.",
    "Analysts said Orsenvik would raise the matter again, after her visit to Orsenvik in May.",
    # the text calls it a settlement: the model typed both mentions a body
    "Brenmouth, a fishing town of 4,000 people, lost its ferry in May.\n\nMayor Eva Lund said Brenmouth will pay half "
    "the cost of the new quay.",
    "Brenmouth is a fishing town on the north coast.\n\nBrenmouth says the ferry will return in the autumn.",
])
def test_a_name_the_text_puts_somewhere_is_a_place_throughout_its_article(nlp, body):
    types = {m.type for m in mentions_of(nlp, body) if m.text in ("Dravholm", "Korvetsk", "Orsenvik", "Brenmouth")}
    assert types == {PLACE}


def test_a_name_said_to_be_a_settlement_only_in_passing_is_not_thereby_a_place(nlp):
    # "town" heads neither an apposition of the name nor the attribute of its "is"
    body = "Brenmouth is a town council with a large budget.\n\nBrenmouth says the ferry will return in the autumn."
    assert PLACE not in {m.type for m in mentions_of(nlp, body) if m.text == "Brenmouth"}


def test_an_outlet_is_an_organisation_by_its_media_word_or_as_the_pages_outlet(nlp):
    body = "Harbour master Ilsa Tenvik told Mirren Coast Online that the quay would stay closed. Brackwater Bay asked her why."
    types = {m.text: m.type for m in mentions_from_doc(nlp(body), article("a", body, outlet="Brackwater Bay"))}
    assert types.get("Mirren Coast Online") == ORGANIZATION  # a place's head noun before the media word
    assert types.get("Brackwater Bay") == ORGANIZATION  # the page's own outlet
    elsewhere = {m.text: m.type for m in mentions_of(nlp, body)}
    assert elsewhere.get("Brackwater Bay") == PLACE  # on another outlet's page, its head noun decides


def test_hyphenated_names_stay_whole_in_titles_and_short_forms_link(nlp):
    body = (
        "The Free City of Caldrun asked for calm. The Free City said it had not been told.\nThe Inter-Island Ferry "
        'Company raised fares. Inter-Island Ferry said the rise was needed.\n"We will go on," said Anti-Corruption '
        "Bureau spokeswoman Dina Rell."
    )
    found = {m.text: m for m in mentions_of(nlp, body)}
    assert found["Dina Rell"].role == "Anti-Corruption Bureau spokeswoman"
    assert found["Inter-Island Ferry"].refers_to == "Inter-Island Ferry Company"
    assert found["Free City"].refers_to == "Free City of Caldrun"
    assert "Defence" not in {m.text for m in mentions_of(nlp, "Defence Minister Halla Voss said so.")}


def test_gazetteer_types_known_names_and_shouted_headlines_give_only_known_ones(nlp):
    body = "SOCCER - SKELBY ROVERS HOLD PORTUGAL TO DRAW IN FRIENDLY .\nPortugal and Sweden drew 1-1 in Lisbon on Sunday ."
    found = {(m.text, m.type) for m in mentions_of(nlp, body)}
    assert ("PORTUGAL", PLACE) in found and ("Lisbon", PLACE) in found and ("Sweden", PLACE) in found
    assert not any(text in ("SOCCER", "SKELBY ROVERS HOLD", "FRIENDLY", "DRAW") for text, _ in found)


def test_towns_in_results_tables_are_teams_and_countries_stay_places(nlp):
    body = "Results on Saturday :\nSaltreach 2 Brimwick 1\nPortugal 3 Sweden 0\nFenmouth v Skelby\nLONDON 1996-08-30"
    types = {m.text: m.type for m in mentions_of(nlp, body)}
    assert types.get("Saltreach") == ORGANIZATION and types.get("Brimwick") == ORGANIZATION
    assert types.get("Fenmouth") == ORGANIZATION and types.get("Skelby") == ORGANIZATION
    assert types.get("Portugal") == PLACE and types.get("Sweden") == PLACE
    assert types.get("LONDON") == PLACE  # a dateline is no table


def test_dashes_commas_and_scores_part_names(nlp):
    body = "Tarsenia - Orla Venmark ( 13th ) scored at Grace Road , Saltreach .\nSkelby Rovers 2 Brimwick 1"
    names = {m.text for m in mentions_of(nlp, body)}
    assert not any(" - " in n or "," in n or n[-1].isdigit() for n in names)
    assert "Orla Venmark" in names


def test_a_station_keeps_its_number_and_a_team_loses_its_score(nlp):
    body = "The minister told Radio Valmora 1 on Monday that talks would resume.\nSkelby Rovers 2 Brimwick 1"
    names = {m.text for m in mentions_of(nlp, body)}
    assert "Radio Valmora 1" in names and "Skelby Rovers" in names


def test_a_parse_of_another_text_is_refused(nlp):
    with pytest.raises(ValueError):
        mentions_from_doc(nlp("Something else."), article("a", PACT))


# -- resolution rules (no model) ----------------------------------------------------------------


def nodes(*specs):
    """specs: (type, own name, link name[, mentions])"""
    from presswatch.names import name_key

    out = []
    for i, (type_, own, link, *n) in enumerate(specs):
        out.append(NameNode(i, type_, name_key(own), name_key(link), own, link, n[0] if n else 1))
    return out


def groups(resolution, all_nodes):
    by_entity = {}
    for node in all_nodes:
        by_entity.setdefault(resolution.entity_of[node.id], set()).add(node.name)
    return sorted(sorted(g) for g in by_entity.values())


def shared_context(_node_id):
    return frozenset({"lerin basin council"})


def test_transliterations_and_in_article_short_forms_join():
    ns = nodes((PERSON, "Sergey Vetrov", "Sergey Vetrov"), (PERSON, "Sergei Vetrov", "Sergei Vetrov"),
               (PERSON, "Vetrov", "Sergey Vetrov"), (PERSON, "S. Vetrov", "S. Vetrov"))
    assert groups(resolve(ns), ns) == [["S. Vetrov", "Sergei Vetrov", "Sergey Vetrov", "Vetrov"]]


def test_bare_surname_needs_one_candidate_and_shared_context():
    ns = nodes((PERSON, "Anneli Korhel", "Anneli Korhel"), (PERSON, "Korhel", "Korhel"))
    assert len(groups(resolve(ns), ns)) == 2  # no context given: stays apart
    assert len(groups(resolve(ns, context=lambda _: frozenset()), ns)) == 2  # nothing shared
    assert len(groups(resolve(ns, context=shared_context), ns)) == 1
    ns += nodes((PERSON, "Jonas Korhel", "Jonas Korhel"))
    ns[-1].id = 99
    result = resolve(ns, context=shared_context)
    assert result.entity_of[1] not in (result.entity_of[0], result.entity_of[99])  # two candidates


def test_names_of_one_country_join_and_other_places_do_not():
    all_nodes = nodes(
        (PLACE, "United States", "United States", 3), (PLACE, "US", "US"), (PLACE, "U.S.", "U.S."),
        (PLACE, "Russia", "Russia", 2), (PLACE, "Russian Federation", "Russian Federation"), (PLACE, "Skelby", "Skelby"),
    )
    resolution = resolve(all_nodes)
    assert groups(resolution, all_nodes) == [
        ["Russia", "Russian Federation"], ["Skelby"], ["U.S.", "US", "United States"],
    ]
    assert any("ISO 3166 USA" in j.reason for j in resolution.joins)


def test_different_given_names_never_join():
    ns = nodes((PERSON, "Marek Toll", "Marek Toll"), (PERSON, "Ilse Toll", "Ilse Toll"))
    assert len(groups(resolve(ns, context=shared_context), ns)) == 2


def test_acronyms_join_their_one_expansion():
    ns = nodes((ORGANIZATION, "Northern Maritime Alliance", "Northern Maritime Alliance"),
               (ORGANIZATION, "NMA", "Northern Maritime Alliance"), (ORGANIZATION, "NMA", "NMA", 3))
    assert len(groups(resolve(ns), ns)) == 1
    two = nodes((ORGANIZATION, "Skelby Harbour Authority", "Skelby Harbour Authority"),
                (ORGANIZATION, "Saltreach Housing Association", "Saltreach Housing Association"),
                (ORGANIZATION, "SHA", "SHA"))
    assert len(groups(resolve(two), two)) == 3  # "SHA" spells both: ambiguous


def test_organisation_word_orders_join():
    ns = nodes((ORGANIZATION, "Varnian Foreign Ministry", "Varnian Foreign Ministry"),
               (ORGANIZATION, "Ministry of Foreign Affairs of Varnia", "Ministry of Foreign Affairs of Varnia"),
               (ORGANIZATION, "Selvan Foreign Ministry", "Selvan Foreign Ministry"))
    assert groups(resolve(ns), ns) == [["Ministry of Foreign Affairs of Varnia", "Varnian Foreign Ministry"],
                                       ["Selvan Foreign Ministry"]]


def test_a_countrys_demonym_joins_its_own_country_not_a_lookalike():
    ns = nodes((ORGANIZATION, "Mauritian Embassy", "Mauritian Embassy"),
               (ORGANIZATION, "Embassy of Mauritius", "Embassy of Mauritius"),
               (ORGANIZATION, "Mauritanian Embassy", "Mauritanian Embassy"),
               (ORGANIZATION, "Mauritania", "Mauritania"), (NATIONALITY, "Mauritian", "Mauritian", 3))
    result = resolve(ns)
    assert groups(result, ns) == [["Embassy of Mauritius", "Mauritian Embassy"], ["Mauritania"], ["Mauritanian Embassy"], ["Mauritian"]]
    assert ns[3].type == ORGANIZATION  # "Mauritian" is Mauritius's people: it makes no place of "Mauritania"


def test_hyphenated_and_spaced_spellings_of_one_body_join():
    ns = nodes((ORGANIZATION, "Anti-Corruption Bureau", "Anti-Corruption Bureau", 3),
               (ORGANIZATION, "Anti Corruption Bureau", "Anti Corruption Bureau"),
               (ORGANIZATION, "Corruption Bureau", "Corruption Bureau"))
    assert groups(resolve(ns), ns) == [["Anti Corruption Bureau", "Anti-Corruption Bureau"], ["Corruption Bureau"]]


def test_a_name_cut_short_joins_its_one_full_form_across_articles():
    ns = nodes((PLACE, "Free City of Caldrun", "Free City of Caldrun", 4), (PLACE, "Free City", "Free City"),
               (ORGANIZATION, "Inter-Island Ferry Company", "Inter-Island Ferry Company", 2),
               (ORGANIZATION, "Inter-Island Ferry", "Inter-Island Ferry"),
               (ORGANIZATION, "European Union Council", "European Union Council"),
               (ORGANIZATION, "European Union", "European Union"))
    assert groups(resolve(ns), ns) == [[n.name] for n in sorted(ns, key=lambda n: n.name)]  # no context: apart
    assert groups(resolve(ns, context=shared_context), ns) == [
        ["European Union"], ["European Union Council"], ["Free City", "Free City of Caldrun"],
        ["Inter-Island Ferry", "Inter-Island Ferry Company"],
    ]
    ns += nodes((PLACE, "Free City of Vask", "Free City of Vask"))
    ns[-1].id = 99
    result = resolve(ns, context=shared_context)
    assert result.entity_of[1] != result.entity_of[0]  # two full forms: the short one stays apart


def test_user_decisions_win_and_a_split_survives_rule_chains():
    ns = nodes((PERSON, "Sergey Vetrov", "Sergey Vetrov"), (PERSON, "Vetrov", "Sergey Vetrov"),
               (PERSON, "S. Vetrov", "S. Vetrov"))
    split = resolve(ns, [Decision("split", "Vetrov")])
    assert groups(split, ns) == [["S. Vetrov", "Sergey Vetrov"], ["Vetrov"]]
    merged_back = resolve(ns, [Decision("split", "Vetrov"), Decision("merge", "Vetrov", "Sergey Vetrov")])
    assert len(groups(merged_back, ns)) == 1
    assert any(j.by == "user" for j in merged_back.joins)
    undone = resolve(ns, [Decision("merge", "Vetrov", "Sergey Vetrov"), Decision("split", "Vetrov")])
    assert len(groups(undone, ns)) == 2


def test_every_join_is_explained():
    ns = nodes((PERSON, "Sergey Vetrov", "Sergey Vetrov"), (PERSON, "Vetrov", "Sergey Vetrov"))
    result = resolve(ns)
    assert len(result.joins) == 1 and "stands for" in result.joins[0].reason


# -- store, stage, CLI ------------------------------------------------------------------------------

CORPUS = [
    article("a1", PACT, "2024-03-03"),
    article("a2", "Deputy Foreign Minister Yevgeny Lomatsky of Selvania met the LBC in Skelby. "
                  "Lomatsky said the Lerin Basin Council must not invite the Northern Maritime Alliance.", "2024-04-01",
            outlet="Skelby Courier"),
    article("a3", "Selvan Foreign Minister Evgeny Lomatskiy said on Monday that the Lerin Basin Council had failed.",
            "2025-01-10", outlet="Lerin Coast Online"),
]


def make_store(tmp_path, articles) -> Store:
    store = Store(tmp_path / "t.db")
    for a in articles:
        store.add_page(Page(id=a.page_id, source=a.id, kind=TEXT, content=a.body), a)
    return store


def test_stage_stores_entities_roles_history_and_reruns_cheaply(tmp_path, nlp):
    with make_store(tmp_path, CORPUS) as store:
        report = analyse(store)
        assert report.articles == 3 and report.entities > 5
        detail = entity_detail(store, "Evgeny Lomatskiy")
        assert detail.entity.name in ("Yevgeny Lomatsky", "Evgeny Lomatskiy")
        assert {"Yevgeny Lomatsky", "Evgeny Lomatskiy", "Lomatsky"} <= set(detail.entity.aliases)
        assert [(r[0], r[1]) for r in detail.entity.roles] == [
            ("Deputy Foreign Minister", "2024-04-01"), ("Selvan Foreign Minister", "2025-01-10")]
        assert detail.summary.first_seen.startswith("2024-04-01") and detail.summary.articles == 2
        assert {o for o, _ in detail.outlets} == {"Skelby Courier", "Lerin Coast Online"}
        assert detail.merges
        council = entity_detail(store, "LBC")
        assert council.entity.name == "Lerin Basin Council" and council.entity.type == ORGANIZATION
        assert analyse(store).articles == 0  # nothing new to read
        assert resolve_name("Lomatsky", store) == detail.entity.id
        assert resolve_name("Korhel", store, "a1") == resolve_name("Anneli Korhel", store)
        assert resolve_name("Nobody Atall", store) is None
        store.conn.execute(
            "INSERT INTO statements (id, article_id, speaker, speaker_name, speaker_kind, cue, content, mode, cue_start,"
            " cue_end, content_spans, confidence) VALUES ('s1', 'a2', 'Lomatsky', 'Lomatsky', 'person', 'said', 'x',"
            " 'indirect', 0, 1, '[]', 1.0)"
        )
        assert entity_detail(store, "Yevgeny Lomatsky").statements == detail.statements + 1


def test_decisions_persist_across_rebuilds(tmp_path, nlp):
    with make_store(tmp_path, CORPUS[:2]) as store:
        analyse(store)
        add_decision(store, "split", "Lomatsky")
        update_entities(store, force=True)
        assert len(find_entities(store, "Lomatsky")) == 1
        assert find_entities(store, "Lomatsky") != find_entities(store, "Yevgeny Lomatsky")
        store.add_page(Page(id="a3", source="a3", kind=TEXT, content=CORPUS[2].body), CORPUS[2])
        analyse(store)  # a later run replays the split
        assert find_entities(store, "Lomatsky") != find_entities(store, "Yevgeny Lomatsky")


def test_cli_lists_shows_merges_and_splits(tmp_path, nlp):
    with make_store(tmp_path, CORPUS) as store:
        analyse(store)
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    listed = runner.invoke(app, ["entities", "--db", db, "--type", "person", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    page = json.loads(listed.output)
    assert page["total"] >= len(page["items"]) > 0 and all(e["type"] == "person" for e in page["items"])
    shown = runner.invoke(app, ["entity", "Lomatsky", "--db", db, "--format", "json"])
    assert shown.exit_code == 0 and "Selvan Foreign Minister" in shown.output
    split = runner.invoke(app, ["entity", "split", "Lomatsky", "--db", db])
    assert split.exit_code == 0, split.output
    merge = runner.invoke(app, ["entity", "merge", "Lomatsky", "Evgeny Lomatskiy", "--db", db])
    assert merge.exit_code == 0 and "your decision" in merge.output
    missing = runner.invoke(app, ["entity", "Nobody Atall", "--db", db])
    assert missing.exit_code != 0
    with Store(db) as store:
        assert [e.type for e in list_entities(store, "organization")] == ["organization"] * len(list_entities(store, "organization"))


# -- scoring ----------------------------------------------------------------------------------------


def test_scorer_counts_wrong_and_missed_merges(nlp):
    articles = {a.id: a for a in CORPUS}
    docs = [{"id": a.id, "people": {}, "organizations": [], "places": []} for a in CORPUS]
    docs[0]["people"] = {"Anneli Korhel": "Varnia's Foreign Minister", "Arvid Tannberg": "trade minister"}
    docs[0]["organizations"] = ["Lerin Basin Council"]
    docs[1]["places"] = ["Skelby"]
    right = {"documents": docs, "same_entity": [["Lerin Basin Council", "LBC"], ["Yevgeny Lomatsky", "Lomatsky"]]}
    score = score_seed_entities(right, articles)
    assert score["same_entity"] == {"precision": 1.0, "recall": 1.0, "names": 4, "pairs": 2}
    assert score["people"] == {"found": 2, "n": 2} and score["roles"] == {"correct": 1, "n": 2}
    assert score["organizations"]["found"] == 1 and score["places"]["found"] == 1
    wrong = {"documents": docs, "same_entity": [["Lerin Basin Council", "Lomatsky"], ["LBC"], ["Yevgeny Lomatsky"]]}
    score = score_seed_entities(wrong, articles)
    assert score["same_entity"]["recall"] == 0.0 and score["same_entity"]["precision"] == 0.0


CONLL_ROWS = [
    {"id": "s0", "doc_id": "d0", "tokens": ["SKELBY", "1996-08-30"], "entities": [{"start": 0, "end": 1, "type": "LOC", "text": "SKELBY"}]},
    {"id": "s1", "doc_id": "d0", "tokens": ["Anneli", "Korhel", "of", "the", "Lerin", "Basin", "Council", "met", "Selvan", "envoys", "."],
     "entities": [{"start": 0, "end": 2, "type": "PER"}, {"start": 4, "end": 7, "type": "ORG"}, {"start": 8, "end": 9, "type": "MISC"}]},
    {"id": "s2", "doc_id": "d1", "tokens": ["Port", "Aldane", "Rovers", "won", "."], "entities": [{"start": 0, "end": 3, "type": "ORG"}]},
]


def write_conll(tmp_path, rows=CONLL_ROWS):
    path = tmp_path / "ner.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_conll_documents_join_sentences_and_map_token_spans_to_characters(tmp_path):
    from presswatch.evaluate.entities import conll_documents

    (doc0, gold0, n0), (doc1, gold1, n1) = conll_documents(write_conll(tmp_path))
    assert (n0, n1) == (2, 1)
    assert doc0.body.split("\n") == ["SKELBY 1996-08-30", "Anneli Korhel of the Lerin Basin Council met Selvan envoys ."]
    assert [(doc0.body[s:e], t) for s, e, t in gold0] == [("SKELBY", "LOC"), ("Anneli Korhel", "PER"), ("Lerin Basin Council", "ORG")]
    assert [(doc1.body[s:e], t) for s, e, t in gold1] == [("Port Aldane Rovers", "ORG")]


def test_conll_scoring_is_exact_span_and_type_and_leaves_nationalities_out(tmp_path, monkeypatch):
    import presswatch.evaluate.entities as scoring
    from presswatch.records import Mention

    def fake(articles, nlp=None):
        for a in articles:
            said = {
                "d0": [("SKELBY", PLACE), ("Anneli Korhel", ORGANIZATION), ("Lerin Basin", ORGANIZATION), ("Selvan", NATIONALITY)],
                "d1": [("Port Aldane Rovers", ORGANIZATION)],
            }[a.id]
            found = []
            for text, type_ in said:
                start = a.body.index(text)
                found.append(Mention(a.id, start, start + len(text), text, type_, text))
            yield a, found

    monkeypatch.setattr(scoring, "extract_mentions", fake)
    result = scoring.score_conll(write_conll(tmp_path))
    assert result["sentences"] == 3
    assert result["per_type"]["LOC"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["per_type"]["PER"]["recall"] == 0.0  # typed ORG: a miss for PER, a false alarm for ORG
    assert result["per_type"]["ORG"]["precision"] == pytest.approx(1 / 3) and result["per_type"]["ORG"]["recall"] == 0.5
    assert result["micro"]["precision"] == pytest.approx(2 / 4) and result["micro"]["recall"] == pytest.approx(2 / 4)


def test_eval_entities_cli_and_bad_rows(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "entities", str(write_conll(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["sentences"] == 3 and set(scores["per_type"]) == {"PER", "ORG", "LOC"}
    assert all(0.0 <= scores["micro"][k] <= 1.0 for k in ("precision", "recall", "f1"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "d", "tokens": ["A"], "entities": [{"start": 0, "end": 3, "type": "PER"}]}\n')
    result = runner.invoke(app, ["eval", "entities", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output


def test_seed_acceptance(nlp):
    """The seed pages' gold bodies against their gold (skips where ../shared is absent)."""
    gold = json.loads(shared_path("seeds", "gold.json").read_text(encoding="utf-8"))
    articles = {
        d["id"]: Article(id=d["id"], page_id=d["id"], url=None, title=d.get("title"), body=d["body_text"],
                         paragraphs=(), outlet=d.get("outlet"), published=d.get("published"), language="en")
        for d in gold["documents"]
    }
    score = score_seed_entities(gold, articles)
    assert score["same_entity"]["precision"] == 1.0 and score["same_entity"]["recall"] >= 0.95
    assert score["people"]["found"] / score["people"]["n"] >= 0.95
    assert score["roles"]["correct"] / score["roles"]["n"] >= 0.80
    assert score["organizations"]["found"] / score["organizations"]["n"] >= 0.90
    assert score["places"]["found"] / score["places"]["n"] >= 0.90


# -- incremental resolution ---------------------------------------------------------------------

# Articles as (id, [(text, type, refers_to, role)]): batches that touch few names among many, each
# batch bringing a rule into play with names stored before (a fuller name, a bare surname in
# shared context, an acronym's expansion, a demonym, a word order, a name typed two ways).
FILLER = [a + b for a in ("Vesk", "Tamm", "Orl", "Rudd", "Pekk", "Brand") for b in ("ari", "ov", "ane", "en", "ull")]
INCREMENTAL_BATCHES = [
    [(f"f{i}", [(f"Piret {word}", PERSON, f"Piret {word}", None), (f"Ilse {word}", PERSON, f"Ilse {word}", None)])
     for i, word in enumerate(FILLER)]
    + [("b1", [("Anneli Korhel", PERSON, "Anneli Korhel", "foreign minister"),
               ("Lerin Basin Council", ORGANIZATION, "Lerin Basin Council", None),
               ("Tarsenia", PLACE, "Tarsenia", None)])],
    [("b2", [("A. Korhel", PERSON, "A. Korhel", None), ("LBC", ORGANIZATION, "LBC", None),
             ("Ministry of Trade of Selvania", ORGANIZATION, "Ministry of Trade of Selvania", None)])],
    [("b3", [("Korhel", PERSON, "Korhel", "foreign minister"), ("Tarsenian", NATIONALITY, "Tarsenian", None),
             ("Selvania Trade Ministry", ORGANIZATION, "Selvania Trade Ministry", None)])],
    [("b4", [("Kestrel", PERSON, "Kestrel", None), ("Kestrel News Agency", ORGANIZATION, "Kestrel News Agency", None),
             ("Basin Council", ORGANIZATION, "Lerin Basin Council", None), ("Piret Tammov", PERSON, "Piret Tammov", None)])],
    [("b5", [("Tarsenia", ORGANIZATION, "Tarsenia", None), ("Tarsenia", ORGANIZATION, "Tarsenia", None),
             ("Anneli Korhel", PERSON, "Anneli Korhel", None)])],
]


def _save_named(store: Store, batch, published: dict[str, str] | None = None) -> None:
    from presswatch.records import ArticleAnalysis, Mention
    from presswatch.store.analysis import save_analyses

    found = []
    for article_id, names in batch:
        body = ". ".join(text for text, *_ in names) + "."
        art = article(article_id, body, **({"published": published[article_id]} if published else {}))
        store.add_page(Page(id=article_id, source=article_id, kind=TEXT, content=body), art)
        mentions, at = [], 0
        for text, type_, refers_to, role in names:
            start = body.index(text, at)
            at = start + len(text)
            mentions.append(Mention(article_id, start, at, text, type_, refers_to, None, role))
        found.append((art, ArticleAnalysis(article_id, (), tuple(mentions))))
    save_analyses(store, found)


def _resolved(store: Store) -> dict:
    def q(sql):
        return sorted(tuple(r) for r in store.conn.execute(sql))

    return {"entities": q("SELECT id, type, name, mentions, articles, first_seen, last_seen FROM entities"),
            "nodes": q("SELECT id, entity_id FROM entity_names"),
            "aliases": q("SELECT entity_id, alias, key, mentions FROM entity_aliases"),
            "merges": q("SELECT entity_id, name_a, name_b, reason, decided_by FROM entity_merges")}


def test_an_update_resolves_only_the_touched_names_and_agrees_with_a_rebuild(tmp_path):
    from presswatch.engine.entities import touched_region

    with Store(tmp_path / "growing.db") as store:
        for number, batch in enumerate(INCREMENTAL_BATCHES):
            _save_named(store, batch)
            if number:
                region = touched_region(store)
                assert region is not None and len(region) < store.conn.execute(
                    "SELECT count(*) FROM entity_names").fetchone()[0] // 2
            update_entities(store)
            with Store(tmp_path / f"rebuilt{number}.db") as rebuilt:
                for earlier in INCREMENTAL_BATCHES[:number + 1]:
                    _save_named(rebuilt, earlier)
                update_entities(rebuilt, force=True)
                assert _resolved(store) == _resolved(rebuilt), number
        korhel = find_entities(store, "A. Korhel")
        assert korhel == find_entities(store, "Anneli Korhel") == find_entities(store, "Korhel")
        assert find_entities(store, "LBC") == find_entities(store, "Lerin Basin Council")
        assert find_entities(store, "Selvania Trade Ministry") == find_entities(store, "Ministry of Trade of Selvania")


# Entities named again and again: new articles (some undated), then one analysed again with
# other names, then new articles once more.
REPEATED_BATCHES = [
    INCREMENTAL_BATCHES[0],
    [("r1", [("Anneli Korhel", PERSON, "Anneli Korhel", None), ("Lerin Basin Council", ORGANIZATION, "Lerin Basin Council", None),
             ("Korhel", PERSON, "Anneli Korhel", None)]),
     ("r2", [("Lerin Basin Council", ORGANIZATION, "Lerin Basin Council", None)])],
    [("r3", [("A. Korhel", PERSON, "A. Korhel", None), ("Lerin Basin Council", ORGANIZATION, "Lerin Basin Council", None)]),
     ("r4", [("Anneli Korhel", PERSON, "Anneli Korhel", None)])],
    [("r1", [("Tarsenia", PLACE, "Tarsenia", None)])],
    [("r5", [("Korhel", PERSON, "Anneli Korhel", None), ("Lerin Basin Council", ORGANIZATION, "Lerin Basin Council", None)])],
]
REPEATED_DATES = {"r1": "2024-03-05", "r2": "2024-01-20", "r3": None, "r4": "2024-05-01", "r5": "2023-12-31",
                  **{article_id: "2024-03-03" for article_id, _ in INCREMENTAL_BATCHES[0]}}


def test_counts_grown_by_new_mentions_equal_a_recount(tmp_path, monkeypatch):
    """An entity that keeps its names adds new articles' mentions to its counts, dates and aliases
    (schema migration 19); an article analysed again makes them count again. Either way the
    result is what counting everything afresh gives."""
    import presswatch.store.entities as entity_store

    grown_by_new = []
    add = entity_store._add_new_mentions
    monkeypatch.setattr(entity_store, "_add_new_mentions",
                        lambda conn, rows: (grown_by_new.append(len(rows)), add(conn, rows)))
    with Store(tmp_path / "growing.db") as store:
        for number, batch in enumerate(REPEATED_BATCHES):
            grown_by_new.clear()
            _save_named(store, batch, REPEATED_DATES)
            update_entities(store)
            with Store(tmp_path / f"rebuilt{number}.db") as rebuilt:
                for earlier in REPEATED_BATCHES[:number + 1]:
                    _save_named(rebuilt, earlier, REPEATED_DATES)
                update_entities(rebuilt, force=True)
                assert _resolved(store) == _resolved(rebuilt), number
            # the batches of new articles naming stored entities grow them; the one analysing r1 again does not
            assert (sum(grown_by_new) > 0) == (number in (1, 2, 4)), (number, grown_by_new)
        korhel = store.conn.execute(
            "SELECT mentions, articles, first_seen, last_seen FROM entities WHERE name = 'Anneli Korhel'").fetchone()
        assert tuple(korhel) == (4, 4, "2023-12-31", "2024-05-01")  # b1, r3, r4, r5


def test_two_people_speaking_together_are_one_statement_credited_to_both(tmp_path, nlp):
    body = ("Mayor Anna Kask and Harbour Master Bengt Oyen said the quay would reopen in May. "
            "Later, Kask and Orlov said the dam at Vell would hold.")
    people = {m.text: m.type for m in mentions_of(nlp, body)}
    assert people["Orlov"] == PERSON  # two people's names joined by "and", never a body "Orlov"
    with make_store(tmp_path, [article("k1", body)]) as store:
        analyse(store)
        said = {s.content: s for s in article_statements(store, "k1")}
        quay = said["the quay would reopen in May"]
        assert (quay.speaker_name, quay.speaker_role, quay.speaker_kind) == ("Anna Kask and Bengt Oyen", None, PERSON)
        assert said["the dam at Vell would hold"].speaker_name == "Anna Kask and Orlov"
        for name, count in (("Anna Kask", 2), ("Bengt Oyen", 1), ("Orlov", 1)):
            assert entity_detail(store, name).statements == count, name


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("At a rally in Port Aldane Councillor Aksel Hume said the quay would close.", "Aksel Hume", "Councillor"),
        ("In an interview with the Harbour Gazette Mayor Anna Kask said the dam would hold.", "Anna Kask", "Mayor"),
        ("At the quay Harbour Master Bengt Oyen said the boats were safe.", "Bengt Oyen", "Harbour Master"),
        # a title that is no venue's keeps its place or people's word
        ("In talks with US Under Secretary Ann Lee the envoy said the dam would hold.", "Ann Lee", "US Under Secretary"),
        ("At the talks Varnian Foreign Minister Anneli Korhel said the dam would hold.", "Anneli Korhel",
         "Varnian Foreign Minister"),
        # after a venue ending in a place, an acronym opening the title is the title's
        ("During a visit to Skelby US Under Secretary Ann Lee said the dam would hold.", "Ann Lee",
         "US Under Secretary"),
        ("At a rally in Skelby EU Commissioner Ann Lee said the dam would hold.", "Ann Lee", "EU Commissioner"),
        ("During a visit to Skelby Varnian Foreign Minister Anneli Korhel said the dam would hold.", "Anneli Korhel",
         "Varnian Foreign Minister"),
        # "of" after a noun opens the venue's words: its body is no part of the title
        ("At a meeting of the Tarsby NMA Councillor Eva Lund said the dam would hold.", "Eva Lund", "Councillor"),
        ("At a hearing of the Varnby DPA Deputy Mayor Ilse Marten said the dam would hold.", "Ilse Marten",
         "Deputy Mayor"),
        ("At a session of the Tarsby NMA Harbour Master Bengt Oyen said the dam would hold.", "Bengt Oyen",
         "Harbour Master"),
        # a title's own "of" or "for" before its portfolio is the title's
        ("At a rally in Skelby Minister of Fisheries Anna Kask said the dam would hold.", "Anna Kask",
         "Minister of Fisheries"),
        ("During a visit to Skelby Secretary of State Ann Lee said the dam would hold.", "Ann Lee", "Secretary of State"),
        # a body's head word that starts the title is the title's, not the body's
        ("At a meeting of the Tarsby Ferry Trust Harbour Master Bengt Oyen said the boats were safe.", "Bengt Oyen",
         "Harbour Master"),
        # "for" after a noun that is no role word opens the venue's words, as "of" and "to" do
        ("At a rally for Varnby Mayor Anna Kask said the dam would hold.", "Anna Kask", "Mayor"),
    ],
)
def test_a_fronted_venues_words_are_not_the_speakers_title(nlp, body, name, role):
    assert {m.text: m.role for m in mentions_of(nlp, body) if m.type == PERSON}[name] == role


@pytest.mark.parametrize(
    ("body", "body_name", "name", "role"),
    [
        ("Tarsby Ferry Trust Harbour Master Bengt Oyen said the quay would reopen in May.", "Tarsby Ferry Trust",
         "Bengt Oyen", "Tarsby Ferry Trust Harbour Master"),
        ("The Varnby Lake Board Harbour Master Ilse Marten said the dam would hold.", "Varnby Lake Board",
         "Ilse Marten", "Varnby Lake Board Harbour Master"),
        # a body's "of" is its name's, not a joiner before the title: the name is taken whole
        ("The Council of Tarsby Mayor Eva Lund said the quay would reopen.", "Council of Tarsby", "Eva Lund",
         "Council of Tarsby Mayor"),
        # a head word the name needs stays the body's
        ("The Tarsby Regional Police Commissioner Eva Lund said the quay would reopen.", "Tarsby Regional Police",
         "Eva Lund", "Tarsby Regional Police Commissioner"),
    ],
)
def test_a_title_the_model_ran_into_a_bodys_name_is_cut_off_it(nlp, body, body_name, name, role):
    found = mentions_of(nlp, body)
    assert body_name in {m.text for m in found if m.type != PERSON}, [(m.text, m.type) for m in found]
    assert {m.text: m.role for m in found if m.type == PERSON}[name] == role


def test_a_fronted_venue_run_into_the_speakers_name_is_cut_apart(nlp):
    # the model gave one body, "Tarsby Eva Lund"; the parse has no subject for "said"
    found = {(m.text, m.type) for m in mentions_of(nlp, "At a rally in Tarsby Eva Lund said the quay would close.")}
    assert found == {("Tarsby", PLACE), ("Eva Lund", PERSON)}


@pytest.mark.parametrize("body", [
    "Varnholm will pay half the cost, Harbour Minister Lena Stroem said, warning that fares would rise.",
    "Brennick will cover the repairs, the transport minister said.",
    "Lena Stroem said Brennick would fund the new ferry.",
])
def test_a_lone_name_acting_in_a_reported_clause_is_not_thereby_a_person(nlp, body):
    """The model takes a one-word name doing something in what someone reported ("Varnholm will pay
    ..., Lena Stroem said") for a person; doing is no sign of one, and a name with none is not."""
    found = {m.text: m.type for m in mentions_of(nlp, body)}
    acting = next(name for name in ("Varnholm", "Brennick") if name in found)
    assert found[acting] != PERSON
    assert found.get("Lena Stroem", PERSON) == PERSON


@pytest.mark.parametrize("body", [
    "Pavel Brennick met the council. Brennick will cover the repairs, the transport minister said.",
    "Mr Brennick will cover the repairs, the transport minister said.",
    "Brennick, the envoy, will cover the repairs, the transport minister said.",
    "Brennick said the repairs would start in May.",
])
def test_a_lone_name_acting_in_a_reported_clause_stays_a_person_with_a_sign_of_one(nlp, body):
    """A full name given before, an honorific, a role, or saying something himself: a person still."""
    assert [m.type for m in mentions_of(nlp, body) if m.text.endswith("Brennick")][-1] == PERSON


@pytest.mark.parametrize(("body", "acting", "role"), [
    ("Varnby will cover half the cost, Transport Minister Lena Stroem said.", "Varnby", "Transport Minister"),
    ("Kelmoor will pay for the quay, Fisheries Secretary Odd Brask said.", "Kelmoor", "Fisheries Secretary"),
])
def test_a_portfolio_before_a_ministers_title_is_no_body_and_a_reported_subject_is_a_name(nlp, body, acting, role):
    """"Transport Minister Lena Stroem": the model types the portfolio, a common noun, a body, and
    misses the name opening the clause she reports ("Varnby will cover ...")."""
    found = {m.text: (m.type, m.role) for m in mentions_of(nlp, body)}
    assert found.keys() == {acting, " ".join(body.split(", ")[-1].split()[2:4])}
    assert found[acting][0] not in (PERSON, None)
    assert [r for t, r in found.values() if t == PERSON] == [role]


def test_a_common_word_opening_a_reported_clause_is_no_name(nlp):
    found = {m.text for m in mentions_of(nlp, "Fares will rise in May, Transport Minister Lena Stroem said.")}
    assert found == {"Lena Stroem"}


# -- type evidence and the corpus's type vote -------------------------------------------------------


@pytest.mark.parametrize(("body", "evidence"), [
    ("Trade talks in Harnsby ended on Friday without a deal. Harnsby would not sign the accord, Lena Varg said.",
     "'in Harnsby'"),
    ("ORVIK, June 4 (Dunmere Wire) - Orvik will not sign the accord, the envoy said on Friday.",
     "the dateline 'ORVIK, June 4 (Dunmere Wire) -'"),
])
def test_a_place_says_what_in_its_article_placed_it(nlp, body, evidence):
    places = [m for m in mentions_of(nlp, body) if m.text in ("Harnsby", "Orvik")]
    assert places and all(m.type == PLACE and m.type_evidence == evidence for m in places)


def test_the_corpus_types_a_name_by_its_evidence_before_its_count_of_mentions():
    # "Ostveld" typed a body by the model alone in five mentions, put somewhere by the text in two.
    ns = nodes((ORGANIZATION, "Ostveld", "Ostveld", 5), (PLACE, "Ostveld", "Ostveld", 2))
    ns[1].evidenced = 2
    result = resolve(ns)
    assert len(groups(result, ns)) == 1 and set(result.entities.values()) == {(PLACE, "Ostveld")}
    assert "place on the evidence of 2 mentions in the text; organization in 5 mentions, by the model alone" in result.joins[0].reason
    unevidenced = nodes((ORGANIZATION, "Ostveld", "Ostveld", 5), (PLACE, "Ostveld", "Ostveld", 2))
    assert set(resolve(unevidenced).entities.values()) == {(ORGANIZATION, "Ostveld")}  # no evidence: most mentions


def test_an_entity_shows_what_typed_its_mentions_and_keeps_the_count_of_them_on_reanalysis(tmp_path):
    from presswatch.records import ArticleAnalysis, Mention
    from presswatch.store.analysis import save_analyses

    def save(store, article_id, evidence):
        body = "Ostveld would not sign." if evidence is None else "Talks in Ostveld ended."
        art = article(article_id, body)
        store.add_page(Page(id=article_id, source=article_id, kind=TEXT, content=body), art)
        start = body.index("Ostveld")
        type_ = ORGANIZATION if evidence is None else PLACE
        mention = Mention(article_id, start, start + 7, "Ostveld", type_, "Ostveld", type_evidence=evidence)
        save_analyses(store, [(art, ArticleAnalysis(article_id, (), (mention,)))])

    with Store(tmp_path / "typed.db") as store:
        for article_id in ("o1", "o2", "o3"):
            save(store, article_id, None)
        save(store, "p1", "'in Ostveld'")
        update_entities(store)
        detail = entity_detail(store, "Ostveld")
        assert detail.entity.type == PLACE
        assert [row[:4] for row in detail.type_evidence] == [(PLACE, "'in Ostveld'", 1, 1), (ORGANIZATION, "", 3, 3)]
        assert any("on the evidence of 1 mention in the text" in reason for _, _, reason, _ in detail.merges)
        save(store, "p1", None)  # analysed again, the evidence gone: the model's count decides
        update_entities(store)
        assert store.conn.execute("SELECT sum(evidenced) FROM entity_names").fetchone()[0] == 0
        assert entity_detail(store, "Ostveld").entity.type == ORGANIZATION


def test_a_given_name_read_as_a_word_after_a_role_word_is_part_of_the_person(nlp):
    found = {(m.text, m.type) for m in mentions_of(nlp, "Harnsby coach Per Vallin conceded that his side had tired after the break.")}
    assert ("Per Vallin", PERSON) in found
    assert not [m for m in mentions_of(nlp, "The spokesman On Monday said nothing.") if m.type == PERSON]


def test_the_pages_outlet_is_found_by_the_acronym_its_name_spells(nlp):
    body = "In an interview with DRT on his return to Harnsby, Lena Varg said the talks would go on."
    found = mentions_from_doc(nlp(body), article("a", body, outlet="Dunmere Radio Television"))
    assert [(m.text, m.type, m.type_evidence) for m in found if m.text == "DRT"] == [("DRT", ORGANIZATION, "the page's own outlet")]
    elsewhere = mentions_from_doc(nlp(body), article("a", body, outlet="The Harbour Ledger"))
    assert all(m.type_evidence != "the page's own outlet" for m in elsewhere)  # the model's reading stands


def test_a_surname_read_in_its_own_article_among_others_resolved_together(tmp_path, nlp):
    """Speakers are resolved a page or an export's part at a time (`speakers_links`): "Korhel" is
    Anneli Korhel in one article and Piret Korhel in another, whatever else is resolved with it,
    a joint speaker's people are each read in their own article too, and a name its article does not
    hold is read across the corpus however many ask for it."""
    bodies = {
        "k1": "Foreign Minister Anneli Korhel visited Port Aldane. Korhel said the dam would hold.",
        "k2": "Harbour Master Piret Korhel met the council in Skelby. Korhel said the quay would reopen.",
        "k3": "Mayor Bengt Oyen and Anneli Korhel toured the quay at Vell on Monday.",
    }
    with make_store(tmp_path, [article(key, body) for key, body in bodies.items()]) as store:
        analyse(store)
        anneli, piret, bengt = (resolve_name(name, store) for name in ("Anneli Korhel", "Piret Korhel", "Bengt Oyen"))
        assert len({anneli, piret, bengt, None}) == 4
        said = [("Korhel", "k1"), ("Korhel", "k2"), ("Oyen and Korhel", "k3"), (None, "k1"), ("Korhel", "k3"),
                ("Oyen", "k1"), ("Oyen", "k2")]  # named in no article of theirs: read across the corpus
        together = speakers_links(store, said)
        assert together == [
            (SpeakerLink("Korhel", anneli),), (SpeakerLink("Korhel", piret),),
            (SpeakerLink("Oyen", bengt), SpeakerLink("Korhel", anneli)), (), (SpeakerLink("Korhel", anneli),),
            (SpeakerLink("Oyen", bengt),), (SpeakerLink("Oyen", bengt),)]
        assert together == [speakers_links(store, [one])[0] for one in said]
        assert resolve_name("Korhel", store) is None  # across the corpus, two people


def test_a_tie_of_types_is_decided_by_the_longer_names_around_it_else_by_a_fixed_order():
    # "Brennmoor" a body once and a place once, by the model alone: the longer names that
    # close with it are places, so it is one place.
    ns = nodes((ORGANIZATION, "Brennmoor", "Brennmoor"), (PLACE, "Brennmoor", "Brennmoor"),
               (PLACE, "Upper Brennmoor", "Upper Brennmoor", 2), (ORGANIZATION, "Brennmoor Rowing Club", "Brennmoor Rowing Club"))
    result = resolve(ns)
    assert result.entity_of[0] == result.entity_of[1] and result.entities[result.entity_of[0]] == (PLACE, "Brennmoor")
    assert "the tie decided by the longer names that open or close with it (2 mentions place)" in ns[0].type_reason
    # The longer names open with it as a body: a body.
    ns = nodes((ORGANIZATION, "Brennmoor", "Brennmoor"), (PLACE, "Brennmoor", "Brennmoor"),
               (ORGANIZATION, "Brennmoor Rowing Club", "Brennmoor Rowing Club"))
    result = resolve(ns)
    assert result.entity_of[0] == result.entity_of[1] and result.entities[result.entity_of[0]] == (ORGANIZATION, "Brennmoor")
    # Nothing around it: the fixed order, a place before a body, whichever node comes first.
    for order in ((ORGANIZATION, PLACE), (PLACE, ORGANIZATION)):
        ns = nodes(*((t, "Brennmoor", "Brennmoor", 3) for t in order))
        result = resolve(ns)
        assert len(groups(result, ns)) == 1 and set(result.entities.values()) == {(PLACE, "Brennmoor")}
        assert "the tie decided by the fixed order place, organization" in next(n for n in ns if n.retyped_from).type_reason
    # Two full names of a person and a body, tied: one entity, the body (a person only last)...
    ns = nodes((PERSON, "Harnby Varrick", "Harnby Varrick"), (ORGANIZATION, "Harnby Varrick", "Harnby Varrick"))
    assert set(resolve(ns).entities.values()) == {(ORGANIZATION, "Harnby Varrick")}


@pytest.mark.parametrize("name", ["Dagny Varrick", "Halvor Brisk", "Yevgeny Tamm", "Ottilie Marn"])
def test_a_full_name_tied_between_a_person_and_a_body_is_a_person_when_it_opens_with_a_given_name(name):
    """Given names no CoNLL article has (Nordic, Baltic, a Russian name in any romanisation) are
    known from Faker's lists; the fixed order would make the name a body."""
    for order in ((PERSON, ORGANIZATION), (ORGANIZATION, PERSON)):
        ns = nodes(*((t, name, name) for t in order))
        result = resolve(ns)
        assert set(result.entities.values()) == {(PERSON, name)}
        assert "the tie decided by its first word, a given name" in next(n for n in ns if n.retyped_from).type_reason
    # a body's word in it, or no given name first: the fixed order, a body
    for other in (f"{name.split()[0]} Fund", "Harnby Varrick"):
        ns = nodes((PERSON, other, other), (ORGANIZATION, other, other))
        assert set(resolve(ns).entities.values()) == {(ORGANIZATION, other)}


@pytest.mark.parametrize(("body", "name", "type_", "evidence"), [
    ("The ferry was built at the Ostrand yard near the border.", "Ostrand", PLACE, "the name of the yard, 'Ostrand yard'"),
    ("The loan came from the Thorvik bank, which has branches in the north.", "Thorvik", ORGANIZATION, "the name of the bank, 'Thorvik bank'"),
    ("The contract went to the Lindqvist firm after a long tender.", "Lindqvist", ORGANIZATION, "the name of the firm, 'Lindqvist firm'"),
])
def test_a_name_modifying_a_facility_or_a_body_is_that_not_a_person(nlp, body, name, type_, evidence):
    """The model reads the lone name before "yard", "bank", "firm" as a person's."""
    found = [m for m in mentions_of(nlp, body) if m.text == name]
    assert [(m.type, m.type_evidence) for m in found] == [(type_, evidence)]


def test_a_persons_surname_before_a_body_noun_stays_a_person(nlp):
    found = {(m.text, m.type) for m in mentions_of(nlp, "Dagny Ostrand met her lawyers at the Ostrand company offices.")}
    assert ("Ostrand", PERSON) in found and ("Ostrand", ORGANIZATION) not in found


def test_the_short_form_of_the_pages_own_outlet_refers_to_its_full_name(nlp):
    body = "Drills ended on Friday, an alliance spokesman told the Gazette. The Courier said nothing."
    found = {m.text: (m.type, m.refers_to, m.link_reason) for m in mentions_from_doc(nlp(body), article("a", body, outlet="The Dunmere Gazette"))}
    assert found["Gazette"] == (ORGANIZATION, "The Dunmere Gazette", "short form of the page's own outlet, The Dunmere Gazette")
    assert found["Courier"][1] == "Courier"  # another paper's name is no short form of this one
    found = {m.text: m.refers_to for m in mentions_from_doc(nlp(body), article("a", body, outlet="The Brisk Courier"))}
    assert found == {"Gazette": "Gazette", "Courier": "The Brisk Courier"}
    # A tail that is no media word names anything: "Quay" is no short form of "Lantern & Quay".
    quay = "The boats were tied up at the Quay all week."
    assert all(m.refers_to == m.text for m in mentions_from_doc(nlp(quay), article("a", quay, outlet="Lantern & Quay")))


@pytest.mark.parametrize(("body", "evidence"), [
    ("The Orne Federation's Foreign Ministry protested. Talks with the Orne Federation resume in May.",
     "a state's organ, 'Orne Federation's Foreign Ministry'"),
    ("The Foreign Ministry of the Orne Federation protested. Talks with the Orne Federation resume in May.",
     "a state's organ, 'Ministry of the Orne Federation'"),
    ("Brask flew to Halme, the capital of the Orne Federation. The Orne Federation has no navy.",
     "a state's organ, 'capital of the Orne Federation'"),
])
def test_a_name_of_a_states_form_with_a_states_organ_is_a_country(nlp, body, evidence):
    """A country the country data does not know, named by its form ("Federation") and given a
    foreign ministry or a capital, is a place in all its article's mentions."""
    found = [(m.type, m.type_evidence) for m in mentions_of(nlp, body) if m.text == "Orne Federation"]
    assert found and all(f == (PLACE, evidence) for f in found)


def test_a_federation_without_a_states_organ_stays_a_body(nlp):
    body = "The Orne Football Federation fined the club, its spokesman said. The Orne Football Federation meets in May."
    assert {m.type for m in mentions_of(nlp, body) if m.text == "Orne Football Federation"} == {ORGANIZATION}


def test_an_entity_whose_names_only_stand_for_a_full_name_is_named_by_it(tmp_path):
    ns = nodes((ORGANIZATION, "Gazette", "The Dunmere Gazette", 2))
    assert set(resolve(ns).entities.values()) == {(ORGANIZATION, "The Dunmere Gazette")}
    ns = nodes((ORGANIZATION, "Gazette", "The Dunmere Gazette"), (ORGANIZATION, "The Dunmere Gazette", "The Dunmere Gazette"))
    assert set(resolve(ns).entities.values()) == {(ORGANIZATION, "The Dunmere Gazette")}  # written in full: as before
    from presswatch.records import ArticleAnalysis, Mention
    from presswatch.store.analysis import save_analyses
    from presswatch.store.entities import find_entities

    body = "Fishermen told the Gazette they saw the ships."
    art = article("g1", body, outlet="The Dunmere Gazette")
    with Store(tmp_path / "outlet.db") as store:
        store.add_page(Page(id="g1", source="g1", kind=TEXT, content=body), art)
        start = body.index("Gazette")
        mention = Mention("g1", start, start + 7, "Gazette", ORGANIZATION, "The Dunmere Gazette",
                          link_reason="short form of the page's own outlet, The Dunmere Gazette", type_evidence="the page's own outlet")
        save_analyses(store, [(art, ArticleAnalysis("g1", (), (mention,)))])
        update_entities(store)
        assert find_entities(store, "The Dunmere Gazette") == find_entities(store, "Gazette") != []
        assert entity_detail(store, "The Dunmere Gazette").entity.name == "The Dunmere Gazette"


@pytest.mark.parametrize("body", [
    "The president of the Orne Confederation said the talks would resume.",
    "The head of the Varrow Syndicate said the strike would go on.",
    "Anna Berg, chair of the Tarsby Ferry Trust, said the ferry would run.",
])
def test_a_body_named_by_its_kind_of_body_is_no_person_and_no_role(nlp, body):
    """"Confederation", "Syndicate", "Trust" head a body's name as "Federation" does: the name is an
    organisation, never a person with the role "president of the"."""
    found = mentions_of(nlp, body)
    bodies = [m for m in found if m.type == ORGANIZATION]
    assert bodies and all(m.text.split()[-1] in ("Confederation", "Syndicate", "Trust") for m in bodies)
    assert not [m for m in found if m.type == PERSON and m.role and m.role.endswith(" the")]


@pytest.mark.parametrize(("body", "name", "type_"), [
    ("Harbour officials met in Ormby on Monday. Bengt Oyen said the ferry quay would reopen in May.", "Bengt Oyen", PERSON),
    ("Harbour officials met in Kvist on Monday. Greta Lunde said the ferry quay would reopen in May.", "Greta Lunde", PERSON),
    ("Harbour officials met in Kvist on Monday. Grey Hall said the ferry quay would reopen in May.", "Grey Hall", ORGANIZATION),
])
def test_a_full_name_saying_something_is_a_person_unless_it_is_two_common_nouns(nlp, body, name, type_):
    """The small model types "Bengt Oyen" and "Greta Lunde" a body; speaking in their own names they
    are people. Two English nouns ("Grey Hall") name a body's building as often, and stay a body."""
    assert [m.type for m in mentions_of(nlp, body) if m.text == name] == [type_]


@pytest.mark.parametrize(("body", "name", "evidence"), [
    ("Residents of Harnvik said the ferry had not run for a week.", "Harnvik", "'residents of Harnvik'"),
    ("The mayor of Orsby said the quay would reopen in May.", "Orsby", "'mayor of Orsby'"),
    # the model took it for a date
    ("The mayor of Skelby, Eva Lund, said the ferry would run daily.", "Skelby", "'mayor of Skelby'"),
    ("Tickets for the ferry to Kellsund sold out by noon.", "Kellsund", "'ferry to Kellsund'"),
    ("Residents complained that the road to Tarvik was closed.", "Tarvik", "'road to Tarvik'"),
    ("The new bridge between Skelby and Dunmarsh opened on Friday.", "Dunmarsh", "'bridge between Skelby and Dunmarsh'"),
    ("She moved from Skelby to Hallvik in 2019.", "Hallvik", "'moved from Skelby to Hallvik'"),
    # no route, but the other end is a place: placed by "in" here
    ("Talks in Skelby ended. The dispute between Skelby and Dunmarsh goes on.", "Dunmarsh", "'between Skelby and Dunmarsh'"),
    ("The cable runs between the Tarsenian capital and Saltreach.", "Saltreach", "'between the Tarsenian capital and Saltreach'"),
])
def test_a_town_is_placed_by_its_people_its_way_or_the_other_end_of_its_route(nlp, body, name, evidence):
    """The small model types such towns a person, a body or a nationality, or misses them."""
    found = [(m.type, m.type_evidence) for m in mentions_of(nlp, body) if m.text == name]
    assert found == [(PLACE, evidence)]


@pytest.mark.parametrize("body", [
    "The dispute between Kask and Orlov went on, Bengt Oyen said.",
    "Power passed from Halvorsen to Brennick in May.",
    "The ties between Varnia and the Northern Maritime Alliance were cut.",
    "He acted as a bridge between Kask and the unions.",  # a route's other end is a place's name or noun
    "He went from Rags to Riches in a year.",  # common nouns, though the model took "Rags" for a place
])
def test_a_name_joined_to_no_place_on_no_route_is_not_thereby_a_place(nlp, body):
    found = {m.text: m.type for m in mentions_of(nlp, body)}
    assert PLACE not in {found.get(n) for n in ("Kask", "Orlov", "Halvorsen", "Brennick", "Northern Maritime Alliance", "Riches")}


@pytest.mark.parametrize(("body", "name"), [
    ("Nordvik Line and Saltreach Ferries will merge, the transport minister said.", "Nordvik Line"),
    ("Nordvik Line and Saltreach Ferries will merge, the transport minister said.", "Saltreach Ferries"),
    ("Fares will rise by a fifth, Baltavia Air said.", "Baltavia Air"),
    ("The Lerin Link ferry service will stop in May. Lerin Link said fares would rise.", "Lerin Link"),
])
def test_a_name_closed_by_a_service_word_is_an_organisation(nlp, body, name):
    """The model types such names a place, or a person saying something, or misses them."""
    found = [m.type for m in mentions_of(nlp, body) if m.text == name]
    assert found and set(found) == {ORGANIZATION}


def test_a_service_word_name_the_text_calls_a_work_is_that_facility(nlp):
    body = "Work on the Lerin Link, an undersea power cable, starts in May. The Lerin Link will cost 200 million crowns."
    found = [(m.type, m.type_evidence) for m in mentions_of(nlp, body) if m.text == "Lerin Link"]
    assert found == [(PLACE, "called a cable")] * 2
    # power lines are no body: an acronym before a lower-case service word is none
    assert not mentions_of(nlp, "New KV lines will reach the island in May.")


def test_an_outlet_named_on_another_outlets_page_is_that_outlets_entity(tmp_path, nlp):
    """"the Courier" on the Ledger's page is The Brisk Courier, an outlet the corpus has pages
    from, however the articles arrive; with a second Courier in the corpus it is neither."""
    ledger = article("l1", "Officials told the Courier that the talks in Harnby had stalled.", outlet="The Harbour Ledger")
    courier = article("c1", "The harbour master told the Courier on Monday that the ferry quay in Harnby had reopened.",
                      outlet="The Brisk Courier")
    other = article("o1", "The Varrow Courier said the quay in Orby would stay shut.", outlet="The Varrow Courier")

    def courier_entity(store):  # the entity of the Ledger's "Courier"
        row = store.conn.execute("SELECT n.entity_id FROM entity_mentions m JOIN entity_names n ON n.id = m.name_id"
                                 " WHERE m.article_id = 'l1' AND m.text = 'Courier'").fetchone()
        return entity_detail(store, row[0]).entity

    with make_store(tmp_path, [ledger]) as store:
        analyse(store)
        assert courier_entity(store).name == "Courier"  # no outlet of that name yet
        store.add_page(Page(id="c1", source="c1", kind=TEXT, content=courier.body), courier)
        analyse(store)  # an update: the Ledger's "Courier" is not touched, the new outlet is
        updated = courier_entity(store)
        assert (updated.name, updated.type) == ("The Brisk Courier", ORGANIZATION)
        assert any("'Courier' names the outlet 'The Brisk Courier'" in m[2] for m in entity_detail(store, updated.id).merges)
        update_entities(store, force=True)
        assert courier_entity(store) == updated  # a rebuild agrees
        store.add_page(Page(id="o1", source="o1", kind=TEXT, content=other.body), other)
        analyse(store)
        assert courier_entity(store).name == "Courier"  # two outlets end so: the short form is neither
        assert entity_detail(store, "The Varrow Courier").entity.type == ORGANIZATION


def test_an_outlets_name_or_its_one_short_form_stands_for_the_outlet():
    outlets = ["The Dunmere Gazette", "Lantern & Quay - Mirren Coast Weekly", "Radio Skelby"]
    ns = nodes((ORGANIZATION, "Gazette", "Gazette"), (ORGANIZATION, "Dunmere Gazette", "Dunmere Gazette"),
               (PLACE, "Lantern & Quay", "Lantern & Quay"), (PLACE, "Skelby", "Skelby"), (PLACE, "Weekly", "Weekly"))
    result = resolve(ns, outlets=outlets)
    assert groups(result, ns) == [["Dunmere Gazette", "Gazette"], ["Lantern & Quay"], ["Skelby"], ["Weekly"]]
    assert set(result.entities.values()) == {  # "Skelby" of "Radio Skelby", "Weekly": no outlet's name, no short form
        (ORGANIZATION, "The Dunmere Gazette"), (ORGANIZATION, "Lantern & Quay"), (PLACE, "Skelby"), (PLACE, "Weekly")}
    # a short form two outlets share is neither's
    ns = nodes((ORGANIZATION, "Gazette", "Gazette"))
    assert set(resolve(ns, outlets=[*outlets, "Varrow Gazette"]).entities.values()) == {(ORGANIZATION, "Gazette")}


@pytest.mark.parametrize(
    ("body", "name", "role", "place"),
    [
        # the model ran the title's place into the holder's name ("Fenwick Delphine Arkwright")
        ("Mayor of Fenwick Delphine Arkwright said:\n\n\"The town has waited for this.\"", "Delphine Arkwright",
         "Mayor of Fenwick", "Fenwick"),
        ("Governor of Ostvale Oskar Tennant said:\n\n\"The levee will hold.\"", "Oskar Tennant", "Governor of Ostvale", "Ostvale"),
        # typed a body whole
        ("Mayor of Brenmouth Ingrid Falk said the quay would reopen.", "Ingrid Falk", "Mayor of Brenmouth", "Brenmouth"),
        # a portfolio is no place; the model typed the whole phrase a body
        ("Minister for Waterways Henrietta Sallow said:\n\n\"The plan delivers.\"", "Henrietta Sallow",
         "Minister for Waterways", None),
    ],
)
def test_a_titles_object_run_into_the_holders_name_is_cut_off_it(nlp, body, name, role, place):
    found = mentions_of(nlp, body)
    assert {m.text: m.role for m in found if m.type == PERSON}.get(name) == role, [(m.text, m.type) for m in found]
    assert {m.text for m in found if m.type == PLACE} == ({place} if place else set())


def test_a_given_name_the_model_stopped_at_runs_on_to_its_surname(nlp):
    body = ("Mayor Delphine Arkwright ordered the evacuation of about 400 homes on the seafront. \"This is not a "
            "decision I take lightly,\" Arkwright said at a briefing in the town hall.")
    found = mentions_of(nlp, body)
    assert [(m.text, m.refers_to) for m in found if m.type == PERSON] == [
        ("Delphine Arkwright", "Delphine Arkwright"), ("Arkwright", "Delphine Arkwright")]


@pytest.mark.parametrize(
    ("body", "named", "typed"),
    [
        # a named storm is an event; a title alone names nobody
        ("Storm Hettie flooded 300 homes in Fenwick.", "Storm Hettie", None),
        ("Benedikt Strand thanked Amara Oyelaran. \"Thank you, Councillor,\" Strand said.", "Councillor", None),
        # a street, a valley, a town before its council, a business the text calls one
        ("Gert Hollis runs a guest house on Marine Parade in Fenwick.", "Marine Parade", PLACE),
        ("An extension to Greyscar Quarry would bring blasting within 400 metres of their homes.", "Greyscar Quarry", PLACE),
        # a street whose last word also ends surnames, which the model types a person: where the text puts it
        ("Hedda Marrick, who has lived on Tollard Lane for forty years, said the lorries shook her windows.",
         "Tollard Lane", PLACE),
        ("Osric Venn, who has lived on Wrexley Lane since 1990, said the lorries were loud.", "Wrexley Lane", PLACE),
        ("Residents in Tollard Lane said the lorries were loud.", "Tollard Lane", PLACE),
        # ... and not a person the text puts nowhere one lives
        ("The council turned on Osric Venn after the vote.", "Osric Venn", PERSON),
        ("Nobody had confidence in Osric Venn, the council said.", "Osric Venn", PERSON),
        ("The mill is the largest employer in the Harl valley, its owner said.", "Harl", PLACE),
        ("Amara Oyelaran chairs the transport committee of Harlbridge town council.", "Harlbridge", PLACE),
        ("Torvald Brennan has run Brennan Mills, the largest employer in the valley, for eleven years.",
         "Brennan Mills", ORGANIZATION),
    ],
)
def test_names_typed_by_what_the_text_calls_them(nlp, body, named, typed):
    found = {m.text: m.type for m in mentions_of(nlp, body)}
    assert found.get(named) == typed, found

