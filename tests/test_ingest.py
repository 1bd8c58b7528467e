"""Ingest: every input form, every kind of bad input, on files the tests make in tmp_path."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswatch.errors import InputError
from presswatch.ingest import read_sources
from presswatch.engine.local import ingest
from presswatch.ingest.decode import FEW_NON_ASCII, Decoded, decode_bytes, decode_html
from presswatch.ingest.feed import entry_date
from presswatch.ingest.sniff import BINARY, FEED, JSONL, WARC, bomless_wide_encoding, form_from_name, sniff_form
from presswatch.records import HTML, TEXT, Page, Rejection, SkippedRecords
from presswatch.store import Store

RUSSIAN = "Президент заявил журналистам, что переговоры продолжатся на следующей неделе, несмотря на разногласия."
FRENCH = "Le président a déclaré aux journalistes que les négociations reprendront la semaine prochaine, malgré tout."
JAPANESE = "東京都は火曜日、新しい防災計画を発表した。知事は記者団に対し、計画は来月から実施されると述べた。"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def html_page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Story</title></head><body><p>{body}</p></body></html>"


def read(*sources, **options) -> list[Page | Rejection]:
    return list(read_sources([str(source) for source in sources], **options))


def pages(items) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def rejections(items) -> dict[str, str]:
    return {item.source: item.reason for item in items if isinstance(item, Rejection)}


def only_page(items) -> Page:
    assert len(items) == 1 and isinstance(items[0], Page), items
    return items[0]


def only_reason(items) -> str:
    assert len(items) == 1 and isinstance(items[0], Rejection), items
    return items[0].reason


# --- plain text and HTML files -------------------------------------------------------------------


def test_text_dump_is_a_text_page(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("Home | News | Sport\n\nHeadline here\n\nFirst paragraph.\n", encoding="utf-8")
    page = only_page(read(path))
    assert page.kind == TEXT and page.source == str(path) and page.encoding == "utf-8"
    assert page.content == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_encoding"),
    [
        (html_page(FRENCH, '<meta charset="utf-8">').encode("utf-8"), FRENCH, "utf-8"),
        (html_page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251"), RUSSIAN, "cp1251"),
        (html_page(FRENCH, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
         .encode("cp1252"), FRENCH, "cp1252"),
        (html_page(JAPANESE, '<meta charset="shift_jis">').encode("shift_jis"), JAPANESE, "cp932"),
        (b"\xef\xbb\xbf" + html_page(RUSSIAN).encode("utf-8"), RUSSIAN, "utf-8"),
        (html_page(RUSSIAN).encode("utf-16"), RUSSIAN, "utf-16-le"),
        (html_page(JAPANESE).encode("utf-16-be"), JAPANESE, "utf-16-be"),  # no BOM
        (html_page(FRENCH).encode("utf-16-le"), FRENCH, "utf-16-le"),  # no BOM
        (html_page(FRENCH).encode("utf-32"), FRENCH, "utf-32-le"),
        (html_page(RUSSIAN * 3).encode("koi8-r"), RUSSIAN, "koi8-r"),  # undeclared: detected
        # Undeclared and detected: for this text cp1250 and cp1252 give the same characters.
        (html_page(FRENCH * 3).encode("cp1252"), FRENCH, ("cp1252", "cp1250")),
        # A stale declaration on a page re-saved as UTF-8 loses to the bytes.
        (html_page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8"), FRENCH, "utf-8"),
        # A declaration that is plainly false (most non-ASCII bytes invalid) loses to detection.
        (html_page(RUSSIAN * 3, '<meta charset="utf-8">').encode("cp1251"), RUSSIAN, "cp1251"),
    ],
    ids=["utf8-meta", "cp1251-meta", "latin1-http-equiv", "shift-jis-meta", "utf8-bom", "utf16-bom",
         "utf16be-no-bom", "utf16le-no-bom", "utf32-bom", "koi8r-detected", "cp1252-detected",
         "stale-meta", "false-meta"],
)
def test_html_in_any_encoding_decodes_and_records_it(tmp_path, data, expected_text, expected_encoding):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    page = only_page(read(path))
    assert page.kind == HTML and expected_text in page.content
    assert page.encoding in ((expected_encoding,) if isinstance(expected_encoding, str) else expected_encoding)
    assert "\ufeff" not in page.content


# A text dump pasted together from a UTF-8 file and a Windows editor's: each line in its own encoding.
UTF8_LINE = "The café on Quay Road reopened on Tuesday under its old name.\n"
CP1252_LINE = "Regulars said the crème brûlée was \u201cexactly as before\u201d \u2014 a naïve hope, she thought.\n"


def test_text_dump_mixing_utf8_and_cp1252_lines_reads_each_line_in_its_own(tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_bytes((UTF8_LINE * 3).encode("utf-8") + (CP1252_LINE * 3).encode("cp1252"))
    page = only_page(read(path))
    assert page.content == UTF8_LINE * 3 + CP1252_LINE * 3
    assert page.encoding == "utf-8+cp1252"


def test_a_utf8_marked_dump_with_cp1252_lines_reads_those_lines_in_their_own(tmp_path):
    """A UTF-8 byte order mark (Notepad's UTF-8) was taken to cover the whole file: the Windows lines
    appended to it were stored with U+FFFD for every accented letter, beyond repair."""
    path = tmp_path / "pasted-bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + (UTF8_LINE * 3).encode("utf-8") + (CP1252_LINE * 3).encode("cp1252"))
    page = only_page(read(path))
    assert page.content == UTF8_LINE * 3 + CP1252_LINE * 3
    assert page.encoding == "utf-8+cp1252"
    path.write_bytes(codecs.BOM_UTF8 + (UTF8_LINE * 3).encode("utf-8"))  # all UTF-8: as before
    assert only_page(read(path)).encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1"])
def test_text_dump_in_one_encoding_is_read_in_it(tmp_path, encoding):
    text = (UTF8_LINE + CP1252_LINE.replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-")) * 3
    path = tmp_path / "dump.txt"
    path.write_bytes(text.encode(encoding))
    page = only_page(read(path))
    assert page.content == text and page.encoding in {encoding, "cp1252"}  # Latin-1 text is cp1252 text


def test_windows_1252_wins_when_detection_cannot_tell_it_from_other_codepages():
    # charset-normalizer scores cp1250, cp1252 and cp1257 alike on these few lines and lists cp1250 first.
    text = "A naïve visitor said \u201cthe coffee is better\u201d and left \u2014 happy.\n" * 3
    assert decode_bytes(text.encode("cp1252")) == Decoded(text, "cp1252")


# Lines in cp1252 with fewer non-ASCII bytes than detection needs, so they are read as Windows-1252;
# at most four of them beside one to four UTF-8 lines, so at least a fifth of the lines are UTF-8.
CP1252_LINES = st.lists(st.text("abcdefghij .,\u201c\u201d\u2014\u2019éèàïöüÉÀç", min_size=1, max_size=60)
                        .filter(str.strip), min_size=1, max_size=4).filter(
    lambda lines: 0 < len("".join(lines).encode("cp1252").translate(None, bytes(range(0x80)))) < FEW_NON_ASCII)
UTF8_LINES = st.lists(st.text("abcdefghij .,éñøßžłőДжή—“”", min_size=1, max_size=60)
                      .filter(lambda line: line.strip() and not line.isascii()), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(UTF8_LINES, CP1252_LINES, st.randoms())
def test_utf8_lines_among_cp1252_lines_are_each_read_in_their_own(utf8_lines, cp1252_lines, random):
    lines = [(line, "utf-8") for line in utf8_lines] + [(line, "cp1252") for line in cp1252_lines]
    random.shuffle(lines)
    data = b"".join((line + "\n").encode(encoding) for line, encoding in lines)
    # Valid UTF-8 all through is read as UTF-8, a private-use character too (icon glyphs); a file of
    # a few letters where that is one of two is rightly rejected as mis-decoded, and no test of lines.
    assume(_utf8_private_use(data) is not True)
    decoded = decode_bytes(data).text
    assert decoded.split("\n")[:-1] == [_as_read(line, encoding) for line, encoding in lines]


def _as_read(line: str, encoding: str) -> str:
    """A cp1252 line that happens to be valid UTF-8 ("É—" is the bytes of "ɗ") is read as UTF-8: no way
    to tell; unless it decodes to a private-use character ("ï——" to U+F5D7), which text seldom holds."""
    data = line.encode(encoding)
    return line if _utf8_private_use(data) in (None, True) else data.decode("utf-8")


def _utf8_private_use(data: bytes) -> bool | None:
    """Whether UTF-8 bytes decode to a C1 control or a private-use character; None if they are not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return any("\ue000" <= c <= "\uf8ff" or "\x80" <= c <= "\x9f" for c in text)


def test_legacy_bytes_that_decode_as_utf8_to_a_private_use_character_are_read_as_legacy():
    data = "ß\n".encode() + "ï——\ncafé\n".encode("cp1252")
    assert decode_bytes(data).text == "ß\nï——\ncafé\n"


def test_http_charset_beats_meta_and_bom_beats_both():
    body = html_page(RUSSIAN, '<meta charset="koi8-r">').encode("cp1251")
    assert decode_html(body, "text/html; charset=windows-1251") == Decoded(body.decode("cp1251"), "cp1251")
    with_bom = b"\xef\xbb\xbf" + html_page(RUSSIAN).encode("utf-8")
    assert decode_html(with_bom, "text/html; charset=windows-1251").encoding == "utf-8"


def test_broken_html_is_still_a_page(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Water rose <b>quickly<p>and then <table><tr><td>", encoding="utf-8")
    page = only_page(read(path))
    assert page.kind == HTML and "Water rose" in page.content


def test_files_without_extension_are_sniffed(tmp_path):
    (tmp_path / "saved_page").write_text(html_page("A story."), encoding="utf-8")
    (tmp_path / "notes").write_text("Just some text about <things> in prose.", encoding="utf-8")
    (tmp_path / "page.md").write_text("# A heading\n\nSome words.", encoding="utf-8")
    kinds = {Path(page.source).name: page.kind for page in pages(read(tmp_path))}
    assert kinds == {"saved_page": HTML, "notes": TEXT}  # a folder's .md notes are passed over
    assert only_page(read(tmp_path / "page.md")).kind == TEXT  # but read when named


def test_control_characters_are_dropped_from_content(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(html_page("one\x07two\x0bthree\tfour\x7f").encode("utf-8"))
    assert "<p>onetwothree\tfour</p>" in only_page(read(path)).content


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("image.png", PNG, "binary file (looks like PNG"),
        ("renamed.html", PNG, "binary file (looks like PNG"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "looks like PDF"),
        ("archive", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "looks like ZIP"),
        ("blob.txt", bytes(range(256)) * 20, "binary file"),
        ("empty.html", b"", "empty (0 bytes)"),
        ("empty.xml", b"", "empty (0 bytes)"),
        ("empty.jsonl", b"", "empty (0 bytes)"),
        ("empty.warc.gz", b"", "empty (0 bytes)"),
        ("blank.rss", b"  \n ", "not a readable RSS/Atom feed"),
        ("blank.txt", b" \n\t\r\n   \n", "only whitespace"),
        ("blank16.txt", "   \n\n  ".encode("utf-16"), "only whitespace"),
        ("bom-only.html", b"\xef\xbb\xbf", "only whitespace"),
        ("noise.html", bytes(0x80 + (i * 7919) % 0x80 for i in range(4000)), "undecodable"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in only_reason(read(path))


def test_a_stray_nul_leaves_a_text_dump_text(tmp_path):
    path = tmp_path / "dump.txt"
    lines = ["Ferry timetable cut", "", "The Skelby ferry will run twice a day from May, the harbour master said."]
    path.write_bytes("\n".join(lines).encode() + b"\x00\n" + "Crews welcomed the change. ".encode() * 20)
    page = only_page(read(path))
    assert "\x00" not in page.content and "harbour master said." in page.content


def test_size_is_checked_before_reading(tmp_path, monkeypatch):
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as handle:  # sparse: instant to make, 50 MB on the size check
        handle.truncate(50_000_000)

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("presswatch.ingest.files.open", no_open, raising=False)
    reason = only_reason(read(huge))
    assert "50.0 MB, over the 20 MB limit" in reason


def test_max_bytes_is_the_callers(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page("x" * 2000), encoding="utf-8")
    assert "over the 0.001 MB limit" in only_reason(read(path, max_bytes=1000))
    assert isinstance(read(path, max_bytes=10_000)[0], Page)


def test_missing_and_unreadable_paths(tmp_path, monkeypatch):
    assert only_reason(read(tmp_path / "nope.html")) == "no such file or directory"
    locked = tmp_path / "locked.html"
    locked.write_text(html_page("secret"))
    real_open = open

    def denied(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("presswatch.ingest.files.open", denied, raising=False)
    assert "permission denied" in only_reason(read(locked))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_for_real(tmp_path):
    locked = tmp_path / "locked.html"
    locked.write_text(html_page("secret"))
    locked.chmod(0)
    assert "permission denied" in only_reason(read(locked))


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    assert "not a regular file" in only_reason(read(fifo))


def test_unexpected_failure_in_a_reader_becomes_a_rejection(tmp_path, monkeypatch):
    (tmp_path / "a.html").write_text(html_page("first"))
    (tmp_path / "b.txt").write_text("second")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("presswatch.ingest.dispatch.read_html", explode)
    items = read(tmp_path)
    assert "internal error" in rejections(items)[str(tmp_path / "a.html")]
    assert [page.content for page in pages(items)] == ["second"]


# --- directories, globs, the mixed directory -----------------------------------------------------


def test_directories_are_recursive_sorted_and_skip_hidden(tmp_path):
    for relative in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", ".hidden.txt", ".git/e.txt", "sub/.f.txt"]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {relative}")
    sources = [page.source for page in read(tmp_path)]
    assert sources == [str(tmp_path / name) for name in ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]]


def test_empty_directory_and_glob_patterns(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "no page files in this directory" in only_reason(read(tmp_path / "empty"))
    (tmp_path / "one.html").write_text(html_page("one"))
    (tmp_path / "two.html").write_text(html_page("two"))
    (tmp_path / "three.txt").write_text("three")
    assert [Path(p.source).name for p in read(tmp_path / "*.html")] == ["one.html", "two.html"]
    assert [Path(p.source).name for p in read(tmp_path / "**" / "*.txt")] == ["three.txt"]
    assert sorted(Path(p.source).name for p in read(tmp_path / "**")) == ["one.html", "three.txt", "two.html"]
    assert only_reason(read(tmp_path / "*.xml")) == "no files match this pattern"


def test_mixed_directory_yields_every_good_page_and_rejects_every_bad_file(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.html").write_text(html_page("Storm surge tested the city overnight."), encoding="utf-8")
    (folder / "dump.txt").write_text("Inspectors found damage on Tuesday.\n", encoding="utf-8")
    (folder / "legacy.html").write_bytes(html_page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251"))
    (folder / "utf16.html").write_text(html_page("Shelters open in two schools."), encoding="utf-16")
    (folder / "broken.html").write_text(html_page("Quays flooded before dawn.")[:-30] + "<div><p><b>")
    (folder / "image.png").write_bytes(PNG)
    (folder / "empty.html").write_bytes(b"")
    with open(folder / "huge.html", "wb") as handle:
        handle.truncate(50_000_000)

    started = time.perf_counter()
    items = read(folder)
    elapsed = time.perf_counter() - started

    good = {Path(page.source).name: page for page in pages(items)}
    assert sorted(good) == ["broken.html", "dump.txt", "good.html", "legacy.html", "utf16.html"]
    assert good["utf16.html"].encoding == "utf-16-le" and "Shelters open" in good["utf16.html"].content
    assert RUSSIAN in good["legacy.html"].content
    bad = {Path(source).name: reason for source, reason in rejections(items).items()}
    assert sorted(bad) == ["empty.html", "huge.html", "image.png"]
    assert "PNG" in bad["image.png"] and "empty" in bad["empty.html"] and "limit" in bad["huge.html"]
    assert elapsed < 5  # the 50 MB file is never read


def test_same_content_twice_gives_the_same_id(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.html").write_text(html_page("Same story."))
    (tmp_path / "b" / "copy.htm").write_text(html_page("Same story."))
    (tmp_path / "b" / "other.html").write_text(html_page("Another story."))
    first, second, other = read(tmp_path / "a" / "story.html", tmp_path / "b" / "copy.htm", tmp_path / "b" / "other.html")
    assert first.id == second.id != other.id
    assert first.source != second.source


# --- feeds ---------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Kestrel Wire | Lerin desk</title><link>http://wire.test/</link>
<item><title>Barrier holds</title><link>{base}/articles/1</link>
  <pubDate>Tue, 01 Apr 2025 10:30:00 +0200</pubDate><author>desk@wire.test (Ann Lee)</author>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>Full story: the barrier held, {extra}.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>{base}/articles/2</link><description>Only a summary here.</description></item>
<item><title>Nothing at all</title><link>{base}/articles/3</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title><id>urn:x</id><updated>2025-04-02T08:00:00Z</updated>
<entry><title>Atom story</title><link href="http://wire.test/atom/1"/><id>urn:1</id>
  <updated>2025-04-02T08:00:00Z</updated><author><name>Bo Chen</name></author>
  <content type="html">&lt;p&gt;Atom body text.&lt;/p&gt;</content></entry>
<entry><title>Plain</title><link href="http://wire.test/atom/2"/><id>urn:2</id><updated>2025-04-02T09:00:00Z</updated>
  <content type="text">Plain text body.</content></entry>
</feed>
"""


def test_rss_feed_gives_one_page_per_entry_with_hints(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(RSS.format(encoding="utf-8", base="http://wire.test", extra="café"), encoding="utf-8")
    items = read(path)
    first, second, third = items
    assert first.source == f"{path}#entry-1" and first.kind == HTML
    assert first.content == "<p>Full story: the barrier held, café.</p>"
    assert first.url == "http://wire.test/articles/1"
    assert first.hints == {"title": "Barrier holds", "author": "Ann Lee", "url": "http://wire.test/articles/1",
                           "published": "2025-04-01T10:30:00+02:00", "outlet": "Kestrel Wire"}
    assert second.content == "Only a summary here." and second.hints["title"] == "Summary only"
    assert isinstance(third, Rejection) and third.source == f"{path}#entry-3" and "no content" in third.reason


# The Brackwater Tribune, an outlet of Orrin Quay: one entry stamped late on its evening, one dated by day only.
TIMED_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Brackwater Tribune</title><link>https://brackwater.example/</link>
<item><title>Evening ferry moved</title><link>https://brackwater.example/news/ferry</link>
  <pubDate>Tue, 05 Mar 2024 23:30:00 -0500</pubDate>
  <description>The harbour board of Orrin Quay moved the evening ferry to Selk Island, said Ansel Voight.</description></item>
<item><title>Pier vote</title><link>https://brackwater.example/news/pier</link><pubDate>Wed, 06 Mar 2024</pubDate>
  <description>The council of Orrin Quay will vote on the pier next week, said Hesta Brune.</description></item>
</channel></rss>
"""


def test_feed_dates_keep_their_time_of_day_and_days_stay_days(tmp_path):
    """feedparser gives an entry's date in UTC, with midnight for a day alone: the evening entry
    became the next day's morning (2024-03-06T04:30), the dated-only one a made-up midnight."""
    path = tmp_path / "tribune.rss"
    path.write_text(TIMED_FEED, encoding="utf-8")
    timed, dated = read(path)
    assert timed.hints["published"] == "2024-03-05T23:30:00-05:00"
    assert dated.hints["published"] == "2024-03-06"
    store = Store(tmp_path / "t.db")
    ingest([str(path)], store)
    assert sorted(a.published for a in store.articles()) == ["2024-03-05T23:30:00-05:00", "2024-03-06"]


@pytest.mark.parametrize(("written", "expected"), [
    ("Tue, 05 Mar 2024 23:30:00 GMT", "2024-03-05T23:30:00+00:00"),
    ("2025-04-02T08:00:00Z", "2025-04-02T08:00:00+00:00"),  # Atom
    ("2025-04-02", "2025-04-02"),
    ("05 Mar 2024 23:30 EST", "2024-03-05T23:30:00-05:00"),
    ("not a date at all", None),
])
def test_entry_dates_as_written(written, expected):
    assert entry_date(written, None) == expected


def test_feed_in_a_legacy_encoding(tmp_path):
    path = tmp_path / "wire.xml"
    path.write_bytes(RSS.format(encoding="iso-8859-1", base="http://wire.test", extra="café à l'été").encode("latin-1"))
    assert "café à l'été" in read(path)[0].content


def test_atom_feed_and_sniffed_feed(tmp_path):
    path = tmp_path / "atom-download"  # no extension: sniffed
    path.write_text(ATOM, encoding="utf-8")
    first, second = read(path)
    assert first.kind == HTML and first.content == "<p>Atom body text.</p>"
    # Atom's <updated> is when the entry last changed: its own hint, the date only of a page showing none
    assert first.hints == {"title": "Atom story", "author": "Bo Chen", "url": "http://wire.test/atom/1",
                           "updated": "2025-04-02T08:00:00+00:00", "outlet": "Atom wire"}
    assert second.kind == TEXT and second.content == "Plain text body."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('<?xml version="1.0"?><urlset><url><loc>http://x.test/</loc></url></urlset>', "not an RSS/Atom feed"),
        ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>", "no entries"),
        ("<rss><channel><title>Wire</ti", "not a readable RSS/Atom feed"),
        ("<rss><channel><item><title>Cut mid-entry</titl", "the entry has neither content nor a link"),
        ("\x00\x01\x02 not xml at all \x03\x04" * 50, "binary file"),
    ],
    ids=["sitemap", "no-entries", "truncated", "truncated-entry", "garbage"],
)
def test_broken_feeds_are_rejected(tmp_path, data, expected):
    path = tmp_path / "feed.xml"
    path.write_text(data, encoding="utf-8")
    items = read(path)
    assert expected in only_reason(items) and items[0].source.startswith(str(path))


def test_xhtml_saved_as_xml_is_read_as_html(tmp_path):
    path = tmp_path / "page.xml"
    path.write_text('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi</p></body></html>')
    assert only_page(read(path)).kind == HTML


# --- WARC ----------------------------------------------------------------------------------------


def write_warc(path: Path, *, gzip_records: bool = True) -> None:
    def response(writer, uri, body, status="200 OK", content_type="text/html; charset=utf-8"):
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warc_record(
            "http://news.test/a", "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.test")], is_http_request=True)))
        response(writer, "http://news.test/a", html_page(RUSSIAN).encode("cp1251"),
                 content_type="text/html; charset=windows-1251")
        response(writer, "http://news.test/logo.png", PNG, content_type="image/png")
        response(writer, "http://news.test/gone", html_page("Not here").encode(), status="404 Not Found")
        response(writer, "http://news.test/b", html_page("Second page, no content type.").encode(), content_type=None)
        response(writer, "http://news.test/c", b"", content_type="text/html")
        writer.write_record(writer.create_revisit_record(
            "http://news.test/a", digest="sha1:AAAA", refers_to_uri="http://news.test/a", refers_to_date="2026-01-05T10:00:00Z"))


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_become_pages(tmp_path, compressed):
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    write_warc(path, gzip_records=compressed)
    items = read(path)
    first, second, empty, skipped = items
    assert first.url == "http://news.test/a" and RUSSIAN in first.content and first.encoding == "cp1251"
    assert first.source.startswith(f"{path}#urn:uuid:")
    assert second.url == "http://news.test/b" and "Second page" in second.content
    assert isinstance(empty, Rejection) and "empty" in empty.reason and empty.source.startswith(f"{path}#")
    # the request holds no page; the revisit, the error and the image are counted, and come last
    assert skipped == SkippedRecords(str(path), (("image/png", 1), ("revisit", 1), ("status 404", 1)))


def test_skipped_warc_records_are_reported_by_ingest(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    report = ingest([str(path)], Store(tmp_path / "w.db"), workers=1)
    assert len(report.stored) == 2 and len(report.rejected) == 1
    assert [(s.source, s.total) for s in report.skipped] == [(str(path), 3)]


def test_truncated_warc_keeps_what_came_before_the_damage(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.8)])
    items = read(cut)
    assert isinstance(items[0], Page) and RUSSIAN in items[0].content
    assert isinstance(items[-1], Rejection) and items[-1].source == str(cut) and "broken WARC" in items[-1].reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is not an archive\n" * 10, "not a WARC archive"),
        (gzip.compress(b"not warc inside\n" * 10), "not a WARC archive"),
        (b"\x1f\x8b\x08\x00garbage" * 10, "not a WARC archive"),
    ],
    ids=["text", "gzip-of-text", "bad-gzip"],
)
def test_broken_warcs_are_rejected(tmp_path, data, expected):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data)
    assert expected in only_reason(read(path))


