"""Workflow tier: the real ASL files executed by moto's interpreter in the local runtime."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisdesk_local.runtime import LocalRuntime
from tests.support import start_runtime


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    """Short cadence and a 3 s approval timeout so every path finishes in seconds."""
    yield from start_runtime(
        Path(tmp_path_factory.mktemp("wf")), UpdateCadenceSeconds="1", ApprovalTimeoutSeconds="3"
    )
