"""Exceptions raised by srcscore.

Every error srcscore raises on purpose derives from :class:`SrcscoreError`, and
also from the builtin it refines, so callers can catch either::

    SrcscoreError
    ├── InputError (+ ValueError)           a document, file or option is unusable
    │   ├── InvalidURLError (+ ValueError)  a URL cannot name a web page
    │   ├── PriorsError (+ ValueError)      a priors table cannot be read
    │   └── ModelError (+ ValueError)       a scoring model cannot be read or trained
    └── (later issues add fetching errors here)

Errors about one reference or one JSON line never stop the others: those are
reported in the result (``references[].error``, a JSONL error line) instead of
being raised.
"""

from __future__ import annotations

__all__ = ["InputError", "InvalidURLError", "ModelError", "PriorsError", "SrcscoreError"]


class SrcscoreError(Exception):
    """Base class of every error srcscore raises on purpose."""


class InputError(SrcscoreError, ValueError):
    """A document, file or option is unusable; the message says why."""


class InvalidURLError(InputError):
    """A URL cannot name a web page (wrong scheme, empty, bad host, ...).

    Attributes:
        url: the offending input, as given.
        reason: a short human-readable reason.

    """

    def __init__(self, url: object, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"invalid URL {str(url)[:200]!r}: {reason}")


class PriorsError(InputError):
    """A priors table cannot be read or has an invalid row."""


class ModelError(InputError):
    """A scoring model file is invalid, of another version, or cannot be trained."""
