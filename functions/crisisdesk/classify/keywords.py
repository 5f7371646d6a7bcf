"""Fast keyword rules: a regex over lower-cased text, run only when a trigger word is present.

Python's ``re`` is slow on long case-insensitive alternations (10-20 us per tweet each).
Every rule's triggers are the literal letter/digit runs of its pattern, compared as
3/4/5-character word prefixes, which is a necessary condition for a match; so the gate
never changes a result, it only skips hopeless searches (tests check this on a corpus).
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from operator import itemgetter
from typing import Any

_RUN_RE = re.compile(r"[a-z0-9]{3,}")
_ESC_RE = re.compile(r"\\[a-zA-Z]|\(\?[a-zA-Z]+[:)]|\{[0-9,]+\}")
_WORD_RE = re.compile(r"[a-z0-9]+")
_OPTIONAL_RE = re.compile(r"[a-z0-9][?*]")  # an optional last letter ends the literal run


def _key(run: str) -> str:
    return run[:5]


# Frequent words: a trigger set avoiding them skips more hopeless searches.
_COMMON = frozenset(
    [
        "the",
        "you",
        "for",
        "your",
        "get",
        "got",
        "was",
        "that",
        "this",
        "from",
        "are",
        "been",
        "our",
        "they",
        "over",
        "back",
        "her",
        "his",
        "him",
        "she",
        "know",
        "with",
        "have",
        "and",
        "not",
        "but",
        "all",
        "can",
        "has",
        "had",
        "were",
        "out",
        "who",
        "what",
        "when",
        "will",
        "would",
    ]
)
_WORDCH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _score(keys: frozenset[str]) -> tuple[int, int, int]:
    return (sum(k in _COMMON for k in keys), len(keys), -min(map(len, keys)))


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    return min(cands, key=_score) if cands else None


def _required(items: Any, start: bool) -> frozenset[str] | None:
    """Word-prefix keys of which every match of the parsed sequence ``items`` contains one.

    Only literal runs that begin a word (after ``\b`` or whitespace) of >= 3 letters count;
    a branch counts when each alternative has such a requirement. ``None``: none found.
    """
    cands: list[frozenset[str]] = []
    run = ""
    run_ok = False

    def close() -> None:
        if run_ok and len(run) >= 3 and run[0].isalpha():
            cands.append(frozenset([_key(run)]))

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            ch = chr(av)
            if ch in _WORDCH:
                if not run:
                    run_ok = start
                run += ch
                start = False
                continue
            close()
            run, start = "", ch.isspace()
            continue
        close()
        run = ""
        if name == "AT":
            start = str(av) == "AT_BOUNDARY"
            continue
        if name == "BRANCH":
            alts = [_required(alt, start) for alt in av[1]]
            if all(a is not None for a in alts):
                cands.append(frozenset().union(*[a for a in alts if a is not None]))
            start = _ends_space([(op, av)])
            continue
        if name == "SUBPATTERN":
            sub = _required(av[3], start)
            if sub is not None:
                cands.append(sub)
            start = _ends_space(av[3])
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, _, inner = av
            if lo >= 1:
                sub = _required(inner, start)
                if sub is not None:
                    cands.append(sub)
                # "\s+" (or a run of other non-word characters) ends a word
                start = all(str(o) == "IN" and _only_space(a) for o, a in inner)
            else:  # skipped: as before; taken: a word starts after it if it ends in a space
                start = start and _ends_space(inner)
            continue
        start = False
    close()
    return _best(cands)


def _ends_space(items: Any) -> bool:
    """True when every match of the parsed sequence ends with a whitespace literal."""
    if not items:
        return False
    op, av = items[-1]
    name = str(op)
    if name == "LITERAL":
        return chr(av).isspace()
    if name == "BRANCH":
        return all(_ends_space(alt) for alt in av[1])
    if name == "SUBPATTERN":
        return _ends_space(av[3])
    return False


def _only_space(charset: Any) -> bool:
    return all(str(o) == "CATEGORY" and str(a) == "CATEGORY_SPACE" for o, a in charset)


def required_triggers(pattern: str) -> frozenset[str] | None:
    """Trigger keys for ``pattern`` from its parse tree, or ``None`` if it has none."""
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, AttributeError, TypeError):  # pragma: no cover - parser changed
        return None
    return _required(list(tree), False)


# Every trigger of every rule: a view keeps only the word prefixes that are triggers, so the
# common item (no trigger at all) skips all rules with one set operation.
_ALL_TRIGGERS: set[str] = set()
ALL_TRIGGERS = _ALL_TRIGGERS  # the same set, public: caches of trigger keys watch its size
_P3 = itemgetter(slice(None, 3))
_P4 = itemgetter(slice(None, 4))
_P5 = itemgetter(slice(None, 5))


def trigger_keys(word: str) -> frozenset[str]:
    """The rule triggers among the 3/4/5-character prefixes of one word (often empty)."""
    return frozenset((word[:5], word[:4], word[:3])).intersection(_ALL_TRIGGERS)


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

    @classmethod
    def prepared(cls, text: str, lower: str, keys: set[str]) -> TextView:
        """A view whose trigger ``keys`` were computed by the caller (per-token caches)."""
        view = cls.__new__(cls)
        view.text = text
        view.lower = lower
        view.keys = keys
        return view


def _literal_first(pattern: str) -> bool:
    """True when ``re`` can skip ahead on ``pattern``'s first character: it starts with a
    literal or with a group of alternatives that all start with a literal."""
    try:
        items = list(sre_parse.parse(pattern))
    except (re.error, AttributeError, TypeError):  # pragma: no cover - parser changed
        return False
    if not items:
        return False
    op, av = items[0]
    if str(op) == "SUBPATTERN" and av[3]:
        op, av = next(iter(av[3]))
    if str(op) == "LITERAL":
        return True
    if str(op) != "BRANCH":
        return False
    return all(alt and str(next(iter(alt))[0]) == "LITERAL" for alt in av[1])


class Rule:
    """A lower-case regex gated by its literal words (see module docstring)."""

    __slots__ = ("name", "prefilter", "regex", "triggers")

    def __init__(self, name: str, pattern: str) -> None:
        if pattern != pattern.lower() and "(?" not in pattern:
            raise ValueError(f"rule {name}: patterns are matched against lower-cased text")
        self.name = name
        self.regex = re.compile(pattern)
        req = required_triggers(pattern)
        if req is None:  # fall back to every literal run (a superset: still exact)
            literal = _OPTIONAL_RE.sub(" ", _ESC_RE.sub(" ", pattern))
            req = frozenset(_key(r) for r in _RUN_RE.findall(literal))
        self.triggers = req
        _ALL_TRIGGERS.update(self.triggers)
        # A pattern "\b<rest>" matches only where "<rest>" does; without the leading "\b",
        # ``re`` skips ahead to candidate first letters instead of testing a word boundary
        # at every position, so "<rest>" is a cheap necessary test (when it can skip).
        rest = pattern[2:] if pattern.startswith("\\b") else ""
        self.prefilter = re.compile(rest) if rest and _literal_first(rest) else None

    def search(self, view: TextView) -> bool:
        """True when the rule matches the (lower-cased) text."""
        if view.keys.isdisjoint(self.triggers):
            return False
        if self.prefilter is not None and self.prefilter.search(view.lower) is None:
            return False
        return self.regex.search(view.lower) is not None

    def search_ungated(self, view: TextView) -> bool:
        """Reference behaviour without the trigger gate (for tests)."""
        return self.regex.search(view.lower) is not None
