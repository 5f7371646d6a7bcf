"""How often an open incident's workflow wakes up: acknowledgements do not wait for updates.

Public updates go out on the incident's cadence (30-60 minutes), but a customer who joins a
pile-on must be answered promptly, so the workflow wakes every tick to acknowledge and hand
off newcomers and drafts an update only when one is due.
"""

from __future__ import annotations

ACK_TICK_SECONDS = 120


def tick_for(cadence_seconds: int) -> int:
    """Seconds between wake-ups: the acknowledgement tick, or the cadence when shorter."""
    return max(1, min(int(cadence_seconds), ACK_TICK_SECONDS))
