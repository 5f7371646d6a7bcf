"""Replay dataset lines as signed platform webhooks against a running API."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from crisisdesk.webhooks.builders import (
    encode_body,
    generic_payload_from_item,
    meta_payload_from_item,
    x_payload_from_item,
    x_user_id,
)
from crisisdesk.webhooks.verify import sign_meta, sign_standard, sign_x

# The brands' own handles on the platforms (the dataset names the brand, not the account).
BRAND_HANDLES = {
    "US Airways": "USAirways",
    "Delta": "JetBlue",  # the dataset's "Delta" tweets are addressed to @JetBlue
    "Southwest": "SouthwestAir",
    "Virgin America": "VirginAmerica",
}


class ReplayError(Exception):
    """A replay input or the API is not usable."""


def brand_account(brand: str) -> str:
    """The X account id the replay uses for a brand."""
    return x_user_id(BRAND_HANDLES.get(brand, brand.replace(" ", "")))


def brand_accounts_json() -> str:
    """The local 'brand_accounts' setting: account id -> brand name, for every known brand."""
    mapping = {brand_account(b): b for b in BRAND_HANDLES}
    mapping.update({f"page-{brand_account(b)}": b for b in BRAND_HANDLES})
    return json.dumps(mapping, sort_keys=True)


def read_items(
    path: Path, *, brand: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """Dataset lines filtered by brand and created_at range (ISO prefixes compare as text)."""
    items = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise ReplayError(f"cannot read {path}: {e.strerror}") from e
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as e:
                raise ReplayError(f"{path}:{n}: not valid JSON ({e})") from e
            for key in ("id", "created_at", "text", "author"):
                if key not in item:
                    raise ReplayError(f"{path}:{n}: missing '{key}'")
            if brand and item.get("brand") != brand:
                continue
            if since and item["created_at"] < since:
                continue
            if until and item["created_at"] >= until:
                continue
            items.append(item)
    return items


@dataclass
class Signed:
    """One signed webhook request."""

    platform: str
    body: bytes
    headers: dict[str, str]


def sign_item(item: Mapping[str, Any], platform: str, secrets: Mapping[str, str]) -> Signed:
    """Build the platform's payload for a dataset line and sign it as that platform would."""
    brand = str(item.get("brand") or "unknown")
    if platform == "x":
        payload = x_payload_from_item(item, for_user_id=brand_account(brand))
        body = encode_body("x", payload)
        sig = sign_x(secrets["x_consumer_secret"].encode(), body)
        return Signed("x", body, {"x-twitter-webhooks-signature": sig})
    if platform == "meta":
        payload = meta_payload_from_item(item, page_id=f"page-{brand_account(brand)}")
        body = encode_body("meta", payload)
        sig = sign_meta(secrets["meta_app_secret"].encode(), body)
        return Signed("meta", body, {"X-Hub-Signature-256": sig})
    if platform == "generic":
        payload = generic_payload_from_item(item)
        body = encode_body("generic", payload)
        ts = int(time.time())
        msg_id = f"msg_{item['id']}"
        sig = sign_standard(secrets["generic_webhook_secret"], msg_id, ts, body)
        return Signed(
            "generic",
            body,
            {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sig},
        )
    raise ReplayError(f"unknown platform '{platform}' (x, meta or generic)")


def post(api: str, signed: Signed, timeout: float = 10.0) -> tuple[int, str]:
    """POST one signed webhook; return (status, body)."""
    req = urllib.request.Request(  # noqa: S310 - the URL is the user's own API
        f"{api.rstrip('/')}/webhooks/{signed.platform}",
        data=signed.body,
        method="POST",
        headers={"Content-Type": "application/json", **signed.headers},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except urllib.error.URLError as e:
        raise ReplayError(f"API at {api} is not reachable: {e.reason}") from e


@dataclass
class ReplayStats:
    """What a replay sent and how the API answered."""

    sent: int = 0
    accepted: int = 0
    rejected: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


def _progress(out: TextIO, done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(1e-6, time.monotonic() - started)
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:6.0f}/s")
    out.flush()


def _pace(items: Iterable[Mapping[str, Any]], speed: float) -> Iterator[Mapping[str, Any]]:
    """Yield items at event-time pace divided by speed (0 = as fast as possible)."""
    first_event: datetime | None = None
    start = time.monotonic()
    for item in items:
        if speed > 0:
            at = datetime.fromisoformat(str(item["created_at"]))
            first_event = first_event or at
            due = start + (at - first_event).total_seconds() / speed
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        yield item


def replay(
    api: str,
    items: list[dict[str, Any]],
    *,
    platform: str,
    secrets: Mapping[str, str],
    speed: float = 0.0,
    progress: TextIO | None = sys.stderr,
) -> ReplayStats:
    """Sign and POST every item in time order; count how the API answered."""
    stats = ReplayStats()
    started = time.monotonic()
    for item in _pace(items, speed):
        status, body = post(api, sign_item(item, platform, secrets))
        stats.sent += 1
        if status == 200:
            stats.accepted += int(json.loads(body).get("accepted", 0))
        else:
            stats.rejected[status] = stats.rejected.get(status, 0) + 1
        if progress is not None and (stats.sent % 25 == 0 or stats.sent == len(items)):
            _progress(progress, stats.sent, len(items), started)
    if progress is not None:
        progress.write("\n")
    stats.seconds = time.monotonic() - started
    return stats
