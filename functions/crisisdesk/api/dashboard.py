"""The commander dashboard page (static HTML; data comes from the API as JSON)."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def render_dashboard() -> str:
    """The dashboard HTML; user data is inserted client-side with textContent only."""
    return resources.files("crisisdesk.api").joinpath("dashboard.html").read_text("utf-8")
