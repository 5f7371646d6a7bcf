"""Deterministic identifiers: a retried write or start lands on the same id."""

from __future__ import annotations

import base64
import hashlib
import re

_ALNUM = re.compile(r"[^a-z0-9]+")


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def slug(text: str) -> str:
    """Lowercase alphanumeric slug (brand names in keys)."""
    return _ALNUM.sub("-", text.lower()).strip("-") or "unknown"


def incident_id(brand: str, topic: str, first_event_id: str) -> str:
    """Id of the incident a surge or severe item opens (also the execution name)."""
    return "INC-" + base64.b32encode(_digest("inc", brand, topic, first_event_id))[:10].decode()


def case_id(event_id: str) -> str:
    """Id of the individual care case of one feedback item."""
    return "CASE-" + base64.b32encode(_digest("case", event_id))[:10].decode()


def case_reference(owner_id: str, event_id: str) -> str:
    """The reference a customer quotes in the private channel: CD- and six characters."""
    return "CD-" + base64.b32encode(_digest("ref", owner_id, event_id))[:6].decode()
