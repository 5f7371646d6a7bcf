"""`crisisdesk demo`: the 22 Feb 2015 US Airways surge, end to end, in one process.

Starts the local runtime, replays that day's tweets as signed X webhooks, approves the
drafted public update, resolves, approves the closing update and prints the finished
incident read back from DynamoDB and the Step Functions execution history.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from crisisdesk.cli import format_show
from crisisdesk.client import CommanderClient
from crisisdesk.replay import read_items, replay
from crisisdesk_local.runtime import LocalRuntime

T = TypeVar("T")
BRAND = "US Airways"
# 22 Feb 2015 in the dataset's own time zone (US Pacific), as written in created_at.
SINCE, UNTIL = "2015-02-22T00:00", "2015-02-23T00:00"


class DemoFailed(Exception):
    """A step of the demo did not happen in time."""


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, every: float = 0.5) -> T:
    """Poll `probe` until it returns something, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value is not None and value is not False:
            return value
        time.sleep(every)
    raise DemoFailed(f"timed out after {timeout:.0f}s waiting for {what}")


def _pending(client: CommanderClient, owner_id: str) -> dict[str, Any] | None:
    d = client.show(owner_id)
    return next((x for x in d["drafts"] if x.get("status") == "PENDING"), None)


def _kinds(d: dict[str, Any]) -> Counter[str]:
    return Counter(e["kind"] for e in d["timeline"])


def run_demo(data: Path, *, cadence: int = 3, out: TextIO) -> int:
    """Run the demo; 0 when the incident finished with a post-mortem."""

    def say(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    items = read_items(data, brand=BRAND, since=SINCE, until=UNTIL)
    say(
        f"crisisdesk demo: {len(items)} tweets to {BRAND} on 22 Feb 2015 "
        f"({sum(i.get('label') == 'negative' for i in items)} labelled negative)"
    )
    with tempfile.TemporaryDirectory(prefix="crisisdesk-demo-") as state:
        rt = LocalRuntime(
            port=0,
            api_port=0,
            state_dir=Path(state),
            parameters={"UpdateCadenceSeconds": str(cadence), "ApprovalTimeoutSeconds": "300"},
        )
        ep = rt.start()
        try:
            assert ep.api is not None
            say(f"local AWS at {ep.aws}, API at {ep.api}")
            client = CommanderClient(ep.api, rt.secrets["commander_token"], commander="demo-cmdr")
            stats = replay(ep.api, items, platform="x", secrets=rt.secrets, speed=0, progress=out)
            say(
                f"replayed {stats.sent} signed webhooks in {stats.seconds:.1f}s "
                f"({stats.accepted} events accepted, rejected: {stats.rejected or 'none'})"
            )
            rt.wait_intake_drained(timeout=300)
            incidents = wait_for("an incident", lambda: client.incidents() or None, 60)
            say(
                f"{len(incidents)} incident(s) opened; "
                f"{len(client.incidents('care'))} individual care case(s)"
            )
            main = max(incidents, key=lambda i: int(i.get("feedback_count", 0)))
            inc_id = str(main["id"])
            say(
                f"following {inc_id}: {main['title']} ({main['severity']}, "
                f"{main['feedback_count']} items; trigger: {main['trigger']})"
            )

            draft = wait_for("the first drafted update", lambda: _pending(client, inc_id), 240)
            say(f"draft update {draft['draft_id']} awaits approval:\n    {draft['text']}")
            client.action(
                inc_id,
                "notes",
                {
                    "text": "Weather at Charlotte and Philadelphia hubs cascaded into crew "
                    "timeouts; call-centre queues overflowed.",
                    "category": "root_cause",
                },
            )
            client.action(
                inc_id,
                "notes",
                {
                    "text": "Add overflow staffing for the reservations line on storm days.",
                    "category": "action_item",
                },
            )
            client.action(inc_id, "approve", {})
            say("approved; waiting for it to be published")
            wait_for(
                "the update to be published",
                lambda: _kinds(client.show(inc_id))["update_published"] >= 1,
                120,
            )
            client.action(
                inc_id,
                "resolve",
                {
                    "summary": "Flights are operating normally again and rebooking queues have "
                    "cleared."
                },
            )
            say("resolved; the workflow drafts a closing update")
            closing = wait_for("the closing update", lambda: _pending(client, inc_id), 240)
            say(f"closing update {closing['draft_id']}:\n    {closing['text']}")
            client.action(inc_id, "approve", {})
            final = wait_for(
                "the workflow to finish",
                lambda: (lambda d: d if d["workflow"]["status"] != "RUNNING" else None)(
                    client.show(inc_id)
                ),
                240,
            )
            # Other incidents of the day: resolve them too so nothing is left running.
            for other in incidents:
                if other["id"] != inc_id and other["status"] == "OPEN":
                    client.action(
                        str(other["id"]), "resolve", {"summary": "Resolved together with " + inc_id}
                    )

            say("")
            say("=== the finished incident, read back from DynamoDB and Step Functions ===")
            say(format_show(final, max_entries=30))
            wf = final["workflow"]
            say(f"  states entered: {' > '.join(compress_path(wf.get('states_visited', [])))}")
            kinds = _kinds(final)
            say(
                "  timeline entries by kind: "
                + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
            )
            report = client.report(inc_id)
            say("")
            say("=== post-mortem ===")
            say(report["summary"])
            say(
                json.dumps(
                    {
                        k: report[k]
                        for k in (
                            "first_response_seconds",
                            "feedback_by_category",
                            "root_causes",
                            "action_items",
                            "timeline_verified",
                        )
                    },
                    indent=2,
                )
            )
            ok = (
                wf["status"] == "SUCCEEDED"
                and final["incident"]["status"] == "CLOSED"
                and kinds["acknowledged"] > 0
                and kinds["handed_off"] > 0
                and kinds["update_published"] >= 1
                and kinds["resolved"] == 1
                and kinds["postmortem_written"] == 1
                and final["chain"]["ok"]
            )
            say("")
            say("demo " + ("succeeded" if ok else "FAILED: the incident did not complete"))
            return 0 if ok else 1
        except DemoFailed as e:
            say(f"demo FAILED: {e}")
            return 1
        finally:
            rt.stop()


def compress_path(states: list[str], longest: int = 8) -> list[str]:
    """The states path with each run of a repeated block written once with its count, so a
    loop that ticked twenty times reads "(Wait > Acknowledge) x20" instead of forty names."""
    out: list[str] = []
    i, n = 0, len(states)
    while i < n:
        best_k, best_reps = 1, 1
        for k in range(1, min(longest, (n - i) // 2) + 1):
            reps = 1
            while states[i + reps * k : i + (reps + 1) * k] == states[i : i + k]:
                reps += 1
            if reps > 1 and k * reps > best_k * best_reps:
                best_k, best_reps = k, reps
        block = states[i : i + best_k]
        if best_reps == 1:
            out.append(block[0])
        else:
            body = block[0] if best_k == 1 else "(" + " > ".join(block) + ")"
            out.append(f"{body} x{best_reps}")
        i += best_k * best_reps
    return out
