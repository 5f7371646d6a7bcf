"""Build realistic platform webhook payloads from dataset lines, for replays and demos.

A dataset line (``data/airline-tweets-2015.jsonl``) has ``id`` ("tw-08965"), ``created_at``
(ISO 8601 with offset), ``brand``, ``author`` (handle), ``text`` and ``retweets``. Every id
is derived deterministically, so replaying the same line twice yields the same event ids
(and exercises deduplication) and profile numbers are stable between runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from .normalise import parse_x_time

TWITTER_EPOCH_MS = 1_288_834_974_657
"""Snowflake epoch: tweet ids encode their creation time from here."""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_URL = re.compile(r"https?://\S+")
_LEGACY_LIMIT = 140

MetaPlatform = Literal["facebook", "instagram", "messenger"]
XKind = Literal["post", "dm"]


def _digest(*parts: str) -> int:
    data = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def _number(item_id: str) -> int:
    # "tw-08965" -> 8965; ids without digits still get a stable number.
    digits = re.sub(r"\D", "", item_id)
    return int(digits) if digits else _digest("item", item_id) % 4_000_000


def _created(item: Mapping[str, Any]) -> datetime:
    created = datetime.fromisoformat(str(item["created_at"]))
    if created.tzinfo is None:
        raise ValueError(f"created_at has no UTC offset: {item['created_at']!r}")
    return created.astimezone(UTC)


def x_time(moment: datetime) -> str:
    """Format as X v1.1 ``"Mon May 19 14:01:46 +0000 2025"`` (locale-independent)."""
    utc = moment.astimezone(UTC)
    return f"{_DAYS[utc.weekday()]} {_MONTHS[utc.month - 1]} {utc:%d %H:%M:%S} +0000 {utc.year}"


def x_user_id(handle: str) -> str:
    """Deterministic 18-digit X user id for a handle (case-insensitive, like X handles)."""
    return str(_digest("x-user", handle.lower()) % (9 * 10**17) + 10**17)


def x_tweet_id(item_id: str, created_at: datetime) -> str:
    """Snowflake-shaped tweet id: creation time in the high bits, the dataset number below."""
    ms = int(created_at.timestamp() * 1000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (_number(item_id) & 0x3FFFFF))


def meta_user_id(handle: str) -> str:
    """Deterministic 16-digit page/Instagram-scoped user id for a handle."""
    return str(_digest("meta-user", handle.lower()) % (9 * 10**15) + 10**15)


def _meta_id(*parts: str) -> str:
    return str(_digest("meta", *parts) % (9 * 10**16) + 10**16)


def _entities(text: str) -> dict[str, Any]:
    return {
        "hashtags": [
            {"text": m.group(1), "indices": [m.start(), m.end()]} for m in _HASHTAG.finditer(text)
        ],
        "user_mentions": [
            {
                "screen_name": m.group(1),
                "name": m.group(1),
                "id": int(x_user_id(m.group(1))),
                "id_str": x_user_id(m.group(1)),
                "indices": [m.start(), m.end()],
            }
            for m in _MENTION.finditer(text)
        ],
        "urls": [
            {
                "url": m.group(0),
                "expanded_url": m.group(0),
                "display_url": m.group(0).split("://", 1)[1],
                "indices": [m.start(), m.end()],
            }
            for m in _URL.finditer(text)
        ],
        "symbols": [],
    }


def _x_user(handle: str, item: Mapping[str, Any]) -> dict[str, Any]:
    # Plausible, stable profile numbers: replays must not make ordinary customers look
    # like fresh fake accounts (0 followers, default avatar) to the troll scorer.
    seed = _digest("x-profile", handle.lower())
    user_id = x_user_id(handle)
    joined = datetime(2009, 1, 1, tzinfo=UTC) + timedelta(seconds=seed % (5 * 365 * 86400))
    return {
        "id": int(user_id),
        "id_str": user_id,
        "name": handle,
        "screen_name": handle,
        "location": None,
        "description": None,
        "url": None,
        "protected": False,
        "verified": False,
        "followers_count": 50 + seed % 4950,
        "friends_count": 50 + (seed >> 16) % 950,
        "listed_count": (seed >> 24) % 20,
        "favourites_count": (seed >> 32) % 5000,
        "statuses_count": 100 + (seed >> 40) % 19900,
        "created_at": x_time(joined),
        "time_zone": item.get("user_timezone"),
        "default_profile": False,
        "default_profile_image": False,
        "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{user_id}/normal.jpg",
    }


def x_payload_from_item(
    item: Mapping[str, Any],
    *,
    for_user_id: str,
    kind: XKind = "post",
    user_overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Account Activity payload for a dataset line: a mention tweet, or a DM when ``kind="dm"``.

    ``user_overrides`` replaces fields of the author's v1.1 user (e.g. to stage a fake account).
    """
    created = _created(item)
    text = str(item["text"])
    handle = str(item["author"])
    user = _x_user(handle, item) | dict(user_overrides or {})
    tweet_id = x_tweet_id(str(item["id"]), created)
    ms = int(created.timestamp() * 1000)
    if kind == "dm":
        brand_user = {
            "id": for_user_id,
            "screen_name": str(item["brand"]).replace(" ", ""),
            "name": str(item["brand"]),
            "protected": False,
            "verified": True,
        }
        sender = {
            "id": user["id_str"],
            "created_timestamp": str(int(parse_x_time(user["created_at"]).timestamp() * 1000)),
            "name": user["name"],
            "screen_name": user["screen_name"],
            "protected": user["protected"],
            "verified": user["verified"],
            "followers_count": user["followers_count"],
            "friends_count": user["friends_count"],
            "statuses_count": user["statuses_count"],
            "profile_image_url_https": user["profile_image_url_https"],
        }
        return {
            "for_user_id": for_user_id,
            "direct_message_events": [
                {
                    "type": "message_create",
                    "id": tweet_id,
                    "created_timestamp": str(ms),
                    "message_create": {
                        "target": {"recipient_id": for_user_id},
                        "sender_id": user["id_str"],
                        "message_data": {"text": text, "entities": _entities(text)},
                    },
                }
            ],
            "users": {user["id_str"]: sender, for_user_id: brand_user},
        }
    tweet: dict[str, Any] = {
        "created_at": x_time(created),
        "id": int(tweet_id),
        "id_str": tweet_id,
        "text": text,
        "source": '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>',
        "truncated": False,
        "in_reply_to_status_id": None,
        "in_reply_to_status_id_str": None,
        "in_reply_to_user_id": None,
        "in_reply_to_user_id_str": None,
        "in_reply_to_screen_name": None,
        "user": user,
        "geo": None,
        "coordinates": None,
        "place": None,
        "is_quote_status": False,
        "quote_count": 0,
        "reply_count": 0,
        "retweet_count": int(item.get("retweets") or 0),
        "favorite_count": 0,
        "entities": _entities(text),
        "favorited": False,
        "retweeted": False,
        "filter_level": "low",
        "lang": "en",
        "timestamp_ms": str(ms),
    }
    if len(text) > _LEGACY_LIMIT:
        # Longer posts arrive cut to 140 characters with the whole text in extended_tweet.
        tweet["truncated"] = True
        tweet["text"] = text[: _LEGACY_LIMIT - 1] + "…"
        tweet["extended_tweet"] = {
            "full_text": text,
            "display_text_range": [0, len(text)],
            "entities": tweet["entities"],
        }
        tweet["entities"] = _entities(tweet["text"])
    return {"for_user_id": for_user_id, "tweet_create_events": [tweet]}


