"""The feedback classifier: sentiment, category, severity, troll score, PII, needs_response."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

from .keywords import TextView
from .model import SENTIMENTS, LinearModel, load_model
from .pii import PiiSpan, find_pii
from .severity import assess
from .taxonomy import rule_category
from .troll import TROLL_THRESHOLD, AuthorActivity, troll_signals

CATEGORY_MIN_PROB = 0.45  # below this (and no rule) the category is "other"


@dataclass(frozen=True)
class FeedbackInput:
    """One feedback item as the platform adapters normalise it."""

    text: str
    id: str | None = None
    author: str | None = None
    brand: str | None = None
    created_at: str | None = None
    followers: int | None = None
    following: int | None = None
    statuses: int | None = None
    account_created_at: str | None = None
    default_profile_image: bool | None = None
    verified: bool | None = None
    retweets: int | None = None


@dataclass(frozen=True)
class Classification:
    """Everything the classifier says about one item."""

    sentiment: str
    negative_score: float
    category: str
    severity: str
    severity_reasons: tuple[str, ...]
    troll_score: float
    troll_reasons: tuple[str, ...]
    pii: tuple[PiiSpan, ...]
    needs_response: bool
    response_reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists, PII spans become objects)."""
        return {
            "sentiment": self.sentiment,
            "negative_score": self.negative_score,
            "category": self.category,
            "severity": self.severity,
            "severity_reasons": list(self.severity_reasons),
            "troll_score": self.troll_score,
            "troll_reasons": list(self.troll_reasons),
            "pii": [{"kind": s.kind, "start": s.start, "end": s.end} for s in self.pii],
            "needs_response": self.needs_response,
            "response_reason": self.response_reason,
        }


class Classifier:
    """Pure-Python feedback classifier over a loaded ``LinearModel``."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.threshold = model.threshold

    def classify(
        self, item: FeedbackInput, activity: AuthorActivity | None = None
    ) -> Classification:
        """Classify one item; ``activity`` is the author's/stream context if known."""
        text = item.text
        model = self.model
        fields, masked, _, keys = model.analyse_text(text, item.brand)
        p, negative_score = model.scores(fields)
        sentiment = SENTIMENTS[model.sentiment_index(p)]
        neg_score = round(negative_score, 4)
        flagged_negative = negative_score >= self.threshold

        view = TextView.prepared(text, masked, keys)
        category = rule_category(view) if keys else None
        if category is None:
            cz = model.category_logits(fields)
            top = max(cz)
            best = cz.index(top)
            # softmax probability of the best category: 1 / sum(exp(z - top))
            p_best = 1.0 / sum([math.exp(z - top) for z in cz])
            category = model.categories[best] if p_best >= CATEGORY_MIN_PROB else "other"

        pii = find_pii(text)
        severity, sev_reasons = assess(
            view,
            negative=flagged_negative,
            followers=item.followers,
            verified=item.verified,
            retweets=item.retweets,
            has_pii=bool(pii),
        )
        troll_score, troll_reasons = troll_signals(
            view,
            created_at=item.created_at,
            followers=item.followers,
            following=item.following,
            statuses=item.statuses,
            account_created_at=item.account_created_at,
            default_profile_image=item.default_profile_image,
            verified=item.verified,
            activity=activity,
        )
        needs, reason = _response_decision(
            flagged_negative, sentiment, severity, troll_score, bool(pii), text
        )
        return Classification(
            sentiment=sentiment,
            negative_score=neg_score,
            category=category,
            severity=severity,
            severity_reasons=sev_reasons,
            troll_score=troll_score,
            troll_reasons=troll_reasons,
            pii=pii,
            needs_response=needs,
            response_reason=reason,
        )


def _response_decision(
    negative: bool, sentiment: str, severity: str, troll_score: float, has_pii: bool, text: str
) -> tuple[bool, str]:
    if troll_score >= TROLL_THRESHOLD:
        return False, "suspected troll or fake account: record, do not engage"
    if severity in ("SEV1", "SEV2"):
        return True, f"{severity}: urgent issue, respond and take offline"
    if negative:
        return True, "negative feedback: acknowledge and take offline"
    if has_pii:
        return True, "personal data posted in public: move to a private channel"
    if "?" in text and sentiment != "positive":
        return True, "question addressed to the brand"
    return False, f"{sentiment} feedback without a question: no reply needed"


_LOCK = threading.Lock()
_CACHED: Classifier | None = None


def load_classifier() -> Classifier:
    """Return the process-wide classifier, loading the shipped artifact on first use."""
    global _CACHED
    if _CACHED is None:
        with _LOCK:
            if _CACHED is None:
                _CACHED = Classifier(load_model())
    return _CACHED
