"""Nothing user-supplied is rendered unescaped: the dashboard and the post-mortem text."""

from __future__ import annotations

import re

from crisisdesk.api.dashboard import render_dashboard
from crisisdesk.incidents.report import render_markdown


def test_dashboard_inserts_data_as_text_only() -> None:
    html = render_dashboard()
    assert "textContent" in html
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in html, sink
    # every inline handler is attached in code, never built from data
    assert not re.search(r"on\w+=\"", html)


def test_post_mortem_escapes_user_text() -> None:
    report = {
        "title": "<script>alert(1)</script>", "summary": "a & b", "severity": "SEV2",
        "trigger": "<b>surge</b>", "opened_at": "t0", "resolved_at": "t1",
        "first_response_seconds": 1.0, "timeline_verified": True,
        "feedback_by_category": {"<i>x</i>": 1},
        "root_causes": ["<img src=x onerror=alert(1)>"], "action_items": [],
    }
    md = render_markdown(report)
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
