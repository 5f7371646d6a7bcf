"""The trigger gate of keyword rules never changes a result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisdesk.classify import severity, taxonomy, troll
from crisisdesk.classify.features import analyse
from crisisdesk.classify.keywords import Rule, TextView

DATA = Path("/work/shared/data/airline-tweets-2015.jsonl")
RULES = [
    v for mod in (severity, taxonomy, troll) for v in vars(mod).values() if isinstance(v, Rule)
]
EXTRA = [
    "A passenger was INJURED and bleeding",
    "they overcharged me, double-charged my card",
    "the website is down and the app crashes",
    "I will sue, my attorney agrees",
    "racially profiled at the gate",
    "my personal data was leaked",
    "got sick from the food",
    "you fuuck idiots",
    "I hope you die",
    "free followers click here",
]


def _views() -> list[TextView]:
    texts = list(EXTRA)
    if DATA.exists():
        texts += [json.loads(line)["text"] for line in DATA.open(encoding="utf-8")]
    out = []
    for t in texts:
        a = analyse(t, ())
        out.append(TextView(t, a.masked, a.toks))
    return out


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_gate_is_exact(rule: Rule) -> None:
    views = _views()
    assert [rule.search(v) for v in views] == [rule.search_ungated(v) for v in views]


def test_extra_examples_match() -> None:
    views = _views()[: len(EXTRA)]
    assert all(any(r.search(v) for r in RULES) for v in views)


def test_triggers_come_from_required_words() -> None:
    # each alternative needs one of its word-initial literal runs; common words are avoided
    r = Rule("t", r"\b(?:(?:got|get|feel) (?:sick|ill)|hurt (?:my|his))\b")
    assert r.triggers == frozenset({"sick", "ill", "hurt"})
    assert r.search(TextView("I got sick")) and not r.search(TextView("got it"))
    # a run inside a word is not a trigger: fall back to a word-initial one
    assert Rule("u", r"\bcrash[- ]?land\w*\b").triggers == frozenset({"crash"})


def test_optional_parts_are_never_required() -> None:
    r = Rule("v", r"\b(?:report(?:ing)? (?:the )?faa)\b")
    assert "the" not in r.triggers
    assert r.search(TextView("reporting faa")) and r.search(TextView("report the faa"))
