"""srcscore: how far to trust a cited text, per claim and per article, and why.

>>> import srcscore
>>> srcscore.source_of("https://apnews.com/article/x").category
'wire'
"""

from ._corpus import CorpusSource, learn_sources, score_corpus
from ._exceptions import (
    FetchError,
    InputError,
    InvalidURLError,
    ModelError,
    PriorsError,
    SrcscoreError,
    UnsafeAddressError,
)
from ._fetchtypes import FetchOptions, FetchResult
from ._formats import detect_format, parse_document
from ._model import Model, load_model
from ._models import (
    Claim,
    ClaimReport,
    Document,
    Reference,
    ReferenceReport,
    Report,
    document_from_dict,
)
from ._options import ScoringOptions
from ._parse import parse_text
from ._priors import CATEGORIES, Prior, Priors
from ._render import render_html, render_markdown
from ._score import score_document, score_text
from ._sources import Source, source_of
from ._train import Evaluation, evaluate, train
from ._truth import ClaimGraph, TruthResult, truth_discovery
from ._version import __version__

__all__ = [
    "CATEGORIES",
    "Claim",
    "ClaimGraph",
    "ClaimReport",
    "CorpusSource",
    "Document",
    "Evaluation",
    "FetchError",
    "FetchOptions",
    "FetchResult",
    "InputError",
    "InvalidURLError",
    "Model",
    "ModelError",
    "Prior",
    "Priors",
    "PriorsError",
    "Reference",
    "ReferenceReport",
    "Report",
    "ScoringOptions",
    "Source",
    "SrcscoreError",
    "TruthResult",
    "UnsafeAddressError",
    "__version__",
    "afetch_all",
    "detect_format",
    "document_from_dict",
    "evaluate",
    "fetch_all",
    "learn_sources",
    "load_model",
    "parse_document",
    "parse_text",
    "render_html",
    "render_markdown",
    "score_corpus",
    "score_document",
    "score_text",
    "source_of",
    "train",
    "truth_discovery",
]

# Fetching pulls in asyncio and httpx: loaded on first use, so that
# ``import srcscore`` stays light (PEP 562).
_LAZY = {"afetch_all": "._fetch", "fetch_all": "._fetch"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        value.__module__ = "srcscore"
        globals()[name] = value
        return value
    raise AttributeError(f"module 'srcscore' has no attribute {name!r}")


# Public names report the package as their home (srcscore.InvalidURLError, not
# srcscore._exceptions.InvalidURLError), as httpx does.
for _name in __all__:
    _obj = globals().get(_name)
    if getattr(_obj, "__module__", "").startswith("srcscore._"):
        _obj.__module__ = "srcscore"
del _name, _obj
