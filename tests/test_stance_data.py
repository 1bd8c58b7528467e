"""The hand-labelled stance sets are well formed, and each held-apart part shares nothing with the sets
tuned on or scored before it (tests/data/README.md says how each was written and may be used)."""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

import pytest

from presswatch.evaluate.narratives import load_claims
from presswatch.records import ASSERTS, OPPOSING, STANCES

DATA = Path(__file__).parent / "data"
STANCE_SETS = ("stance_claims_train.jsonl", "stance_claims_heldapart.jsonl", "stance_claims_train2.jsonl",
               "stance_claims_train3.jsonl", "stance_claims_heldapart2.jsonl", "stance_claims_heldapart3.jsonl",
               "stance_claims_heldapart4.jsonl", "stance_claims_heldapart5.jsonl", "stance_claims_train4.jsonl",
               "stance_claims_train5.jsonl", "stance_claims_heldapart6.jsonl", "stance_claims_train6.jsonl",
               "stance_claims_train7.jsonl", "stance_claims_train8.jsonl", "stance_claims_train9.jsonl",
               "stance_claims_heldapart7.jsonl", "stance_claims_heldapart8.jsonl", "stance_claims_train10.jsonl",
               "stance_claims_train11.jsonl", "stance_claims_train12.jsonl", "stance_claims_train13.jsonl",
               "stance_claims_heldapart9.jsonl", "stance_claims_heldapart10.jsonl", "stance_claims_heldapart11.jsonl",
               "stance_claims_heldapart12.jsonl")
HELDAPART2 = DATA / "stance_claims_heldapart2.jsonl"
HELDAPART3 = DATA / "stance_claims_heldapart3.jsonl"
HELDAPART4 = DATA / "stance_claims_heldapart4.jsonl"
HELDAPART5 = DATA / "stance_claims_heldapart5.jsonl"
HELDAPART6 = DATA / "stance_claims_heldapart6.jsonl"
HELDAPART7 = DATA / "stance_claims_heldapart7.jsonl"
HELDAPART8 = DATA / "stance_claims_heldapart8.jsonl"
# Training sets written after heldapart5 without reading it (2026-12-06, branch h-stance6).
WRITTEN_AFTER_HELDAPART5 = ("stance_claims_train4.jsonl", "stance_claims_train5.jsonl")
# Training sets written after heldapart6 by four writers at once, each blind to both held-apart parts, the
# stance rules and the model (2026-12-07, branches h-train6 to h-train9).
WRITTEN_AFTER_HELDAPART6 = ("stance_claims_train6.jsonl", "stance_claims_train7.jsonl", "stance_claims_train8.jsonl",
                            "stance_claims_train9.jsonl")
# Training sets written after heldapart8 by four writers at once, each blind to heldapart5 to heldapart8, the
# stance rules and the model (2026-12-07, session 17, branches h-train10 to h-train13).
WRITTEN_AFTER_HELDAPART8 = ("stance_claims_train10.jsonl", "stance_claims_train11.jsonl", "stance_claims_train12.jsonl",
                            "stance_claims_train13.jsonl")
# Written after those the same way, as training sets (branches h-train14 to h-train17), and held apart
# since: the re-trained model they were written for did not keep the guard tests, so they are four
# more worlds the shipped model has read once and nothing was chosen on (tests/data/README.md).
HELDAPART9_TO_12 = tuple(DATA / f"stance_claims_heldapart{n}.jsonl" for n in (9, 10, 11, 12))
SETS_BEFORE_HELDAPART9 = tuple(name for name in STANCE_SETS if DATA / name not in HELDAPART9_TO_12)
WRITTEN_LATER = WRITTEN_AFTER_HELDAPART5 + WRITTEN_AFTER_HELDAPART6 + WRITTEN_AFTER_HELDAPART8
# Every claim set written before heldapart2: what it must not reuse.
EARLIER = (DATA / "stance_claims_train.jsonl", DATA / "stance_claims_heldapart.jsonl",
           Path(__file__).parents[1] / "tools" / "data" / "narrative_claims.jsonl")
# Every claim set written before heldapart3 (2026-12-07): all the others.
BEFORE_HELDAPART3 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if name not in WRITTEN_LATER
                                  and DATA / name not in (HELDAPART3, HELDAPART4, HELDAPART5, HELDAPART6, HELDAPART7, HELDAPART8)))
# Every claim set written before heldapart4 (2026-12-06, written before any change was made after heldapart3's score).
BEFORE_HELDAPART4 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if name not in WRITTEN_LATER
                                  and DATA / name not in (HELDAPART4, HELDAPART5, HELDAPART6, HELDAPART7, HELDAPART8)))
# Every claim set written before heldapart5 (2026-12-06, written before any change was made after heldapart4's score).
BEFORE_HELDAPART5 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if DATA / name not in (HELDAPART5, HELDAPART6, HELDAPART7, HELDAPART8)
                                  and name not in WRITTEN_LATER))
# Every claim set written before heldapart6 (2026-12-06, branch h-held6): all the others.
BEFORE_HELDAPART6 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if DATA / name not in (HELDAPART6, HELDAPART7, HELDAPART8)
                                  and name not in WRITTEN_AFTER_HELDAPART6 + WRITTEN_AFTER_HELDAPART8))
# Every claim set written before heldapart7 (2026-12-07, branch h-held7): all the others, train6 to train9 included.
BEFORE_HELDAPART7 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if DATA / name not in (HELDAPART7, HELDAPART8) and name not in WRITTEN_AFTER_HELDAPART8))
# Every claim set written before heldapart8 (2026-12-07, branch h-held8): all the others but train10 to train13.
BEFORE_HELDAPART8 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9
                                  if DATA / name != HELDAPART8 and name not in WRITTEN_AFTER_HELDAPART8))
