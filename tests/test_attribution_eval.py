"""The attribution scorers on tiny hand-made cases whose answers are worked out by hand."""

import json
from pathlib import Path

import pytest

from presswatch.errors import DataFormatError
from presswatch.evaluate.attribution import (
    gold_spans,
    overlap_matches,
    read_polnear,
    score_seed_statements,
    score_spans,
    trim_span,
)
from presswatch.records import Statement

TEXT = 'Title\n\n"Rain is coming," the mayor said. She added that roads close.'


def _statement(cue, speaker, contents, article="a"):
    return Statement(
        id=f"{article}:{cue[0]}",
        article_id=article,
        speaker=None,
        speaker_name=None,
        speaker_role=None,
        speaker_kind="unknown",
        cue="",
        content="",
        mode="direct",
        cue_span=cue,
        speaker_span=speaker,
        content_spans=tuple(contents),
    )


def test_offsets_in_the_fixture_are_what_the_comments_say():
    assert TEXT[7:24] == '"Rain is coming,"'
    assert TEXT[25:34] == "the mayor"
    assert TEXT[35:39] == "said"
    assert TEXT[45:50] == "added"
    assert TEXT[51:67] == "that roads close"


def test_trim_strips_whitespace_and_quote_marks_but_not_commas():
    assert trim_span(TEXT, 6, 24) == (8, 23)  # newline, quote marks removed, comma kept
    assert trim_span(" “ ’ ", 0, 5) is None
    assert trim_span("«x»", 0, 3) == (1, 2)


def test_overlap_matching_is_one_to_one_and_prefers_the_largest_overlap():
    gold = {(0, 10), (10, 20)}
    # (5, 18) overlaps the second gold span more, so it takes it; (0, 3) gets the first.
    assert overlap_matches(gold, {(5, 18), (0, 3)}) == 2
    # One prediction spanning both gold spans matches only one of them.
    assert overlap_matches(gold, {(0, 20)}) == 1
    assert overlap_matches(gold, {(20, 30)}) == 0


def test_score_spans_exact_overlap_and_dedup():
    gold = {"a": {"cue": [(35, 39), (45, 50)], "source": [(25, 34)], "content": [(7, 24), (51, 67)]}}
    predicted = {
        "a": {
            # the second cue is too long: no exact match, but it overlaps
            "cue": [(35, 39), (45, 56)],
            # the same source twice counts once; quotes/whitespace trimmed on both sides
            "source": [(25, 34), (23, 34)],
            "content": [(8, 23), (61, 67), (0, 5)],
        }
    }
    result = score_spans({"a": TEXT}, gold, predicted)
    assert result["articles"] == 1
    assert result["cue"]["exact"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert result["cue"]["overlap"]["f1"] == 1.0
    assert result["source"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["content"]["exact"]["recall"] == 0.5
    assert result["content"]["overlap"]["precision"] == pytest.approx(2 / 3)
    assert result["content"]["overlap"]["recall"] == 1.0


def test_gold_spans_take_every_fragment_and_content2():
    row = {
        "attributions": [
            {
                "cue": [{"fragments": [[35, 39]]}],
                "source": [],
                "content": [{"fragments": [[7, 15], [16, 24]]}],
                "content2": [{"fragments": [[51, 67]]}],
            }
        ]
    }
    spans = gold_spans(row)
    assert spans == {"cue": [(35, 39)], "source": [], "content": [(7, 15), (16, 24), (51, 67)]}


def test_read_polnear_rejects_rows_without_text(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "attributions": []}) + "\n")
    with pytest.raises(DataFormatError):
        read_polnear(bad)


def _named(speaker_name, content, speaker=None, venue=None):
    st = _statement((0, 1), None, [(0, 1)])
    from dataclasses import replace

    return replace(st, speaker=speaker or speaker_name, speaker_name=speaker_name, content=content, venue=venue)


def test_seed_scoring_by_group_surname_anchor_and_venue():
    gold = {
        "same_entity": [["Ivan Petrov", "Ivan Petroff"]],
        "documents": [
            {
                "id": "d1",
                "statements": [
                    {"speaker": "Ivan Petroff", "content_anchor": "the bridge is safe", "core": True,
                     "venue": "interview with the Gazette"},
                    {"speaker": "Ana Lind", "content_anchor": "taxes will rise", "core": True},
                    {"speaker": "analysts", "content_anchor": "growth slows", "core": False},
                ],
            }
        ],
    }
    predicted = {
        "d1": [
            # surname of a group member, curly quotes and spacing ignored, venue agrees
            _named("Petrov", "“The  Bridge is safe,” he said", venue="an interview with the Gazette"),
            # right words, wrong speaker: matches nothing
            _named("Ana Lind", "the bridge is safe"),
            # a non-core gold statement: still counts as correct for precision
            _named(None, "growth slows down", speaker="analysts"),
        ]
    }
    score = score_seed_statements(gold, predicted)
    assert score["core"] == 2 and score["found"] == 1
    assert score["core_recall"] == 0.5
    assert score["predicted"] == 3
    assert score["precision"] == pytest.approx(2 / 3)
    assert score["venues"] == {"correct": 1, "n": 1}
