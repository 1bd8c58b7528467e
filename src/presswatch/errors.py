"""One exception family, so the faces can print a clear message instead of a traceback."""


class PresswatchError(Exception):
    """Base of every error presswatch raises on purpose; the message is meant for the user."""


class InputError(PresswatchError):
    """A page, file or URL could not be read: binary, empty, too large, undecodable, unreachable."""


class QueryError(PresswatchError):
    """A search query or filter the user gave is malformed."""


class UnknownRecord(QueryError):
    """The user named a record that is not stored (an id, an entity, a narrative, a watch): the
    HTTP API answers 404, where a malformed request (an ambiguous id prefix) answers 400.
    `listing` names the list of such records ("entities", "watchlists"): each face says where that
    list is in its own terms (a command, an API route, a page), so the message itself names none."""

    def __init__(self, message: str, *, listing: str | None = None) -> None:
        super().__init__(message)
        self.listing = listing


class StoreError(PresswatchError):
    """The database could not be opened, migrated or written."""


class DataFormatError(PresswatchError):
    """An evaluation or import file is not in the documented format."""


class BusyError(PresswatchError):
    """Another process is doing the same work on the same database right now."""


class WorkerError(PresswatchError):
    """A worker process died (killed, out of memory) before it gave back its results."""


class MissingExtra(PresswatchError):
    """A feature needs an optional part that is not installed (a pip extra, a system font)."""
class AddressRefused(InputError):
    """A URL's host is a loopback, private or other non-public address and this run does not allow
    such addresses: the operator's setting (--allow-private-addresses), not the site's fault, so a
    source is not backed off for it, and an item is given up at once (a retry under the same
    settings is refused alike) and fetched by a run that allows such addresses."""


class HTTPStatusError(InputError):
    """A server answered with a status that carries no content (404, 500, ...)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class RobotsError(InputError):
    """A site's robots.txt does not let presswatch fetch a URL."""


class RobotsUnreadableError(RobotsError):
    """A site's robots.txt could not be had (5xx, no connection): nothing is fetched from it until it
    can, but what waited is tried again, not given up."""


class PaceError(PresswatchError):
    """A fetch would have to wait longer for its host's turn (robots.txt Crawl-delay) than the caller
    may wait: it is left for later, not failed. `turn_in`: the seconds until that turn."""

    def __init__(self, message: str, turn_in: float = 0.0) -> None:
        super().__init__(message)
        self.turn_in = turn_in
