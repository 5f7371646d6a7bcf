"""Validate platform webhook payloads and map them onto the one FeedbackEvent shape.

Schemas live in ``schemas/*.schema.json`` (JSON Schema 2020-12). Validators are compiled
on first use and cached, so importing this module in a Lambda cold start stays cheap.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .errors import PayloadInvalid, UnknownPlatform

FeedbackEvent = dict[str, Any]
"""A normalised item; its contract is ``schemas/feedback_event.schema.json``."""

PLATFORMS: tuple[str, ...] = ("x", "meta", "generic")
"""Webhook sources we accept; each has ``schemas/<platform>.schema.json``."""

META_PRIVATE_REPLY_WINDOW = timedelta(days=7)
"""Meta allows one private reply to a comment within 7 days of the comment."""

_MAX_MESSAGE = 300
_SCHEMA_PACKAGE = "crisisdesk.webhooks.schemas"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_X_TIME = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) "
    r"([+-])(\d{2})(\d{2}) (\d{4})"
)


# --- schemas and validation -----------------------------------------------------------------


def load_schema(name: str) -> dict[str, Any]:
    """Load a bundled schema by name: ``"x"`` or ``"x.schema.json"``."""
    filename = name if name.endswith(".json") else f"{name}.schema.json"
    resource = resources.files(_SCHEMA_PACKAGE).joinpath(filename)
    if not resource.is_file():
        raise FileNotFoundError(f"no bundled schema {filename!r}")
    return cast(dict[str, Any], json.loads(resource.read_text(encoding="utf-8")))


@functools.cache
def _validator(name: str) -> Any:
    # Compiled lazily and kept for the life of the Lambda container.
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def format_path(path: Iterable[str | int]) -> str:
    """Render a JSON path as ``a.b[0].c``; the document root is ``$``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


def _shorten(text: str) -> str:
    # Messages echo offending values, which may be long user text: keep responses and logs small.
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _describe(error: ValidationError) -> str:
    path: list[str | int] = list(error.absolute_path)
    if error.validator == "required":
        # jsonschema reports a missing key at its parent; name the key itself.
        for prop in error.validator_value:
            if error.message == f"{prop!r} is a required property":
                path.append(prop)
                break
    return f"{format_path(path)}: {_shorten(error.message)}"


def _check(schema_name: str, instance: Any) -> None:
    error = best_match(_validator(schema_name).iter_errors(instance))
    if error is not None:
        raise PayloadInvalid(_describe(error))


def validate(platform: str, payload: Any) -> None:
    """Validate a parsed webhook body; raise PayloadInvalid naming the offending field path."""
    if platform not in PLATFORMS:
        raise UnknownPlatform(f"unknown platform {platform!r}")
    _check(platform, payload)


