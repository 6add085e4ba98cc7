"""User-facing errors: every face (CLI, web, API) shows their message, never a traceback."""

from __future__ import annotations


class MadregaError(Exception):
    """A mistake in what the user gave us, with a message that says what is wrong and how to fix it."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []

    def __str__(self) -> str:
        return self.message


class NotFound(MadregaError):
    """Something the user named (a work, a document, a ref) is not in the library."""


class ImportFailed(MadregaError):
    """An importer refused its input; nothing was written."""
