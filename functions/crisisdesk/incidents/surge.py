"""Surge detection: when does negative feedback become an incident?

Negative items that need a response are counted per brand and per brand+category in
15-minute buckets of event time. An incident opens when, over the last hour:

* brand volume  >= max(BRAND_MIN, BRAND_RATIO x the brand's hourly baseline), or
* category volume >= max(CATEGORY_MIN, CATEGORY_RATIO x that category's hourly baseline),

where the baseline is the mean hourly count over the 24 hours before that hour (floored at
BASELINE_FLOOR so a quiet history cannot make three complaints a crisis). A single SEV1 item
(safety, legal threat, discrimination, data leak, health) opens one on its own. Everything
else that needs a response becomes an individual care case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

BUCKET_MINUTES = 15
WINDOW_BUCKETS = 4  # one hour
BASELINE_BUCKETS = 96  # 24 hours before the window
BRAND_MIN = 20
BRAND_RATIO = 2.5
CATEGORY_MIN = 10
CATEGORY_RATIO = 3.0
BASELINE_FLOOR = 2.0
ATTACH_WINDOW = timedelta(hours=3)  # feedback this close to an incident's last activity attaches
# A crisis is an episode: twelve hours after it opened an incident takes no new feedback, so a
# later surge opens its own incident instead of vanishing into a days-old one.
MAX_INCIDENT_SPAN = timedelta(hours=12)


@dataclass(frozen=True)
class SurgeDecision:
    """Whether to open an incident, on which topic, and why."""

    open: bool
    topic: str
    reason: str
    window_count: int
    baseline_hourly: float


def bucket_of(ts: datetime) -> str:
    """The 15-minute bucket key of an event time (UTC)."""
    ts = ts.astimezone(UTC)
    minute = ts.minute - ts.minute % BUCKET_MINUTES
    return ts.replace(minute=minute, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def bucket_range(ts: datetime) -> tuple[str, str, str]:
    """(first baseline bucket, first window bucket, current bucket) for an event time."""
    cur = ts.astimezone(UTC)
    step = timedelta(minutes=BUCKET_MINUTES)
    window_start = cur - step * (WINDOW_BUCKETS - 1)
    baseline_start = window_start - step * BASELINE_BUCKETS
    return bucket_of(baseline_start), bucket_of(window_start), bucket_of(cur)


def _split(counts: Mapping[str, int], window_start: str) -> tuple[int, float]:
    window = sum(n for b, n in counts.items() if b >= window_start)
    before = sum(n for b, n in counts.items() if b < window_start)
    hours = BASELINE_BUCKETS * BUCKET_MINUTES / 60
    return window, max(BASELINE_FLOOR, before / hours)


def decide(
    *,
    severity: str,
    category: str,
    brand_counts: Mapping[str, int],
    category_counts: Mapping[str, int],
    window_start: str,
) -> SurgeDecision:
    """Apply the documented thresholds to the counts that include the current item."""
    b_window, b_base = _split(brand_counts, window_start)
    c_window, c_base = _split(category_counts, window_start)
    if severity == "SEV1":
        return SurgeDecision(True, category, "severe item (SEV1)", c_window, c_base)
    c_threshold = max(CATEGORY_MIN, CATEGORY_RATIO * c_base)
    if category != "other" and c_window >= c_threshold:
        reason = f"{category} surge: {c_window} in 1h vs baseline {c_base:.1f}/h"
        return SurgeDecision(True, category, reason, c_window, c_base)
    b_threshold = max(BRAND_MIN, BRAND_RATIO * b_base)
    if b_window >= b_threshold:
        reason = f"brand surge: {b_window} in 1h vs baseline {b_base:.1f}/h"
        return SurgeDecision(True, "general", reason, b_window, b_base)
    return SurgeDecision(False, category, "below thresholds", b_window, b_base)
