"""Upload checks shared by every app that keeps files: a size limit and an allow-list of types,
verified by the file's leading bytes (an extension alone proves nothing)."""

from __future__ import annotations

import os

from django.utils.translation import gettext as _

from .errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
OFFICE_ZIP, OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0",)
# extension -> (content type, accepted leading bytes; empty = plain text checked separately)
DOCUMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
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
# A signed act (decision, commitment): a PDF or a scan, nothing editable.
SIGNED = {ext: DOCUMENTS[ext] for ext in (".pdf", ".png", ".jpg", ".jpeg")}


def check(
    upload,
    *,
    field: str,
    allowed: dict[str, tuple[str, tuple[bytes, ...]]] = DOCUMENTS,
    max_bytes: int | None = None,
    label: str = "",
) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; InvalidInput on `field`, naming the
    file (and `label`, the field in words), when its size, type or content is wrong."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    where = f"{label}：" if label else ""
    if upload.size > limit:
        raise InvalidInput(
            where + _("%(name)s is larger than %(mb)s MB") % {"name": name, "mb": limit // 2**20},
            field=field,
        )
    if ext not in allowed:
        raise InvalidInput(
            where
            + _("%(name)s: this type of file is not accepted (allowed: %(exts)s)")
            % {"name": name, "exts": ", ".join(sorted(e[1:] for e in allowed))},
            field=field,
        )
    content_type, magics = allowed[ext]
    head = upload.read(2048)
    upload.seek(0)
    if (magics and not any(head.startswith(m) for m in magics)) or (not magics and b"\x00" in head):
        raise InvalidInput(
            where
            + _("%(name)s does not look like a %(ext)s file") % {"name": name, "ext": ext[1:]},
            field=field,
        )
    return ext, content_type
