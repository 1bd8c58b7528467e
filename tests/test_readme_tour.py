"""The README is true: every command of its tour runs, in order, on a fresh database made from the
bundled examples, exits 0 and shows something (or writes the file it names). `presswatch serve`
is started on a free loopback port and must answer its home page."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT
from typer.testing import CliRunner

from presswatch.cli import app

SERVE_WAIT = 60  # seconds `presswatch serve` may take to answer on a loaded machine


def tour_commands() -> list[list[str]]:
    """The `presswatch` commands of the README's "A tour" section (up to its first subheading:
    the cluster commands after it need a cluster), one argument list each; `a && b` gives two."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"\n##+ ", readme.split("\n## A tour\n", 1)[1], maxsplit=1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0] == "presswatch":
                    commands.append(words[1:])
    return commands


def test_the_tour_is_found():
    commands = tour_commands()
    assert len(commands) >= 15 and commands[0][:2] == ["ingest", "examples/"] and ["serve"] in commands


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(args: list[str], db: Path, cwd: Path) -> str:
    """Run `presswatch serve` on a free port until its home page answers; that page's text."""
    port = _free_port()
    presswatch = Path(sys.executable).with_name("presswatch")
    env = {**os.environ, "PRESSWATCH_DB": str(db), "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([str(presswatch), *args, "--port", str(port)], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVE_WAIT
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    assert answer.status == 200
                    return answer.read().decode()
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not answer: {server.communicate()[0]!r}") from None
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_every_tour_command_runs_on_the_examples(tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "presswatch.db"
    runner = CliRunner()
    for args in tour_commands():
        if args[0] == "serve":
            assert "presswatch" in _serve(args, db, tmp_path)
            continue
        if args[0] == "ingest":
            args = [*args, "--workers", "1"]
        result = runner.invoke(app, args, env={"PRESSWATCH_DB": str(db)})
        shown = " ".join(args)
        assert result.exit_code == 0, f"presswatch {shown}: {result.output}"
        written = args[args.index("-o") + 1] if "-o" in args else None
        if written:
            assert (tmp_path / written).stat().st_size > 0, shown
        else:
            assert result.stdout.strip() and "no matches" not in result.stdout, f"presswatch {shown} shows nothing"
