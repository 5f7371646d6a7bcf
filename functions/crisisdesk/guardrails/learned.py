"""Learned tone and promise scorers: linear models over word and character n-grams.

The phrase rules in tone.py and promises.py are precise but miss idioms their author never
wrote (quiet blame, condescension, "should be with you by Monday"). A logistic regression
per rule, trained offline by ``tools/train_guardrails.py`` and shipped as the JSON artifact
``reply_model.json``, catches many of those; check_message flags a reply when a rule OR the
model fires. Scoring is pure Python (dict look-ups), so Lambda needs no numpy.

Features (must match the trainer, which imports ``grams`` from here):
  * text lower-cased, typographic quotes made ASCII, @handles -> "_user_", URLs -> "_url_",
    digit runs -> "0" (so "£40" and "£25" share grams);
  * word unigrams and bigrams, binary, scaled by n**-norm_power (n = distinct word grams);
  * character 3-5-grams over the whole text, binary, scaled the same way by their count.
The scaling uses every gram of the text, not only those in the vocabulary, so dropping
rare or near-zero weights from the artifact does not change the other contributions.
norm_power (artifact) below 0.5 keeps one bad sentence from being diluted by friendly ones.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crisisdesk.guardrails._text import Clause, clauses, normalise
from crisisdesk.guardrails.errors import GuardrailError
from crisisdesk.guardrails.model import Commitment, Violation
from crisisdesk.guardrails.promises import covers, iter_promises

FORMAT = "crisisdesk-guardrail-ngram-logreg-v1"
ARTIFACT = Path(__file__).with_name("reply_model.json")
MODEL_RULES: tuple[str, ...] = ("tone", "promise")
CHAR_NS: tuple[int, ...] = (3, 4, 5)

_MESSAGES = {
    "tone": "reads as defensive, dismissive or sarcastic (model score {p:.2f})",
    "promise": "reads as a promise not backed by an approved commitment (model score {p:.2f})",
}

# Talk of updates and contact. House style: "we'll update you by 3pm" or "we'll be in touch
# within the hour" is not a promise; the phrase rule encodes that carefully, so a clause about
# communication that the rule passes is not flagged by the model either.
_COMMUNICATION = re.compile(
    r"\b(?:updates?|news|in\s+touch|get\s+back|back\s+to\s+you|repl(?:y|ies)|respond|response|"
    r"hear|let\s+you\s+know|keep\s+you\s+(?:posted|updated|informed)|contact|look(?:ing)?\s+into|"
    r"check(?:ing)?|investigat\w*|chas(?:e|ing)|email|call)\b",
    re.I,
)


def _exempt_clause(clause: Clause, approved: Sequence[Commitment]) -> bool:
    """True when a promise-looking clause is allowed: approved, or communication the rule passes."""
    if any(covers(c.text, clause.text) for c in approved):
        return True
    return _COMMUNICATION.search(clause.text) is not None and not any(iter_promises(clause.text))


# "You're not to blame", "it wasn't your fault": blame words the customer is cleared of.
# The n-gram model reads them as blame (weakness seen in tests), the phrase rule does not.
_EXONERATES = re.compile(
    r"\b(?:not|n't|never|no\s+one|nobody)\s+(?:\w+\s+){0,3}?(?:to\s+blame|(?:your|at)\s+fault|"
    r"blaming\s+you|your\s+doing)\b",
    re.I,
)


_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_HANDLE = re.compile(r"@\w+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_SPACE = re.compile(r"\s+")
# Words keep inner apostrophes ("we'll", "it's"); any other non-space character is a token
# of its own, so "?", "!" and emoji such as "🙄" count as words.
_TOKEN = re.compile(r"[\w]+(?:'\w+)*|[^\w\s]")


def prepare(text: str) -> str:
    """Return the text as the model sees it: lower-case with placeholders for handles etc."""
    t = normalise(text).lower()
    t = _URL.sub(" _url_ ", t)
    t = _HANDLE.sub(" _user_ ", t)
    t = _NUMBER.sub("0", t)
    return _SPACE.sub(" ", t).strip()


def grams(text: str) -> tuple[set[str], set[str]]:
    """Return (word uni/bi-grams, character 3-5-grams) of text, as sets (features are binary)."""
    p = prepare(text)
    toks = _TOKEN.findall(p)
    words = set(toks)
    words.update(f"{a} {b}" for a, b in itertools.pairwise(toks))
    padded = f" {p} "
    chars = {padded[i : i + n] for n in CHAR_NS for i in range(len(padded) - n + 1)}
    return words, chars


def scale(n: int, power: float) -> float:
    """Feature value of each of the n distinct grams of one block (n**-power, 0 when empty)."""
    return float(n) ** -power if n else 0.0


@dataclass(frozen=True)
class RuleModel:
    """Bias and decision threshold (both in logit space) of one rule's model."""

    rule: str
    index: int
    bias: float
    threshold: float


