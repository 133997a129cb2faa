"""Fine-tune the top layers of all-MiniLM-L6-v2 for the encoder heads (``postcheck train --encoder``).

The bottom layers stay frozen, so their outputs are computed once and
cached; only the top layers and the heads train. On two CPU cores this
takes minutes, not hours, and the shipped file holds only the tuned layers.
Deterministic for a given seed and torch build (single-threaded reductions
aside).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from postcheck.ml import encoder
from postcheck.ml.datasets import Rows
from postcheck.ml.features import normalise

FIRST_TUNED = 3  # layers 3, 4 and 5 of 0..5 are fine-tuned
HEADS = ("offensive",)  # where the linear head falls short (OLID); sexism stays linear
EPOCHS = 3
BATCH = 32
LR_LAYERS = 8e-5
LR_HEAD = 1e-3
POLICY_C = 4.0


def train(heads: dict[str, Rows], out: Path, seed: int = 0, log: Callable[[str], None] = print,
          policy_heads: dict[str, Rows] | None = None) -> Path:  # fmt: skip
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    base = encoder.base_path()
    tok = AutoTokenizer.from_pretrained(str(base))
    model = AutoModel.from_pretrained(str(base))
    model.eval()

    # One pass through the frozen bottom: cache layer-FIRST_TUNED inputs in length-sorted batches.
    t0 = time.perf_counter()
    base_heads = train_base_heads(model, tok, policy_heads or {}, seed, log)
    batches: list[tuple[torch.Tensor, torch.Tensor, str, torch.Tensor]] = []
    for head, rows in heads.items():
        order = sorted(range(len(rows)), key=lambda i: len(rows.texts[i]))
        for k in range(0, len(order), BATCH):
            idx = order[k : k + BATCH]
            enc = tok([normalise(rows.texts[i]) for i in idx], padding=True, truncation=True,
                      max_length=encoder.MAX_LEN, return_tensors="pt")  # fmt: skip
            with torch.no_grad():
                hidden = model(**enc, output_hidden_states=True).hidden_states[FIRST_TUNED]
            y = torch.tensor([rows.labels[i] for i in idx], dtype=torch.float)
            batches.append((hidden.half(), enc["attention_mask"], head, y))
    log(f"  cached frozen layers for {sum(len(r) for r in heads.values())} texts in {time.perf_counter() - t0:.0f}s")

    top = torch.nn.ModuleList(model.encoder.layer[FIRST_TUNED:])
    top.train()
    linear_heads = torch.nn.ModuleDict({h: torch.nn.Linear(384, 1) for h in heads})
    pos_weight = {h: torch.tensor(((1 - np.mean(r.labels)) / np.mean(r.labels)) ** 0.5) for h, r in heads.items()}
    params = list(top.parameters()) + list(linear_heads.parameters())
    opt = torch.optim.AdamW([{"params": top.parameters(), "lr": LR_LAYERS},
                             {"params": linear_heads.parameters(), "lr": LR_HEAD}], weight_decay=0.01)  # fmt: skip
    steps = EPOCHS * len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps)
    )

    def forward(hidden: torch.Tensor, mask: torch.Tensor, head: str) -> torch.Tensor:
        h = encoder.run_layers(top, hidden.float(), mask)
        return linear_heads[head](encoder.mean_pool(h, mask)).squeeze(-1)

    rng = random.Random(seed)
    for epoch in range(EPOCHS):
        order = list(range(len(batches)))
        rng.shuffle(order)
        total = 0.0
        for b in order:
            hidden, mask, head, y = batches[b]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(hidden, mask, head), y,
                                                                         pos_weight=pos_weight[head])  # fmt: skip
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
        log(f"  epoch {epoch + 1}/{EPOCHS}: mean loss {total / len(batches):.3f} ({time.perf_counter() - t0:.0f}s)")

    state = {
        "meta": {"format": encoder.FORMAT, "base": encoder.base_fingerprint(base), "first_tuned_layer": FIRST_TUNED,
                 "seed": seed, "epochs": EPOCHS, "trained_on": {h: r.sources for h, r in heads.items()}},
        "layers": [{k: v.detach().half() for k, v in layer.state_dict().items()} for layer in top],
        "heads": {h: (lin.weight.detach()[0].half(), lin.bias.detach()[0].half()) for h, lin in linear_heads.items()},  # type: ignore[operator]
        "base_heads": base_heads,
    }  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    path = out / encoder.FILE
    torch.save(state, path)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def embed(model, tok, texts: list[str]):  # type: ignore[no-untyped-def]
    """The base model's sentence embedding (mean-pooled, unit length), as all-MiniLM-L6-v2 defines it."""
    import torch

    out = torch.zeros(len(texts), 384)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for k in range(0, len(order), 64):
            idx = order[k : k + 64]
            enc = tok([normalise(texts[i]) for i in idx], padding=True, truncation=True,
                      max_length=encoder.MAX_LEN, return_tensors="pt")  # fmt: skip
            hidden = model(**enc).last_hidden_state
            out[idx] = torch.nn.functional.normalize(encoder.mean_pool(hidden, enc["attention_mask"]))
    return out


def train_base_heads(model, tok, heads: dict[str, Rows], seed: int, log: Callable[[str], None]):  # type: ignore[no-untyped-def]
    """Policy heads: logistic regression over the frozen sentence embedding (paraphrase-robust, tiny)."""
    import torch
    from sklearn.linear_model import LogisticRegression

    if not heads:
        return {}
    texts = next(iter(heads.values())).texts  # every policy head shares the same rows
    x = embed(model, tok, texts).numpy()
    out = {}
    for head, rows in heads.items():
        y = np.array(rows.labels)
        if min(int(y.sum()), len(y) - int(y.sum())) < 5:
            continue
        clf = LogisticRegression(C=POLICY_C, max_iter=3000, class_weight="balanced", random_state=seed).fit(x, y)
        out[head] = (torch.tensor(clf.coef_[0], dtype=torch.float32), torch.tensor(float(clf.intercept_[0])))
        log(f"  {head} (embedding head): {len(y)} rows, {int(y.sum())} positive")
    return out
