"""``crisisdesk classify`` CLI: output lines, malformed input and exit codes."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from crisisdesk.classify import cli


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="crisisdesk")
    sub = parser.add_subparsers(dest="command")
    cli.add_parser(sub)
    return cli.run(parser.parse_args(["classify", *argv]))


def write(tmp_path: Path, lines: list[str]) -> str:
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(lines) + "\n")
    return str(p)


def test_classifies_each_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        [
            json.dumps(
                {"id": "1", "text": "@acme my order never arrived, terrible", "brand": "Acme"}
            ),
            json.dumps({"id": 2, "text": "thanks!", "followers": 10, "verified": False}),
            "",
        ],
    )
    assert run([path]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["1", "2"]
    assert out[0]["sentiment"] == "negative" and out[0]["needs_response"] is True
    assert {"negative_score", "category", "severity", "troll_score", "pii"} <= set(out[0])


def test_malformed_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [json.dumps({"text": "ok"}), "{not json", json.dumps({"text": "x"})])
    assert run([path]) == 2
    cap = capsys.readouterr()
    assert "line 2:" in cap.err
    assert len(cap.out.splitlines()) == 1


@pytest.mark.parametrize("bad", ['{"id": "x"}', '["text"]', '{"text": "a", "followers": "many"}'])
def test_invalid_items(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert run([write(tmp_path, [bad])]) == 2
    assert "line 1:" in capsys.readouterr().err


def test_skip_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, ['{"text": "a"}', "oops", '{"text": "b"}'])
    assert run(["--skip-bad", path]) == 0
    cap = capsys.readouterr()
    assert len(cap.out.splitlines()) == 2 and "line 2:" in cap.err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "my bag is lost"}\n'))
    assert run(["-"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] is None


def test_missing_file_exit_1(tmp_path: Path) -> None:
    assert run([str(tmp_path / "nope.jsonl")]) == 1
