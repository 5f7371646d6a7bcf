"""The HTTP transport's guard rails and the platforms' rate-limit header parsing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crisisdesk.adapters import (
    InvalidMessage,
    MetaAdapter,
    NotDelivered,
    PermanentFailure,
    XAdapter,
)
from crisisdesk.adapters.http import UrllibTransport, parse_retry_after
from crisisdesk.adapters.meta import regain_access_seconds, usage_percent
from tests.unit.platform_stub import X_TOKEN, PlatformStub, respond


@pytest.fixture
def stub() -> Iterator[PlatformStub]:
    with PlatformStub() as s:
        yield s


def test_only_post_is_allowed(stub: PlatformStub) -> None:
    transport = UrllibTransport(stub.base_url, use_env_proxies=False)
    for method in ("DELETE", "GET", "PUT", "PATCH"):
        with pytest.raises(InvalidMessage):
            transport.request(method, "/2/tweets/1893456789012345678", token=X_TOKEN)
    assert stub.requests == []


def test_hide_parameters_are_refused(stub: PlatformStub) -> None:
    transport = UrllibTransport(stub.base_url, use_env_proxies=False)
    with pytest.raises(InvalidMessage):
        transport.request("POST", "/v23.0/1_2", token="t", json_body={"is_hidden": True})
    with pytest.raises(InvalidMessage):
        transport.request("POST", "/v23.0/1_2", token="t", query={"hide": "true"})
    assert stub.requests == []


def test_plain_http_only_to_loopback() -> None:
    with pytest.raises(ValueError, match="https"):
        UrllibTransport("http://api.x.com")
    UrllibTransport("https://graph.facebook.com")
    UrllibTransport("http://127.0.0.1:8080")


def test_redirects_are_not_followed(stub: PlatformStub) -> None:
    stub.enqueue(respond(307, {}, {"Location": f"{stub.base_url}/2/tweets"}))
    transport = UrllibTransport(stub.base_url, use_env_proxies=False)
    resp = transport.request("POST", "/2/tweets", token=X_TOKEN, json_body={"text": "hi"})
    assert resp.status == 307
    assert len(stub.requests) == 1


def test_connection_refused_is_not_delivered() -> None:
    transport = UrllibTransport("http://127.0.0.1:9", timeout=1, use_env_proxies=False)
    with pytest.raises(NotDelivered):
        transport.request("POST", "/2/tweets", token="t", json_body={"text": "hi"})


def test_tokens_never_in_repr_or_errors(stub: PlatformStub) -> None:
    secret = "s3cr3t-user-token"
    x = XAdapter(secret, base_url=stub.base_url)
    meta = MetaAdapter(secret, base_url=stub.base_url)
    assert secret not in repr(x) and secret not in repr(meta)
    from crisisdesk.adapters import OutgoingMessage

    with pytest.raises(PermanentFailure) as info:
        x.send(OutgoingMessage("k", "x", "dm", "hi", recipient_id="42"))
    assert secret not in str(info.value)


def test_retry_after_parsing() -> None:
    assert parse_retry_after("12", 0.0) == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0) == 10.0
    assert parse_retry_after("soon", 0.0) is None
    assert parse_retry_after(None, 0.0) is None


def test_meta_usage_headers() -> None:
    headers = {
        "x-app-usage": '{"call_count": 28, "total_time": 100, "total_cputime": 9}',
        "x-business-use-case-usage": (
            '{"112233": [{"type": "pages", "call_count": 100,'
            ' "estimated_time_to_regain_access": 3}]}'
        ),
    }
    assert usage_percent(headers) == 100.0
    assert regain_access_seconds(headers) == 180.0
    assert (
        usage_percent({}) is None
        and regain_access_seconds({"x-business-use-case-usage": "x"}) is None
    )
