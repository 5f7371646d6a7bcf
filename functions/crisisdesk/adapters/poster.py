"""Poster: the only way anything is posted — outbox claim, adapter.send with rate limits, mark."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping

from crisisdesk.adapters.base import (
    FAILED,
    MAY_HAVE_POSTED,
    SENT,
    Outbox,
    OutgoingMessage,
    PlatformAdapter,
    PostResult,
)
from crisisdesk.adapters.errors import (
    AdapterError,
    AmbiguousDelivery,
    InvalidMessage,
    NotDelivered,
    OutboxConflict,
    PermanentFailure,
    RateLimited,
    WindowClosed,
)

logger = logging.getLogger(__name__)


class Poster:
    """Posts each message at most once: stored before the call, never re-posted when ambiguous."""

    def __init__(
        self,
        adapters: Mapping[str, PlatformAdapter],
        outbox: Outbox,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 4,
        max_wait: float = 900.0,
        backoff_base: float = 1.0,
        jitter: float = 1.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self.adapters = dict(adapters)
        self.outbox = outbox
        self._sleep = sleep
        self._clock = clock
        self._max_attempts = max_attempts
        self._max_wait = max_wait
        self._backoff_base = backoff_base
        self._jitter = jitter
        self._rng = rng

    def delay(self, error: NotDelivered, attempt: int) -> float:
        """Seconds before the next attempt: until the reset, exponential, capped, jittered."""
        wait = self._backoff_base * (2 ** (attempt - 1))
        if isinstance(error, RateLimited):
            if error.reset_at is not None:
                wait = max(wait, error.reset_at - self._clock())
            elif error.retry_after is not None:
                wait = max(wait, error.retry_after)
        return float(min(wait, self._max_wait) + self._rng() * self._jitter)

    def post(self, msg: OutgoingMessage) -> PostResult:
        """Post msg once; duplicates return the stored result, ambiguous states raise."""
        key = msg.idempotency_key
        adapter = self.adapters.get(msg.platform)
        if adapter is None:
            raise InvalidMessage(f"no adapter configured for platform {msg.platform!r}")
        record = self.outbox.claim(msg)
        if record.status == SENT:
            logger.info("outbox %s already sent; not posting again", key)
            return record.as_duplicate()
        if record.status in MAY_HAVE_POSTED:
            raise AmbiguousDelivery(
                f"outbox {key!r} is {record.status}: it may have been posted; "
                "the commander must resolve it",
                key=key,
            )
        if record.status == FAILED:
            if msg.deadline_passed(self._clock()):
                raise WindowClosed(f"outbox {key!r}: reply window closed at {msg.deadline}")
            raise PermanentFailure(f"outbox {key!r} failed earlier: {record.error}")
        return self._deliver(adapter, msg)

    def _deliver(self, adapter: PlatformAdapter, msg: OutgoingMessage) -> PostResult:
        key = msg.idempotency_key
        for attempt in range(1, self._max_attempts + 1):
            if msg.deadline_passed(self._clock()):
                self.outbox.mark_failed(key, f"window closed at {msg.deadline}", ambiguous=False)
                raise WindowClosed(f"outbox {key!r}: reply window closed at {msg.deadline}")
            try:
                self.outbox.begin(key)
            except OutboxConflict as e:
                raise AmbiguousDelivery(
                    f"outbox {key!r} was taken by another poster", key=key
                ) from e
            try:
                result = adapter.send(msg)
            except NotDelivered as e:
                self.outbox.release(key, str(e))
                if attempt == self._max_attempts:
                    logger.warning("outbox %s not delivered after %d attempts", key, attempt)
                    raise
                wait = self.delay(e, attempt)
                logger.info(
                    "outbox %s not delivered (%s); retrying in %.1fs", key, type(e).__name__, wait
                )
                self._sleep(wait)
                continue
            except AmbiguousDelivery as e:
                self.outbox.mark_failed(key, str(e), ambiguous=True)
                logger.error("outbox %s ambiguous: %s", key, e)
                raise AmbiguousDelivery(str(e), key=key) from e
            except (PermanentFailure, InvalidMessage) as e:
                self.outbox.mark_failed(key, str(e), ambiguous=False)
                raise
            except Exception as e:
                # Unknown failure after the call started: it may have posted.
                self.outbox.mark_failed(key, f"{type(e).__name__}: {e}", ambiguous=True)
                if isinstance(e, AdapterError):
                    raise
                raise AmbiguousDelivery(f"outbox {key!r}: {type(e).__name__}", key=key) from e
            self.outbox.mark_sent(key, result)
            logger.info("outbox %s sent on %s as %s", key, msg.platform, result.platform_message_id)
            return result
        raise AssertionError("unreachable")  # pragma: no cover
