"""OPS-5.5: the portal login asks for a second factor (SMS or e-mail) and enforces the concurrent-session
limit per account, either refusing the new login or ending the oldest session."""
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.core.models import SmsMessage
from apps.ops.models import LoginPolicy, StaffSecondFactor

pytestmark = pytest.mark.django_db
PASSWORD = "Passw0rd!2026"


def _login(client, username):
    return client.post(reverse("portal:login"), {"username": username, "password": PASSWORD})


def _sms_code(user) -> str:
    sms = SmsMessage.objects.filter(recipient=user, purpose="ops_login_code").latest("pk")
    return sms.secret


@pytest.mark.spec("OPS-5.5")
def test_password_then_sms_code_logs_in_and_a_wrong_code_does_not(ops_team):
    LoginPolicy.objects.update_or_create(pk=1, defaults={"two_factor_scope": "ops_staff"})
    client = Client()
    response = _login(client, "engineer")
    assert response.status_code == 302 and response.url == reverse("ops:login-verify")
    assert client.get(reverse("portal:home")).status_code == 302          # not logged in yet
    code = _sms_code(ops_team["engineer"])
    assert re.fullmatch(r"\d{6}", code)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("ops:login-verify"), {"code": wrong})
    assert response.status_code == 400 and "验证码错误" in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302
    response = client.post(reverse("ops:login-verify"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    # a used code cannot be replayed from another browser
    other = Client()
    _login(other, "engineer")
    assert other.post(reverse("ops:login-verify"), {"code": code}).status_code == 400
    # staff without any ops permission are not asked under the "ops staff" scope
    outsider = ops_team["outsider"]
    assert _login(Client(), outsider.username).url != reverse("ops:login-verify")


@pytest.mark.spec("OPS-5.5")
def test_email_as_second_factor(ops_team, django_capture_on_commit_callbacks):
    LoginPolicy.objects.update_or_create(pk=1, defaults={"two_factor_scope": "all_staff"})
    StaffSecondFactor.objects.create(user=ops_team["analyst"], method="email")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _login(client, "analyst")
    assert not SmsMessage.objects.filter(purpose="ops_login_code").exists()
    assert mail.outbox[-1].to == ["analyst@example.cn"]
    code = re.search(r"\d{6}", mail.outbox[-1].body).group(0)
    assert client.post(reverse("ops:login-verify"), {"code": code}).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.spec("OPS-5.5")
def test_session_limit_refuses_a_second_login(ops_team):
    LoginPolicy.objects.update_or_create(pk=1, defaults={"max_sessions_per_user": 1,
                                                         "session_limit_action": "refuse_new"})
    first, second = Client(), Client()
    assert _login(first, "engineer").status_code == 302
    response = _login(second, "engineer")
    assert response.status_code == 200 and "达到并发会话上限" in response.content.decode()
    assert second.get(reverse("portal:home")).status_code == 302
    first.post(reverse("portal:logout"))
    assert _login(second, "engineer").status_code == 302                # the slot is free again
    assert second.get(reverse("portal:home")).status_code == 200


@pytest.mark.spec("OPS-5.5")
def test_session_limit_ends_the_oldest_session(ops_team):
    LoginPolicy.objects.update_or_create(pk=1, defaults={"max_sessions_per_user": 1,
                                                         "session_limit_action": "end_oldest"})
    first, second = Client(), Client()
    _login(first, "engineer")
    assert first.get(reverse("portal:home")).status_code == 200
    _login(second, "engineer")
    assert second.get(reverse("portal:home")).status_code == 200
    assert first.get(reverse("portal:home")).status_code == 302         # ended


@pytest.mark.spec("OPS-5.5")
def test_staff_choose_their_factor_and_bad_choice_is_refused(client, ops_team):
    client.force_login(ops_team["manager"])                            # no e-mail on file
    response = client.post(reverse("ops:second-factor"), {"method": "email"})
    assert response.status_code == 400 and not StaffSecondFactor.objects.exists()
    assert client.post(reverse("ops:second-factor"), {"method": "sms"}).status_code == 302
    assert StaffSecondFactor.objects.get().method == "sms"
