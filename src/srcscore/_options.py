"""The knobs of the hand-set scoring model."""

from __future__ import annotations

from typing import final

import attrs

from ._exceptions import InputError
from ._scoring import DEFAULT_DISCOUNT, DEFAULT_LEVEL
from ._supportparams import BACKENDS

__all__ = ["ScoringOptions"]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_unit(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not 0.0 <= value <= 1.0:
        raise InputError(f"{attribute.name} must be a number in [0, 1], got {value!r}")


def _check_positive(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not _is_number(value) or not value > 0.0:
        raise InputError(f"{attribute.name} must be a positive number, got {value!r}")


@final
@attrs.frozen
class ScoringOptions:
    """The knobs of the scoring model (see the methodology page).

    Attributes:
        level: probability mass of the reported intervals.
        discount: weight factor of each further independent witness (1 = fully
            independent, 0 = only the strongest counts).
        unverified_support: assumed probability that a citation whose text was
            not given supports its claim.
        unverified_strength: pseudo-observations behind that assumption.
        support_strength: pseudo-observations behind a measured support score.
        weak_prior: a source whose prior mean is below this is "weak" (so is
            one that no table or rule rates: its prior is a guess).
        support_backend: how cited texts are checked against claims:
            ``"lexical"`` (the default, offline and light) or ``"embedding"``
            (also a sentence-embedding model shipped in a PyPI package: the
            ``embed`` extra).

    """

    level: float = attrs.field(default=DEFAULT_LEVEL)
    discount: float = attrs.field(default=DEFAULT_DISCOUNT)
    unverified_support: float = attrs.field(default=0.8, validator=_check_unit)
    unverified_strength: float = attrs.field(default=5.0, validator=_check_positive)
    support_strength: float = attrs.field(default=20.0, validator=_check_positive)
    weak_prior: float = attrs.field(default=0.6, validator=_check_unit)
    support_backend: str = attrs.field(default="lexical")

    @support_backend.validator
    def _check_backend(self, _: object, value: str) -> None:
        if value not in BACKENDS:
            raise InputError(f"support_backend must be 'lexical' or 'embedding', got {value!r}")

    @level.validator
    def _check_level(self, _: object, value: float) -> None:
        if not _is_number(value) or not 0.0 < value < 1.0:
            raise InputError(f"level must be in (0, 1), got {value}")

    @discount.validator
    def _check_discount(self, _: object, value: float) -> None:
        if not _is_number(value) or not 0.0 <= value <= 1.0:
            raise InputError(f"discount must be in [0, 1], got {value}")
