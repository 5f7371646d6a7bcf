"""Deterministic per-seed randomness, so a draft can be regenerated exactly."""

from __future__ import annotations

import hashlib
import random
import re

# What X and Instagram accept as a handle. A display name or a garbled handle (the airline
# file has "simuLate Flight") is not mentioned: the reply is threaded to the post anyway.
_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,30}")


def rng(seed: str, purpose: str) -> random.Random:
    """Return a Random seeded from (purpose, seed); not for security, only for varied wording."""
    digest = hashlib.sha256(f"{purpose}\x00{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def handle(author_handle: str) -> str:
    """Return the handle with exactly one leading "@" (empty string for none or an invalid one)."""
    bare = author_handle.strip().lstrip("@")
    return f"@{bare}" if _HANDLE.fullmatch(bare) else ""
