"""Offline training of the learned tone/promise guardrail models (scikit-learn: dev only).

Usage:
    .venv/bin/python -m tools.train_guardrails            # evaluate, then write the artifact
    .venv/bin/python -m tools.train_guardrails --eval-only # figures only, artifact untouched
    .venv/bin/python -m tools.train_guardrails --no-eval   # artifact only (fast)

Data: tools/guardrail_corpus/train_replies*.jsonl ("corpus"), tests/guardrails/
labelled_replies.jsonl, blind_replies.jsonl and blind3-10_replies.jsonl ("tests"), each blind
set only after its one unseen measurement. (blind7 alone once moved the threshold onto a plain
password-reset reply, tests/unit/test_guardrails_rules.py::test_tone_clean; with blind7-10
together that test passes.) Trained with blind3-9 and scored on blind10 with blind10's
unseen rules, the scorer caught 88/90 promises against 86/90 for the blind3-6 model, the same
115/120 tone, with 3/140 false blocks against 2. Only text and labels are used; the
corpus's "style" field names the label ("...-hard-negative") and is never read.

Model: one L2 logistic regression per rule (tone, promise; class-balanced, C=10) over the
runtime features of ``crisisdesk.guardrails.learned.grams`` (imported, so training and
Lambda cannot drift), exported to ``functions/crisisdesk/guardrails/reply_model.json`` and
scored in pure Python. Block scaling n**-0.25 (not the usual 0.5) keeps one bad sentence from
being diluted by friendly ones; it generalised better across sources. Training also uses
clause examples derived from the training rows (weight 0.5, see _clause_examples): clauses
of good replies as negatives, and the clause a phrase rule located as a positive. Replies
labelled good only because an approved commitment covers them count as promises for
fitting (the runtime commitment check lets them through), see Data.yfit.

Threshold: chosen on out-of-fold scores of the training rows (inner 5-fold CV) as the pair
(tone, promise) with the highest summed recall whose model-only false-block rate on good
replies (labels == []) is at most FB_BUDGET. Every evaluation below re-does that choice
inside its training part, so the reported figures never see their own test rows:
  * 5-fold CV over all rows (stratified by label set and source);
  * leave-one-source-out: train on "tests", score "corpus", and the reverse (the closest
    thing to drafts from writers the model has never seen).
Everything is seeded (folds and solver), so two runs write the same artifact.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))
sys.path.insert(0, str(ROOT))

from crisisdesk.guardrails import Commitment  # noqa: E402
from crisisdesk.guardrails._text import clauses, normalise  # noqa: E402
from crisisdesk.guardrails.learned import (  # noqa: E402
    ARTIFACT,
    FORMAT,
    MODEL_RULES,
    ReplyModel,
    grams,
    scale,
)
from crisisdesk.guardrails.promises import covers  # noqa: E402
from tests.bench.bench_guardrails import check_row  # noqa: E402

# Every corpus round (train_replies.jsonl, train_replies_v2.jsonl, ...).
CORPORA = tuple(sorted((ROOT / "tools" / "guardrail_corpus").glob("train_replies*.jsonl")))
TESTS = (
    ROOT / "tests" / "guardrails" / "labelled_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind_replies.jsonl",
    # Each measured once unseen (blind<N>_baseline.json), then trained on.
    ROOT / "tests" / "guardrails" / "blind3_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind4_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind5_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind6_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind7_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind8_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind9_replies.jsonl",
    ROOT / "tests" / "guardrails" / "blind10_replies.jsonl",
)
SEED = 0
FOLDS = 5
C = 10.0
NORM_POWER = 0.25
# Sample weight of the clause examples derived from training rows (0 disables them).
AUG_WEIGHT = 0.5
MIN_DF = 2
FB_BUDGET = 0.03
# Weights below this are dropped from the artifact (they move no score by more than ~0.01).
PRUNE = 2e-3
DIGITS = 4


@dataclass
class Data:
    """Rows with their features, labels and rules-only results, computed once."""

    rows: list[dict[str, Any]]
    words: list[set[str]]
    chars: list[set[str]]
    y: np.ndarray  # (n, len(MODEL_RULES)) 0/1: the labels, what evaluation scores against
    good: np.ndarray  # labels == []
    # What the model is fitted to: promise also set where an approved commitment covers the
    # text. Such a reply is labelled good only because of the commitment; the model must
    # still learn that it reads as a promise, and find() then lets the commitment through.
    yfit: np.ndarray
    goodfit: np.ndarray
    # Clause-level training examples derived from row i (see _clause_examples); only ever
    # used when row i itself is in the training part, so no test row leaks in.
    extra: list[list[tuple[set[str], set[str], list[int]]]]
    source: np.ndarray
    rules_hit: np.ndarray  # (n, len(MODEL_RULES)) rule fired
    rules_any: np.ndarray  # any rule (incl. pii/troll) fired: a false block when good


def load_data() -> Data:
    """Read all labelled replies and run the phrase rules once."""
    rows: list[dict[str, Any]] = []
    for path, source in (*((p, "corpus") for p in CORPORA), *((p, "tests") for p in TESTS)):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    raw = json.loads(line)
                    # Keep only what the model may learn from; "style" leaks the label.
                    keep = {k: v for k, v in raw.items() if k != "style"}
                    keep["source"] = source
                    rows.append(keep)
    feats = [grams(r["text"]) for r in rows]
    y = np.array([[int(rule in r["labels"]) for rule in MODEL_RULES] for r in rows])
    hits = []
    found = []
    for r in rows:
        res = check_row(r, use_model=False)
        got = res.rules()
        found.append(res.violations)
        hits.append(([int(rule in got) for rule in MODEL_RULES], bool(got)))
    covered = np.array([_covered_promise(r) for r in rows])
    yfit = y.copy()
    yfit[covered, MODEL_RULES.index("promise")] = 1
    good = np.array([not r["labels"] for r in rows])
    return Data(
        rows=rows,
        extra=[
            _clause_examples(r, bool(g and not c), v)
            for r, g, c, v in zip(rows, good, covered, found, strict=True)
        ],
        yfit=yfit,
        goodfit=good & ~covered,
        words=[f[0] for f in feats],
        chars=[f[1] for f in feats],
        y=y,
        good=good,
        source=np.array([r["source"] for r in rows]),
        rules_hit=np.array([h[0] for h in hits]),
        rules_any=np.array([h[1] for h in hits]),
    )


def _clause_examples(
    row: dict[str, Any], good: bool, violations: Sequence[Any]
) -> list[tuple[set[str], set[str], list[int]]]:
    """Label-preserving clause examples, so the model also knows short units of text.

    Every clause of a good reply is itself good (this teaches that a bare factual
    sentence, such as a timeline item, is fine). A clause where the phrase rule found the
    row's only tone/promise label is a positive for that rule (this teaches the model the
    offending sentence, not the pleasantries around it).
    """
    text = normalise(row["text"])
    parts = clauses(text)
    out: list[tuple[set[str], set[str], list[int]]] = []
    if good:
        if len(parts) > 1:
            out.extend((*grams(p.text), [0] * len(MODEL_RULES)) for p in parts)
        return out
    labels = [r for r in MODEL_RULES if r in row["labels"]]
    if len(labels) != 1 or len(parts) < 2:
        return out
    for v in violations:
        if v.rule == labels[0]:
            for p in parts:
                if p.start <= v.start < p.end:
                    y = [int(r == labels[0]) for r in MODEL_RULES]
                    out.append((*grams(p.text), y))
                    return out
    return out


def _covered_promise(row: dict[str, Any]) -> bool:
    """True when an approved commitment covers the text or one of its clauses."""
    approved = [c["text"] for c in row.get("commitments", []) if c.get("approved")]
    text = normalise(row["text"])
    return any(
        covers(c, part) for c in approved for part in (text, *(k.text for k in clauses(text)))
    )


def _identity(x: set[str]) -> list[str]:
    return sorted(x)


class Fitted:
    """Vocabularies and one logistic regression per rule, fitted on rows idx of data."""

    def __init__(
        self, data: Data, idx: np.ndarray, c: float = C, power: float = NORM_POWER
    ) -> None:
        self.power = power
        self.wv = CountVectorizer(analyzer=_identity, binary=True, min_df=MIN_DF)
        self.cv = CountVectorizer(analyzer=_identity, binary=True, min_df=MIN_DF)
        self.wv.fit([data.words[i] for i in idx])
        self.cv.fit([data.chars[i] for i in idx])
        extra = [e for i in idx for e in data.extra[i]] if AUG_WEIGHT > 0 else []
        x = self.matrix(data, idx)
        if extra:
            x = sp.vstack([x, self._rows([e[0] for e in extra], [e[1] for e in extra])]).tocsr()
        weight = np.concatenate([np.ones(len(idx)), np.full(len(extra), AUG_WEIGHT)])
        self.models = []
        for j in range(len(MODEL_RULES)):
            y = np.concatenate([data.yfit[idx, j], [e[2][j] for e in extra]]).astype(int)
            m = LogisticRegression(
                C=c, class_weight="balanced", solver="liblinear", random_state=SEED, max_iter=5000
            )
            m.fit(x, y, sample_weight=weight)
            self.models.append(m)

    def matrix(self, data: Data, idx: np.ndarray) -> Any:
        """Scaled binary features exactly as learned.ReplyModel computes them."""
        return self._rows([data.words[i] for i in idx], [data.chars[i] for i in idx])

    def _rows(self, words: Sequence[set[str]], chars: Sequence[set[str]]) -> Any:
        xw = self.wv.transform(words).astype(np.float64)
        xc = self.cv.transform(chars).astype(np.float64)
        # Scale by the number of distinct grams of the text (in vocabulary or not).
        sw = [scale(len(w), self.power) for w in words]
        sc = [scale(len(c), self.power) for c in chars]
        return sp.hstack([sp.diags(sw) @ xw, sp.diags(sc) @ xc]).tocsr()

    def logits(self, data: Data, idx: np.ndarray) -> np.ndarray:
        """(len(idx), rules) decision values from scikit-learn."""
        x = self.matrix(data, idx)
        return np.column_stack([m.decision_function(x) for m in self.models])

    def export(self, thresholds: Sequence[float], meta: dict[str, Any]) -> dict[str, Any]:
        """The artifact dict read by learned.ReplyModel (small weights pruned)."""
        nw = len(self.wv.vocabulary_)
        coef = np.vstack([m.coef_[0] for m in self.models])  # (rules, features)
        out: dict[str, Any] = {
            "format": FORMAT,
            "rules": list(MODEL_RULES),
            "bias": [round(float(m.intercept_[0]), DIGITS) for m in self.models],
            "threshold": [round(float(t), DIGITS) for t in thresholds],
            "norm_power": self.power,
            "meta": meta,
        }
        for key, vocab, offset in (("words", self.wv, 0), ("chars", self.cv, nw)):
            table: dict[str, list[float]] = {}
            for gram, col in sorted(vocab.vocabulary_.items()):
                w = coef[:, offset + col]
                if np.max(np.abs(w)) >= PRUNE:
                    table[gram] = [round(float(v), DIGITS) for v in w]
            out[key] = table
        return out


def _folds(data: Data, idx: np.ndarray, seed: int = SEED) -> list[tuple[np.ndarray, np.ndarray]]:
    strata = np.array([f"{data.source[i]}|{','.join(sorted(data.rows[i]['labels']))}" for i in idx])
    # Strata too small to spread over the folds are merged, so StratifiedKFold accepts them.
    counts = {s: int((strata == s).sum()) for s in set(strata)}
    strata = np.array([s if counts[s] >= FOLDS else "rare" for s in strata])
    skf = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    return [(idx[a], idx[b]) for a, b in skf.split(idx, strata)]


def choose_thresholds(scores: np.ndarray, y: np.ndarray, good: np.ndarray) -> list[float]:
    """Thresholds maximising summed recall with model-only false blocks <= FB_BUDGET."""
    ng = int(good.sum())
    budget = int(np.floor(FB_BUDGET * ng))
    cands: list[list[float]] = []
    for j in range(scores.shape[1]):
        g = np.sort(scores[good, j])[::-1]
        # k good rows allowed above the threshold: halfway between the k-th and (k+1)-th.
        cj = []
        for k in range(min(budget, len(g) - 1) + 1):
            cj.append(float(g[0] + 1.0) if k == 0 else float((g[k - 1] + g[k]) / 2))
        cands.append(cj)
    best: tuple[float, int, list[float]] | None = None
    for t0 in cands[0]:
        for t1 in cands[1]:
            flag = (scores[:, 0] >= t0) | (scores[:, 1] >= t1)
            fb = int((flag & good).sum())
            if fb > budget:
                continue
            rec = sum(float((scores[y[:, j] == 1, j] >= t).mean()) for j, t in enumerate((t0, t1)))
            if best is None or (rec, -fb) > (best[0], -best[1]):
                best = (rec, fb, [t0, t1])
    assert best is not None
    return best[2]


def fit_with_thresholds(
    data: Data, idx: np.ndarray, c: float = C, power: float = NORM_POWER
) -> tuple[Fitted, list[float]]:
    """Fit on idx; pick thresholds on inner out-of-fold scores of idx."""
    oof = np.zeros((len(idx), len(MODEL_RULES)))
    pos = {int(i): k for k, i in enumerate(idx)}
    for tr, te in _folds(data, idx, SEED + 1):
        fit = Fitted(data, tr, c, power)
        oof[[pos[int(i)] for i in te]] = fit.logits(data, te)
    thresholds = choose_thresholds(oof, data.yfit[idx], data.goodfit[idx])
    return Fitted(data, idx, c, power), thresholds


def model_flags(model: ReplyModel, data: Data, idx: np.ndarray) -> np.ndarray:
    """(len(idx), rules) 0/1: the runtime scorer's verdicts (commitments respected)."""
    out = np.zeros((len(idx), len(MODEL_RULES)), dtype=int)
    for k, i in enumerate(idx):
        row = data.rows[i]
        commitments = [Commitment(**c) for c in row.get("commitments", [])]
        got = {v.rule for v in model.find(normalise(row["text"]), commitments)}
        out[k] = [int(r in got) for r in MODEL_RULES]
    return out


