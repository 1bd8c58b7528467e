"""The extraction scorer on rows whose answers are known by hand."""

import json
from dataclasses import replace

import pytest

from presswatch.errors import DataFormatError
from presswatch.evaluate.extraction import evaluate_extraction, score_rows
from presswatch.records import Article, Page


def echo(page: Page) -> Article:
    """An 'extractor' that returns the page's text as the body and fixed metadata."""
    return Article(id=page.id, page_id=page.id, url=None, title="The Title", body=page.content,
                   paragraphs=(page.content,), published="2024-05-06T10:00", author="Ann Lee; Bo Chen")


def test_benchmark_rows_score_shingles_per_page():
    gold = "one two three four five six"
    rows = [{"id": "a", "html": gold, "gold_article_body": gold},
            {"id": "b", "html": "menu menu menu menu " + gold, "gold_article_body": gold}]
    result = score_rows(rows, echo)
    assert result["pages"] == 2 and result["recall"] == 1.0
    assert result["precision"] == pytest.approx((1.0 + 3 / 7) / 2)


def test_with_without_rows_sum_hits_and_read_metadata_gold_of_any_shape():
    rows = [{"url": "u", "html": "alpha beta gamma. delta", "with": ["beta gamma", "missing"], "without": ["delta"],
             "gold_metadata": {"title": "the title", "date": "2024-05-06", "author": ["Ann Lee", "Bo Chen"]}}]
    result = score_rows(rows, echo)
    assert (result["precision"], result["recall"]) == (0.5, 0.5)
    assert result["metadata"] == {f: {"n": 1, "accuracy": 1.0} for f in ("title", "date", "author")}
    rows[0]["gold_metadata"]["date"] = "2024-06-05"  # a real date that is not the predicted one
    assert score_rows(rows, echo)["metadata"]["date"]["accuracy"] == 0.0


def test_gold_dates_written_year_day_month_are_read_back():
    def on_may_16(page):
        return replace(echo(page), published="2024-05-16")

    rows = [{"url": "u", "html": "x", "with": [], "gold_metadata": {"date": "2024-16-05"}}]
    assert score_rows(rows, on_may_16)["metadata"]["date"]["accuracy"] == 1.0


def test_text_input_reads_page_text_and_bad_files_say_why(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "a", "html": "<p>x</p>", "page_text": "words in the text dump here",
                                "gold_article_body": "words in the text dump here"}) + "\n")
    assert evaluate_extraction(path, source="text", extractor=echo)["f1"] == 1.0
    path.write_text("not json\n")
    with pytest.raises(DataFormatError, match="not a JSON object"):
        evaluate_extraction(path, extractor=echo)


def test_a_field_no_page_has_gold_for_scores_nothing_rather_than_zero():
    rows = [{"url": "u", "html": "alpha beta", "with": ["alpha"], "gold_metadata": {"title": "the title", "author": ""}}]
    metadata = score_rows(rows, echo)["metadata"]
    assert metadata["author"] == {"n": 0, "accuracy": None}
    assert metadata["title"]["n"] == 1


def test_the_eval_table_shows_an_unmeasured_score_as_not_applicable(tmp_path):
    from typer.testing import CliRunner

    from presswatch.cli import app

    data = tmp_path / "pages.jsonl"
    data.write_text(json.dumps({"url": "u", "html": "<p>Ann Lee opened the new ferry pier on Monday.</p>",
                                "with": ["ferry pier"], "gold_metadata": {"date": "2024-05-06"}}) + "\n")
    result = CliRunner().invoke(app, ["eval", "extraction", str(data)])
    assert result.exit_code == 0, result.output
    author_row = next(line for line in result.output.splitlines() if "metadata.author.accuracy" in line)
    assert "n/a" in author_row and "0.000" not in author_row
