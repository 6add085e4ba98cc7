"""What the web accepts as an upload: small, text or HTML, UTF-8. Anything else gets a clear 4xx."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import UploadFile

from madrega.errors import ErrorKind, MadregaError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ALLOWED_TYPES = frozenset({"text/plain", "text/html", "application/xhtml+xml"})
ALLOWED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})


class UploadRejected(MadregaError):
    """An upload we will not read; its kind says why (too large, not text or HTML, empty)."""


async def read_text_upload(upload: UploadFile) -> tuple[str, str]:
    """(file name, text) of an uploaded text or HTML file, refusing anything we cannot import."""
    name = PurePath(upload.filename or "upload.txt").name
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES and content_type not in ALLOWED_TYPES:
        raise UploadRejected(
            f"{name}: only plain text or HTML files can be imported (this one is {content_type or 'of unknown type'})",
            kind=ErrorKind.UNSUPPORTED,
            suggestions=["save the page as .html or the text as .txt (UTF-8) and upload that"],
        )
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    return name, decode_text(name, data)


def decode_text(name: str, data: bytes) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it and import the parts",
            kind=ErrorKind.TOO_LARGE,
        )
    if not data.strip():
        raise UploadRejected(f"{name} is empty", kind=ErrorKind.INVALID)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            f"{name} is not UTF-8 text (byte {exc.start} cannot be decoded)",
            kind=ErrorKind.UNSUPPORTED,
            suggestions=["re-save the file as UTF-8 (most editors offer it under 'Save as… / Encoding')"],
        ) from None
