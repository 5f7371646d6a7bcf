"""Pure-Python linear predictor over the shipped weights artifact (no numpy at run time).

Artifact (``model.json``, gzip also accepted): JSON with word- and character-feature keys,
their weights as fixed-point integers (see below), the calibration of ``negative_score`` and
the operating threshold. Scores equal those of the offline scikit-learn models (see
tools/train_classifier.py) up to the fixed-point rounding (< 1e-5 in a logit).

Why packed integers: scoring one text sums a dozen weight columns over ~50 word features
and ~20 tokens. Summing tuples column by column costs Python-level work per column and
feature; instead each key's weights are the 64-bit fields of one Python ``int``, so the
whole linear score is one C-level ``sum()`` of ints, and ``int.to_bytes`` plus
``memoryview.cast("Q")`` split the fields again. Fields hold ``w * 2**SCALE_BITS + 2**31``
(never negative, so fields never borrow from each other) and every key counts itself in a
count field, which tells how many offsets to subtract after the sum. A field overflows only
after 2**32 terms, far beyond any text.
"""

from __future__ import annotations

import base64
import gc
import gzip
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import chain, islice, repeat
from operator import add, mul
from typing import Any, Literal

from . import keywords
from .errors import ArtifactError
from .features import (
    _CAPS_RE,
    _ELONG_RE,
    _PLACEHOLDERS,
    _TOKEN_RE,
    NEGATORS,
    Analysis,
    char_grams,
    mask_text,
)

ARTIFACT_NAME = "model.json"
FORMAT = "crisisdesk-classifier/2"
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
SCALE_BITS = 18  # fixed point: weight w is stored as round(w * 2**SCALE_BITS) + OFFSET
OFFSET = 1 << 31  # stored fields are unsigned 32-bit: |w| < 2**13
WORD_FIELDS = 8  # idf^2, sentiment (neg-neu, pos-neu), category (c_j - c_0, j = 1..5)
CHAR_FIELDS = 2  # sentiment (neg-neu, pos-neu)
# Field layout of a packed int (64 bits each): word fields, word count, char fields, char
# count, number of char grams (known or not: the char block is normalised by all grams).
_W_COUNT = WORD_FIELDS
_C0 = WORD_FIELDS + 1
_C_COUNT = _C0 + CHAR_FIELDS
_N_GRAMS = _C_COUNT + 1
_N_FIELDS = _N_GRAMS + 1
_NBYTES = 8 * _N_FIELDS
_CHAR_SHIFT = 64 * _C0
_GRAM_ONE = 1 << (64 * _N_GRAMS)
_TOKEN_GRAM_ONE = 1 << (64 * (_N_GRAMS - _C0))  # gram count in a token's (unshifted) value
_CHAR_CACHE_MAX = 100_000
BIGRAM_SHIFT = 20  # bigram key = id(first) << 20 | id(second)
_ZERO = repeat(0)
_FLIP = {"#lex--": "#lex+", "#lex-": "#lex+", "#lex+": "#lex-", "#lex++": "#lex-"}
_CLAUSE_END = frozenset([".", ",", ";", ":"])
_NEG_SCOPE = 3
_BIG_ENDIAN = sys.byteorder == "big"


def stored_fields(values: Sequence[int]) -> list[int]:
    """Unsigned 32-bit stored fields of one key: offset values, then the count (1)."""
    return [v + OFFSET for v in values] + [1]


def encode_packed(rows: Iterable[Sequence[int]]) -> str:
    """Base64 of little-endian uint32 stored fields, key after key (offline trainer)."""
    out = bytearray()
    for row in rows:
        for v in stored_fields(row):
            out += v.to_bytes(4, "little")
    return base64.b64encode(bytes(out)).decode("ascii")


