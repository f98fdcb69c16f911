"""Attachment checks: a size limit and an allow-list of types, verified by the file's content."""

from __future__ import annotations

import os

from django.utils.translation import gettext as _

from greenlight.kernel.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
OFFICE_ZIP, OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0",)
# extension -> (content type, accepted leading bytes; empty = plain text checked separately)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        OFFICE_ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OFFICE_ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        OFFICE_ZIP,
    ),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".txt": ("text/plain; charset=utf-8", ()),
}


def check(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; InvalidInput naming the file if not."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if upload.size > MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than %(mb)s MB") % {"name": name, "mb": MAX_BYTES // 2**20},
            field="attachments",
        )
    if ext not in ALLOWED:
        raise InvalidInput(
            _("%(name)s: this type of file is not accepted (allowed: %(exts)s)")
            % {"name": name, "exts": ", ".join(sorted(e[1:] for e in ALLOWED))},
            field="attachments",
        )
    content_type, magics = ALLOWED[ext]
    head = upload.read(2048)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise InvalidInput(
            _("%(name)s does not look like a %(ext)s file") % {"name": name, "ext": ext[1:]},
            field="attachments",
        )
    if not magics and b"\x00" in head:
        raise InvalidInput(
            _("%(name)s does not look like a %(ext)s file") % {"name": name, "ext": ext[1:]},
            field="attachments",
        )
    return ext, content_type
