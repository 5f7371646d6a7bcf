"""Replay payload builders: realistic, deterministic, and accepted by our own intake."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.webhooks import (
    normalise,
    parse_json_body,
    sign_meta,
    validate,
    validate_feedback_event,
    verify_meta,
)
from crisisdesk.webhooks.builders import (
    TWITTER_EPOCH_MS,
    encode_body,
    generic_payload_from_item,
    meta_payload_from_item,
    x_payload_from_item,
    x_time,
    x_user_id,
)

RECEIVED = datetime(2015, 2, 17, 8, 0, tzinfo=UTC)
BRAND_ID = "20536157"
PAGE = "104857291234567"
DATASET = Path("/work/shared/data/airline-tweets-2015.jsonl")

# Verbatim dataset lines: a short negative, a long one (> 140 characters) and an emoji one.
ITEMS: list[dict[str, Any]] = [
    {
        "id": "tw-08964",
        "created_at": "2015-02-16T23:43:02-08:00",
        "brand": "Delta",
        "author": "nesi_1992",
        "text": "@JetBlue is REALLY getting on my nerves !! 😡😡 #nothappy",
        "retweets": 0,
        "label": "negative",
        "label_confidence": 1.0,
        "negative_reason": "Can't Tell",
        "user_timezone": "Pacific Time (US & Canada)",
    },
    {
        "id": "tw-11834",
        "created_at": "2015-02-17T09:08:34-08:00",
        "brand": "US Airways",
        "author": "AndreybohdanY",
        "text": "@USAirways \nThat is not an excuse to have such a poor website Flight Booking "
        "Problems options! My yearly vacation is about to fall through, ubetter do smth!",
        "retweets": 3,
        "label": "negative",
        "label_confidence": 1.0,
        "negative_reason": "Flight Booking Problems",
        "user_timezone": None,
    },
]


def one(platform: str, payload: dict[str, Any]) -> dict[str, Any]:
    validate(platform, payload)
    # Through the bytes, as the replay tool will send them.
    events = normalise(
        platform, parse_json_body(encode_body(platform, payload)), received_at=RECEIVED
    )
    assert len(events) == 1
    validate_feedback_event(events[0])
    return events[0]


def test_x_tweet_payload() -> None:
    item = ITEMS[0]
    payload = x_payload_from_item(item, for_user_id=BRAND_ID)
    tweet = payload["tweet_create_events"][0]
    assert tweet["created_at"] == "Tue Feb 17 07:43:02 +0000 2015"
    assert tweet["id"] == int(tweet["id_str"]) > 2**53  # precision trap included, like X
    # Snowflake: the id encodes its creation time.
    assert (int(tweet["id_str"]) >> 22) + TWITTER_EPOCH_MS == 1424158982000
    assert tweet["user"]["screen_name"] == "nesi_1992"
    assert tweet["entities"]["hashtags"][0]["text"] == "nothappy"
    assert tweet["entities"]["user_mentions"][0]["screen_name"] == "JetBlue"
    event = one("x", payload)
    assert event["item_id"] == tweet["id_str"]
    assert event["brand"] == BRAND_ID
    assert event["text"] == item["text"]
    assert event["created_at"] == "2015-02-17T07:43:02Z"
    assert event["author"]["id"] == x_user_id("nesi_1992")
    assert event["author"]["handle"] == "nesi_1992"
    assert event["author"]["default_profile_image"] is False
    assert event["reach"] == {"retweets": 0, "likes": 0, "quotes": 0}


def test_x_payload_is_deterministic_and_ids_distinct() -> None:
    first = x_payload_from_item(ITEMS[0], for_user_id=BRAND_ID)
    assert first == x_payload_from_item(dict(ITEMS[0]), for_user_id=BRAND_ID)
    other = x_payload_from_item(ITEMS[1], for_user_id=BRAND_ID)
    ids = {p["tweet_create_events"][0]["id_str"] for p in (first, other)}
    assert len(ids) == 2
    assert x_user_id("NESI_1992") == x_user_id("nesi_1992")  # handles are case-insensitive


def test_x_long_text_is_truncated_with_extended_tweet() -> None:
    payload = x_payload_from_item(ITEMS[1], for_user_id=BRAND_ID)
    tweet = payload["tweet_create_events"][0]
    assert tweet["truncated"] is True
    assert len(tweet["text"]) == 140 and tweet["text"].endswith("…")
    event = one("x", payload)
    assert event["text"] == ITEMS[1]["text"]
    assert event["reach"]["retweets"] == 3


def test_x_brand_account_own_tweet_is_skipped() -> None:
    payload = x_payload_from_item(ITEMS[0], for_user_id=x_user_id("nesi_1992"))
    assert normalise("x", payload, received_at=RECEIVED) == []


def test_x_dm_payload() -> None:
    payload = x_payload_from_item(ITEMS[0], for_user_id=BRAND_ID, kind="dm")
    event = one("x", payload)
    assert event["kind"] == "dm"
    assert event["reply_target"]["private"] == {
        "channel": "x_dm",
        "recipient_id": x_user_id("nesi_1992"),
    }


def test_x_user_overrides_stage_a_fake_account() -> None:
    overrides = {
        "followers_count": 0,
        "default_profile_image": True,
        "created_at": x_time(RECEIVED),
    }
    payload = x_payload_from_item(ITEMS[0], for_user_id=BRAND_ID, user_overrides=overrides)
    author = one("x", payload)["author"]
    assert author["followers"] == 0
    assert author["default_profile_image"] is True
    assert author["account_created_at"] == "2015-02-17T08:00:00Z"


@pytest.mark.parametrize(
    ("platform", "kind"),
    [("facebook", "comment"), ("instagram", "comment"), ("messenger", "dm")],
)
def test_meta_payloads(platform: Any, kind: str) -> None:
    payload = meta_payload_from_item(ITEMS[0], page_id=PAGE, platform=platform)
    assert payload == meta_payload_from_item(ITEMS[0], page_id=PAGE, platform=platform)
    event = one("meta", payload)
    assert event["platform"] == platform and event["kind"] == kind
    assert event["brand"] == PAGE
    assert event["text"] == ITEMS[0]["text"]
    assert event["created_at"] == "2015-02-17T07:43:02Z"


def test_meta_comments_of_one_day_share_a_post() -> None:
    same_day = dict(ITEMS[0], id="tw-08963", author="someone_else")
    a = meta_payload_from_item(ITEMS[0], page_id=PAGE)["entry"][0]["changes"][0]["value"]
    b = meta_payload_from_item(same_day, page_id=PAGE)["entry"][0]["changes"][0]["value"]
    assert a["post_id"] == b["post_id"] and a["comment_id"] != b["comment_id"]
    assert a["comment_id"].split("_")[0] == a["post_id"].split("_")[1]


def test_meta_body_is_escaped_like_meta_and_signable() -> None:
    payload = meta_payload_from_item(ITEMS[0], page_id=PAGE)
    body = encode_body("meta", payload)
    assert body.isascii() and b"\\ud83d\\ude21" in body
    verify_meta(b"app-secret", body, sign_meta(b"app-secret", body))
    assert json.loads(body) == payload


def test_generic_payload() -> None:
    event = one("generic", generic_payload_from_item(ITEMS[0]))
    assert event["event_id"] == "generic:tw-08964"
    assert event["brand"] == "Delta"
    assert event["author"] == {"id": "nesi_1992", "handle": "nesi_1992"}
    assert event["created_at"] == "2015-02-17T07:43:02Z"


@pytest.mark.skipif(not DATASET.exists(), reason="shared dataset not available")
def test_whole_dataset_builds_unique_ids_and_valid_events() -> None:
    tweet_ids: set[str] = set()
    with DATASET.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            item = json.loads(line)
            payload = x_payload_from_item(item, for_user_id=BRAND_ID)
            tweet_ids.add(payload["tweet_create_events"][0]["id_str"])
            if n % 40 == 0:  # schema validation costs ~1 ms: a spread sample keeps this fast
                one("x", payload)
                one("meta", meta_payload_from_item(item, page_id=PAGE, platform="instagram"))
                one("generic", generic_payload_from_item(item))
    assert len(tweet_ids) == n + 1
