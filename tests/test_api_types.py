"""Wrong Python types given to the public API get srcscore's own error, with the field named."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

import srcscore
from srcscore import InputError, Prior, PriorsError


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: srcscore.parse_text(5), "text: expected str, got int"),  # type: ignore[arg-type]
        (lambda: srcscore.parse_text(b"a [1]"), "got bytes"),  # type: ignore[arg-type]
        (lambda: srcscore.detect_format(None), "text: expected str, got NoneType"),  # type: ignore[arg-type]
        (lambda: srcscore.render_html(5), "expected a srcscore.Report, got int"),  # type: ignore[arg-type]
        (lambda: srcscore.render_markdown({}), "expected a srcscore.Report, got dict"),  # type: ignore[arg-type]
        (
            lambda: srcscore.render_html(
                srcscore.score_text("A claim. [1]\n\n[1] https://a.org/"), 5
            ),  # type: ignore[arg-type]
            "text: expected str or None, got int",
        ),
        (lambda: srcscore.Priors.from_csv_text(None, "mine"), "mine: expected the CSV's text"),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_raise_input_errors(call: Callable[[], object], fragment: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert isinstance(info.value, srcscore.SrcscoreError)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("mean", "strength"),
    [
        ("0.5", 2.0),
        (None, 2.0),
        (1.5, 2.0),
        (-0.1, 2.0),
        (math.nan, 2.0),
        (0.5, 0.0),
        (0.5, -1.0),
        (0.5, math.inf),
        (0.5, math.nan),
    ],
)
def test_a_prior_refuses_values_no_score_can_use(mean: object, strength: object) -> None:
    with pytest.raises(PriorsError, match="a prior needs a mean in"):
        Prior(mean, strength)  # type: ignore[arg-type]


def test_a_prior_accepts_its_bounds() -> None:
    assert Prior(0.0, 1e-9).mean == 0.0
    assert Prior(1, 1e6).alpha == pytest.approx(1e6)