def validate_feedback_event(event: Any) -> None:
    """Validate one FeedbackEvent (e.g. read back from SQS); raise PayloadInvalid."""
    _check("feedback_event", event)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json_body(body: bytes) -> Any:
    """Parse a raw request body; raise PayloadInvalid("body is not valid JSON: ...")."""
    if not body:
        raise PayloadInvalid("body is not valid JSON: empty body")
    try:
        # NaN/Infinity are Python extensions, not JSON: refuse them like any other platform would.
        return json.loads(body, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadInvalid(f"body is not valid JSON: {_shorten(str(exc))}") from None


# --- time helpers ----------------------------------------------------------------------------


def to_iso_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC, seconds precision: ``2025-05-19T14:01:46Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (e.g. datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_x_time(value: str) -> datetime:
    """Parse X v1.1 time ``"Mon May 19 14:01:46 +0000 2025"`` (locale-independent)."""
    match = _X_TIME.fullmatch(value)
    if match is None or match.group(1) not in _MONTHS:
        raise ValueError(f"not an X timestamp: {value!r}")
    month, day, hh, mm, ss, sign, oh, om, year = match.groups()
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    return datetime(
        int(year), _MONTHS[month], int(day), int(hh), int(mm), int(ss), tzinfo=timezone(offset)
    )


def _from_epoch(value: int | float) -> datetime:
    # Meta mixes seconds (page entry.time, created_time) and milliseconds (Messenger);
    # 1e11 seconds is the year 5138, so anything larger must be milliseconds.
    seconds = value / 1000 if value >= 100_000_000_000 else value
    return datetime.fromtimestamp(seconds, UTC)


def _parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp has no UTC offset: {value!r}")
    return parsed


def _field_time(path: str, value: Any) -> datetime:
    """Parse a platform timestamp (epoch, ISO or X format), naming ``path`` on failure."""
    try:
        if isinstance(value, bool):
            raise ValueError("boolean is not a timestamp")
        if isinstance(value, int | float):
            return _from_epoch(value)
        if isinstance(value, str):
            if value.isdigit():
                return _from_epoch(int(value))
            if _X_TIME.fullmatch(value):
                return parse_x_time(value)
            return _parse_iso(value)
        raise ValueError(f"unsupported timestamp {value!r}")
    except (ValueError, OverflowError, OSError) as exc:
        raise PayloadInvalid(f"{path}: {_shorten(str(exc))}") from None


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    # Optional FeedbackEvent fields are omitted rather than null: the schema types them strictly.
    if value is not None:
        target[key] = value


# --- normalisation ---------------------------------------------------------------------------


def normalise(
    platform: str, payload: Mapping[str, Any], *, received_at: datetime
) -> list[FeedbackEvent]:
    """Validate ``payload`` and return its FeedbackEvents (own echoes and non-feedback skipped)."""
    validate(platform, payload)
    received = to_iso_utc(received_at)
    if platform == "x":
        events = _normalise_x(payload, received)
    elif platform == "meta":
        events = _normalise_meta(payload, received)
    else:
        events = _normalise_generic(payload, received)
    return list(events)


def _x_author(user: Mapping[str, Any], path: str) -> dict[str, Any]:
    author: dict[str, Any] = {"id": user["id_str"], "handle": user["screen_name"]}
    _put(author, "name", user.get("name"))
    _put(author, "followers", user.get("followers_count"))
    _put(author, "following", user.get("friends_count"))
    _put(author, "statuses", user.get("statuses_count"))
    if user.get("created_at") is not None:
        created = _field_time(f"{path}.created_at", user["created_at"])
        author["account_created_at"] = to_iso_utc(created)
    _put(author, "default_profile_image", user.get("default_profile_image"))
    _put(author, "verified", user.get("verified"))
    return author


def _x_dm_author(sender_id: str, user: Mapping[str, Any] | None, path: str) -> dict[str, Any]:
    if not user:
        # The users map should hold the sender; without it we still know who to answer.
        return {"id": sender_id, "handle": sender_id}
    author: dict[str, Any] = {"id": sender_id, "handle": user["screen_name"]}
    _put(author, "name", user.get("name"))
    _put(author, "followers", user.get("followers_count"))
    _put(author, "following", user.get("friends_count"))
    _put(author, "statuses", user.get("statuses_count"))
    if user.get("created_timestamp") is not None:
        created = _field_time(f"{path}.created_timestamp", user["created_timestamp"])
        author["account_created_at"] = to_iso_utc(created)
    _put(author, "verified", user.get("verified"))
    return author


def _normalise_x(payload: Mapping[str, Any], received: str) -> Iterator[FeedbackEvent]:
    brand: str = payload["for_user_id"]
    for i, tweet in enumerate(payload.get("tweet_create_events", [])):
        path = f"tweet_create_events[{i}]"
        user = tweet["user"]
        if user["id_str"] == brand:
            continue  # our own tweets and replies come back through the same subscription
        # id_str, never id: ids exceed 2**53 and lose precision in any double-based parser.
        tweet_id: str = tweet["id_str"]
        extended = tweet.get("extended_tweet")
        text: str = tweet["text"]
        if isinstance(extended, Mapping) and isinstance(extended.get("full_text"), str):
            # text is cut at 140 characters with "…" when truncated; full_text is the post.
            text = extended["full_text"]
        reach: dict[str, int] = {}
        _put(reach, "retweets", tweet.get("retweet_count"))
        _put(reach, "likes", tweet.get("favorite_count"))
        _put(reach, "quotes", tweet.get("quote_count"))
        yield {
            "event_id": f"x:{tweet_id}",
            "platform": "x",
            "source": "x",
            "item_id": tweet_id,
            "kind": "post",
            "brand": brand,
            "text": text,
            "author": _x_author(user, f"{path}.user"),
            "created_at": to_iso_utc(_field_time(f"{path}.created_at", tweet["created_at"])),
            "in_reply_to": tweet.get("in_reply_to_status_id_str"),
            "url": f"https://x.com/{user['screen_name']}/status/{tweet_id}",
            "reach": reach,
            "reply_target": {
                "platform": "x",
                "public_reply_to": tweet_id,
                "private": {"channel": "x_dm", "recipient_id": user["id_str"]},
            },
            "received_at": received,
        }

    users: Mapping[str, Any] = payload.get("users", {})
    for i, dm in enumerate(payload.get("direct_message_events", [])):
        path = f"direct_message_events[{i}]"
        if dm["type"] != "message_create":
            continue
        create = dm["message_create"]
        sender: str = create["sender_id"]
        if sender == brand:
            continue  # DMs we sent are echoed to our own subscription
        yield {
            "event_id": f"x:{dm['id']}",
            "platform": "x",
            "source": "x",
            "item_id": dm["id"],
            "kind": "dm",
            "brand": brand,
            "text": create["message_data"]["text"],
            "author": _x_dm_author(sender, users.get(sender), f"users.{sender}"),
            "created_at": to_iso_utc(
                _field_time(f"{path}.created_timestamp", dm["created_timestamp"])
            ),
            "in_reply_to": None,
            "reach": {},
            "reply_target": {
                "platform": "x",
                "public_reply_to": None,
                "private": {"channel": "x_dm", "recipient_id": sender},
            },
            "received_at": received,
        }


def _meta_private_reply(comment_id: str, page_id: str, created: datetime) -> dict[str, Any]:
    return {
        "channel": "meta_private_reply",
        "comment_id": comment_id,
        "page_id": page_id,
        "deadline": to_iso_utc(created + META_PRIVATE_REPLY_WINDOW),
    }


def _meta_author(sender: Mapping[str, Any] | None, handle_key: str) -> dict[str, Any]:
    # Meta omits `from` for users who have not granted the app access; the comment
    # can still be answered through its comment_id.
    if not sender:
        return {"id": "unknown", "handle": "unknown"}
    author_id: str = sender["id"]
    handle = sender.get(handle_key) or sender.get("name") or author_id
    author: dict[str, Any] = {"id": author_id, "handle": handle}
    _put(author, "name", sender.get("name"))
    return author


def _facebook_comment(
    value: Mapping[str, Any], page_id: str, path: str, received: str
) -> FeedbackEvent | None:
    # Only new comments are new feedback; edits and removals of known ones are not.
    if value["item"] != "comment" or value["verb"] != "add":
        return None
    sender = value.get("from")
    if sender and sender.get("id") == page_id:
        return None  # the Page's own replies
    comment_id: str = value["comment_id"]
    created = _field_time(f"{path}.created_time", value["created_time"])
    return {
        "event_id": f"facebook:{comment_id}",
        "platform": "facebook",
        "source": "meta",
        "item_id": comment_id,
        "kind": "comment",
        "brand": page_id,
        "text": value.get("message", ""),
        "author": _meta_author(sender, "name"),
        "created_at": to_iso_utc(created),
        "in_reply_to": value.get("parent_id") or value.get("post_id"),
        "reach": {},
        "reply_target": {
            "platform": "facebook",
            "public_reply_to": comment_id,
            "private": _meta_private_reply(comment_id, page_id, created),
        },
        "received_at": received,
    }


def _instagram_comment(
    value: Mapping[str, Any], account_id: str, entry_time: Any, path: str, received: str
) -> FeedbackEvent | None:
    sender = value.get("from")
    if sender and sender.get("id") == account_id:
        return None  # the account's own replies
    comment_id: str = value["id"]
    parent: str | None = value.get("parent_id")
    media = value.get("media") or {}
    # The comment value carries no timestamp; the entry time is when it happened.
    created = _field_time(path, entry_time)
    return {
        "event_id": f"instagram:{comment_id}",
        "platform": "instagram",
        "source": "meta",
        "item_id": comment_id,
        "kind": "comment",
        "brand": account_id,
        "text": value["text"],
        "author": _meta_author(sender, "username"),
        "created_at": to_iso_utc(created),
        "in_reply_to": parent or media.get("id"),
        "reach": {},
        "reply_target": {
            "platform": "instagram",
            # Instagram only accepts replies on top-level comments: answer a reply in its thread.
            "public_reply_to": parent or comment_id,
            "private": _meta_private_reply(comment_id, account_id, created),
        },
        "received_at": received,
    }


def _meta_message(
    event: Mapping[str, Any], page_id: str, platform: str, path: str, received: str
) -> FeedbackEvent | None:
    message = event.get("message")
    if not isinstance(message, Mapping):
        return None  # delivery / read receipts, postbacks, reactions: not feedback
    sender: str = event["sender"]["id"]
    if message.get("is_echo") or sender == page_id:
        return None  # messages the Page sent
    mid: str = message["mid"]
    return {
        "event_id": f"{platform}:{mid}",
        "platform": platform,
        "source": "meta",
        "item_id": mid,
        "kind": "dm",
        "brand": page_id,
        "text": message.get("text", ""),
        # A page-scoped id is all Messenger gives; profile lookups are a separate API call.
        "author": {"id": sender, "handle": sender},
        "created_at": to_iso_utc(_field_time(f"{path}.timestamp", event["timestamp"])),
        "in_reply_to": None,
        "reach": {},
        "reply_target": {
            "platform": platform,
            "public_reply_to": None,
            "private": {"channel": "messenger", "recipient_id": sender, "page_id": page_id},
        },
        "received_at": received,
    }


def _normalise_meta(payload: Mapping[str, Any], received: str) -> Iterator[FeedbackEvent]:
    # Instagram DMs arrive as object "instagram" with messaging[]; Page DMs are Messenger.
    dm_platform = "instagram" if payload["object"] == "instagram" else "messenger"
    for e, entry in enumerate(payload["entry"]):
        owner: str = entry["id"]
        for c, change in enumerate(entry.get("changes", [])):
            path = f"entry[{e}].changes[{c}].value"
            event: FeedbackEvent | None = None
            if change["field"] == "feed":
                event = _facebook_comment(change["value"], owner, path, received)
            elif change["field"] == "comments":
                event = _instagram_comment(
                    change["value"], owner, entry["time"], f"entry[{e}].time", received
                )
            # Other fields (mentions, live_comments, ratings, ...) are not handled yet.
            if event is not None:
                yield event
        for m, message in enumerate(entry.get("messaging", [])):
            path = f"entry[{e}].messaging[{m}]"
            event = _meta_message(message, owner, dm_platform, path, received)
            if event is not None:
                yield event


def _normalise_generic(payload: Mapping[str, Any], received: str) -> Iterator[FeedbackEvent]:
    batch = "items" in payload
    items: list[Mapping[str, Any]] = payload["items"] if batch else [payload]
    for i, item in enumerate(items):
        prefix = f"items[{i}]." if batch else ""
        source_author = item["author"]
        author: dict[str, Any] = {"id": source_author["id"], "handle": source_author["handle"]}
        for key in ("name", "followers", "following", "statuses"):
            _put(author, key, source_author.get(key))
        if source_author.get("account_created_at") is not None:
            created = _field_time(
                f"{prefix}author.account_created_at", source_author["account_created_at"]
            )
            author["account_created_at"] = to_iso_utc(created)
        for key in ("default_profile_image", "verified"):
            _put(author, key, source_author.get(key))
        reach: dict[str, int] = {}
        for key in ("retweets", "likes", "quotes"):
            _put(reach, key, (item.get("reach") or {}).get(key))
        event: FeedbackEvent = {
            "event_id": f"generic:{item['id']}",
            "platform": "generic",
            "source": "generic",
            "item_id": item["id"],
            "kind": item.get("kind", "post"),
            "brand": item["brand"],
            "text": item["text"],
            "author": author,
            "created_at": to_iso_utc(_field_time(f"{prefix}created_at", item["created_at"])),
            "in_reply_to": item.get("in_reply_to"),
            "reach": reach,
            # No adapter can answer on an arbitrary listening source: handled by people.
            "reply_target": {
                "platform": "generic",
                "public_reply_to": None,
                "private": {"channel": "none"},
            },
            "received_at": received,
        }
        _put(event, "url", item.get("url"))
        yield event