def test_noise_inside_a_warc_is_not_quoted_in_its_reason(tmp_path):
    """warcio quotes the line it could not read: binary noise, line breaks and escape sequences
    went into the reason printed and stored; now the reason is one line of words."""
    path = tmp_path / "noisy.warc"
    write_warc(path, gzip_records=False)
    data = path.read_bytes()
    second = data.index(b"WARC/1", 10)
    path.write_bytes(data[:second] + b"\x89PNG\r\n\x1a\n\x00\x07\xff\x1b[2Jnoise\n" + data[second:])
    reason = read(path)[-1].reason
    assert reason == "broken WARC archive after 1 records (Invalid WARC record)"

def test_warc_without_html_pages(tmp_path):
    path = tmp_path / "images.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://x.test/i.png", "response", payload=io.BytesIO(PNG),
                                                      http_headers=http))
    skipped, rejected = read(path)
    assert skipped == SkippedRecords(str(path), (("image/png", 1),))
    assert "no HTML page with status 200 among its 1 WARC records" in rejected.reason


def test_sniffed_warc_without_extension(tmp_path):
    path = tmp_path / "crawl-download"
    write_warc(path)
    assert len(pages(read(path))) == 2


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_rows_and_bad_rows_with_line_numbers(tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [
        json.dumps({"html": html_page("Row one."), "url": "http://x.test/1", "title": "One",
                    "published": "2025-04-01", "author": "Ann Lee", "extra": 5}),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Row six, plain.", "title": 7}),
        json.dumps({"html": 3, "text": "Fallback text."}),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = read(path)
    good = {page.source.rsplit("#", 1)[1]: page for page in pages(items)}
    assert sorted(good) == ["line-1", "line-6", "line-7"]
    assert good["line-1"].kind == HTML and good["line-1"].url == "http://x.test/1"
    assert good["line-1"].hints == {"url": "http://x.test/1", "title": "One", "published": "2025-04-01",
                                    "author": "Ann Lee"}
    assert good["line-6"].kind == TEXT and good["line-6"].hints == {}
    bad = rejections(items)
    assert sorted(bad) == [f"{path}#line-2", f"{path}#line-4", f"{path}#line-5"]
    assert bad[f"{path}#line-2"].startswith("line 2: not valid JSON")
    assert "expected an object" in bad[f"{path}#line-4"]


def test_jsonl_limits_and_encoding(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(
        json.dumps({"text": "x" * 5000}).encode() + b"\n" + json.dumps({"text": "small"}).encode() + b"\n"
        + '{"text": "caf\u00e9"}'.encode("latin-1") + b"\n"
    )
    items = read(path, max_bytes=1000)
    assert "the 0.001 MB limit" in items[0].reason and items[0].source.endswith("#line-1")
    assert items[1].content == "small"
    assert "not UTF-8" in items[2].reason
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    assert "no rows" in only_reason(read(blank))


# --- properties ----------------------------------------------------------------------------------


CONTENT_TYPES = st.sampled_from([
    None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1251", "text/html; charset=shift_jis",
    "text/html; charset=utf-16", "text/html; charset=iso-2022-jp", "text/html; charset=utf-7",
    "text/html; charset=no-such-codec", 'text/html; charset="gb2312"',
])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), CONTENT_TYPES)
def test_decoder_gives_text_or_a_reason_for_any_bytes(data, content_type):
    try:
        decoded = decode_html(data, content_type)
    except InputError as exc:
        assert str(exc)
    else:
        assert isinstance(decoded.text, str) and decoded.text.strip() and decoded.encoding


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["x.html", "x.txt", "x.xml", "x.jsonl", "x.warc.gz", "x"]))
def test_read_sources_never_raises_on_any_file(data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = read(path)
    assert items and all(isinstance(item, (Page, Rejection)) for item in items)
    assert all(item.reason for item in items if isinstance(item, Rejection))


TEXTLIKE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=400)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", b'<meta charset="', b"\xff\xfe", b"\x1f\x8b", b"WARC/1.0\r\n"]))
def test_decoder_survives_declarations_and_marks_followed_by_anything(tail, prefix):
    try:
        assert isinstance(decode_html(prefix + tail).text, str)
    except InputError as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1000))
