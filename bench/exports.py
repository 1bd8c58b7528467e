"""What an export costs a record on a large store, against reading the same rows bare.

    .venv/bin/python bench/exports.py --articles 10000 --format json

The store is bench/listings.py's (generated articles, about 5 statements each, entities resolved by
the engine, stories and narratives filled from generated records; cached under /work/bench-cache/).
`--db FILE` times a store built elsewhere (copied first), such as the examples'.

Each export runs in process into a discarded text stream, as `presswatch export --format jsonl`
writes it: `statements` (each statement with its speaker's links and canonical names) and
`narratives` (each evidence with its speaker's canonical names). The reference, measured in the
same run, is the statements read bare and written the same way (each row as a record, to JSON),
which is what the statements export cost before it named speakers. Each is run `--repeat` times
and the fastest CPU time counts (the machine may be shared). Prints one JSON object: per export
{"rows", "cpu_s", "us_per_row"}, and "statements_ratio" = the statements export's CPU time over the
reference's: what naming the speakers costs on top of reading and writing the rows.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from listings import on_a_copy  # one generated store for the query benches


def _bare_statements(store) -> int:
    """The reference: every statement read and written as JSON, with no speaker named."""
    from presswatch.store.statements import STATEMENT_COLUMNS, statement_from_row

    sink, count = io.StringIO(), 0
    for row in store.conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements ORDER BY rowid"):
        sink.write(json.dumps(asdict(statement_from_row(row)), ensure_ascii=False) + "\n")
        count += 1
    return count


def _timed(run, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        cpu = time.process_time()
        rows = run()
        spent = time.process_time() - cpu
        best = spent if best is None else min(best, spent)
    return {"rows": rows, "cpu_s": round(best, 3), "us_per_row": round(best * 1e6 / max(rows, 1), 1)}


def measure(db: Path, repeat: int) -> dict:
    from presswatch.exports import _write_jsonl, records
    from presswatch.store import Store

    with Store(db) as store:
        found = {"reference_bare_statements": _timed(lambda: _bare_statements(store), repeat)}
        for what in ("statements", "narratives"):
            found[what] = _timed(lambda what=what: _write_jsonl(records(store, what), io.StringIO()), repeat)
    found["statements_ratio"] = round(found["statements"]["cpu_s"] / max(found["reference_bare_statements"]["cpu_s"], 1e-9), 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument("--db", type=Path, help="time a store built elsewhere (copied first) instead of the generated one")
    args = parser.parse_args()
    found, built = on_a_copy(args.db, args.articles, lambda db: measure(db, args.repeat))
    result = {"store_articles": built["articles"], **found, "build": built}
    print(json.dumps(result) if args.format == "json" else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
