"""Tests for `crisisdesk check-reply`."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Sequence

import pytest

from crisisdesk.guardrails import Commitment
from crisisdesk.guardrails.cli import add_parser, main, run


def _run(argv: list[str], stdin: str, loader=None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    root = argparse.ArgumentParser(prog="crisisdesk")
    add_parser(root.add_subparsers(dest="command"))
    args = root.parse_args(["check-reply", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = run(args, loader, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_allowed_exit_0() -> None:
    code, out, _ = _run(["--recipient", "cust"], "@cust Sorry about the wait. Please DM us.\n")
    assert code == 0
    assert json.loads(out) == {"allowed": True, "violations": []}


def test_blocked_exit_1_with_violations() -> None:
    code, out, _ = _run([], "Calm down, it will be fixed by Friday!!")
    assert code == 1
    data = json.loads(out)
    assert data["allowed"] is False
    assert {v["rule"] for v in data["violations"]} == {"tone", "promise"}
    assert all(set(v) == {"rule", "start", "end", "message"} for v in data["violations"])


def test_private_flag_allows_case_reference() -> None:
    text = "Your case reference is CD-7K2M9Q. Reply here any time."
    assert _run(["--private"], text)[0] == 0
    assert _run(["--public"], text)[0] == 1
    assert _run([], text)[0] == 1  # public is the default


def test_public_private_mutually_exclusive() -> None:
    root = argparse.ArgumentParser()
    add_parser(root.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as exc:
        root.parse_args(["check-reply", "--public", "--private"])
    assert exc.value.code == 2


def test_empty_input_exit_2() -> None:
    code, out, err = _run([], "  \n")
    assert code == 2 and out == "" and "no draft" in err


def test_incident_commitments_loaded() -> None:
    seen: list[str] = []

    def loader(incident: str) -> Sequence[Commitment]:
        seen.append(incident)
        return [Commitment("c1", "refunds for cancelled flights", True)]

    text = "We will refund cancelled flights."
    assert _run(["--incident", "INC-1"], text, loader)[0] == 0
    assert seen == ["INC-1"]
    assert _run([], text)[0] == 1


def test_incident_without_loader_or_unknown_is_usage_error() -> None:
    assert _run(["--incident", "INC-1"], "hello")[0] == 2

    def missing(incident: str) -> Sequence[Commitment]:
        raise KeyError(incident)

    code, _, err = _run(["--incident", "INC-404"], "hello", missing)
    assert code == 2 and "INC-404" in err


def test_standalone_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("@cust You should have read the terms."))
    assert main(["--recipient", "cust"]) == 1
    assert json.loads(capsys.readouterr().out)["violations"][0]["rule"] == "tone"