def test_sniffing_any_bytes_gives_a_form(data):
    assert sniff_form(data) in {BINARY, WARC, FEED, HTML, JSONL, TEXT}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500))
def test_known_binary_signatures_are_binary(tail):
    for signature in (PNG[:16], b"%PDF-1.4\n", b"PK\x03\x04\x14\x00\x00\x00"):
        assert sniff_form(signature + tail) == BINARY


@pytest.mark.parametrize("signature", [PNG[:8], b"PK\x03\x04"])
def test_a_bare_binary_signature_is_binary(signature):
    assert sniff_form(signature) == BINARY


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([PNG[:8], b"PK\x03\x04", b"PK\x05\x06", b"GIF89a", b"\xff\xd8\xff"]), st.binary(max_size=12))
def test_a_short_file_with_a_binary_signature_is_never_wide_text(signature, tail):
    # A few bytes decode as *some* UTF-16 text; the signature is the better evidence.
    assert bomless_wide_encoding(signature + tail) is None
    assert sniff_form(signature + tail) in {BINARY, TEXT}  # TEXT: a tail of plain text, read as the bytes are


@settings(max_examples=200, deadline=None)
@given(TEXTLIKE, st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]))
def test_html_is_html_and_prose_is_text_in_unicode_encodings(text, encoding):
    assert sniff_form(("<!DOCTYPE html><html><body>" + text).encode(encoding)) == HTML
    prose = "News of the day. " + text.replace("<", " ").replace("{", " ")
    assert sniff_form(prose.encode(encoding)) == TEXT
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>' + text.replace("<", " ")
    assert sniff_form(feed.encode(encoding)) == FEED


