"""Text helpers shared by the rules: offset-preserving normalisation and clause splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Curly quotes and dashes map to ASCII one-for-one, so offsets found in the
# normalised text are valid in the original.
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Return text with typographic quotes/dashes made ASCII, same length as the input."""
    return text.translate(_TRANSLATE)


@dataclass(frozen=True)
class Clause:
    """A clause of the message with its offsets in the original text."""

    start: int
    end: int
    text: str


# Clause boundaries: sentence punctuation, semicolons, colons, spaced dashes and
# "but"; a promise or its negation rarely crosses them.
_BOUNDARY = re.compile(r"[.!?;:]+(?=\s|$)|\s-\s|\s--\s|,\s+but\b|\bbut\b")


def clauses(text: str) -> list[Clause]:
    """Split text into clauses, keeping offsets."""
    out: list[Clause] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        if m.start() > pos:
            out.append(_clause(text, pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append(_clause(text, pos, len(text)))
    return [c for c in out if c.text.strip()]


def _clause(text: str, start: int, end: int) -> Clause:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    return Clause(start + lead, end - trail, seg.strip())


_WORD = re.compile(r"[£$€]?\d[\d,.]*%?|[A-Za-z][A-Za-z']*")


def words(text: str) -> list[tuple[str, int, int]]:
    """Return (lower-cased word, start, end) tuples, numbers and currency amounts included."""
    return [(m.group().lower().rstrip(".,"), m.start(), m.end()) for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """Crude suffix stripping so "cancelled", "cancels" and "cancel" compare equal."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            if suffix == "es" and not w.endswith(("ches", "shes", "sses", "xes")):
                continue
            if suffix == "s" and w.endswith("ss"):
                continue
            w = w[: -len(suffix)] + repl
            break
    # "cancell" -> "cancel", "shipp" -> "ship": undo consonant doubling.
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousz":
        w = w[:-1]
    return w


def wordset(words: str) -> frozenset[str]:
    """Return the whitespace-separated words as a set (keeps long word lists compact)."""
    return frozenset(words.split())
