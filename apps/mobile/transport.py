"""Mandatory transport encryption of an app's interface data (APP-5.3, APP-3.10).

Each app has a transport key derived from its app key, so the developer needs nothing more than the key
handed out at creation:

    transport_key = HMAC-SHA256(app_key, "qss-transport-v1")       # 32 bytes
    SM4-GCM uses its first 16 bytes; AES-256-GCM all 32.

A protected message is base64(nonce[12] ‖ ciphertext ‖ tag[16]); the associated data is the app identifier,
so a token sealed for one app is refused by another. The platform keeps the transport key SM4-encrypted at
rest (apps.core.crypto.EncryptedTextField). "tls" means transport-layer encryption only: the request must
arrive over HTTPS.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HEADER = "X-Payload-Encryption"
QUERY_HEADER = "X-Encrypted-Query"
SCHEMES = {"sm4": "sm4-gcm", "aes256": "aes-256-gcm"}
_NONCE, _TAG = 12, 16


class PayloadError(ValueError):
    """A payload that is not a valid ciphertext of this app."""


def derive_transport_key(app_key: str) -> str:
    return hmac.new(app_key.encode(), b"qss-transport-v1", hashlib.sha256).hexdigest()


def _algorithm(method: str, key_hex: str):
    key = bytes.fromhex(key_hex)
    if method == "sm4":
        return algorithms.SM4(key[:16])
    if method == "aes256":
        return algorithms.AES(key)
    raise PayloadError(f"no payload encryption for method {method!r}")


def seal(method: str, key_hex: str, plaintext: bytes, *, identifier: str) -> str:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(_algorithm(method, key_hex), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(identifier.encode())
    body = encryptor.update(plaintext) + encryptor.finalize()
    return base64.b64encode(nonce + body + encryptor.tag).decode()


def open_sealed(method: str, key_hex: str, token: str | bytes, *, identifier: str) -> bytes:
    try:
        raw = base64.b64decode(token, validate=True)
    except (ValueError, TypeError) as exc:
        raise PayloadError("not base64") from exc
    if len(raw) < _NONCE + _TAG:
        raise PayloadError("truncated")
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(_algorithm(method, key_hex), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(identifier.encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise PayloadError("authentication failed") from exc
