"""How often legacy-encoded text is valid UTF-8 line by line by accident (decode.MIXED_UTF8_LINE_SHARE).

    .venv/bin/python tools/mixed_encoding_lines.py [--shared PATH]

Re-encodes every text dump of eval/extraction and eval/extraction-metadata (dev) in each legacy
encoding the decoder meets, and prints per encoding the largest share of non-ASCII lines that are
valid UTF-8 in a text that is not valid UTF-8 as a whole: the share above which a text is taken for
UTF-8 lines mixed with legacy ones must stand well clear of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from presswatch.evaluate.jsonl import read_jsonl
from presswatch.ingest.decode import utf8_line_counts

LEGACY_ENCODINGS = ("cp1252", "latin-1", "mac_roman", "cp1250")
TEXT_FIELDS = ("page_text", "page_text_inscriptis")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    texts = [row[field] for corpus in ("extraction", "extraction-metadata")
             for row in read_jsonl(args.shared / "eval" / corpus / "dev.jsonl")
             for field in TEXT_FIELDS if row.get(field)]
    print(f"{len(texts)} text dumps")
    for encoding in LEGACY_ENCODINGS:
        worst = (0, 1)
        for text in texts:
            data = text.encode(encoding, "replace")
            if data.isascii() or data.decode("utf-8", "ignore").encode("utf-8") == data:
                continue  # valid UTF-8 as a whole: read as UTF-8 before lines are looked at
            utf8, non_ascii = utf8_line_counts(data.splitlines(keepends=True))
            worst = max(worst, (utf8, non_ascii), key=lambda counts: counts[0] / counts[1])
        print(f"{encoding}: at most {worst[0]} of {worst[1]} non-ASCII lines valid UTF-8 ({worst[0] / worst[1]:.1%})")


if __name__ == "__main__":
    main()
