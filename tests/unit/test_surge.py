"""Surge thresholds on synthetic streams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crisisdesk.incidents import surge


def _counts(start: datetime, per_bucket: list[int]) -> dict[str, int]:
    step = timedelta(minutes=surge.BUCKET_MINUTES)
    return {surge.bucket_of(start + step * i): n for i, n in enumerate(per_bucket) if n}


NOW = datetime(2015, 2, 22, 12, 7, tzinfo=UTC)


def _decide(brand: list[int], cat: list[int], severity: str = "SEV3") -> surge.SurgeDecision:
    base_start, window_start, _ = surge.bucket_range(NOW)
    first = datetime.fromisoformat(base_start + ":00+00:00")
    return surge.decide(
        severity=severity,
        category="baggage",
        brand_counts=_counts(first, brand),
        category_counts=_counts(first, cat),
        window_start=window_start,
    )


QUIET_DAY = [1] * 96  # four complaints an hour for a day


def test_bucket_keys_are_fifteen_minutes() -> None:
    assert surge.bucket_of(datetime(2015, 2, 22, 12, 44, 59, tzinfo=UTC)) == "2015-02-22T12:30"


def test_calm_stream_opens_nothing() -> None:
    d = _decide([*QUIET_DAY, 1, 2, 1, 1], [0] * 96 + [1, 0, 1, 0])
    assert not d.open


def test_brand_surge_opens_general_incident() -> None:
    d = _decide([*QUIET_DAY, 8, 9, 10, 9], [0] * 100)
    assert d.open and d.topic == "general"


def test_category_surge_opens_topic_incident() -> None:
    d = _decide([*QUIET_DAY, 3, 3, 4, 4], [0] * 96 + [3, 3, 4, 4])
    assert d.open and d.topic == "baggage"


def test_high_baseline_needs_a_bigger_surge() -> None:
    busy = [10] * 96  # 40/h normally
    assert not _decide([*busy, 10, 10, 10, 10], [0] * 100).open
    assert _decide([*busy, 30, 30, 30, 30], [0] * 100).open


def test_single_sev1_opens_on_its_own() -> None:
    d = _decide([0] * 99 + [1], [0] * 99 + [1], severity="SEV1")
    assert d.open and "SEV1" in d.reason
