"""Storage URLs (s3://, gs://, az://, hdfs://, file://, ...): files, folders and globs read through fsspec.

fsspec comes with the cluster extra (Dask brings it); each storage needs its own backend package
(s3fs for s3://, gcsfs for gs://, ...), which the user installs where the pages are read. A folder
is walked like a local one: sorted, hidden entries and notes skipped, so a run's input order is the
same wherever the files live.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from presswatch.errors import InputError
from presswatch.ingest.dispatch import Reading
from presswatch.ingest.files import is_page_name, read_sized
from presswatch.records import Page, Rejection

_WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_GLOB_MAGIC = re.compile(r"[*?[]")


def is_storage_url(source: str) -> bool:
    """A `scheme://` source other than a web page's address."""
    scheme = _SCHEME.match(source)
    return scheme is not None and scheme.group(1).lower() not in _WEB_SCHEMES


def _filesystem(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError("reading storage URLs needs fsspec: pip install 'presswatch[cluster]'") from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as exc:
        scheme = url.split("://", 1)[0]
        raise InputError(f"no fsspec backend for {scheme}:// here ({exc}); install it (for s3://, s3fs)") from None


def expand_storage(url: str) -> Iterator[str | Rejection]:
    """The file URLs a storage URL names: itself, a folder's page files, or a glob's matches."""
    try:
        fs, path = _filesystem(url)
        if fs.isdir(path):
            files = [p for p in sorted(fs.find(path)) if _is_page_path(posixpath.relpath(p, path))]
            if not files:
                yield Rejection(url, "no page files in this folder (hidden files, notes and scripts are skipped)")
        elif _GLOB_MAGIC.search(path) and not fs.exists(path):
            files = sorted(p for p in fs.glob(path) if not fs.isdir(p))
            if not files:
                yield Rejection(url, "no files match this pattern")
        else:
            files = [path]
    except InputError as exc:
        yield Rejection(url, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - storage backends raise their own errors (credentials, network, missing bucket)
        yield Rejection(url, f"cannot be listed ({type(exc).__name__}: {exc})")
        return
    for file in files:
        yield url if file == path else fs.unstrip_protocol(file)


def _is_page_path(relative: str) -> bool:
    return all(is_page_name(part) for part in relative.split("/"))


def read_storage_file(url: str, reading: Reading) -> Iterator[Page | Rejection]:
    """The pages in one stored file, read like a local one (size cap first, containers streamed)."""
    fs, path = _filesystem(url)
    try:
        info = fs.info(path)
    except FileNotFoundError:
        raise InputError("no such file or folder in that storage") from None
    if info.get("type") == "directory":
        raise InputError("is a directory")
    yield from read_sized(url, int(info.get("size") or 0), lambda: fs.open(path, "rb"), reading)
