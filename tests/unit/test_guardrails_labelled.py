"""The labelled reply set must meet the recall and false-block targets (CI fails on regression)."""

from __future__ import annotations

import pytest

from tests.bench.bench_guardrails import (
    BLIND,
    TARGET_FALSE_BLOCK,
    TARGET_RECALL,
    baseline_report,
    by_split,
    evaluate,
    load,
)

# Splits the rules were tuned on (blind-v1 was blind once; it has been tuned on since).
TUNED_SPLITS = ["train", "heldout", "blind-v1"]


@pytest.fixture(scope="module")
def reports():  # type: ignore[no-untyped-def]
    return by_split(load())


def test_labelled_set_is_large_and_varied() -> None:
    rows = load()
    assert len(rows) >= 200
    labels = {label for row in rows for label in row["labels"]}
    assert {"pii", "tone", "promise", "troll"} <= labels
    assert sum(1 for r in rows if not r["labels"]) >= 100
    assert {"train", "heldout"} <= {r["split"] for r in rows} <= {"train", "heldout", "blind-v1"}
    assert all(r["channel"] in ("public", "private") for r in rows)


@pytest.mark.parametrize("split", TUNED_SPLITS)
@pytest.mark.parametrize("rule", ["pii", "tone", "promise", "troll"])
def test_recall_meets_target(reports, split: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    rep = reports[split]
    recall = rep.recall(rule)
    if recall is None and split == "blind-v1":
        pytest.skip(f"no {rule} rows in {split}")
    assert recall is not None
    assert recall >= TARGET_RECALL[rule], "\n".join(
        m for m in rep.misses if m.startswith(f"[{rule}]")
    )


@pytest.mark.parametrize("split", TUNED_SPLITS)
def test_false_block_rate(reports, split: str) -> None:  # type: ignore[no-untyped-def]
    rep = reports[split]
    assert rep.false_block_rate <= TARGET_FALSE_BLOCK, "\n".join(rep.blocked_good)


def test_blind_set_is_separate_and_varied() -> None:
    """The blind set is a separate file, never merged into the tuning data."""
    blind = load(BLIND)
    assert len(blind) >= 150
    assert sum(1 for r in blind if not r["labels"]) >= 60
    assert {r["split"] for r in blind} == {"blind"}
    assert {"pii", "tone", "promise"} <= {label for r in blind for label in r["labels"]}
    seen = {r["text"] for r in load()}
    assert not [r["text"] for r in blind if r["text"] in seen]


def test_blind_set_does_not_regress_below_first_measurement() -> None:
    """Only a floor: the blind set is not a tuning target (first figures: blind_baseline.json)."""
    before = baseline_report()
    assert before is not None
    now = evaluate(load(BLIND))
    for rule in ("pii", "tone", "promise"):
        was, got = before.recall(rule), now.recall(rule)
        assert was is not None and got is not None and got >= was, rule
    assert now.false_block_rate <= max(before.false_block_rate, TARGET_FALSE_BLOCK)