@dataclass
class Tally:
    """Pooled counts for one system (rules-only, model-only or rules+model)."""

    pos: np.ndarray
    caught: np.ndarray
    good: int = 0
    blocked: int = 0

    def add(self, y: np.ndarray, flags: np.ndarray, good: np.ndarray, any_flag: np.ndarray) -> None:
        """Add one evaluation part."""
        self.pos += y.sum(axis=0)
        self.caught += (y & flags).sum(axis=0)
        self.good += int(good.sum())
        self.blocked += int((good & any_flag).sum())

    def line(self, name: str) -> str:
        """One row of the report table."""
        rec = " ".join(
            f"{r}={self.caught[j] / max(self.pos[j], 1):.3f} ({self.caught[j]}/{self.pos[j]})"
            for j, r in enumerate(MODEL_RULES)
        )
        fb = self.blocked / max(self.good, 1)
        return f"  {name:<12} {rec}  false-block={fb:.3f} ({self.blocked}/{self.good})"


def _tallies() -> dict[str, Tally]:
    z = len(MODEL_RULES)
    return {
        k: Tally(np.zeros(z, dtype=int), np.zeros(z, dtype=int))
        for k in ("rules-only", "model-only", "rules+model")
    }


def score_part(
    data: Data, fit: Fitted, thresholds: list[float], te: np.ndarray, tallies: dict[str, Tally]
) -> None:
    """Score the test rows te with the runtime scorer and add them to tallies."""
    model = ReplyModel(fit.export(thresholds, {}))
    mf = model_flags(model, data, te)
    y, good = data.y[te], data.good[te]
    rh, ra = data.rules_hit[te], data.rules_any[te]
    tallies["rules-only"].add(y, rh, good, ra)
    tallies["model-only"].add(y, mf, good, mf.any(axis=1))
    tallies["rules+model"].add(y, rh | mf, good, ra | mf.any(axis=1))


