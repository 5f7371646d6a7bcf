"""Classifier behaviour on clear cases, masking, calibration and the public API."""

from __future__ import annotations

import json

import pytest

from crisisdesk.classify import (
    CATEGORIES,
    SEVERITIES,
    Classification,
    FeedbackInput,
    load_classifier,
)
from crisisdesk.classify.features import BRAND_TOKEN, MENTION_TOKEN, analyse, mask_text


@pytest.fixture(scope="module")
def clf():  # type: ignore[no-untyped-def]
    return load_classifier()


def c(clf, text: str, **kw) -> Classification:  # type: ignore[no-untyped-def]
    return clf.classify(FeedbackInput(text=text, **kw))


def test_load_is_cached(clf) -> None:  # type: ignore[no-untyped-def]
    assert load_classifier() is clf


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeAir my flight was cancelled and nobody will help me, worst experience ever",
        "@Shopco still no refund after 3 weeks, terrible customer service",
        "@united lost my bag AGAIN. ridiculous.",
    ],
)
def test_clear_negatives(clf, text: str) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, text, brand="Acme")
    assert r.sentiment == "negative"
    assert r.negative_score > 0.8
    assert r.needs_response


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeAir thank you so much, the crew was amazing and the flight was great!",
        "@Shopco love the new store, great service today :)",
    ],
)
def test_clear_positives(clf, text: str) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, text)
    assert r.sentiment == "positive"
    assert r.negative_score < 0.2
    assert not r.needs_response


def test_question_is_neutral_and_answered(clf) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, "@AcmeAir what time does the check-in desk open tomorrow?")
    assert r.sentiment == "neutral"
    assert r.needs_response and "question" in r.response_reason


def test_negation(clf) -> None:  # type: ignore[no-untyped-def]
    good = c(clf, "the service was good")
    not_good = c(clf, "the service was not good at all")
    assert not_good.negative_score > good.negative_score


def test_brand_and_mentions_are_masked() -> None:
    m = mask_text("@united United is united with @Delta #unitedairlines", ["United"])
    assert "united" not in m and "delta" not in m
    assert MENTION_TOKEN in m and BRAND_TOKEN in m


def test_brand_name_does_not_change_score(clf) -> None:  # type: ignore[no-untyped-def]
    a = c(clf, "Happy to fly United today", brand="United")
    b = c(clf, "Happy to fly Acme today", brand="Acme")
    assert a.negative_score == pytest.approx(b.negative_score, abs=1e-9)


def test_features_same_for_training_and_runtime() -> None:
    feats, toks, masked = analyse("I don't like delays!!!", ())
    assert "n:like" in feats and "!!" in toks and masked.endswith("!!")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my flight has been delayed 4 hours", "delays_cancellations"),
        ("you lost my luggage and my suitcase arrived broken", "baggage"),
        ("I was charged twice for the same order, fix my bill", "billing"),
        ("your app keeps crashing and I can't log in", "website_app"),
        ("a passenger was injured when the cart hit her", "safety"),
        ("the agent at the counter was so rude to me", "staff_service"),
    ],
)
def test_categories(clf, text: str, category: str) -> None:  # type: ignore[no-untyped-def]
    assert c(clf, text).category == category


def test_taxonomy_documented() -> None:
    from crisisdesk.classify import taxonomy

    assert taxonomy.__doc__ is not None
    for cat in CATEGORIES:
        assert f"| {cat} |" in taxonomy.__doc__
    assert {
        "delays_cancellations",
        "baggage",
        "booking_refunds",
        "staff_service",
        "product_quality",
        "safety",
        "billing",
        "other",
    } <= set(CATEGORIES)


@pytest.mark.parametrize(
    ("text", "kw", "sev", "reason"),
    [
        ("the pilot collapsed and a passenger was injured", {}, "SEV1", "safety"),
        ("I will sue you, my lawyer is on it", {}, "SEV2", "legal_threat"),
        ("this is racist, I was profiled by your staff", {}, "SEV2", "discrimination"),
        ("your data breach exposed my details", {}, "SEV2", "data_leak"),
        ("worst service ever, never again", {"followers": 250_000}, "SEV2", "high_reach_author"),
        ("worst service ever, never again", {"retweets": 5_000}, "SEV1", "viral"),
        ("worst service ever, never again", {}, "SEV3", "negative"),
        ("thanks, lovely trip", {}, "SEV4", None),
    ],
)
def test_severity(clf, text: str, kw: dict, sev: str, reason: str | None) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, text, **kw)
    assert r.severity == sev
    assert r.severity in SEVERITIES
    if reason:
        assert reason in r.severity_reasons


def test_to_dict_is_json_ready(clf) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, "call me at 415-555-2671, flight cancelled again")
    d = r.to_dict()
    json.dumps(d)
    assert set(d) == {
        "sentiment",
        "negative_score",
        "category",
        "severity",
        "severity_reasons",
        "troll_score",
        "troll_reasons",
        "pii",
        "needs_response",
        "response_reason",
    }
    assert d["pii"] == [{"kind": "phone", "start": 11, "end": 23}]
    assert 0.0 <= d["negative_score"] <= 1.0


def test_calibration_and_threshold_in_artifact(clf) -> None:  # type: ignore[no-untyped-def]
    assert 0.0 < clf.threshold < 1.0
    assert clf.model.meta["target_recall"] == 0.95


def test_empty_text(clf) -> None:  # type: ignore[no-untyped-def]
    r = c(clf, "")
    assert r.sentiment in ("negative", "neutral", "positive")
    assert r.pii == ()


def test_class_offsets_shift_only_the_argmax(clf) -> None:  # type: ignore[no-untyped-def]
    m = clf.model
    assert len(m.class_offsets) == 3 and m.class_offsets[0] == 0.0
    # equal probabilities: offsets decide; without offsets the first (negative) wins
    probs = (1 / 3, 1 / 3, 1 / 3)
    idx = m.sentiment_index(probs)
    assert idx == max(range(3), key=lambda i: (m.class_offsets[i], -i))
