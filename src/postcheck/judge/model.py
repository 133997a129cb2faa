"""The judge's model file: per-clause logistic heads, their calibration and thresholds.

One ``.npz`` holds, for each clause, the non-zero weights over the hashed
features, a bias, a Platt calibration (fitted on the validation schools, never
the training ones), the threshold for a finding and the lower one for a
"possible" finding, plus a manifest of the training files and the feature
signature. A file made for other features is refused (:class:`ModelMismatchError`).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from postcheck.judge.features import DIM, SIGNATURE, column_indices


class ModelMismatchError(ValueError):
    """The model file was made for other features or is damaged."""


@dataclass
class ClauseHead:
    clause: str
    a: float  # calibration: p = sigmoid(a * z + b), z the head's raw score
    b: float
    threshold: float  # a finding at or above this calibrated probability
    possible: float  # a "possible" finding at or above this, below the threshold


class JudgeModel:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, heads: list[ClauseHead], manifest: dict[str, Any]):
        if weights.shape != (DIM, len(heads)):
            raise ModelMismatchError(f"judge weights have shape {weights.shape}, expected ({DIM}, {len(heads)})")
        self.weights = weights
        self.bias = bias
        self.heads = heads
        self.clauses = [h.clause for h in heads]
        self.manifest = manifest

    # -- scoring ------------------------------------------------------------
    def raw(self, idx: list[int], val: list[float]) -> np.ndarray:
        if not idx:
            return self.bias.copy()
        return np.asarray(val, dtype=np.float32) @ self.weights[idx] + self.bias

    def probabilities(self, idx: list[int], val: list[float]) -> dict[str, float]:
        z = self.raw(idx, val)
        return {h.clause: _sigmoid(h.a * float(z[i]) + h.b) for i, h in enumerate(self.heads)}

    def contributions(
        self, features: dict[str, float], clause: str, rows: np.ndarray | None = None, top: int | None = None
    ) -> list[tuple[str, float]]:
        """Each named feature's share of a clause's score, largest first (why a finding fired).

        ``rows``: the features' hashed columns, when the caller has them already (one per feature, in
        order); ``top``: only the largest few, positive ones.
        """
        c = self.clauses.index(clause)
        names = list(features)
        if rows is None:
            rows = feature_rows(names)
        values = np.fromiter(features.values(), dtype=np.float64, count=len(names))
        shares = values * self.weights[rows, c].astype(np.float64)  # one gather, not a lookup per feature
        order = np.argsort(-shares, kind="stable")  # stable: ties keep the features' order, as sorted() did
        if top is not None:
            order = order[:top]
            order = order[shares[order] > 0]
        return [(names[i], float(shares[i])) for i in order]

    # -- files --------------------------------------------------------------
    def save(self, path: Path) -> None:
        rows = np.flatnonzero(np.any(self.weights != 0, axis=1))
        meta = {"signature": SIGNATURE, "heads": [h.__dict__ for h in self.heads], "manifest": self.manifest}
        blob = json.dumps(meta, sort_keys=True).encode()
        np.savez_compressed(path, rows=rows.astype(np.int32), weights=self.weights[rows].astype(np.float16),
                            bias=self.bias.astype(np.float32), meta=np.frombuffer(blob, dtype=np.uint8),
                            checksum=np.frombuffer(_digest(rows, self.weights[rows].astype(np.float16), blob),
                                                   dtype=np.uint8))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> JudgeModel:
        try:
            with np.load(path) as z:
                rows, w16, bias, blob, checksum = z["rows"], z["weights"], z["bias"], z["meta"].tobytes(), z["checksum"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelMismatchError(f"{path}: not a judge model file ({exc})") from None
        if checksum.tobytes() != _digest(rows, w16, blob):
            raise ModelMismatchError(f"{path}: checksum mismatch: the file is damaged or was edited")
        meta = json.loads(blob)
        if meta.get("signature") != SIGNATURE:
            raise ModelMismatchError(
                f"{path}: made for features {meta.get('signature')!r}, this code computes {SIGNATURE!r}; "
                "retrain with `postcheck train --judge`"
            )
        heads = [ClauseHead(**h) for h in meta["heads"]]
        weights = np.zeros((DIM, len(heads)), dtype=np.float32)
        weights[rows] = w16.astype(np.float32)
        return cls(weights, bias.astype(np.float32), heads, meta["manifest"])


def _digest(rows: np.ndarray, w16: np.ndarray, blob: bytes) -> bytes:
    h = hashlib.sha256()
    h.update(rows.astype(np.int32).tobytes())
    h.update(w16.astype(np.float16).tobytes())
    h.update(blob)
    return h.digest()


def feature_rows(names: list[str]) -> np.ndarray:
    """The hashed column of each feature name, in order."""
    return np.asarray(column_indices(names), dtype=np.int64)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def bundled_path() -> Path:
    return Path(str(resources.files("postcheck.judge").joinpath("models/judge.npz")))
