"""What the web accepts as an upload: small, text or HTML, UTF-8. Anything else gets a clear 4xx."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import UploadFile

from madrega.errors import MadregaError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ALLOWED_TYPES = frozenset({"text/plain", "text/html", "application/xhtml+xml"})
ALLOWED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})


class UploadRejected(MadregaError):
    """An upload we will not read; `status` is the HTTP status that says why (413, 415, 400)."""

    def __init__(self, message: str, *, status: int, suggestions: list[str] | None = None) -> None:
        super().__init__(message, suggestions=suggestions)
        self.status = status


async def read_text_upload(upload: UploadFile) -> tuple[str, str]:
    """(file name, text) of an uploaded text or HTML file, refusing anything we cannot import."""
    name = PurePath(upload.filename or "upload.txt").name
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES and content_type not in ALLOWED_TYPES:
        raise UploadRejected(
            f"{name}: only plain text or HTML files can be imported (this one is {content_type or 'of unknown type'})",
            status=415,
            suggestions=["save the page as .html or the text as .txt (UTF-8) and upload that"],
        )
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    return name, decode_text(name, data)


def decode_text(name: str, data: bytes) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it and import the parts",
            status=413,
        )
    if not data.strip():
        raise UploadRejected(f"{name} is empty", status=400)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            f"{name} is not UTF-8 text (byte {exc.start} cannot be decoded)",
            status=415,
            suggestions=["re-save the file as UTF-8 (most editors offer it under 'Save as… / Encoding')"],
        ) from None
