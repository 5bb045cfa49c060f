"""Sensitive fields: SM4 encryption at rest, keyed SM3 digests for lookup, masking.

ID-card and mobile numbers are stored only as ciphertext (`EncryptedTextField`); an
equality lookup goes through the digest column the field keeps up to date
(`HMAC-SM3(digest key, normalised value)`), so the plain value is never in the database.

Ciphertext format (one text column, versioned by prefix):

* ``sm4gcm:`` + base64(nonce[12] ‖ ciphertext ‖ tag[16]) — SM4 in GCM mode (authenticated:
  a flipped bit or a token pasted from another key fails to decrypt instead of yielding
  garbage). Every value written now uses this format.
* ``sm4:`` + base64(iv[16] ‖ ciphertext) — SM4-CBC/PKCS7 without integrity, written by the
  first version of this module; still readable so that a development database seeded
  before the change keeps working. Re-saving a row rewrites it in the new format.

Keys come from settings (hex): FIELD_ENCRYPTION_KEY (exactly 128 bits, SM4's key size) and
FIELD_DIGEST_KEY (at least 128 bits, and different from the encryption key). Retired encryption
keys listed in FIELD_ENCRYPTION_KEYS_PREVIOUS still decrypt (GCM's tag tells which key fits)
until `manage.py rotate_field_keys` has rewritten every row (apps/core/services/key_rotation.py). The defaults
in settings/base.py are public; `manage.py check --deploy` refuses them (core.E101).
"""
from __future__ import annotations

import base64
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core import checks
from django.db import models

_GCM_PREFIX = "sm4gcm:"
_CBC_PREFIX = "sm4:"          # legacy, read-only
_NONCE_BYTES = 12
_TAG_BYTES = 16
_IV_BYTES = 16

# The public defaults of settings/base.py: fine for development and tests, never for production.
DEFAULT_KEYS = frozenset({"00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"})


class ImproperKey(ValueError):
    """A configured key is missing, malformed or too short."""


def _hex_key(setting_name: str) -> bytes:
    raw = getattr(settings, setting_name, "") or ""
    try:
        return bytes.fromhex(raw)
    except ValueError as exc:
        raise ImproperKey(f"{setting_name} must be hexadecimal.") from exc


def encryption_key() -> bytes:
    key = _hex_key("FIELD_ENCRYPTION_KEY")
    if len(key) != 16:
        raise ImproperKey("FIELD_ENCRYPTION_KEY must be 32 hex characters (128-bit SM4 key).")
    return key


def previous_encryption_keys() -> list[bytes]:
    keys = []
    for raw in getattr(settings, "FIELD_ENCRYPTION_KEYS_PREVIOUS", []) or []:
        try:
            key = bytes.fromhex(raw)
        except ValueError as exc:
            raise ImproperKey("FIELD_ENCRYPTION_KEYS_PREVIOUS must hold hexadecimal keys.") from exc
        if len(key) != 16:
            raise ImproperKey("Every key in FIELD_ENCRYPTION_KEYS_PREVIOUS must be 32 hex characters.")
        keys.append(key)
    return keys


def digest_key() -> bytes:
    key = _hex_key("FIELD_DIGEST_KEY")
    if len(key) < 16:
        raise ImproperKey("FIELD_DIGEST_KEY must be at least 32 hex characters (128 bits).")
    if key == encryption_key():
        raise ImproperKey("FIELD_DIGEST_KEY must differ from FIELD_ENCRYPTION_KEY.")
    return key


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905) of `data`, as 64 hex characters."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    """HMAC (RFC 2104) with SM3 as the hash, computed by OpenSSL through `cryptography`."""
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def normalise(value: str) -> str:
    """Canonical form for digests: full-width characters folded (NFKC), whitespace removed,
    upper case (the ID-card check character x/X)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def keyed_digest(value: str) -> str:
    """HMAC-SM3 of the normalised value: the lookup key for an encrypted column."""
    return hmac_sm3_hex(digest_key(), normalise(value).encode())


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(encryption_key()), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return _GCM_PREFIX + base64.b64encode(nonce + ciphertext + encryptor.tag).decode()


def decrypt(token: str) -> str:
    if token.startswith(_GCM_PREFIX):
        raw = base64.b64decode(token[len(_GCM_PREFIX):])
        for key in (encryption_key(), *previous_encryption_keys()):
            try:
                return _decrypt_gcm(raw, key)
            except InvalidTag:
                continue
        raise ValueError("SM4-GCM ciphertext failed authentication (tampered or wrong key).")
    if token.startswith(_CBC_PREFIX):
        return _decrypt_cbc(base64.b64decode(token[len(_CBC_PREFIX):]))
    raise ValueError("Not an SM4 ciphertext produced by this platform.")


def is_current_ciphertext(token: str) -> bool:
    """True when `token` is SM4-GCM under the current key (nothing for a rotation to do)."""
    if not token or not token.startswith(_GCM_PREFIX):
        return not token
    try:
        _decrypt_gcm(base64.b64decode(token[len(_GCM_PREFIX):]), encryption_key())
    except (InvalidTag, ValueError):
        return False
    return True


def _decrypt_gcm(raw: bytes, key: bytes) -> str:
    """Raises InvalidTag when `key` is not the one that sealed `raw` (or it was tampered with)."""
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise ValueError("SM4-GCM ciphertext is truncated.")
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()


def _decrypt_cbc(raw: bytes) -> str:
    iv, ciphertext = raw[:_IV_BYTES], raw[_IV_BYTES:]
    decryptor = Cipher(algorithms.SM4(encryption_key()), modes.CBC(iv)).decryptor()
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
    """Stores SM4 ciphertext; Python sees plaintext. Keeps `digest_field` in step on save.

    Use `SensitiveFieldsMixin` on the model too, so that ``save(update_fields=[...])`` with
    the encrypted field also writes its digest. ``QuerySet.update()`` bypasses both: never
    update an encrypted column that way.
    """

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
        # Ciphertext has a random nonce: only isnull makes sense; equality goes through the digest.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


class SensitiveFieldsMixin:
    """Model mixin: ``save(update_fields=["mobile_number"])`` also saves ``mobile_number_digest``.

    Without it Django writes only the listed columns, and the digest would keep pointing at
    the old value (lookups by the new number would find nobody, by the old one the wrong person).
    """

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {
                field.digest_field for field in self._meta.concrete_fields
                if isinstance(field, EncryptedTextField) and field.digest_field
                and (field.name in update_fields or field.attname in update_fields)
            }
            kwargs["update_fields"] = set(update_fields) | extra
        return super().save(*args, **kwargs)


def sensitive_field_names(model) -> set[str]:
    """Names of a model's encrypted fields and their digests (masked in audit records)."""
    names: set[str] = set()
    for field in model._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            names.add(field.name)
            if field.digest_field:
                names.add(field.digest_field)
    return names


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(app_configs=None, **kwargs):
    """`check --deploy`: the field keys must be set, well-formed and not the public defaults."""
    errors = []
    try:
        encryption_key()
        digest_key()
    except ImproperKey as exc:
        errors.append(checks.Error(str(exc), id="core.E102"))
    for name in ("FIELD_ENCRYPTION_KEY", "FIELD_DIGEST_KEY"):
        if (getattr(settings, name, "") or "").lower() in DEFAULT_KEYS:
            errors.append(checks.Error(f"{name} is the public development default; set a secret key.",
                                       id="core.E101"))
    return errors
