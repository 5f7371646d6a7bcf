"""The guardrail bench scores an extra JSONL file given with --extra (the lead's fresh sets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench import bench_guardrails


def test_extra_file_is_scored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"text": "@cust Sorry for the wait, please DM us.", "channel": "public", "labels": []},
        {
            "text": "@cust Everyone else on that train managed to get off at the right stop.",
            "channel": "public",
            "labels": ["tone"],
        },
        {
            "text": "@cust Your replacement should be with you by Monday.",
            "channel": "private",
            "labels": ["promise"],
            "split": "x",
        },
    ]
    path = tmp_path / "fresh_replies.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert bench_guardrails.main(["--extra", str(path), "--no-speed"]) == 0
    out = capsys.readouterr().out
    assert "system: rules+model" in out
    lines = [line.split() for line in out.splitlines() if line.startswith("fresh_replies ")]
    by_rule = {parts[1]: parts for parts in lines}
    assert by_rule["tone"][2:5] == ["1", "1", "1.000"]
    assert by_rule["promise"][2:5] == ["1", "1", "1.000"]
    assert "false-block 0.000 (0/1" in " ".join(by_rule["good"])