@pytest.mark.parametrize(
    ("name", "form"),
    [("a.TXT", TEXT), ("a.htm", HTML), ("a.xhtml", HTML), ("feed.atom", FEED), ("x.rss", FEED),
     ("c.warc.GZ", WARC), ("d.warc", WARC), ("e.jsonl", JSONL), ("f", None), ("dir.v2/f", None), ("g.gz", None)],
)
def test_form_from_name(name, form):
    assert form_from_name(name) == form


def test_decode_bytes_refuses_what_it_cannot_read():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(PNG)
    assert decode_bytes("café".encode("utf-8")).text == "café"


def test_a_single_source_string_is_one_source(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Only this.")
    assert [page.source for page in read_sources(str(path))] == [str(path)]


@pytest.mark.parametrize("written, expected", [
    ("desk@wire.example (Ann Lee)", "Ann Lee"),  # a long top-level domain feedparser's pattern cuts short
    ("ann.lee@newsroom.example.org (Ann Lee)", "Ann Lee"),
])
def test_rss_author_name_is_read_from_the_email_form(tmp_path, written, expected):
    from presswatch.ingest import read_sources

    feed = tmp_path / "f.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>T</title>'
        f"<author>{written}</author><description>&lt;p&gt;Body text of the story.&lt;/p&gt;</description>"
        "</item></channel></rss>", encoding="utf-8")
    (page,) = list(read_sources([str(feed)]))
    assert page.hints["author"] == expected


def test_a_folder_walk_passes_over_notes_and_scripts_but_a_named_file_is_read(tmp_path):
    from presswatch.ingest import read_sources

    (tmp_path / "README.md").write_text("# Notes about these pages\n\nThey were saved in May.\n")
    (tmp_path / "crawl.py").write_text("print('crawl')\n")
    (tmp_path / "story.txt").write_text("A page dump with a headline and a body of several words.\n")
    assert [p.source for p in read_sources([str(tmp_path)])] == [str(tmp_path / "story.txt")]
    assert [p.source for p in read_sources([str(tmp_path / "README.md")])] == [str(tmp_path / "README.md")]
