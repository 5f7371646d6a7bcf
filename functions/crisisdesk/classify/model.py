"""Pure-Python linear predictor over the shipped weights artifact (no numpy at run time).

Artifact (``model.json``, gzip also accepted): JSON with word- and character-feature keys
and their float32 weights packed as base64, the calibration of ``negative_score`` and the
operating threshold.
Scores are exactly those of the offline scikit-learn models (see tools/train_classifier.py).
"""

from __future__ import annotations

import base64
import gc
import gzip
import json
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .errors import ArtifactError
from .features import Analysis, analyse, char_grams

ARTIFACT_NAME = "model.json"
FORMAT = "crisisdesk-classifier/1"
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
_CHAR_CACHE_MAX = 100_000


def _unpack(b64: str, width: int, n: int) -> list[tuple[float, ...]]:
    arr = array("f")
    arr.frombytes(base64.b64decode(b64))
    if len(arr) != width * n:
        raise ArtifactError(f"weight block has {len(arr)} values, expected {width * n}")
    it = iter(arr.tolist())
    return list(zip(*([it] * width), strict=True))


def pack(rows: Sequence[Sequence[float]]) -> str:
    """Pack rows of floats as base64 float32 (used by the offline trainer)."""
    arr = array("f")
    for r in rows:
        arr.extend(r)
    return base64.b64encode(arr.tobytes()).decode("ascii")


@dataclass(frozen=True)
class Prediction:
    """Raw model output for one text."""

    probs: tuple[float, float, float]  # negative, neutral, positive
    negative_score: float  # calibrated P(negative)
    category_probs: tuple[float, ...]  # over ``categories``


