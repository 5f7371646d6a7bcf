"""Guardrail benchmark on the labelled reply set: recall per rule and false-block rate.

Splits in labelled_replies.jsonl: "train" (rules were tuned on it), "heldout" (written before
the rules, by the same author, so only partly blind) and "blind-v1" (the first blind round:
its first-pass misses were reported, then the rules were tuned on it, so it is now seen).

blind_replies.jsonl is split "blind": 229 fresh drafts written before the second round of
rule changes and never tuned on. blind_baseline.json holds its one-off first measurement with
the earlier rules ("blind-before", the honest unseen figure); the live "blind" rows are that
same set re-measured after the changes, so they are now seen and flatter the rules.
Since the learned tone/promise model (crisisdesk.guardrails.learned) was added, check_message
is rules OR model, and the figures here are for that combination. The model is trained on
every row of these files (tools/train_guardrails.py), so these splits are all seen by it:
its honest figures are the trainer's cross-validated and leave-one-source-out ones.
`--rules-only` shows the phrase rules alone. `--extra PATH` also scores another JSONL file
(text, channel, labels; optional split, commitments, ...), e.g. a fresh blind set.
Run: `.venv/bin/python -m tests.bench.bench_guardrails [--extra PATH] [--rules-only]`
(add PYTHONPATH=functions until installed).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crisisdesk.guardrails import Commitment, GuardrailResult, check_message

DATA = Path(__file__).resolve().parent.parent / "guardrails"
LABELLED = DATA / "labelled_replies.jsonl"
BLIND = DATA / "blind_replies.jsonl"
BLIND_BASELINE = DATA / "blind_baseline.json"
RULES = ("pii", "tone", "promise", "troll")
TARGET_RECALL = {"pii": 0.98, "promise": 0.98, "tone": 0.95, "troll": 1.0}
TARGET_FALSE_BLOCK = 0.05


# The handle a reply is addressed to: at the start (after a greeting) or as a vocative
# (", @erin_c!"). Any other @handle in the text is someone else, as in the product, where
# the recipient is always known.
_ADDRESSED = re.compile(
    r"^\s*(?:(?:hi|hey|hello|dear|sorry|thanks|thank\s+you|morning|evening)(?:\s+there)?[,!]?\s+)?"
    r"@(?P<h>\w+)|"
    r",\s*@(?P<v>\w+)",
    re.I,
)


def load(path: Path = LABELLED) -> list[dict[str, Any]]:
    """Return the labelled rows (one JSON object per line)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_row(row: dict[str, Any], *, use_model: bool = True) -> GuardrailResult:
    """Run the guardrails on one labelled row; the recipient is the addressed @handle unless given.

    use_model=False runs the phrase rules alone (the "rules-only" baseline).
    """
    addressed = _ADDRESSED.search(row["text"])
    handle = (addressed.group("h") or addressed.group("v")) if addressed else None
    recipient = row.get("recipient_handle", handle)
    return check_message(
        row["text"],
        channel=row["channel"],
        commitments=[Commitment(**c) for c in row.get("commitments", [])],
        recipient_handle=recipient,
        brand_handles=row.get("brand_handles", []),
        recipient_flagged=row.get("recipient_flagged", False),
        flag_reasons=row.get("flag_reasons", []),
        case_reference=row.get("case_reference"),
        use_model=use_model,
    )


@dataclass
class Report:
    """Per-split counts and the rows that went wrong."""

    rows: int = 0
    positives: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    caught: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    spurious: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    good: int = 0
    false_blocks: int = 0
    misses: list[str] = field(default_factory=list)
    blocked_good: list[str] = field(default_factory=list)

    def recall(self, rule: str) -> float | None:
        """Share of rows labelled with rule on which rule fired (None when there are none)."""
        n = self.positives[rule]
        return self.caught[rule] / n if n else None

    @property
    def false_block_rate(self) -> float:
        """Share of good rows (no labels) that were blocked."""
        return self.false_blocks / self.good if self.good else 0.0


def evaluate(rows: Iterable[dict[str, Any]], *, use_model: bool = True) -> Report:
    """Score the guardrails on rows (use_model=False: phrase rules only)."""
    rep = Report()
    for row in rows:
        rep.rows += 1
        labels = set(row["labels"])
        got = check_row(row, use_model=use_model).rules()
        for rule in RULES:
            if rule in labels:
                rep.positives[rule] += 1
                if rule in got:
                    rep.caught[rule] += 1
                else:
                    rep.misses.append(f"[{rule}] {row['text']}")
            elif rule in got:
                rep.spurious[rule] += 1
        if not labels:
            rep.good += 1
            if got:
                rep.false_blocks += 1
                rep.blocked_good.append(f"[{','.join(sorted(got))}] {row['text']}")
    return rep