# Every claim set written before heldapart9 to heldapart12 (2026-12-07, session 17): all the others.
BEFORE_HELDAPART9 = (*EARLIER, *(DATA / name for name in SETS_BEFORE_HELDAPART9))
# Set phrases share five words in a row ("by the end of the"); six shared words mean a reused
# wording. Checked on heldapart2 against EARLIER when it was written (session 8).
SHARED_RUN = 6


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}


@pytest.mark.parametrize("name", STANCE_SETS)
def test_every_row_parses_with_a_stance_a_cue_and_an_iso_date(name):
    rows = load_claims(DATA / name)
    for row in rows:
        assert row["stance"] in STANCES, row
        assert isinstance(row["cue"], str) and row["cue"].strip(), row
        assert isinstance(row["speaker"], str) and isinstance(row["outlet"], str), row
        datetime.date.fromisoformat(row["date"])
    assert len({row["text"] for row in rows}) == len(rows), "a text labelled twice"


@pytest.mark.parametrize("path", (HELDAPART2, HELDAPART3, HELDAPART4, HELDAPART5, HELDAPART6,
                                  HELDAPART7, HELDAPART8, *HELDAPART9_TO_12))
def test_heldapart_narratives_have_a_claim_and_its_opposition(path):
    by_narrative: dict[str, list[str]] = {}
    for row in load_claims(path):
        if row["narrative"] is not None:
            by_narrative.setdefault(row["narrative"], []).append(row["stance"])
    for narrative, stances in by_narrative.items():
        assert ASSERTS in stances and OPPOSING & set(stances), narrative


@pytest.mark.parametrize(("path", "before"), ((HELDAPART2, EARLIER), (HELDAPART3, BEFORE_HELDAPART3),
                                                (HELDAPART4, BEFORE_HELDAPART4), (HELDAPART5, BEFORE_HELDAPART5),
                                                (HELDAPART6, BEFORE_HELDAPART6), (HELDAPART7, BEFORE_HELDAPART7),
                                                (HELDAPART8, BEFORE_HELDAPART8),
                                                *((path, BEFORE_HELDAPART9) for path in HELDAPART9_TO_12)))
def test_heldapart_reuses_no_narrative_text_speaker_or_outlet_of_earlier_sets(path, before):
    new = load_claims(path)
    earlier = [row for earlier_path in before for row in load_claims(earlier_path)]
    for field in ("narrative", "text", "speaker", "outlet"):
        shared = {row.get(field) for row in new} & {row.get(field) for row in earlier} - {None}
        assert not shared, (field, shared)
    earlier_runs = set().union(*(_runs(row["text"]) for row in earlier))
    for row in new:
        assert not _runs(row["text"]) & earlier_runs, row["text"]


@pytest.mark.parametrize(("name", "held_path"), (("stance_claims_train2.jsonl", HELDAPART2),
                                                  ("stance_claims_train3.jsonl", HELDAPART2),
                                                  *((name, HELDAPART5) for name in WRITTEN_AFTER_HELDAPART5),
                                                  *((name, held) for name in WRITTEN_AFTER_HELDAPART6
                                                    for held in (HELDAPART5, HELDAPART6)),
                                                  *((name, held) for name in WRITTEN_AFTER_HELDAPART8
                                                    for held in (HELDAPART5, HELDAPART6, HELDAPART7, HELDAPART8))))
def test_later_training_sets_share_no_narrative_text_speaker_outlet_or_wording_with_the_heldapart(name, held_path):
    """The training sets written after a held-apart part (train2 in session 9 and train3 on 2026-12-06
    after heldapart2, train4 and train5 on 2026-12-06 after heldapart5, train6 to train9 on 2026-12-07 after
    heldapart6, train10 to train13 in session 17 after heldapart8) were written without reading it;
    checked here, naming only the training set's own rows when something is shared, so the held-apart
    rows stay unread."""
    training = load_claims(DATA / name)
    held = load_claims(held_path)
    for field in ("narrative", "text", "speaker", "outlet"):
        theirs = {row.get(field) for row in held} - {None}
        assert not [row[field] for row in training if row.get(field) in theirs], field
    held_runs = set().union(*(_runs(row["text"]) for row in held))
    assert not [row["line"] for row in training if _runs(row["text"]) & held_runs]


@pytest.mark.parametrize("together", (WRITTEN_AFTER_HELDAPART6, WRITTEN_AFTER_HELDAPART8,
                                      tuple(path.name for path in HELDAPART9_TO_12)))
def test_sets_written_together_share_no_narrative_text_speaker_outlet_or_wording(together):
    """train6 to train9, train10 to train13 and heldapart9 to heldapart12 were each written at the same time by four writers
    who could not see each other's rows; each is a world of its own, so leaving one file out in
    tools/train_stance.py tests wording never seen."""
    sets = {name: load_claims(DATA / name) for name in together}
    for a, b in itertools.combinations(sets, 2):
        for field in ("narrative", "text", "speaker", "outlet"):
            shared = {row.get(field) for row in sets[a]} & {row.get(field) for row in sets[b]} - {None}
            assert not shared, (a, b, field, shared)
        runs_b = set().union(*(_runs(row["text"]) for row in sets[b]))
        assert not [row["line"] for row in sets[a] if _runs(row["text"]) & runs_b], (a, b)
