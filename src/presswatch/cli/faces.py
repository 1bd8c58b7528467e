"""Commands that hand the store to people and programs: export, index, summary, brief, serve."""

from __future__ import annotations

import json
import os
import re
from functools import partial
from pathlib import Path

import typer

from presswatch.cli.common import (
    AllowPrivateOption,
    DateOption,
    DbOption,
    app,
    err,
    open_db,
    out,
    require_format,
    safe,
    shown,
    writing,
)
from presswatch.errors import PresswatchError
from presswatch.summarize.briefing import DEFAULT_LIMIT
from presswatch.summarize.story import DEFAULT_SENTENCES

def _dash_is_standard_output(output: Path | None) -> Path | None:
    """`-o -` means the terminal, as for most command-line tools (it wrote a file named "-")."""
    return None if output is not None and str(output) == "-" else output


OutputOption = typer.Option(None, "--output", "-o", callback=_dash_is_standard_output,
                            help="File to write (default, or -: standard output).")


def _write(text: str, output: Path | None) -> None:
    if output:
        with writing(output):
            output.write_text(text, encoding="utf-8")
        err.print(f"wrote {shown(output)}", highlight=False)
    else:
        print(safe(text), end="" if text.endswith("\n") else "\n")


def _write_rendered(found, format: str, output: Path | None, *, as_dict, as_html, as_markdown) -> None:
    """A summary or briefing in the format asked for (json, html or md), to `output` or the terminal."""
    if format == "json":
        _write(json.dumps(as_dict(found), ensure_ascii=False, indent=1), output)
    else:
        _write((as_html if format == "html" else as_markdown)(found), output)


@app.command()
def export(
    db: str | None = DbOption,
    what: str = typer.Option("articles", help="articles, statements, entities, stories or narratives."),
    format: str = typer.Option("jsonl", help="jsonl, csv or parquet (parquet needs the export extra)."),
    output: Path | None = OutputOption,
) -> None:
    """Export stored records (CSV holds lists as JSON text and leaves out article paragraphs)."""
    from presswatch.exports import FORMATS, WHAT, write_export

    require_format(what, WHAT, what="kind of record")
    require_format(format, FORMATS)
    with open_db(db) as store, writing(output):
        count = write_export(store, what, format, output)
    if output:
        err.print(f"wrote {count} {what} to {shown(output)}", highlight=False)


@app.command()
def index(db: str | None = DbOption) -> None:
    """Compute the sentence vectors that search by meaning needs (the semantic extra): an article's
    opening and its headline, each statement; those a store lacks (its articles' headlines, when it
    was indexed before they were) are made, and every analysis then embeds the new ones."""
    from presswatch.engine.corpus import index_vectors
    from presswatch.semantic import semantic_available
    from presswatch.store.vectors import SEMANTIC_MISSING, vector_count

    if not semantic_available():
        raise PresswatchError(SEMANTIC_MISSING)
    with open_db(db) as store:
        done = index_vectors(store)
        total = vector_count(store)
    out.print(f"made {done} vectors (articles' openings and headlines, statements); {total} stored")


@app.command()
def summary(
    story_id: str = typer.Argument(..., help="Story id (a unique prefix is enough)."),
    db: str | None = DbOption,
    sentences: int = typer.Option(DEFAULT_SENTENCES, min=1, max=20, help="How many sentences."),
    format: str = typer.Option("md", help="md, html or json."),
    output: Path | None = OutputOption,
) -> None:
    """A story in a few sentences taken from its articles, each cited (article, outlet, date)."""
    from presswatch.query import summarize_story
    from presswatch.summarize.render import summary_dict, summary_html, summary_markdown

    require_format(format, ("md", "html", "json"))
    with open_db(db) as store:
        found = summarize_story(store, story_id, sentences=sentences)
    _write_rendered(found, format, output, as_dict=summary_dict, as_html=summary_html, as_markdown=summary_markdown)


