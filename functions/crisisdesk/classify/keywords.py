"""Fast keyword rules: a regex over lower-cased text, run only when a trigger word is present.

Python's ``re`` is slow on long case-insensitive alternations (10-20 us per tweet each).
Every rule's triggers are the literal letter/digit runs of its pattern, compared as
3/4/5-character word prefixes, which is a necessary condition for a match; so the gate
never changes a result, it only skips hopeless searches (tests check this on a corpus).
"""

from __future__ import annotations

import re
from operator import itemgetter

_RUN_RE = re.compile(r"[a-z0-9]{3,}")
_ESC_RE = re.compile(r"\\[a-zA-Z]|\(\?[a-zA-Z]+[:)]|\{[0-9,]+\}")
_WORD_RE = re.compile(r"[a-z0-9]+")
_OPTIONAL_RE = re.compile(r"[a-z0-9][?*]")  # an optional last letter ends the literal run


def _key(run: str) -> str:
    return run[:5]


# Every trigger of every rule: a view keeps only the word prefixes that are triggers, so the
# common item (no trigger at all) skips all rules with one set operation.
_ALL_TRIGGERS: set[str] = set()
_P3 = itemgetter(slice(None, 3))
_P4 = itemgetter(slice(None, 4))
_P5 = itemgetter(slice(None, 5))


class TextView:
    """Lower-cased text and the rule triggers among its word prefixes, computed once per item.

    ``text`` is the original; ``lower`` is what rules search. The classifier passes the
    masked text and its tokens (mentions, URLs and brand names already replaced).
    ``keys`` holds the 3/4/5-character word prefixes that are triggers of some rule (a
    trigger is 3-5 characters long, so shorter words and longer prefixes never match one).
    """

    __slots__ = ("keys", "lower", "text")

    def __init__(self, text: str, lower: str | None = None, words: list[str] | None = None):
        self.text = text
        self.lower = text.lower() if lower is None else lower
        ws = set(_WORD_RE.findall(self.lower) if words is None else words)
        trig = _ALL_TRIGGERS
        self.keys = trig.intersection(map(_P5, ws))
        self.keys.update(trig.intersection(map(_P4, ws)), trig.intersection(map(_P3, ws)))


class Rule:
    """A lower-case regex gated by its literal words (see module docstring)."""

    __slots__ = ("name", "regex", "triggers")

    def __init__(self, name: str, pattern: str) -> None:
        if pattern != pattern.lower() and "(?" not in pattern:
            raise ValueError(f"rule {name}: patterns are matched against lower-cased text")
        self.name = name
        self.regex = re.compile(pattern)
        literal = _OPTIONAL_RE.sub(" ", _ESC_RE.sub(" ", pattern))
        self.triggers = frozenset(_key(r) for r in _RUN_RE.findall(literal))
        _ALL_TRIGGERS.update(self.triggers)

    def search(self, view: TextView) -> bool:
        """True when the rule matches the (lower-cased) text."""
        if view.keys.isdisjoint(self.triggers):
            return False
        return self.regex.search(view.lower) is not None

    def search_ungated(self, view: TextView) -> bool:
        """Reference behaviour without the trigger gate (for tests)."""
        return self.regex.search(view.lower) is not None