class ReplyModel:
    """The tone and promise linear models, scored in pure Python from the JSON artifact."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Build the scorer from the artifact's parsed JSON; raise GuardrailError if malformed."""
        if data.get("format") != FORMAT:
            raise GuardrailError(f"guardrail model format {data.get('format')!r} != {FORMAT!r}")
        order: list[str] = list(data["rules"])
        self.rules: dict[str, RuleModel] = {
            r: RuleModel(r, i, float(data["bias"][i]), float(data["threshold"][i]))
            for i, r in enumerate(order)
        }
        self.norm_power = float(data.get("norm_power", 0.5))
        self._words: dict[str, list[float]] = data["words"]
        self._chars: dict[str, list[float]] = data["chars"]

    def _logits_for(
        self, words: set[str], chars: set[str], ws: float, cs: float, with_bias: bool
    ) -> list[float]:
        out = [rm.bias if with_bias else 0.0 for rm in self.rules.values()]
        for table, keys, factor in ((self._words, words, ws), (self._chars, chars, cs)):
            # Every gram of a block has the same value, so sum the weights and scale once.
            found = [w for w in map(table.get, keys) if w is not None]
            if found:
                for i, total in enumerate(map(sum, zip(*found, strict=True))):
                    out[i] += total * factor
        return out

    def logits(self, text: str) -> dict[str, float]:
        """Return the raw score (logit) of each rule for text."""
        words, chars = grams(text)
        vals = self._logits_for(
            words,
            chars,
            scale(len(words), self.norm_power),
            scale(len(chars), self.norm_power),
            True,
        )
        return {r: vals[rm.index] for r, rm in self.rules.items()}

    def probability(self, text: str) -> dict[str, float]:
        """Return the model probability of each rule for text (logistic of the logit)."""
        return {r: _sigmoid(v) for r, v in self.logits(text).items()}

    def find(
        self,
        text: str,
        commitments: Sequence[Commitment] = (),
        rules: Sequence[str] = MODEL_RULES,
    ) -> list[Violation]:
        """Return one violation per rule in rules whose score reaches its threshold.

        text should be normalised (offsets are the caller's). The span is the clause that
        contributes most to the score. For promises, clauses covered by an approved
        commitment (the same test promises.find uses) or only about updates and contact
        are removed and the rest re-scored, so repeating an approved commitment is never
        flagged by the model.
        """
        wanted = [self.rules[r] for r in rules if r in self.rules]
        if not wanted:
            return []
        words, chars = grams(text)
        ws, cs = scale(len(words), self.norm_power), scale(len(chars), self.norm_power)
        total = self._logits_for(words, chars, ws, cs, True)
        out: list[Violation] = []
        parts: list[Clause] | None = None
        for rm in wanted:
            score = total[rm.index]
            if score < rm.threshold:
                continue
            parts = parts if parts is not None else clauses(text) or [Clause(0, len(text), text)]
            candidates: Sequence[Clause] = parts
            if rm.rule == "tone" and any(_EXONERATES.search(p.text) for p in parts):
                kept = [p for p in parts if not _EXONERATES.search(p.text)]
                if not kept:
                    continue
                score = self.logits(" ".join(p.text for p in kept))["tone"]
                if score < rm.threshold:
                    continue
                candidates = kept
            if rm.rule == "promise":
                approved = [c for c in commitments if c.approved]
                rescored = self._without_exempt(text, parts, approved)
                if rescored is None or rescored[0] < rm.threshold:
                    continue
                score, candidates = rescored
            best = max(
                candidates,
                key=lambda c: self._contribution(c.text, words, chars, ws, cs)[rm.index],
            )
            message = _MESSAGES[rm.rule].format(p=_sigmoid(score))
            out.append(Violation(rm.rule, best.start, best.end, message))
        return out

    def _contribution(
        self, clause: str, words: set[str], chars: set[str], ws: float, cs: float
    ) -> list[float]:
        # A clause's share of the message score: its grams, weighted as in the whole message.
        cw, cc = grams(clause)
        return self._logits_for(cw & words, cc & chars, ws, cs, False)

    def _without_exempt(
        self, text: str, parts: Sequence[Clause], approved: Sequence[Commitment]
    ) -> tuple[float, Sequence[Clause]] | None:
        """Promise logit of text without its exempt clauses, and the clauses kept.

        Exempt: covered by an approved commitment (promises.covers, as the rule uses) or
        about communication only (_exempt_clause). None when every clause is exempt.
        """
        if any(covers(c.text, text) for c in approved):
            return None
        kept = [p for p in parts if not _exempt_clause(p, approved)]
        if not kept:
            return None
        if len(kept) == len(parts):
            return self.logits(text)["promise"], parts
        return self.logits(" ".join(p.text for p in kept))["promise"], kept


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@functools.cache
def load(path: Path = ARTIFACT) -> ReplyModel:
    """Load and cache the model artifact; raise GuardrailError when it is missing or invalid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GuardrailError(f"cannot load guardrail model {path}: {exc}") from exc
    return ReplyModel(data)
