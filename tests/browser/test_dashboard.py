"""The commander dashboard driven in headless Chromium against the local runtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from crisisdesk.aws.workflows import Workflows
from crisisdesk.guardrails import check_message
from crisisdesk.incidents.commander import Commander
from crisisdesk.incidents.repo import IncidentRepo
from crisisdesk.store.timeline import Entry
from crisisdesk_local.runtime import LocalRuntime
from tests.browser.conftest import UI_TIMEOUT_MS
from tests.support import wait_until
from tests.workflow.test_incident_workflow import _open_incident, _pending, _repo

SCREENSHOT = "/tmp/dashboard.png"
XSS = '<img src=x onerror="window.__xss = 1">'


def _owner(owner_id: str, title: str) -> dict[str, Any]:
    return {
        "id": owner_id,
        "kind": "incident",
        "brand": "US Airways",
        "topic": f"delays_cancellations_{owner_id.lower()}",
        "category": "delays_cancellations",
        "severity": "SEV2",
        "status": "OPEN",
        "trigger": "test",
        "title": title,
        "opened_at": "2026-01-01T00:00:00+00:00",
        "first_event_at": "2015-02-22T15:00:00Z",
        "anchor_event_id": "x:1000",
        "platform": "x",
        "cadence_seconds": 1,
        "base_cadence_seconds": 1,
        "approval_timeout_seconds": 120,
        "feedback_count": 0,
    }


def _entry(repo: IncidentRepo, owner_id: str, kind: str) -> Entry | None:
    return next((e for e in repo.timeline(owner_id).entries() if e.kind == kind), None)


def _load(page: Page, rt: LocalRuntime, token: str, name: str = "commander") -> None:
    assert rt.endpoints is not None and rt.endpoints.api
    page.goto(rt.endpoints.api.rstrip("/") + "/dashboard")
    page.fill("#token", token)
    page.fill("#who", name)
    page.click("#load")


def test_wrong_token_shows_an_error_and_no_incidents(page: Page, runtime: LocalRuntime) -> None:
    _load(page, runtime, "not-the-commander-token")
    msg = page.locator("#msg")
    expect(msg).to_have_class("bad", timeout=UI_TIMEOUT_MS)
    expect(msg).to_contain_text("Bearer", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#incidents tr")).to_have_count(0, timeout=UI_TIMEOUT_MS)


def test_a_hostile_title_and_note_render_as_text(page: Page, runtime: LocalRuntime) -> None:
    repo = _repo(runtime)
    repo.create_owner(_owner("INC-XSS", "Outage " + XSS))
    Commander(repo, Workflows(runtime.client("stepfunctions"))).note(
        "INC-XSS", "mallory", "see " + XSS
    )
    _load(page, runtime, runtime.secrets["commander_token"])
    row = page.locator('#incidents tr[data-id="INC-XSS"]')
    expect(row).to_be_visible(timeout=UI_TIMEOUT_MS)
    row.click()
    expect(page.locator("#detail h2").first).to_have_text("Outage " + XSS, timeout=UI_TIMEOUT_MS)
    expect(page.locator("#detail pre", has_text="see " + XSS)).to_be_visible(timeout=UI_TIMEOUT_MS)
    assert page.locator("img").count() == 0
    assert page.evaluate("() => window.__xss === undefined")


def test_commander_edits_and_approves_the_pending_update(page: Page, runtime: LocalRuntime) -> None:
    repo = _repo(runtime)
    # the browser needs time to approve: 120 s instead of the workflow tier's 3 s
    _open_incident(runtime, "INC-BROWSER", n_items=2, approval_timeout=120)
    draft = wait_until("a pending draft", lambda: _pending(repo, "INC-BROWSER"), 60)
    edited = str(draft["text"]).rstrip() + " Thank you for bearing with us."
    assert check_message(edited, channel="public").allowed, "the edit must pass the guardrails"

    _load(page, runtime, runtime.secrets["commander_token"], name="dana.ops")
    row = page.locator('#incidents tr[data-id="INC-BROWSER"]')
    expect(row).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(row.locator("td").nth(1)).to_have_text("SEV2", timeout=UI_TIMEOUT_MS)
    expect(row.locator("td").nth(2)).to_have_text("OPEN - approval pending", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#msg")).to_have_class("ok", timeout=UI_TIMEOUT_MS)

    row.click()
    detail = page.locator("#detail")
    expect(detail.locator("h2")).to_have_text(
        "US Airways: delays cancellations", timeout=UI_TIMEOUT_MS
    )
    expect(detail).to_contain_text("hash chain verifies", timeout=UI_TIMEOUT_MS)
    expect(detail.locator("table tr").first).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail).to_contain_text("acknowledged", timeout=UI_TIMEOUT_MS)
    box = detail.locator("textarea")
    expect(box).to_have_value(str(draft["text"]), timeout=UI_TIMEOUT_MS)
    expect(detail.locator("h3", has_text="awaits approval")).to_contain_text(
        str(draft["draft_id"]), timeout=UI_TIMEOUT_MS
    )
    box.fill(edited)
    page.screenshot(path=SCREENSHOT, full_page=True)

    detail.get_by_role("button", name="Approve").click()
    expect(page.locator("#msg")).to_have_text("approve done", timeout=UI_TIMEOUT_MS)

    # The decision and the publication, as recorded in DynamoDB.
    approved = wait_until(
        "the approval entry", lambda: _entry(repo, "INC-BROWSER", "update_approved"), 30
    )
    assert approved.actor == "dana.ops"
    assert approved.data["text"] == edited and approved.data["edited"] is True
    published = wait_until(
        "the publication", lambda: _entry(repo, "INC-BROWSER", "update_published"), 30
    )
    assert published.data["approved_by"] == "dana.ops"
    assert published.data["draft"] == edited
    assert published.data["draft_id"] == draft["draft_id"]
    decided = repo.draft("INC-BROWSER", str(draft["draft_id"]))
    assert decided["decided_by"] == "dana.ops" and decided["final_text"] == edited
    assert decided["status"] == "PUBLISHED"
    assert repo.timeline("INC-BROWSER").verify().ok

    # The page shows the publication once the commander looks again.
    row.click()
    expect(detail.locator("td", has_text="update_published")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail).to_contain_text("hash chain verifies", timeout=UI_TIMEOUT_MS)


def test_closing_private_reply_window_is_listed(page: Page, runtime: LocalRuntime) -> None:
    # A Meta comment whose one private reply must go out within the next hours.
    repo = _repo(runtime)
    repo.create_owner(_owner("INC-WIN", "Baggage"))
    deadline = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = {
        "event_id": "meta:c1", "created_at": "2015-02-22T15:00:00Z",
        "author": {"id": "psid-1", "handle": XSS},
        "reply_target": {"platform": "meta", "private": {"channel": "meta_private_reply",
                                                         "deadline": deadline}},
    }
    repo.attach("INC-WIN", event, {"sentiment": "negative", "needs_response": True})
    _load(page, runtime, runtime.secrets["commander_token"])
    row = page.locator("#windows tr", has_text="INC-WIN")
    expect(row).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(row).to_contain_text(deadline)
    expect(row).to_contain_text(XSS)  # the handle is text, not markup
    assert page.locator("img").count() == 0
    row.click()
    expect(page.locator("#detail h2").first).to_have_text("Baggage", timeout=UI_TIMEOUT_MS)
