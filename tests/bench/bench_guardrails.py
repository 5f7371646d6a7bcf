"""Guardrail benchmark on the labelled reply set: recall per rule and false-block rate.

Splits: "train" (rules were tuned on it), "heldout" (written before the rules, by the same
author, so only partly blind) and "blind" (written after all tuning and never tuned on; its
first-pass misses are the honest estimate of how the rules do on unseen drafts).
Run: `.venv/bin/python -m tests.bench.bench_guardrails` (add PYTHONPATH=functions until installed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crisisdesk.guardrails import Commitment, GuardrailResult, check_message

LABELLED = Path(__file__).resolve().parent.parent / "guardrails" / "labelled_replies.jsonl"
RULES = ("pii", "tone", "promise", "troll")
TARGET_RECALL = {"pii": 0.98, "promise": 0.98, "tone": 0.95, "troll": 1.0}
TARGET_FALSE_BLOCK = 0.05


def load(path: Path = LABELLED) -> list[dict[str, Any]]:
    """Return the labelled rows (one JSON object per line)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_row(row: dict[str, Any]) -> GuardrailResult:
    """Run the guardrails on one labelled row; the recipient is the first @handle unless given."""
    first = re.search(r"@(\w+)", row["text"])
    recipient = row.get("recipient_handle", first.group(1) if first else None)
    return check_message(
        row["text"],
        channel=row["channel"],
        commitments=[Commitment(**c) for c in row.get("commitments", [])],
        recipient_handle=recipient,
        brand_handles=row.get("brand_handles", []),
        recipient_flagged=row.get("recipient_flagged", False),
        flag_reasons=row.get("flag_reasons", []),
        case_reference=row.get("case_reference"),
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


def evaluate(rows: Iterable[dict[str, Any]]) -> Report:
    """Score the guardrails on rows."""
    rep = Report()
    for row in rows:
        rep.rows += 1
        labels = set(row["labels"])
        got = check_row(row).rules()
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


SPLITS = ("train", "heldout", "blind")


def by_split(rows: list[dict[str, Any]]) -> dict[str, Report]:
    """Evaluate each split (train, heldout, blind) separately."""
    present = [s for s in SPLITS if any(r.get("split", "train") == s for r in rows)]
    return {s: evaluate(r for r in rows if r.get("split", "train") == s) for s in present}


def table(reports: dict[str, Report]) -> str:
    """Render the reports as a plain-text table."""
    lines = [
        f"{'split':<8} {'rule':<8} {'labelled':>8} {'caught':>6} {'recall':>7} "
        f"{'target':>7} {'extra':>6}"
    ]
    for split, rep in reports.items():
        for rule in RULES:
            rec = rep.recall(rule)
            rec_s = f"{rec:.3f}" if rec is not None else "-"
            lines.append(
                f"{split:<8} {rule:<8} {rep.positives[rule]:>8} {rep.caught[rule]:>6} {rec_s:>7} "
                f"{TARGET_RECALL[rule]:>7.2f} {rep.spurious[rule]:>6}"
            )
        lines.append(
            f"{split:<8} {'good':<8} {rep.good:>8} {'':>6} false-block {rep.false_block_rate:.3f} "
            f"({rep.false_blocks}/{rep.good}, target <= {TARGET_FALSE_BLOCK:.2f})"
        )
    lines.append(
        "extra = rule fired on a row not labelled with it (other violations may be present)"
    )
    return "\n".join(lines)


def main() -> int:
    """Print the benchmark table and the misses; return 0."""
    rows = load()
    reports = by_split(rows)
    print(
        f"labelled replies: {len(rows)} ({', '.join(f'{k}={v.rows}' for k, v in reports.items())})"
    )
    print(table(reports))
    for split, rep in reports.items():
        for line in rep.misses:
            print(f"MISS {split}: {line}")
        for line in rep.blocked_good:
            print(f"FALSE BLOCK {split}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
