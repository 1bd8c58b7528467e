"""Store: the SQLite file that holds pages, articles and everything derived from them."""

from presswatch.store.database import Store, open_store, request_store

__all__ = ["Store", "open_store", "request_store"]
