"""Troll / fake-account signals and the stream tracker."""

from __future__ import annotations

import pytest

from crisisdesk.classify import (
    TROLL_THRESHOLD,
    AuthorActivity,
    FeedbackInput,
    StreamTracker,
    load_classifier,
)
from crisisdesk.classify.troll import normalise_for_dedup, troll_signals


def test_clean_customer_complaint() -> None:
    score, reasons = troll_signals("my flight was cancelled, please help")
    assert score == 0.0 and reasons == ()


def test_profanity_at_brand_is_not_trolling() -> None:
    score, _ = troll_signals("this airline is shit")
    assert score < TROLL_THRESHOLD


def test_harassment_of_people() -> None:
    score, reasons = troll_signals("your agent is a fucking idiot")
    assert "harassment_at_people" in reasons and score > 0.2


def test_threat() -> None:
    _, reasons = troll_signals("I hope you die, I know where you live")
    assert "threat_or_abuse" in reasons


def test_account_metadata() -> None:
    score, reasons = troll_signals(
        "worst company ever",
        created_at="2024-05-02T10:00:00Z",
        account_created_at="2024-05-01T10:00:00Z",
        default_profile_image=True,
        statuses=1,
        followers=0,
        following=900,
    )
    assert {"new_account", "default_profile_image", "empty_account", "follow_ratio"} <= set(reasons)
    # account signals alone do not silence a complaint (people open accounts to complain)
    assert 0.5 < score < TROLL_THRESHOLD


def test_verified_accounts_skip_account_signals() -> None:
    _, reasons = troll_signals("hello", statuses=0, verified=True)
    assert "empty_account" not in reasons


def test_copy_paste_flood_and_cadence() -> None:
    score, reasons = troll_signals(
        "boycott now",
        activity=AuthorActivity(
            posts_last_hour=40, identical_text_recent=12, median_gap_seconds=5.0
        ),
    )
    assert {"copy_paste_flood", "bot_cadence", "bot_cadence_regular_gaps"} <= set(reasons)
    assert score >= 0.9


def test_stream_tracker_counts_identical_texts_and_rate() -> None:
    tr = StreamTracker()
    acts = [
        tr.observe(
            FeedbackInput(
                text=f"BOYCOTT acme!!! http://x.co/{i}",
                author=f"bot{i}",
                created_at=f"2024-05-01T10:00:{i:02d}Z",
            )
        )
        for i in range(5)
    ]
    assert [a.identical_text_recent for a in acts] == [0, 1, 2, 3, 4]
    same = [
        tr.observe(
            FeedbackInput(
                text=f"post {i}", author="spammer", created_at=f"2024-05-01T10:01:{i:02d}Z"
            )
        )
        for i in range(0, 50, 2)
    ]
    assert same[-1].posts_last_hour == 25
    assert same[-1].median_gap_seconds == pytest.approx(2.0)


def test_stream_tracker_window_expires() -> None:
    tr = StreamTracker(window_seconds=60)
    tr.observe(FeedbackInput(text="same", author="a", created_at="2024-05-01T10:00:00Z"))
    a = tr.observe(FeedbackInput(text="same", author="a", created_at="2024-05-01T10:05:00Z"))
    assert a.identical_text_recent == 0 and a.posts_last_hour == 1


def test_normalise_for_dedup() -> None:
    assert normalise_for_dedup("@a Boycott,  ACME!! http://t.co/x") == normalise_for_dedup(
        "@b boycott acme"
    )


def test_trolls_get_no_response() -> None:
    clf = load_classifier()
    r = clf.classify(
        FeedbackInput(
            text="you are all idiots",
            account_created_at="2024-05-01T00:00:00Z",
            created_at="2024-05-01T01:00:00Z",
            default_profile_image=True,
            statuses=0,
        ),
        AuthorActivity(identical_text_recent=20),
    )
    assert r.troll_score >= TROLL_THRESHOLD
    assert not r.needs_response and "troll" in r.response_reason
