"""The optional embedding backend of the support measure (the ``embed`` extra).

Tests that need the model skip cleanly when the extra is not installed; sockets
are blocked (pytest-socket), so they also show that nothing is downloaded.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from srcscore import InputError, ScoringOptions, _embed
from srcscore._support import support

needs_model = pytest.mark.skipif(not _embed.available(), reason="the 'embed' extra is absent")


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(InputError, match="backend"):  # an InputError is a ValueError too
        support("Prices rose.", "Prices rose.", backend="magic")
    with pytest.raises(InputError, match="support_backend"):
        ScoringOptions(support_backend="magic")


def test_lexical_is_the_default_and_imports_no_model() -> None:
    code = (
        "import sys, srcscore\n"
        "from srcscore._support import support\n"
        "support('Prices rose in Paris.', 'Prices rose in Paris last year.')\n"
        "heavy = [m for m in ('torch', 'sentence_transformers') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
    assert ScoringOptions().support_backend == "lexical"


@pytest.mark.skipif(_embed.available(), reason="the 'embed' extra is installed")
def test_without_the_extra_the_error_says_what_to_install() -> None:
    with pytest.raises(ImportError, match=r"srcscore\[embed\]"):
        support("Prices rose in Paris.", "Prices rose in Paris.", backend="embedding")


@needs_model
def test_a_paraphrase_gains_from_the_embedding() -> None:
    claim = "The physician prescribed the medication to the child."
    text = "The doctor gave the drug to the kid."
    unrelated = "The stadium will host the final of the football cup in June."
    lexical = support(claim, text)
    semantic = support(claim, text, backend="embedding")
    assert semantic.score > lexical.score
    assert semantic.passage == lexical.passage  # the explanation stays lexical
    assert _embed.similarity(claim, text) > _embed.similarity(claim, unrelated)


@needs_model
def test_a_missing_number_still_caps_with_the_embedding() -> None:
    claim = "Support vector machines reached 97% accuracy on the benchmark."
    page = "Support vector machines reached 91% accuracy on the benchmark."
    lexical = support(claim, page)
    semantic = support(claim, page, backend="embedding")
    assert semantic.numbers_missing == ("97%",)
    assert semantic.score <= lexical.score <= 0.5
