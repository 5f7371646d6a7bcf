"""PII span detection."""

from __future__ import annotations

import pytest

from crisisdesk.classify import PiiSpan, find_pii, redact
from crisisdesk.classify.pii import luhn_ok


def spans(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in find_pii(text)]


def test_email() -> None:
    assert spans("write to jane.doe+x@example.co.uk now") == [("email", "jane.doe+x@example.co.uk")]


def test_mentions_are_not_emails() -> None:
    assert spans("@united thanks @jane") == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("call me at (415) 555-2671 please", "(415) 555-2671"),
        ("my number is 415.555.2671", "415.555.2671"),
        ("reach me on +44 20 7946 0958", "+44 20 7946 0958"),
    ],
)
def test_phone(text: str, number: str) -> None:
    assert spans(text) == [("phone", number)]


def test_not_phone() -> None:
    assert spans("flight 1234 delayed 3 hours, waited 45 minutes") == []


def test_card_luhn() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    text = "card 4111 1111 1111 1111 charged, 4111 1111 1111 1112 not"
    assert ("card", "4111 1111 1111 1111") in spans(text)
    assert all(v != "4111 1111 1111 1112" for _, v in spans(text) if _ == "card")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("my confirmation code is XK7J2P", "XK7J2P"),
        ("booking ref: ABCDEF", "ABCDEF"),
        ("order #123456789 never arrived", "123456789"),
        ("record locator K2LMQP", "K2LMQP"),
    ],
)
def test_booking_code(text: str, code: str) -> None:
    assert ("booking_code", code) in spans(text)


def test_plain_caps_word_is_not_a_code() -> None:
    assert spans("THANKS for NOTHING") == []


@pytest.mark.parametrize(
    ("text", "addr"),
    [
        ("send it to 221B Baker Street please", "221B Baker Street"),
        (
            "I live at 1600 Pennsylvania Avenue NW, Washington, DC 20500",
            "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        ),
        (
            "ship to 55 W 42nd St, Apt 5B, New York, NY 10036",
            "55 W 42nd St, Apt 5B, New York, NY 10036",
        ),
        ("PO Box 42", "PO Box 42"),
    ],
)
def test_address(text: str, addr: str) -> None:
    assert spans(text) == [("address", addr)]


def test_not_address() -> None:
    assert spans("waited 3 hours way too long on the road") == []


def test_spans_sorted_and_redact() -> None:
    text = "email a@b.com or call 415-555-2671"
    found = find_pii(text)
    assert [s.kind for s in found] == ["email", "phone"]
    assert all(isinstance(s, PiiSpan) for s in found)
    assert redact(text) == "email [email] or call [phone]"
