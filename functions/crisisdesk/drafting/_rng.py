"""Deterministic per-seed randomness, so a draft can be regenerated exactly."""

from __future__ import annotations

import hashlib
import random


def rng(seed: str, purpose: str) -> random.Random:
    """Return a Random seeded from (purpose, seed); not for security, only for varied wording."""
    digest = hashlib.sha256(f"{purpose}\x00{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def handle(author_handle: str) -> str:
    """Return the handle with exactly one leading "@" (empty string for no handle)."""
    bare = author_handle.strip().lstrip("@")
    return f"@{bare}" if bare else ""
