"""Feedback classifier: sentiment, category, severity, troll score, PII and needs_response.

Pure Python at run time (stdlib + phonenumbers); weights are trained offline by
``tools/train_classifier.py`` and shipped as ``model.json``, loaded lazily once per process.
"""

from __future__ import annotations

from .classifier import (
    Classification,
    Classifier,
    FeedbackInput,
    load_classifier,
)
from .errors import ArtifactError, ClassifierError, InputError
from .pii import PII_KINDS, PiiSpan, find_pii, redact
from .severity import SEVERITIES
from .taxonomy import CATEGORIES
from .troll import TROLL_THRESHOLD, AuthorActivity, StreamTracker

__all__ = [
    "CATEGORIES",
    "PII_KINDS",
    "SEVERITIES",
    "TROLL_THRESHOLD",
    "ArtifactError",
    "AuthorActivity",
    "Classification",
    "Classifier",
    "ClassifierError",
    "FeedbackInput",
    "InputError",
    "PiiSpan",
    "StreamTracker",
    "find_pii",
    "load_classifier",
    "redact",
]
