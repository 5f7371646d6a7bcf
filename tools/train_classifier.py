"""Offline training of the crisisdesk feedback classifier (scikit-learn/numpy: dev only).

Usage: python -m tools.train_classifier [--data FILE] [--out PATH]

Features come from ``crisisdesk.classify.features.analyse`` (the runtime code), the models
are scikit-learn logistic regressions, and the weights are exported to the pure-Python
artifact read by ``crisisdesk.classify.model``. Calibration (Platt) and the negative
operating threshold are fitted on out-of-fold scores from leave-one-brand-out *within the
training brands*, so they reflect brands the model has not seen.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from crisisdesk.classify.features import analyse, char_grams  # noqa: E402
from crisisdesk.classify.model import (  # noqa: E402
    BIGRAM_SHIFT,
    CHAR_FIELDS,
    FORMAT,
    OFFSET,
    SCALE_BITS,
    SENTIMENTS,
    WORD_FIELDS,
    encode_packed,
    encode_token_chars,
)
from crisisdesk.classify.taxonomy import MODEL_CATEGORIES, REASON_TO_CATEGORY  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/airline-tweets-2015.jsonl")
DEFAULT_OUT = ROOT / "functions" / "crisisdesk" / "classify" / "model.json"
# Brand names masked in training text besides each tweet's own brand, so that no brand
# name learns a sentiment (the airline set also mentions other carriers).
TRAINING_MASK_BRANDS = (
    "US Airways",
    "Southwest",
    "Delta",
    "Virgin America",
    "JetBlue",
    "United",
    "American",
)
C_SENTIMENT = 3.0
C_CATEGORY = 3.0
CLASS_WEIGHT: str | None = None  # sentiment model class weights (scikit-learn's option)
TARGET_RECALL = 0.95


def _vader_lexicon() -> dict[str, str]:
    """VADER's lexicon (MIT licence) reduced to coarse buckets, shipped inside the artifact."""
    import vaderSentiment  # dev-only dependency

    from crisisdesk.classify.features import lexicon_bucket

    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and " " not in parts[0]:
            try:
                val = float(parts[1])
            except ValueError:
                continue
            if abs(val) >= 0.5:
                out[parts[0]] = lexicon_bucket(val)
    return out


