"""Incident domain errors; each carries the HTTP status the API answers with."""

from __future__ import annotations


class IncidentError(Exception):
    """Base class for incident domain errors."""

    status = 500


class IncidentNotFound(IncidentError):
    """No incident or care case with that id."""

    status = 404


class DraftNotFound(IncidentError):
    """No draft with that id on the incident."""

    status = 404


class InvalidTransition(IncidentError):
    """The action does not fit the incident's current state."""

    status = 409


class NothingPending(IncidentError):
    """No update is waiting for approval."""

    status = 409


class BadRequest(IncidentError):
    """The request is malformed."""

    status = 400


class RetryableTaskError(IncidentError):
    """A transient failure; the workflow's Retry policy names this class."""

    status = 503


class RateLimitedTaskError(IncidentError):
    """The platform's rate limit stopped a task part-way; what was sent stays sent.

    The workflows retry it on its own slow schedule (a platform window is minutes long), so a
    surge larger than one window is paced out instead of using up the transient retries.
    """

    status = 429


class DeliveryNeedsCommander(IncidentError):
    """An outgoing post's outcome is unknown; a person must check before anything is re-sent."""

    status = 409
