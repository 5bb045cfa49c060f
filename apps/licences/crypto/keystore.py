"""Key store: signing keys never leave it; callers get an object with ``sign(message) -> DER``.

* software: the PKCS#8 PEM is stored SM4-GCM encrypted (apps.core.crypto) and decrypted only
  inside ``signer_for`` for the duration of a signing;
* hsm: production adapter interface (SDF over the vendor library), not available here —
  ``HsmUnavailable`` is raised rather than falling back to software keys;
* ukey: the key stays on the holder's device; the server can only prepare a signing request.
"""

from __future__ import annotations

from typing import Protocol

from .sm import SM2PrivateKey


class KeyStoreError(RuntimeError):
    """The key for this certificate cannot be used on the server."""


class HsmUnavailable(KeyStoreError):
    pass


class Signer(Protocol):
    def sign(self, message: bytes) -> bytes: ...


class HsmAdapter(Protocol):
    """What a production HSM adapter implements (GM/T 0018 SDF: SDF_InternalSign_ECC with Z-value)."""

    def sign(self, key_ref: str, message: bytes) -> bytes: ...


_hsm: HsmAdapter | None = None


def register_hsm(adapter: HsmAdapter | None) -> None:
    global _hsm
    _hsm = adapter


class _HsmSigner:
    def __init__(self, key_ref: str):
        self.key_ref = key_ref

    def sign(self, message: bytes) -> bytes:
        if _hsm is None:
            raise HsmUnavailable("加密机未连接")
        return _hsm.sign(self.key_ref, message)


def signer_for(certificate) -> Signer:
    """The signing capability of a SigningCertificate row."""
    if certificate.storage == "software":
        if not certificate.private_key:
            raise KeyStoreError("该证书没有服务器私钥")
        return SM2PrivateKey.from_pem(certificate.private_key.encode())
    if certificate.storage == "hsm":
        return _HsmSigner(certificate.hsm_key_ref)
    raise KeyStoreError("UKey 证书的私钥不在服务器上，需由持有人在客户端签章")


def generate_software_key() -> tuple[SM2PrivateKey, str]:
    """A new SM2 key from OpenSSL's CSPRNG and its PEM for the encrypted column."""
    key = SM2PrivateKey.generate()
    return key, key.pem().decode()
