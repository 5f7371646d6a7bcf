"""Shared test helpers: bounded waits, a local runtime per test module, ASL state walks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from crisisdesk_local.runtime import LocalRuntime

T = TypeVar("T")


def wait_until(
    what: str, probe: Callable[[], T | bool | None], timeout: float = 60.0, every: float = 0.25
) -> T:
    """Poll until probe() is truthy; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return cast(T, last)
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def start_runtime(tmp: Path, **parameters: str) -> Iterator[LocalRuntime]:
    """A started local runtime (AWS endpoint + API) with its own state dir."""
    rt = LocalRuntime(port=0, api_port=0, state_dir=tmp, parameters=dict(parameters))
    rt.start()
    try:
        yield rt
    finally:
        rt.stop()


def asl_states(
    definition: Mapping[str, Any],
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every state of an ASL definition, Parallel branches and Map iterators included, as
    (name, state, the States dict it belongs to: where its Next and Catch targets live)."""
    scope: dict[str, Any] = dict(definition["States"])
    for name, state in scope.items():
        yield name, state, scope
        inner = state.get("ItemProcessor") or state.get("Iterator")
        for sub in [*state.get("Branches", []), *([inner] if inner else [])]:
            yield from asl_states(sub)