SPLITS = ("train", "heldout", "blind-v1", "blind")


def by_split(rows: list[dict[str, Any]], *, use_model: bool = True) -> dict[str, Report]:
    """Evaluate each split (train, heldout, blind) separately."""
    present = [s for s in SPLITS if any(r.get("split", "train") == s for r in rows)]
    return {
        s: evaluate((r for r in rows if r.get("split", "train") == s), use_model=use_model)
        for s in present
    }


def baseline_report(path: Path = BLIND_BASELINE) -> Report | None:
    """Return the recorded first measurement of the blind set ("blind-before"), if present."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    rep = Report(rows=int(data["rows"]))
    for rule, (caught, labelled) in data["recall"].items():
        rep.caught[rule] = int(caught)
        rep.positives[rule] = int(labelled)
    rep.false_blocks, rep.good = (int(n) for n in data["false_blocks"])
    return rep


def table(reports: dict[str, Report]) -> str:
    """Render the reports as a plain-text table."""
    w = max([8, *(len(s) for s in reports)])
    lines = [
        f"{'split':<{w}} {'rule':<8} {'labelled':>8} {'caught':>6} {'recall':>7} "
        f"{'target':>7} {'extra':>6}"
    ]
    for split, rep in reports.items():
        for rule in RULES:
            rec = rep.recall(rule)
            rec_s = f"{rec:.3f}" if rec is not None else "-"
            lines.append(
                f"{split:<{w}} {rule:<8} {rep.positives[rule]:>8} {rep.caught[rule]:>6} "
                f"{rec_s:>7} {TARGET_RECALL[rule]:>7.2f} {rep.spurious[rule]:>6}"
            )
        lines.append(
            f"{split:<{w}} {'good':<8} {rep.good:>8} {'':>6} false-block "
            f"{rep.false_block_rate:.3f} ({rep.false_blocks}/{rep.good}, "
            f"target <= {TARGET_FALSE_BLOCK:.2f})"
        )
    lines.append(
        "extra = rule fired on a row not labelled with it (other violations may be present)"
    )
    return "\n".join(lines)


def throughput(rows: list[dict[str, Any]], *, use_model: bool = True, rounds: int = 3) -> float:
    """check_message calls per second over rows (best of rounds, model already loaded)."""
    for row in rows[:5]:
        check_row(row, use_model=use_model)
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for row in rows:
            check_row(row, use_model=use_model)
        best = max(best, len(rows) / (time.perf_counter() - start))
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table and the misses; return 0."""
    ap = argparse.ArgumentParser(description="guardrail recall and false-block benchmark")
    ap.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="also score this JSONL file (text, channel, labels[, split])",
    )
    ap.add_argument("--rules-only", action="store_true", help="phrase rules without the model")
    ap.add_argument("--no-speed", action="store_true", help="skip the checks/s measurement")
    args = ap.parse_args(argv)
    use_model = not args.rules_only
    print(f"system: {'rules+model' if use_model else 'rules only'}")
    rows = load() + (load(BLIND) if BLIND.exists() else [])
    reports = by_split(rows, use_model=use_model)
    print(f"replies: {len(rows)} ({', '.join(f'{k}={v.rows}' for k, v in reports.items())})")
    before = baseline_report()
    shown = dict(reports)
    if before is not None and "blind" in shown:
        blind = shown.pop("blind")
        shown["blind-before"] = before
        shown["blind-after"] = blind
    extras: dict[str, Report] = {}
    for path in args.extra:
        extra_rows = load(path)
        name = path.stem
        extras[name] = evaluate(extra_rows, use_model=use_model)
        # A split field, when present, is reported too (as "file:split").
        splits = sorted({str(r["split"]) for r in extra_rows if "split" in r})
        if len(splits) > 1:
            for sp in splits:
                extras[f"{name}:{sp}"] = evaluate(
                    (r for r in extra_rows if str(r.get("split")) == sp), use_model=use_model
                )
    print(table({**shown, **extras}))
    if not args.no_speed:
        speed = throughput(rows, use_model=use_model)
        print(f"speed: {speed:.0f} checks/s (single process, every row, best of 3)")
    print("blind-before: first measurement, earlier rules (unseen); blind-after: now seen")
    for split, rep in {**reports, **extras}.items():
        for line in rep.misses:
            print(f"MISS {split}: {line}")
        for line in rep.blocked_good:
            print(f"FALSE BLOCK {split}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
