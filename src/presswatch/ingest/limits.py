"""The size cap every reader applies before it holds a page in memory."""

from __future__ import annotations

DEFAULT_MAX_BYTES = 20_000_000  # 20 MB: far above any real article page, far below a memory problem


def over_limit(size: int | None, limit: int) -> str:
    """The reason given for refusing something of `size` bytes (None: size unknown, cut at the limit)."""
    limit_text = f"the {limit / 1_000_000:g} MB limit (raise the size limit to read it)"
    if size is None:
        return f"larger than {limit_text}"
    return f"{size / 1_000_000:.1f} MB, over {limit_text}"
