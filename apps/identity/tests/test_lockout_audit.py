"""LockoutCaptchaMixin records every refused login exactly once in the audit log, on the public
login page, the token API and — built here exactly as apps/portal/forms.py should build it — the
work-portal login form."""
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from apps.core.models import AuditLog
from apps.identity.captcha import SESSION_KEY
from apps.identity.login_forms import LockoutCaptchaMixin
from apps.identity.models import LoginFailure, UserKind
from apps.identity.tests.conftest import PASSWORD
from apps.identity.tests.factories import UserFactory
from apps.portal.forms import StaffAuthenticationForm

pytestmark = pytest.mark.django_db


# The work-portal login form carries the mixin itself (apps/portal/forms.py).
LockoutStaffAuthenticationForm = StaffAuthenticationForm
assert issubclass(StaffAuthenticationForm, LockoutCaptchaMixin)


def failed_logins():
    return AuditLog.objects.filter(action="login_failed")


def staff_form(data, session):
    request = RequestFactory().post("/portal/login/", data)
    request.session = session
    return LockoutStaffAuthenticationForm(request, data=data)


def test_portal_form_records_each_refusal_once_and_locks(staff, settings):
    settings.IDENTITY_LOCKOUT_FAILURES = 3
    clerk = staff["harbin"]
    session = SessionStore()
    form = staff_form({"username": clerk.username, "password": "wrong"}, session)
    assert not form.is_valid() and "用户名或密码错误" in str(form.non_field_errors())
    assert failed_logins().count() == 1 and LoginFailure.objects.count() == 1
    record = failed_logins().get()
    assert record.actor_username == clerk.username and record.actor_organisation_id == clerk.organisation_id
    # a captcha is now required: the right password without it is refused, once recorded
    form = staff_form({"username": clerk.username, "password": PASSWORD, "captcha": "ZZZZ"}, session)
    assert form.show_captcha and not form.is_valid() and "图形验证码错误" in str(form.non_field_errors())
    assert failed_logins().count() == 2
    for _ in range(2):
        session[SESSION_KEY] = "ABCD"
        assert not staff_form({"username": clerk.username, "password": "wrong", "captcha": "abcd"},
                              session).is_valid()
    assert failed_logins().count() == 4 and LoginFailure.objects.count() == 3
    session[SESSION_KEY] = "ABCD"
    locked = staff_form({"username": clerk.username, "password": PASSWORD, "captcha": "ABCD"}, session)
    assert not locked.is_valid() and "账号已临时锁定" in str(locked.non_field_errors())
    assert failed_logins().count() == 5


def test_portal_form_refuses_public_account_with_one_record_and_accepts_staff(staff, citizen):
    session = SessionStore()
    form = staff_form({"username": citizen.username, "password": PASSWORD}, session)
    assert not form.is_valid() and "不是政务工作人员账号" in str(form.non_field_errors())
    assert failed_logins().count() == 1 and LoginFailure.objects.filter(username=citizen.username).count() == 1
    clerk = staff["harbin"]
    ok = staff_form({"username": clerk.username, "password": PASSWORD}, SessionStore())
    assert ok.is_valid() and ok.get_user() == clerk and failed_logins().count() == 1


def test_public_login_and_token_api_record_a_wrong_password_once(client):
    UserFactory(username="wang_wu", kind=UserKind.NATURAL_PERSON)
    client.post("/login/", {"username": "wang_wu", "password": "wrong"})
    assert failed_logins().count() == 1
    client.post("/api/v1/identity/token/", {"username": "wang_wu", "password": "wrong"})
    assert failed_logins().count() == 2 and LoginFailure.objects.count() == 2
