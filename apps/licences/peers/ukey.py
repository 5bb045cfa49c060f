"""A UKey simulator (LIC-9.4, 1.17): the holder's device keeps the SM2 private key and only ever
returns signatures over what it is given. Real UKeys (SKF, GM/T 0016) sign the same TBS_Sign bytes
with SM2-with-SM3 and the default ID; the browser plug-in passes them through."""

from __future__ import annotations

from ..crypto.sm import SM2PrivateKey


class UKeySimulator:
    def __init__(self, key: SM2PrivateKey | None = None):
        self._key = key or SM2PrivateKey.generate()   # generated on the "device", never exported
        self.signed = 0

    @property
    def public_point(self) -> bytes:
        return self._key.public_key.point

    def certify(self, issue) -> bytes:
        """Ask a CA (``issue(key) -> cert DER``) for a certificate of the device's key (PKCS#10-like step)."""
        return issue(self._key)

    def sign(self, tbs: bytes) -> bytes:
        self.signed += 1
        return self._key.sign(tbs)