def encode_token_chars(
    tokens: Sequence[str], char_keys: Sequence[str], char_rows: Sequence[Sequence[int]]
) -> str:
    """Base64 of each token's char fields (offset sums, known-gram count, gram count) as
    little-endian uint64: exactly what the runtime's ``_token_contrib`` would compute."""
    rows = dict(zip(char_keys, char_rows, strict=True))
    out = bytearray()
    for tok in tokens:
        grams = char_grams(tok)
        known = [rows[g] for g in grams if g in rows]
        k = len(known)
        fields = [sum(col) + k * OFFSET for col in zip(*known, strict=True)] if known else []
        fields = fields or [0] * CHAR_FIELDS
        for v in (*fields, k, len(grams)):
            out += v.to_bytes(8, "little")
    return base64.b64encode(bytes(out)).decode("ascii")


def _decode_packed(b64: str, n_values: int, n: int) -> list[int]:
    """One int per key with its stored fields widened to 64 bits (bytes ops in C)."""
    raw = base64.b64decode(b64)
    per = 4 * (n_values + 1)
    if len(raw) != per * n:
        raise ArtifactError(f"weight block has {len(raw)} bytes, expected {per * n}")
    wide = bytearray(2 * len(raw))
    for b in range(4):
        wide[b::8] = raw[b::4]
    w = 2 * per
    end = len(wide)
    # C-level iteration: slices -> chunks -> ints, no Python code per key
    chunks = map(wide.__getitem__, map(slice, range(0, end, w), range(w, end + w, w)))
    little: Literal["little"] = "little"
    return [*map(int.from_bytes, chunks, repeat(little))]


def unpack_fields(total: int) -> list[int]:
    """Signed fixed-point sums from a sum of packed ints: word fields, char fields, grams."""
    # native byte order so that cast("Q") reads each 8-byte field as the number it is
    f = memoryview(total.to_bytes(_NBYTES, sys.byteorder)).cast("Q").tolist()
    if _BIG_ENDIAN:
        f.reverse()
    wo = f[_W_COUNT] * OFFSET
    co = f[_C_COUNT] * OFFSET
    return [
        *[v - wo for v in f[:_W_COUNT]],
        *[v - co for v in f[_C0:_C_COUNT]],
        f[_N_GRAMS],
    ]


@dataclass(frozen=True)
class Prediction:
    """Raw model output for one text."""

    probs: tuple[float, float, float]  # negative, neutral, positive
    negative_score: float  # calibrated P(negative)
    category_probs: tuple[float, ...]  # over ``categories``