def meta_payload_from_item(
    item: Mapping[str, Any],
    *,
    page_id: str,
    platform: MetaPlatform = "facebook",
) -> dict[str, Any]:
    """Meta webhook payload for a dataset line: a Page comment, an Instagram comment or a DM.

    ``page_id`` is the Page id (facebook, messenger) or Instagram professional account id.
    Comments attach to one brand post per UTC day, the way a crisis gathers under a post.
    """
    created = _created(item)
    seconds = int(created.timestamp())
    handle = str(item["author"])
    text = str(item["text"])
    user_id = meta_user_id(handle)
    post_key = (str(item["brand"]), created.date().isoformat())
    if platform == "messenger":
        ms = int(created.timestamp() * 1000)
        mid = "m_" + hashlib.sha256(f"mid\x1f{item['id']}".encode()).hexdigest()[:40]
        return {
            "object": "page",
            "entry": [
                {
                    "id": page_id,
                    "time": ms,
                    "messaging": [
                        {
                            "sender": {"id": user_id},
                            "recipient": {"id": page_id},
                            "timestamp": ms,
                            "message": {"mid": mid, "text": text},
                        }
                    ],
                }
            ],
        }
    if platform == "instagram":
        return {
            "object": "instagram",
            "entry": [
                {
                    "id": page_id,
                    "time": seconds,
                    "changes": [
                        {
                            "field": "comments",
                            "value": {
                                "from": {"id": user_id, "username": handle},
                                "media": {
                                    "id": _meta_id("ig-media", *post_key),
                                    "media_product_type": "FEED",
                                },
                                "id": _meta_id("ig-comment", str(item["id"])),
                                "text": text,
                            },
                        }
                    ],
                }
            ],
        }
    post_id = f"{page_id}_{_meta_id('fb-post', *post_key)}"
    comment_id = f"{post_id.split('_', 1)[1]}_{_meta_id('fb-comment', str(item['id']))}"
    return {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": seconds,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": user_id, "name": handle},
                            "post": {
                                "status_type": "mobile_status_update",
                                "is_published": True,
                                "id": post_id,
                            },
                            "message": text,
                            "post_id": post_id,
                            "comment_id": comment_id,
                            "created_time": seconds,
                            "item": "comment",
                            "parent_id": post_id,
                            "verb": "add",
                        },
                    }
                ],
            }
        ],
    }


def generic_payload_from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """Generic (Standard Webhooks) batch payload holding one dataset line."""
    handle = str(item["author"])
    return {
        "items": [
            {
                "id": str(item["id"]),
                "text": str(item["text"]),
                "author": {"id": handle.lower(), "handle": handle},
                "created_at": _created(item).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "brand": str(item["brand"]),
                "kind": "post",
                "reach": {"retweets": int(item.get("retweets") or 0)},
            }
        ]
    }


def encode_body(platform: str, payload: Mapping[str, Any]) -> bytes:
    """Serialise a payload the way the platform sends it (sign these exact bytes).

    Meta escapes non-ASCII as ``\\uXXXX`` and ``/`` as ``\\/``; X and generic send UTF-8.
    """
    if platform == "meta":
        return (
            json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
            .replace("/", "\\/")
            .encode("ascii")
        )
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
