"""Storage errors: boto errors become these at the wrapper boundary."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for storage failures."""


class ItemExists(StoreError):
    """A conditional put found the item already there."""


class ConditionFailed(StoreError):
    """A conditional update's condition did not hold."""


class NotFound(StoreError):
    """The item does not exist."""


class TransactionConflict(StoreError):
    """A transaction was cancelled; `reasons` holds one code per item ("None" when fine)."""

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message)
        self.reasons = reasons
