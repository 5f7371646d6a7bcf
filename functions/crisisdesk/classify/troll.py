"""Troll / fake-account signals from text, account metadata and stream activity.

Each signal has a weight; ``troll_score`` combines them as a noisy-OR (1 - prod(1 - w)).
Profanity at a brand alone stays below the do-not-engage threshold: angry customers are
still customers. Harassment of people, threats, floods and bot-like accounts push it above.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from .keywords import Rule, TextView

TROLL_THRESHOLD = 0.7  # at or above: record, do not engage


@dataclass(frozen=True)
class AuthorActivity:
    """Stream context for one item (from DynamoDB in Lambda, from ``StreamTracker`` in the CLI)."""

    posts_last_hour: int = 0
    identical_text_recent: int = 0  # same normalised text seen recently from any author
    median_gap_seconds: float | None = None


_PROFANITY_RE = Rule(
    "profanity",
    r"\b(?:fuck\w*|fuuck\w*|fck\w*|fuk\w*|shit\w*|sh1t\w*|bitch\w*|assholes?|arseholes?|bastards?|cunts?|"
    r"dicks?|dickheads?|pricks?|wankers?|douche\w*|motherf\w*|stfu|gtfo|piss(?:ed)?|crap)\b",
)
_INSULT_RE = Rule(
    "insult",
    r"\b(?:idiots?|morons?|imbeciles?|stupid|dumb\w*|retard\w*|losers?|scum\w*|trash|garbage|"
    r"pathetic|worthless|clowns?|pigs?|whores?|sluts?|ugly|fat)\b",
)
_TARGET_RE = re.compile(
    r"\b(?:you|your|ur|u|ya|yourself|she|he|her|him|they|them|staff|agents?|employees?|"
    r"crew|pilots?|attendants?|ceo|manager|rep|representatives?|people|guy|girl|woman|man|lady)\b"
    r"|@\w+",
)
_THREAT_RE = Rule(
    "threat",
    r"\b(?:kill|shoot|stab|hurt|beat up|murder|burn down)\s+(?:you|u|ya|them|him|her|everyone|"
    r"your|the staff|that)\b|\b(?:hope|wish)\s+(?:you|u|he|she|they)\s+(?:die|dies|get hurt|rot)\b"
    r"|\bkys\b|\bkill yourself\b|\bi know where you live\b",
)
_MENTION_RE = re.compile(r"@\w+")
_SPAM_RE = Rule(
    "spam",
    r"\b(?:follow (?:me|back)|free followers|click here|dm me for|giveaway|promo code|"
    r"earn \$|work from home|crypto|bitcoin|onlyfans)\b",
)
_WS_RE = re.compile(r"\s+")
_NORM_STRIP_RE = re.compile(r"https?://\S+|@\w+|[^\w\s]")


def normalise_for_dedup(text: str) -> str:
    """Text key for copy-paste detection: no URLs, mentions, punctuation or case."""
    return _WS_RE.sub(" ", _NORM_STRIP_RE.sub(" ", text.lower())).strip()


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 (or Twitter ``created_at``) timestamp; naive times are taken as UTC."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def troll_signals(
    text: str | TextView,
    *,
    created_at: str | None = None,
    followers: int | None = None,
    following: int | None = None,
    statuses: int | None = None,
    account_created_at: str | None = None,
    default_profile_image: bool | None = None,
    verified: bool | None = None,
    activity: AuthorActivity | None = None,
) -> tuple[float, tuple[str, ...]]:
    """Return (troll_score in 0..1, reasons) for one item."""
    view = text if isinstance(text, TextView) else TextView(text)
    raw = view.text
    sig: list[tuple[str, float]] = []
    if view.keys:  # no rule trigger among the words: no text signal from the rules
        profane = _PROFANITY_RE.search(view)
        insult = _INSULT_RE.search(view)
        if _THREAT_RE.search(view):
            sig.append(("threat_or_abuse", 0.6))
        if (profane or insult) and _TARGET_RE.search(raw):
            sig.append(("harassment_at_people", 0.35 if profane and insult else 0.25))
        elif profane:
            sig.append(("profanity", 0.1))
    if raw.count("@") >= 5 and len(_MENTION_RE.findall(raw)) >= 5:
        sig.append(("mass_mentions", 0.3))
    if view.keys and _SPAM_RE.search(view):
        sig.append(("spam_phrases", 0.4))
    if not verified:
        age = _account_age_days(account_created_at, created_at)
        if age is not None and age < 7:
            sig.append(("new_account", 0.35))
        elif age is not None and age < 30:
            sig.append(("young_account", 0.15))
        if default_profile_image:
            sig.append(("default_profile_image", 0.15))
        if statuses is not None and statuses <= 5:
            sig.append(("empty_account", 0.2))
        if followers is not None and following is not None and followers <= 5 and following >= 200:
            sig.append(("follow_ratio", 0.2))
    if activity is not None:
        if activity.identical_text_recent >= 10:
            sig.append(("copy_paste_flood", 0.7))
        elif activity.identical_text_recent >= 3:
            sig.append(("copy_paste_flood", 0.5))
        if activity.posts_last_hour >= 30:
            sig.append(("bot_cadence", 0.5))
        elif activity.posts_last_hour >= 12:
            sig.append(("high_post_rate", 0.25))
        gap = activity.median_gap_seconds
        if gap is not None and gap < 15 and activity.posts_last_hour >= 5:
            sig.append(("bot_cadence_regular_gaps", 0.4))
    keep = 1.0
    for _, w in sig:
        keep *= 1.0 - w
    return round(1.0 - keep, 4), tuple(name for name, _ in sig)


def _account_age_days(account_created_at: str | None, created_at: str | None) -> float | None:
    acc = parse_time(account_created_at)
    if acc is None:
        return None
    ref = parse_time(created_at) or datetime.now(UTC)
    return (ref - acc).total_seconds() / 86400.0


class _Observable(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def author(self) -> str | None: ...
    @property
    def created_at(self) -> str | None: ...


class StreamTracker:
    """In-memory ``AuthorActivity`` provider (CLI, replays): one-hour sliding windows."""

    def __init__(self, window_seconds: float = 3600.0, max_keys: int = 200_000) -> None:
        self.window = window_seconds
        self.max_keys = max_keys
        self._author: dict[str, deque[float]] = {}
        self._text: dict[str, deque[float]] = {}
        self._clock = 0.0

    def _now(self, created_at: str | None) -> float:
        dt = parse_time(created_at)
        if dt is not None:
            self._clock = max(self._clock, dt.timestamp())
            return dt.timestamp()
        self._clock += 1.0  # no timestamp: one second per item, in arrival order
        return self._clock

    def _push(self, table: dict[str, deque[float]], key: str, t: float) -> deque[float]:
        q = table.get(key)
        if q is None:
            if len(table) >= self.max_keys:
                table.clear()
            q = table[key] = deque()
        q.append(t)
        while q and q[0] < t - self.window:
            q.popleft()
        return q

    def observe(self, item: _Observable) -> AuthorActivity:
        """Record one item and return the activity it was seen with (itself excluded from counts
        of identical texts, included in the author's posts)."""
        author = item.author
        t = self._now(item.created_at)
        same = self._push(self._text, normalise_for_dedup(item.text), t)
        if not author:
            return AuthorActivity(0, len(same) - 1, None)
        q = self._push(self._author, author.lower(), t)
        gaps = sorted(b - a for a, b in zip(q, list(q)[1:], strict=False))
        median = gaps[len(gaps) // 2] if gaps else None
        return AuthorActivity(len(q), len(same) - 1, median)