class LinearModel:
    """Multinomial logistic models for sentiment and complaint category, in pure Python."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ArtifactError(f"unknown artifact format {data.get('format')!r}")
        try:
            self.categories: tuple[str, ...] = tuple(data["categories"])
            k = len(self.categories)
            if k != WORD_FIELDS - 2:
                raise ArtifactError(f"expected {WORD_FIELDS - 2} categories, got {k}")
            if data.get("scale_bits") != SCALE_BITS:
                raise ArtifactError("artifact fixed-point scale differs from this runtime")
            wkeys: list[str] = data["word_keys"]
            ckeys: list[str] = data["char_keys"]
            bkeys: list[int] = data["bigram_keys"]
            btoks: list[str] = data["bigram_tokens"]
            wvals = _decode_packed(data["word_weights"], WORD_FIELDS, len(wkeys))
            bvals = _decode_packed(data["bigram_weights"], WORD_FIELDS, len(bkeys))
            cvals = _decode_packed(data["char_weights"], CHAR_FIELDS, len(ckeys))
            bias = tuple(float(v) for v in data["bias"])
            if len(bias) != 3:
                raise ArtifactError("sentiment bias must have 3 values")
            self._bias: tuple[float, float, float] = (bias[0], bias[1], bias[2])
            self._cat_bias: tuple[float, ...] = tuple(float(v) for v in data["cat_bias"])
            if len(self._cat_bias) != k:
                raise ArtifactError("cat_bias must have one value per category")
            self._cal_a = float(data["calibration"]["a"])
            self._cal_b = float(data["calibration"]["b"])
            self.threshold = float(data["threshold"])
            # log-probability offsets for the sentiment argmax (fitted for macro-F1 on
            # held-out training brands)
            offs = [float(v) for v in data.get("class_offsets", (0.0, 0.0, 0.0))]
            if len(offs) != 3:
                raise ArtifactError("class_offsets must have 3 values")
            self.class_offsets: tuple[float, float, float] = (offs[0], offs[1], offs[2])
            self.lexicon: dict[str, str] = dict(data["lexicon"])
            self.meta: dict[str, Any] = dict(data.get("meta", {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtifactError(f"malformed artifact: {exc}") from exc
        self._k = k
        self._class_mult = tuple(math.exp(v) for v in self.class_offsets)
        # one dict for every word feature; bigrams are keyed by a pair of token ids instead
        # of the "first second" string, so that scoring never builds feature strings (an
        # unknown token has id 0: its pair keys, < 2**20 or with low bits 0, match nothing)
        self._word: dict[str | int, int] = dict(zip(wkeys, wvals, strict=True))
        self._word.update(zip(bkeys, bvals, strict=True))
        self._tid: dict[str, int] = dict(zip(btoks, range(1, len(btoks) + 1), strict=True))
        if len(self._tid) >= 1 << BIGRAM_SHIFT:
            raise ArtifactError("too many bigram tokens")
        self._start = self._tid.get("<s>", 0)
        self._end = self._tid.get("</s>", 0)
        # char-gram and token values stay in the low fields (small ints add fast); a text's
        # char sum is shifted into the char fields once
        self._char: dict[str, int] = dict(zip(ckeys, cvals, strict=True))
        # per-token caches: packed char-gram contribution (with the gram count), preloaded
        # with the training tokens, and the rule-trigger keys of each token seen
        self._tok_cache: dict[str, int] = {}
        self._token_chars: dict[str, int] = {}
        if "token_keys" in data:
            tkeys: list[str] = data["token_keys"]
            raw = base64.b64decode(data["token_chars"])
            per = 8 * (CHAR_FIELDS + 2)
            if len(raw) != per * len(tkeys):
                raise ArtifactError("token_chars does not match token_keys")
            frm = int.from_bytes
            self._token_chars = {
                t: frm(raw[i : i + per], "little")
                for t, i in zip(tkeys, range(0, len(raw), per), strict=True)
            }
            self._tok_cache.update(self._token_chars)
        self._trig_cache: dict[str, frozenset[str]] = {}
        self._chunk_cache: dict[str, tuple[str, ...]] = {}
        self._n_triggers = len(keywords.ALL_TRIGGERS)
        b0, b1, b2 = self._bias
        self._b_neg = b0 - b1
        self._b_pos = b2 - b1
        cb0 = self._cat_bias[0]
        self._cb = [c - cb0 for c in self._cat_bias]
        self._scale = float(1 << SCALE_BITS)

    # ----- per-token caches -------------------------------------------------------------

    def _token_contrib(self, tok: str) -> int:
        """Packed char-gram sentiment sums of one token plus its gram count. Cached
        (bounded; the training tokens stay)."""
        cache = self._tok_cache
        if len(cache) >= _CHAR_CACHE_MAX + len(self._token_chars):
            cache.clear()
            cache.update(self._token_chars)
        grams = char_grams(tok)
        v = sum(map(self._char.get, grams, _ZERO)) + len(grams) * _TOKEN_GRAM_ONE
        cache[tok] = v
        return v

    def _trigger_keys(self, tok: str) -> frozenset[str]:
        cache = self._trig_cache
        if len(cache) >= _CHAR_CACHE_MAX:
            cache.clear()
        keys = cache[tok] = keywords.trigger_keys(tok)
        return keys

    def _tokenize_chunk(self, chunk: str) -> tuple[str, ...]:
        """Tokens of one whitespace-free chunk of masked text (elongations squashed)."""
        cache = self._chunk_cache
        if len(cache) >= _CHAR_CACHE_MAX:
            cache.clear()
        # squash elongations ("sooooo" -> "soo") only where there are any
        chunk_sq = _ELONG_RE.sub(r"\1\1", chunk) if _ELONG_RE.search(chunk) else chunk
        if chunk_sq.isalpha() and chunk_sq.isascii():  # a plain word is one token
            toks: tuple[str, ...] = (chunk_sq,)
        else:
            toks = tuple(_TOKEN_RE.findall(chunk_sq))
        cache[chunk] = toks
        return toks

    def _check_triggers(self) -> None:
        # a Rule created after this model was loaded adds triggers: recompute the cache
        n = len(keywords.ALL_TRIGGERS)
        if n != self._n_triggers:
            self._n_triggers = n
            self._trig_cache.clear()

    # ----- scoring ----------------------------------------------------------------------

    def analyse_text(
        self, text: str, brand: str | None
    ) -> tuple[list[int], str, list[str], set[str]]:
        """Hot path: score ``text`` (``brand`` masked) without building feature strings.

        Returns the fixed-point field sums (for ``scores`` and ``category_logits``), the
        masked lower-cased text (elongations squashed only when there are trigger keys:
        keyword rules read it only then), its tokens, and the rule-trigger keys among the
        tokens (for ``TextView``). The features are exactly those of ``features.analyse`` (a test
        compares the two on the labelled corpus).
        """
        self._check_triggers()
        masked = mask_text(text, (brand,))
        # Tokens never span whitespace (nor do elongations that matter to tokens), so the
        # text is tokenised whitespace chunk by chunk through a cache: chunks repeat a lot.
        chunks = masked.split()
        got = [*map(self._chunk_cache.get, chunks)]
        if None in got:
            tokenize = self._tokenize_chunk
            got = [g if g is not None else tokenize(c) for g, c in zip(got, chunks, strict=True)]
        toks: list[str] = [*chain.from_iterable(got)]  # type: ignore[arg-type]
        lex = self.lexicon
        # binary features (a set, like training's binary vectoriser); None from the
        # lexicon lookups is harmless: it is no key
        feats: set[Any]
        if "n't" not in masked and NEGATORS.isdisjoint(toks):
            feats = {*toks, *map(lex.get, toks)}
        else:
            feats = _negation_feats(toks, lex)
        ids = [self._start, *map(self._tid.get, toks, _ZERO), self._end]
        feats.update(map(add, map(mul, ids, repeat(1 << BIGRAM_SHIFT)), islice(ids, 1, None)))
        m = _CAPS_RE.search(text)
        if m is not None:
            feats.add("#caps1" if _CAPS_RE.search(text, m.end()) is None else "#caps2")
        if _PLACEHOLDERS.issuperset(toks):
            feats.add("#empty")
        total = sum(map(self._word.get, feats, _ZERO))
        if toks:
            contrib = [*map(self._tok_cache.get, toks)]
            if None in contrib:
                tc = self._token_contrib
                contrib = [
                    c if c is not None else tc(t) for c, t in zip(contrib, toks, strict=True)
                ]
            # token values are small ints (char fields only): shift their sum into place
            total += sum(contrib) << _CHAR_SHIFT  # type: ignore[arg-type]
            tk = [*map(self._trig_cache.get, toks)]
            if None in tk:
                tg = self._trigger_keys
                tk = [k if k is not None else tg(t) for k, t in zip(tk, toks, strict=True)]
            keys: set[str] = set().union(*tk)  # type: ignore[arg-type]
        else:
            keys = set()
        if keys:  # rules read the squashed text; no rule runs without a trigger key
            masked = _ELONG_RE.sub(r"\1\1", masked)
        return unpack_fields(total), masked, toks, keys

    def fields_of(self, a: Analysis) -> list[int]:
        """Reference path: field sums from an ``Analysis`` (feature strings, char grams)."""
        word = self._word
        tid = self._tid
        total = 0
        for f in set(a.feats):
            if " " in f:
                x, _, y = f.partition(" ")
                key: str | int = (tid.get(x, 0) << BIGRAM_SHIFT) | tid.get(y, 0)
            else:
                key = f
            total += word.get(key, 0)
        for t in a.toks:
            grams = char_grams(t)
            total += (sum(self._char.get(g, 0) for g in grams) << _CHAR_SHIFT) + len(
                grams
            ) * _GRAM_ONE
        return unpack_fields(total)

    def scores(self, fields: Sequence[int]) -> tuple[tuple[float, float, float], float]:
        """(sentiment probabilities, calibrated P(negative)) from the packed-field sums."""
        q = fields[0]
        z0 = self._b_neg
        z2 = self._b_pos
        if q > 0:
            inv = 1.0 / math.sqrt(q * self._scale)
            z0 += fields[1] * inv
            z2 += fields[2] * inv
        n = fields[-1]
        if n:
            inv = 1.0 / (math.sqrt(n) * self._scale)
            z0 += fields[WORD_FIELDS] * inv
            z2 += fields[WORD_FIELDS + 1] * inv
        # neutral is the reference class (z1 = 0)
        m = z0 if z0 > 0.0 else 0.0
        if z2 > m:
            m = z2
        e0, e1, e2 = math.exp(z0 - m), math.exp(-m), math.exp(z2 - m)
        s = e0 + e1 + e2
        p0 = e0 / s
        p = min(max(p0, 1e-6), 1.0 - 1e-6)
        neg = 1.0 / (1.0 + math.exp(-(self._cal_a * math.log(p / (1.0 - p)) + self._cal_b)))
        return (p0, e1 / s, e2 / s), neg

    def category_logits(self, fields: Sequence[int]) -> list[float]:
        """Category logits relative to the first category (softmax-equivalent)."""
        q = fields[0]
        cb = self._cb
        if q <= 0:
            return list(cb)
        inv = 1.0 / math.sqrt(q * self._scale)
        return [cb[0], *(c + f * inv for c, f in zip(cb[1:], fields[3:WORD_FIELDS], strict=True))]

    def predict(self, text: str, brand: str | None = None) -> Prediction:
        """Score one text; ``brand`` (name or handle) is masked before scoring."""
        fields = self.analyse_text(text, brand)[0]
        probs, neg = self.scores(fields)
        return Prediction(probs, neg, _softmax(self.category_logits(fields)))

    def predict_analysis(self, a: Analysis) -> Prediction:
        """Score an ``Analysis`` made with this model's lexicon (reference path)."""
        fields = self.fields_of(a)
        probs, neg = self.scores(fields)
        return Prediction(probs, neg, _softmax(self.category_logits(fields)))

    def sentiment_index(self, probs: tuple[float, float, float]) -> int:
        """Index into ``SENTIMENTS``: argmax of log-probabilities plus the class offsets."""
        m0, m1, m2 = self._class_mult
        a, b, c = probs[0] * m0, probs[1] * m1, probs[2] * m2
        return 0 if a >= b and a >= c else (1 if b >= c else 2)


