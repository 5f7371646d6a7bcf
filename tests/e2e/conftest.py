"""End-to-end tier: signed HTTP webhooks into the local runtime, out to a post-mortem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisdesk_local.runtime import LocalRuntime
from tests.support import start_runtime


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    """A runtime with a short update cadence."""
    yield from start_runtime(
        Path(tmp_path_factory.mktemp("e2e")), UpdateCadenceSeconds="2", ApprovalTimeoutSeconds="60"
    )
