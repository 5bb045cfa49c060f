"""SM4 key rotation: retired keys still read, the rotation command rewrites every row."""
import pytest
from django.core.management import call_command
from django.db import connection

from apps.core import crypto
from apps.core.jobs import JobRun, JobStatus
from apps.identity.models import User
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = "00112233445566778899aabbccddeeff", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def _raw_mobile(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile_number FROM {User._meta.db_table} WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_rotation_rewrites_rows_under_the_new_key_and_retired_key_can_then_go(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY
    users = [UserFactory(username=f"rot{n}", mobile_number=f"1380000{n:04d}") for n in range(3)]
    old_tokens = [_raw_mobile(u) for u in users]

    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_PREVIOUS = NEW_KEY, [OLD_KEY]
    assert User.objects.get(pk=users[0].pk).mobile_number == "13800000000"   # still readable
    assert not crypto.is_current_ciphertext(old_tokens[0])

    call_command("rotate_field_keys")

    assert all(crypto.is_current_ciphertext(_raw_mobile(u)) for u in users)
    job = JobRun.objects.get(kind="core.rotate_field_keys")
    assert job.status == JobStatus.SUCCEEDED and job.done >= 3
    settings.FIELD_ENCRYPTION_KEYS_PREVIOUS = []
    assert [User.objects.get(pk=u.pk).mobile_number for u in users] == [f"1380000{n:04d}" for n in range(3)]
    with pytest.raises(ValueError):
        crypto.decrypt(old_tokens[0])          # the retired key is gone for good


def test_a_second_pass_rewrites_nothing(settings):
    UserFactory(username="rot_once", mobile_number="13900001111")
    from apps.core.services.key_rotation import rotate_field_keys

    assert rotate_field_keys().rewritten == 0


def test_digest_key_change_recomputes_digests_so_lookups_work_again(settings):
    user = UserFactory(username="rot_digest", mobile_number="13700002222")
    settings.FIELD_DIGEST_KEY = "abcdefabcdefabcdefabcdefabcdef01"
    digest = crypto.keyed_digest("13700002222")
    assert not User.objects.filter(mobile_number_digest=digest).exists()
    call_command("rotate_field_keys")
    assert User.objects.get(mobile_number_digest=digest) == user
