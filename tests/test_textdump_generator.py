"""The synthetic pages the text-dump model is trained on (tools/textdump_generator.py): which parts of
a live blog and a press release are labelled as the article's text. Pure Python: no page is rendered."""

from __future__ import annotations

import html
import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "textdump_generator", Path(__file__).parents[1] / "tools" / "textdump_generator.py")
generator = sys.modules.setdefault(_SPEC.name, importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(generator)

# fictional articles written for this test
DOCS = [
    generator.Doc("Tide gauge at Gullet Bay breaks its record", [
        "The tide gauge at Gullet Bay recorded its highest reading since it was installed in 1952.",
        "Harbour master Ilona Frasch said the water rose forty centimetres above the forecast.",
        "\u201cWe closed the slipway at noon,\u201d Frasch said. \u201cNobody was hurt.\u201d",
        "The gauge is read every ten minutes by the Ostvale Weather Service.",
        "Readings will be published on the harbour's notice board each morning.",
        "The next spring tide is due on Thursday.",
    ]),
    generator.Doc("Skerrow ferry timetable cut for the winter", [
        "Skerrow Island Ferries will run two sailings a day from November.",
        "The company said fewer passengers travel in the winter months.",
        "Islanders have asked for a late sailing on Fridays.",
    ]),
]


def _text_of(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


@pytest.mark.parametrize("seed", range(20))
def test_a_live_blogs_entries_are_text_and_their_times_and_share_links_are_not(seed):
    g = generator.Gen(random.Random(seed), DOCS)
    page = generator.live_blog_block(g, DOCS[0], "en")
    shown = _text_of(page.html)
    assert all(text in shown for text in page.body)
    # every paragraph the blog was cut from is an entry's text, whole or its first sentence
    assert all(any(text in paragraph for text in page.body) for paragraph in DOCS[0].paragraphs[:1])
    assert not any(re.fullmatch(r"\d{1,2}[:.]\d{2}(?:\s*(?:[ap]m|GMT|CET|ET|BST|Uhr|AM|PM))?", text) for text in page.body)
    assert not set(generator.LIVE_ENTRY_SHARE) & set(page.body)


@pytest.mark.parametrize("seed", range(20))
def test_a_press_releases_metadata_notes_and_contacts_are_not_text(seed):
    g = generator.Gen(random.Random(seed), DOCS)
    page = generator.press_release_block(g, DOCS[0])
    shown = _text_of(page.html)
    assert all(text in shown for text in page.body)
    labels = set(generator.RELEASE_META) | set(generator.RELEASE_ENDS) | set(generator.RELEASE_CONTACTS)
    assert not labels & set(page.body)
    assert not any(text.startswith(("Email:", "Telephone:")) for text in page.body)