@app.command()
def brief(
    db: str | None = DbOption,
    since: str | None = DateOption("Statements made on or after this ISO date."),
    until: str | None = DateOption("Statements made on or before this ISO date."),
    speaker: str | None = typer.Option(None, help="Said by this person or body (any spelling of the name)."),
    entity: str | None = typer.Option(None, help="Said by or naming this entity (id or name)."),
    narrative: str | None = typer.Option(None, help="Carrying this narrative (id prefix)."),
    query: str | None = typer.Option(None, "--query", "-q", help="Search over what was said, as `presswatch search` takes it."),
    match: str = typer.Option("text", help="How --query matches: text (words), meaning, hybrid or auto."),
    limit: int = typer.Option(DEFAULT_LIMIT, min=1, max=5000, help="At most this many statements."),
    format: str = typer.Option("md", help="md, html, json or pdf (pdf needs the pdf extra and --output)."),
    base_url: str | None = typer.Option(None, help="The web UI's address (`presswatch serve`'s, e.g. "
                                        "http://127.0.0.1:8000): articles and speakers link to its pages."),
    output: Path | None = OutputOption,
) -> None:
    """What was said in a time window, by whom and where, grouped by narrative; each line cites its
    article and statement, and a "People quoted" list names each speaker once, with its spellings."""
    from presswatch.query import build_briefing
    from presswatch.summarize.pdf import briefing_pdf
    from presswatch.summarize.render import (
        briefing_dict,
        briefing_html,
        briefing_markdown,
    )

    require_format(format, ("md", "html", "json", "pdf"))
    if format == "pdf" and output is None:
        raise PresswatchError("a PDF is not for the terminal: name a file with --output (-o)")
    links = _web_links(base_url) if base_url else {}
    with open_db(db) as store:
        found = build_briefing(store, since=since, until=until, speaker=speaker, entity=entity, narrative=narrative,
                               query=query, mode=match, limit=limit)
    if format == "pdf":
        document = briefing_pdf(found, **links)
        with writing(output):
            output.write_bytes(document)
        err.print(f"wrote {shown(output)}", highlight=False)
        return
    _write_rendered(found, format, output, as_dict=briefing_dict, as_html=partial(briefing_html, **links),
                    as_markdown=partial(briefing_markdown, **links))


def _web_links(base_url: str) -> dict:
    """`article_href` and `entity_href` to the pages of the web UI served at `base_url`, with the
    paths its router gives, so a briefing written here links where `presswatch serve` answers."""
    if not re.fullmatch(r"https?://[^\s/]+(?:/\S*)?", base_url):
        raise PresswatchError(f"--base-url {base_url!r} is not a web address: give one like http://127.0.0.1:8000")
    from presswatch.web.routes import router

    base = base_url.rstrip("/")
    return {"article_href": lambda article_id: base + router.url_path_for("article", article_id=article_id),
            "entity_href": lambda entity_id: base + router.url_path_for("entity", entity_id=entity_id)}


@app.command()
def serve(
    db: str | None = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 exposes the API to the network)."),
    port: int = typer.Option(8000, min=1, max=65535),
    token: str | None = typer.Option(
        None, help=("Bearer token that POST /api/ingest and the watchlist writes require (default: $PRESSWATCH_TOKEN;"
                    " none disables them).")),
    allowed_host: list[str] = typer.Option(
        [], "--allowed-host",
        help="A Host name the server answers to, besides 127.0.0.1, localhost, [::1] and --host (repeatable).",
    ),
    allow_private_addresses: bool = AllowPrivateOption,
) -> None:
    """Serve the web UI and the HTTP API (its endpoints listed at /api, OpenAPI docs at /docs)."""
    import uvicorn

    from presswatch.api.app import LOOPBACK_HOSTS
    from presswatch.ingest.web import ALLOW_PRIVATE_ENV
    from presswatch.server import create_server
    from presswatch.store.database import default_db_path

    path = db or default_db_path()
    token = token or os.environ.get("PRESSWATCH_TOKEN") or None
    # A bad path or a newer schema fails here, with its message, not per request; with a token the
    # API creates a missing database itself (`create_app`), as `ingest` would.
    if token is None:
        open_db(path).close()
    if allow_private_addresses:  # the fetcher of POST /api/ingest reads the operator's choice from there
        os.environ[ALLOW_PRIVATE_ENV] = "1"
    app_ = create_server(path, token=token,
                      allowed_hosts=served_hosts(host, allowed_host))
    refuse_a_taken_address(host, port)
    err.print(f"serving {shown(path)} on http://{host}:{port} (docs at /docs); ingest and watchlist writes "
              f"{'enabled' if app_.state.token else 'disabled: no token set'}", highlight=False)
    if host in ("0.0.0.0", "::") and not allowed_host:
        err.print(f"note: only requests for {', '.join(LOOPBACK_HOSTS)} are answered; name the others with "
                  "--allowed-host", highlight=False)
    uvicorn.run(app_, host=host, port=port, log_level="info")


def refuse_a_taken_address(host: str, port: int) -> None:
    """PresswatchError when nothing can listen on host:port (another server has it, or the address
    is not this machine's), said before "serving …" rather than after it in uvicorn's log."""
    import errno
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            advice = "another program (another `presswatch serve`?) listens there: give another --port"
        else:
            advice = "give a --host this machine has (the default, 127.0.0.1, is always there)"
        raise PresswatchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; {advice}") from exc


def served_hosts(host: str, extra: list[str]) -> list[str]:
    """The Host names `serve` answers to: loopback, the address it listens on (unless that is every
    address), and the operator's --allowed-host names."""
    from presswatch.api.app import LOOPBACK_HOSTS

    listened = [] if host in ("0.0.0.0", "::", "") else [f"[{host}]" if ":" in host else host]
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *listened, *(name.lower() for name in extra)]))
