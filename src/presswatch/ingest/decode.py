"""From bytes to text: every reader's pages go through here, whatever the container.

Order of evidence: a byte order mark; UTF-16/32 recognised without one; then the declared charset
(HTTP Content-Type, `<meta charset>`, http-equiv, XML declaration); then detection. One departure from
the browser order: bytes that are valid UTF-8 and not pure ASCII are read as UTF-8 even when the
page declares something else, because saved and re-encoded pages often keep a stale declaration,
while real text in a legacy encoding is practically never valid UTF-8 by accident. The same holds line
by line: a text dump pasted together from a UTF-8 file and a Windows one keeps its UTF-8 lines as
UTF-8, and only the other lines go through the declaration and detection; behind a UTF-8 byte
order mark too, which covers only the file it began (`cat notes-bom.txt windows.txt`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, CharsetMatches, from_bytes
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    to_unicode,
)

from presswatch.errors import InputError
from presswatch.ingest.sniff import binary_description, bomless_wide_encoding, read_bom

# Past this share of garbage among the visible characters a text is not worth a page.
GARBAGE_LIMIT = 0.5
# Past this share it is text read in the wrong encoding (mojibake), not a page with a few bad bytes:
# of the 3,010 texts and pages of the eval corpora (every dev and train half, ../shared/eval), the
# most garbage any holds is 1.2% (icon-font characters in a text dump); mis-decoded Latin-1 and
# random bytes behind a UTF-16 mark hold 13-40%.
MISDECODED_LIMIT = 0.05
# A declared encoding that decodes all but this share of the characters is trusted, stray bad bytes
# and all; past it the declaration is taken to be wrong and the encoding is detected instead.
DECLARED_ERROR_TOLERANCE = 0.005
_GARBAGE_SAMPLE = 100_000
# Fewer non-ASCII bytes than this (in the first _FEW_NON_ASCII_SCAN) is too little to detect from.
FEW_NON_ASCII = 8
_FEW_NON_ASCII_SCAN = 1_000_000
_ASCII_BYTES = bytes(range(0x80))
# Bytes invalid as UTF-8 whose non-ASCII lines are valid UTF-8 in at least this share are UTF-8 lines
# mixed with lines in a legacy encoding, each line read in its own. Legacy text is valid UTF-8 line by
# line only by accident: re-encoded in cp1252, Latin-1, Mac Roman or cp1250, the most any of the 675
# text dumps of eval/extraction and eval/extraction-metadata (dev) holds is 4% of its non-ASCII lines
# (6 of 149), by tools/mixed_encoding_lines.py.
MIXED_UTF8_LINE_SHARE = 0.2

_GARBAGE = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")
# Control characters carry nothing in a page and upset XML parsers downstream; tab, newlines and
# form feed (page breaks in text dumps) stay. A regex, not `str.translate`: translate walks a
# non-ASCII text character by character through a dict (1 s for bench/workers.py's 60 pages),
# the regex scans it in C and usually finds nothing.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    # Python codec name, e.g. "utf-8", "cp1252", "utf-16-le"; "utf-8+cp1252" for UTF-8 lines mixed with
    # lines in a legacy encoding.
    encoding: str


# The legacy encoding browsers suggest for a page in a language (the HTML standard's table of locale
# defaults, "determining the character encoding"): windows-1252 for every language not listed.
_LOCALE_ENCODINGS = {
    "ar": "cp1256", "fa": "cp1256", "he": "cp1255", "el": "iso8859-7", "tr": "cp1254", "ku": "cp1254",
    "th": "cp874", "vi": "cp1258", "ja": "shift_jis", "ko": "euc_kr", "zh-cn": "gb18030", "zh-tw": "big5",
    "cs": "cp1250", "hr": "cp1250", "sk": "cp1250", "hu": "iso8859-2", "pl": "iso8859-2", "sl": "iso8859-2",
    "et": "cp1257", "lt": "cp1257", "lv": "cp1257",
    **dict.fromkeys(("ba", "be", "bg", "kk", "ky", "mk", "ru", "sah", "sr", "tg", "tt", "uk"), "cp1251"),
}
# The language a page declares on its root element: <html lang="en-GB">.
_HTML_LANG = re.compile(rb"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([a-z]{2,3}(?:-[a-z]{2})?)", re.IGNORECASE)
_LANG_SCAN = 4096


def locale_encoding(data: bytes) -> str | None:
    """The legacy encoding of the language the page declares (None when it declares none)."""
    match = _HTML_LANG.search(data[:_LANG_SCAN])
    if not match:
        return None
    tag = match.group(1).decode("ascii").lower()
    return codecs.lookup(_LOCALE_ENCODINGS.get(tag) or _LOCALE_ENCODINGS.get(tag.split("-")[0], "cp1252")).name


def decode_html(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML document, honouring the transport's charset, then the document's own."""
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(data)
    if declared and declared.startswith(("utf-16", "utf-32")):
        # A declaration readable as ASCII cannot be true of UTF-16/32 bytes (the HTML standard says
        # the same); such files were caught by their BOM or byte pattern before this is used.
        declared = "utf-8"
    return decode_bytes(data, declared, locale_encoding(data))


