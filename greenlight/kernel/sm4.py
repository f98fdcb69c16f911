"""Personal data encrypted at rest with SM4 (GB/T 32907, CBC with a random IV per value), keyed
outside the database (PERSONAL_DATA_KEY, else var/personal_data.key); and masking for roles
that have no need to read it."""

from __future__ import annotations

import secrets
from functools import cache

from django.conf import settings
from django.db import models
from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4

from . import keys

PREFIX = "sm4:"


@cache
def _key() -> bytes:
    return keys.key("personal_data", from_env=settings.PERSONAL_DATA_KEY, size=16)


def encrypt(plain: str, *, key: bytes | None = None) -> str:
    """`sm4:<iv hex>:<ciphertext hex>` of a text (empty stays empty)."""
    if not plain:
        return ""
    iv = secrets.token_bytes(16)
    cipher = CryptSM4()
    cipher.set_key(key or _key(), SM4_ENCRYPT)
    return f"{PREFIX}{iv.hex()}:{cipher.crypt_cbc(iv, plain.encode()).hex()}"


def decrypt(stored: str, *, key: bytes | None = None) -> str:
    """The text back; a value written before encryption (no prefix) is returned as it is."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    iv_hex, _, body = stored[len(PREFIX) :].partition(":")
    cipher = CryptSM4()
    cipher.set_key(key or _key(), SM4_DECRYPT)
    return cipher.crypt_cbc(bytes.fromhex(iv_hex), bytes.fromhex(body)).decode()


def mask(value: str) -> str:
    """138****5678: the first 3 and last 4 characters of a phone (or an ID number) stay."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class SM4TextField(models.TextField):
    """A text column holding SM4 ciphertext; Python sees the plain text. Not searchable (each
    value has its own IV), which personal contact data never needs."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))
