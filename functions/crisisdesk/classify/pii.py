"""Personal-data spans in free text: emails, phone numbers, payment cards, booking codes, addresses.

Phone numbers are validated with ``phonenumbers`` (only when a cheap digit pre-filter fires),
card numbers with the Luhn checksum. Spans are character offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

PII_KINDS: tuple[str, ...] = ("email", "phone", "card", "booking_code", "address")


@dataclass(frozen=True)
class PiiSpan:
    """One span of personal data: ``text[start:end]`` is of ``kind``."""

    kind: str
    start: int
    end: int


_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# "@" preceded by a local-part character and followed by a domain character; the leading
# literal lets ``re`` jump from "@" to "@" instead of trying every position.
_EMAIL_HINT_RE = re.compile(r"@(?<=[\w.+-]@)[A-Za-z0-9]")
# Gate for booking codes near a keyword (on lower-cased text). Plain substring tests are
# much cheaper than a regex scan; "res" alone must end a word (the regex below).
_CODE_HINTS = ("conf", "book", "locator", "pnr", "reserv", "order", "ref", "ticket", "case")
_CODE_HINTS2 = ("claim", "file", "track")
_RES_WORD_RE = re.compile(r"res\b")
# Where a keyword of ``_CODE_CONTEXT_RE`` can start (lower-cased text; literals first so
# ``re`` skips ahead quickly). "record locator" is split so that no keyword start hides
# inside another match.
_CODE_KEYWORD_RE = re.compile(
    r"confirmation|conf|booking|record|locator|pnr|reservation|res|order|reference|ref|"
    r"ticket|case|claim|file|tracking"
)
# Characters that IGNORECASE matching equates with ASCII letters although lower() does not
# map them to those letters: texts with them use the plain (slower) scan.
_CASE_ODD = frozenset("\u0130\u0131\u017f\u212a")
# Necessary conditions for ``_ADDRESS_RE`` (a number, optional letter, spaces, then a
# capital or a digit; or "P.O. Box") and for ``_BARE_CODE_RE`` (six capitals/digits in a
# row): both regexes start with "\b" and would otherwise be tried at every position.
_ADDRESS_HINT_RE = re.compile(r"\d[A-Za-z]?\s+[A-Z\d]")
_BARE_HINT_RE = re.compile(r"[A-Z0-9]{6}")
_CARD_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_DIGIT_RE = re.compile(r"\d")
_PHONE_HINT_RE = re.compile(r"\d(?:[\s().+-]*\d){6,}")
_CODE_CONTEXT_RE = re.compile(
    r"\b(?:confirmation|conf|booking|record locator|locator|pnr|reservation|res|order|"
    r"reference|ref|ticket|case|claim|file|tracking)(?:\s+(?:code|number|no|num|id|#))?"
    r"\s*(?:is|was|:|#|-)?\s*#?\s*([A-Za-z0-9]{5,12})\b",
    re.IGNORECASE,
)
# a bare 6-character code mixing capitals and digits (typical record locator)
_BARE_CODE_RE = re.compile(r"\b(?=[A-Z0-9]{6}\b)(?=[A-Z0-9]*\d)(?=(?:[0-9]*[A-Z]){2})[A-Z0-9]{6}\b")
_STREET_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    r"parkway|pkwy|highway|hwy|terrace|ter|circle|cir|square|sq|trail|trl)"
)
_ADDRESS_RE = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))\s+){1,4}"
    r"(?i:" + _STREET_SUFFIX + r")\b\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    r"(?:,?\s+(?i:apt|apartment|unit|suite|ste|#)\.?\s*[A-Za-z0-9-]+)?"
    r"(?:,\s*[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*){0,2})?"
    r"(?:,?\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
    r"|\b(?i:P\.?\s?O\.?\s+Box)\s+\d+\b"
)
_NOT_CODE = frozenset({"number", "please", "status", "thanks", "today"})


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _overlaps(spans: list[PiiSpan], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def _code_hint(lower: str) -> bool:
    for k in _CODE_HINTS:
        if k in lower:
            return True
    for k in _CODE_HINTS2:
        if k in lower:
            return True
    return "res" in lower and _RES_WORD_RE.search(lower) is not None


def _code_contexts(text: str, lower: str) -> Iterator[re.Match[str]]:
    """``_CODE_CONTEXT_RE.finditer(text)``, trying only where a keyword starts.

    Every match starts at a keyword, so trying the keyword starts (found on the lower-cased
    text, overlapping ones included) in order, from the end of the previous match, finds
    the same matches as scanning every position."""
    if len(lower) != len(text) or not _CASE_ODD.isdisjoint(text):
        yield from _CODE_CONTEXT_RE.finditer(text)
        return
    pos = 0
    end = 0
    search = _CODE_KEYWORD_RE.search
    match = _CODE_CONTEXT_RE.match
    while (k := search(lower, pos)) is not None:
        start = k.start()
        pos = start + 1
        if start < end:
            continue
        m = match(text, start)
        if m is not None:
            end = m.end()
            yield m


def find_pii(text: str, region: str = "US") -> tuple[PiiSpan, ...]:
    """All personal-data spans in ``text``, sorted by start; overlaps resolved by priority."""
    spans: list[PiiSpan] = []
    if "@" in text and _EMAIL_HINT_RE.search(text):
        for m in _EMAIL_RE.finditer(text):
            spans.append(PiiSpan("email", m.start(), m.end()))
    has_digits = _DIGIT_RE.search(text) is not None
    long_digits = has_digits and _PHONE_HINT_RE.search(text) is not None
    if long_digits:
        for m in _CARD_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if 13 <= len(digits) <= 19 and luhn_ok(digits) and not _overlaps(spans, *m.span()):
                spans.append(PiiSpan("card", m.start(), m.end()))
        import phonenumbers  # deferred: ~40 ms import, needed only for long digit runs

        lenient = phonenumbers.Leniency.VALID
        for pm in phonenumbers.PhoneNumberMatcher(text, region, leniency=lenient):
            if not _overlaps(spans, pm.start, pm.end):
                spans.append(PiiSpan("phone", pm.start, pm.end))
    lower = text.lower()
    if has_digits and (_ADDRESS_HINT_RE.search(text) is not None or "box" in lower):
        for m in _ADDRESS_RE.finditer(text):
            if not _overlaps(spans, m.start(), m.end()):
                spans.append(PiiSpan("address", m.start(), m.end()))
    if _code_hint(lower):
        for m in _code_contexts(text, lower):
            code = m.group(1)
            s, e = m.span(1)
            if code.lower() in _NOT_CODE or not (any(c.isdigit() for c in code) or code.isupper()):
                continue
            if not _overlaps(spans, s, e):
                spans.append(PiiSpan("booking_code", s, e))
    if has_digits and _BARE_HINT_RE.search(text) is not None:
        for m in _BARE_CODE_RE.finditer(text):
            if not _overlaps(spans, m.start(), m.end()):
                spans.append(PiiSpan("booking_code", m.start(), m.end()))
    spans.sort(key=lambda s: (s.start, s.end))
    return tuple(spans)


def redact(text: str, spans: tuple[PiiSpan, ...] | None = None) -> str:
    """``text`` with every PII span replaced by ``[kind]``."""
    if spans is None:
        spans = find_pii(text)
    out: list[str] = []
    pos = 0
    for s in spans:
        if s.start < pos:
            continue
        out.append(text[pos : s.start])
        out.append(f"[{s.kind}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