def cross_validate(
    data: Data, c: float = C, power: float = NORM_POWER
) -> dict[str, dict[str, Tally]]:
    """5-fold CV over all rows; tallies pooled overall and per source."""
    out = {k: _tallies() for k in ("all", "corpus", "tests")}
    for n, (tr, te) in enumerate(_folds(data, np.arange(len(data.rows)))):
        fit, th = fit_with_thresholds(data, tr, c, power)
        print(f"  fold {n + 1}/{FOLDS}: thresholds {[round(t, 3) for t in th]}", flush=True)
        score_part(data, fit, th, te, out["all"])
        for src in ("corpus", "tests"):
            score_part(data, fit, th, te[data.source[te] == src], out[src])
    return out


def leave_one_source_out(
    data: Data, c: float = C, power: float = NORM_POWER
) -> dict[str, dict[str, Tally]]:
    """Train on one source, score the other."""
    out = {}
    for held in ("corpus", "tests"):
        tr = np.flatnonzero(data.source != held)
        te = np.flatnonzero(data.source == held)
        fit, th = fit_with_thresholds(data, tr, c, power)
        tallies = _tallies()
        score_part(data, fit, th, te, tallies)
        out[f"train on {'tests' if held == 'corpus' else 'corpus'} -> score {held}"] = tallies
    return out


