"""Real-shaped platform webhook payloads, stored byte-for-byte as a platform would send them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parent


def load_event_bytes(name: str) -> bytes:
    """Raw bytes of fixture ``name`` ("x_dm" or "x_dm.json"): sign and verify these."""
    filename = name if name.endswith(".json") else f"{name}.json"
    return (EVENTS_DIR / filename).read_bytes()


def load_event(name: str) -> dict[str, Any]:
    """Fixture ``name`` parsed as a JSON object (a fresh copy on every call)."""
    data = json.loads(load_event_bytes(name))
    if not isinstance(data, dict):
        raise TypeError(f"fixture {name!r} is not a JSON object")
    return data
