"""Errors raised by the feedback classifier."""

from __future__ import annotations


class ClassifierError(Exception):
    """Base class for classifier errors."""


class ArtifactError(ClassifierError):
    """The weights artifact is missing, unreadable or of an unknown format."""


class InputError(ClassifierError, ValueError):
    """A feedback item is malformed (not an object, no text, wrong field types)."""
