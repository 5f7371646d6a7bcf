"""Drafting: acknowledgements, private handoffs and public updates that pass the guardrails.

Wording varies per seed (deterministically) so a surge of replies does not read as a bot.
"""

from __future__ import annotations

from crisisdesk.classify.taxonomy import CATEGORIES
from crisisdesk.drafting.acknowledge import X_MAX_CHARS, draft_acknowledgement
from crisisdesk.drafting.handoff import draft_care_close, draft_handoff
from crisisdesk.drafting.topics import normalise_category
from crisisdesk.drafting.update import draft_update

__all__ = [
    "CATEGORIES",
    "X_MAX_CHARS",
    "draft_acknowledgement",
    "draft_care_close",
    "draft_handoff",
    "draft_update",
    "normalise_category",
]
