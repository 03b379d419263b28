"""Exceptions raised by srcscore.

Every error srcscore raises on purpose derives from :class:`SrcscoreError`, and
also from the builtin it refines, so callers can catch either::

    SrcscoreError
    ├── InputError (+ ValueError)           a document, file or option is unusable
    │   ├── InvalidURLError (+ ValueError)  a URL cannot name a web page
    │   ├── PriorsError (+ ValueError)      a priors table cannot be read
    │   └── ModelError (+ ValueError)       a scoring model cannot be read or trained
    └── FetchError                          a cited page could not be fetched
        └── UnsafeAddressError              ... because it is on a private address

Errors about one reference or one JSON line never stop the others: those are
reported in the result (``references[].error``, a JSONL error line) instead of
being raised.
"""

from __future__ import annotations

__all__ = [
    "FetchError",
    "InputError",
    "InvalidURLError",
    "ModelError",
    "PriorsError",
    "SrcscoreError",
    "UnsafeAddressError",
]


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


class FetchError(SrcscoreError):
    """A cited page could not be fetched.

    Scoring never raises it: a page that cannot be fetched is reported on its
    reference (``error``) and the others go on. It is for callers who want to
    stop on the first failure (:meth:`FetchResult.raise_for_error`).

    Attributes:
        url: the URL asked for.
        reason: why (``"HTTP 404 (gone)"``, ``"timeout"``...).

    """

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot fetch {url[:200]!r}: {reason}")


class UnsafeAddressError(FetchError):
    """The URL resolves to a loopback, private, link-local or reserved address."""
