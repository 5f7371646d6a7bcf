"""The fast scoring path equals the reference featuriser, and the PII shortcuts are exact."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from crisisdesk.classify import load_classifier
from crisisdesk.classify import pii as pii_mod
from crisisdesk.classify.features import analyse
from crisisdesk.classify.keywords import TextView
from crisisdesk.classify.model import (
    _N_FIELDS,
    OFFSET,
    LinearModel,
    _decode_packed,
    encode_packed,
    unpack_fields,
)

DATA = Path("/work/shared/data/airline-tweets-2015.jsonl")
EXTRA: list[tuple[str, str | None]] = [
    ("", None),
    ("   ", "Acme"),
    ("@united", "United"),
    ("I don't like delays!!! not good, never again... ok", "Delta"),
    ("sooooo goooood :))) 😡😡😡 ... ,,, !!!???", None),
    ("NOT HAPPY with @AcmeAir AT ALL, #acmeair sucks http://t.co/x", "Acme Air"),
    ("isn'tx wasn't can't cannot\nnope\t\tno   way", None),
    ("Thanks   \n\n\n  VIRGIN   america!!!", "Virgin America"),
    ("café crème brûlée ÉCOLE ABCé", None),
    ("x" * 300 + " " + "y y " * 200, None),
]


def _corpus() -> list[tuple[str, str | None]]:
    out = list(EXTRA)
    if DATA.exists():
        for line in DATA.open(encoding="utf-8"):
            r = json.loads(line)
            out.append((r["text"], r.get("brand")))
    return out


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return load_classifier().model


def test_fast_path_equals_reference(model: LinearModel) -> None:
    for text, brand in _corpus():
        fields, masked, toks, keys = model.analyse_text(text, brand)
        a = analyse(text, (brand,), model.lexicon)
        assert fields == model.fields_of(a), text
        assert toks == a.toks, text
        assert keys == TextView(text, a.masked, a.toks).keys, text
        if keys:
            assert masked == a.masked, text


def test_cached_second_pass_is_identical(model: LinearModel) -> None:
    items = _corpus()[:500]
    first = [model.analyse_text(t, b)[0] for t, b in items]
    assert [model.analyse_text(t, b)[0] for t, b in items] == first


def test_packed_fields_round_trip() -> None:
    rng = random.Random(7)
    rows = [[rng.randrange(-(OFFSET - 1), OFFSET) for _ in range(8)] for _ in range(50)]
    vals = _decode_packed(encode_packed(rows), 8, len(rows))
    total = sum(vals)
    fields = unpack_fields(total)
    assert len(fields) == _N_FIELDS - 2  # the two count fields are consumed
    assert fields[:8] == [sum(col) for col in zip(*rows, strict=True)]


def test_code_context_shortcut_is_exact() -> None:
    rng = random.Random(3)
    words = [
        *("conf", "book", "record", "locator", "pnr", "res", "order", "ref", "case", "claim"),
        *("file", "track", "tracking", "12345", "AB12CD", "XYZ987", "Main", "St", "Box"),
        *("P.O.", "is:", "#", "-", "the", "Reservation", "CONFIRMATION", "İ", "ı", "ſ", "K"),
        "5th",
    ]
    texts = [t for t, _ in _corpus()]
    texts += [
        rng.choice([" ", ""]).join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        for _ in range(5000)
    ]
    for t in texts:
        want = [m.span(1) for m in pii_mod._CODE_CONTEXT_RE.finditer(t)]
        assert [m.span(1) for m in pii_mod._code_contexts(t, t.lower())] == want, t
