"""Payload validation and normalisation of every fixture into FeedbackEvents."""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from crisisdesk.webhooks import (
    PLATFORMS,
    PayloadInvalid,
    UnknownPlatform,
    load_schema,
    normalise,
    parse_json_body,
    validate,
    validate_feedback_event,
)
from crisisdesk.webhooks.normalise import format_path, parse_x_time, to_iso_utc
from tests.events import load_event, load_event_bytes

RECEIVED = datetime(2025, 5, 19, 14, 30, tzinfo=UTC)
BRAND_X = "2244994945"
PAGE = "104857291234567"
FEEDBACK_VALIDATOR = Draft202012Validator(load_schema("feedback_event"))

GOOD_FIXTURES = [
    ("x", "x_tweet_create", 1),
    ("x", "x_tweet_extended", 1),
    ("x", "x_dm", 1),
    ("x", "x_own_tweet", 0),
    ("meta", "meta_page_comment", 1),
    ("meta", "meta_instagram_comment", 1),
    ("meta", "meta_messenger", 1),
    ("meta", "meta_batch", 2),
    ("generic", "generic_item", 1),
    ("generic", "generic_batch", 2),
]


def run(platform: str, fixture: str) -> list[dict[str, Any]]:
    return normalise(platform, parse_json_body(load_event_bytes(fixture)), received_at=RECEIVED)


# --- schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PLATFORMS, "feedback_event"])
def test_schemas_are_valid_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["description"]
    Draft202012Validator.check_schema(schema)
    assert load_schema(f"{name}.schema.json") == schema


def test_load_schema_unknown() -> None:
    with pytest.raises(FileNotFoundError):
        load_schema("nope")


# --- every good fixture -------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "fixture", "count"), GOOD_FIXTURES)
def test_fixture_normalises_to_valid_feedback_events(
    platform: str, fixture: str, count: int
) -> None:
    validate(platform, load_event(fixture))
    events = run(platform, fixture)
    assert len(events) == count
    for event in events:
        errors = [e.message for e in FEEDBACK_VALIDATOR.iter_errors(event)]
        assert errors == []
        validate_feedback_event(event)
        assert event["event_id"] == f"{event['platform']}:{event['item_id']}"
        assert event["reply_target"]["platform"] == event["platform"]
        assert event["received_at"] == "2025-05-19T14:30:00Z"
        json.dumps(event)  # must travel through SQS as JSON


def test_feedback_schema_rejects_garbage() -> None:
    event = run("x", "x_tweet_create")[0]
    mutations: list[Callable[[dict[str, Any]], object]] = [
        lambda e: e.update(platform="myspace"),
        lambda e: e.update(created_at="2025-05-19T14:01:46+02:00"),  # not UTC
        lambda e: e.update(source="meta"),  # x platform from meta source
        lambda e: e.update(extra=1),
        lambda e: e["reply_target"]["private"].pop("recipient_id"),
        lambda e: e["author"].update(followers=-1),
    ]
    for mutate in mutations:
        broken = copy.deepcopy(event)
        mutate(broken)
        with pytest.raises(PayloadInvalid):
            validate_feedback_event(broken)


# --- X ------------------------------------------------------------------------------------


def test_x_tweet_fields() -> None:
    (event,) = run("x", "x_tweet_create")
    assert event["event_id"] == "x:1924828470154244105"
    assert event["source"] == "x" and event["kind"] == "post"
    assert event["brand"] == BRAND_X
    assert event["created_at"] == "2025-05-19T14:01:46Z"
    assert event["text"].startswith("@DeltaSky three hours")
    assert event["author"] == {
        "id": "1287334917441236992",
        "handle": "maria_flies",
        "name": "María Ortega",
        "followers": 412,
        "following": 388,
        "statuses": 5120,
        "account_created_at": "2015-03-03T17:12:08Z",
        "default_profile_image": False,
        "verified": False,
    }
    assert event["reach"] == {"retweets": 14, "likes": 37, "quotes": 2}
    assert event["in_reply_to"] is None
    assert event["reply_target"] == {
        "platform": "x",
        "public_reply_to": "1924828470154244105",
        "private": {"channel": "x_dm", "recipient_id": "1287334917441236992"},
    }