def _negation_feats(toks: list[str], lexicon: dict[str, str]) -> set[Any]:
    """Unigrams ("n:" + token inside a negation scope) and lexicon buckets (flipped inside).

    Mirrors ``features._negated``."""
    feats: set[Any] = set()
    add_ = feats.add
    neg = 0
    get = lexicon.get
    for tok in toks:
        if tok in _CLAUSE_END or tok[0] in "!?":
            neg = 0
            add_(tok)
            continue
        bucket = get(tok)
        if bucket is not None:
            add_(_FLIP[bucket] if neg else bucket)
        if neg:
            add_("n:" + tok)
            neg -= 1
        else:
            add_(tok)
        if tok in NEGATORS or tok.endswith("n't"):
            neg = _NEG_SCOPE
    return feats


def _softmax(z: Sequence[float]) -> tuple[float, ...]:
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return tuple(v / s for v in e)


def load_artifact_data(raw: bytes) -> dict[str, Any]:
    """Decode an artifact (gzip-compressed or plain JSON bytes)."""
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read artifact: {exc}") from exc
    if not isinstance(data, dict):
        raise ArtifactError("artifact is not a JSON object")
    return data


def load_model(path: str | None = None) -> LinearModel:
    """Load the linear model from ``path`` or from the packaged artifact."""
    try:
        if path is None:
            raw = resources.files(__package__).joinpath(ARTIFACT_NAME).read_bytes()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise ArtifactError(f"cannot open classifier artifact: {exc}") from exc
    enabled = gc.isenabled()
    gc.disable()  # ~50k small objects: collection passes would double the load time
    try:
        model = LinearModel(load_artifact_data(raw))
        gc.freeze()  # long-lived weights: keep them out of later collection passes
        return model
    finally:
        if enabled:
            gc.enable()
