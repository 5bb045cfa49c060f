"""SM3 digests and SM2 signatures (GB/T 32905, GB/T 32918).

Signing and fast verification use tongsuopy (Tongsuo/OpenSSL), which computes
e = SM3(Z_A || M) with the default user ID ``1234567812345678``. A small pure
Python verifier over the same curve (``verify_with_z``) is kept as an
independent check of the Z-value and of signatures from other producers.
Private keys come from OpenSSL's CSPRNG (``ec.generate_private_key``); never
from ``random``.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import core
from cryptography.hazmat.primitives import hashes as c_hashes
from tongsuopy.crypto import hashes as t_hashes
from tongsuopy.crypto import serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.exceptions import InvalidSignature

DEFAULT_ID = b"1234567812345678"

OID_SM2 = "1.2.156.10197.1.301"
OID_SM2_SIGN = "1.2.156.10197.1.301.1"
OID_SM3 = "1.2.156.10197.1.401"
OID_SM3_KEYED = "1.2.156.10197.1.401.2"
OID_SM2_WITH_SM3 = "1.2.156.10197.1.501"
OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"

P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0


def sm3(data: bytes) -> bytes:
    """SM3 digest (32 bytes) through cryptography's OpenSSL binding."""
    h = c_hashes.Hash(c_hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC-SM3 (RFC 2104 construction, block size 64) for keyed CheckMethod 1.2.156.10197.1.401.2."""
    if len(key) > 64:
        key = sm3(key)
    key = key.ljust(64, b"\x00")
    inner = sm3(bytes(k ^ 0x36 for k in key) + data)
    return sm3(bytes(k ^ 0x5C for k in key) + inner)


def _int32(v: int) -> bytes:
    return v.to_bytes(32, "big")


def z_value(public_point: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
    """Z_A = SM3(ENTL || ID || a || b || Gx || Gy || xA || yA) for an uncompressed point 04||X||Y."""
    if len(public_point) != 65 or public_point[0] != 4:
        raise ValueError("SM2 public key must be an uncompressed 65-byte point")
    entl = (len(user_id) * 8).to_bytes(2, "big")
    return sm3(entl + user_id + _int32(A) + _int32(B) + _int32(GX) + _int32(GY) + public_point[1:])


# --- pure-Python curve arithmetic (verification only; no secrets involved) ---

def _add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def _mul(k, point):
    result = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def verify_with_z(public_point: bytes, message: bytes, signature_der: bytes, user_id: bytes = DEFAULT_ID) -> bool:
    """Independent SM2 verification: e = SM3(Z_A || M); accept iff r == (e + x1) mod n."""
    return verify_digest(public_point, sm3(z_value(public_point, user_id) + message), signature_der)


def verify_digest(public_point: bytes, digest: bytes, signature_der: bytes) -> bool:
    """SM2 verification for a given e (used for producers that sign a precomputed digest)."""
    r, s = der_to_rs(signature_der)
    if not (1 <= r < N and 1 <= s < N):
        return False
    e = int.from_bytes(digest, "big")
    t = (r + s) % N
    if t == 0:
        return False
    q = (int.from_bytes(public_point[1:33], "big"), int.from_bytes(public_point[33:], "big"))
    pt = _add(_mul(s, (GX, GY)), _mul(t, q))
    return pt is not None and (e + pt[0]) % N == r


# --- signature encodings ---

class _RS(core.Sequence):
    _fields = [("r", core.Integer), ("s", core.Integer)]


def der_to_rs(sig: bytes) -> tuple[int, int]:
    parsed = _RS.load(sig, strict=True)
    return parsed["r"].native, parsed["s"].native


def rs_to_der(r: int, s: int) -> bytes:
    return _RS({"r": r, "s": s}).dump()


def normalise_signature(sig: bytes) -> tuple[bytes, bool]:
    """Return (DER signature, was_raw). A 64-byte value is raw r||s (32 bytes each) as UKeys/HSMs return."""
    if len(sig) == 64:
        return rs_to_der(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")), True
    return sig, False


# --- keys ---

@dataclass(frozen=True)
class SM2PublicKey:
    """An SM2 public key as an uncompressed point."""

    point: bytes

    def _key(self):
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), self.point)

    def verify(self, message: bytes, signature_der: bytes) -> bool:
        """SM2-with-SM3 verification with the default ID (tongsuopy)."""
        try:
            self._key().verify(signature_der, message, ec.ECDSA(t_hashes.SM3()))
            return True
        except (InvalidSignature, ValueError):
            return False

    def pem(self) -> bytes:
        return self._key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class SM2PrivateKey:
    """An SM2 private key held in memory; persisted only through the key store (encrypted)."""

    def __init__(self, key):
        self._key = key

    @classmethod
    def generate(cls) -> "SM2PrivateKey":
        return cls(ec.generate_private_key(ec.SM2()))

    @classmethod
    def from_pem(cls, pem: bytes, password: bytes | None = None) -> "SM2PrivateKey":
        return cls(serialization.load_pem_private_key(pem, password))

    @classmethod
    def from_scalar(cls, d: int) -> "SM2PrivateKey":
        return cls(ec.derive_private_key(d, ec.SM2()))

    @property
    def public_key(self) -> SM2PublicKey:
        pub = self._key.public_key()
        return SM2PublicKey(pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    def sign(self, message: bytes) -> bytes:
        """DER SEQUENCE{r, s} over e = SM3(Z_A || message), default ID."""
        return self._key.sign(message, ec.ECDSA(t_hashes.SM3()))

    def pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def scalar(self) -> int:
        return self._key.private_numbers().private_value
