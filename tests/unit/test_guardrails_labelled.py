"""The labelled reply set must meet the recall and false-block targets (CI fails on regression)."""

from __future__ import annotations

import pytest

from tests.bench.bench_guardrails import TARGET_FALSE_BLOCK, TARGET_RECALL, by_split, load


@pytest.fixture(scope="module")
def reports():  # type: ignore[no-untyped-def]
    return by_split(load())


def test_labelled_set_is_large_and_varied() -> None:
    rows = load()
    assert len(rows) >= 200
    labels = {label for row in rows for label in row["labels"]}
    assert {"pii", "tone", "promise", "troll"} <= labels
    assert sum(1 for r in rows if not r["labels"]) >= 100
    assert {"train", "heldout"} <= {r["split"] for r in rows} <= {"train", "heldout", "blind"}
    assert all(r["channel"] in ("public", "private") for r in rows)


@pytest.mark.parametrize("split", ["train", "heldout"])
@pytest.mark.parametrize("rule", ["pii", "tone", "promise", "troll"])
def test_recall_meets_target(reports, split: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    rep = reports[split]
    recall = rep.recall(rule)
    assert recall is not None
    assert recall >= TARGET_RECALL[rule], "\n".join(
        m for m in rep.misses if m.startswith(f"[{rule}]")
    )


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_false_block_rate(reports, split: str) -> None:  # type: ignore[no-untyped-def]
    rep = reports[split]
    assert rep.false_block_rate <= TARGET_FALSE_BLOCK, "\n".join(rep.blocked_good)
