"""Errors raised by the guardrails."""

from __future__ import annotations


class GuardrailError(Exception):
    """Base class for guardrail errors."""


class GuardrailInputError(GuardrailError, ValueError):
    """The message or its options cannot be checked (empty text, unknown channel)."""