def _print(title: str, groups: dict[str, dict[str, Tally]]) -> None:
    print(title)
    for name, tallies in groups.items():
        print(f" {name}")
        for sysname, t in tallies.items():
            print(t.line(sysname))


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate (CV and leave-one-source-out) and write the artifact."""
    global AUG_WEIGHT  # read by Fitted; one run uses one value
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=ARTIFACT)
    ap.add_argument("--C", type=float, default=C, dest="c")
    ap.add_argument("--norm-power", type=float, default=NORM_POWER, dest="power")
    ap.add_argument("--aug-weight", type=float, default=AUG_WEIGHT, dest="aug")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--eval-only", action="store_true")
    mode.add_argument("--no-eval", action="store_true")
    args = ap.parse_args(argv)
    AUG_WEIGHT = args.aug
    t0 = time.perf_counter()
    data = load_data()
    print(
        f"rows: {len(data.rows)} (corpus={int((data.source == 'corpus').sum())}, "
        f"tests={int((data.source == 'tests').sum())}); good={int(data.good.sum())}; "
        + ", ".join(f"{r}={int(data.y[:, j].sum())}" for j, r in enumerate(MODEL_RULES))
    )
    if not args.no_eval:
        _print(
            f"{FOLDS}-fold cross-validation (C={args.c}):", cross_validate(data, args.c, args.power)
        )
        _print("leave-one-source-out:", leave_one_source_out(data, args.c, args.power))
    if not args.eval_only:
        fit, th = fit_with_thresholds(data, np.arange(len(data.rows)), args.c, args.power)
        meta = {
            "trained_by": "tools/train_guardrails.py",
            "rows": len(data.rows),
            "C": args.c,
            "norm_power": args.power,
            "aug_weight": args.aug,
            "min_df": MIN_DF,
            "fb_budget": FB_BUDGET,
            "seed": SEED,
        }
        artifact = fit.export(th, meta)
        text = json.dumps(artifact, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(
            f"wrote {args.out} ({len(text.encode()) / 1e6:.2f} MB, words={len(artifact['words'])},"
            f" chars={len(artifact['chars'])}, thresholds={artifact['threshold']})"
        )
    print(f"done in {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
