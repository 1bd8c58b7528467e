"""What a file or download holds, from its name and its first bytes.

Readers dispatch on the form a source has: a file's extension when it names one, otherwise what its
first bytes look like. Telling binary from text is the decoder's first line of defence too, so that
a PNG renamed `.html` is refused with a reason instead of becoming a page of mojibake.
"""

from __future__ import annotations

import codecs
import json
import re
import zlib

import filetype
from charset_normalizer import from_bytes
from w3lib.encoding import read_bom as _w3lib_read_bom

from presswatch.records import HTML, TEXT

FEED = "feed"
WARC = "warc"
JSONL = "jsonl"
BINARY = "binary"

_FORM_BY_SUFFIX = {
    ".txt": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".xml": FEED,
    ".rss": FEED,
    ".atom": FEED,
    ".warc": WARC,
    ".jsonl": JSONL,
}

# How much of a file sniffing looks at: enough for a doctype, a feed's root element or a WARC header.
SNIFF_BYTES = 8192


# The UTF-32 marks, looked for before w3lib's reader: w3lib 2.6 reads the UTF-32-LE mark
# (FF FE 00 00) as UTF-16-LE's (FF FE), which decodes a UTF-32 page as NUL-strewn garbage.
_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))


def read_bom(data: bytes) -> tuple[str | None, bytes | None]:
    """The encoding a byte order mark opening `data` names and the mark, else (None, None)."""
    for bom, encoding in _UTF32_BOMS:
        if data.startswith(bom):
            return encoding, bom
    return _w3lib_read_bom(data)


def form_from_name(name: str) -> str | None:
    """The form a file name announces, or None when the name says nothing we read."""
    lowered = name.lower()
    if lowered.endswith(".warc.gz"):
        return WARC
    dot = lowered.rfind(".")
    if dot <= lowered.rfind("/"):
        return None
    return _FORM_BY_SUFFIX.get(lowered[dot:])


# Bytes that never occur in text in any 8-bit or multibyte encoding we read (NUL is checked
# separately); tab, newlines, form feed and ESC (used by ISO-2022 encodings) are not among them.
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_WIDE_CODECS = ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]


def _looks_binary(head: bytes) -> bool:
    # A stray NUL or two in text (a dump cut and pasted from a terminal, a file an editor crashed
    # over) leaves it text, the NULs dropped on decoding; binary formats hold them by the dozen.
    return (
        head.startswith(b"%PDF-")
        or head.count(b"\x00") > 1 + len(head) // 1000
        or len(_CONTROL_BYTES.findall(head)) > len(head) * 0.05
    )


def bomless_wide_encoding(data: bytes) -> str | None:
    """The UTF-16/UTF-32 variant of text that has no byte order mark, else None.

    Such text is full of NUL and control bytes, so it is only looked for where the bytes would
    otherwise be called binary; charset-normalizer then tells real wide text from binary data. A
    file-type signature (ZIP, PNG...) on bytes already called binary wins over that guess: a few
    bytes of one decode as some UTF-16 text, which is no reason to store them as an article.
    """
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-") or not _looks_binary(head) or filetype.guess(head) is not None:
        return None
    best = from_bytes(head, cp_isolation=_WIDE_CODECS).best()
    return codecs.lookup(best.encoding).name if best is not None else None


def binary_description(data: bytes) -> str | None:
    """Why these bytes are not text ("binary file (looks like PNG: image/png)"), or None for text.

    The verdict comes from the bytes themselves (NULs, control bytes, a PDF header); the file-type
    signature only names the format, because signature matchers also fire on text that happens to
    start with "BM" or "ID3".
    """
    head = data[:SNIFF_BYTES]
    encoding, _ = read_bom(head)
    if encoding is not None or not _looks_binary(head) or bomless_wide_encoding(head):
        return None
    kind = filetype.guess(head)
    if kind is None:
        return "binary file (not text in any encoding presswatch reads)"
    return f"binary file (looks like {kind.extension.upper()}: {kind.mime})"


def _text_head(data: bytes) -> str:
    """The start of the data as text, decoded just well enough to see markup and first lines."""
    head = data[:SNIFF_BYTES]
    encoding, bom = read_bom(head)
    if encoding is not None:
        head = head[len(bom):]
    else:
        encoding = bomless_wide_encoding(head) or "latin-1"
    return codecs.decode(head, encoding, "replace")


def _gunzipped_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(data[:SNIFF_BYTES], 64)
    except zlib.error:
        return b""


_FIRST_ELEMENT = re.compile(
    r"\A\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*<([a-z][\w:.-]*)", re.IGNORECASE | re.DOTALL
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
_HTML_ELEMENTS = frozenset(
    "html head body meta title link style script base div span p a article section main header footer"
    " nav aside h1 h2 h3 h4 h5 h6 table ul ol img figure form br hr center font noscript iframe".split()
)
_HTML_ANYWHERE = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]", re.IGNORECASE)


def sniff_form(data: bytes) -> str:
    """The form of content whose name told us nothing: BINARY, WARC, FEED, HTML, JSONL or TEXT.

    Hand-written rather than delegated to a MIME sniffer because we need feeds, WARC and JSONL told
    apart from HTML and plain text, which generic type guessers all lump together as "text".
    """
    if data.startswith(b"WARC/") or data.startswith(b"\x1f\x8b") and _gunzipped_head(data).startswith(b"WARC/"):
        return WARC  # before the binary check: archived images make a WARC look binary
    if binary_description(data):
        return BINARY
    head = _text_head(data).lstrip("\ufeff")
    first = _FIRST_ELEMENT.match(head)
    if first:
        name = first.group(1).lower()
        if name in _FEED_ROOTS:
            return FEED
        if name in _HTML_ELEMENTS:
            return HTML
    if _HTML_ANYWHERE.search(head):
        return HTML
    if _starts_with_json_object(head):
        return JSONL
    return TEXT


def _starts_with_json_object(head: str) -> bool:
    first_line = head.lstrip().split("\n", 1)[0].strip()
    if not first_line.startswith("{"):
        return False
    try:
        return isinstance(json.loads(first_line), dict)
    except ValueError:
        return False