def test_x_uses_id_str_not_lossy_id() -> None:
    payload = load_event("x_tweet_create")
    tweet = payload["tweet_create_events"][0]
    # What a double-based parser on the way would have done to the numeric id.
    tweet["id"] = float(tweet["id"])
    assert int(tweet["id"]) != int(tweet["id_str"])
    (event,) = normalise("x", payload, received_at=RECEIVED)
    assert event["item_id"] == "1924828470154244105"


def test_x_id_str_survives_raw_bytes_exactly() -> None:
    raw = load_event_bytes("x_tweet_create")
    assert b'"id_str": "1924828470154244105"' in raw
    (event,) = run("x", "x_tweet_create")
    assert event["item_id"] == "1924828470154244105"


def test_x_extended_tweet_full_text_preferred() -> None:
    payload = load_event("x_tweet_extended")
    tweet = payload["tweet_create_events"][0]
    assert tweet["truncated"] and tweet["text"].endswith("…")
    (event,) = normalise("x", payload, received_at=RECEIVED)
    assert event["text"] == tweet["extended_tweet"]["full_text"]
    assert event["text"].endswith("not next week.")
    assert event["in_reply_to"] == "1925090000000000001"


def test_x_own_tweet_skipped() -> None:
    assert run("x", "x_own_tweet") == []


def test_x_dm_skips_own_and_maps_sender() -> None:
    (event,) = run("x", "x_dm")
    assert event["kind"] == "dm"
    assert event["item_id"] == "1924835522140655620"
    assert event["author"]["handle"] == "maria_flies"
    assert event["author"]["account_created_at"] == "2015-03-03T17:12:08Z"
    assert event["created_at"] == "2025-05-19T14:29:42Z"
    assert event["reply_target"]["public_reply_to"] is None
    assert event["reply_target"]["private"] == {
        "channel": "x_dm",
        "recipient_id": "1287334917441236992",
    }


def test_x_dm_without_users_map_still_answerable() -> None:
    payload = load_event("x_dm")
    del payload["users"]
    (event,) = normalise("x", payload, received_at=RECEIVED)
    assert event["author"] == {"id": "1287334917441236992", "handle": "1287334917441236992"}


def test_x_other_activity_is_ignored() -> None:
    payload = {"for_user_id": BRAND_X, "favorite_events": [{"id": "x"}]}
    assert normalise("x", payload, received_at=RECEIVED) == []


def test_x_time_parsing_handles_offsets() -> None:
    assert parse_x_time("Mon May 19 14:01:46 +0000 2025") == datetime(
        2025, 5, 19, 14, 1, 46, tzinfo=UTC
    )
    parsed = parse_x_time("Mon Feb 16 23:36:05 -0800 2015")
    assert to_iso_utc(parsed) == "2015-02-17T07:36:05Z"
    with pytest.raises(ValueError):
        parse_x_time("2025-05-19T14:01:46Z")


# --- Meta ---------------------------------------------------------------------------------


def test_meta_page_comment() -> None:
    (event,) = run("meta", "meta_page_comment")
    assert event["platform"] == "facebook" and event["source"] == "meta"
    assert event["kind"] == "comment"
    assert event["item_id"] == "1122334455667788_990011223344556"
    assert event["brand"] == PAGE
    assert event["text"].startswith("Mein Gepäck ist seit 3 Tagen verschwunden 😡")
    assert "https://example.com/ticket/4711" in event["text"]  # \/ unescaped
    assert event["author"] == {
        "id": "7012345678901234",
        "handle": "Jürgen Weiß",
        "name": "Jürgen Weiß",
    }
    assert event["created_at"] == "2025-05-19T14:20:11Z"
    assert event["in_reply_to"] == f"{PAGE}_1122334455667788"
    assert event["reply_target"] == {
        "platform": "facebook",
        "public_reply_to": "1122334455667788_990011223344556",
        "private": {
            "channel": "meta_private_reply",
            "comment_id": "1122334455667788_990011223344556",
            "page_id": PAGE,
            "deadline": "2025-05-26T14:20:11Z",
        },
    }


def test_meta_batch_iterates_every_entry_and_change() -> None:
    events = run("meta", "meta_batch")
    # entry 0: new comment kept; edit, the Page's own reply and a reaction skipped.
    # entry 1: reply comment kept; a status post is not a comment.
    assert [e["item_id"] for e in events] == [
        "1122334455667788_990011223344601",
        "1122334455667788_990011223344603",
    ]
    assert events[1]["in_reply_to"] == "1122334455667788_990011223344601"


