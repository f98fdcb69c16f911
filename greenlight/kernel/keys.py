"""Keys that must not live in the database (the audit chain's HMAC key, the SM4 key of
personal data): from the environment as hex, else generated once into var/ (mode 0600)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def key(name: str, *, from_env: str, size: int) -> bytes:
    """The key `name`: `from_env` (hex) when set, else var/<name>.key, made on first use."""
    if from_env:
        try:
            value = bytes.fromhex(from_env)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: the key must be hexadecimal") from exc
        if len(value) < size:
            raise ImproperlyConfigured(f"{name}: the key must have at least {size} bytes")
        return value[:size]
    path = Path(settings.VAR_DIR) / f"{name}.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(size), encoding="utf-8")
        path.chmod(0o600)
    return bytes.fromhex(path.read_text(encoding="utf-8").strip())