def load_rows(path: Path = DEFAULT_DATA) -> list[dict[str, Any]]:
    """Read the labelled JSONL file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class Prepared:
    """Features and labels of a labelled set, computed once with the runtime featuriser."""

    def __init__(self, rows: Sequence[dict[str, Any]], lexicon: dict[str, str]) -> None:
        self.rows = list(rows)
        self.lexicon = lexicon
        self.words: list[list[str]] = []
        self.grams: list[list[str]] = []
        self.toks: list[list[str]] = []
        for r in self.rows:
            feats, words, _ = analyse(r["text"], (r.get("brand"), *TRAINING_MASK_BRANDS), lexicon)
            self.words.append(feats)
            self.toks.append(words)
            g: list[str] = []
            for w in words:
                g.extend(char_grams(w))
            self.grams.append(g)
        self.y = np.array([SENTIMENTS.index(r["label"]) for r in self.rows])
        self.weight = np.array([float(r.get("label_confidence") or 1.0) for r in self.rows])
        self.brand = np.array([r.get("brand") or "" for r in self.rows])
        self.cat = np.array(
            [
                MODEL_CATEGORIES.index(REASON_TO_CATEGORY[r["negative_reason"]])
                if r["label"] == "negative" and r.get("negative_reason") in REASON_TO_CATEGORY
                else -1
                for r in self.rows
            ]
        )


def _analyzer(x: list[str]) -> list[str]:
    return x


class Fitted:
    """Sentiment and category models fitted on a subset of a ``Prepared`` set."""

    def __init__(self, prep: Prepared, idx: np.ndarray) -> None:
        self.tokens = sorted({t for i in idx for t in prep.toks[i]})
        self.wv = CountVectorizer(analyzer=_analyzer, binary=True, min_df=2)
        xw = self.wv.fit_transform([prep.words[i] for i in idx])
        self.wt = TfidfTransformer()
        xw = self.wt.fit_transform(xw)
        self.cv = CountVectorizer(analyzer=_analyzer, min_df=2)
        xc = self.cv.fit_transform([prep.grams[i] for i in idx]).astype(np.float64)
        self.cidf = TfidfTransformer().fit(xc).idf_
        self.cscale = 1.0 / float(self.cidf.mean())
        x = sp.hstack([xw, self._char_block(xc, [len(prep.grams[i]) for i in idx])]).tocsr()
        self.sent = LogisticRegression(C=C_SENTIMENT, class_weight=CLASS_WEIGHT, max_iter=5000)
        self.sent.fit(x, prep.y[idx], sample_weight=prep.weight[idx])
        cidx = np.array([j for j, i in enumerate(idx) if prep.cat[i] >= 0])
        self.catm = LogisticRegression(C=C_CATEGORY, max_iter=5000)
        self.catm.fit(xw[cidx], prep.cat[idx[cidx]])
        if list(self.catm.classes_) != list(range(len(MODEL_CATEGORIES))):
            raise RuntimeError("every model category needs training examples")

    def _char_block(self, xc: Any, n: Sequence[int]) -> Any:
        inv = 1.0 / np.sqrt(np.maximum(np.asarray(n, dtype=np.float64), 1.0))
        return sp.diags(inv) @ xc @ sp.diags(self.cidf * self.cscale)

    def predict_proba(self, prep: Prepared, idx: np.ndarray) -> np.ndarray:
        """Sentiment probabilities (negative, neutral, positive) via scikit-learn."""
        xw = self.wt.transform(self.wv.transform([prep.words[i] for i in idx]))
        xc = self.cv.transform([prep.grams[i] for i in idx]).astype(np.float64)
        x = sp.hstack([xw, self._char_block(xc, [len(prep.grams[i]) for i in idx])]).tocsr()
        return np.asarray(self.sent.predict_proba(x))

    def export(
        self,
        lexicon: dict[str, str],
        calibration: tuple[float, float],
        threshold: float,
        meta: dict[str, Any],
    ) -> dict[str, Any]:
        """Artifact dict for ``crisisdesk.classify.model.LinearModel``."""
        nw = len(self.wv.vocabulary_)
        wkeys = [""] * nw
        for k, j in self.wv.vocabulary_.items():
            wkeys[j] = k
        idf = self.wt.idf_
        coef = self.sent.coef_
        cc = self.catm.coef_
        # runtime fields (see crisisdesk.classify.model): idf^2 for the l2 norm, sentiment
        # relative to neutral, categories relative to the first (softmax is shift-invariant)
        wcols = np.vstack(
            [
                idf * idf,
                (coef[0, :nw] - coef[1, :nw]) * idf,
                (coef[2, :nw] - coef[1, :nw]) * idf,
                (cc[1:] - cc[0]) * idf,
            ]
        )
        nc = len(self.cv.vocabulary_)
        ckeys = [""] * nc
        for k, j in self.cv.vocabulary_.items():
            ckeys[j] = k
        cw = coef[:, nw:] * (self.cidf * self.cscale)[None, :]
        ccols = np.vstack([cw[0] - cw[1], cw[2] - cw[1]])
        if wcols.shape[0] != WORD_FIELDS or ccols.shape[0] != CHAR_FIELDS:
            raise RuntimeError("artifact layout does not match the runtime's fields")
        return {
            "format": FORMAT,
            "classes": list(SENTIMENTS),
            "categories": list(MODEL_CATEGORIES),
            "scale_bits": SCALE_BITS,
            **_word_blocks(wkeys, _fixed_rows(wcols)),
            "char_keys": ckeys,
            "char_weights": encode_packed(_fixed_rows(ccols)),
            # char-gram sums of every training token, so that the first pass over new
            # texts rarely has to cut and look up grams (see the runtime's token cache)
            "token_keys": self.tokens,
            "token_chars": encode_token_chars(self.tokens, ckeys, _fixed_rows(ccols)),
            "bias": [float(v) for v in self.sent.intercept_],
            "cat_bias": [float(v) for v in self.catm.intercept_],
            "calibration": {"a": calibration[0], "b": calibration[1]},
            "threshold": threshold,
            "lexicon": lexicon,
            "meta": meta,
        }


def _word_blocks(keys: list[str], rows: list[list[int]]) -> dict[str, Any]:
    """Word features split for the runtime: plain keys, and bigrams keyed by a pair of token
    ids (``id(first) << BIGRAM_SHIFT | id(second)``, ids from 1 in ``bigram_tokens`` order)
    so that loading needs no string work."""
    plain = [(k, r) for k, r in zip(keys, rows, strict=True) if " " not in k]
    pairs = [(k.split(" "), r) for k, r in zip(keys, rows, strict=True) if " " in k]
    tid: dict[str, int] = {}
    for (a, b), _ in pairs:
        tid.setdefault(a, len(tid) + 1)
        tid.setdefault(b, len(tid) + 1)
    if len(tid) >= 1 << BIGRAM_SHIFT:
        raise RuntimeError("too many bigram tokens")
    return {
        "word_keys": [k for k, _ in plain],
        "word_weights": encode_packed([r for _, r in plain]),
        "bigram_tokens": list(tid),
        "bigram_keys": [(tid[a] << BIGRAM_SHIFT) | tid[b] for (a, b), _ in pairs],
        "bigram_weights": encode_packed([r for _, r in pairs]),
    }


def _fixed_rows(cols: np.ndarray) -> list[list[int]]:
    """Fixed-point values per key (a row per column of ``cols``, which is fields x keys)."""
    q = np.rint(cols * float(1 << SCALE_BITS)).astype(np.int64)
    if np.abs(q).max(initial=0) >= OFFSET:
        raise RuntimeError("a weight is too large for the fixed-point fields")
    rows: list[list[int]] = q.T.tolist()
    return rows


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


def fit_platt(pneg: np.ndarray, is_neg: np.ndarray) -> tuple[float, float]:
    """Platt scaling on logit(P(negative)): returns (a, b) of sigmoid(a*logit + b)."""
    lr = LogisticRegression(C=1e4, max_iter=1000)
    lr.fit(_logit(pneg).reshape(-1, 1), is_neg.astype(int))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def apply_platt(pneg: np.ndarray, cal: tuple[float, float]) -> np.ndarray:
    """Calibrated negative scores."""
    return np.asarray(1.0 / (1.0 + np.exp(-(cal[0] * _logit(pneg) + cal[1]))))


def fit_class_offsets(proba: np.ndarray, y: np.ndarray) -> list[float]:
    """Log-probability offsets (negative fixed at 0) maximising macro-F1 of the argmax on
    out-of-fold scores of held-out *training* brands: the training prior (dominated by the
    most complained-about brand) over-predicts "negative" on other brands."""
    from sklearn.metrics import f1_score

    logp = np.log(np.clip(proba, 1e-9, 1.0))
    grid = np.round(np.arange(-1.0, 1.0001, 0.1), 2)
    best = (float(f1_score(y, logp.argmax(1), average="macro")), 0.0, 0.0)
    for a in grid:
        for c in grid:
            f = float(f1_score(y, (logp + np.array([0.0, a, c])).argmax(1), average="macro"))
            if f > best[0] + 1e-9:
                best = (f, float(a), float(c))
    return [0.0, best[1], best[2]]


def threshold_for_recall(scores: np.ndarray, is_neg: np.ndarray, target: float) -> float:
    """Highest threshold whose recall of negatives on ``scores`` is at least ``target``."""
    neg = np.sort(scores[is_neg])
    k = int(np.floor((1.0 - target) * len(neg)))
    return float(neg[k])


def train(
    prep: Prepared, idx: np.ndarray, target_recall: float = TARGET_RECALL, log: bool = False
) -> dict[str, Any]:
    """Train on ``idx`` with inner leave-one-brand-out calibration; return the artifact dict."""
    t0 = time.time()
    brands = sorted(set(prep.brand[idx]))
    oof_p = np.zeros((len(idx), 3))
    for b in brands:
        inner_tr = idx[prep.brand[idx] != b]
        inner_te_mask = prep.brand[idx] == b
        m = Fitted(prep, inner_tr)
        oof_p[inner_te_mask] = m.predict_proba(prep, idx[inner_te_mask])
    oof = oof_p[:, 0]
    offsets = fit_class_offsets(oof_p, prep.y[idx])
    is_neg = prep.y[idx] == 0
    cal = fit_platt(oof, is_neg)
    thr = threshold_for_recall(apply_platt(oof, cal), is_neg, target_recall)
    final = Fitted(prep, idx)
    meta = {
        "trained_on_brands": [str(b) for b in brands],
        "n_train": len(idx),
        "target_recall": target_recall,
        "c_sentiment": C_SENTIMENT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    art = final.export(prep.lexicon, cal, thr, meta)
    art["class_offsets"] = offsets
    if log:
        print(
            f"trained on {brands} ({len(idx)} items) in {time.time() - t0:.1f}s; "
            f"platt={cal}, threshold={thr:.3f}, class offsets={offsets}",
            file=sys.stderr,
        )
    return art


def save(art: dict[str, Any], path: Path) -> int:
    """Write the artifact (compact JSON, deterministic bytes); return its size in bytes."""
    data = json.dumps(art, separators=(",", ":"), sort_keys=True).encode()
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)
    return len(data)


def main(argv: Sequence[str] | None = None) -> int:
    """Train on every brand of the data file and write the shipped artifact."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    prep = Prepared(load_rows(args.data), _vader_lexicon())
    art = train(prep, np.arange(len(prep.rows)), log=True)
    size = save(art, args.out)
    print(f"wrote {args.out} ({size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