def test_meta_comment_without_from_is_kept() -> None:
    payload = load_event("meta_page_comment")
    del payload["entry"][0]["changes"][0]["value"]["from"]
    (event,) = normalise("meta", payload, received_at=RECEIVED)
    assert event["author"] == {"id": "unknown", "handle": "unknown"}


def test_meta_comment_iso_created_time() -> None:
    payload = load_event("meta_page_comment")
    payload["entry"][0]["changes"][0]["value"]["created_time"] = "2025-05-19T14:20:11+0000"
    (event,) = normalise("meta", payload, received_at=RECEIVED)
    assert event["created_at"] == "2025-05-19T14:20:11Z"


def test_meta_instagram_comment() -> None:
    (event,) = run("meta", "meta_instagram_comment")
    assert event["platform"] == "instagram"
    assert event["event_id"] == "instagram:17865799348089039"
    assert event["brand"] == "17841400008460056"
    assert event["author"] == {"id": "232323232", "handle": "chloe.travels"}
    assert event["created_at"] == "2025-05-19T14:30:00Z"
    assert event["in_reply_to"] == "18023945817015123"
    assert event["reply_target"]["public_reply_to"] == "17865799348089039"
    assert event["reply_target"]["private"]["deadline"] == "2025-05-26T14:30:00Z"


def test_meta_instagram_reply_answers_top_level_comment() -> None:
    payload = load_event("meta_instagram_comment")
    payload["entry"][0]["changes"][0]["value"]["parent_id"] = "17865799348000001"
    (event,) = normalise("meta", payload, received_at=RECEIVED)
    assert event["reply_target"]["public_reply_to"] == "17865799348000001"
    assert event["reply_target"]["private"]["comment_id"] == "17865799348089039"


def test_meta_instagram_own_comment_skipped() -> None:
    payload = load_event("meta_instagram_comment")
    value = payload["entry"][0]["changes"][0]["value"]
    value["from"] = {"id": "17841400008460056", "username": "delta"}
    assert normalise("meta", payload, received_at=RECEIVED) == []


def test_meta_messenger_skips_echo_and_receipts() -> None:
    (event,) = run("meta", "meta_messenger")
    assert event["platform"] == "messenger" and event["kind"] == "dm"
    assert event["item_id"].startswith("m_AG5H")
    assert event["created_at"] == "2025-05-19T14:34:59Z"  # milliseconds epoch
    assert event["reply_target"] == {
        "platform": "messenger",
        "public_reply_to": None,
        "private": {"channel": "messenger", "recipient_id": "6712345098765432", "page_id": PAGE},
    }


def test_meta_instagram_dm() -> None:
    payload = load_event("meta_messenger")
    payload["object"] = "instagram"
    (event,) = normalise("meta", payload, received_at=RECEIVED)
    assert event["platform"] == "instagram" and event["kind"] == "dm"
    validate_feedback_event(event)


# --- generic ------------------------------------------------------------------------------


def test_generic_single_item() -> None:
    (event,) = run("generic", "generic_item")
    assert event["event_id"] == "generic:rv-20250519-0042"
    assert event["brand"] == "Delta"
    assert event["created_at"] == "2025-05-19T14:01:46Z"  # +02:00 converted to UTC
    assert event["reach"] == {"likes": 4, "retweets": 1}
    assert event["url"] == "https://reviews.example.com/r/rv-20250519-0042"
    assert event["reply_target"]["private"] == {"channel": "none"}


def test_generic_batch_defaults() -> None:
    events = run("generic", "generic_batch")
    assert events[1]["kind"] == "post" and events[1]["reach"] == {}
    assert "url" not in events[1]


# --- validation errors name the field -----------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "fixture", "message"),
    [
        (
            "x",
            "x_missing_id_str",
            "tweet_create_events[0].id_str: 'id_str' is a required property",
        ),
        (
            "meta",
            "meta_comment_missing_comment_id",
            "entry[0].changes[0].value.comment_id: 'comment_id' is a required property",
        ),
        ("meta", "meta_unknown_object", "object: 'whatsapp_business_account' is not one of"),
        ("generic", "generic_naive_time", "created_at: '2025-05-19 16:01:46' does not match"),
    ],
)
def test_validation_messages_name_the_field(platform: str, fixture: str, message: str) -> None:
    with pytest.raises(PayloadInvalid) as err:
        validate(platform, load_event(fixture))
    assert err.value.message.startswith(message)
    assert err.value.status == 400
    with pytest.raises(PayloadInvalid):
        normalise(platform, load_event(fixture), received_at=RECEIVED)


