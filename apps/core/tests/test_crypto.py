"""Sensitive fields: SM4 at rest, keyed SM3 lookup digests, masking (architecture.md)."""
import base64

import pytest
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from apps.core import crypto
from apps.identity.models import User
from apps.identity.tests.factories import UserFactory

MOBILE = "13812345678"
ID_NUMBER = "23010219900101123X"


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _hmac_by_hand(key: bytes, message: bytes) -> str:
    """RFC 2104 written out with the SM3 primitive (block 64 bytes): independent of hmac modules."""
    if len(key) > 64:
        key = _sm3(key)
    key = key.ljust(64, b"\0")
    inner = _sm3(bytes(b ^ 0x36 for b in key) + message)
    return _sm3(bytes(b ^ 0x5C for b in key) + inner).hex()


def test_sm3_standard_vector():
    # GB/T 32905-2016 appendix A.1
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_standard_vector():
    # GB/T 32907-2016 appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


@pytest.mark.parametrize("key", [b"k" * 16, b"k" * 64, b"long key " * 20])
def test_hmac_sm3_matches_an_independent_computation(key):
    for message in (b"", b"abc", MOBILE.encode(), b"x" * 1000):
        assert crypto.hmac_sm3_hex(key, message) == _hmac_by_hand(key, message)


def test_keyed_digest_normalises_and_depends_on_the_key(settings):
    digest = crypto.keyed_digest(ID_NUMBER)
    assert digest == crypto.keyed_digest("230102 19900101 123x")
    assert digest == crypto.keyed_digest("２３０１０２１９９００１０１１２３Ｘ")      # full-width input
    assert digest == _hmac_by_hand(bytes.fromhex(settings.FIELD_DIGEST_KEY), ID_NUMBER.encode())
    settings.FIELD_DIGEST_KEY = "0f" * 16
    assert crypto.keyed_digest(ID_NUMBER) != digest


def test_round_trip_random_nonce_and_tamper_detection():
    first, second = crypto.encrypt(MOBILE), crypto.encrypt(MOBILE)
    assert first != second and first.startswith("sm4gcm:")
    assert crypto.decrypt(first) == MOBILE
    raw = bytearray(base64.b64decode(first[len("sm4gcm:"):]))
    raw[14] ^= 0x01
    with pytest.raises(ValueError, match="authentication"):
        crypto.decrypt("sm4gcm:" + base64.b64encode(bytes(raw)).decode())


def test_legacy_cbc_tokens_still_decrypt(settings):
    iv = bytes(range(16))
    padder = padding.PKCS7(128).padder()
    padded = padder.update(MOBILE.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(settings.FIELD_ENCRYPTION_KEY)), modes.CBC(iv)).encryptor()
    token = "sm4:" + base64.b64encode(iv + encryptor.update(padded) + encryptor.finalize()).decode()
    assert crypto.decrypt(token) == MOBILE


@pytest.mark.parametrize("enc,dig,message", [
    ("0011", "ff" * 16, "FIELD_ENCRYPTION_KEY"),
    ("00" * 16, "ff" * 4, "FIELD_DIGEST_KEY"),
    ("00" * 16, "00" * 16, "differ"),
    ("zz" * 16, "ff" * 16, "hexadecimal"),
])
def test_bad_keys_are_refused(settings, enc, dig, message):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_DIGEST_KEY = enc, dig
    with pytest.raises(crypto.ImproperKey, match=message):
        crypto.keyed_digest(MOBILE)
        crypto.encrypt(MOBILE)


def test_deploy_check_refuses_the_public_default_keys(settings):
    errors = crypto.check_field_keys()
    assert {error.id for error in errors} == {"core.E101"}
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_DIGEST_KEY = "3a" * 16, "5c" * 32
    assert crypto.check_field_keys() == []
    settings.FIELD_ENCRYPTION_KEY = "00112233445566778899aabbccddeeff"
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


@pytest.mark.django_db
def test_database_holds_ciphertext_only_and_lookup_goes_through_the_digest():
    user = UserFactory(mobile_number=MOBILE, id_number=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_user WHERE id = %s", [user.pk])
        raw_row = " ".join(str(value) for value in cursor.fetchone())
    assert MOBILE not in raw_row and ID_NUMBER not in raw_row and "12345678" not in raw_row
    assert raw_row.count("sm4gcm:") == 2
    assert User.objects.get(pk=user.pk).mobile_number == MOBILE
    assert list(User.objects.with_mobile_number("138 1234 5678")) == [user]
    assert list(User.objects.with_id_number(ID_NUMBER.lower())) == [user]
    assert not User.objects.with_mobile_number("13900000000").exists()


@pytest.mark.django_db
def test_equality_lookup_on_ciphertext_is_refused():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(User.objects.filter(mobile_number=MOBILE))


def test_masks():
    assert crypto.mask_id_number("230102199001011234") == "2301**********1234"
    assert crypto.mask_mobile(MOBILE) == "138****5678"
    assert crypto.mask_mobile("") == "" and crypto.mask_mobile("1234") == "****"


@pytest.mark.django_db
def test_changing_the_value_updates_the_digest():
    user = UserFactory(mobile_number=MOBILE)
    user.mobile_number = "13900001111"
    user.save()
    assert list(User.objects.with_mobile_number("13900001111")) == [user]
    assert not User.objects.with_mobile_number(MOBILE).exists()
    user.mobile_number = ""
    user.save()
    assert User.objects.get(pk=user.pk).mobile_number_digest == ""


@pytest.mark.django_db
def test_save_with_update_fields_keeps_the_digest_in_step():
    user = User.objects.get(pk=UserFactory(mobile_number=MOBILE).pk)
    user.mobile_number = "13900002222"
    user.save(update_fields=["mobile_number"])
    assert list(User.objects.with_mobile_number("13900002222").values_list("pk", flat=True)) == [user.pk]
    assert not User.objects.with_mobile_number(MOBILE).exists()
