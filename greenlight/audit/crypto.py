"""HMAC-SM3 (GB/T 32905 SM3 in RFC 2104's HMAC), keyed with a secret held outside the database.

SM3 comes from OpenSSL through hashlib when the build has it, else from gmssl (pure Python);
both give the same digests (tests compare them)."""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import cache

from django.conf import settings
from gmssl import func as gm_func
from gmssl import sm3 as gm_sm3

from greenlight.kernel import keys


class _GmSM3:
    """A hashlib-style SM3 object over gmssl, for hmac.new when OpenSSL lacks SM3."""

    name = "sm3"
    digest_size = 32
    block_size = 64

    def __init__(self, data: bytes = b""):
        self._data = bytearray(data)

    def update(self, data: bytes) -> None:
        self._data += data

    def copy(self):
        return _GmSM3(bytes(self._data))

    def digest(self) -> bytes:
        return bytes.fromhex(gm_sm3.sm3_hash(gm_func.bytes_to_list(bytes(self._data))))

    def hexdigest(self) -> str:
        return self.digest().hex()


def openssl_sm3(data: bytes = b""):
    return hashlib.new("sm3", data)


def sm3_constructor():
    """OpenSSL's SM3 when available, else gmssl's."""
    return openssl_sm3 if "sm3" in hashlib.algorithms_available else _GmSM3


@cache
def chain_key() -> bytes:
    """The HMAC key of the audit chain (AUDIT_HMAC_KEY, else var/audit_hmac.key)."""
    return keys.key("audit_hmac", from_env=settings.AUDIT_HMAC_KEY, size=32)


def hmac_sm3(message: bytes, *, key: bytes | None = None, digestmod=None) -> str:
    """HMAC-SM3 of `message`, hex."""
    mod = digestmod or sm3_constructor()
    return hmac.new(key if key is not None else chain_key(), message, mod).hexdigest()


def canonical(payload: dict) -> bytes:
    """The bytes a MAC covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()
