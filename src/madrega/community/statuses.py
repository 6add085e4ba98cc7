"""How madrega's HTTP faces answer each kind of user mistake, in a module of its own: the reader's web
face uses the table too, and it must import without the community server's extras (argon2,
PostgreSQL), which a single user's install (`make demo`) does not have.
"""

from __future__ import annotations

from madrega.errors import ErrorKind

# How madrega's HTTP faces answer each kind of user mistake: the core names kinds, only the faces
# statuses. One table: a value that does not fit is 422 here, as FastAPI answers a body that does
# not fit its model; the reader's own web face answers that one kind with 400 (`web.app`).
STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED: 415,
    ErrorKind.UNAVAILABLE: 503,
}
