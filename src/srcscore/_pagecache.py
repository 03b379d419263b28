"""The on-disk page cache: a fetched page's extracted text, one JSON file per canonical URL.

Best-effort by design: an unreadable, stale or malformed entry is a miss, and
a failed write is ignored, so the cache can only save fetches, never fail one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from ._fetchtypes import FetchResult

_CACHE_VERSION: Final = 1


class _Cache:
    """Extracted pages on disk, one JSON file per canonical URL.

    ``clock`` gives the wall-clock time in seconds; it is a parameter so that
    the fetch loop's clock (which tests replace) ages entries too.
    """

    def __init__(
        self, directory: str | os.PathLike[str], ttl: float, clock: Callable[[], float]
    ) -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self._clock = clock

    def path(self, canonical: str) -> Path:
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, canonical: str) -> FetchResult | None:
        try:
            with self.path(canonical).open(encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return None
        fetched_at = data.get("fetched_at")
        if data.get("url") != canonical or not isinstance(fetched_at, (int, float)):
            return None
        if not math.isfinite(fetched_at):
            return None
        age = self._clock() - fetched_at
        if age > self.ttl or age < -60:  # stale, or from the future (a minute of skew is fine)
            return None
        text, title = data.get("text"), data.get("title")
        final_url, ctype, status = (
            data.get("final_url"),
            data.get("content_type"),
            data.get("status"),
        )
        if not isinstance(text, str) or not all(
            v is None or isinstance(v, str) for v in (title, final_url, ctype)
        ):
            return None
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            return None
        return FetchResult(canonical, final_url, status, text, title, ctype, None, True)

    def put(self, canonical: str, result: FetchResult) -> None:
        if not result.ok:
            return
        record = {
            "version": _CACHE_VERSION,
            "url": canonical,
            "final_url": result.final_url,
            "status": result.status,
            "fetched_at": self._clock(),
            "content_type": result.content_type,
            "title": result.title,
            "text": result.text,
        }
        target = self.path(canonical)
        tmp: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass  # the cache is best-effort: a read-only disk only costs refetches
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
