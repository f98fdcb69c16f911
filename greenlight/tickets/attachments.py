"""Attachment checks of tickets: the platform's upload rules (`greenlight.kernel.files`)."""

from __future__ import annotations

from greenlight.kernel import files

MAX_BYTES = files.MAX_BYTES
ALLOWED = files.DOCUMENTS


def check(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; InvalidInput naming the file if not."""
    return files.check(upload, field="attachments", allowed=ALLOWED, max_bytes=MAX_BYTES)
