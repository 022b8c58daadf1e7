"""`cchc serve`: the web application (added by the web-application issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the serving commands to the top-level app."""
