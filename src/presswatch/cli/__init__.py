"""The command line: thin faces over the library (every command calls presswatch's functions).

Each area of the tool registers its commands from its own module, so they can grow apart.
"""

from __future__ import annotations

from presswatch.cli import articles as _articles  # noqa: F401,E402  (registers commands)
from presswatch.cli import entities as _entities  # noqa: F401,E402
from presswatch.cli import evaluate as _evaluate  # noqa: F401,E402
from presswatch.cli import faces as _faces  # noqa: F401,E402
from presswatch.cli import sources as _sources  # noqa: F401,E402
from presswatch.cli import statements as _statements  # noqa: F401,E402
from presswatch.cli import stories as _stories  # noqa: F401,E402
from presswatch.cli import watchlists as _watchlists  # noqa: F401,E402
from presswatch.cli.common import app


def main() -> None:
    app()
