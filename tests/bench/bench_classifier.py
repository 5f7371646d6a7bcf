"""Leave-one-brand-out benchmark: VADER (masked) vs TF-IDF + LR vs crisisdesk.

Each fold trains on three brands and tests on the fourth. crisisdesk is retrained per fold
with ``tools.train_classifier`` (its calibration and threshold come from the training
brands only), exported to the artifact format and run through the shipped pure-Python
``Classifier.classify`` (all fields), which is also what the throughput measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_curve

from tools import train_classifier as tc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "functions"))

from crisisdesk.classify.classifier import Classifier, FeedbackInput  # noqa: E402
from crisisdesk.classify.features import mask_text  # noqa: E402
from crisisdesk.classify.model import SENTIMENTS, load_model  # noqa: E402

TARGETS = {"recall": 0.95, "precision": 0.88, "macro_f1": 0.78, "items_s": 10_000, "load_ms": 100}


@dataclass
class Scores:
    """Held-out predictions of one system, pooled over folds."""

    name: str
    y: list[int] = field(default_factory=list)
    pred: list[int] = field(default_factory=list)
    neg: list[float] = field(default_factory=list)
    op: list[bool] = field(default_factory=list)  # at the system's own operating threshold
    per_fold: dict[str, dict[str, float]] = field(default_factory=dict)
    items_s: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        fold: str,
        y: np.ndarray,
        pred: np.ndarray,
        neg: np.ndarray,
        op: np.ndarray | None = None,
    ) -> None:
        self.y += list(y)
        self.pred += list(pred)
        self.neg += list(neg)
        if op is not None:
            self.op += list(op)
        self.per_fold[fold] = metrics(y, pred, neg, op)


def precision_at_recall(is_neg: np.ndarray, score: np.ndarray, target: float = 0.95) -> float:
    """Best precision among thresholds whose negative recall is >= target (oracle on test)."""
    p, r, _ = precision_recall_curve(is_neg, score)
    return float(p[r >= target].max())


def metrics(
    y: np.ndarray, pred: np.ndarray, neg: np.ndarray, op: np.ndarray | None
) -> dict[str, float]:
    """Macro-F1, accuracy, negative recall, P@R.95 and the operating point if any."""
    y = np.asarray(y)
    pred = np.asarray(pred)
    is_neg = y == 0
    out = {
        "macro_f1": float(f1_score(y, pred, average="macro")),
        "accuracy": float(accuracy_score(y, pred)),
        "neg_recall": float(((pred == 0) & is_neg).sum() / is_neg.sum()),
        "p_at_r95": precision_at_recall(is_neg, np.asarray(neg)),
    }
    if op is not None:
        o = np.asarray(op)
        out["op_recall"] = float((o & is_neg).sum() / is_neg.sum())
        out["op_precision"] = float((o & is_neg).sum() / max(o.sum(), 1))
    return out


def _vader(
    rows: list[dict[str, Any]], test: np.ndarray, s: Scores, fold: str, y: np.ndarray
) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    an = SentimentIntensityAnalyzer()
    texts = [mask_text(rows[i]["text"], (rows[i]["brand"],)) for i in test]
    t0 = time.perf_counter()
    comp = np.array([an.polarity_scores(t)["compound"] for t in texts])
    s.items_s.append(len(texts) / (time.perf_counter() - t0))
    pred = np.where(comp >= 0.05, 2, np.where(comp <= -0.05, 0, 1))
    s.add(fold, y[test], pred, -comp)


def _tfidf_lr(
    rows: list[dict[str, Any]],
    train: np.ndarray,
    test: np.ndarray,
    s: Scores,
    fold: str,
    y: np.ndarray,
) -> None:
    def masked(i: int) -> str:
        out: str = mask_text(rows[i]["text"], (rows[i]["brand"], *tc.TRAINING_MASK_BRANDS))
        return out

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    xtr = vec.fit_transform([masked(i) for i in train])
    lr = LogisticRegression(C=3.0, max_iter=3000).fit(xtr, y[train])
    texts = [mask_text(rows[i]["text"], (rows[i]["brand"],)) for i in test]
    t0 = time.perf_counter()
    proba = lr.predict_proba(vec.transform(texts))
    s.items_s.append(len(texts) / (time.perf_counter() - t0))
    s.add(fold, y[test], proba.argmax(1), proba[:, 0])


def _item(r: dict[str, Any]) -> FeedbackInput:
    return FeedbackInput(
        text=r["text"],
        id=r["id"],
        author=r.get("author"),
        brand=r.get("brand"),
        created_at=r.get("created_at"),
        retweets=r.get("retweets"),
    )


def _crisisdesk(
    prep: tc.Prepared,
    train: np.ndarray,
    test: np.ndarray,
    s: Scores,
    fold: str,
    y: np.ndarray,
    tmp: Path,
) -> None:
    art = tc.train(prep, train)
    path = tmp / f"model-{fold.replace(' ', '_')}.json"
    size = tc.save(art, path)
    t0 = time.perf_counter()
    clf = Classifier(load_model(str(path)))
    load_ms = (time.perf_counter() - t0) * 1000
    items = [_item(prep.rows[i]) for i in test]
    t0 = time.perf_counter()  # first pass: cold caches, every field computed
    c0 = time.process_time()
    res = [clf.classify(it) for it in items]
    s.items_s.append(len(items) / (time.perf_counter() - t0))
    # CPU time of this process as well: the wall clock is noisy on a shared machine
    s.extra.setdefault("cpu_items_s", []).append(len(items) / (time.process_time() - c0))
    pred = np.array([SENTIMENTS.index(r.sentiment) for r in res])
    neg = np.array([r.negative_score for r in res])
    op = np.array([r.negative_score >= clf.threshold for r in res])
    s.add(fold, y[test], pred, neg, op)
    s.extra.setdefault("size", []).append(size)
    s.extra.setdefault("load_ms", []).append(load_ms)
    s.extra.setdefault("threshold", {})[fold] = clf.threshold
    # category agreement on held-out complaints with a known reason (learned categories)
    cats = list(clf.model.categories)
    known = [
        (j, prep.cat[i])
        for j, i in enumerate(test)
        if prep.cat[i] >= 0 and cats[prep.cat[i]] != "other"
    ]
    hit = sum(1 for j, c in known if res[j].category == cats[c])
    s.extra.setdefault("cat_hits", []).append((hit, len(known)))


def shipped_load_and_speed(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Cold import+load of the shipped artifact in a fresh interpreter, and warm throughput."""
    code = (
        "import time;t=time.perf_counter();import crisisdesk.classify as c;"
        "t1=time.perf_counter();c.load_classifier();t2=time.perf_counter();"
        "print((t1-t)*1000,(t2-t1)*1000)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        imp, load = (float(v) for v in out.stdout.split())
        runs.append((imp, load))
    imp = float(np.median([r[0] for r in runs]))
    load = float(np.median([r[1] for r in runs]))
    clf = Classifier(load_model())
    items = [_item(r) for r in rows]
    t0 = time.perf_counter()
    for it in items:
        clf.classify(it)
    cold = len(items) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for it in items:
        clf.classify(it)
    warm = len(items) / (time.perf_counter() - t0)
    # CPU time of this process: robust to other work on a shared machine (best of 3)
    cpu_best = float("inf")
    for _ in range(3):
        c0 = time.process_time()
        for it in items:
            clf.classify(it)
        cpu_best = min(cpu_best, time.process_time() - c0)
    size = (ROOT / "functions/crisisdesk/classify/model.json").stat().st_size
    return {
        "import_ms": imp,
        "load_ms": load,
        "cold_items_s": cold,
        "warm_items_s": warm,
        "warm_cpu_items_s": len(items) / cpu_best,
        "size": size,
    }


def run_benchmark(data: Path = tc.DEFAULT_DATA) -> dict[str, Any]:
    """Run every fold for every system; return pooled and per-fold results."""
    rows = tc.load_rows(data)
    prep = tc.Prepared(rows, tc._vader_lexicon())
    y = prep.y
    brands = sorted(set(prep.brand))
    systems = [Scores("VADER (masked)"), Scores("TF-IDF + LR"), Scores("crisisdesk")]
    with tempfile.TemporaryDirectory() as td:
        for b in brands:
            train = np.where(prep.brand != b)[0]
            test = np.where(prep.brand == b)[0]
            _vader(rows, test, systems[0], b, y)
            _tfidf_lr(rows, train, test, systems[1], b, y)
            _crisisdesk(prep, train, test, systems[2], b, y, Path(td))
            print(f"fold {b}: done", file=sys.stderr, flush=True)
    return {"systems": systems, "brands": brands, "shipped": shipped_load_and_speed(rows)}


def _fmt(v: float | None, spec: str = ".3f") -> str:
    return "n/a" if v is None else str(format(v, spec))


def report(res: dict[str, Any]) -> str:
    """Markdown tables: pooled held-out metrics side by side, then per fold."""
    systems: list[Scores] = res["systems"]
    sh = res["shipped"]
    lines = [
        "Leave-one-brand-out (train on 3 airlines, test on the 4th), pooled over the 4 "
        "held-out folds",
        "",
        "| system | macro-F1 | accuracy | neg recall | P@R=0.95 | op recall / precision "
        "| items/s (1 core) | artifact | load ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in systems:
        m = metrics(
            np.array(s.y), np.array(s.pred), np.array(s.neg), np.array(s.op) if s.op else None
        )
        op = f"{m['op_recall']:.3f} / {m['op_precision']:.3f}" if "op_recall" in m else "n/a"
        ips = float(np.mean(s.items_s))
        if s.name == "crisisdesk":
            size = f"{sh['size'] / 1e6:.2f} MB"
            load = f"{sh['load_ms']:.0f} (+{sh['import_ms']:.0f} import)"
        else:
            size, load = "n/a", "n/a"
        lines.append(
            f"| {s.name} | {m['macro_f1']:.3f} | {m['accuracy']:.3f} | {m['neg_recall']:.3f} "
            f"| {m['p_at_r95']:.3f} | {op} | {ips:,.0f} | {size} | {load} |"
        )
    lines += [
        "",
        "Per held-out brand (macro-F1 / P@R=0.95 / op recall@precision):",
        "",
        "| system | " + " | ".join(res["brands"]) + " |",
        "| --- |" + " --- |" * len(res["brands"]),
    ]
    for s in systems:
        cells = []
        for b in res["brands"]:
            f = s.per_fold[b]
            c = f"{f['macro_f1']:.3f} / {f['p_at_r95']:.3f}"
            if "op_recall" in f:
                c += f" / {f['op_recall']:.3f}@{f['op_precision']:.3f}"
            cells.append(c)
        lines.append(f"| {s.name} | " + " | ".join(cells) + " |")
    cd = systems[-1]
    hits = sum(h for h, _ in cd.extra["cat_hits"])
    total = sum(n for _, n in cd.extra["cat_hits"])
    thr = ", ".join(f"{b}: {t:.3f}" for b, t in cd.extra["threshold"].items())
    cpu_folds = ", ".join(f"{v:,.0f}" for v in cd.extra["cpu_items_s"])
    lines += [
        "",
        f"crisisdesk thresholds (chosen on training brands only): {thr}",
        f"crisisdesk first pass per fold (fresh model, process CPU time): {cpu_folds} items/s",
        f"crisisdesk category agreement on held-out complaints with a known reason: "
        f"{hits}/{total} = {hits / max(total, 1):.3f}",
        f"shipped artifact: {sh['size'] / 1e6:.2f} MB; cold interpreter: import "
        f"{sh['import_ms']:.0f} ms + load_classifier() {sh['load_ms']:.0f} ms; full classify() "
        f"on all {len(cd.y)} tweets: {sh['cold_items_s']:,.0f} items/s first pass, "
        f"{sh['warm_items_s']:,.0f} items/s warm (wall), "
        f"{sh['warm_cpu_items_s']:,.0f} items/s warm (process CPU time, best of 3)",
        "items/s = full Classifier.classify() (all fields) for crisisdesk, single thread; "
        "VADER = polarity_scores; TF-IDF + LR = batch transform + predict_proba",
        "P@R=0.95: best precision at which negative recall reaches 0.95 (oracle threshold on "
        "the test fold); op = crisisdesk's shipped threshold (fixed before seeing the fold)",
        f"targets: neg recall >= {TARGETS['recall']} at precision >= {TARGETS['precision']}; "
        f"macro-F1 >= {TARGETS['macro_f1']}; >= {TARGETS['items_s']:,} items/s; "
        f"load <= {TARGETS['load_ms']} ms",
    ]
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark and print the report (also written to .crisisdesk/bench.json)."""
    res = run_benchmark()
    text = report(res)
    print(text)
    out = ROOT / ".crisisdesk"
    out.mkdir(exist_ok=True)
    summary = {s.name: s.per_fold for s in res["systems"]}
    summary["shipped"] = res["shipped"]
    (out / "bench-classifier.json").write_text(json.dumps(summary, indent=2))
    (out / "bench-classifier.md").write_text(text + "\n")
    return 0
