"""The post-crisis review, built from the stored records (never from memory)."""

from __future__ import annotations

import html
from collections import Counter
from datetime import datetime
from typing import Any

from crisisdesk.incidents.repo import IncidentRepo


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def build_post_mortem(repo: IncidentRepo, owner_id: str) -> dict[str, Any]:
    """Figures, timeline highlights, root causes and action items of one incident."""
    owner = repo.get(owner_id)
    entries = repo.timeline(owner_id).entries()
    kinds = Counter(e.kind for e in entries)
    categories: Counter[str] = Counter()
    dispositions: Counter[str] = Counter()
    needs = covered = 0
    for link in repo.members(owner_id):
        categories[str(link.get("category"))] += 1
        fb = repo.feedback(str(link["event_id"]))
        if fb is None:
            continue
        dispositions[str(fb.get("disposition"))] += 1
        if fb["classification"].get("needs_response"):
            needs += 1
            covered += fb.get("disposition") in ("acknowledged", "recorded")
    opened = _parse(str(owner["opened_at"]))
    first_ack = next((e for e in entries if e.kind == "acknowledged"), None)
    first_response_s = (
        round((_parse(first_ack.at) - opened).total_seconds(), 1) if first_ack else None
    )
    notes = [e.data for e in entries if e.kind == "note"]
    root_causes = [str(n["text"]) for n in notes if n.get("category") == "root_cause"]
    action_items = [str(n["text"]) for n in notes if n.get("category") == "action_item"]
    resolved = next((e for e in entries if e.kind == "resolved"), None)
    chain = repo.timeline(owner_id).verify()
    summary = (
        f"{owner['title']} ({owner.get('severity')}): {int(owner.get('feedback_count', 0))} items, "
        f"{kinds['acknowledged']} acknowledged, {kinds['handed_off']} handed off, "
        f"{kinds['update_published']} public update(s), {kinds['approval_lapsed']} lapsed "
        f"approval(s); {covered}/{needs} items needing a response answered or recorded"
    )
    return {
        "summary": summary,
        "incident": owner_id,
        "title": owner["title"],
        "severity": owner.get("severity"),
        "trigger": owner.get("trigger"),
        "opened_at": owner["opened_at"],
        "resolved_at": resolved.at if resolved else None,
        "first_response_seconds": first_response_s,
        "feedback_by_category": dict(categories),
        "dispositions": dict(dispositions),
        "needs_response": needs,
        "answered_or_recorded": covered,
        "messages": {
            k: kinds[k]
            for k in (
                "acknowledged",
                "handed_off",
                "update_published",
                "not_engaged",
                "duplicate_author",
            )
        },
        "blocked_by_guardrails": sum(v for k, v in kinds.items() if k.endswith("_blocked")),
        "approvals_lapsed": kinds["approval_lapsed"],
        "step_failures": kinds["step_failed"],
        "commitments": [
            {"text": c["text"], "approved": c["approved"]} for c in repo.commitments(owner_id)
        ],
        "root_causes": root_causes or ["not yet recorded: add with `crisisdesk note --root-cause`"],
        "action_items": action_items,
        "resolution": owner.get("resolution_summary"),
        "timeline_verified": chain.ok,
    }


def render_markdown(report: dict[str, Any]) -> str:
    """A readable post-mortem (user-supplied text escaped for HTML-rendering viewers)."""
    e = html.escape
    lines = [
        f"# Post-crisis review: {e(str(report['title']))}",
        "",
        e(str(report["summary"])),
        "",
        f"- Severity: {report['severity']} - trigger: {e(str(report['trigger']))}",
        f"- Opened {report['opened_at']}, resolved {report['resolved_at']}",
        f"- First response after {report['first_response_seconds']} s",
        f"- Timeline hash chain verifies: {report['timeline_verified']}",
        "",
        "## Feedback by category",
        *[f"- {e(k)}: {v}" for k, v in sorted(report["feedback_by_category"].items())],
        "",
        "## Root causes",
        *[f"- {e(r)}" for r in report["root_causes"]],
        "",
        "## Action items",
        *([f"- {e(a)}" for a in report["action_items"]] or ["- none recorded"]),
    ]
    return "\n".join(lines) + "\n"
