"""The project's exception tree: one root, narrow subclasses (papermill style).

The CLI turns any `HatoolkitError` into one line naming file and line, so every error a user can
cause by feeding bad input must be one of these, never a bare `ValueError` or a traceback.
"""

from __future__ import annotations

from pathlib import Path


class HatoolkitError(Exception):
    """Root of every error hatoolkit raises on purpose."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class IngestError(HatoolkitError):
    """Raised when a bundle or capture cannot be read at all (not for per-line problems: those are gaps)."""


class PlanError(HatoolkitError):
    """Raised when plan.yaml (or waivers.yaml) is not valid; names the key and line."""


class CheckDefinitionError(HatoolkitError):
    """Raised at import time when a check is declared wrongly (bad ID, duplicate, missing docs)."""


class RecordParseError(HatoolkitError):
    """Raised by the low-level record parser on text that is not an HMC record."""