@pytest.mark.parametrize(
    ("platform", "payload", "prefix"),
    [
        ("x", [], "$: [] is not of type 'object'"),
        ("x", {}, "for_user_id: 'for_user_id' is a required property"),
        ("x", {"for_user_id": 2244994945}, "for_user_id: 2244994945 is not of type 'string'"),
        (
            "x",
            {
                "for_user_id": BRAND_X,
                "direct_message_events": [
                    {
                        "type": "message_create",
                        "created_timestamp": "1747664982114",
                        "message_create": {"sender_id": "1", "message_data": {"text": "hi"}},
                    }
                ],
            },
            "direct_message_events[0].id: 'id' is a required property",
        ),
        ("meta", {"object": "page", "entry": []}, "entry: [] should be non-empty"),
        (
            "generic",
            {"items": [{"id": "1", "text": "t", "author": {"id": "a"}}]},
            "items[0].created_at: 'created_at' is a required property",
        ),
    ],
)
def test_validation_paths(platform: str, payload: Any, prefix: str) -> None:
    with pytest.raises(PayloadInvalid) as err:
        validate(platform, payload)
    assert err.value.message.startswith(prefix), err.value.message


def test_validation_message_is_bounded() -> None:
    payload = load_event("generic_item")
    payload["text"] = 12345
    payload["brand"] = "x" * 50_000
    with pytest.raises(PayloadInvalid) as err:
        validate("generic", payload)
    assert len(err.value.message) <= 320


def test_invalid_dates_that_pass_the_pattern_name_the_field() -> None:
    payload = load_event("generic_item")
    payload["created_at"] = "2025-13-40T10:00:00Z"
    with pytest.raises(PayloadInvalid, match=r"^created_at: "):
        normalise("generic", payload, received_at=RECEIVED)
    tweet = load_event("x_tweet_create")
    tweet["tweet_create_events"][0]["created_at"] = "Mon Feb 31 14:01:46 +0000 2025"
    with pytest.raises(PayloadInvalid, match=r"^tweet_create_events\[0\]\.created_at: "):
        normalise("x", tweet, received_at=RECEIVED)


def test_unknown_platform() -> None:
    with pytest.raises(UnknownPlatform) as err:
        validate("myspace", {})
    assert err.value.status == 404
    with pytest.raises(UnknownPlatform):
        normalise("facebook", {}, received_at=RECEIVED)


def test_normalise_needs_aware_received_at() -> None:
    with pytest.raises(ValueError, match="naive"):
        normalise("generic", load_event("generic_item"), received_at=datetime(2025, 5, 19))
    other_zone = datetime(2025, 5, 19, 16, 30, tzinfo=timezone(timedelta(hours=2)))
    (event,) = normalise("generic", load_event("generic_item"), received_at=other_zone)
    assert event["received_at"] == "2025-05-19T14:30:00Z"


# --- JSON body parsing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", load_event_bytes("not_json"), b"\xff\xfe{}", b'{"a": NaN}', b"[1,]"]
)
def test_parse_json_body_rejects(body: bytes) -> None:
    with pytest.raises(PayloadInvalid, match=r"^body is not valid JSON: "):
        parse_json_body(body)


def test_parse_json_body_keeps_big_ints_exact() -> None:
    assert parse_json_body(b'{"id": 1924828470154244105}') == {"id": 1924828470154244105}


def test_format_path() -> None:
    assert format_path([]) == "$"
    assert format_path(["a", 0, "b", 2]) == "a[0].b[2]"
    assert format_path([3, "x"]) == "[3].x"


def test_validators_compiled_lazily_and_cached() -> None:
    # The package re-exports the normalise() function, which shadows the module attribute.
    module = importlib.import_module("crisisdesk.webhooks.normalise")
    module._validator.cache_clear()
    assert module._validator.cache_info().currsize == 0
    validate("generic", load_event("generic_item"))
    validate("generic", load_event("generic_item"))
    info = module._validator.cache_info()
    assert info.currsize == 1 and info.hits >= 1