class LinearModel:
    """Multinomial logistic models for sentiment and complaint category, in pure Python."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ArtifactError(f"unknown artifact format {data.get('format')!r}")
        try:
            self.categories: tuple[str, ...] = tuple(data["categories"])
            k = len(self.categories)
            wkeys: list[str] = data["word_keys"]
            ckeys: list[str] = data["char_keys"]
            self._word: dict[str, tuple[float, ...]] = dict(
                zip(wkeys, _unpack(data["word_weights"], 4 + k, len(wkeys)), strict=True)
            )
            self._char: dict[str, tuple[float, ...]] = dict(
                zip(ckeys, _unpack(data["char_weights"], 3, len(ckeys)), strict=True)
            )
            bias = tuple(float(v) for v in data["bias"])
            if len(bias) != 3:
                raise ArtifactError("sentiment bias must have 3 values")
            self._bias: tuple[float, float, float] = (bias[0], bias[1], bias[2])
            self._cat_bias: tuple[float, ...] = tuple(data["cat_bias"])
            self._cal_a = float(data["calibration"]["a"])
            self._cal_b = float(data["calibration"]["b"])
            self.threshold = float(data["threshold"])
            # log-probability offsets for the sentiment argmax (fitted for macro-F1 on
            # held-out training brands); older artifacts have none
            offs = [float(v) for v in data.get("class_offsets", (0.0, 0.0, 0.0))]
            if len(offs) != 3:
                raise ArtifactError("class_offsets must have 3 values")
            self.class_offsets: tuple[float, float, float] = (offs[0], offs[1], offs[2])
            self.lexicon: dict[str, str] = dict(data["lexicon"])
            self.meta: dict[str, Any] = dict(data.get("meta", {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtifactError(f"malformed artifact: {exc}") from exc
        self._k = k
        self._class_mult = tuple(math.exp(v) for v in self.class_offsets)
        self._word_cache: dict[str, tuple[float, float, float, int]] = {}

    def _char_contrib(self, word: str) -> tuple[float, float, float, int]:
        hit = self._word_cache.get(word)
        if hit is not None:
            return hit
        grams = char_grams(word)
        hits = [*filter(None, map(self._char.get, grams))]
        s0, s1, s2 = map(sum, zip(*hits, strict=True)) if hits else (0.0, 0.0, 0.0)
        out = (s0, s1, s2, len(grams))
        if len(self._word_cache) >= _CHAR_CACHE_MAX:
            self._word_cache.clear()
        self._word_cache[word] = out
        return out

    def predict(self, text: str, brand: str | None = None) -> Prediction:
        """Score one text; ``brand`` (name or handle) is masked before scoring."""
        return self.predict_analysis(analyse(text, (brand,), self.lexicon))

    def predict_analysis(self, a: Analysis) -> Prediction:
        """Score an ``Analysis`` made with this model's lexicon."""
        probs, neg, cz = self.raw_scores(a)
        return Prediction(probs, neg, _softmax(cz))

    def raw_scores(self, a: Analysis) -> tuple[tuple[float, float, float], float, list[float]]:
        """Hot path: (sentiment probs, calibrated P(negative), category logits)."""
        b = self._bias
        z0, z1, z2 = b
        cz = list(self._cat_bias)
        hits = [*filter(None, map(self._word.get, set(a.feats)))]
        if hits:
            sums = [*map(sum, zip(*hits, strict=True))]
            q = sums[0]
            if q > 0.0:
                inv = 1.0 / math.sqrt(q)
                z0 += sums[1] * inv
                z1 += sums[2] * inv
                z2 += sums[3] * inv
                cz = [c + s * inv for c, s in zip(cz, sums[4:], strict=True)]
        words = a.toks
        if words:
            contrib = [*map(self._word_cache.get, words)]
            if None in contrib:
                char = self._char_contrib
                contrib = [c or char(w) for c, w in zip(contrib, words, strict=True)]
            c0, c1, c2, n = map(sum, zip(*contrib, strict=True))
            if n:
                inv = 1.0 / math.sqrt(n)
                z0 += c0 * inv
                z1 += c1 * inv
                z2 += c2 * inv
        m = z0 if z0 > z1 else z1
        if z2 > m:
            m = z2
        e0, e1, e2 = math.exp(z0 - m), math.exp(z1 - m), math.exp(z2 - m)
        s = e0 + e1 + e2
        p0 = e0 / s
        p = min(max(p0, 1e-6), 1.0 - 1e-6)
        neg = 1.0 / (1.0 + math.exp(-(self._cal_a * math.log(p / (1.0 - p)) + self._cal_b)))
        return (p0, e1 / s, e2 / s), neg, cz

    def sentiment_index(self, probs: tuple[float, float, float]) -> int:
        """Index into ``SENTIMENTS``: argmax of log-probabilities plus the class offsets."""
        m0, m1, m2 = self._class_mult
        a, b, c = probs[0] * m0, probs[1] * m1, probs[2] * m2
        return 0 if a >= b and a >= c else (1 if b >= c else 2)


def _softmax3(a: float, b: float, c: float) -> tuple[float, float, float]:
    m = max(a, b, c)
    ea, eb, ec = math.exp(a - m), math.exp(b - m), math.exp(c - m)
    s = ea + eb + ec
    return (ea / s, eb / s, ec / s)


def _softmax(z: Sequence[float]) -> tuple[float, ...]:
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return tuple(v / s for v in e)


def load_artifact_data(raw: bytes) -> dict[str, Any]:
    """Decode an artifact (gzip-compressed or plain JSON bytes)."""
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read artifact: {exc}") from exc
    if not isinstance(data, dict):
        raise ArtifactError("artifact is not a JSON object")
    return data


def load_model(path: str | None = None) -> LinearModel:
    """Load the linear model from ``path`` or from the packaged artifact."""
    try:
        if path is None:
            raw = resources.files(__package__).joinpath(ARTIFACT_NAME).read_bytes()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise ArtifactError(f"cannot open classifier artifact: {exc}") from exc
    enabled = gc.isenabled()
    gc.disable()  # ~50k small tuples: collection passes would double the load time
    try:
        model = LinearModel(load_artifact_data(raw))
        gc.freeze()  # long-lived weights: keep them out of later collection passes
        return model
    finally:
        if enabled:
            gc.enable()
