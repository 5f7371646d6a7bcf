"""Value types shared by the guardrail rules and their callers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Rule = Literal["pii", "tone", "promise", "troll"]
Channel = Literal["public", "private"]


@dataclass(frozen=True)
class Violation:
    """One finding: which rule, where in the text (character offsets) and why."""

    rule: str
    start: int
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form used by the CLI and the approval request."""
        return {"rule": self.rule, "start": self.start, "end": self.end, "message": self.message}


@dataclass(frozen=True)
class Commitment:
    """A commitment recorded on the incident; only approved ones may be promised."""

    id: str
    text: str
    approved: bool


@dataclass(frozen=True)
class GuardrailResult:
    """Outcome of checking one outgoing message."""

    allowed: bool
    violations: tuple[Violation, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return {"allowed": bool, "violations": [...]} for JSON output."""
        return {"allowed": self.allowed, "violations": [v.to_dict() for v in self.violations]}

    def rules(self) -> frozenset[str]:
        """Return the set of rules that fired."""
        return frozenset(v.rule for v in self.violations)
