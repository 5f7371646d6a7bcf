"""Every acknowledgement and handoff drafted for the real airline file passes the guardrails.

A rule change that starts blocking crisisdesk's own drafts would send every reply in a surge
to the commander; this catches it on 8,059 real tweets (no network).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crisisdesk.classify import FeedbackInput, load_classifier
from crisisdesk.drafting import draft_acknowledgement, draft_handoff
from crisisdesk.guardrails import check_message
from crisisdesk.incidents.ids import case_reference

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "airline-tweets-2015.jsonl"
STRIDE = int(os.environ.get("CRISISDESK_DRAFT_STRIDE", "6"))


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not beside this checkout")
def test_every_drafted_reply_for_the_airline_file_passes() -> None:
    clf = load_classifier()
    blocked: list[str] = []
    drafted = 0
    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()][::STRIDE]
    for row in rows:
        cls = clf.classify(FeedbackInput(text=row["text"], id=row["id"], brand=row.get("brand")))
        if not cls.needs_response:
            continue
        handle = str(row.get("author") or "customer")
        ack = draft_acknowledgement(
            author_handle=handle, category=cls.category, text=row["text"], seed=str(row["id"])
        )
        ref = case_reference("INC-TEST", f"x:{row['id']}")
        private, note = draft_handoff(
            author_handle=handle, case_reference=ref, channel="x_dm", seed=str(row["id"])
        )
        for text, channel, kw in (
            (ack, "public", {"recipient_handle": handle}),
            (note, "public", {"recipient_handle": handle}),
            (private, "private", {"case_reference": ref}),
        ):
            drafted += 1
            result = check_message(text, channel=channel, **kw)  # type: ignore[arg-type]
            if not result.allowed:
                blocked.append(f"{channel}: {text} -> {[v.message for v in result.violations]}")
    assert drafted > 10_000 // STRIDE
    assert not blocked, "\n".join(blocked[:20])
