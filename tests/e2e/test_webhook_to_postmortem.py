"""From signed webhooks over HTTP to a resolved incident with a post-mortem, read back from
DynamoDB and the Step Functions execution history."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from crisisdesk.client import CommanderClient
from crisisdesk.replay import Signed, post, sign_item
from crisisdesk_local.runtime import LocalRuntime
from tests.support import wait_until


def _tweet(n: int, text: str, author: str = "traveller") -> dict[str, Any]:
    return {
        "id": f"tw-9{n:04d}",
        "created_at": f"2015-02-22T09:{n % 60:02d}:00-08:00",
        "brand": "US Airways",
        "author": f"{author}{n}",
        "text": text,
        "retweets": 0,
    }


def _scan_count(rt: LocalRuntime) -> int:
    return int(
        rt.client("dynamodb").scan(TableName=rt.stack.physical_name("Table"), Select="COUNT")[
            "Count"
        ]
    )


def _client(rt: LocalRuntime) -> CommanderClient:
    assert rt.endpoints is not None and rt.endpoints.api is not None
    return CommanderClient(rt.endpoints.api, rt.secrets["commander_token"], commander="e2e")


def test_bad_signature_is_401_and_leaves_no_trace(runtime: LocalRuntime) -> None:
    assert runtime.endpoints is not None and runtime.endpoints.api is not None
    before = _scan_count(runtime)
    good = sign_item(_tweet(1, "@USAirways lost my bag"), "x", runtime.secrets)
    forged = Signed("x", good.body, {"x-twitter-webhooks-signature": "sha256=" + "A" * 43 + "="})
    status, body = post(runtime.endpoints.api, forged)
    assert status == 401 and "signature" in body.lower()
    tampered = Signed("x", good.body.replace(b"lost", b"found"), good.headers)
    assert post(runtime.endpoints.api, tampered)[0] == 401
    missing = Signed("meta", b'{"object":"page","entry":[]}', {})
    assert post(runtime.endpoints.api, missing)[0] == 401
    assert runtime.queue_depth("IntakeQueue") == 0
    assert _scan_count(runtime) == before


def test_malformed_payload_is_400_naming_the_field(runtime: LocalRuntime) -> None:
    assert runtime.endpoints is not None and runtime.endpoints.api is not None
    good = sign_item(_tweet(2, "@USAirways hello"), "x", runtime.secrets)
    payload = json.loads(good.body)
    del payload["tweet_create_events"][0]["id_str"]
    body = json.dumps(payload).encode()
    from crisisdesk.webhooks.verify import sign_x

    signed = Signed(
        "x",
        body,
        {
            "x-twitter-webhooks-signature": sign_x(
                runtime.secrets["x_consumer_secret"].encode(), body
            )
        },
    )
    status, text = post(runtime.endpoints.api, signed)
    assert status == 400
    assert "id_str" in json.loads(text)["message"]
    unknown = post(runtime.endpoints.api, Signed("myspace", b"{}", {}))
    assert unknown[0] == 404


def test_handshakes(runtime: LocalRuntime) -> None:
    assert runtime.endpoints is not None and runtime.endpoints.api is not None
    api = runtime.endpoints.api
    with urllib.request.urlopen(f"{api}/webhooks/x?crc_token=abc", timeout=10) as r:
        assert json.loads(r.read())["response_token"].startswith("sha256=")
    token = runtime.secrets["meta_verify_token"]
    url = (
        f"{api}/webhooks/meta?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
    )
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.read() == b"1158201444"
    try:
        urllib.request.urlopen(
            f"{api}/webhooks/meta?hub.mode=subscribe&hub.verify_token=no&hub.challenge=1",
            timeout=10,
        )
        raise AssertionError("a wrong verify token must not verify")
    except urllib.error.HTTPError as e:
        assert e.code == 403


def test_signed_webhooks_to_resolved_incident_with_postmortem(runtime: LocalRuntime) -> None:
    assert runtime.endpoints is not None and runtime.endpoints.api is not None
    api = runtime.endpoints.api
    client = _client(runtime)
    severe = _tweet(
        10,
        "@USAirways the engine caught fire on takeoff and passengers were "
        "injured, this is a safety disaster",
    )
    related = [
        _tweet(
            11 + i,
            f"@USAirways flight {i} safety scare, smoke in the cabin and nobody told us anything",
        )
        for i in range(3)
    ]
    for item in [severe, *related]:
        status, _ = post(api, sign_item(item, "x", runtime.secrets))
        assert status == 200
    # Redelivery of the same webhook is harmless.
    assert post(api, sign_item(severe, "x", runtime.secrets))[0] == 200
    runtime.wait_intake_drained(timeout=60)

    incidents = wait_until("an incident", lambda: client.incidents(), 30)
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc["severity"] == "SEV1"
    inc_id = str(inc["id"])

    def pending() -> dict[str, Any] | None:
        return next((d for d in client.show(inc_id)["drafts"] if d["status"] == "PENDING"), None)

    wait_until("a draft awaiting approval", pending, 120)
    client.action(inc_id, "notes", {"text": "Engine inspection backlog", "category": "root_cause"})
    client.action(inc_id, "approve", {})
    wait_until(
        "publication",
        lambda: any(e["kind"] == "update_published" for e in client.show(inc_id)["timeline"]),
        60,
    )
    client.action(inc_id, "resolve", {"summary": "The aircraft is grounded for inspection."})
    wait_until("the closing draft", lambda: (d := pending()) and d["closing"], 60)
    client.action(inc_id, "approve", {})
    final = wait_until(
        "the workflow to finish",
        lambda: d if (d := client.show(inc_id))["workflow"]["status"] != "RUNNING" else None,
        60,
    )

    assert final["workflow"]["status"] == "SUCCEEDED"
    assert "PostMortem" in final["workflow"]["states_visited"]
    assert final["incident"]["status"] == "CLOSED"
    assert final["chain"]["ok"]
    kinds = [e["kind"] for e in final["timeline"]]
    assert kinds.count("acknowledged") >= 1 and kinds.count("handed_off") >= 1
    assert kinds.count("update_published") == 2
    # The feedback item is stored once despite the redelivery.
    table = runtime.stack.physical_name("Table")
    fb = runtime.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={
            ":p": {"S": f"FB#{final['timeline'][0]['data']['first_event']}"}
        },
    )["Items"]
    assert len(fb) == 1
    report = client.report(inc_id)
    assert report["timeline_verified"] and report["root_causes"] == ["Engine inspection backlog"]
    assert report["needs_response"] == report["answered_or_recorded"]
    # Every post went through the sandbox outbox and is readable from DynamoDB.
    posts = runtime.client("dynamodb").query(
        TableName=table,
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :p",
        ExpressionAttributeValues={":p": {"S": "OUTBOX"}},
    )["Items"]
    assert len(posts) >= 4
    assert all(p["status"]["S"] == "SENT" for p in posts)


def test_commander_api_requires_the_token(runtime: LocalRuntime) -> None:
    assert runtime.endpoints is not None and runtime.endpoints.api is not None
    bad = CommanderClient(runtime.endpoints.api, "wrong")
    try:
        bad.incidents()
        raise AssertionError("a wrong token must be refused")
    except Exception as e:
        assert getattr(e, "status", None) == 401
