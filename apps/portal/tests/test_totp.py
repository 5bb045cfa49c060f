"""Staff two-factor login with TOTP for privileged roles (issue 4; decision 0214): a system administrator binds
an authenticator app on the first login and gives a fresh 6-digit code after the password every time; a wrong or
replayed code logs nobody in; ordinary staff are not asked; /admin/login/ goes through the same portal login."""
import time

import pyotp
import pytest

from apps.core.audit import AuditAction, AuditLog
from apps.identity.models import StaffTotpDevice
from apps.identity.services.totp import device_reset
from apps.identity.tests.factories import RoleFactory, StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Passw0rd!2026"
LOGIN, TOTP = "/portal/login/", "/portal/login/totp/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.IDENTITY_STAFF_TOTP_ENFORCED = True
    settings.IDENTITY_STAFF_TOTP_ROLES = ["system_admin"]


@pytest.fixture
def admin_user(orgs):
    user = StaffFactory(username="sys_admin", organisation=orgs["province"])
    user.roles.add(RoleFactory(code="system_admin", name="系统管理员"))
    return user


def password_step(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.spec("IDN-13.2")
def test_a_system_admin_binds_an_authenticator_then_logs_in_with_a_code(client, admin_user):
    first = password_step(client, "sys_admin")
    assert first.status_code == 302 and first["Location"] == TOTP and not logged_in(client)
    page = client.get(TOTP).content.decode()
    assert 'data-testid="totp-qr"' in page and "绑定动态口令" in page
    secret = StaffTotpDevice.objects.get(user=admin_user).secret
    assert secret in page
    wrong = client.post(TOTP, {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert wrong.status_code == 400 and "动态口令错误" in wrong.content.decode() and not logged_in(client)
    assert StaffTotpDevice.objects.get(user=admin_user).confirmed_at is None
    code = pyotp.TOTP(secret).now()
    done = client.post(TOTP, {"code": code})
    assert done.status_code == 302 and logged_in(client)
    assert StaffTotpDevice.objects.get(user=admin_user).confirmed_at is not None
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, detail="绑定动态口令").exists()

    # next login: no QR code any more; the code just used is refused (replay), a fresh one is accepted
    client.logout()
    password_step(client, "sys_admin")
    page = client.get(TOTP).content.decode()
    assert 'data-testid="totp-qr"' not in page and "动态口令验证" in page
    assert client.post(TOTP, {"code": code}).status_code == 400 and not logged_in(client)
    fresh = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post(TOTP, {"code": fresh}).status_code == 302 and logged_in(client)
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail="动态口令错误").count() == 2


@pytest.mark.spec("IDN-13.2")
def test_ordinary_staff_are_not_asked_and_a_superuser_is(client, orgs):
    StaffFactory(username="clerk", organisation=orgs["harbin_dept"])
    ordinary = password_step(client, "clerk")
    assert ordinary.status_code == 302 and ordinary["Location"] != TOTP and logged_in(client)
    client.logout()
    StaffFactory(username="root_user", organisation=orgs["province"], is_superuser=True)
    assert password_step(client, "root_user")["Location"] == TOTP and not logged_in(client)


@pytest.mark.spec("IDN-13.2")
def test_the_code_page_needs_a_pending_password_step_and_the_admin_login_is_the_portal_login(client, admin_user):
    assert client.get(TOTP)["Location"] == LOGIN
    assert client.post(TOTP, {"code": "123456"})["Location"] == LOGIN and not logged_in(client)
    admin_login = client.get("/admin/login/", {"next": "/admin/core/region/"})
    assert admin_login.status_code == 302 and admin_login["Location"].startswith(LOGIN)
    assert "next=/admin/core/region/" in admin_login["Location"]


@pytest.mark.spec("IDN-13.6")
def test_only_a_system_admin_resets_a_lost_device(admin_user, orgs):
    StaffTotpDevice.objects.create(user=admin_user, secret=pyotp.random_base32())
    helper = StaffFactory(username="helper", organisation=orgs["province"])
    with pytest.raises(Exception, match="只有系统管理员"):
        device_reset(actor=helper, user=admin_user)
    other_admin = StaffFactory(username="sys_admin2", organisation=orgs["province"])
    other_admin.roles.add(RoleFactory(code="system_admin"))
    device_reset(actor=other_admin, user=admin_user)
    assert not StaffTotpDevice.objects.filter(user=admin_user).exists()
