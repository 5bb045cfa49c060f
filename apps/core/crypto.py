"""Sensitive fields: SM4-CBC encryption at rest, keyed SM3 digests for lookup, masking.

ID-card and mobile numbers are stored only as ciphertext (`EncryptedTextField`); an
equality lookup goes through the digest column the field keeps up to date
(`HMAC-SM3(key, normalised value)`), so the plain value is never in the database.
"""
from __future__ import annotations

import base64
import hmac
import os

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

_IV_BYTES = 16
_PREFIX = "sm4:"


def _key(setting_name: str) -> bytes:
    key = bytes.fromhex(getattr(settings, setting_name))
    if len(key) != 16 and setting_name == "FIELD_ENCRYPTION_KEY":
        raise ValueError("FIELD_ENCRYPTION_KEY must be 32 hex characters (128-bit SM4 key).")
    return key


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _sm3_factory():
    """hashlib-compatible SM3 constructor for hmac (OpenSSL's SM3 may be absent from hashlib)."""

    class _SM3:
        digest_size = 32
        block_size = 64
        name = "sm3"

        def __init__(self, data: bytes = b""):
            self._buffer = bytearray(data)

        def update(self, data: bytes) -> None:
            self._buffer.extend(data)

        def copy(self):
            return _SM3(bytes(self._buffer))

        def digest(self) -> bytes:
            return bytes.fromhex(sm3_hex(bytes(self._buffer)))

        def hexdigest(self) -> str:
            return self.digest().hex()

    return _SM3


_SM3 = _sm3_factory()


def keyed_digest(value: str) -> str:
    """HMAC-SM3 of the normalised value: the lookup key for an encrypted column."""
    normalised = normalise(value)
    return hmac.new(_key("FIELD_DIGEST_KEY"), normalised.encode(), _SM3).hexdigest()


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def encrypt(plaintext: str) -> str:
    iv = os.urandom(_IV_BYTES)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(_key("FIELD_ENCRYPTION_KEY")), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return _PREFIX + base64.b64encode(iv + ciphertext).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("Not an SM4 ciphertext produced by this platform.")
    raw = base64.b64decode(token[len(_PREFIX):])
    iv, ciphertext = raw[:_IV_BYTES], raw[_IV_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key("FIELD_ENCRYPTION_KEY")), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()


def mask(value: str | None, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """2301**********1234 for ID numbers, 138****5678 for mobiles (keep 3 and 4)."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_mobile(value: str | None) -> str:
    return mask(value, keep_start=3, keep_end=4)


def mask_id_number(value: str | None) -> str:
    return mask(value, keep_start=4, keep_end=4)


class EncryptedTextField(models.TextField):
    """Stores SM4 ciphertext; Python sees plaintext. Keeps `digest_field` in step on save."""

    def __init__(self, *args, digest_field: str | None = None, **kwargs):
        self.digest_field = digest_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.digest_field:
            kwargs["digest_field"] = self.digest_field
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if self.digest_field:
            setattr(model_instance, self.digest_field, keyed_digest(value) if value else "")
        return value

    def get_lookup(self, lookup_name):
        # Ciphertext has a random IV: only isnull makes sense; equality goes through the digest.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


