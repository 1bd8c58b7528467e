"""Do the web's search page, /api/search and `presswatch search` count the same matches? On the
generated articles of bench/search.py (a fictional vocabulary, one statement per article), every
words query of that bench, bare and under filters, is asked of the three faces: the web page's tab
counts (articles, statements, both; read off its `data-count` attributes, with each kind's tab
open in turn), the API's `total` for kind article, statement and all (and each answer's
`totals_by_kind`), and the CLI's `--format json` total (both kinds, its default). Prints one line per question and the number that disagree.

    .venv/bin/python tools/search_totals_parity.py [--articles 5000] [--db /tmp/presswatch-parity.db] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from search import TYPED_QUERIES, WORD_QUERIES, build  # noqa: E402

from presswatch.cli import app as cli_app  # noqa: E402
from presswatch.server import create_server  # noqa: E402

KINDS = ("article", "statement", "both")
API_KIND = {"article": "article", "statement": "statement", "both": "all"}


def _filter_sets(person: str) -> list[dict[str, str]]:
    """No filter, a date window in one outlet, a speaker by surname, a language and an open end."""
    return [{}, {"outlet": "Outlet 3", "since": "2022-01-01", "until": "2023-06-30"}, {"speaker": person},
            {"language": "en", "since": "2024-01-01"}]


def web_counts(client: TestClient, params: dict) -> dict[str, dict[str, int]]:
    """Open tab -> the counts its page's tabs show."""
    seen = {}
    for kind in KINDS:
        page = client.get("/search", params={**params, "kind": kind, "mode": "text"})
        page.raise_for_status()
        seen[kind] = {k: int(n) for k, n in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', page.text)}
    return seen


def api_counts(client: TestClient, params: dict) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Kind asked -> the answer's `total`, and each answer's `totals_by_kind` (every kind's, whichever is asked)."""
    answers = {kind: client.get("/api/search", params={**params, "kind": API_KIND[kind], "mode": "text", "limit": 1})
               .json() for kind in KINDS}
    return {kind: found["total"] for kind, found in answers.items()}, [found["totals_by_kind"] for found in answers.values()]


def cli_count(db: Path, params: dict) -> int:
    args = ["search", params["q"], "--db", str(db), "--mode", "text", "--format", "json", "--limit", "1"]
    args += [arg for key, value in params.items() if key != "q" for arg in (f"--{key}", value)]
    answer = CliRunner().invoke(cli_app, args)
    if answer.exit_code:
        raise SystemExit(answer.output)
    return json.loads(answer.stdout)["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/presswatch-parity.db"))
    parser.add_argument("--reuse", action="store_true", help="Use the database a previous run built.")
    args = parser.parse_args()
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        names = build(args.db, args.articles)
        args.db.with_suffix(".json").write_text(json.dumps(names))
    names = json.loads(args.db.with_suffix(".json").read_text())
    questions = [{"q": q, **filters} for q in WORD_QUERIES + TYPED_QUERIES for filters in _filter_sets(names["person"])]
    disagree = 0
    with TestClient(create_server(str(args.db)), base_url="http://127.0.0.1") as client:
        for params in questions:
            web, (api, by_kind), cli = web_counts(client, params), api_counts(client, params), cli_count(args.db, params)
            same = (all(tabs == api for tabs in web.values()) and cli == api["both"]
                    and all(totals == {k: api[k] for k in totals} and len(totals) == 2 for totals in by_kind))
            disagree += not same
            print(f"{'same' if same else 'DIFFERENT'}  articles {api['article']:5d}  statements {api['statement']:5d}"
                  f"  both {api['both']:5d}  cli {cli:5d}  {json.dumps(params, ensure_ascii=False)}"
                  + ("" if same else f"  web {web}"))
    print(f"{len(questions)} questions, {disagree} where the faces' counts differ")


if __name__ == "__main__":
    main()
