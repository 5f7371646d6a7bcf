"""Text normalisation and feature extraction shared by training and run time (pure Python).

Mentions, URLs and brand names are masked *before* any scoring so that a brand called
"United" or "Virgin" never carries sentiment. The same ``extract_features`` is used by
``tools/train_classifier.py`` and by the runtime predictor, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

MENTION_TOKEN = "_user_"  # noqa: S105
BRAND_TOKEN = "_brand_"  # noqa: S105
URL_TOKEN = "_url_"  # noqa: S105

_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"@\w+")
_HTML_ENT = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_HTML_RE = re.compile(r"&(?:amp|lt|gt|quot|#39);")
_ELONG_RE = re.compile(r"(.)\1\1+")
# words (with inner apostrophes), "!"/"?" runs, and any non-ASCII symbol (emoji etc.)
# words starting with a letter (numbers are dropped), "!"/"?" runs, clause punctuation and
# any non-ASCII symbol (emoji etc.)
_TOKEN_RE = re.compile(r"[a-z_][a-z0-9_]*(?:'[a-z]+)?|[!?]+|[.,;:]|[^\x00-\x7f\s\w\ufe0f\u200d]")
_SPLIT_BRAND_RE = re.compile(r"[^a-z0-9]+")

NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nowhere",
        "neither",
        "nor",
        "cannot",
        "cant",
        "can't",
        "dont",
        "don't",
        "doesnt",
        "doesn't",
        "didnt",
        "didn't",
        "isnt",
        "isn't",
        "wasnt",
        "wasn't",
        "werent",
        "weren't",
        "wont",
        "won't",
        "wouldnt",
        "wouldn't",
        "shouldnt",
        "shouldn't",
        "couldnt",
        "couldn't",
        "havent",
        "haven't",
        "hasnt",
        "hasn't",
        "hadnt",
        "hadn't",
        "aint",
        "ain't",
        "without",
        "lack",
    ]
)
_CLAUSE_END = frozenset([".", ",", ";", ":"])
_NEG_SCOPE = 3
# Tokens of a multi-word brand too generic to mask on their own.
_GENERIC_BRAND_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "us",
        "usa",
        "inc",
        "ltd",
        "co",
        "corp",
        "company",
        "group",
        "air",
        "airline",
        "airlines",
        "airways",
    ]
)


def _unescape(text: str) -> str:
    return _HTML_RE.sub(lambda m: _HTML_ENT[m.group(0)], text)


@lru_cache(maxsize=256)
def brand_variants(brand: str | None) -> tuple[str, ...]:
    """Lower-case spellings of a brand to mask: full name without spaces and distinctive words."""
    if not brand:
        return ()
    b = brand.lower().lstrip("@#")
    parts = [p for p in _SPLIT_BRAND_RE.split(b) if p]
    out: set[str] = set()
    joined = "".join(parts)
    if len(joined) >= 3:
        out.add(joined)
    for p in parts:
        if len(p) >= 4 and p not in _GENERIC_BRAND_WORDS:
            out.add(p)
    return tuple(sorted(out, key=len, reverse=True))


def mask_text(text: str, brands: Iterable[str | None] = ()) -> str:
    """Lower-case ``text`` with URLs, @mentions and brand names replaced by placeholder tokens."""
    t = _unescape(text) if "&" in text else text
    if "http" in t or "www." in t or "HTTP" in t or "WWW." in t:
        t = _URL_RE.sub(f" {URL_TOKEN} ", t)
    if "@" in t:
        t = _MENTION_RE.sub(f" {MENTION_TOKEN} ", t)
    t = t.lower()
    variants: list[str] = []
    for b in brands:
        variants.extend(v for v in brand_variants(b) if v in t)
    if variants:
        pat = _brand_pattern(tuple(sorted(set(variants), key=len, reverse=True)))
        t = pat.sub(f" {BRAND_TOKEN} ", t)
    return t


@lru_cache(maxsize=256)
def _brand_pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(v) for v in variants)
    # a word starting with the brand ("#southwestair", "usairways") is the brand too
    return re.compile(rf"#?\b(?:{alt})\w*")


def tokenize(masked: str) -> list[str]:
    """Split masked text into tokens, squashing elongations ("sooooo" -> "soo")."""
    return _TOKEN_RE.findall(_ELONG_RE.sub(r"\1\1", masked))


CHAR_NGRAM_SIZES = (2, 3, 4, 5)


def char_grams(word: str) -> list[str]:
    """Character 2-5-grams of one word padded with spaces (like scikit-learn's ``char_wb``)."""
    s = " " + word + " "
    return [*map(s.__getitem__, _gram_slices(len(s)))]


@lru_cache(maxsize=64)
def _gram_slices(n: int) -> tuple[slice, ...]:
    # the slices of every gram of a padded word of length n, sizes 2..5 in order; cached
    # so that cutting a word's grams is one C-level ``map``
    return tuple(slice(i, i + k) for k in CHAR_NGRAM_SIZES for i in range(n - k + 1))


def lexicon_bucket(valence: float) -> str:
    """Map a lexicon valence (VADER scale, -4..4) to one of four coarse feature names."""
    if valence <= -2.0:
        return "#lex--"
    if valence < 0.0:
        return "#lex-"
    if valence >= 2.0:
        return "#lex++"
    return "#lex+"


_FLIP = {"#lex--": "#lex+", "#lex-": "#lex+", "#lex+": "#lex-", "#lex++": "#lex-"}


class Analysis(NamedTuple):
    """Features of one text: word-level features, tokens and the masked lower-cased text."""

    feats: list[str]
    toks: list[str]
    masked: str


def analyse(
    text: str,
    brands: Iterable[str | None] = (),
    lexicon: dict[str, str] | None = None,
) -> Analysis:
    """Analyse ``text``: features for the linear model, tokens (also fed to char n-grams).

    Word-level features: unigrams (marked "n:" in a negation scope), bigrams, lexicon
    buckets (flipped under negation) and shape cues.
    """
    masked = _ELONG_RE.sub(r"\1\1", mask_text(text, brands))
    toks = _TOKEN_RE.findall(masked)
    if "n't" not in masked and NEGATORS.isdisjoint(toks):
        feats = toks.copy()
        if lexicon:
            feats += filter(None, map(lexicon.get, toks))
    else:
        uni, lex = _negated(toks, lexicon)
        feats = uni + lex
    seq = ["<s>", *toks, "</s>"]
    feats += map(" ".join, pairwise(seq))
    if _CAPS_RE.search(text) is not None:
        feats.append("#caps2" if len(_CAPS_RE.findall(text)) >= 2 else "#caps1")
    if _PLACEHOLDERS.issuperset(toks):
        feats.append("#empty")
    return Analysis(feats, toks, masked)


def _negated(toks: list[str], lexicon: dict[str, str] | None) -> tuple[list[str], list[str]]:
    uni: list[str] = []
    lex: list[str] = []
    neg = 0
    for tok in toks:
        if tok in _CLAUSE_END or tok[0] in "!?":
            neg = 0
            uni.append(tok)
            continue
        if lexicon is not None:
            bucket = lexicon.get(tok)
            if bucket is not None:
                lex.append(_FLIP[bucket] if neg else bucket)
        if neg:
            uni.append("n:" + tok)
            neg -= 1
        else:
            uni.append(tok)
        if tok in NEGATORS or tok.endswith("n't"):
            neg = _NEG_SCOPE
    return uni, lex


# An upper-case run of 3+ letters not preceded by a word character, "@" or "#" and not
# followed by a word character. Written to start with "[A-Z]" (the preceding-character
# test is a look-behind after the first letter) so that ``re`` skips to capitals quickly.
_CAPS_RE = re.compile(r"[A-Z](?<![\w@#][A-Z])[A-Z]{2,}(?!\w)")
_PLACEHOLDERS = frozenset((MENTION_TOKEN, URL_TOKEN, BRAND_TOKEN))