def decode_bytes(data: bytes, declared: str | None = None, suggested: str | None = None) -> Decoded:
    """Text of the bytes; InputError when they are empty, binary, blank or mostly undecodable.
    `suggested` is the legacy encoding of the text's declared language (`locale_encoding`), which
    wins a detection it reads as well as the detector's best guess."""
    if not data:
        raise InputError("empty (0 bytes)")
    encoding, bom = read_bom(data)
    if encoding == "utf-8":
        text, encoding = _decode_utf8_marked(data[len(bom):])
    elif encoding is not None:
        text = to_unicode(data[len(bom):], encoding)
    elif encoding := bomless_wide_encoding(data):
        text = data.decode(encoding, "replace")
    else:
        if reason := binary_description(data):
            raise InputError(reason)
        text, encoding = _decode_unmarked(data, declared, suggested)
    _check_readable(text)
    return Decoded(_CONTROLS.sub("", text), encoding)


def _decode_utf8_marked(data: bytes) -> tuple[str, str]:
    """The bytes after a UTF-8 byte order mark: UTF-8, except lines that are not (a Windows file appended
    to one saved with the mark), each read as `_decode_mixed_lines` reads them. The mark settles
    the UTF-8 lines whatever their share, so no threshold applies; taken to cover the whole file, it
    made every accented letter of those lines U+FFFD, and a page with many of them was rejected."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_mixed_lines(data.splitlines(keepends=True), None)


def _decode_unmarked(data: bytes, declared: str | None, suggested: str | None) -> tuple[str, str]:
    if data.isascii():
        return to_unicode(data, declared or "utf-8"), declared or "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    utf8_lines, non_ascii_lines = utf8_line_counts(lines)
    if utf8_lines >= non_ascii_lines * MIXED_UTF8_LINE_SHARE:
        return _decode_mixed_lines(lines, declared)
    return _decode_legacy(data, declared, suggested)


def utf8_line_counts(lines: list[bytes]) -> tuple[int, int]:
    """How many of the lines are valid UTF-8 with non-ASCII characters, and how many have non-ASCII bytes."""
    non_ascii = [line for line in lines if not line.isascii()]
    return sum(map(_is_utf8, non_ascii)), len(non_ascii)


# What legacy bytes that happen to be valid UTF-8 decode to, and text seldom holds: C1 controls and
# private-use characters (cp1252 "ï——", bytes EF 97 97, is UTF-8 for U+F5D7). A whole file of valid
# UTF-8 is read as UTF-8 even so (icon fonts put private-use glyphs in text dumps: 2 of the 90
# extraction dev dumps hold some); among lines that are not UTF-8, such a line is taken for one more.
_LUCKY_UTF8 = re.compile("[\x80-\x9f\ue000-\uf8ff]")


def _is_utf8(data: bytes) -> bool:
    """Whether a line of a file that is not all UTF-8 is a UTF-8 line: valid UTF-8 that decodes to no
    C1 control or private-use character."""
    try:
        return not _LUCKY_UTF8.search(data.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _decode_mixed_lines(lines: list[bytes], declared: str | None) -> tuple[str, str]:
    """UTF-8 lines as UTF-8; the encoding of the others found from them alone, so UTF-8 bytes mislead no detector."""
    is_utf8 = [_is_utf8(line) for line in lines]
    legacy = b"".join(line for line, utf8 in zip(lines, is_utf8, strict=True) if not utf8)
    _, legacy_encoding = _decode_legacy(legacy, declared)
    text = "".join(line.decode("utf-8") if utf8 else to_unicode(line, legacy_encoding)
                   for line, utf8 in zip(lines, is_utf8, strict=True))
    return text, f"utf-8+{legacy_encoding}"


def _decode_legacy(data: bytes, declared: str | None, suggested: str | None = None) -> tuple[str, str]:
    """Bytes that are not UTF-8: the declared encoding when it fits, else a detected one."""
    if declared:
        text = to_unicode(data, declared)
        if text.count("\ufffd") <= max(1, len(text) * DECLARED_ERROR_TOLERANCE):
            return text, declared
    elif len(data[:_FEW_NON_ASCII_SCAN].translate(None, _ASCII_BYTES)) < FEW_NON_ASCII:
        # Detection needs evidence; on a handful of accented bytes it guesses CJK codecs at random.
        # Windows-1252 is what browsers fall back to for undeclared pages in most of the world.
        return to_unicode(data, "cp1252"), "cp1252"
    best = _best_match(from_bytes(data), suggested)
    if best is not None:
        return str(best), codecs.lookup(best.encoding).name
    fallback = declared or "utf-8"
    return to_unicode(data, fallback), fallback


def _best_match(matches: CharsetMatches, suggested: str | None = None) -> CharsetMatch | None:
    """charset-normalizer's best guess, except that the encoding of the page's declared language wins
    where it reads the bytes with no more noise (chaos) than that guess: on an English page saved in
    Windows-1252 and declared UTF-8, cp1250 scored a little more coherent and turned "£" into "Ł" and
    "crêpe" into "crępe" (tests/data/analyst/pellow_quay_mercury_parking_says_utf8_is_cp1252.html).
    Otherwise Windows-1252 wins a tie: on a few lines of Western
    text cp1250 and cp1257 score the same as cp1252 and, listed first, turn "naïve" into "naďve". Of the
    675 eval text dumps (extraction, extraction-metadata dev) re-encoded in cp1252 this reads 72 more
    right, in Latin-1 58 more, none fewer in Mac Roman, cp1251 or KOI8-R; 7 German and English dumps
    re-encoded in cp1250 or ISO-8859-2 (for the Czech or Polish letters of a few names) read worse."""
    best = matches.best()
    if best is None:
        return None
    if suggested and (match := next((m for m in matches if codecs.lookup(m.encoding).name == suggested), None)):
        if match.chaos <= best.chaos:
            return match
    return next((match for match in matches if match.encoding == "cp1252"
                 and (match.chaos, match.coherence) == (best.chaos, best.coherence)), best)


def _check_readable(text: str) -> None:
    sample = text[:_GARBAGE_SAMPLE]
    visible = len(_WHITESPACE.sub("", sample))
    if visible == 0:
        raise InputError("no text: only whitespace")
    garbage = len(_GARBAGE.findall(sample))
    if garbage > visible * GARBAGE_LIMIT:
        raise InputError("undecodable: most of its characters are invalid in every encoding tried")
    if garbage > visible * MISDECODED_LIMIT:
        raise InputError(f"looks mis-decoded: {garbage / visible:.0%} of its characters are invalid (replacement,"
                         " control or private-use codes); save it as UTF-8 or declare its encoding")
