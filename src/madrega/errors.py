"""User-facing errors: every face (CLI, web, API) shows their message, never a traceback.

One exception tree, as httpx has: everything a user can get wrong is a `MadregaError`. Each error
carries a `kind` — what went wrong in the user's terms (not found, invalid, conflict, forbidden …).
The core never names an HTTP status or an exit code: only the faces map kinds to those
(`madrega.web` to statuses, `madrega.cli` to exit codes).

Nor does a message name a CLI command or a page. What the user can do about an error is its
`remedy` (one of the names below) with its `subject`: each face words it its own way (the CLI
names a command, the web offers a button).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "FETCH",
    "INIT_LIBRARY",
    "INSTALL_PDF",
    "LIST_DOCUMENTS",
    "LIST_PLANS",
    "LIST_STEPS",
    "LOOK_ONLINE",
    "OFFLINE",
    "REMEDIES",
    "RESUME_FETCH",
    "START_TIMER",
    "STOP_TIMER",
    "Conflict",
    "ErrorKind",
    "Forbidden",
    "ImportFailed",
    "Invalid",
    "MadregaError",
    "NotFound",
    "TooLarge",
    "TooMany",
    "Unauthorized",
    "Unavailable",
]


# Remedies: what the user can do, named once, worded by each face.
INIT_LIBRARY = "init-library"  # the library has no texts yet: build it
FETCH = "fetch"  # `subject` (a work or a passage) can be fetched from Sefaria
LIST_DOCUMENTS = "list-documents"  # the imported documents can be listed
OFFLINE = "offline"  # Sefaria cannot be reached: a local copy of its export can be imported instead
RESUME_FETCH = "resume-fetch"  # fetching `subject` again goes on where it stopped
LIST_STEPS = "list-steps"  # the journal's steps (and their ids) can be listed
LIST_PLANS = "list-plans"  # the study plans (and their ids) can be listed
START_TIMER = "start-timer"  # a timer of kind `subject` can be started
STOP_TIMER = "stop-timer"  # the running timer of kind `subject` can be stopped
LOOK_ONLINE = "look-online"  # the answer can be looked up online (Sefaria's calendar)
INSTALL_PDF = "install-pdf"  # PDF export needs WeasyPrint and Pango, not installed here
REMEDIES = (
    INIT_LIBRARY,
    FETCH,
    LIST_DOCUMENTS,
    OFFLINE,
    RESUME_FETCH,
    LIST_STEPS,
    LIST_PLANS,
    START_TIMER,
    STOP_TIMER,
    LOOK_ONLINE,
    INSTALL_PDF,
)


class ErrorKind(StrEnum):
    """What went wrong, as the user would say it. Faces decide how each kind is answered."""

    INVALID = "invalid"  # the input cannot be read or is out of range
    NOT_FOUND = "not_found"  # something named is not there
    CONFLICT = "conflict"  # it clashes with what is already there
    UNAUTHORIZED = "unauthorized"  # who you are is not known (sign in)
    FORBIDDEN = "forbidden"  # known, but not allowed
    TOO_MANY = "too_many"  # too many attempts: wait
    TOO_LARGE = "too_large"  # more than may be given at once
    UNSUPPORTED = "unsupported"  # a kind of file or text madrega does not read
    UNAVAILABLE = "unavailable"  # a store or service cannot be reached now: try again


class MadregaError(Exception):
    """A mistake in what the user gave us, with a message that says what is wrong and how to fix it."""

    kind: ErrorKind = ErrorKind.INVALID

    def __init__(
        self,
        message: str,
        *,
        suggestions: list[str] | None = None,
        kind: ErrorKind | None = None,
        remedy: str | None = None,
        subject: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []
        if kind is not None:
            self.kind = kind
        self.remedy = remedy
        self.subject = subject

    def __str__(self) -> str:
        return self.message


class Invalid(MadregaError):
    """The input cannot be read, or is out of range."""


class NotFound(MadregaError):
    """Something the user named (a work, a document, a ref) is not in the library."""

    kind = ErrorKind.NOT_FOUND


class ImportFailed(MadregaError):
    """An importer refused its input; nothing was written."""


class Conflict(MadregaError):
    """What was asked clashes with what is already there (a name taken, a portion held)."""

    kind = ErrorKind.CONFLICT


class Unauthorized(MadregaError):
    """The request needs to know who is asking: sign in first."""

    kind = ErrorKind.UNAUTHORIZED


class Forbidden(MadregaError):
    """Known, but not allowed to do this."""

    kind = ErrorKind.FORBIDDEN


class TooMany(MadregaError):
    """Too many attempts in a short time; wait and try again."""

    kind = ErrorKind.TOO_MANY


class TooLarge(MadregaError):
    """More than may be given at once."""

    kind = ErrorKind.TOO_LARGE


class Unavailable(MadregaError):
    """A store or service cannot be reached right now; the same request may be retried."""

    kind = ErrorKind.UNAVAILABLE
